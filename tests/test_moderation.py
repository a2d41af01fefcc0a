"""Moderation policy: each key changes exactly what it should."""

from __future__ import annotations

import json

import duckdb
import pytest

from newsclean.cleaners.moderation import domain_blocked, find_terms, moderate, word_list
from newsclean.flows.config import UsageError, load_policy
from newsclean.schemas.policy import Policy
from tests.conftest import run_cli, scan

TEXT = "The city council approved a new plan for bicycle lanes on Monday, officials said."


def _policy(**sections) -> Policy:
    return Policy.model_validate(sections)


def _verdict(policy: Policy, text=TEXT, domain="news.example.org", lang=("en", 0.99), removed=0):
    return moderate(
        text=text,
        domain=domain,
        language=lang[0],
        language_score=lang[1],
        word_count=len(text.split()),
        removed_chars=removed,
        policy=policy,
    )


def test_default_policy_keeps_everything():
    v = _verdict(Policy())
    assert (v.decision, v.reason, v.flags) == ("keep", None, ())


@pytest.mark.parametrize(
    "domain, blocked",
    [
        ("example.com", "example.com"),
        ("www.example.com", "example.com"),
        ("news.sub.example.com", "example.com"),
        ("badexample.com", None),
        ("example.com.evil.org", None),
        (None, None),
    ],
)
def test_domain_block_is_a_suffix_match_on_whole_labels(domain, blocked):
    assert domain_blocked(domain, ("example.com",)) == blocked


@pytest.mark.parametrize(
    "text, terms, found",
    [
        ("He said Damn twice.", ("damn",), ["damn"]),
        ("The classic pass was assessed.", ("ass",), []),
        ("Die Straße war gesperrt.", ("straße",), ["straße"]),
        ("New\n  York is big", ("new york",), ["new york"]),
        ("a new yorker", ("new york",), []),
        ("Reply: a$$ indeed", ("a$$",), ["a$$"]),
        ("CASE Matters not", ("case matters",), ["case matters"]),
        ("Водка и ВОДКА", ("водка",), ["водка"]),
        ("nothing here", ("x", "y"), []),
    ],
)
def test_terms_are_whole_words_case_insensitive_unicode(text, terms, found):
    assert find_terms(text, terms) == found


def test_language_allow_and_min_score():
    policy = _policy(language={"allow": ["en", "de"], "min_score": 0.8})
    assert _verdict(policy, lang=("de", 0.95)).decision == "keep"
    v = _verdict(policy, lang=("fr", 0.97))
    assert (v.decision, v.reason, v.detail) == (
        "reject",
        "language",
        "language fr (score 0.97) not in en, de",
    )
    v = _verdict(policy, lang=("und", 0.55))
    assert v.reason == "language" and v.detail.startswith("language und (score 0.55)")


def test_min_words_blocked_domain_blocked_term_boilerplate_and_flags():
    v = _verdict(_policy(length={"min_words": 20}))
    assert (v.reason, v.detail) == ("too_short", "14 words, fewer than 20")
    v = _verdict(_policy(domains={"block": ["example.org"]}))
    assert (v.reason, v.detail) == (
        "blocked_domain",
        "domain news.example.org is blocked by example.org",
    )
    v = _verdict(_policy(terms={"block": ["Bicycle lanes"]}))
    assert (v.reason, v.detail) == ("blocked_term", "contains blocked term 'Bicycle lanes'")
    v = _verdict(_policy(boilerplate={"max_share": 0.5}), removed=len(TEXT) + 1)
    assert (
        v.reason == "boilerplate"
        and v.detail == "removed pieces are 50% of the page, more than 50%"
    )
    assert _verdict(_policy(boilerplate={"max_share": 0.5}), removed=len(TEXT)).decision == "keep"
    v = _verdict(_policy(terms={"flag": ["council", "mayor", "officials"]}))
    assert (v.decision, v.flags) == ("flag", ("term:council", "term:officials"))


def test_profanity_list_comes_from_a_maintained_package():
    words = word_list("profanity")
    assert len(words) > 500 and "damn" in words
    policy = _policy(terms={"flag_lists": ["profanity"]})
    assert _verdict(policy).decision == "keep"
    v = _verdict(policy, text=TEXT + " What a damn mess.")
    assert (v.decision, v.flags) == ("flag", ("list:profanity",))


@pytest.mark.parametrize(
    "toml, message",
    [
        ("[language]\nalow = ['en']\n", "language.alow: unknown key"),
        ("[languages]\nallow = ['en']\n", "languages: unknown key"),
        ("[length]\nmin_words = 'fifty'\n", "length.min_words: Input should be a valid integer"),
        (
            "[length]\nmin_words = -1\n",
            "length.min_words: Input should be greater than or equal to 0",
        ),
        (
            "[language]\nallow = ['english']\n",
            "language.allow: Value error, not a language code the detector knows: 'english'",
        ),
        (
            "[language]\nmin_score = 1.5\n",
            "language.min_score: Input should be less than or equal to 1",
        ),
        ("[terms]\nflag_lists = ['swearing']\n", "terms.flag_lists.0: Input should be 'profanity'"),
        (
            "[duplicates]\nreject_exact = 'yes'\n",
            "duplicates.reject_exact: Input should be a valid boolean",
        ),
        ("[language\n", "is not valid TOML"),
    ],
)
def test_bad_policy_file_names_the_key_exits_2_and_writes_nothing(tmp_path, toml, message):
    policy = tmp_path / "policy.toml"
    policy.write_text(toml)
    page = tmp_path / "page.txt"
    page.write_text("Headline\n\n" + TEXT)
    with pytest.raises(UsageError, match="policy file"):
        load_policy(str(policy))
    out = tmp_path / "out"
    result = run_cli("run", "-i", str(page), "-o", str(out), "--policy", str(policy))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"newsclean: error: policy file {policy}")
    assert message in result.stderr
    assert not out.exists()


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


STORY = (
    "PARIS (AFP) - The city council approved a new plan for bicycle lanes on {n} streets on "
    "Monday, officials said. Work will start in the spring and last two years, and the "
    "mayor promised that traffic would flow again by the summer holidays."
)


def test_policy_file_end_to_end(tmp_path):
    _jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "keep", "url": "https://news.example.org/1", "text": STORY.format(n=3)},
            {
                "id": "short",
                "url": "https://news.example.org/2",
                "text": "This English note is far too brief to keep.",
            },
            {"id": "domain", "url": "https://www.spam.test/x", "text": STORY.format(n=4)},
            {
                "id": "term",
                "url": "https://news.example.org/3",
                "text": STORY.format(n=5) + " Casino bonus!",
            },
            {
                "id": "flag",
                "url": "https://news.example.org/4",
                "text": STORY.format(n=6) + " The damn rain.",
            },
            {
                "id": "german",
                "url": "https://news.example.org/5",
                "text": "Der Stadtrat hat am Montag einen neuen Plan für Radwege in fünf Straßen beschlossen, teilten Beamte mit. Die Arbeiten sollen im Frühjahr beginnen.",
            },
            {"id": "dup", "url": "https://news.example.org/6", "text": STORY.format(n=3)},
        ],
    )
    (tmp_path / "policy.toml").write_text(
        """
[language]
allow = ["en"]
[length]
min_words = 10
[domains]
block = ["spam.test"]
[terms]
block = ["casino bonus"]
flag = ["mayor"]
flag_lists = ["profanity"]
[duplicates]
reject_exact = true
"""
    )
    out = tmp_path / "out"
    result = run_cli(
        "run",
        "-i",
        str(tmp_path / "in.jsonl"),
        "-o",
        str(out),
        "--policy",
        str(tmp_path / "policy.toml"),
    )
    assert result.returncode == 0, result.stderr
    articles = duckdb.sql(
        f"select source_id, decision, flags, doc_id from {scan(out, 'articles')} order by 1"
    ).fetchall()
    rejects = dict(
        duckdb.sql(
            f"select source_id, reason || ': ' || detail from {scan(out, 'rejects')}"
        ).fetchall()
    )
    kept_doc = articles[1][3]
    assert [a[:3] for a in articles] == [
        ("flag", "flag", ["term:mayor", "list:profanity"]),
        ("keep", "flag", ["term:mayor"]),
    ]
    assert rejects == {
        "short": "too_short: 9 words, fewer than 10",
        "domain": "blocked_domain: domain spam.test is blocked by spam.test",
        "term": "blocked_term: contains blocked term 'casino bonus'",
        "german": rejects["german"],
        "dup": f"duplicate: same text as doc_id {kept_doc}",
    }
    assert rejects["german"].startswith("language: language de (score ")
    assert (
        "rejected by reason: blocked_domain 1, blocked_term 1, duplicate 1, language 1, too_short 1"
        in result.stdout
    )
    assert "flags: list:profanity 1, term:mayor 2" in result.stdout


def test_exact_duplicates_across_runs_keep_the_first_in_input_order(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text("[duplicates]\nreject_exact = true\n")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _jsonl(
        first, [{"id": "a1", "text": STORY.format(n=1)}, {"id": "a2", "text": STORY.format(n=2)}]
    )
    _jsonl(
        second,
        [{"id": "b1", "text": STORY.format(n=2).upper()}, {"id": "b2", "text": STORY.format(n=9)}],
    )
    out = tmp_path / "out"
    base = ("run", "-o", str(out), "--policy", str(policy))
    assert run_cli(*base, "-i", str(first)).returncode == 0
    assert run_cli(*base, "-i", str(second), "--batch-size", "1", "--workers", "2").returncode == 0
    # rerunning the first input does not make it a duplicate of itself
    assert run_cli(*base, "-i", str(first)).returncode == 0

    def table(name, cols):
        return duckdb.sql(f"select {cols} from {scan(out, name)} order by 1").fetchall()

    articles = table("articles", "source_id, doc_id")
    assert [a[0] for a in articles] == ["a1", "a2", "b2"]
    a2_doc = dict(articles)["a2"]
    assert table("rejects", "source_id, reason, detail") == [
        ("b1", "duplicate", f"same text as doc_id {a2_doc}")
    ]


def test_allow_english_rejects_the_german_pages_of_the_corpus(corpus_run):
    out, index, _ = corpus_run  # run under `allow = ["en"]`
    langs = duckdb.sql(f"select distinct language from {scan(out, 'articles')}").fetchall()
    assert langs == [("en",)]
    german = duckdb.sql(
        f"select count(*) from {scan(out, 'rejects')} "
        "where reason = 'language' and detail like 'language de (score %'"
    ).fetchall()[0][0]
    assert german > 100
    total = duckdb.sql(
        f"select (select count(*) from {scan(out, 'articles')}) + "
        f"(select count(*) from {scan(out, 'rejects')})"
    ).fetchall()[0][0]
    assert total == len(index)

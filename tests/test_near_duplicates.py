"""Near-duplicate stories: each kind of light edit is found, the hard negatives are not,
and an incremental run links today's copy to yesterday's original."""

from __future__ import annotations

import json

import duckdb
import pytest

from newsclean.cleaners.near_duplicates import shingles, similarity
from newsclean.cleaners.pipeline import clean_page
from newsclean.schemas.records import RawPage
from tests.conftest import SEED, plain_run, run_cli, scan

THRESHOLD = 0.7  # the policy's default near_threshold

STORY = clean_page(RawPage("seed", "seed", text=SEED.read_text(encoding="utf-8"))).text
PARAS = STORY.split("\n")
ABOUT = (
    "About Example Holdings: Example Holdings is a global leader in logistics software, "
    "serving more than 4,000 customers in 60 countries. Founded in 1998 and headquartered "
    "in Rotterdam, the company employs 2,300 people and is listed on Euronext. Its platform "
    "connects shippers, carriers and ports, and processes more than 30 million shipments a "
    "year. For more information, visit the company's website or follow it on social media. "
    "Media contact: press office, available Monday to Friday from nine to five, by phone or "
    "by e-mail, for interviews, images and background material on the company and its work."
)


def _typos(text: str, every: int = 120) -> str:
    words = text.split(" ")
    return " ".join(w[::-1] if i % every == 7 else w for i, w in enumerate(words))


EDITS = [
    ("a dateline added", f"WASHINGTON (AP) — {STORY}"),
    ("the last paragraph cut", "\n".join(PARAS[:-1])),
    ("a paragraph added", STORY + "\nThe talks are expected to continue next week in Astana, "
     "where officials from both countries will meet to discuss trade and energy projects."),
    ("a correction note", STORY + "\nCorrection: An earlier version of this story misstated "
     "the date of the announcement. It was made on Thursday."),
    ("typos mended", _typos(STORY)),
    ("paragraphs joined", " ".join(PARAS)),
    ("an editor's note first", "Editor's note: This story has been updated.\n" + STORY),
]  # fmt: skip


@pytest.mark.parametrize("kind, edited", EDITS, ids=[k for k, _ in EDITS])
def test_light_edits_are_near_duplicates(kind, edited):
    assert edited != STORY
    assert similarity(STORY, edited) >= THRESHOLD, kind


def _follow_up() -> str:
    kept = PARAS[: len(PARAS) // 3]
    new = [
        f"In a second statement on Friday, officials added detail number {i} about the "
        f"agreement, the schedule of meetings and the reaction of neighbouring states."
        for i in range(len(PARAS) - len(kept))
    ]
    return "\n".join(kept + new)


NEGATIVES = [
    ("a follow-up keeping a third of the text", STORY, _follow_up()),
    (
        "two stories sharing an About block",
        "\n".join(PARAS[: len(PARAS) // 2] + [ABOUT]),
        "\n".join(PARAS[len(PARAS) // 2 :] + [ABOUT]),
    ),
    ("two different stories", STORY, ABOUT),
]


@pytest.mark.parametrize("kind, a, b", NEGATIVES, ids=[k for k, _, _ in NEGATIVES])
def test_hard_negatives_are_not_near_duplicates(kind, a, b):
    assert similarity(a, b) < THRESHOLD, kind


def test_shingles_ignore_case_punctuation_and_paragraph_breaks():
    assert shingles("One two, three.\nFour five six") == shingles("one two three four five six")
    assert shingles("too short") == ["too short"] and shingles("") == []


def _page(rid: str, text: str, outlet: str) -> dict:
    """A page of one outlet's template: the story, and the outlet's own chrome."""
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n"))
    html = (
        f"<html><head><title>{rid} - {outlet}</title></head><body>"
        f"<nav><a href='/'>{outlet} home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Kazakhstan joins the accords</h1>{paras}</article>"
        f"<footer>© 2026 {outlet}. All rights reserved.</footer></body></html>"
    )
    return {"id": rid, "url": f"https://{outlet}.example/{rid}", "html": html}


def _write(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def _articles(out):
    return duckdb.sql(
        f"select source_id, doc_id, decision, flags, near_duplicate_of "
        f"from {scan(out, 'articles')} order by source_id"
    ).fetchall()


def test_an_incremental_run_links_todays_copy_to_yesterdays_original(tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    _write(landing / "day1.jsonl", _page("original", STORY, "wire"))
    assert run_cli("run", "-i", str(landing), "-o", str(out), "--incremental").returncode == 0
    ((_, original, _, _, none),) = _articles(out)
    assert none is None

    _write(
        landing / "day2.jsonl",
        _page("copy", "\n".join(PARAS[:-1]), "daily"),  # another outlet, last paragraph cut
        _page("other", ABOUT, "daily"),
    )
    second = run_cli("run", "-i", str(landing), "-o", str(out), "--incremental")
    assert second.returncode == 0, second.stderr
    assert "near-duplicates of earlier stories: 1" in second.stdout
    rows = {r[0]: r for r in _articles(out)}
    assert rows["copy"][4] == original and rows["copy"][2] == "keep"
    assert rows["other"][4] is None and rows["original"][4] is None


@pytest.mark.parametrize("action", ["flag", "reject"])
def test_flag_and_reject_actions(tmp_path, action):
    src, out = tmp_path / "pages.jsonl", tmp_path / "out"
    _write(
        src,
        _page("first", STORY, "wire"),
        _page("typo-fixed", _typos(STORY), "daily"),
        _page("joined", " ".join(PARAS), "weekly"),
    )
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[duplicates]\nnear_action = "{action}"\n')
    report = plain_run([src], out, policy=str(policy), workers=1)
    first = {r[0]: r for r in _articles(out)}["first"][1]
    if action == "flag":
        rows = {r[0]: r[2:] for r in _articles(out)}
        assert rows["typo-fixed"] == ("flag", ["near_duplicate"], first)
        assert rows["joined"] == ("flag", ["near_duplicate"], first)  # the earliest, first
        assert report.flagged == 2 and report.flags["near_duplicate"] == 2
    else:
        assert [r[0] for r in _articles(out)] == ["first"]
        rejects = duckdb.sql(
            f"select source_id, reason, detail from {scan(out, 'rejects')} order by 1"
        ).fetchall()
        assert rejects == [
            ("joined", "near_duplicate", f"same story as doc_id {first}"),
            ("typo-fixed", "near_duplicate", f"same story as doc_id {first}"),
        ]
        assert report.rejected["near_duplicate"] == 2 and report.kept == 1


@pytest.mark.parametrize(
    "toml, message",
    [
        ('near_action = "drop"', "duplicates.near_action: Input should be 'mark', 'flag' or 'reject'"),
        ("near_threshold = 1.5", "duplicates.near_threshold: Input should be less than or equal to 1"),
        ("near_window_days = -1", "duplicates.near_window_days: Input should be greater than or equal to 0"),
    ],
)  # fmt: skip
def test_a_wrong_near_duplicate_setting_exits_2_with_one_line(tmp_path, toml, message):
    policy = tmp_path / "policy.toml"
    policy.write_text(f"[duplicates]\n{toml}\n")
    result = run_cli("run", "-i", str(SEED), "-o", str(tmp_path / "out"), "--policy", str(policy))
    assert result.returncode == 2
    assert result.stderr == f"newsclean: error: policy file {policy}: {message}\n"

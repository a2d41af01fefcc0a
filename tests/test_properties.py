"""Property-based tests: the cleaners never raise, are idempotent, never grow the text,
and account for every word; the readers survive random bytes and random JSON."""

from __future__ import annotations

import json
import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.cleaners.pipeline import clean_body, clean_page
from newsclean.flows.readers import read_pages
from newsclean.schemas.records import Article, RawPage, Rejection

NOISE = [
    "Kazakh President Kassym-Jomart Tokayev. (AP)",
    "ERBIL (Kurdistan24) – In a significant diplomatic move aimed at new life",
    "WASHINGTON (AP) — The Senate voted on Tuesday to confirm the nominee.",
    "Fly Erbil Advertisment",
    "Advertisement",
    "Share this article",
    "Read more: Uranium prices hit a twelve-year high",
    "© 2025 Sample Gazette. All rights reserved.",
    "23.10.2018",
    "Photo: Reuters",
    "The minister said on Monday that the talks would resume next week in Geneva.",
    "Officials said the expansion was paid for by the regional government.",
]
WORD = re.compile(r"\w+")

lines_strategy = st.lists(
    st.one_of(st.sampled_from(NOISE), st.text(min_size=1, max_size=80)), max_size=25
)


def _words(lines):
    return Counter(w for line in lines for w in WORD.findall(line))


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines_strategy)
def test_clean_body_is_idempotent_shrinks_and_accounts_for_every_word(lines):
    from newsclean.cleaners.normalize import paragraphs

    lines = paragraphs("\n".join(lines))
    body = clean_body(lines)
    kept, cut = _words(body.lines), _words(r.text for r in body.removed)
    assert kept + cut == _words(lines)  # nothing invented, nothing lost
    assert sum(len(x) for x in body.lines) <= sum(len(x) for x in lines)
    again = clean_body(body.lines)
    assert again.lines == body.lines and again.removed == []


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400)), st.booleans())
def test_clean_page_never_raises(content, as_html):
    if as_html:
        page = RawPage("p", "p", html=content)
    else:
        page = RawPage(
            "p", "p", text=content if isinstance(content, str) else content.decode("latin-1")
        )
    assert isinstance(clean_page(page), Article | Rejection)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
records = st.dictionaries(
    st.sampled_from(["id", "url", "html", "text", "fetched_at", "lang", "title", "extra"]),
    json_values,
    max_size=6,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(records, json_values), max_size=8))
def test_jsonl_reader_survives_random_json(tmp_path, objs):
    path = tmp_path / "random.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in objs))
    pages = list(read_pages(str(path)))
    assert len(pages) == max(len(objs), 1)  # one page per line; an empty file is one reject
    for page in pages:
        assert isinstance(clean_page(page), Article | Rejection)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=2000),
    st.sampled_from(["x.jsonl", "x.jsonl.gz", "x.html", "x.txt", "x.warc", "x.warc.gz"]),
)
def test_readers_survive_random_bytes(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    for page in read_pages(str(path)):
        assert isinstance(clean_page(page), Article | Rejection)

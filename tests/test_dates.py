"""Publication dates: the publisher's JSON-LD datePublished first, as written (the day
the page prints, in the publisher's time zone), then a blog's trackback RDF, then
htmldate's cheap signals, then its full search. Table-driven, with the traps that must fall through."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.cleaners.extract import extract

BODY = "<p>" + "The council met on the day and decided to build the new bridge. " * 12 + "</p>"


def _page(head: str = "", body: str = BODY) -> str:
    return f"<html><head><title>Bridge approved</title>{head}</head><body>{body}</body></html>"


def _ld(value: str) -> str:
    return (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        f'"headline": "Bridge approved", "datePublished": "{value}"}}</script>'
    )


META = '<meta property="article:published_time" content="2020-05-02T02:54:29Z">'


def _rdf(date: str, tag: str = "rdf:Description") -> str:
    """A blog entry's trackback RDF, inside a comment as Movable Type and goo print it."""
    return (
        '<!-- <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<{tag} rdf:about="https://blog.example.jp/e/1" dc:title="Bridge approved" '
        f'dc:date="{date}" dc:identifier="https://blog.example.jp/e/1" /></rdf:RDF> -->'
    )


CASES = [
    # (head, url) -> date
    # the day as the publisher wrote it, not converted to UTC (it would be 04-25 17:30Z
    # here either way; 23:59:50+00:00 printed as the 25th by a site at +02:00 below)
    ((_ld("2024-04-25T19:30:04+02:00"), None), "2024-04-25"),
    ((_ld("2020-12-25T01:59:50+02:00") + META, None), "2020-12-25"),
    # over a date in the URL (an edition's or a section's day)
    (
        (_ld("2020-07-09T10:04:04Z"), "https://news.example.com/2020/07/08/bridge.html"),
        "2020-07-09",
    ),
    # traps: no JSON-LD, an impossible day, a placeholder year: the meta tag decides
    ((META, None), "2020-05-02"),
    ((_ld("2020-13-45T00:00:00Z") + META, None), "2020-05-02"),
    ((_ld("1970-01-01T00:00:00Z") + META, None), "2020-05-02"),
    # a blog's trackback RDF names the entry's day, in a comment the parser drops; it
    # outranks a calendar or an archive link's date (htmldate's cheap signals)
    ((_rdf("2020-07-12T22:00:00+09:00") + META, None), "2020-07-12"),
    # but not JSON-LD, the publisher's statement
    ((_ld("2020-07-13T08:00:00+09:00") + _rdf("2020-07-12T22:00:00+09:00"), None), "2020-07-13"),
    # traps: dc:date on another element, an impossible day: the meta tag decides
    ((_rdf("2020-07-12T22:00:00+09:00", tag="rdf:Seq") + META, None), "2020-05-02"),
    ((_rdf("2020-02-30T22:00:00+09:00") + META, None), "2020-05-02"),
]


@pytest.mark.parametrize(("args", "expected"), CASES)
def test_publication_date(args, expected):
    head, url = args
    assert extract(_page(head), url).date == expected


def test_a_page_without_any_date_has_none():
    assert extract(_page()).date is None


def _headlined(block: str, header: str = '<div class="date">Tue, 14 Jan 2020</div>') -> str:
    """A page whose header prints the site's date of today, and whose headline is
    followed by ``block``."""
    return _page(body=f"{header}<div><h2>Bridge approved</h2>{block}{BODY}</div>")


HEADLINE_CASES = [
    # the byline block under the headline, in the page's own zone, over the header's date
    ("<p>News24<br>13 Jan 2020, 22:11 GMT+10</p>", "2020-01-13"),
    ("<div>By Jane Doe | January 12, 2020</div>", "2020-01-12"),
    ("<div>Jane Doe, 12. Januar 2020</div>", "2020-01-12"),
    ("<p class='fecha'>Miércoles, 15 de Abril de 2020</p>", "2020-04-15"),
    ("<p class='meta'>Veröffentlicht am 12.01.2020</p>", "2020-01-12"),
    # a date labelled as the last change is not the publication's: the next one is
    ("<div>Updated Jan 13, 2020 · First published Jan 10, 2020</div>", "2020-01-10"),
]


@pytest.mark.parametrize(("block", "expected"), HEADLINE_CASES)
def test_the_date_the_headlines_byline_block_prints(block, expected):
    got = extract(_headlined(block))
    assert (got.date, got.provenance["date"]) == (expected, "headline_date")


def test_dates_that_are_not_the_headlines_byline():
    """A caption or a paragraph of the story, a reader's comment, a heading that is not
    the page's headline: htmldate decides (here, the header's date)."""
    story = "<p>On 12 January 2020 the council, after a year of debate, voted for it.</p>"
    comment = "<div class='comment'>Jane, 12 Jan 2020: great news</div>"
    for block in (story * 3, comment):
        got = extract(_headlined(block))
        assert got.provenance["date"] != "headline_date", block
    other = _page(body=f"<div><h2>Other story of the day</h2><p>12 Jan 2020</p>{BODY}</div>")
    assert extract(other).provenance.get("date") != "headline_date"


# -- htmldate's full search on the page's digits and what stands around them ----------------


def _same_matches(html: str) -> None:
    from htmldate import core

    from newsclean.cleaners.dates import NEAR_DIGIT_PATTERNS, digit_neighbourhoods

    cut = digit_neighbourhoods(html)
    for name in NEAR_DIGIT_PATTERNS:
        pattern = getattr(core, name)
        assert pattern.findall(cut) == pattern.findall(html), (name, html[:200])


PIECES = [
    "2019", "05", "3", "12", "1999", "20190503", "/", ".", "-", " ", "w3.org", "w", "x",
    "a long stretch of words", "<a href='", "&copy;", "©", "٣", "\n", "org/", "1",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_the_date_patterns_find_the_same_near_the_digits(pieces):
    _same_matches("".join(pieces))


def test_the_date_patterns_find_the_same_near_the_digits_of_real_pages():
    import gzip
    import json
    from itertools import islice

    from newsclean.cleaners.dates import NEAR_DIGIT_PATTERNS
    from tests.conftest import corpus_files

    # the eight patterns of dates in digits the full search runs, each checked below
    assert len(NEAR_DIGIT_PATTERNS) == 8 and "SIMPLE_PATTERN" in NEAR_DIGIT_PATTERNS
    seen = 0
    for path in corpus_files():  # (skips where the corpus is absent)
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in islice(fh, 0, None, 4):
                _same_matches(json.loads(line)["html"])
                seen += 1
    assert seen > 150


def test_the_full_search_reads_the_neighbourhoods_and_finds_the_same_date():
    from htmldate import core, find_date

    from newsclean.cleaners.dates import _search_years_near_digits

    filler = "<p>" + "The council met and decided to build the bridge. " * 40 + "</p>"
    # a date only in a link's address: the full search's patterns find it in the markup
    page = (
        f"<html><body><div>{filler}<a href='/archive/2019-05-03/story'>more</a>{filler}"
        "</div></body></html>"
    )
    before = find_date(page, extensive_search=True, original_date=True)
    assert _search_years_near_digits()
    assert core.plausible_year_filter.__module__ == "newsclean.cleaners.dates"
    assert before == find_date(page, extensive_search=True, original_date=True) == "2019-05-03"

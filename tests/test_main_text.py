"""The main-text cascade (cleaners/main_text.py): without its gate it is trafilatura's
own, text for text; with it, the comparison runs where it can change the result."""

from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path

import pytest
from trafilatura import bare_extraction

from newsclean.cleaners.decode import decode_bytes
from newsclean.cleaners.extract import parse_html
from newsclean.cleaners.main_text import SHORT, main_text
from tests.conftest import corpus_files

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _corpus_pages(per_file: int):
    for path in corpus_files():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in islice(fh, per_file):
                rec = json.loads(line)
                yield rec["id"], rec["html"], rec["url"] or None


def _texts(html: str, url: str | None) -> tuple[str | None, str | None]:
    """(bare_extraction's text, the ungated cascade's text) of one page."""
    reference = bare_extraction(parse_html(html), url=url, include_comments=False)
    ungated = main_text(parse_html(html), url, gate=False)
    assert ungated is None or ungated.compared
    return (
        reference.text if reference is not None else None,
        ungated.text if ungated is not None else None,
    )


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.html")))
def test_the_ungated_cascade_is_trafilaturas_on_the_samples(name):
    html = decode_bytes((SAMPLES / name).read_bytes())
    reference, ours = _texts(html, None)
    assert reference and ours == reference


def test_the_ungated_cascade_is_trafilaturas_on_real_pages():
    pages = list(_corpus_pages(40))
    differ = [ident for ident, html, url in pages if len(set(_texts(html, url))) != 1]
    assert len(pages) == 120 and differ == []


def _paragraphs(n: int, words: int = 30) -> str:
    return "".join(
        f"<p>{' '.join(f'word{i}x{j}' for j in range(words))} ends here.</p>" for i in range(n)
    )


def _page(article: str, aside: str = "") -> str:
    return (
        "<html><head><title>t</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article>{article}</article><aside><div>{aside}</div></aside></body></html>"
    )


def test_a_long_article_keeps_trafilaturas_text_without_comparing():
    html = _page(_paragraphs(20))
    gated = main_text(parse_html(html))
    assert gated is not None and len(gated.text) >= SHORT
    assert gated.compared is False
    assert gated.text == main_text(parse_html(html), gate=False).text


def test_a_short_text_on_a_page_with_much_more_text_is_compared():
    html = _page(_paragraphs(2), aside=" ".join(f"filler{k}" for k in range(2000)))
    gated = main_text(parse_html(html))
    assert gated is not None and len(gated.text) < SHORT
    assert gated.compared is True
    assert gated.text == main_text(parse_html(html), gate=False).text


def _comment_section(attribute: str) -> str:
    return f"<div {attribute}><p>{' '.join(f'reader{k} says' for k in range(40))}.</p></div>"


@pytest.mark.parametrize(
    "attribute",
    [
        'id="comments"',
        'class="post-comments"',
        # an attribute that spells the word with character references
        'id="&#99;&#111;&#x6D;ment-list"',
    ],
)
def test_a_comment_section_is_pruned_however_its_attribute_is_written(attribute):
    html = _page(_paragraphs(6) + _comment_section(attribute))
    gated = main_text(parse_html(html), source=html)
    assert gated is not None and "reader1 says" not in gated.text
    assert gated.text == main_text(parse_html(html), gate=False).text


def test_the_prunes_that_cannot_select_are_skipped_only_then():
    from newsclean.cleaners.main_text import (
        RAW_TREE_PRUNE_XPATH,
        REMOVE_COMMENTS_AND_LISTS_XPATH,
        _may_select,
    )

    prunes = [*RAW_TREE_PRUNE_XPATH, *REMOVE_COMMENTS_AND_LISTS_XPATH]
    plain = _page(_paragraphs(3))
    assert _may_select(plain, prunes) == []
    assert _may_select(None, prunes) == prunes  # no source: all of them
    scroll = _page(_paragraphs(3) + "<div class='infinite-scroll'><p>more</p></div>")
    assert _may_select(scroll, prunes) == [RAW_TREE_PRUNE_XPATH[0]]
    encoded = scroll.replace("infinite", "&#105;nfinite")
    assert _may_select(encoded, prunes) == [RAW_TREE_PRUNE_XPATH[0]]
    # on real pages: every prune skipped would have selected nothing
    for _, html, _ in _corpus_pages(40):
        for expression in prunes:
            if expression not in _may_select(html, prunes):
                assert expression(parse_html(html)) == []


def test_the_page_bound_is_never_below_trafilaturas_page_measure():
    from trafilatura.baseline import html2txt

    from newsclean.cleaners.main_text import _page_bound

    pages = [html for _, html, _ in _corpus_pages(40)]
    pages.append(_page("<p>a</p><p>b</p>" * 50, aside="<script>var x = 1;</script>" * 20))
    for html in pages:
        tree = parse_html(html)
        if tree is not None:
            assert _page_bound(tree) >= len(html2txt(tree))


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html/>\n<html/>\n<body><p>x</p></body>",
        "<html lang='en'/>\n<p>a\x01b\x1fc</p>",
        "<!doctype html PUBLIC '-//W3C'/ >\n<p>y\ufffe</p>",
        "<html><body><p>plain</p></body></html>",
    ],
)
def test_the_repair_before_parsing_is_trafilaturas(html):
    from trafilatura.utils import INVALID_XML_CHARS, repair_faulty_html

    from newsclean.cleaners.extract import _INVALID_XML, _repaired

    everything = [chr(c) for c in range(0x110000)]
    assert [c for c in everything if c in _INVALID_XML] == [
        c for c in everything if INVALID_XML_CHARS.match(c)
    ]
    assert _repaired(html, html[:50].lower()) == repair_faulty_html(html, html[:50].lower())
    for _, page, _ in _corpus_pages(40):
        assert _repaired(page, page[:50].lower()) == repair_faulty_html(page, page[:50].lower())


# -- a page laid out in tables: readability's core where trafilatura's text holds it -------

STORY = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, closed since a "
    "storm damaged its piers two winters ago.",
    "Engineers told the council that the new bridge would carry trams as well as cars, and "
    "that work could start in the spring.",
    "Residents of the harbour district, who have driven around the bay for two years, "
    "welcomed the vote at a crowded meeting.",
    "The mayor said the city would pay for the bridge with a loan from the regional bank "
    "and a grant from the national government.",
    "Opponents on the council argued that the money would be better spent on schools, and "
    "three members voted against the plan.",
]


def _table_layout(wrap: str = "{}") -> str:
    """A 2008 news page: menus, related stories, a toolbar and ratings in layout tables
    around the story's cell (``wrap`` around the story: HTML5 sectioning)."""
    story = wrap.format("".join(f"<p>{p}</p>" for p in STORY))
    related = "".join(
        f'<tr><td><a href="/s/{i}">Other story number {i} about the city</a></td></tr>'
        for i in range(6)
    )
    return (
        "<html><head><title>Council votes to rebuild harbour bridge</title></head><body>"
        '<table width="100%"><tr><td><a href="/">Home</a></td><td></td>'
        '<td><a href="/news">News</a></td><td></td><td><a href="/sport">Sport</a></td></tr>'
        f'</table><table width="100%"><tr><td width="160"><table>{related}</table></td><td>'
        "<h1>Council votes to rebuild harbour bridge</h1>"
        '<table><tr><td><a href="/print">Print</a> | <a href="/rate">Rate It</a> | '
        '<a href="/send">Send to friend</a></td></tr></table>'
        f"{story}<table><tr><td>0 Ratings</td></tr>"
        '<tr><td><a href="/more">More stories from the city desk</a></td></tr></table>'
        "</td></tr></table><table><tr><td>Copyright 2008 City Paper</td></tr></table>"
        "</body></html>"
    )


def test_a_table_layouts_rows_around_the_story_go_with_their_rule():
    from newsclean.cleaners.pipeline import clean_page
    from newsclean.schemas.records import RawPage

    page = RawPage("x", "t", html=_table_layout(), url="http://citypaper.example/x")
    got = clean_page(page)
    # the story's paragraphs stay paragraphs (not one line of a table cell's text)
    assert got.text == "\n".join(STORY)
    assert [(r.rule, r.text, r.line) for r in got.removed] == [
        ("layout_table", "| Home | | News | | Sport |", None),
        ("layout_table", "| Print \\| Rate It \\| Send to friend |", None),
        ("layout_table", "| 0 Ratings |", None),
        ("layout_table", "| More stories from the city desk |", None),
        ("layout_table", "| Copyright 2008 City Paper |", None),
        ("title", "Council votes to rebuild harbour bridge", 0),
    ]
    # trafilatura alone keeps them
    plain = main_text(parse_html(_table_layout()), gate=False)
    assert "Rate It" in plain.text and "0 Ratings" in plain.text and not plain.layout_cuts


@pytest.mark.parametrize(
    "html",
    [
        _table_layout(wrap="<article>{}</article>"),  # a page of HTML5 sectioning
        # two tables (a toolbar, ratings) in a page of divs
        "<html><body><div><h1>Council votes to rebuild harbour bridge</h1>"
        "<table><tr><td>Print | Rate It | Send to friend</td></tr></table>"
        + "".join(f"<p>{p}</p>" for p in STORY)
        + "<table><tr><td>0 Ratings</td></tr></table></div></body></html>",
    ],
    ids=["sectioning", "two-tables"],
)
def test_a_page_not_laid_out_in_tables_keeps_trafilaturas_text(html):
    """Where readability's core loses parts of stories as often as boilerplate: pages with
    HTML5 sectioning elements, pages with fewer than three tables."""
    got = main_text(parse_html(html))
    assert got.layout_cuts == ()
    assert got.text == main_text(parse_html(html), gate=False).text

"""cleaners/xpaths.py: each Python transcription selects what trafilatura's expression
selects, in the same order, on cases written for each test of the expression and on the
development pages (whole trees, trafilatura's cleaned trees and the subtrees its
extractor prunes)."""

from __future__ import annotations

import gzip
import importlib
import json
from itertools import islice

import pytest
from lxml import etree
from trafilatura import settings as ts
from trafilatura import xpaths as tx
from trafilatura.core import _prepare_tree
from trafilatura.settings import Extractor

from newsclean.cleaners.extract import parse_html
from newsclean.cleaners.xpaths import TRANSCRIBED, path_of, selector
from tests.conftest import CORPUS, corpus_files

EXPRESSIONS = [
    tx.RAW_TREE_PRUNE_XPATH[0],
    tx.REMOVE_COMMENTS_AND_LISTS_XPATH[0],
    *tx.OVERALL_DISCARD_XPATH,
    tx.BODY_XPATH[0],
    tx.BODY_XPATH[2],
    tx.BODY_XPATH[3],
]


def _page(section: str) -> str:
    return (
        "<html><head><title>t</title></head><body><p>The story's first paragraph.</p>"
        f"{section}<p>The story's last paragraph.</p></body></html>"
    )


# (section, how many elements all seven expressions select in the page together)
CASES = [
    # comment sections and lists
    ("<div id='comments'><p>x</p></div>", 1),
    ("<section id='Comment-42'><p>x</p></section>", 1),
    ("<div id='commentary'><p>an essay</p></div>", 0),  # commentary is an article's kind
    ("<div class='commentary comment'><p>x</p></div>", 0),
    ("<div class='post-comments'><p>x</p></div>", 1),
    ("<div class='article-comments-wrap'><p>x</p></div>", 1),
    ("<ul id='comol'><li>x</li></ul>", 1),
    ("<ul id='disqus_thread'><li>a list: only two of the ids prune one</li></ul>", 0),
    ("<ol class='comment-list'><li>x</li></ol>", 1),
    ("<details id='dsq-comments'><p>x</p></details>", 1),
    ("<div id='x-comments'><p>the word inside the id, not at its start</p></div>", 0),
    # add-post boxes and infinite scrolls
    ("<aside class='mvp-post-add-box'><h1>the box goes, headline and all</h1></aside>", 1),
    ("<div class='infinite-scroll'><b>more</b></div>", 1),
    ("<div id='infinitescroll'><h1>a headline inside: kept</h1></div>", 0),
    # discarded blocks: role, data attributes, consent (the first of id and class)
    ("<div role='Navigation'><b>x</b></div>", 1),
    ("<span data-lp-replacement-content=''>x</span>", 1),
    ("<div data-component='MostPopularStories'><b>x</b></div>", 1),
    ("<div id='cookie-banner' class='x'><b>x</b></div>", 1),
    ("<div class='cookiewall' id='x'><b>x</b></div>", 1),  # the class is written first
    ("<div id='x' class='cookiewall'><b>x</b></div>", 0),  # the id first: "x"
    ("<p class='share-buttons'>x</p>", 1),
    ("<section id='sidebar'><b>x</b></section>", 1),
    ("<div class='my ad here'><b>x</b></div>", 1),
    ("<div class='subnav'><b>x</b></div>", 1),
    ("<article class='subnav'><b>an article: not a block these test</b></article>", 0),
    # hidden elements (any tag)
    ("<b style='display:none'>x</b>", 1),
    ("<b style='color: red; display: none'>x</b>", 1),
    ("<b id='hidden-x' style='color: red'>x</b>", 1),
    ("<b style='visibility: hidden' id='a'>x</b>", 1),  # style before id: style is read
    ("<b id='a' style='visibility: hidden'>x</b>", 0),  # id first: "a"
    ("<b class='reply-to' id='q'>x</b>", 1),
    ("<b aria-hidden='true'>x</b>", 1),
    ("<h2 class='comments-title'>x</h2>", 1),
    ("<i class='x hide'>x</i>", 1),
    ("<i class='hide'>x</i>", 0),  # " hide" needs the space
    ("<i id='akismet-field'>x</i>", 1),
    # content: the first matching child of each parent, the first story, the first main
    # the outer entry and the inner (each its parent's first), not the later sibling
    ("<div class='entry'><div class='entry'>in</div></div><div class='post'>2nd</div>", 2),
    ("<div itemprop='articleBody'>x</div>", 1),
    ("<main id='article-content'>x</main>", 1),
    ("<div class='FullText'>x</div><div class='story'>y</div>", 1),
    ("<section id='primary-col'>x</section>", 1),
    ("<div role='article'>x</div>", 1),
    ("<div id='Main-Content'>x</div>", 1),
    ("<div class='Page-Content'>x</div>", 1),
    ("<div class='content'><div id='content'>x</div></div>", 1),
]


# (section, how many elements the baseline's cleaning selects in the page)
BASIC_CASES = [
    ("<aside><p>x</p></aside><footer>y</footer><script>z</script><style>s</style>", 4),
    ("<svg><g/></svg><template><p>t</p></template><fencedframe></fencedframe>", 3),
    # nested: the inner element is selected too, after its ancestor (document order)
    ("<footer><aside>x</aside></footer>", 2),
    ("<div class='site-footer'>x</div><div id='footer-links'>y</div>", 2),
    ("<div id='footer' class='x'>x</div>", 1),  # the id is written first
    ("<div class='x' id='footer'>x</div>", 0),  # the class first: "x"
    ("<span class='footer'>a span: only a div is tested for footer</span>", 0),
    ("<div class='Cookie-Banner'>x</div><p id='CMPLZ-notice'>y</p>", 2),
    ("<b class='cookie_notice'>x</b><i id='onetrust-sdk'>y</i>", 2),
    ("<div class='cookies-not-set'>a page's body class: kept</div>", 0),
    ("<div class='consent-form'>x</div><p>cookie banner in text only</p>", 0),
]


@pytest.mark.parametrize(("section", "selected"), CASES)
def test_each_transcription_selects_what_its_expression_selects(section, selected):
    tree = parse_html(_page(section))
    found = 0
    for expression in EXPRESSIONS:
        expected = expression(tree)
        assert TRANSCRIBED[path_of(expression)](tree) == expected, path_of(expression)[:60]
        found += len(expected)
    assert found == selected


@pytest.mark.parametrize(("section", "selected"), BASIC_CASES)
def test_the_baseline_cleaning_selects_what_its_expression_selects(section, selected):
    tree = parse_html(_page(section))
    expected = ts.BASIC_CLEAN_XPATH(tree)
    assert TRANSCRIBED[path_of(ts.BASIC_CLEAN_XPATH)](tree) == expected
    assert len(expected) == selected


def test_every_transcription_is_installed_in_trafilatura():
    from trafilatura import external, main_extractor

    # (the package's name `baseline` is its function of that name, not the module)
    baseline = importlib.import_module("trafilatura.baseline")

    assert not isinstance(baseline.BASIC_CLEAN_XPATH, etree.XPath)
    assert all(not isinstance(x, etree.XPath) for x in main_extractor.OVERALL_DISCARD_XPATH)
    assert all(not isinstance(x, etree.XPath) for x in external.OVERALL_DISCARD_XPATH)
    installed = [x for x in main_extractor.BODY_XPATH if not isinstance(x, etree.XPath)]
    assert len(installed) == 3
    # an expression no transcription names stays the expression
    other = etree.XPath(".//div[@id='x']")
    assert selector(other) is other


def test_the_transcriptions_equal_trafilaturas_expressions_on_real_pages():
    news = CORPUS / "news.jsonl.gz"
    if not news.exists():
        pytest.skip(f"development news pages not found at {news} (beside the checkout in CI)")
    options = Extractor(output_format="python", comments=False)
    compared = 0
    for path in (news, *corpus_files()):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in islice(fh, 0, None, 4):
                rec = json.loads(line)
                tree = parse_html(rec["html"])
                if tree is None:
                    continue
                cleaned, _ = _prepare_tree(tree, options, rec["url"])
                for context in (tree, cleaned, *tx.BODY_XPATH[0](cleaned)[:2]):
                    for expression in (*EXPRESSIONS, ts.BASIC_CLEAN_XPATH):
                        expected = expression(context)
                        assert TRANSCRIBED[path_of(expression)](context) == expected
                        compared += bool(expected)
    assert compared > 2000, compared

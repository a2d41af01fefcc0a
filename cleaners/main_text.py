"""The page's main text: trafilatura's extraction cascade, with its fallback comparison
run only where it can change the result.

trafilatura (balanced mode, comments off, as newsclean calls it) extracts with its own
rules, then compares the result with readability-lxml and jusText on *every* page, which
is about a third of its time. The comparison can only replace trafilatura's text when
(trafilatura.external.compare_extraction):

- jusText: the text is shorter than ``min_extracted_size`` (250 characters), or it holds
  elements the sanitiser would remove ("unclean");
- readability: the text is empty, readability's text is more than twice as long, or the
  text is structurally deficient (no paragraph text, more tables than paragraphs).

Readability's text is part of the page's text, so it cannot be twice as long as ours
where the page's whole text is not. Those exact conditions still compare on 86 % of the
development pages, mostly long articles on pages with much other text, where readability
almost never wins. ``compare_needed`` keeps the conditions that decide most changes: a
short text (under ``SHORT`` characters) on a page with much more text, a text under the
jusText threshold, a structurally deficient or unclean text. Measured with
``benchmarks/fallback_gate.py`` on the 1,940 development pages: the comparison runs on
45 % of them and the gate misses 1 of the 78 pages where it changes the text; the
comparison costs about 6 ms where it runs.

``trafilatura_sequence`` below is trafilatura 2.3's ``core.trafilatura_sequence`` with
the options newsclean uses fixed (no comments, balanced focus) and the gate in stage 2;
it calls trafilatura's own functions for every stage, so a lock update that changes them
changes this too (tests compare it with ``bare_extraction`` on real pages).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from itertools import islice

from lxml.etree import XPath, _Element, tostring
from lxml.html import HtmlElement
from trafilatura.baseline import _BLOCK_ELEMS, baseline, html2txt
from trafilatura.core import (
    ESCALATION_ACCEPT_RATIO,
    ESCALATION_JUSTEXT_RATIO,
    ESCALATION_MAX_LENGTH,
    ESCALATION_PAGE_SHARE,
    _forum_thread_page,
    _prepare_tree,
    _recall_retry,
)
from trafilatura.external import (
    SANITIZED_XPATH,
    compare_extraction,
    justext_rescue,
    sanitize_tree,
    try_readability,
)
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor
from trafilatura.xml import delete_element, xmltotxt
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

from newsclean.cleaners.xpaths import install, path_of, selector

LOGGER = logging.getLogger(__name__)

# trafilatura's main extractor reads Python transcriptions of its EXSLT expressions: the
# same elements, a quarter of the time (cleaners/xpaths.py)
install()

# readability's text can replace ours when it is more than twice as long; it is taken from
# the page's text, so a page whose whole text is under this multiple of ours cannot give
# it (a margin over 2 for the whitespace the two texts count differently).
PAGE_SHARE = 2.5
# Texts at least this long are kept without comparing. On the development pages the
# comparison replaced texts of up to 3,149 characters; at 1,500 the gate compared on 20 %
# of the pages and missed 9 (the aeb F1 rose by .002, but the readability texts it missed
# carried the duplicated blocks that removal precision counts); at 3,000 it misses one.
SHORT = 3000


@dataclass(frozen=True, slots=True)
class MainText:
    text: str
    compared: bool  # whether trafilatura's fallback comparison ran on the page
    # where a table layout's core took its place: trafilatura's own text (whose opening
    # the title rules read: the headline printed above the story is not in the core),
    # and the lines of it that the core left out
    own_text: str | None = None
    layout_cuts: tuple[str, ...] = ()


def _structurally_deficient(body: _Element) -> bool:
    return not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(
        body.findall(".//p")
    )


def compare_needed(
    body: _Element, text: str, page_chars: Callable[[], int], options: Extractor
) -> bool:
    """Whether readability or jusText may replace the main extractor's ``text``
    (``page_chars`` measures the page's text, asked only for a short text)."""
    return (
        len(text) < options.min_extracted_size
        or (len(text) < SHORT and page_chars() > PAGE_SHARE * len(text))
        or _structurally_deficient(body)
        or bool(body.xpath(SANITIZED_XPATH))
    )


def _page_chars(tree: HtmlElement) -> int:
    return len(" ".join(tree.text_content().split()))


_SCRIPT_TEXT = XPath(".//script//text() | .//style//text()")


def _page_bound(tree: HtmlElement) -> int:
    """An upper bound of ``len(html2txt(tree))``, the page measure of trafilatura's recall
    escalation, which costs about 5 ms (a copy of the tree, a cleaning XPath, its text).

    html2txt takes the text of the page's body, deletes what its cleaning deletes
    (scripts and styles among it), puts a space at the start of each block element's
    text and tail, and collapses whitespace. Deleting text never lengthens the collapsed
    text, deleting a script shortens it by at least the script's non-space characters,
    and each space put in lengthens it by at most one: the body's collapsed text, less
    its scripts' and styles' characters, plus two for each block element, bounds it.
    Where a short text is already a fifth of this bound the escalation cannot run, and
    html2txt is not needed: on 597 of the 861 development pages that reach the test."""
    body = tree.find(".//body")
    if body is None:
        body = tree
    scripts = sum(len("".join(t.split())) for t in _SCRIPT_TEXT(body))
    blocks = sum(1 for _ in body.iter(*_BLOCK_ELEMS))
    return _page_chars(body) - scripts + 2 * blocks


# trafilatura's raw-tree prunes evaluate EXSLT regular expressions, a Python callback for
# every element they test: 4.4 ms a page for the three. Each selects only elements whose
# id or class holds one of a few literal words (its regular expressions require them),
# so an expression none of whose words is in the page's source selects nothing and is
# not evaluated: on 84 %, 99 % and 26 % of the development pages, by expression. The
# only way an attribute holds a word its source does not is a character reference
# (``&#105;nfinite``): they are read first where the page has any. An expression the
# hints do not know (another trafilatura) is always evaluated.
_HINTS = {
    path_of(RAW_TREE_PRUNE_XPATH[0]): ("mvp-post-add-", "infinite"),
    path_of(RAW_TREE_PRUNE_XPATH[1]): ("elementor-share-buttons",),
    path_of(REMOVE_COMMENTS_AND_LISTS_XPATH[0]): ("omment", "comol", "disqus_thread"),
}
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));?")


def _as_read(match: re.Match[str]) -> str:
    hexa, decimal = match.groups()
    code = int(hexa, 16) if hexa else int(decimal)
    return chr(code) if code < 0x110000 else ""


def _may_select(source: str | None, expressions: list[XPath]) -> list[XPath]:
    """The expressions that may select an element of the page parsed from ``source``
    (all of them without it)."""
    if source is None:
        return expressions
    if "&#" in source:
        source = _CHARACTER_REFERENCE.sub(_as_read, source)
    return [
        expression
        for expression in expressions
        if (words := _HINTS.get(path_of(expression))) is None or any(w in source for w in words)
    ]


def trafilatura_sequence(
    tree: HtmlElement,
    options: Extractor,
    url: str | None,
    gate: bool = True,
    source: str | None = None,
) -> tuple[_Element, str, bool, _Element | None]:
    """(body, text, compared, replaced): trafilatura's cascade on ``tree`` (which it
    prunes in place), parsed from ``source``; with ``gate`` False, exactly
    trafilatura's. ``replaced``: trafilatura's own body where a table layout's core
    (``_layout_core``) took its place, else None."""
    is_forum = _forum_thread_page(tree)
    prunes = [*RAW_TREE_PRUNE_XPATH, *([] if is_forum else REMOVE_COMMENTS_AND_LISTS_XPATH)]
    # The gate measures the page's text before pruning: measured as a prune first
    # deletes, else (nothing pruned, most pages) only where a short text asks for it
    # (the tree is not changed again before the gate).
    measured: int | None = None
    for expression in _may_select(source if gate else None, prunes):
        found = selector(expression)(tree) if gate else expression(tree)
        if found and gate and measured is None:
            measured = _page_chars(tree)
        for subtree in found:
            delete_element(subtree)  # the tail text is kept (trafilatura's prune)
    cleaned_tree, cleaned_tree_backup = _prepare_tree(tree, options, url)

    # 1. main extractor; 2. comparison with readability and jusText where it can matter
    postbody, temp_text = extract_content(cleaned_tree, options)

    def page_chars() -> int:
        return measured if measured is not None else _page_chars(tree)

    compared = not gate or compare_needed(postbody, temp_text, page_chars, options)
    if compared:
        postbody, temp_text = compare_extraction(
            cleaned_tree_backup, copy(tree), postbody, temp_text, options
        )

    # 2b. a table layout's rows of links, toolbars and ratings: where readability agrees
    # on a shorter core, that core
    replaced = None
    if gate and _table_layout(tree):
        core = _layout_core(tree, temp_text, options)
        if core is not None:
            replaced, (postbody, temp_text) = postbody, core

    # 3. rescue: baseline on the original tree, accepted only if it adds text
    if len(temp_text) < options.min_extracted_size:
        b_body, b_text, b_len = baseline(tree)
        if b_len > len(temp_text):
            postbody, temp_text = b_body, b_text

    # 4. recall escalation: a short extraction covering little of the page
    if (
        0 < len(temp_text) < ESCALATION_MAX_LENGTH
        and len(temp_text) < ESCALATION_PAGE_SHARE * _page_bound(tree)
        and len(temp_text) < ESCALATION_PAGE_SHARE * len(html2txt(tree))
    ):
        r_options = copy(options)
        r_options.focus = "recall"
        r_text = j_text = ""
        try:
            r_body, r_text = _recall_retry(tree, r_options, url)
        except Exception as err:  # trafilatura's own guard  # pragma: no cover
            LOGGER.warning("recall retry failed: %s %s", err, url)
        try:
            j_body, j_text = justext_rescue(copy(tree), options)
        except Exception as err:  # pragma: no cover
            LOGGER.warning("justext candidate failed: %s %s", err, url)
        len_text, r_len, j_len = len(temp_text), len(r_text), len(j_text)
        if j_len > r_len and j_len > ESCALATION_JUSTEXT_RATIO * len_text:
            postbody, temp_text = j_body, j_text
        elif r_len >= options.min_extracted_size and r_len > ESCALATION_ACCEPT_RATIO * len_text:
            postbody, temp_text = r_body, r_text
    return postbody, temp_text, compared, replaced


# -- pages laid out in tables ---------------------------------------------------------------
# Pages of the 2000s lay the whole page out in tables: the story shares its cell, or the
# cells around it, with rows of toolbars (``Print | Rate It | Send to friend``), ratings,
# related stories and navigation, which trafilatura's rules, written for the markup of
# later pages, keep as text. readability-lxml scores blocks by their text and links and
# keeps the best one with its like siblings: where it finds a core that is shorter than
# trafilatura's text and that trafilatura's text holds almost wholly, the rest is what
# the two disagree on, and on these pages that is the layout's boilerplate. Measured on
# the l3s-gn1 pages of the development news pages (2008 sites; benchmarks/quality.py
# --sites-out), the core is taken on about one page in eight; on pages with HTML5
# sectioning elements readability's core loses parts of the story as often as
# boilerplate, so those are not asked.
_SECTIONING = ("article", "main", "section", "nav", "header", "footer")
# readability's core is taken when it is shorter than trafilatura's text, and that text
# holds at least this share of the core's words
CORE_INSIDE = 0.95
CORE_MIN_WORDS = 50  # a core shorter than this is a fragment, not the story
_WORDS = re.compile(r"\w+")
_LAYOUT_TAGS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
LAYOUT_TABLES = 3  # a page with a table or two uses them for data, not for its layout


def _table_layout(tree: HtmlElement) -> bool:
    """Whether the page is laid out in tables: LAYOUT_TABLES of them, no HTML5
    sectioning."""
    tables = sum(1 for _ in islice(tree.iter("table"), LAYOUT_TABLES))
    return tables == LAYOUT_TABLES and next(tree.iter(*_SECTIONING), None) is None


def _layout_core(tree: HtmlElement, text: str, options: Extractor) -> tuple[_Element, str] | None:
    """(body, text) of readability's core of a table layout where it is shorter than
    ``text`` and ``text`` holds it (CORE_INSIDE), else None."""
    ours = Counter(_WORDS.findall(text.lower()))
    core_body = try_readability(copy(tree))
    core_text = " ".join(tostring(core_body, method="text", encoding="unicode").split())
    core = Counter(_WORDS.findall(core_text.lower()))
    n_ours, n_core = sum(ours.values()), sum(core.values())
    if CORE_MIN_WORDS <= n_core < n_ours and sum((core & ours).values()) >= CORE_INSIDE * n_core:
        # the core's tables are the layout's: as blocks, its paragraphs stay paragraphs
        # (as table cells they would run into one line of cell text, "| ... |")
        for el in core_body.iter(*_LAYOUT_TAGS):
            el.tag = "div"
        return sanitize_tree(core_body, options)
    return None


def _left_out(lines: list[str], kept: str) -> tuple[str, ...]:
    """The ``lines`` (of trafilatura's text) whose words the ``kept`` text does not hold
    in their order (a table's cell marks aside: ``| | Story``, ``| Story |``)."""
    held = f" {' '.join(_WORDS.findall(kept))} "
    return tuple(
        line
        for line in lines
        if (words := _WORDS.findall(line)) and f" {' '.join(words)} " not in held
    )


OPTIONS = Extractor(output_format="python", comments=False)


def main_text(
    tree: HtmlElement, url: str | None = None, gate: bool = True, source: str | None = None
) -> MainText | None:
    """The main text of a parsed page as ``bare_extraction(tree, include_comments=False)``
    gives it (None where it gives none), with the comparison gated; ``source`` is the
    HTML the tree was parsed from, where the caller has it. The tree is pruned in place:
    the caller reads what else it needs from it first."""
    options = copy(OPTIONS)
    options.url = options.source = url
    try:
        body, text, compared, replaced = trafilatura_sequence(tree, options, url, gate, source)
    except (TypeError, ValueError):  # what bare_extraction treats as "no text"
        return None
    if len(text) < options.min_output_size:
        return None
    text = xmltotxt(body, options.formatting)
    if replaced is None:
        return MainText(text, compared)
    own = xmltotxt(replaced, options.formatting)
    return MainText(text, compared, own, _left_out(own.splitlines(), text))

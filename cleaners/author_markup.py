"""The byline in the page's markup: trafilatura's ``metadata.extract_author``, the same
decisions without copying the tree.

trafilatura copies the whole tree, deletes from the copy what cannot hold the byline
(comments, sidebars, quotes, dates, figures) and then evaluates three XPath expressions
with EXSLT regular expressions, each a Python callback per element: about 9.5 ms a
page where the metadata names no author (half the pages). Here one walk finds the few
elements any of the three expressions may return, tests decide which each would,
an element is passed over where trafilatura would have deleted it or an ancestor, and
its text is read as the pruned copy would give it (a deleted element's tail joins the
text before it). The tests below transcribe ``trafilatura.xpaths.AUTHOR_XPATHS`` and
``AUTHOR_DISCARD_XPATHS`` (trafilatura 2.3); tests compare the result with
trafilatura's own on real pages.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.metadata import normalize_authors
from trafilatura.utils import trim

# AUTHOR_DISCARD_XPATHS[0]: .//*[self::a or self::div or self::section or self::span][…]
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    r"|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
# AUTHOR_DISCARD_XPATHS[1]: //time|//figure
_DISCARD_ALWAYS = frozenset({"time", "figure"})

# AUTHOR_XPATHS[0]: specific and almost specific
_TAGS_1 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_CLASS_1 = re.compile(r"author-?name|AuthorName|authorName")
# AUTHOR_XPATHS[1]: almost generic and generic
_TAGS_2 = frozenset({"a", "div", "h3", "h4", "p", "span"})
_ID_2 = re.compile(r"author|zuozhe|bianji|xiaobian")
_CLASS_2 = re.compile(
    r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
# AUTHOR_XPATHS[2]: last resort, any element
_ID_3 = re.compile(r"[Aa]uthor")
_CLASS_3 = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")

_LEN_LIMIT = 120


def _discarded(el: HtmlElement) -> bool:
    """Whether trafilatura's AUTHOR_DISCARD_XPATHS delete ``el`` (with what it holds)."""
    tag = el.tag
    if tag in _DISCARD_ALWAYS:
        return True
    if tag not in _DISCARD_TAGS:
        return False
    cls, ident = el.get("class", ""), el.get("id", "")
    return (
        ident == "comments"
        or cls in ("comments", "title", "date")
        or bool(_DISCARD_ID.search(ident))
        or bool(_DISCARD_CLASS.search(cls))
        or "Figure" in el.get("data-component", "")
    )


def _first(el: HtmlElement, tag: str, cls: str, ident: str) -> bool:
    if tag == "author":
        return True
    return tag in _TAGS_1 and (
        el.get("rel") == "author"
        or ident == "author"
        or cls == "author"
        or el.get("itemprop") == "author name"
        or el.get("data-testid") in ("AuthorCard", "AuthorURL")
        or bool(_CLASS_1.search(cls))
    )


def _second(el: HtmlElement, tag: str, cls: str, ident: str) -> bool:
    return tag in _TAGS_2 and (
        cls in ("byline", "username", "byl", "BBL")
        or "author" in el.get("itemprop", "")
        or bool(_ID_2.search(ident))
        or bool(_CLASS_2.search(cls))
    )


def _third(el: HtmlElement, cls: str, ident: str) -> bool:
    return (
        "Byline" in el.get("data-component", "")
        or "author" in el.get("itemprop", "")
        or bool(_ID_3.search(ident))
        or bool(_CLASS_3.search(cls))
    )


# Every test above needs one of these words in one of the element's attribute values
# (``author`` in itemprop and rel, ``Author`` in data-testid, ``Byline`` in
# data-component): an element none of whose values holds one is none of the
# expressions' (but an <author> element), and most elements are such. One search of
# its values decides that, where the three tests cost seven (2.5 ms a page where the
# metadata names no author).
_AUTHOR_WORDS = re.compile(
    r"uthor|zuozhe|bianji|xiaobian|channel-name|submitted-by|posted-by|journalist-name"
    r"|byl|Byline|BBL|username|screenname|writer"
)


def _dropped(el: HtmlElement) -> bool:
    """Whether trafilatura's pruned copy has lost ``el`` (itself or an ancestor below the
    root discarded)."""
    while (parent := el.getparent()) is not None:
        if _discarded(el):
            return True
        el = parent
    return False


def _pruned_text(el: HtmlElement) -> str:
    """``" ".join(el.itertext())`` as it reads once the discarded elements are deleted
    with their tails kept (trafilatura's ``delete_element``): a deleted element's tail
    is appended to the previous surviving sibling's tail, else to the parent's text."""
    pieces: list[str | None] = []

    def walk(node: HtmlElement) -> None:
        pieces.append(node.text)
        for child in node:
            if _discarded(child):
                if child.tail:
                    pieces[-1] = (pieces[-1] or "") + child.tail
            else:
                walk(child)
                pieces.append(child.tail)

    walk(el)
    return " ".join(p for p in pieces if p is not None)


def markup_author(tree: HtmlElement) -> str | None:
    """What ``trafilatura.metadata.extract_author(tree)`` returns, without copying or
    changing the tree."""
    found: tuple[list, list, list] = ([], [], [])
    search = _AUTHOR_WORDS.search
    for el in tree.iter(etree.Element):
        tag = el.tag
        if tag != "author" and not ((values := el.values()) and search(" ".join(values))):
            continue
        if _dropped(el):
            continue
        cls, ident = el.get("class", ""), el.get("id", "")
        if _first(el, tag, cls, ident):
            found[0].append(el)
        if _second(el, tag, cls, ident):
            found[1].append(el)
        if _third(el, cls, ident):
            found[2].append(el)
    for candidates in found:
        for el in candidates:
            content = trim(_pruned_text(el))
            if content and 2 < len(content) < _LEN_LIMIT:
                return normalize_authors(None, content)
    return None


# -- a byline printed as the story's first paragraph ----------------------------------------

_BOLD_PARAGRAPHS = etree.XPath("//p[strong or b]")
_BYLINE_MAX_CHARS = 80
# the paragraph after a byline is the story's first: a sentence or more
_STORY_MIN_WORDS = 20


def _words(el: HtmlElement) -> list[str]:
    return el.text_content().split()


def _only_emphasis(el: HtmlElement, tags: tuple[str, ...]) -> bool:
    """Whether all of ``el``'s text stands in its children of ``tags``."""
    whole = "".join(el.text_content().split())
    inside = "".join("".join(c.text_content().split()) for c in el if c.tag in tags)
    return whole == inside


def opening_byline(tree: HtmlElement) -> str | None:
    """The byline some pages print as the story's first paragraph, bold and alone
    (``<p><strong>Jane Doe/John Roe</strong></p>``): a bold-only paragraph of at most
    _BYLINE_MAX_CHARS characters that no paragraph of plain text precedes in its block
    (a standfirst in italics may) and that the story's first paragraph follows. Its
    text, with ``/`` as the separator it is; whether it is names, ``authors`` decides."""
    for p in _BOLD_PARAGRAPHS(tree):
        words = _words(p)
        if not words or len(" ".join(words)) > _BYLINE_MAX_CHARS:
            continue
        if not _only_emphasis(p, ("strong", "b")):
            continue
        before = [s for s in p.itersiblings(preceding=True) if s.tag == "p" and _words(s)]
        if any(not _only_emphasis(s, ("em", "i")) for s in before):
            continue
        after = next((s for s in p.itersiblings() if s.tag == "p" and _words(s)), None)
        if after is None or len(_words(after)) < _STORY_MIN_WORDS:
            continue
        return " ".join(words)
    return None

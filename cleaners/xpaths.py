"""Python transcriptions of trafilatura's XPath expressions that test attributes with
EXSLT regular expressions.

lxml evaluates ``re:test(...)`` by calling back into Python for every element the
expression tests: trafilatura's main extractor spends about 4 ms a page in five such
expressions (the discard lists run on every candidate subtree, the content expressions
until one finds the article). A walk over the same elements with the same regular
expressions on the same attribute values costs a quarter of that. Each function returns
the elements its expression returns, in the same order (tests compare them on cases and
on the development pages), so trafilatura decides exactly as before.

How lxml reads an attribute in these expressions, which the walks follow:

- a missing attribute is the empty string, which none of the regular expressions matches,
  so an element without attributes is never selected;
- ``@id|@class`` is the first of the two in the order the page writes them (XPath's
  string value of a node-set is its first node's);
- ``re:test(s, p, 'i')`` is ``re.search(p, s, re.IGNORECASE)``.

``install()`` hands the transcriptions to trafilatura's main extractor, its fallback and
its baseline's cleaning (module names they read at call time), only for expressions
whose text is the one transcribed here: another trafilatura keeps its own. It changes
how fast trafilatura decides, never what it decides; it is the one place newsclean
changes trafilatura.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import cache

from lxml import etree
from trafilatura import settings as ts
from trafilatura import xpaths as tx

Selector = Callable[[etree._Element], list]


@cache
def path_of(expression: etree.XPath) -> str:
    """The expression's text, whitespace collapsed: what names it across imports (once
    an expression: the prunes are looked up by it on every page)."""
    return " ".join(expression.path.split())


def _first_of(el: etree._Element, names: tuple[str, str]) -> str:
    """``@a|@b`` as a string: the first of the two attributes the element writes."""
    for key, value in el.items():
        if key in names:
            return value
    return ""


# -- trafilatura's raw-tree prunes (core.py, run by cleaners/main_text.py) -----------------

_POST_ADD_OR_SCROLL = re.compile(r"mvp-post-add-(?:box|wrap)|infinite-?scroll")
_POST_ADD = re.compile(r"mvp-post-add-(?:box|wrap)")
_COMMENT_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)")
_COMMENT_LIST_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol)")
_COMMENT_CLASS = re.compile(r"^[Cc]omment(?!ary)|(?:article|post)-comments")


def post_add_boxes(tree: etree._Element) -> list:
    """RAW_TREE_PRUNE_XPATH[0]: sections of an "add post" box or an infinite scroll
    (without a headline inside, for the scroll)."""
    found = []
    for el in tree.iterdescendants("div", "section", "aside"):
        ident, cls = el.get("id", ""), el.get("class", "")
        if not (_POST_ADD_OR_SCROLL.search(ident) or _POST_ADD_OR_SCROLL.search(cls)):
            continue
        if (
            next(el.iterdescendants("h1"), None) is None
            or _POST_ADD.search(ident)
            or _POST_ADD.search(cls)
        ):
            found.append(el)
    return found


def comment_sections(tree: etree._Element) -> list:
    """REMOVE_COMMENTS_AND_LISTS_XPATH[0]: the sections and lists of comments."""
    found = []
    for el in tree.iterdescendants("div", "list", "section", "details", "ol", "ul"):
        ident = el.get("id", "")
        by_class = _COMMENT_CLASS.search(el.get("class", "")) is not None
        if not (by_class or _COMMENT_ID.search(ident)):
            continue
        if el.tag not in ("ol", "ul") or by_class or _COMMENT_LIST_ID.search(ident):
            found.append(el)
    return found


# -- the main extractor's discard lists (OVERALL_DISCARD_XPATH) -----------------------------

_CONSENT = re.compile(tx._alt(tx._CONSENT_ID_CLASS_TOKENS))
_DISCARD_ID = re.compile(tx._alt(tx._OVERALL_DISCARD_BOTH_TOKENS + tx._OVERALL_DISCARD_ID_TOKENS))
_DISCARD_CLASS = re.compile(
    tx._alt(tx._OVERALL_DISCARD_BOTH_TOKENS + tx._OVERALL_DISCARD_CLASS_TOKENS)
)
_BLOCKS = ("div", "item", "list", "p", "section", "span")


def discarded_blocks(tree: etree._Element) -> list:
    """OVERALL_DISCARD_XPATH[0]: blocks of navigation, sharing, consent, ads, footers,
    related links and the like, by their role, id or class."""
    found = []
    for el in tree.iterdescendants(*_BLOCKS):
        if not len(el.attrib):
            continue
        get = el.get
        ident, cls = get("id", ""), get("class", "")
        if (
            get("data-lp-replacement-content") is not None
            or "nav" in get("role", "").replace("N", "n")
            or "MostPopularStories" in get("data-component", "")
            or _DISCARD_ID.search(ident)
            or _DISCARD_CLASS.search(cls)
            or (
                (_CONSENT.search(ident) or _CONSENT.search(cls))
                and _CONSENT.search(_first_of(el, ("id", "class")))
            )
        ):
            found.append(el)
    return found


_HIDDEN_ID = re.compile("reader-comments|akismet")
_HIDDEN_CLASS = re.compile(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-"
    "|hide-print| hidden| hide|noprint|notloaded"
)


def hidden_elements(tree: etree._Element) -> list:
    """OVERALL_DISCARD_XPATH[1]: hidden elements, comment titles and replies."""
    found = []
    for el in tree.iterdescendants(etree.Element):
        if not len(el.attrib):
            continue
        get = el.get
        style, cls, ident = get("style", ""), get("class", ""), get("id", "")
        # (the first of two attributes is read only where one of them could match)
        if (
            cls == "comments-title"
            or "display:none" in style
            or "display: none" in style
            or get("aria-hidden") == "true"
            or _HIDDEN_CLASS.search(cls)
            or _HIDDEN_ID.search(ident)
            or (
                ("hidden" in ident or "hidden" in style)
                and "hidden" in _first_of(el, ("id", "style"))
            )
            or (
                (ident.startswith("reply-") or cls.startswith("reply-"))
                and _first_of(el, ("id", "class")).startswith("reply-")
            )
        ):
            found.append(el)
    return found


# -- the main extractor's content expressions (BODY_XPATH) ----------------------------------

_CONTENT = ("article", "div", "main", "section")
_ARTICLE_ID = re.compile(tx._alt(tx._ARTICLE_CONTENT_ID_TOKENS))
_ARTICLE_CLASS = re.compile(tx._alt(tx._ARTICLE_CONTENT_CLASS_TOKENS))


def _article_content(el: etree._Element) -> bool:
    get = el.get
    cls, ident = get("class", ""), get("id", "")
    return (
        cls in ("post", "entry")
        or get("itemprop") == "articleBody"
        or ident == "articleContent"
        or _ARTICLE_ID.search(ident) is not None
        or _ARTICLE_CLASS.search(cls) is not None
    )


def article_contents(tree: etree._Element) -> list:
    """BODY_XPATH[0]: ``.//*[…][1]``, the first element of each parent's children that
    holds an article's content by its class, id or itemprop."""
    found, parents = [], set()
    for el in tree.iterdescendants(*_CONTENT):
        if len(el.attrib) and _article_content(el):
            parent = el.getparent()
            if parent not in parents:
                parents.add(parent)
                found.append(el)
    return found


_STORY_ID = re.compile(tx._alt(tx._STORY_ID_TOKENS))
_STORY_CLASS = re.compile(tx._alt(tx._STORY_CLASS_TOKENS))
_FULLTEXT = re.compile("fulltext", re.IGNORECASE)
_STORY_CLASSES = frozenset(("postarea", "art-postcontent", "text", "cell", "story"))


def _story(el: etree._Element) -> bool:
    get = el.get
    cls, ident = get("class", ""), get("id", "")
    return (
        get("role") == "article"
        or ident in ("article", "story")
        or cls in _STORY_CLASSES
        or _STORY_ID.search(ident) is not None
        or _FULLTEXT.search(cls) is not None
        or _STORY_CLASS.search(cls) is not None
    )


_MAIN_ID = re.compile(tx._alt(tx._MAIN_CONTENT_ID_TOKENS))
_MAIN_CLASS = re.compile(tx._alt(tx._MAIN_CONTENT_CLASS_TOKENS))


def _main_content(el: etree._Element) -> bool:
    get = el.get
    cls, ident = get("class", ""), get("id", "")
    return (
        ident == "content"
        or cls == "content"
        or _MAIN_ID.search(ident) is not None
        or _MAIN_CLASS.search(cls) is not None
        or "main-content" in ident.replace("C", "c").replace("M", "m")
        or "main-content" in cls.replace("C", "c").replace("M", "m")
        or "page-content" in cls.replace("C", "c").replace("P", "p")
    )


def _first_content(test: Callable[[etree._Element], bool]) -> Selector:
    """``(.//*[self::article or …][test])[1]``: the first such element, as a list."""

    def select(tree: etree._Element) -> list:
        for el in tree.iterdescendants(*_CONTENT):
            if len(el.attrib) and test(el):
                return [el]
        return []

    return select


stories = _first_content(_story)
main_contents = _first_content(_main_content)


# -- the baseline's cleaning (settings.BASIC_CLEAN_XPATH) ---------------------------------
# Run by html2txt (the page measure of trafilatura's recall escalation), the baseline and
# the jusText rescue: 6 to 9 ms a page as an expression, which tests two attributes of
# every element with a regular expression.

_BASIC_CLEAN_TAGS = frozenset(
    ("aside", "fencedframe", "footer", "script", "style", "svg", "template")
)
_COOKIE_CONSENT = re.compile(ts._COOKIE_CONSENT_RE, re.IGNORECASE)


def basic_cleaning_targets(tree: etree._Element) -> list:
    """BASIC_CLEAN_XPATH: asides, footers (by tag, or a div whose first of class and id
    says footer), scripts, styles, frames and templates, and cookie banners by class or
    id."""
    found = []
    for el in tree.iterdescendants(etree.Element):
        if el.tag in _BASIC_CLEAN_TAGS:
            found.append(el)
            continue
        get = el.get
        cls, ident = get("class"), get("id")
        if cls is None and ident is None:
            continue
        if (
            (cls is not None and _COOKIE_CONSENT.search(cls))
            or (ident is not None and _COOKIE_CONSENT.search(ident))
            or (
                el.tag == "div"
                and ("footer" in (cls or "") or "footer" in (ident or ""))
                and "footer" in _first_of(el, ("class", "id"))
            )
        ):
            found.append(el)
    return found


TRANSCRIBED: dict[str, Selector] = {
    path_of(tx.RAW_TREE_PRUNE_XPATH[0]): post_add_boxes,
    path_of(tx.REMOVE_COMMENTS_AND_LISTS_XPATH[0]): comment_sections,
    path_of(tx.OVERALL_DISCARD_XPATH[0]): discarded_blocks,
    path_of(tx.OVERALL_DISCARD_XPATH[1]): hidden_elements,
    path_of(tx.BODY_XPATH[0]): article_contents,
    path_of(tx.BODY_XPATH[2]): stories,
    path_of(tx.BODY_XPATH[3]): main_contents,
    path_of(ts.BASIC_CLEAN_XPATH): basic_cleaning_targets,
}


def selector(expression: etree.XPath) -> Selector:
    """The expression's transcription where there is one, else the expression."""
    if not hasattr(expression, "path"):
        return expression  # a transcription already
    return TRANSCRIBED.get(path_of(expression), expression)


def install() -> None:
    """trafilatura's main extractor, fallback and baseline cleaning read the
    transcriptions (see above)."""
    from trafilatura import external, main_extractor

    # (the package's name `baseline` is its function of that name, not the module)
    baseline = importlib.import_module("trafilatura.baseline")

    baseline.BASIC_CLEAN_XPATH = selector(baseline.BASIC_CLEAN_XPATH)
    for module, name in (
        (main_extractor, "BODY_XPATH"),
        (main_extractor, "OVERALL_DISCARD_XPATH"),
        (external, "OVERALL_DISCARD_XPATH"),
    ):
        setattr(module, name, [selector(x) for x in getattr(module, name)])

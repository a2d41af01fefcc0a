"""Main-text extraction from HTML with trafilatura, plus the page's metadata and the
caption texts its markup declares. The page is parsed once: the same lxml tree feeds the
caption lookup and trafilatura.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.utils import (
    DOCTYPE_TAG,
    FAULTY_HTML,
    is_dubious_html,
    repair_faulty_html,
)

from newsclean.cleaners.author_markup import markup_author, opening_byline
from newsclean.cleaners.authors import is_source_credit, json_ld_byline, people, printed_byline
from newsclean.cleaners.compose import Rule, first, refine
from newsclean.cleaners.dates import DATE_RULES, DateContext
from newsclean.cleaners.json_ld import JsonLd, article_authors, article_headline, read_json_ld
from newsclean.cleaners.main_text import main_text
from newsclean.cleaners.normalize import fold, normalize_line
from newsclean.cleaners.titles import (
    LOOSE_HEADING_SHARE,
    STRONG_HEADING_SHARE,
    first_block,
    heading_of,
    headline,
    is_site_name,
    link_block,
    loose_headline,
    names_the_article,
    opening_headline,
    opening_line,
    printed_everywhere,
    printed_headline,
    section_label,
    site_keys,
    trimmed,
    weak_title,
)

# newsclean's own parser, configured as trafilatura's (comments and processing
# instructions dropped, no ids collected), so that importing newsclean never changes
# trafilatura's global parser. lxml.html picks each element's Python class (FormElement,
# InputElement, …) through a Python callback, called for every element trafilatura
# touches: about a million calls on the development corpus. Every element as a plain
# HtmlElement, chosen in C, gives the same text, title, author and date on all 761
# development pages and saves about 2 ms a page.
ELEMENT_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement,
    comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity,
)
PARSER = lxml_html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
PARSER.set_element_class_lookup(ELEMENT_LOOKUP)

# Markup that holds an image caption: <figcaption>, elements whose class says caption,
# and the alt/title text of images. Sites print these again in the body as plain text.
# One compiled XPath finds the candidates; the class tokens are checked in Python, which
# is cheaper than XPath string functions on every element.
_CAPTION_CANDIDATES = etree.XPath("//figcaption | //*[contains(@class, 'caption')]")
_IMAGE_TEXTS = etree.XPath("//img/@alt | //img/@title")
_CAPTION_CLASSES = re.compile(
    r"(?:^|[\s_-])(?:wp-)?caption(?:-text)?(?:$|\s)|(?:image|img|photo)-caption"
)
_MAX_CAPTION_CHARS = 600


@dataclass(frozen=True, slots=True)
class Extraction:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 day, as trafilatura/htmldate give it
    sitename: str | None = None
    captions: tuple[str, ...] = field(default_factory=tuple)
    # the rule each of title, date and author came from (cleaners/compose.py)
    provenance: dict[str, str] = field(default_factory=dict)
    # the lines a table layout's core left out of trafilatura's text (main_text.py)
    layout_cuts: tuple[str, ...] = ()


def _markup_captions(tree: lxml_html.HtmlElement) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for el in _CAPTION_CANDIDATES(tree):
        if el.tag != "figcaption" and not _CAPTION_CLASSES.search(el.get("class", "")):
            continue
        text = normalize_line(el.text_content())
        if 0 < len(text) <= _MAX_CAPTION_CHARS:
            found.setdefault(text)
    for value in _IMAGE_TEXTS(tree):
        text = normalize_line(str(value))
        if 0 < len(text) <= _MAX_CAPTION_CHARS and len(text.split()) >= 3:
            found.setdefault(text)
    return tuple(found)


_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)


def _close_title(html: str) -> str:
    """A <title> that is never closed swallows the whole page into the title's text, and
    lxml builds no <body> (2008 Google News pages: a script or a comment breaks into the
    title). Closed at the end of its first line, the page parses."""
    m = _TITLE_OPEN.search(html, 0, 20_000)
    if m is None or _TITLE_CLOSE.search(html, m.end()):
        return html
    end = html.find("\n", m.end())
    return html if end < 0 else f"{html[:end]}</title>{html[end:]}"


_HTML_START_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


# Characters libxml2 refuses, which trafilatura's repair removes with a regular expression
# over the whole page (0.8 ms a page); a page without any (nearly all) needs no pass. A
# search for each character alone (C's own scan of the string) costs a third of the
# regular expression's.
_INVALID_XML = tuple(map(chr, (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)))


def _repaired(html: str, beginning: str) -> str:
    """trafilatura's ``repair_faulty_html``: the same string, without its search for
    invalid characters where a scan for each finds none."""
    if any(char in html for char in _INVALID_XML):
        return repair_faulty_html(html, beginning)
    if "doctype" in beginning:
        firstline, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", html, count=1)
    return html


def parse_html(html: str) -> lxml_html.HtmlElement | None:
    """The page's tree, parsed the way trafilatura's ``load_html`` parses a string (the
    same repairs and the same test for text that is not HTML), with newsclean's parser."""
    beginning = html[:50].lower()
    html = _close_title(_repaired(html, beginning))
    tree = _parse(html)
    if tree is not None and len(tree) < 1:
        # An <html> start tag cut off by the scraper (`<html xmogo.jpg" alt="…`) leaves a
        # quote open: lxml then builds an empty tree. The tag as a bare <html>, it parses.
        repaired = _parse(_HTML_START_TAG.sub("<html>", html, count=1))
        tree = repaired if repaired is not None and len(repaired) else tree
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


def _parse(html: str) -> lxml_html.HtmlElement | None:
    tree = None
    # a str with an encoding declaration raises ValueError: lxml wants bytes then
    with contextlib.suppress(ValueError, etree.LxmlError):
        tree = lxml_html.fromstring(html, parser=PARSER)
    if tree is None or len(tree) < 1:
        try:
            tree = lxml_html.fromstring(html.encode("utf-8", "surrogatepass"), parser=PARSER)
        except (ValueError, etree.LxmlError):
            return None
    return tree


_H1, _H2 = etree.XPath("//h1"), etree.XPath("//h2")
_PAGE_TITLE = etree.XPath("(//title)[1]")
_COPYRIGHT = etree.XPath(
    "//meta[@name='copyright' or @name='dcterms.rightsHolder' or @name='rights']/@content"
)
# Where a page may print its headline: headings, elements whose class or id says
# headline or title, and bold text that stands alone in its block (2008 table layouts).
# Found by walking the tree in Python: the same elements as an XPath with EXSLT regex
# tests on @class and @id, at a fifth of its cost (1.3 against 6 ms a page). "sh" is
# BBC's story headline (2000-2010), a class token of its own.
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "b", "strong"})
_BBC_STORY_HEADLINE = r"(?:^|\s)sh(?:\s|$)"
_HEAD_OR_TITLE = re.compile(rf"head|title|{_BBC_STORY_HEADLINE}", re.IGNORECASE)
_HEADLINE_CLASS = re.compile(
    r"headline|story.?head|art.*title|article.?title|news.?title|contentheading"
    rf"|post.?title|entry.?title|{_BBC_STORY_HEADLINE}",
    re.IGNORECASE,
)
_BOLD = 6  # the rank of bold text that stands alone in its block
_TAG_RANK = {"h1": 0, "h2": 2, "h3": 3, "h4": 4, "b": _BOLD, "strong": _BOLD}


def _texts(elements: list[lxml_html.HtmlElement]) -> list[str]:
    """The text of the first five elements, one line each."""
    return [normalize_line(el.text_content()) for el in elements[:5]]


def _candidate_elements(tree: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    search = _HEAD_OR_TITLE.search
    said: dict[str, bool] = {}  # a page repeats its classes: each value searched once
    for el in tree.iter(etree.Element):
        if el.tag in _HEADING_TAGS:
            yield el
            continue
        for name in ("class", "id"):
            value = el.get(name)
            if value:  # most elements have no attributes: no search on an empty string
                hit = said.get(value)
                if hit is None:
                    hit = said[value] = search(value) is not None
                if hit:
                    yield el
                    break


def _heading_candidates(tree: lxml_html.HtmlElement) -> list[tuple[int, str]]:
    """(rank, text) of every place the headline may be, in page order; bold text that
    stands alone has rank _BOLD."""
    found = []
    for el in _candidate_elements(tree):
        rank = _TAG_RANK.get(el.tag, 5)
        headline_class = _HEADLINE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}")
        text = normalize_line(el.text_content())
        if not text:
            continue
        if headline_class:
            rank = min(rank, 1)
        elif rank == _BOLD:
            parent = el.getparent()
            # bold words inside a paragraph are emphasis, not a headline: its parent has
            # more than ``most`` words (split no further than that: a bold word in a
            # long article would split the whole article's text)
            most = len(text.split()) + 3
            if parent is None or len(parent.text_content().split(None, most)) > most:
                continue
        found.append((rank, text))
    return found


@dataclass(frozen=True, slots=True)
class TitleContext:
    """What the title rules read: the page's headings and title element, its main text,
    the names of its site."""

    text: str  # the main text as extracted (trafilatura's, where a layout's core replaced it)
    body: str  # the main text as stored (a layout's core where one replaced trafilatura's)
    url: str | None
    sitename: str | None
    sites: set[str]
    h1s: list[str]
    h2s: list[str]
    page_title: str | None  # the <title> element's text, None without one
    every_heading: list[tuple[int, str]]  # (rank, text) of every place a headline may be
    # headings and elements whose class says headline or title, not bold text alone,
    # nor menus
    candidates: list[tuple[int, str]]
    declared: str | None = None  # the metadata's title, as trafilatura reads it
    ld_headline: str | None = None  # the JSON-LD article's headline


def _page_heading(c: TitleContext, title: str | None) -> str | None:
    label = not title or section_label(title)
    if label or not (
        printed_everywhere(title, c.h1s, c.page_title, c.sites)
        or names_the_article(title, c.text, c.sites)
    ):
        # no title, or one that names a section or speaks of nothing in the article: the
        # page's own headline, if it has one (not a heading that is the site's name)
        own = [h for h in c.every_heading if not is_site_name(h[1], c.sites)]
        found = heading_of(c.text, own)
        printed = fold(title or "")
        if not found and not any(fold(h) == printed for _, h in c.every_heading):
            # a title that no heading prints is the site's, not a headline the article
            # happens not to speak of: a longer heading may speak of the article less
            found = heading_of(
                c.text, [h for h in own if loose_headline(h[1])], LOOSE_HEADING_SHARE
            )
        if not found and label:
            # a headline printed as the story's first line, in no heading element
            found = opening_line(c.body, title) or opening_line(c.text, title)
        return found or title
    if is_site_name(title, c.sites):
        # the title is the site's name: the page's headline, not a heading that is the
        # site's name too (its logo)
        domain = site_keys(c.url, None)
        return (
            heading_of(c.text, [h for h in c.every_heading if not is_site_name(h[1], domain)])
            or title
        )
    if weak_title(title, c.text):
        # a title that speaks of the article only in part gives way to an element whose
        # class says headline and that the opening speaks of almost wholly
        marked = [h for h in c.candidates if h[0] <= 1]
        return heading_of(c.text, marked, STRONG_HEADING_SHARE) or title
    return title


def _unescaped(c: TitleContext, title: str | None) -> str | None:
    # an og:title escaped twice (``Australian &#039;megablaze&#039;``) reads as printed
    return html_lib.unescape(title) if title and "&" in title else title


def _printed(c: TitleContext, title: str | None) -> str | None:
    if c.page_title is None:
        return title
    marked = [t for rank, t in c.candidates if rank <= 1]
    return printed_headline(title, c.h1s, c.page_title, c.text, c.sites, c.h2s + marked)


def _opening(c: TitleContext, title: str | None) -> str | None:
    # the story as stored first: where a layout's core replaced trafilatura's text, the
    # headline above the story is among the core's first lines, not among the menus'
    # (elsewhere the two are one text, read once)
    found = opening_headline(title, c.page_title, c.body, c.sites)
    if found is None and c.text != c.body:
        found = opening_headline(title, c.page_title, c.text, c.sites)
    return found or title


def _headline(c: TitleContext, title: str | None) -> str | None:
    # the page's top headings (its h1s, else its h2s), then the candidates
    return headline(title, (c.h1s or c.h2s) + [h for _, h in c.candidates], c.url, c.sitename)


def _declared(c: TitleContext, title: str | None) -> str | None:
    # the publisher's two statements agree (its meta title and its JSON-LD headline, the
    # site's name in neither): that is the headline, kicker and all, over the headings
    # (``Kenia: Nairobi von unten`` over the h1 ``Nairobi von unten``)
    declared = " ".join((c.declared or "").split())
    if (
        declared
        and c.ld_headline
        and fold(c.ld_headline) == fold(declared)
        and headline(declared, [], c.url, c.sitename) == declared
    ):
        return declared
    return title


# The title: the page's metadata (meta tags, JSON-LD, <title>) as trafilatura reads it,
# then each of these in order (cleaners/titles.py has what each means).
TITLE_RULES = (
    # the site's name and section labels cut, or the page's top heading where the
    # metadata's title is a site name
    Rule("headline", _headline),
    Rule("opening_headline", _opening),
    Rule("page_heading", _page_heading),
    Rule("first_block", lambda c, t: first_block(t)),
    Rule("trimmed", lambda c, t: trimmed(t, c.sites)),
    Rule("unescaped", _unescaped),
    Rule("printed_headline", _printed),
    Rule("declared_headline", _declared),
)


def extract(html: str, url: str | None = None) -> Extraction | None:
    """Main text (no comments) and metadata of one HTML page; None when it has none."""
    tree = parse_html(html)
    if tree is None:
        return None
    captions = _markup_captions(tree)
    meta, provenance = page_metadata(tree, url, html)
    every_heading = _heading_candidates(tree)
    candidates = [h for h in every_heading if h[0] != _BOLD and not link_block(h[1])]
    h1s, h2s = _texts(_H1(tree)), _texts(_H2(tree))
    page_title = _PAGE_TITLE(tree)  # None without a <title> element
    page_title_text = page_title[0].text_content() if page_title else None
    holder = " ".join(_COPYRIGHT(tree))
    json_ld = read_json_ld(tree)  # once a page: the title and author rules read it
    authors = AuthorContext(tree, url, meta.sitename, holder, meta.author, json_ld)
    meta.author, provenance["author"] = refine(AUTHOR_RULES, authors, None, None)
    # the last reader of the tree: trafilatura prunes it in place
    main = main_text(tree, url, source=html)
    text = main.text if main is not None else None
    if not text:
        return None
    context = TitleContext(
        text=main.own_text or text,
        body=text,
        url=url,
        sitename=meta.sitename,
        sites=site_keys(url, meta.sitename),
        h1s=h1s,
        h2s=h2s,
        page_title=page_title_text,
        every_heading=every_heading,
        candidates=candidates,
        declared=meta.title,
        ld_headline=article_headline(json_ld),
    )
    source = "metadata" if meta.title else None
    meta.title, provenance["title"] = refine(TITLE_RULES, context, meta.title, source)
    if meta.title:
        # A lead image's alt text is often the headline itself: that is not a caption.
        title = fold(meta.title)
        captions = tuple(c for c in captions if fold(c) != title)
    return Extraction(
        text=text,
        title=meta.title or None,
        author=meta.author or None,
        date=meta.date or None,
        sitename=meta.sitename or None,
        captions=captions,
        provenance={k: v for k, v in provenance.items() if v},
        layout_cuts=main.layout_cuts,
    )


@dataclass(frozen=True, slots=True)
class AuthorContext:
    tree: lxml_html.HtmlElement
    url: str | None
    sitename: str | None
    holder: str  # the page's copyright notice: a name it holds is the publisher's
    declared: str | None  # the byline of the meta tags and JSON-LD
    json_ld: JsonLd  # the page's JSON-LD, as printed
    _markup: list = field(default_factory=list)  # the byline markup, once read

    def markup(self) -> str | None:
        """The byline in the page's markup (read once: two rules ask)."""
        if not self._markup:
            self._markup.append(markup_author(self.tree))
        return self._markup[0]


def _markup_byline(credits: bool):
    """The rule that reads the byline in the page's markup: as the page's byline where it
    signs the story (``credits`` False), or, last, where it credits the story's sources
    (``Quelle: sid/dpa``: True)."""

    def propose(c: AuthorContext, authors: str | None) -> str | None:
        if authors or is_source_credit(c.markup()) is not credits:
            return authors
        return people(c.markup(), c.url, c.sitename, c.holder)

    return propose


# The authors: each rule in order, from nobody.
AUTHOR_RULES = (
    # the meta tags' and JSON-LD's byline, as people (cleaners/authors.py)
    Rule("metadata", lambda c, a: people(c.declared, c.url, c.sitename, c.holder)),
    # none there, or it named only the outlet: the byline in the page's markup, unless
    # it credits the story's sources (``Quelle: sid/dpa``)
    Rule("byline_markup", _markup_byline(credits=False)),
    # none yet: a byline printed as the story's first paragraph, bold and alone
    Rule(
        "opening_byline",
        lambda c, a: a or printed_byline(opening_byline(c.tree), c.url, c.sitename),
    ),
    # none yet: the article's author as its JSON-LD prints it, people first; where it
    # credits no person, the desk that signs (the outlet, an agency, an organisation)
    Rule(
        "json_ld_byline",
        lambda c, a: a or json_ld_byline(article_authors(c.json_ld), c.url, c.sitename),
    ),
    # nobody signs it: the sources its markup credits (an agency that wrote the story)
    Rule("source_credit", _markup_byline(credits=True)),
)


def page_metadata(tree: lxml_html.HtmlElement, url: str | None, html: str | None = None):
    """(metadata, provenance): title, declared author, date and site name, the way
    trafilatura's extract_metadata finds them (meta tags, then JSON-LD, then the page's
    markup), less what newsclean does not store (categories, tags, licence and the
    canonical URL: a quarter of its time), with the date from DATE_RULES;
    provenance names the date's rule."""
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a single word is a handle or a site name, not a byline
    # trafilatura's JSON-LD parser raises on some pages; the meta tags found so far stay
    with contextlib.suppress(Exception):
        meta = extract_meta_json(tree, meta)
    if not meta.title:
        meta.title = extract_title(tree)
    meta.date, source = first(DATE_RULES, DateContext(tree, url, html, meta.title))
    return meta, {"date": source}

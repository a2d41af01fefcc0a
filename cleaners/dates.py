"""The publication date: the page's date evidence, ranked by kind (DATE_RULES), the
parser htmldate's full search hands written-out dates to, and the shorter string its
patterns of dates in digits search (``digit_neighbourhoods``, at the end).

htmldate gives a date string it cannot read with its own patterns (``Miércoles, 15 de
Abril de 2020``, ``الأربعاء، 07 أكتوبر 2020``) to dateparser, set to try every one of its
~300 locales. dateparser compiles each locale's word list into a regular expression the
first time it tries that locale, and a string no locale reads tries them all: 3.5-4.5 s
of compiling in every process that cleans pages (each worker child of each run), about
6 ms a page over the 706 development pages. ``_month_language_date`` asks dateparser only
in the languages whose month names the string holds; it reads the same date from all 226
strings that reach dateparser from the development corpora in about a third of the time
(1.5 against 4.1-4.4 s in one process), spent only when such a string comes.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html

from newsclean.cleaners.compose import Rule
from newsclean.cleaners.json_ld import JSON_LD_SCRIPTS
from newsclean.cleaners.titles import slug

# htmldate's extensive search (every date-like string in the page) costs ~13 ms a page
# and rarely changes the answer for articles, whose date sits in meta tags, JSON-LD or
# the URL; the original publication date is the one `published` promises.
DATE_PARAMS = {"extensive_search": False, "original_date": True}
# The publisher's own statement comes first: schema.org's datePublished in the page's
# JSON-LD, read as written (the day in the publisher's time zone, which is the day the
# page prints; htmldate may take a URL's or an edition's date over it).
_DATE_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2})')
# Blogs (Movable Type, TypePad, goo) declare each entry in a trackback RDF block inside an
# HTML comment, which the parser drops: read from the page's source, after JSON-LD.
_RDF_DATE = re.compile(r'<rdf:Description\b[^>]*?\bdc:date="(\d{4}-\d{2}-\d{2})')
_FIRST_YEAR = 1995  # the web's news pages start about here; earlier is a placeholder


def _plausible_day(value: str) -> str | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return value if _FIRST_YEAR <= day.year <= date.today().year + 1 else None


@dataclass(frozen=True, slots=True)
class DateContext:
    tree: lxml_html.HtmlElement
    url: str | None
    html: str | None  # the page's source, for what the parser drops (comments)
    title: str | None = None  # the page's title as its metadata gives it


def _json_ld_date(c: DateContext) -> str | None:
    """The first plausible datePublished day of the page's JSON-LD."""
    for script in JSON_LD_SCRIPTS(c.tree):
        m = _DATE_PUBLISHED.search(script)
        if m is not None and _plausible_day(m.group(1)):
            return m.group(1)
    return None


def _trackback_date(c: DateContext) -> str | None:
    m = _RDF_DATE.search(c.html) if c.html else None
    return _plausible_day(m.group(1)) if m else None


# The day a headline's byline block prints: "13 Jan 2020, 22:11 GMT+10", "January 13,
# 2020", "13. Januar 2020", "2020-01-13", "13.01.2020" (a slashed date's order is the
# site's convention: not read). The day as printed is the day in the page's own zone.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar janv janvier enero ene",
            "february feb februar febr fév févr février febrero",
            "march mar märz mars marzo",
            "april apr avr avril abril abr",
            "may mai mayo",
            "june jun juni juin junio",
            "july jul juli juil juillet julio",
            "august aug août agosto ago",
            "september sep sept septembre septiembre set",
            "october oct okt oktober octobre octubre",
            "november nov novembre noviembre",
            "december dec dez dezember déc décembre diciembre dic",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PRINTED_DAY = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:\.|st|nd|rd|th)?\s+(?:de\s+)?(?P<m1>{_MONTH_WORD})\.?,?\s+(?:de\s+)?(?P<y1>\d{{4}})\b"
    rf"|\b(?P<m2>{_MONTH_WORD})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})\b"
    r"|\b(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})\b"
    r"|\b(?P<d4>\d{1,2})\.(?P<m4>\d{1,2})\.(?P<y4>\d{4})\b",
    re.IGNORECASE,
)
_HEADINGS = etree.XPath("//h1|//h2")
_PAGE_TITLE = etree.XPath("//title/text()")
# How far the byline block reaches: the elements right after the headline (or after the
# element that holds it), each a line or two (a byline, a time, a place); an element that
# shows more is the story, a caption or a list of other stories
_BLOCK_ELEMENTS = 3
_BLOCK_CHARS = 120
# A byline is names, places and labels: a line of more lower-case words is a sentence
_PROSE_WORDS = 6
# a reader's comment, an event's deadline, links to other stories: their dates are theirs
_NOT_BYLINE = re.compile(
    r"comment|kommentar|talkback|deadline|frist|weitere|related|more from|navigation", re.I
)


# A date after these words is when the page changed, not when it was published.
_CHANGED = re.compile(
    r"updated|modified|edited|aktualisiert|geändert|mis à jour|modifié|actualizado",
    re.IGNORECASE,
)
_LABEL_REACH = 40  # how far before a date its label may stand
_UNSEEN = frozenset({"script", "style", "noscript", "template"})


def _visible_text(el: etree._Element, limit: int) -> str:
    """The first ``limit`` characters of what ``el`` shows (no scripts' source)."""
    pieces: list[str] = []
    size = 0

    def walk(node: etree._Element) -> None:
        nonlocal size
        if size >= limit or node.tag in _UNSEEN:
            return  # (an unseen element's tail shows: its parent reads it)
        if node.text and isinstance(node.tag, str):  # a comment's text does not show
            pieces.append(node.text)
            size += len(node.text)
        for child in node:
            walk(child)
            if child.tail:
                pieces.append(child.tail)
                size += len(child.tail)

    walk(el)
    return " ".join(" ".join(pieces).split())[:limit]


def printed_day(text: str) -> str | None:
    """The first whole date ``text`` prints, as an ISO day, of those no label calls the
    time the page was changed (``Updated``); None without one."""
    since = 0  # a label is the next date's: it reaches back to the date before
    for m in _PRINTED_DAY.finditer(text):
        label = text[max(since, m.start() - _LABEL_REACH) : m.start()]
        since = m.end()
        if _CHANGED.search(label):
            continue
        g = {k: v for k, v in m.groupdict().items() if v}
        month = next(v for k, v in g.items() if k.startswith("m"))
        month = int(month) if month.isdigit() else _MONTHS[month.casefold()]
        day = int(next(v for k, v in g.items() if k.startswith("d")))
        year = int(next(v for k, v in g.items() if k.startswith("y")))
        try:
            found = _plausible_day(date(year, month, day).isoformat())
        except ValueError:
            continue
        if found:
            return found
    return None


def _headline_date(c: DateContext) -> str | None:
    """The date printed in the headline's byline block: the first ``<h1>`` or ``<h2>``
    that the page's title carries whole (the article's headline, not a sidebar's), and
    the date in the first elements after it (or after the element that holds it). A date
    in the page's header (today's date on every page of a site) or beside another story
    is not the article's."""
    # (an og:title escaped twice reads "&#039;" for "'")
    titles = [slug(html_lib.unescape(t)) for t in (c.title, *_PAGE_TITLE(c.tree)) if t]
    for heading in _HEADINGS(c.tree):
        key = slug(heading.text_content())
        if len(key) < 12 or not any(key in t for t in titles):
            continue
        for anchor in (heading, heading.getparent()):
            if anchor is None:
                continue
            for n, el in enumerate(anchor.itersiblings()):
                if n >= _BLOCK_ELEMENTS or el.tag in ("h1", "h2"):
                    break
                shown = _visible_text(el, _BLOCK_CHARS + 1)
                if (
                    len(shown) > _BLOCK_CHARS
                    or _NOT_BYLINE.search(f"{el.get('class')} {shown}")
                    or sum(w[0].islower() for w in shown.split()) > _PROSE_WORDS
                ):
                    continue  # the story, a caption, comments, other stories: not a byline
                found = printed_day(shown)
                if found:
                    return found
        return None
    return None


def _htmldate_extensive(c: DateContext) -> str | None:
    _read_written_dates_by_month_language()
    _search_years_near_digits()
    return find_date(c.tree, url=c.url, **{**DATE_PARAMS, "extensive_search": True})


# The publication date: the first of these that finds one.
DATE_RULES = (
    # the publisher's own statement, read as written (the day in its time zone)
    Rule("json_ld", _json_ld_date),
    # blogs' trackback RDF block (Movable Type, TypePad, goo), inside an HTML comment
    Rule("trackback_rdf", _trackback_date),
    # the date the headline's byline block prints
    Rule("headline_date", _headline_date),
    # htmldate on the page's meta tags, <time> elements and URL
    Rule("htmldate", lambda c: find_date(c.tree, url=c.url, **DATE_PARAMS)),
    # the cheap signals found nothing: htmldate's full search of the page's text
    Rule("htmldate_extensive", _htmldate_extensive),
)


# -- the written-out dates htmldate's full search finds ------------------------------------

# Dates written with CJK year/month/day signs (2016年10月14日) name no month in words.
_CJK_DATE_SIGNS = re.compile(r"[年月日년월일]")
_CJK_LANGUAGES = ("zh", "ja", "ko")


@cache
def _month_languages() -> dict[str, frozenset[str]]:
    """Each month name (folded as htmldate folds it) of dateparser's locales, and the
    languages that write it."""
    from dateparser.languages.loader import default_loader
    from htmldate.extractors import MONTH_KEYS, WORD, _fold_month_name

    found: dict[str, set[str]] = {}
    for locale in default_loader.get_locales():
        language = locale.shortname.split("-")[0]
        for key in MONTH_KEYS:
            for word in locale.info.get(key, []):
                if WORD.fullmatch(word):
                    found.setdefault(_fold_month_name(word), set()).add(language)
    return {word: frozenset(langs) for word, langs in found.items()}


@cache
def _parser(languages: tuple[str, ...] | None):
    """dateparser set as htmldate sets it, in these languages only (None: all)."""
    from htmldate.extractors import get_external_parser

    if languages is None:
        return get_external_parser()
    from dateparser import DateDataParser

    return DateDataParser(languages=list(languages), settings=_HTMLDATE_SETTINGS)


_HTMLDATE_SETTINGS = {  # htmldate.extractors.get_external_parser's settings (1.11)
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}


@cache
def _readable_languages() -> frozenset[str]:
    """The languages a written-out date is read in: those newsclean detects (langdetect's;
    its Norwegian is dateparser's Bokmål and Nynorsk). dateparser knows about 200 more
    (Asturian, Kabuverdianu, Sena, ...) whose month names are these languages' ("Abril",
    "April"); each costs about 20 ms of compiling the first time a string names it (1.2 of
    the 2.3 s the 162 strings of the development pages take in one process), and none of
    them reads a date from those strings that these languages do not."""
    from newsclean.cleaners.language import langdetect_languages

    return frozenset(langdetect_languages() - {"no"} | {"nb", "nn"})


def languages_of(string: str) -> tuple[str, ...] | None:
    """The languages dateparser needs to read a date in ``string``: those (of the
    languages newsclean detects) whose month names it holds; Chinese, Japanese and Korean
    for a date in CJK signs; all (None) for a string without letters, which dateparser
    reads with one locale per date order anyway; none (empty) for words without such a
    month name, which no locale reads as a date under htmldate's strict settings."""
    from htmldate.extractors import WORD, _fold_month_name

    if not any(ch.isalpha() for ch in string):
        return None
    table = _month_languages()
    languages: set[str] = set()
    for word in WORD.findall(string):
        languages |= table.get(_fold_month_name(word), frozenset())
    if _CJK_DATE_SIGNS.search(string):
        languages.update(_CJK_LANGUAGES)
    return tuple(sorted(languages & _readable_languages()))


def _month_language_date(string: str) -> datetime | None:
    """htmldate's external parse of ``string``, in the languages it can be in."""
    languages = languages_of(string)
    if languages == ():
        return None
    try:
        return _parser(languages).get_date_data(string)["date_obj"]
    except (OverflowError, ValueError):  # as htmldate's own: no date
        return None


@cache
def _read_written_dates_by_month_language() -> bool:
    """Route htmldate's external parse through ``_month_language_date`` (once, where the
    full search first runs; True when the htmldate in use has the hook)."""
    from htmldate import extractors

    if not callable(getattr(extractors, "_external_date", None)):
        return False  # another htmldate: its own parse, slower, the same dates
    extractors._external_date = _month_language_date
    return True


# -- the full search's patterns, on the page's digits and what stands around them ----------
# htmldate's full search runs eight patterns of dates in digits (2019/05/03, 03.05.2019,
# 20190503, 05/2019, ...) with findall over the whole serialized page: about 3 ms each on
# a page of news (1.4 ms a page over the 706 development pages). A match of each is
# digits, the separators between them and one non-digit on each side, and SIMPLE_PATTERN
# looks six characters further back (``(?<!w3.org)``): in a run of ten or more characters
# that are not digits, no match reaches beyond the first two or the last seven. Those
# runs cut to their first two and last seven characters, the patterns find the same
# matches in the same order, in a string a fraction as long. (The copyright pattern,
# ``© … 2019``, reaches 99 characters back: it reads the page as it is.)
_LONG_NON_DIGIT_RUN = re.compile(r"(\D\D)\D+(\D{7})")
# htmldate.core's names of those patterns (tests check each finds the same on the cut)
NEAR_DIGIT_PATTERNS = (
    "THREE_PATTERN",
    "THREE_LOOSE_PATTERN",
    "SELECT_YMD_PATTERN",
    "DATESTRINGS_PATTERN",
    "SLASHES_PATTERN",
    "YYYYMM_PATTERN",
    "MMYYYY_PATTERN",
    "SIMPLE_PATTERN",
)


def digit_neighbourhoods(html: str) -> str:
    """``html`` with every run of ten or more non-digits cut to its first two and last
    seven characters."""
    return _LONG_NON_DIGIT_RUN.sub(r"\1\2", html)


@cache
def _search_years_near_digits() -> bool:
    """Route htmldate's year filter through ``digit_neighbourhoods`` for the patterns of
    dates in digits (once, where the full search first runs; True when the htmldate in
    use has the filter and the patterns)."""
    from htmldate import core

    original = getattr(core, "plausible_year_filter", None)
    if original is None or not all(hasattr(core, name) for name in NEAR_DIGIT_PATTERNS):
        return False  # another htmldate: its own search, slower, the same dates
    near_digits = {getattr(core, name).pattern for name in NEAR_DIGIT_PATTERNS}
    # (page, its neighbourhoods): eight patterns, one cut. One pair, read and replaced
    # whole, so that threads cleaning pages side by side never mix two pages' strings.
    last: list[tuple[str, str]] = [("", "")]

    def plausible_year_filter(htmlstring: str, *, pattern, **kwargs):
        if pattern.pattern in near_digits:
            page, cut = last[0]
            if page is not htmlstring:
                cut = digit_neighbourhoods(htmlstring)
                last[0] = (htmlstring, cut)
            htmlstring = cut
        return original(htmlstring, pattern=pattern, **kwargs)

    core.plausible_year_filter = plausible_year_filter
    return True

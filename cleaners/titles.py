"""The headline as printed: the page's title without the site name around it.

``<title>`` and og:title often carry the outlet (``... - CNN.com``, ``KalingaTimes.com:
...``, ``Daily Star :: Celeb News :: ...``). Two signals, precision first:

* a heading of the page (``<h1>``, else ``<h2>``) that stands whole inside the title is
  the headline (the rest is the site's), unless it is under half the title and the rest
  names no site: then it is the title's kicker or a section's name (``OL i Paris`` of
  ``OL i Paris 2024: Tårene rant for stavhopper …``); nor where it is a part of one of
  the title's segments beside a standfirst's words (``Thüringer Bratwurst eine
  Illusion?`` of ``Ist die Thüringer Bratwurst eine Illusion? Das harte Geschäft …``);
* otherwise, a segment of the title after or before a separator (`` | ``, `` - ``, `` -- ``,
  `` – ``, `` — ``, `` :: ``, `` » ``, ``: ``) that names the site (its domain's name, or
  the page's declared site name) is cut.

A title with nothing to cut stays as it is.

A title that shares (almost) none of its words with the article's opening names the
site or a section (``The Modesto Bee``, ``Breaking News``, ``Other News Video``), unless
the page prints it as its ``<h1>`` and its ``<title>`` both (``printed_everywhere``): the
headline is then the page's best heading (by kind: ``<h1>``, a headline class, ``<h2>``
…) of which the opening shares most words (``names_the_article``, ``heading_of``). The
opening's words are its prose (a layout table's menu cells are not read), and the words
that name the site do not count for the title. Where no heading prints such a title (the
site describing itself: ``Providence, Rhode Island News, Weather, Traffic and Sports``),
a longer heading that is not a sentence needs fewer of its words in the opening
(``loose_headline``); where there is no title, or only a section's label (``News``), the
story's first line may be the headline (``opening_line``).

A title keeps no decoration (``=> … <=``), no publication stamp (``…Published:
Wednesday, 2 January, 2008``), no script a broken ``<title>`` ran into and no site name
in brackets (``trimmed``).

The metadata title is often another wording than the one printed: og:title is written
for social media (BBC: ``US lifts Iran 'iPhone' sanctions`` over the printed ``US lifts
ban on mobile phones and software for Iran``), or names a section (``Local Teams``). An
``<h1>`` that the page's ``<title>`` carries whole, that does not name the site and that
the opening speaks of, is the headline as printed (``printed_headline``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import islice
from urllib.parse import urlsplit

from newsclean.cleaners.normalize import fold

# Chinese and Japanese titles set the site apart with full-width marks and no spaces
# (``南海トラフ、一時調査：中日新聞Web``, ``…完全崩壊へ｜日刊ゲンダイDIGITAL``).
_SEPARATORS = re.compile(r"\s+(?:\||--?|–|—|::|»|«|·|/)\s+|(?<=\w):\s+|_(?=[A-Z])|\s*[｜：]\s*")
_ALNUM = re.compile(r"[\W_]+")
_GENERIC_LABELS = frozenset({"www", "news", "com", "co", "org", "net", "uk", "au", "in"})
MIN_HEADLINE_WORDS = 3
MAX_HEADLINE_WORDS = 25
_WORD = re.compile(r"\w+")
# Words too common to tell a headline from a site name. Short words (two letters or
# fewer) are left out by length.
_COMMON = frozenset(
    "the and for with from that this was are has have will not but you your its his her "
    "their our out who what when how why all can new more".split()
)
OPENING_WORDS = 200
# The opening's words are read from its first PROSE_LINES lines without the cells of a
# layout table's rows (``| UK National News |``, ``| Home \| RSS \| Archives |``) of fewer
# than PROSE_WORDS words: a menu's labels would make a section's title (``UK Film and
# Television News``) seem to name the article.
PROSE_WORDS = 6
PROSE_LINES = 100
# The headline printed in the body stands in one of its first lines.
OPENING_LINES = 3
# Below this share of its words in the opening, a title names something else.
TITLE_SHARE = 0.15
# At least this share of a heading's words must be in the opening for it to be the
# headline: a section label or another story's link shares few.
HEADING_SHARE = 0.6
# A title of which the opening shares less than WEAK_TITLE_SHARE of the words names the
# article only in part (``Financial News - Business News`` on a page whose opening says
# "news" and "business"): an element with a headline class of which the opening shares
# STRONG_HEADING_SHARE is the headline then.
WEAK_TITLE_SHARE = 0.6
STRONG_HEADING_SHARE = 0.8
# Where the title names no article and no heading prints it (the site's description:
# ``Providence, Rhode Island News, Weather, Traffic and Sports``), a heading of
# LOOSE_HEADLINE_WORDS words or more that is not a sentence needs only this share: a
# headline often says in other words what its story's first lines say.
LOOSE_HEADING_SHARE = 0.4
LOOSE_HEADLINE_WORDS = 4


# Han, kana: scripts that print words without spaces between them.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def headline_words(text: str) -> int:
    """A heading's length in words; in Chinese and Japanese, which print no spaces, two
    characters count as one (a headline there is some 15 to 40 characters)."""
    unspaced = len(_UNSPACED.findall(text))
    return len(text.split()) + unspaced // 2 if unspaced else len(text.split())


def slug(text: str) -> str:
    """Letters and digits only (any script), case-folded: how names and sites compare."""
    return _ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def site_keys(url: str | None, site_name: str | None) -> set[str]:
    keys = set()
    if site_name and len(slug(site_name)) >= 3:
        keys.add(slug(site_name))
    if url:
        host = (urlsplit(url).hostname or "").lower()
        labels = [p for p in host.split(".") if p and p not in _GENERIC_LABELS]
        if labels:
            keys.add(slug(labels[-1]))  # "cnn" of edition.cnn.com
            keys.add(slug(labels[0]))  # "xinhuanet" of news.xinhuanet.com
    return {k for k in keys if len(k) >= 3}


def _names_site(segment: str, sites: set[str]) -> bool:
    key = slug(segment)
    return bool(key) and any(site in key or key in site for site in sites)


def is_site_name(title: str | None, sites: set[str]) -> bool:
    """Whether the whole title is the site's name (``San Jose Mercury News`` on
    mercurynews.com), or the site describing itself: its name, then words of what it is
    (_SELF_DESCRIPTION) with no separator between (``Starpulse Entertainment News Blog``,
    ``Summit Daily News for Breckenridge, Keystone, Copper and Frisco Colorado``). A title
    that names the article holds more than the site, and sets the site's name apart."""
    key = slug(title or "")
    if not key:
        return False
    if any(key == site or (site in key and len(key) - len(site) <= 12) for site in sites):
        return True
    if _SEPARATORS.search(title):
        return False
    # the site's name as the title's first words, and a word of what it is right after
    words, longest = title.split(), max(map(len, sites), default=0)
    prefix = ""
    for n in range(1, len(words)):
        prefix += slug(words[n - 1])
        if len(prefix) > longest:
            return False
        if prefix in sites:
            return slug(words[n]) in _SELF_DESCRIPTION
    return False


def section_label(title: str) -> bool:
    """Whether the title is only words a site calls itself or its sections by (``News``,
    ``Sports News``, ``Latest Headlines``): no article's headline."""
    words = [w for w in _WORD.findall(title.casefold()) if len(w) > 2]
    return bool(words) and all(w in _SELF_DESCRIPTION or w in _LABELS for w in words)


_LABELS = frozenset("breaking latest top stories".split())
# What a site calls itself after its name (``… Entertainment News Blog``, ``… Online``).
_SELF_DESCRIPTION = frozenset(
    "news blog online daily weekly headlines newspaper magazine live entertainment sports "
    "weather nachrichten zeitung noticias diario actualités journal".split()
)


def headline(
    title: str | None,
    headings: list[str] = (),
    url: str | None = None,
    site_name: str | None = None,
) -> str | None:
    """The title without the site name, as the module docstring says; None stays None."""
    if not title:
        return title
    title = " ".join(title.split())
    folded = slug(title)
    sites = site_keys(url, site_name)
    for heading in headings:
        text = " ".join(heading.split())
        if len(text.split()) >= MIN_HEADLINE_WORDS and slug(text) and slug(text) in folded:
            if len(slug(text)) == len(folded):
                return title  # the same words: keep the title's own spelling
            if not _kicker(text, title, sites) and not _fragment(text, title, sites):
                return text
    if not sites:
        return title
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    kept = list(parts)
    while len(kept) > 1 and _names_site(kept[-1], sites):
        kept.pop()
    while len(kept) > 1 and _names_site(kept[0], sites):
        kept.pop(0)
    if kept == parts:
        return title
    # the headline is the longest remaining segment when the site left section names
    # ("Daily Star :: Celeb News :: Stars slam ...")
    best = max(kept, key=headline_words)
    return best.strip() if headline_words(best) >= MIN_HEADLINE_WORDS else title


def _kicker(heading: str, title: str, sites: set[str]) -> bool:
    """Whether a heading that the title carries is its kicker or a section's name
    (``OL i Paris`` of ``OL i Paris 2024: Tårene rant for stavhopper …``) rather than
    the headline with the site's name around it: under half the title's words, and what
    the title says besides names no site."""
    if not sites or headline_words(heading) * 2 >= headline_words(title):
        return False  # (with no site's name to tell by, the heading is the headline)
    rest = title.casefold().replace(heading.casefold(), " ", 1)
    return not any(_names_site(part, sites) for part in _SEPARATORS.split(rest) if part.strip())


def _fragment(heading: str, title: str, sites: set[str]) -> bool:
    """Whether a heading that the title carries is a part of one of its segments, which
    holds two words or more besides it that name no site (``Thüringer Bratwurst eine
    Illusion?`` of ``Ist die Thüringer Bratwurst eine Illusion? Das harte Geschäft mit dem
    Tod | MDR.DE``): a standfirst's words, not the headline with the site around it."""
    words = title.split()
    keys = [slug(w) for w in words]
    wanted = [k for k in (slug(w) for w in heading.split()) if k]
    for start in range(len(words)):
        found, i = [], start
        while i < len(words) and len(found) < len(wanted):
            if keys[i]:
                found.append(keys[i])
            i += 1
        if found == wanted and keys[start]:
            # (a space at the cut: a separator there has its spaces on both sides; a
            # colon glued to the word at the cut is one too: "…Trip: The GQ Eye")
            before = _SEPARATORS.split(" ".join(words[:start]) + " ")[-1]
            after = _SEPARATORS.split(" " + " ".join(words[i:]))[0]
            if start and words[start - 1].endswith(":"):
                before = ""
            if words[i - 1].endswith(":"):
                after = ""
            other = f"{before} {after}".strip()
            return len(other.split()) >= 2 and not _names_site(other, sites)
    return False


_UNSPACED_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def content_words(text: str) -> list[str]:
    """The words that tell what ``text`` speaks of; in Chinese and Japanese, which print no
    spaces, each pair of characters (``人工``, ``工智``, ``智能``) counts as a word."""
    text = text.casefold()
    words = [w for w in _WORD.findall(_UNSPACED_RUN.sub(" ", text)) if len(w) > 2]
    for run in _UNSPACED_RUN.findall(text):
        words.extend(run[i : i + 2] for i in range(len(run) - 1))
    return [w for w in words if w not in _COMMON]


def share(text: str, words: frozenset[str]) -> float:
    """The share of ``text``'s content words that are in ``words``."""
    return _share_of(content_words(text), words)


def _share_of(own: list[str], words: frozenset[str]) -> float:
    return sum(w in words for w in own) / len(own) if own else 0.0


_BLANK_LINE = re.compile(r"\n\s*\n")
# Marks a page sets around its headline (``=> Headline <=``, ``:: Headline ::``): runs of
# two or more arrow, rule or bullet characters at either end.
_DECORATION = re.compile(
    r"^(?:[=<>*~#:|»«›‹•·-]{2,}|[»›•·])\s+|\s+(?:[=<>*~#:|»«›‹•·-]{2,}|[«‹•·])$"
)
# A publication stamp that a heading element carries after the headline, glued or not
# (``Junk food ban comes into forcePublished: Wednesday, 2 January, 2008, 02:42 AM``): its
# label and a year soon after (``Apple and Google Updated 15 apps`` is a headline).
_STAMP = re.compile(
    r"(?:\s+|(?<=[a-z]))(?:Published|Posted|Updated|Last updated)\b:?"
    r"[^\n]{0,40}?\b(?:19|20)\d\d\b.*$"
)


# Script that a broken page's <title> runs into (``… Title(The Korea Times)ntById("font");``):
# a call with a quoted argument and a semicolon, and all after it.
_SCRIPT = re.compile(r"[\w.$]*\(\s*[\"'][^\"']*[\"']\s*\)\s*;.*$", re.DOTALL)
# the site's name in brackets at the end (``… Title (The Korea Times)``)
_BRACKETED = re.compile(r"\s*[(\[]([^()\[\]]+)[)\]]\s*$")


def trimmed(title: str | None, sites: set[str] = frozenset()) -> str | None:
    """``title`` without the decoration around it, the script a broken page's <title> runs
    into, the site's name in brackets and the publication stamp after it, where a headline
    of MIN_HEADLINE_WORDS words or more is left."""
    if not title:
        return title
    cut = _SCRIPT.sub("", title)
    while (shorter := _DECORATION.sub("", cut)) != cut:
        cut = shorter
    cut = _STAMP.sub("", cut).strip()
    bracketed = _BRACKETED.search(cut)
    if bracketed and is_site_name(bracketed.group(1), sites):
        cut = cut[: bracketed.start()]
    return cut if headline_words(cut) >= MIN_HEADLINE_WORDS else title


def first_block(title: str | None) -> str | None:
    """A title that runs over blank lines (a heading whose element also holds the
    standfirst or the time) is its first block, when that reads as a headline."""
    if not title or not _BLANK_LINE.search(title):
        return title
    first = " ".join(_BLANK_LINE.split(title.strip())[0].split())
    return first if len(first.split()) >= MIN_HEADLINE_WORDS else title


@lru_cache(maxsize=8)
def _opening_words(opening: str) -> frozenset[str]:
    # One page's title rules ask for the same article's opening up to six times (about
    # 0.13 ms each): the last few answers are kept. maxsplit: the opening's first words
    # without splitting the whole article. Its prose (PROSE_WORDS): a layout table's menu
    # cells left out, lines outside tables read whole.
    prose = "\n".join(
        cell
        for line in opening.split("\n", PROSE_LINES)[:PROSE_LINES]
        for cell in (line.split("|") if "|" in line else (line,))
        if "|" not in line or headline_words(cell) >= PROSE_WORDS
    )
    opening = prose or opening
    return frozenset(content_words(" ".join(opening.split(maxsplit=OPENING_WORDS)[:OPENING_WORDS])))


def names_the_article(title: str | None, opening: str, sites: set[str] = frozenset()) -> bool:
    """Whether ``title`` shares enough words with the article's opening to be its
    headline (True too when the opening has no words to tell by). The words that name
    the site (``bbc`` of ``bbc.co.uk Navigation``) are not the article's."""
    words = _opening_words(opening)
    if not words:
        return True
    own = [w for w in content_words(title or "") if not _site_word(w, sites)]
    return bool(own) and _share_of(own, words) >= TITLE_SHARE


def _site_word(word: str, sites: set[str]) -> bool:
    # a short word inside a site's name is chance (``der`` of ``tageblatt…``): a word of
    # five letters or more, or the whole name
    return any(word == site or len(word) >= 5 and word in site for site in sites)


def link_block(text: str) -> bool:
    """A heading element over three lines or more holds a menu (``NRK TV / NRK Radio /
    NRK Super``), not a headline; a headline over a blank line and a time is two."""
    return sum(1 for line in text.splitlines() if line.strip()) >= 3


def printed_everywhere(
    title: str | None, h1s: list[str], page_title: str | None, sites: set[str] = frozenset()
) -> bool:
    """Whether the page prints ``title`` as its ``<h1>`` and its ``<title>`` carries it
    too (MIN_HEADLINE_WORDS words or more, not the site's name): the headline, however
    few of its words the story's opening repeats (``Boston policemen complain about new
    plan to watch their movements`` over a story that speaks of "Boston's Finest")."""
    if not title or headline_words(title) < MIN_HEADLINE_WORDS or is_site_name(title, sites):
        return False
    key = slug(title)
    return key in slug(page_title or "") and any(fold(h) == fold(title) for h in h1s)


def printed_headline(
    title: str | None,
    h1s: list[str],
    page_title: str | None,
    opening: str,
    sites: set[str] = frozenset(),
    h2s: list[str] = (),
) -> str | None:
    """The first of the page's ``<h1>`` texts that its ``<title>`` element carries whole
    (site name around it or not), of at least MIN_HEADLINE_WORDS words, not the site's
    name, and with TITLE_SHARE of its words in the opening; else ``title``.

    Pages of the 2000s print the headline in an ``<h2>`` or an element with a headline
    class and leave ``<h1>`` to the logo or a tagline (Ars Technica 2009, Forbes 2005:
    ``Financial News - Business News``). When no h1 qualifies and ``title`` is not what
    the ``<title>`` element says of the article (it is not in it, or it does not name the
    article), the first of ``h2s`` (those headings) that is whole segments of the
    ``<title>`` (``Kindles and … of copyright`` of ``Kindles and … of copyright - Ars
    Technica``), on the same terms, is the headline: a subheading that only a part of the
    ``<title>`` repeats is not."""
    carried = slug(page_title or "")
    if not carried:
        return title
    words = _opening_words(opening)
    found = _carried(h1s, lambda key: key in carried, words, sites)
    if (
        found is None
        and h2s
        and not (
            title and slug(title) and slug(title) in carried and names_the_article(title, opening)
        )
    ):
        spans = _segment_runs(page_title or "")
        found = _carried(h2s, spans.__contains__, words, sites)
    if found is None:
        return title
    return title if title and slug(title) == slug(found) else found


def _carried(headings: list[str], inside, words: frozenset[str], sites: set[str]) -> str | None:
    """The first heading that ``inside`` finds in the <title> (by its slug) and that reads
    as this article's headline."""
    for heading in headings:
        if link_block(heading):
            continue
        text = " ".join(heading.split())
        key = slug(text)
        if (
            MIN_HEADLINE_WORDS <= len(text.split()) <= MAX_HEADLINE_WORDS
            and key
            and inside(key)
            and not _names_site(text, sites)
            and (not words or share(text, words) >= TITLE_SHARE)
        ):
            return text
    return None


def opening_headline(
    title: str | None, page_title: str | None, opening: str, sites: set[str] = frozenset()
) -> str | None:
    """The headline that the article prints above its story in no heading element: the
    longest run of the ``<title>`` element's segments, none of them the site's name, that
    is one of the article's first lines (``Pakistan want forfeit reversed`` of ``Pakistan
    want forfeit reversed - Breaking News - Fox Sports``). Only where ``title`` does not
    name the article, or is itself one of those lines and shorter (a section's label
    printed above the headline: ``Breaking News``); else None."""
    if not page_title:
        return None
    # its first lines that print something (a layout's blank cells are no lines)
    shown = (line for line in opening.split("\n", OPENING_LINES * 10) if line.strip())
    lines = {fold(line) for line in islice(shown, OPENING_LINES)}
    printed = bool(title) and fold(title) in lines
    if not printed and names_the_article(title, opening, sites):
        return None
    found = [
        " ".join(run.split())
        for run in _runs(page_title, sites)
        if fold(run) in lines and 2 <= len(run.split()) <= MAX_HEADLINE_WORDS
    ]
    best = max(found, key=lambda run: len(run.split()), default=None)
    if best is None or (printed and len(best.split()) <= len(title.split())):
        return None
    return best


def _runs(page_title: str, sites: set[str]) -> list[str]:
    """The runs of whole segments of a title, as written, that hold no segment naming one
    of ``sites``."""
    title = " ".join(page_title.split())
    cuts = [(m.start(), m.end()) for m in _SEPARATORS.finditer(title)]
    starts = [0] + [end for _, end in cuts]
    ends = [start for start, _ in cuts] + [len(title)]
    own = [not _names_site(title[a:b], sites) for a, b in zip(starts, ends, strict=True)]
    return [
        title[starts[i] : ends[j]].strip()
        for i in range(len(starts))
        for j in range(i, len(ends))
        if all(own[i : j + 1])
    ]


def _segment_runs(page_title: str) -> set[str]:
    """The slugs of every run of whole segments of a title (``A: B - Site``: A, B, Site,
    AB, BSite, ABSite)."""
    return {slug(run) for run in _runs(page_title, set())}


def weak_title(title: str | None, opening: str) -> bool:
    """Whether the opening shares less than WEAK_TITLE_SHARE of ``title``'s words."""
    words = _opening_words(opening)
    return bool(words) and share(title or "", words) < WEAK_TITLE_SHARE


def heading_of(
    opening: str, headings: list[tuple[int, str]], min_share: float = HEADING_SHARE
) -> str | None:
    """Of the page's headings (``(rank, text)`` in page order, lower ranks first choice),
    the one whose words the article's opening shares most; None when none shares
    ``min_share`` of them."""
    words = _opening_words(opening)
    best = None
    for position, (rank, heading) in enumerate(headings):
        text = _without_date_lines(heading)
        n = headline_words(text)
        if (
            not MIN_HEADLINE_WORDS <= n <= MAX_HEADLINE_WORDS
            or text.endswith(":")
            or link_block(text)
        ):
            continue
        found = share(text, words)
        if found >= min_share:
            key = (rank, -found, position)
            if best is None or key < best[0]:
                best = (key, text)
    return best[1] if best else None


def _without_date_lines(heading: str) -> str:
    """A heading element's text without its lines that are a date or a byline
    (``Adelaide United`` of ``Adelaide United / Tuesday January 8, 2008``): the words of
    a headline only."""
    if "\n" not in heading:
        return heading
    lines = [line.strip() for line in heading.splitlines() if line.strip()]
    kept = [line for line in lines if not _BYLINE_OR_DATE.search(line)]
    return " ".join(kept) if kept and len(kept) < len(lines) else heading


def loose_headline(text: str) -> bool:
    """Whether a heading is long enough, and not a sentence, to be taken as the headline on
    LOOSE_HEADING_SHARE of its words."""
    return len(text.split()) >= LOOSE_HEADLINE_WORDS and not text.endswith(".")


def opening_line(opening: str, title: str | None) -> str | None:
    """The first of the opening's first OPENING_LINES lines that reads as a headline above
    a story: two to MAX_HEADLINE_WORDS words, not a sentence, not ``title``, with more
    text after it."""
    lines = [
        text
        for line in opening.split("\n", OPENING_LINES * 10)[: OPENING_LINES * 10]
        if (text := " ".join(line.replace("|", " ").split()))
    ]
    for position, text in enumerate(lines[:OPENING_LINES]):
        n = len(text.split())
        if n > MAX_HEADLINE_WORDS:
            return None
        if (
            n >= 2
            and position + 1 < len(lines)
            and not text.endswith((".", ":", ","))
            and _LETTERS.search(text)
            and not _BYLINE_OR_DATE.search(text)
            and fold(text) != fold(title or "")
        ):
            return text
    return None


# a byline (``By Tim Cashmere``) or a date line (``Tuesday January 8, 2008``) above the story
_BYLINE_OR_DATE = re.compile(
    r"^(?:by|von|par|por)\s|^\W*(?:\S+\s+){0,4}\S*\b(?:19|20)\d\d\b\W*$", re.I
)


_LETTERS = re.compile(r"[^\W\d_]{2}")

"""Bylines as people: the page's author metadata without the outlet, the job titles and
the repeats that metadata often mixes in (`Mathias Hagen; Journalist; Anders
Skjerdingstad`, `Sophie Foster; Sophie-Foster`, `Lesotho Times`), `; `-separated in
reading order. A name that is only the site's (its domain or its declared site name) is
the outlet, not a person.

What a byline block prints beside the names goes too (``name_of``): a date or a month
glued to the name (`Jane Doe December`, `Updated Oct 9`), interface text (`View author
archive`, `Get author RSS feed`, `Lesedauer: 3 Min.`), placeholders (`Xxx`, `admin`), an
e-mail address or what is left of one (`Mcason Com`) and a job title after the name
(`Jane Doe, CEO`). Each is a kind of text, not a site's wording.
"""

from __future__ import annotations

import re

from newsclean.cleaners.titles import site_keys, slug

# Job titles and desk labels that bylines carry beside the names, in several languages.
ROLES = frozenset(
    "journalist journalistin reporter reporterin correspondent editor redakteur redakteurin "
    "redaktion redacción rédaction staff writer author autor autorin photographer "
    "fotograf contributor columnist kolumnist".split()
)
_SPLIT = re.compile(r"\s*;\s*")
# "Quelle: dpa": the label of a credit, not part of the name (an agency that wrote
# the story is its byline, as wire copy credits it)
_SOURCE_LABEL = re.compile(r"^(?:quelle|source|fuente|bron|fonte|kilde)\b:?\s*", re.I)


def is_source_credit(text: str | None) -> bool:
    """Whether a byline credits the story's sources (``Quelle: sid/dpa``, ``Source:
    Reuters``) rather than signing it: what the page's own signature, where it has one,
    comes before."""
    return bool(text) and _SOURCE_LABEL.match(text.strip()) is not None


# Months and weekdays (English, German, French, Spanish, full and short): a byline's
# date printed against the name.
_CALENDAR = (
    r"jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|jun[ei]?"
    r"|jul[iy]?|aug(?:ust)?|sep(?:t|tember)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?"
    r"|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre"
    r"|diciembre|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?"
)
# A date or a time at either end of the name, with what introduces it ("Updated",
# "Published", "Posted", "on", a comma): a month with its day or year, a numeric date, a
# clock time, or a month or weekday after such a word ("Updated Monday").
_INTRO = r"(?:updated|published|posted|last modified|on|am|le|el)"
_DATES = (
    rf"(?:(?:{_CALENDAR})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+\d{{4}}"
    rf"|(?:{_CALENDAR})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_CALENDAR})\.?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?)"
)
_DATE_EDGE = re.compile(
    rf"(?:^|[\s,|·•-]+)(?:{_INTRO}\s+)*{_DATES}\s*$"
    rf"|(?:^|[\s,|·•-]+)(?:{_INTRO}\s+)+(?:{_CALENDAR})\.?\s*$"
    rf"|^\s*(?:{_INTRO}\s+)*{_DATES}(?:\s*[,|·•-]\s*|\s+)",
    re.IGNORECASE,
)
# A month's or weekday's name alone after a name of two words or more ("Jane Doe
# December", "Jeff Foust Monday"): after one word it may be a surname ("Maya May").
_MONTH = (
    r"january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TRAILING_MONTH = re.compile(rf"^(\S+(?:\s+\S+)+?)\s+(?:{_MONTH}|{_WEEKDAY})\.?$", re.IGNORECASE)
_LONE_CALENDAR = re.compile(rf"(?:{_INTRO}\s+)*(?:{_CALENDAR})\.?", re.IGNORECASE)
# Interface text a byline block prints: links to the writer's archive and feeds,
# reading times, "updated" labels, follow buttons.
_INTERFACE = re.compile(
    r"\b(?:view|see|read|get|more)\b.{0,20}\b(?:author|archive|articles?|stories|posts|"
    r"rss|feed|profile|bio)\b.*$|\b(?:rss feed|author archive|reading time|lesedauer|"
    r"lesezeit|temps de lecture|(?:\d+\s*)?min(?:ute)?s?\.? read|follow(?: on| me)?|"
    r"(?:last\s+)?updated|"
    r"published|posted|email|e-mail|share|tweet)\b.*$",
    re.IGNORECASE,
)
# Names that stand for nobody.
_PLACEHOLDERS = frozenset(
    "xxx xx x admin administrator user guest unknown anonymous anonym n/a na none null "
    "undefined default author autor redaktion editor staff".split()
)
# An e-mail address or a link stands for nobody; a copyright line names the publisher.
_ADDRESS = re.compile(r"@|^https?:|^(?:copyright\b|©|\(c\)\s)", re.IGNORECASE)
# What trafilatura makes of an address or a domain ("mcason@x.com" -> "Mcason Com",
# "Lüder Hoppe info-hoppe de"): cut, and the entry kept only if a name of two words or
# more was printed before it.
_DOMAIN_TAIL = re.compile(
    r"(?:^|\s+)(?:www\s+)?[\w-]+\s+(?:com|net|org|info|de|at|ch|fr|it|es|nl|co|uk|pl)$",
    re.IGNORECASE,
)
# "View all posts by Daniel Lemire": the name after an archive link's words.
_ARCHIVE_LINK = re.compile(
    r"^(?:(?:view|see|read|more)\s+)?(?:all\s+)?(?:posts|articles|stories|entries|beiträge)"
    r"\s+(?:by|from|von)\s+",
    re.IGNORECASE,
)
# A job title after the name ("Jane Doe, CEO", "Jane Doe - Senior Editor").
_TITLE_AFTER = re.compile(
    r"\s*(?:,|\s-|\s–|\s\|)\s*(?:(?:senior|chief|executive|managing|deputy|associate|"
    r"contributing|staff|political|business|sports?|news|editor-at-large)\s+)*"
    r"(?:ceo|cfo|cto|coo|founder|co-founder|president|director|editor|writer|reporter|"
    r"correspondent|columnist|analyst|photographer|producer|contributor|professor|"
    r"journalist|redakteur(?:in)?|korrespondent(?:in)?)\b.*$",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")


def name_of(text: str) -> str | None:
    """The name in one byline entry, without the date, interface text or job title
    printed beside it; None where nothing of a name is left (a date, a label, a
    placeholder, an address)."""
    name = " ".join(_SOURCE_LABEL.sub("", text).split())
    if _ADDRESS.search(name):
        return None
    name = _INTERFACE.sub("", _ARCHIVE_LINK.sub("", name)).strip(" ,;|·•-–")
    cut = _DOMAIN_TAIL.sub("", name)
    if cut != name and len(cut.split()) < 2:
        return None
    name = cut
    name = _TITLE_AFTER.sub("", name)
    while True:
        cut = _TRAILING_MONTH.sub(r"\1", _DATE_EDGE.sub("", name)).strip(" ,;|·•-–")
        if cut == name:
            break
        name = cut
    if not _LETTER.search(name) or name.casefold() in _PLACEHOLDERS:
        return None
    if _LONE_CALENDAR.fullmatch(name):
        return None
    return name


def people(
    author: str | None,
    url: str | None = None,
    site_name: str | None = None,
    rights_holder: str | None = None,
) -> str | None:
    """The people among ``author``'s names, once each, in order; None when none is left.
    ``rights_holder``: the page's copyright notice (``Copyright (c) Condé Nast 2024``):
    a name it holds beside others is the publisher, not a writer."""
    if not author:
        return None
    sites = site_keys(url, site_name)
    holder = slug(rights_holder or "")
    seen, kept = set(), []
    for entry in _SPLIT.split(author):
        name = name_of(entry)
        if name is None:
            continue
        key = slug(name)
        if not key or key in seen or name.casefold() in ROLES:
            continue
        if key in sites or slug(name.split()[0]) in sites:
            continue  # the outlet: "Lesotho Times", "Mdr De", "N-Tv Nachrichten"
        seen.add(key)
        kept.append(name)
    # The publisher ("Condé Nast" of "Copyright (c) Condé Nast 2024") beside the writers;
    # a name alone stays: a blog's writer often holds its copyright too.
    writers = [n for n in kept if not (len(slug(n)) >= 4 and slug(n) in holder)]
    return "; ".join(writers or kept) or None


# A person's name as a byline prints it: two to four words, each capitalised (a
# particle such as "van", "de" or "bin" aside), of letters, hyphens, apostrophes and
# initials' dots.
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*\.?|[^\W\d_]\.", re.UNICODE)
_PARTICLES = frozenset("van von der den de del della da di du le la bin ibn al el ter".split())
# "By", "Von", "Par": the word a byline is printed after, not part of it
_BY = re.compile(r"^(?:by|von|par|por|door|av)\s+", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s*(?:/|;|,|&|\band\b|\bund\b|\bet\b|\by\b)\s*")


def _person_shaped(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        if word.casefold() in _PARTICLES:
            continue
        if not _NAME_WORD.fullmatch(word) or not word[0].isupper():
            return False
    return not any(w.casefold() in ROLES for w in words)


def printed_byline(text: str | None, url: str | None = None, site_name: str | None = None):
    """The people of a byline printed in the story (``Mathatisi Sebusi/Mohalenyane
    Phakela``), `; `-separated; None unless every name in it is shaped as a person's
    (a bold subheading such as ``Key points`` or ``Climate Change In 2050`` is not)."""
    if not text:
        return None
    names = [n for n in _BYLINE_SPLIT.split(text) if n.strip()]
    if not names or not all(_person_shaped(n) for n in names):
        return None
    return people("; ".join(names), url, site_name)


def json_ld_byline(
    declared: list[tuple[str, bool]], url: str | None = None, site_name: str | None = None
) -> str | None:
    """The byline the page's JSON-LD prints for the article (``declared``: names as
    printed, each with whether it is an organisation): its people, where trafilatura's
    metadata missed them (``日刊現代``); else, where it credits no person, the desk that
    signs it: the names that are the outlet (its domain or declared site name: ``Les
    Echos``, ``Associated Press`` on apnews.com, ``nieuwsblad.be``) or an organisation.
    `; `-separated, None when there are none. (Beside a person's name the outlet is not a
    writer: ``people`` drops it.)"""
    declared = [(_BY.sub("", name), organisation) for name, organisation in declared]
    persons = people(
        "; ".join(part for name, org in declared if not org for part in _BYLINE_SPLIT.split(name)),
        url,
        site_name,
    )
    if persons:
        return persons
    sites = site_keys(url, site_name)
    kept: list[str] = []
    for name, organisation in declared:
        if name_of(name) != name or name in kept:
            continue
        key = slug(name)
        if organisation or any(site in key or key in site for site in sites):
            kept.append(name)
    return "; ".join(kept) or None

"""Datelines: the ``WHERE (WHO) —`` prefix before a news story's first sentence.

Shapes seen in agency copy, all built from the tables in ``rules/datelines.toml``::

    WASHINGTON (AP) — The …                    LONDON, Nov 6 (Reuters) - The …
    BEIJING, Nov. 7 (Xinhua) -- The …          PARIS (AFP) - The …
    New Delhi [India], November 6 (ANI): The … ERBIL, Kurdistan Region — The …
    Berlin (dpa) - Die …                       Madrid, 6 nov (EFE).- El …
    МОСКВА, 6 ноя — РИА Новости. Президент …   CARACAS /EFE/.- El …
    (CNN) -- The …                             (Reuters) - The …
    KIEV: Ukraine's president said on … (a paragraph of prose after a bare place)

Precision first. The text after the dash must start a sentence (a capital letter, a
digit or an opening quote) and go on for a few words: ``NEW YORK — a city that never
sleeps — was quiet`` is prose. A Title Case place needs a known agency; an ALL-CAPS word
that is a label or an acronym (``WHO``, ``UPDATE``) is never a place.
"""

from __future__ import annotations

import re

from newsclean.cleaners.rules import agencies, alternation, load
from newsclean.schemas.records import Dateline

RULE = "dateline"

# How many of the body's first paragraphs may hold the dateline: a standfirst or a
# caption can stand before it, as in the seed.
CANDIDATE_PARAGRAPHS = 3
_LIST_MARKS = ("- ", "• ", "* ")
_LABEL_WORDS = 6
_MIN_WORDS_AFTER = 4
_MIN_WORDS_AFTER_COLON = 12

_rules = load("datelines")
_AGENCIES = frozenset(agencies())
_NOT_LOCATIONS = frozenset(_rules["not_locations"])
_MONTHS = "|".join(
    re.escape(m)
    for m in sorted({m for ms in _rules["months"].values() for m in ms}, key=len, reverse=True)
)
_AGENCY_ALT = alternation(agencies())

_UP = "A-ZÀ-ÖØ-Þ\u0100-\u017fА-ЯЁІЇЄҐЎ"
_LO = "a-zß-öø-ÿ\u0100-\u017fа-яёіїєґў"
_CAPS_WORD = rf"[{_UP}][{_UP}'’.\-]*[{_UP}.]"
_TITLE_WORD = rf"[{_UP}][{_LO}'’.\-]+"
_SMALL = r"(?:de|del|da|do|di|al|el|la|le|am|an|on|upon|sur|en)"
_DATE = (
    rf"(?:(?i:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\.?\s+(?:de\s+)?(?i:{_MONTHS})\.?"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?:,?\s+(?:de\s+)?\d{4})?"
)

_DATELINE = re.compile(
    rf"""
    ^(?P<location>
        {_CAPS_WORD}(?:\s+(?:{_CAPS_WORD}|{_SMALL})){{0,3}}
      | {_TITLE_WORD}(?:[\s-]+(?:{_TITLE_WORD}|{_SMALL})){{0,3}}
    )
    (?P<regions>(?:,\s*(?!(?i:{_MONTHS})\.?\s+\d|\d)[{_UP}][\w'’.\-]*(?:\s+[{_UP}][\w'’.\-]*){{0,3}}){{0,2}})
    (?:\s*\[(?P<bracket>[^\]\n]{{2,40}})\])?
    (?:,?\s+(?P<date>{_DATE}))?
    (?:\s*(?:\((?P<source>[^()\n]{{1,40}})\)|/(?P<slash_source>[^/\n]{{1,30}})/))?
    (?P<dash>\s*(?:--|\.-|\.–|\.—|[-–—_:]|\.)\s+)
    (?:(?P<after_source>{_AGENCY_ALT})\.\s+)?
    (?=["“‘'«(\[]?[{_UP}0-9])
    """,
    re.VERBOSE,
)
_ALL_CAPS = re.compile(rf"^[{_UP}'’.\-\s]+$")
# A known agency in parentheses with no place before it, then a dash: the agency's
# own copy (``(CNN) --``). Without a dash it is prose: ``(AP) said`` stays.
_SOURCE_ONLY = re.compile(
    rf"^\((?P<source>{_AGENCY_ALT})\)(?P<dash>\s*(?:--|—|–|-)\s+)(?=[\"“‘'«(\[]?[{_UP}0-9])"
)


def _accept(m: re.Match[str], rest: str) -> bool:
    location = m.group("location")
    source = m.group("source") or m.group("slash_source") or m.group("after_source")
    dash = m.group("dash").strip()
    if len(rest.split()) < _MIN_WORDS_AFTER:
        return False
    if location.upper() in _NOT_LOCATIONS:
        return False
    if _ALL_CAPS.match(location):
        if len(location.replace(".", "")) < 3:
            return False
        # "WASHINGTON. The …" is just a shouted word ending a sentence; a full stop ends
        # a dateline only after its source ("/EFE/.").
        if dash == "." and not source:
            return False
        if dash == ":" and not (source or m.group("date") or m.group("regions")):
            # A bare word and a colon: a place ("KIEV: Ukraine's president …", Indian
            # and East African papers) or a label ("WARNING: …", "KING: Trump, …"). A
            # place heads a paragraph of prose; a label, a line or a headline (and
            # find_dateline refuses it where other paragraphs open with labels too).
            # One word only: two are a name as often as a place ("JESSICA LIVINGSTON:"
            # before a guest post), three a label ("WARNING GRAPHIC DETAIL:").
            return len(location.split()) == 1 and len(rest.split()) >= _MIN_WORDS_AFTER_COLON
        return True
    # Title Case place: only with a known agency, so that "Berlin – Die …" in prose stays.
    return source is not None and source.strip() in _AGENCIES


def _location(m: re.Match[str]) -> str:
    parts = [m.group("location").strip()]
    regions = m.group("regions")
    if regions:
        parts += [r.strip() for r in regions.split(",") if r.strip()]
    if m.group("bracket"):
        parts.append(m.group("bracket").strip())
    return ", ".join(parts)


def split_dateline(paragraph: str) -> tuple[Dateline, str] | None:
    """The dateline at the start of a paragraph and the paragraph without it, or None."""
    m = _DATELINE.match(paragraph)
    if not m:
        return _source_only(paragraph)
    rest = paragraph[m.end() :]
    if not _accept(m, rest):
        return None
    raw = paragraph[: m.end()].strip()
    source = m.group("source") or m.group("slash_source") or m.group("after_source")
    return (
        Dateline(
            raw=raw,
            location=_location(m),
            source=source.strip() if source else None,
            date=m.group("date"),
        ),
        rest,
    )


def _source_only(paragraph: str) -> tuple[Dateline, str] | None:
    m = _SOURCE_ONLY.match(paragraph)
    if not m or len(paragraph[m.end() :].split()) < _MIN_WORDS_AFTER:
        return None
    raw = paragraph[: m.end()].strip()
    return Dateline(raw=raw, source=m.group("source")), paragraph[m.end() :]


def find_dateline(lines: list[str]) -> tuple[int, Dateline, str] | None:
    """The dateline among the body's first paragraphs: (index, dateline, rest).

    When more than one of them starts like a dateline, none is cut: a story has one
    dateline, so two mean that one of them is something else, and a rule that is not
    sure keeps the text. (It also keeps cleaning idempotent: cutting the first would
    leave the second to be cut by a second pass.)
    """
    found = []
    counted = 0
    for i, line in enumerate(lines):
        if counted == CANDIDATE_PARAGRAPHS:
            break
        hit = split_dateline(line)
        # past the first paragraphs (after a list or labels), only a dateline that names
        # its source or date: a bare "NAME, Name:" there opens an entry of a list
        if hit and not (i >= CANDIDATE_PARAGRAPHS and _bare_colon(hit[0])):
            found.append((i, hit[0], hit[1]))
        # a list's items, a short label in capitals ("STORY HIGHLIGHTS") and a byline
        # above the story are not its paragraphs: the dateline may stand after them
        label = len(line.split()) <= _LABEL_WORDS and (line.isupper() or line.startswith("By "))
        if not (line.startswith(_LIST_MARKS) or label):
            counted += 1
    if len(found) != 1:
        return None
    i, dateline, _ = found[0]
    if _bare_colon(dateline) and any(_LABEL.match(line) for j, line in enumerate(lines) if j != i):
        return None  # speakers of a transcript or an interview ("HANNITY: …")
    return found[0]


# A paragraph that opens with a capitalised label and a colon.
_LABEL = re.compile(rf"^{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,2}}:\s")


def _bare_colon(dateline: Dateline) -> bool:
    return dateline.raw.endswith(":") and not (dateline.source or dateline.date)

"""Boilerplate lines: share/follow/subscribe prompts, "Read more:" links, cookie notices and
copyright lines. Patterns live in ``rules/boilerplate.toml``; each has a word bound so a
line of prose that merely starts like a prompt is kept.
"""

from __future__ import annotations

import re
from functools import cache

from newsclean.cleaners.rules import agencies, alternation, load, photo_services
from newsclean.cleaners.rules.needs import fold_case, needed_strings

_AGENCIES = alternation(agencies())
# Agencies and photo services as they are written and in capitals ("ASSOCIATED PRESS"),
# matched with case: "Pool" and "Trend" are credits, "pool" and "trend" words.
_NAMES = [n for name in agencies() + photo_services() for n in (name, name.upper())]
_CREDIT_NAMES = f"(?-i:{alternation(_NAMES)})"


def _rule_table() -> list[tuple[str, int, tuple[str, ...]]]:
    """(rule, max_words, the rule's patterns), in the file's order; compiled as the
    alternations of ``_alternation`` and, those that are guarded, alone (``_GUARDED``)."""
    return [
        (
            rule,
            spec["max_words"],
            tuple(
                p.replace("{agencies}", _AGENCIES).replace("{credit_names}", _CREDIT_NAMES)
                for p in spec["patterns"]
            ),
        )
        for rule, spec in load("boilerplate").items()
    ]


_RULES = _rule_table()
# A row of a page's layout table that holds only labels between empty spacer cells
# (2008-era table layouts: "| Home | | News | | Weather |", "| SEARCH | | QUOTES &
# RESEARCH |"): menus and toolbar links.
NAVIGATION = "table_navigation"
RULES = (*(rule for rule, _, _ in _RULES), NAVIGATION)
# List bullets in front of a prompt ("- Order Reprints") do not change what it is.
_BULLET = re.compile(r"^(?:[-•*·–—»]|\d+\.)\s+")


# trafilatura writes a layout table's cells as "| cell | cell |" (an escaped "\|" where
# the page itself printed one): the pipes are layout, not part of what a cell says.
_CELL_EDGES = re.compile(r"^[|¦\s]+|[|¦\s]+$")
_CELL_SEPARATOR = re.compile(r"\s*\\?[|¦]\s*")


def boilerplate_rule(line: str) -> str | None:
    """The name of the boilerplate rule that matches the whole line, or None. A line of
    table cells ("| Print article |", "Print version | Email to a friend") is
    boilerplate when every one of its cells is; it takes the first cell's rule. A
    layout table's row of labels between spacer cells is navigation."""
    found = _line_rule(line)
    if found:
        return found
    if "|" not in line and "¦" not in line:  # no cells (most lines): only its edges' space
        inner = line.strip()
        return _line_rule(inner) if inner != line and inner else None
    inner = _CELL_EDGES.sub("", line)
    if inner != line and inner:
        found = _line_rule(inner)
    if not found and _CELL_SEPARATOR.search(inner):
        cells = [c for c in _CELL_SEPARATOR.split(inner) if c.strip()]
        rules = [_line_rule(c) for c in cells]
        found = rules[0] if len(cells) > 1 and all(rules) else None
    return found or (NAVIGATION if _navigation_row(line) else None)


# A cell boundary: a pipe that the page did not print itself (trafilatura escapes those).
_CELL = re.compile(r"(?<!\\)[|¦]")
_MAX_LABEL_WORDS = 4


def _navigation_row(line: str) -> bool:
    """A table row of short labels, each apart from the next by an empty spacer cell:
    no digits (a data table's scores, prices and dates stay), no sentence's end."""
    row = line.strip()
    if len(row) < 3 or row[0] not in "|¦" or row[-1] not in "|¦":
        return False
    cells = [c.strip() for c in _CELL.split(row)[1:-1]]
    labels = [c for c in cells if c]
    # two labels or more, each apart from the next by a spacer: a data table's row
    # (a label and its empty cells, a header of adjacent labels) is not one
    if len(labels) < 2 or any(a and b for a, b in zip(cells, cells[1:], strict=False)):
        return False
    return not any(
        len(c.split()) > _MAX_LABEL_WORDS or c[-1] in ".!?" or any(ch.isdigit() for ch in c)
        for c in labels
    )


def _line_rule(line: str) -> str | None:
    line = _BULLET.sub("", line, count=1)
    unguarded, guards = _allowed(min(len(line.split()), _MOST_WORDS))
    m = unguarded.match(line) if unguarded is not None else None
    first = int(m.lastgroup[1:]) if m is not None else len(_PATTERNS)
    if guards:
        folded = fold_case(line)
        for n in sorted({n for s, n in guards if s in folded and n < first}):
            if _GUARDED[n].match(line):
                first = n
                break
    return _RULES[_PATTERNS[first][0]][0] if first < len(_PATTERNS) else None


# -- which patterns a line can match -----------------------------------------------------
# A pattern that may start its match anywhere in the line (``^.*\bcookies``, ``^.{0,80}
# \bsign up for``) tries every position of every line: most of the time of the rules.
# Each such pattern needs one of a few strings (``cookie``; each alternative of a group
# its own) that its parse names (cleaners/rules/needs.py); a line that holds none of them
# (case folded as the pattern matches it) cannot match it. Such a pattern is tried alone,
# only on the lines that hold one of its strings and only where it comes before the
# first of the other patterns that matches: the first pattern that matches is the same.

_MIN_NEED = 3  # a shorter string is in too many lines to say anything


def _pattern_table() -> tuple[list[tuple[int, str]], dict[int, frozenset[str]]]:
    """Every pattern as (rule index, regular expression), in the rules' order, and the
    strings needed by those that scan the line (by their index in that list)."""
    patterns, guards = [], {}
    for k, (_, _, expressions) in enumerate(_RULES):
        for expression in expressions:
            needs = needed_strings(expression, True, _MIN_NEED, scanning_only=True)
            if needs:
                guards[len(patterns)] = needs
            patterns.append((k, expression))
    return patterns, guards


_PATTERNS, _GUARD_OF = _pattern_table()
# (string, the index of a pattern that needs it), each string of each guarded pattern
_NEEDED = tuple((s, n) for n, needs in _GUARD_OF.items() for s in sorted(needs))
_MOST_WORDS = max(most for _, most, _ in _RULES) + 1  # a longer line: no rule's


# each guarded pattern compiled alone: tried only where its guard lets it
_GUARDED = {n: re.compile(_PATTERNS[n][1], re.IGNORECASE) for n in _GUARD_OF}


@cache
def _allowed(words: int) -> tuple[re.Pattern[str] | None, tuple[tuple[str, int], ...]]:
    """For a line of ``words`` words: the patterns it may match that are not guarded (of
    the rules whose max_words allows it), as one alternation in their order, and the
    needed strings of the guarded patterns it may match. The first alternative that
    matches is the first pattern that would; its group ``p<n>`` names the pattern. The
    first rule is the one of the first pattern that matches, of these and the guarded
    ones whose strings the line holds."""
    allowed = [n for n, (k, _) in enumerate(_PATTERNS) if words <= _RULES[k][1]]
    return _alternation(tuple(n for n in allowed if n not in _GUARD_OF)), tuple(
        (s, n) for s, n in _NEEDED if n in allowed
    )


@cache
def _alternation(indices: tuple[int, ...]) -> re.Pattern[str] | None:
    # compiled once per set of patterns (a dozen), not once per line length
    alternatives = [f"(?P<p{n}>{_PATTERNS[n][1]})" for n in indices]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

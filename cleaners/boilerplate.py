"""Boilerplate lines: share/follow/subscribe prompts, "Read more:" links, cookie notices and
copyright lines. Patterns live in ``rules/boilerplate.toml``; each has a word bound so a
line of prose that merely starts like a prompt is kept.
"""

from __future__ import annotations

import re
from functools import cache

from newsclean.cleaners.rules import agencies, alternation, load, photo_services

_AGENCIES = alternation(agencies())
# Agencies and photo services as they are written and in capitals ("ASSOCIATED PRESS"),
# matched with case: "Pool" and "Trend" are credits, "pool" and "trend" words.
_NAMES = [n for name in agencies() + photo_services() for n in (name, name.upper())]
_CREDIT_NAMES = f"(?-i:{alternation(_NAMES)})"


def _rule_table() -> list[tuple[str, int, str]]:
    """(rule, max_words, the rule's patterns as one alternation), in the file's order;
    compiled only as the alternations of ``_alternation``."""
    table = []
    for rule, spec in load("boilerplate").items():
        combined = "|".join(
            f"(?:{p.replace('{agencies}', _AGENCIES).replace('{credit_names}', _CREDIT_NAMES)})"
            for p in spec["patterns"]
        )
        table.append((rule, spec["max_words"], combined))
    return table


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
    found = _rules_for(len(line.split()))
    m = found.match(line) if found is not None else None
    return _RULES[int(m.lastgroup[1:])][0] if m is not None else None


@cache
def _rules_for(words: int) -> re.Pattern[str] | None:
    """The rules a line of ``words`` words may match, in their order, as one pattern: one
    call per line instead of one per rule. The first alternative that matches is the
    first rule that would; its group ``r<index>`` names the rule."""
    return _alternation(tuple(k for k, (_, most, _) in enumerate(_RULES) if words <= most))


@cache
def _alternation(indices: tuple[int, ...]) -> re.Pattern[str] | None:
    # compiled once per set of rules (a dozen), not once per line length
    alternatives = [f"(?P<r{k}>{_RULES[k][2]})" for k in indices]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

"""Boilerplate lines: share/follow/subscribe prompts, "Read more:" links, cookie notices and
copyright lines. Patterns live in ``rules/boilerplate.toml``; each has a word bound so a
line of prose that merely starts like a prompt is kept.
"""

from __future__ import annotations

import re

from newsclean.cleaners.rules import agencies, alternation, load, photo_services

_AGENCIES = alternation(agencies())
# Agencies and photo services as they are written and in capitals ("ASSOCIATED PRESS"),
# matched with case: "Pool" and "Trend" are credits, "pool" and "trend" words.
_NAMES = [n for name in agencies() + photo_services() for n in (name, name.upper())]
_CREDIT_NAMES = f"(?-i:{alternation(_NAMES)})"


def _compile() -> list[tuple[str, int, re.Pattern[str]]]:
    table = []
    for rule, spec in load("boilerplate").items():
        combined = "|".join(
            f"(?:{p.replace('{agencies}', _AGENCIES).replace('{credit_names}', _CREDIT_NAMES)})"
            for p in spec["patterns"]
        )
        table.append((rule, spec["max_words"], re.compile(combined, re.IGNORECASE)))
    return table


_RULES = _compile()
RULES = tuple(rule for rule, _, _ in _RULES)
# List bullets in front of a prompt ("- Order Reprints") do not change what it is.
_BULLET = re.compile(r"^(?:[-•*·–—»]|\d+\.)\s+")


# trafilatura writes a layout table's cells as "| cell | cell |" (an escaped "\|" where
# the page itself printed one): the pipes are layout, not part of what a cell says.
_CELL_EDGES = re.compile(r"^[|¦\s]+|[|¦\s]+$")
_CELL_SEPARATOR = re.compile(r"\s*\\?[|¦]\s*")


def boilerplate_rule(line: str) -> str | None:
    """The name of the boilerplate rule that matches the whole line, or None. A line of
    table cells ("| Print article |", "Print version | Email to a friend") is
    boilerplate when every one of its cells is; it takes the first cell's rule."""
    found = _line_rule(line)
    if found:
        return found
    stripped = _CELL_EDGES.sub("", line)
    if stripped != line:
        line = stripped
        found = _line_rule(line) if line else None
    if found or not _CELL_SEPARATOR.search(line):
        return found
    cells = [c for c in _CELL_SEPARATOR.split(line) if c.strip()]
    rules = [_line_rule(c) for c in cells]
    return rules[0] if len(cells) > 1 and all(rules) else None


def _line_rule(line: str) -> str | None:
    line = _BULLET.sub("", line, count=1)
    words = len(line.split())
    for rule, max_words, pattern in _RULES:
        if words <= max_words and pattern.match(line):
            return rule
    return None

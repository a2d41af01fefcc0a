"""Boilerplate lines: share/follow/subscribe prompts, "Read more:" links, cookie notices and
copyright lines. Patterns live in ``rules/boilerplate.toml``; each has a word bound so a
line of prose that merely starts like a prompt is kept.
"""

from __future__ import annotations

import re

from newsclean.cleaners.rules import agencies, alternation, load

_AGENCIES = alternation(agencies())


def _compile() -> list[tuple[str, int, re.Pattern[str]]]:
    table = []
    for rule, spec in load("boilerplate").items():
        combined = "|".join(f"(?:{p.replace('{agencies}', _AGENCIES)})" for p in spec["patterns"])
        table.append((rule, spec["max_words"], re.compile(combined, re.IGNORECASE)))
    return table


_RULES = _compile()
RULES = tuple(rule for rule, _, _ in _RULES)
# List bullets in front of a prompt ("- Order Reprints") do not change what it is.
_BULLET = re.compile(r"^(?:[-•*·–—]|\d+\.)\s+")


def boilerplate_rule(line: str) -> str | None:
    """The name of the boilerplate rule that matches the whole line, or None."""
    line = _BULLET.sub("", line, count=1)
    words = len(line.split())
    for rule, max_words, pattern in _RULES:
        if words <= max_words and pattern.match(line):
            return rule
    return None

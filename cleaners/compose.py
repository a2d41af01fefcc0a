"""One composer for the metadata rules: each concern (title, date, authors) is an
ordered tuple of named rules, and these two functions apply them, naming the rule whose
proposal stands, so that a newcomer reads a concern's rules, in order, in one list, and
an analyst can see where a value came from (``Extraction.provenance``).

A rule is ``(name, function)``. For ``first`` its function reads the page's context and
returns a proposal or None (no evidence); for ``refine`` it reads the context and the
value so far and returns the value it should be (the same value: no change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Rule(NamedTuple):
    name: str
    propose: Callable[..., Any]


def first(rules: tuple[Rule, ...], context: Any) -> tuple[Any, str | None]:
    """The first proposal, and the name of the rule that made it: for evidence ranked by
    kind (dates: what the page declares before what a search finds)."""
    for rule in rules:
        value = rule.propose(context)
        if value:
            return value, rule.name
    return None, None


def refine(
    rules: tuple[Rule, ...], context: Any, value: Any, source: str | None
) -> tuple[Any, str | None]:
    """``value`` passed through every rule in order: each may replace the value so far
    (a function of the context and that value), and the last rule that changed it names
    it; ``source`` names the value that came in."""
    for rule in rules:
        proposal = rule.propose(context, value)
        if proposal != value:
            value, source = proposal, rule.name
    return value, source

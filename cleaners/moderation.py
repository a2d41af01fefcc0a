"""Moderation: keep, flag or reject a cleaned page under a policy.

Each check returns a reason code that analysts can group by, and a detail a person can
read; the first check that rejects wins, in the order below (cheapest and most certain
first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from schemas.policy import Policy

KEEP, FLAG = "keep", "flag"


@dataclass(frozen=True, slots=True)
class Verdict:
    decision: str  # keep | flag | reject
    reason: str | None = None  # reject reason code
    detail: str = ""
    flags: tuple[str, ...] = field(default_factory=tuple)


@cache
def _term_pattern(term: str) -> re.Pattern[str]:
    # Whole words, case-insensitive, Unicode-aware; a phrase matches across any spacing.
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def find_term(text: str, terms: tuple[str, ...]) -> str | None:
    for term in terms:
        if term.strip() and _term_pattern(term).search(text):
            return term
    return None


def domain_blocked(domain: str | None, blocked: tuple[str, ...]) -> str | None:
    """The blocked entry that ``domain`` equals or is a subdomain of (whole labels only)."""
    if not domain:
        return None
    for entry in blocked:
        if domain == entry or domain.endswith("." + entry):
            return entry
    return None


def moderate(
    *,
    text: str,
    domain: str | None,
    language: str,
    language_score: float,
    word_count: int,
    removed_chars: int,
    policy: Policy,
) -> Verdict:
    blocked = domain_blocked(domain, policy.domains.block)
    if blocked:
        return Verdict("reject", "blocked_domain", f"domain {domain} is blocked by {blocked}")
    allow = policy.language.allow
    if allow and language not in allow:
        return Verdict(
            "reject",
            "language",
            f"language {language} (score {language_score:.2f}) not in {', '.join(allow)}",
        )
    if word_count < policy.length.min_words:
        return Verdict(
            "reject", "too_short", f"{word_count} words, fewer than {policy.length.min_words}"
        )
    total = removed_chars + len(text)
    share = removed_chars / total if total else 0.0
    if share > policy.boilerplate.max_share:
        return Verdict(
            "reject",
            "boilerplate",
            f"removed pieces are {share:.0%} of the page, more than "
            f"{policy.boilerplate.max_share:.0%}",
        )
    term = find_term(text, policy.terms.block)
    if term:
        return Verdict("reject", "blocked_term", f"contains blocked term {term!r}")
    flags = tuple(f"term:{t}" for t in policy.terms.flag if t.strip() and find_term(text, (t,)))
    return Verdict(FLAG if flags else KEEP, flags=flags)

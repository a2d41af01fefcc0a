"""Moderation: keep, flag or reject a cleaned page under a policy.

Each check returns a reason code that analysts can group by, and a detail a person can
read; the first check that rejects wins, in the order below (cheapest and most certain
first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from newsclean.schemas.policy import Policy
from newsclean.schemas.reasons import Reason

KEEP, FLAG = "keep", "flag"


@dataclass(frozen=True, slots=True)
class Verdict:
    decision: str  # keep | flag | reject
    reason: str | None = None  # reject reason code
    detail: str = ""
    flags: tuple[str, ...] = field(default_factory=tuple)


_WORD = re.compile(r"\w+")


def _term_key(term: str) -> str:
    return " ".join(term.casefold().split())


@dataclass(frozen=True, slots=True)
class _TermIndex:
    """A term list compiled once: terms made of whole words are looked up among the
    page's words (a set lookup, whatever the list's length: the profanity list has 900
    entries); the few with other characters ("a$$") go through one regex."""

    by_key: dict[str, str]
    words: frozenset[str]
    phrases: tuple[str, ...]
    pattern: re.Pattern[str] | None


@cache
def _index(terms: tuple[str, ...]) -> _TermIndex:
    by_key = {_term_key(t): t for t in terms if t.strip()}
    words, phrases, odd = set(), [], []
    for key in by_key:
        tokens = _WORD.findall(key)
        if " ".join(tokens) != key:
            odd.append(key)
        elif len(tokens) == 1:
            words.add(key)
        else:
            phrases.append(key)
    pattern = None
    if odd:
        alternatives = sorted((r"\s+".join(map(re.escape, k.split())) for k in odd), key=len)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(reversed(alternatives)) + r")(?!\w)", re.I)
    return _TermIndex(by_key, frozenset(words), tuple(phrases), pattern)


def find_terms(text: str, terms: tuple[str, ...]) -> list[str]:
    """The terms found in ``text`` as whole words or phrases, case-insensitive,
    Unicode-aware, in the order the policy lists them."""
    index = _index(terms)
    if not index.by_key:
        return []
    tokens = _WORD.findall(text.casefold())
    found = set(index.words.intersection(tokens))
    if index.phrases:
        joined = f" {' '.join(tokens)} "
        found.update(p for p in index.phrases if f" {p} " in joined)
    if index.pattern is not None:
        found.update(_term_key(m.group(0)) for m in index.pattern.finditer(text))
    return [t for key, t in index.by_key.items() if key in found]


def find_term(text: str, terms: tuple[str, ...]) -> str | None:
    found = find_terms(text, terms)
    return found[0] if found else None


@cache
def word_list(name: str) -> tuple[str, ...]:
    """A named word list, as the package that maintains it ships it."""
    if name == "profanity":
        from importlib import resources

        text = resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text()
        return tuple(w.strip() for w in text.splitlines() if w.strip())
    raise ValueError(f"unknown word list: {name}")


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
        return Verdict("reject", Reason.BLOCKED_DOMAIN, f"domain {domain} is blocked by {blocked}")
    allow = policy.language.allow
    if allow and language not in allow:
        return Verdict(
            "reject",
            Reason.LANGUAGE,
            f"language {language} (score {language_score:.2f}) not in {', '.join(allow)}",
        )
    if word_count < policy.length.min_words:
        return Verdict(
            "reject", Reason.TOO_SHORT, f"{word_count} words, fewer than {policy.length.min_words}"
        )
    total = removed_chars + len(text)
    share = removed_chars / total if total else 0.0
    if share > policy.boilerplate.max_share:
        return Verdict(
            "reject",
            Reason.BOILERPLATE,
            f"removed pieces are {share:.0%} of the page, more than "
            f"{policy.boilerplate.max_share:.0%}",
        )
    term = find_term(text, policy.terms.block)
    if term:
        return Verdict("reject", Reason.BLOCKED_TERM, f"contains blocked term {term!r}")
    flags = [f"term:{t}" for t in find_terms(text, policy.terms.flag)]
    flags += [
        f"list:{name}" for name in policy.terms.flag_lists if find_term(text, word_list(name))
    ]
    return Verdict(FLAG if flags else KEEP, flags=tuple(flags))

"""The strings a regular expression's every match holds, read from the parse ``re`` makes
of it: a line that holds none of them cannot match, and the expression need not be
tried on it.

Rule patterns that may match anywhere in a line (``^.*\\bcookies``, a photo credit's
``\\(AP Photo/…\\)`` searched for) cost a try at every position of every line; most
lines hold none of the few strings such a pattern needs, and ``str.__contains__`` finds
that out at a fraction of the cost. Only what the parse says for certain is used: a run
of literal characters, a group's, an alternation's (one string from each branch), a
repeat's at least once; anything else (classes, optional parts) needs nothing.

Ignoring case, ``re`` matches a few characters other than A-Z with ASCII letters:
``fold_case`` maps those before lower-casing, so that a line's folded form holds the
(lower-case) string wherever the pattern matches.
"""

from __future__ import annotations

import re
from re import _constants as _sre
from re import _parser  # the parse re itself makes of a pattern

# The characters other than A-Z that a lower-case ASCII letter matches ignoring case
# (all of them: tests/test_boilerplate.py asks re about every code point).
ASCII_EQUIVALENTS = (("İ", "i"), ("ı", "i"), ("ſ", "s"), ("\u212a", "k"))


def fold_case(line: str) -> str:
    """The line in lower case, with the letters ``re`` matches with ASCII ones as those."""
    if not line.isascii():
        for char, ascii_letter in ASCII_EQUIVALENTS:
            if char in line:
                line = line.replace(char, ascii_letter)
    return line.lower()


_AT, _LITERAL, _SUBPATTERN, _BRANCH = _sre.AT, _sre.LITERAL, _sre.SUBPATTERN, _sre.BRANCH
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT)


def needed_strings(
    pattern: str,
    ignore_case: bool = False,
    shortest: int = 1,
    fewest: bool = False,
    scanning_only: bool = False,
) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` holds (lower case when
    ``ignore_case``: look for them in the ``fold_case`` of the line), each at least
    ``shortest`` characters long; None where the parse names none. Of several such
    sets, the one whose shortest string is longest (up to three characters: shorter
    strings are in most lines), then the one with fewest strings; with ``fewest``
    (where each string is a test of its own), the one whose tests cost least. With
    ``scanning_only``, None also for a pattern that does not scan (``scans``)."""
    parsed = _parser.parse(pattern, re.IGNORECASE if ignore_case else 0)
    if scanning_only and not _scans(parsed):
        return None
    if parsed.state.flags & re.IGNORECASE and not ignore_case:
        return None  # an inline (?i): its strings would be looked for with their case
    return _needs(parsed, ignore_case, shortest, fewest)


def _needs(items, ignore_case: bool, shortest: int, fewest: bool) -> frozenset[str] | None:
    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or _rank(found, fewest) < _rank(best, fewest)):
            best = found

    run: list[str] = []
    for op, arg in (*items, (None, None)):
        # (only ASCII: other characters have case equivalents fold_case does not map)
        if op is _LITERAL and (arg < 128 or not ignore_case):
            run.append(chr(arg).lower() if ignore_case else chr(arg))
            continue
        if len(run) >= shortest:
            consider(frozenset({"".join(run)}))
        run = []
        if op is _SUBPATTERN:
            if not ignore_case and arg[1] & re.IGNORECASE:
                continue  # a group that ignores case (?i:…) in a pattern that does not
            consider(_needs(arg[-1], ignore_case, shortest, fewest))
        elif op is _BRANCH:
            each = [_needs(branch, ignore_case, shortest, fewest) for branch in arg[1]]
            if all(each):
                consider(frozenset().union(*each))
        elif op in _REPEATS and arg[0] >= 1:
            consider(_needs(arg[2], ignore_case, shortest, fewest))
    return best


# How often a string of 1, 2 and 3 or more characters is in a line (about), and what a
# search of the pattern costs against one test for a string: what the order rests on
# (never what the guard decides).
_SHARE = (0.0, 0.3, 0.05, 0.01)
_SEARCH_COST = 300


def _rank(strings: frozenset[str], fewest: bool) -> tuple[float, int]:
    longest = -min(3, *map(len, strings))
    if not fewest:
        return longest, len(strings)
    passes = min(1.0, sum(_SHARE[min(len(s), 3)] for s in strings))
    return len(strings) + _SEARCH_COST * passes, longest


def any_of(sets: list[frozenset[str] | None]) -> tuple[str, ...]:
    """Strings one of which a line holds wherever one of the patterns whose ``sets``
    these are matches it (a string that holds another of them is left out); ("",) where
    a pattern names none."""
    if not all(sets):
        return ("",)
    union = frozenset().union(*sets)
    return tuple(sorted(s for s in union if not any(t != s and t in s for t in union)))


def scans(pattern: str) -> bool:
    """Whether a pattern anchored with ``^`` may still start its match anywhere: a repeat
    of characters (``.*``, ``\\W*``, ``[\\w .&-]{1,30}``) right after the ``^``."""
    return _scans(_parser.parse(pattern, re.IGNORECASE))


def _scans(parsed) -> bool:
    items = list(parsed)
    if len(items) < 2 or items[0][0] is not _AT or items[1][0] not in _REPEATS:
        return False
    _, most, inner = items[1][1]
    return most > 1 and all(op is not _SUBPATTERN for op, _ in inner)

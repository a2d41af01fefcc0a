"""cleaners/rules/needs.py: every match of a pattern holds one of the strings its parse
needs, so that a rule tried only on lines holding one finds what it found before. The
matches are drawn by hypothesis from the patterns themselves (the rule files' own, and
cases written for each part of a parse)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.cleaners import boilerplate, captions
from newsclean.cleaners.rules.needs import any_of, fold_case, needed_strings, scans

CASES = [
    # (pattern, ignore case, what its parse needs)
    (r"^.*\ball rights reserved\b.*$", True, {"all rights reserved"}),
    (r"^.*\b(we|our site) use cookies\b", True, {" use cookies"}),
    (r"(?:REUTERS|Reuters)\s*/", False, {"EUTERS", "euters"}),  # (re factors out the R)
    (r"\((?:AP|AFP) Photo\s*/", False, {" Photo"}),
    (r"(?:abc|de)?[xy]", False, None),  # an optional group needs nothing
    (r"(?:abc)+z", False, {"abc"}),
    (r"[ab]\d", False, None),  # classes need no one string
    (r"\(", False, {"("}),
    # case ignored inside: the strings would be looked for with their case, so none
    (r"(?i)photo by", False, None),
    (r"\((?i:photo)\)", False, {"("}),
    (r"(?-i:AP) photo", True, {" photo"}),  # (lower case: looked for in the folded line)
]


@pytest.mark.parametrize(("pattern", "ignore_case", "needs"), CASES)
def test_the_parse_names_what_every_match_needs(pattern, ignore_case, needs):
    assert needed_strings(pattern, ignore_case) == (frozenset(needs) if needs else None)


def test_only_patterns_that_may_start_anywhere_scan():
    assert scans(r"^.{0,80}\bsign up for")
    assert scans(r"^\W*(\w+\W+){0,12}click here\W{0,3}$")
    assert not scans(r"^(\^ ?)?(back to top|next story)$")  # an optional group, then words
    assert not scans(r"^(share|tweet)[.!:]?$")


def test_any_of_leaves_out_strings_that_hold_another():
    assert any_of([frozenset({"Photo", "Photos"}), frozenset({"(", " Photo "})]) == (
        "(",
        "Photo",
    )
    assert any_of([frozenset({"x"}), None]) == ("",)  # a pattern that needs nothing


GUARDED = [
    *((p, True) for n, p in enumerate(boilerplate._PATTERNS) if n in boilerplate._GUARD_OF),
    *((p.replace("{agencies}", captions._AGENCIES), False) for p in captions._rules["credits"]),
    *((p, i) for p, i, needs in CASES if needs),
]


@pytest.mark.parametrize(("pattern", "ignore_case"), GUARDED)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_holds_a_needed_string(pattern, ignore_case, data):
    if isinstance(pattern, tuple):
        pattern = pattern[1]
    compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    line = data.draw(st.from_regex(compiled))
    needs = needed_strings(pattern, ignore_case, 1, fewest=not ignore_case)
    if compiled.search(line):
        held = fold_case(line) if ignore_case else line
        assert any(s in held for s in needs), (line, needs)

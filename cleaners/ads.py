"""Advertisement labels and ad-slot lines.

Precision first: a line is an ad line only when the whole line is a label (in any case,
with the misspellings and languages of ``rules/ads.toml``), or a short run of capitalised
sponsor words ending in a label. A sentence that mentions advertising is prose, not a
label, and stays.
"""

from __future__ import annotations

import re

from newsclean.cleaners.rules import load

RULE = "ad_label"

_rules = load("ads")
_LABELS = frozenset(label for labels in _rules["labels"].values() for label in labels)
_EDGES = " \t-–—_·•|*:>»«<[](){}"
_SPONSOR_WORDS = _rules["sponsor"]["max_words"]
_SPONSOR_LABELS = "|".join(re.escape(label) for label in _rules["sponsor"]["labels"])
_SPONSOR = re.compile(
    rf"^(?P<sponsor>(?:[\w&'’.+-]+\s+){{1,{_SPONSOR_WORDS}}})(?P<label>{_SPONSOR_LABELS})$",
    re.IGNORECASE,
)


_DISCLOSURE = re.compile(
    "|".join(f"(?:{p})" for p in _rules["disclosures"]["patterns"]), re.IGNORECASE
)
_DISCLOSURE_MAX_WORDS = _rules["disclosures"]["max_words"]


def is_ad_label(line: str) -> bool:
    """True when the whole line is an ad label, ad slot or ad disclosure."""
    key = " ".join(line.casefold().split()).strip(_EDGES)
    if key in _LABELS:
        return True
    if len(key.split()) <= _DISCLOSURE_MAX_WORDS and _DISCLOSURE.match(line.strip()):
        return True
    m = _SPONSOR.match(line.strip(_EDGES))
    if not m:
        return False
    # A sponsor is a name: every word capitalised (or a digit/brand token), so that
    # "spent heavily on advertising" never matches.
    return all(w[0].isupper() or w[0].isdigit() for w in m.group("sponsor").split())

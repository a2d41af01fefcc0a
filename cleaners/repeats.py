"""Paragraphs repeated within one page (templates that print a standfirst twice, sliders
that repeat the lead). The first copy stays where it is; later copies are cut."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from newsclean.cleaners.captions import line_key as caption_key

RULE = "duplicate_paragraph"
# Shorter repeated lines are structure (table cells, list labels such as "Meal 2", lone
# dashes), which the reference texts keep; only prose paragraphs count as duplicates.
MIN_WORDS = 6
# A page built from repetition (a weekly meal plan, a listing, a table printed as rows)
# repeats lines that are lists of quantities, not prose: only prose paragraphs (ending a
# sentence, few numbers) count as duplicates. A template that prints the whole article
# twice (businessinsider.com) repeats prose.
MAX_NUMBER_SHARE = 0.1
_NUMBER = re.compile(r"^\W*\d")
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "»", ")")
# Lines that repeat by nature: table rows (a header row printed again per section,
# "| Pos | Player | Plays |") and the attribution line of an embedded post
# ("— The Nigerian Senate (@NGRSenate) October 9, 2018"), the same tweet shown twice.
_STRUCTURAL = re.compile(r"^\s*\||\(@\w{1,30}\)")


def repeated_indices(lines: list[str], key_of: Callable[[str], str] = caption_key) -> list[int]:
    """Indices of the lines that repeat an earlier line of the same page (``key_of``:
    ``captions.line_key`` or a page's memo of it)."""
    keys = [key_of(line) if _is_prose(line) else "" for line in lines]
    counts = Counter(k for k in keys if k)
    repeated = {k for k, n in counts.items() if n > 1}
    seen: set[str] = set()
    out = []
    for i, key in enumerate(keys):
        if key not in repeated:
            continue
        if key in seen:
            out.append(i)
        else:
            seen.add(key)
    return out


def _is_prose(line: str) -> bool:
    words = line.split()
    if len(words) < MIN_WORDS or _STRUCTURAL.search(line) or not line.endswith(_SENTENCE_END):
        return False
    return sum(1 for w in words if _NUMBER.match(w)) / len(words) < MAX_NUMBER_SHARE

"""Paragraphs repeated within one page (templates that print a standfirst twice, sliders
that repeat the lead). The first copy stays where it is; later copies are cut."""

from __future__ import annotations

from cleaners.normalize import fold

RULE = "duplicate_paragraph"


def repeated_indices(lines: list[str]) -> list[int]:
    """Indices of the lines that repeat an earlier line of the same page."""
    seen: set[str] = set()
    out = []
    for i, line in enumerate(lines):
        key = fold(line)
        if key in seen:
            out.append(i)
        else:
            seen.add(key)
    return out

"""The headline: for already-extracted text, its first line when that line reads like a
title (short, standing alone, not a sentence), as in the seed; for HTML, the metadata
title, which trafilatura often prints again as the body's first line."""

from __future__ import annotations

from newsclean.cleaners.normalize import fold

RULE = "title"

MAX_WORDS = 25
MAX_CHARS = 250


def split_headline(lines: list[str]) -> tuple[str | None, list[str]]:
    """(headline, remaining lines); (None, lines) when the first line is not a headline."""
    if len(lines) < 2:
        return None, lines
    first = lines[0]
    if (
        len(first) <= MAX_CHARS
        and len(first.split()) <= MAX_WORDS
        # a title does not end a sentence or lead into the next line
        and not first.endswith((".", ",", ";", ":", "…"))
    ):
        return first, lines[1:]
    return None, lines


# A section's label that some pages print above the headline ("Breaking News",
# "Football"): a few words, no sentence.
MAX_KICKER_WORDS = 4


def repeats_title(first_line: str, title: str | None) -> bool:
    """True when the body's first line is the page title again (the article's <h1>)."""
    return bool(title) and fold(first_line) == fold(title)


def printed_title(lines: list[str], title: str | None) -> list[int]:
    """The indices of the lines that print the headline again: the first line, or the
    second under a section's label (``Breaking News``, then the headline), label and
    headline both."""
    if lines and repeats_title(lines[0], title):
        return [0]
    if (
        len(lines) > 1
        and repeats_title(lines[1], title)
        and len(lines[0].split()) <= MAX_KICKER_WORDS
        and not lines[0].endswith((".", "!", "?", ":", ";", ","))
    ):
        return [0, 1]
    return []

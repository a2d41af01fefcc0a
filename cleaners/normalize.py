"""Text normalisation: one clean paragraph per line, nothing invisible left behind."""

from __future__ import annotations

import re
import unicodedata

# Spaces that render as a space but are not U+0020: no-break (the seed's blank line is a
# lone U+00A0), figure, narrow no-break, ideographic, and the typographic widths.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
# Characters with no width that scrapers leave around: zero-width space/joiners, BOM,
# soft hyphen, word joiner. Removing ZWJ would break emoji sequences, so it stays.
_INVISIBLE = re.compile(r"[\u200b\u200c\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def normalize_line(line: str) -> str:
    """NFC, odd spaces made plain, invisible characters dropped, runs of spaces folded."""
    if line.isascii() and line.isprintable():
        # (most lines) nothing to compose, drop or replace: printable ASCII holds no
        # control, invisible or odd space, and its only whitespace is the space
        return (_RUNS_OF_SPACES.sub(" ", line) if "  " in line else line).strip()
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", _CONTROL.sub("", line))
    line = _ODD_SPACES.sub(" ", line)
    return _RUNS_OF_SPACES.sub(" ", line).strip()


def paragraphs(text: str) -> list[str]:
    """Split text into normalised paragraphs, one per line, dropping whitespace-only lines.

    Each input line is a paragraph: trafilatura emits one paragraph per line, and in
    already-extracted text (the seed) a caption and its copy stand on adjacent lines that
    must not be glued together.
    """
    out = []
    for raw in _LINE_BREAKS.sub("\n", text).split("\n"):
        line = normalize_line(raw)
        if line:
            out.append(line)
    return out


def fold(text: str) -> str:
    """A comparison key: case-folded, punctuation-insensitive at the edges, spaces folded."""
    return " ".join(text.casefold().split()).strip(" .,;:-–—|·•*")


def word_count(text: str) -> int:
    return len(text.split())

"""Near-duplicate stories: the signature that says two cleaned texts are the same story
with light edits (another headline, a dateline added, a paragraph cut, a correction
note, typos mended, paragraphs joined).

MinHash over word 5-gram shingles (rensa, a maintained Rust implementation; 128
permutations): the share of equal slots between two signatures estimates the Jaccard
similarity of their shingle sets. Wire copy edited by an outlet keeps 0.75 to 0.95 of its
5-grams; a follow-up that keeps less than half of the earlier text, or two different
releases that share one boilerplate paragraph, stay well under 0.5. Words are compared
case-folded and without punctuation, so that joining paragraphs or mending a quote mark
changes nothing.

The index that finds candidates among millions of stored signatures, and the decision
(earliest article first, across runs), live in ``flows/near.py``.
"""

from __future__ import annotations

import re

from rensa import RMinHash

NUM_PERM = 128
SEED = 1
SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = SHINGLE_WORDS) -> list[str]:
    """The text's word n-grams, case-folded; a text shorter than n words is one
    shingle (a very short text is near-duplicate only of the same words)."""
    words = _WORD.findall(text.casefold())
    if len(words) <= n:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]


def signature(text: str) -> RMinHash | None:
    """The MinHash of the text's shingles; None for a text with no words."""
    grams = shingles(text)
    if not grams:
        return None
    sig = RMinHash(num_perm=NUM_PERM, seed=SEED)
    sig.update(grams)
    return sig


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets (0 when either has no
    words)."""
    sa, sb = signature(a), signature(b)
    return sa.jaccard(sb) if sa is not None and sb is not None else 0.0

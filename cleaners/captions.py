"""Image captions that leak into the body text.

Two signals, both from pages in the wild:

* a caption printed twice (once under the image, once in the image's alt text or a
  gallery), as in the seed: ``Kazakh President Kassym-Jomart Tokayev. (AP)`` on two lines;
* a photo credit (``(AP)``, ``(AP Photo/…)``, ``Photo: …``, ``| Reuters``, ``Getty Images``,
  ``REUTERS/…``) on a short line.

HTML pages add a third: the text of ``<figcaption>``, caption-class elements and image
alt/title attributes, found by the extractor, marks body lines equal to it as captions.

Every copy of a caption leaves the body; the caption is kept once, in order of first
appearance.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from newsclean.cleaners.datelines import split_dateline
from newsclean.cleaners.normalize import fold, word_count
from newsclean.cleaners.rules import agencies, alternation, load, photo_services
from newsclean.cleaners.rules.needs import any_of, needed_strings

RULE = "caption"

_rules = load("captions")
_AGENCIES = alternation(agencies() + photo_services())
_CREDIT = re.compile(
    "|".join(f"(?:{p.replace('{agencies}', _AGENCIES)})" for p in _rules["credits"])
)
_MAX_WITH_CREDIT = _rules["max_words_with_credit"]
_MAX_REPEATED = _rules["max_words_repeated"]
_MIN_REPEATED = _rules["min_words_repeated"]


# Each credit pattern needs one of a few strings ("(", "|", " by ", "Getty Images", ...):
# a line with none of them (most lines) is not searched (cleaners/rules/needs.py).
_CREDIT_NEEDS = [
    needed_strings(p.replace("{agencies}", _AGENCIES), fewest=True) for p in _rules["credits"]
]
_ANY_CREDIT_NEEDS = any_of(_CREDIT_NEEDS)


def has_credit(line: str) -> bool:
    """True when a short line carries a photo credit."""
    return (
        word_count(line) <= _MAX_WITH_CREDIT
        and any(s in line for s in _ANY_CREDIT_NEEDS)
        and _CREDIT.search(line) is not None
    )


def _looks_like_caption(line: str) -> bool:
    # A repeated question, exclamation or quotation is a pull-quote or a subhead, not a
    # caption: keep it (the repeats rule keeps one copy).
    return _MIN_REPEATED <= word_count(line) <= _MAX_REPEATED and not line.endswith(
        ("?", "!", "”", '"', ":")
    )


def line_key(line: str) -> str:
    # A dateline prefix does not make a line another line: without this, cutting the
    # dateline from one copy would change how often the others seem to repeat.
    found = split_dateline(line)
    return fold(found[1] if found else line)


def find_captions(
    lines: list[str],
    known: Iterable[str] = (),
    key_of: Callable[[str], str] = line_key,
    credited: Callable[[str], bool] = has_credit,
) -> tuple[list[str], list[int]]:
    """Caption texts (once each, in order) and the indices of every body line that is one.

    ``known`` are caption texts taken from the page's HTML (figcaption, alt, title);
    ``key_of`` and ``credited`` are ``line_key`` and ``has_credit``, or a page's memo of
    them (cleaners/pipeline.py asks again as lines go).
    """
    known_keys = {fold(k) for k in known if k and k.strip()}
    keys = [key_of(line) for line in lines]
    marked = {
        i
        for i, (line, key) in enumerate(zip(lines, keys, strict=True))
        if key and (key in known_keys or credited(line))
    }
    # Without a credit, only a line printed twice in a row is a caption (the seed's
    # shape: the caption under the image, then the same text again from its alt
    # attribute), once the credited captions between lines are gone. Lines repeated
    # further apart or more often are table cells and list items, which the reference
    # texts keep.
    rest = [i for i in range(len(lines)) if i not in marked and keys[i]]
    counts = Counter(keys[i] for i in rest)
    for prev, cur in zip(rest, rest[1:], strict=False):
        key = keys[cur]
        if key == keys[prev] and counts[key] == 2 and _looks_like_caption(lines[cur]):
            marked.update((prev, cur))
    marked_keys = {keys[i] for i in marked}
    captions: dict[str, str] = {}
    indices = []
    for i, (line, key) in enumerate(zip(lines, keys, strict=True)):
        # every copy of a caption goes, wherever it stands
        if key and key in marked_keys:
            captions.setdefault(key, line)
            indices.append(i)
    return list(captions.values()), indices

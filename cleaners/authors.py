"""Bylines as people: the page's author metadata without the outlet, the job titles and
the repeats that metadata often mixes in (`Mathias Hagen; Journalist; Anders
Skjerdingstad`, `Sophie Foster; Sophie-Foster`, `Lesotho Times`), `; `-separated in
reading order. A name that is only the site's (its domain or its declared site name) is
the outlet, not a person."""

from __future__ import annotations

import re

from newsclean.cleaners.titles import site_keys, slug

# Job titles and desk labels that bylines carry beside the names, in several languages.
ROLES = frozenset(
    "journalist journalistin reporter reporterin correspondent editor redakteur redakteurin "
    "redaktion redacción rédaction staff writer author autor autorin photographer "
    "fotograf contributor columnist kolumnist".split()
)
_SPLIT = re.compile(r"\s*;\s*")
# "Quelle: dpa": the label of a credit, not part of the name (an agency that wrote
# the story is its byline, as wire copy credits it)
_SOURCE_LABEL = re.compile(r"^(?:quelle|source|fuente|bron|fonte|kilde)\b:?\s*", re.I)


def people(
    author: str | None,
    url: str | None = None,
    site_name: str | None = None,
    rights_holder: str | None = None,
) -> str | None:
    """The people among ``author``'s names, once each, in order; None when none is left.
    ``rights_holder``: the page's copyright notice (``Copyright (c) Condé Nast 2024``):
    a name it holds beside others is the publisher, not a writer."""
    if not author:
        return None
    sites = site_keys(url, site_name)
    holder = slug(rights_holder or "")
    seen, kept = set(), []
    for name in _SPLIT.split(author):
        name = " ".join(_SOURCE_LABEL.sub("", name).split())
        key = slug(name)
        if not key or key in seen or name.casefold() in ROLES:
            continue
        if key in sites or slug(name.split()[0]) in sites:
            continue  # the outlet: "Lesotho Times", "Mdr De", "N-Tv Nachrichten"
        seen.add(key)
        kept.append(name)
    # The publisher ("Condé Nast" of "Copyright (c) Condé Nast 2024") beside the writers;
    # a name alone stays: a blog's writer often holds its copyright too.
    writers = [n for n in kept if not (len(slug(n)) >= 4 and slug(n) in holder)]
    return "; ".join(writers or kept) or None

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


def people(author: str | None, url: str | None = None, site_name: str | None = None) -> str | None:
    """The people among ``author``'s names, once each, in order; None when none is left."""
    if not author:
        return None
    sites = site_keys(url, site_name)
    seen, kept = set(), []
    for name in _SPLIT.split(author):
        name = " ".join(name.split())
        key = slug(name)
        if not key or key in seen or name.casefold() in ROLES:
            continue
        if key in sites or slug(name.split()[0]) in sites:
            continue  # the outlet: "Lesotho Times", "Mdr De", "N-Tv Nachrichten"
        seen.add(key)
        kept.append(name)
    return "; ".join(kept) or None

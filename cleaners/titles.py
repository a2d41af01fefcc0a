"""The headline as printed: the page's title without the site name around it.

``<title>`` and og:title often carry the outlet (``... - CNN.com``, ``KalingaTimes.com:
...``, ``Daily Star :: Celeb News :: ...``). Two signals, precision first:

* a heading of the page (``<h1>``, else ``<h2>``) that stands whole inside the title is
  the headline (the rest is the site's);
* otherwise, a segment of the title after or before a separator (`` | ``, `` - ``, `` -- ``,
  `` – ``, `` — ``, `` :: ``, `` » ``, ``: ``) that names the site (its domain's name, or
  the page's declared site name) is cut.

A title with nothing to cut stays as it is.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

_SEPARATORS = re.compile(r"\s+(?:\||--?|–|—|::|»|«|·|/)\s+|(?<=\w):\s+|_(?=[A-Z])")
_ALNUM = re.compile(r"[\W_]+")
_GENERIC_LABELS = frozenset({"www", "news", "com", "co", "org", "net", "uk", "au", "in"})
MIN_HEADLINE_WORDS = 3


def slug(text: str) -> str:
    """Letters and digits only (any script), case-folded: how names and sites compare."""
    return _ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def site_keys(url: str | None, site_name: str | None) -> set[str]:
    keys = set()
    if site_name and len(slug(site_name)) >= 3:
        keys.add(slug(site_name))
    if url:
        host = (urlsplit(url).hostname or "").lower()
        labels = [p for p in host.split(".") if p and p not in _GENERIC_LABELS]
        if labels:
            keys.add(slug(labels[-1]))  # "cnn" of edition.cnn.com
            keys.add(slug(labels[0]))  # "xinhuanet" of news.xinhuanet.com
    return {k for k in keys if len(k) >= 3}


def _names_site(segment: str, sites: set[str]) -> bool:
    key = slug(segment)
    return bool(key) and any(site in key or key in site for site in sites)


def headline(
    title: str | None,
    headings: list[str] = (),
    url: str | None = None,
    site_name: str | None = None,
) -> str | None:
    """The title without the site name, as the module docstring says; None stays None."""
    if not title:
        return title
    title = " ".join(title.split())
    folded = slug(title)
    for heading in headings:
        text = " ".join(heading.split())
        if len(text.split()) >= MIN_HEADLINE_WORDS and slug(text) and slug(text) in folded:
            if len(slug(text)) < len(folded):
                return text
            return title  # the same words: keep the title's own spelling
    sites = site_keys(url, site_name)
    if not sites:
        return title
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    kept = list(parts)
    while len(kept) > 1 and _names_site(kept[-1], sites):
        kept.pop()
    while len(kept) > 1 and _names_site(kept[0], sites):
        kept.pop(0)
    if kept == parts:
        return title
    # the headline is the longest remaining segment when the site left section names
    # ("Daily Star :: Celeb News :: Stars slam ...")
    best = max(kept, key=lambda p: len(p.split()))
    return best.strip() if len(best.split()) >= MIN_HEADLINE_WORDS else title

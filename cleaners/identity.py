"""Stable identifiers: the same page gets the same doc_id in every run."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str | None:
    """Scheme and host lower-cased, default port, fragment and trailing slash dropped.

    Returns None for a string that is not an absolute http(s) URL.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def domain_of(url: str | None) -> str | None:
    """The host without a leading ``www.``."""
    norm = normalize_url(url) if url else None
    if norm is None:
        return None
    host = urlsplit(norm).hostname or ""
    return host.removeprefix("www.") or None


def doc_id(url: str | None, content: str | bytes | None) -> str:
    """A hash of the normalised URL, else of the raw content."""
    norm = normalize_url(url) if url else None
    if norm is not None:
        data = b"url:" + norm.encode("utf-8")
    elif isinstance(content, bytes):
        data = b"raw:" + content
    else:
        data = b"raw:" + (content or "").encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def text_key(text: str) -> str:
    """A hash of the cleaned text, case and spacing folded: equal keys are exact
    duplicates for the `duplicates.reject_exact` policy."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()[:32]

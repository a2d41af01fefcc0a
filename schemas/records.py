"""Record types: a raw page in, an article or a rejection out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece cut from the body, and the rule that cut it."""

    rule: str
    text: str
    # Where it stood: its paragraph's index in the body as extracted, before any cut (a
    # dateline shares it with the rest of its paragraph); None for a reader's repair.
    # With the kept lines in order, this puts every piece back in place (audit view).
    line: int | None = None


@dataclass(frozen=True, slots=True)
class RawPage:
    """One page as a reader found it, before any cleaning.

    ``html`` wins over ``text`` when both are present. ``error`` is set by a reader that
    could not make a page out of its input (a malformed JSON line, an unreadable file): the
    page still flows through the pipeline so that it ends as a row in ``rejects``.
    """

    source_id: str
    input_path: str
    html: str | bytes | None = None
    text: str | None = None
    url: str | None = None
    fetched_at: datetime | None = None
    lang_hint: str | None = None
    title: str | None = None
    source_meta: dict[str, Any] = field(default_factory=dict)
    error: tuple[str, str] | None = None  # (reason code, human-readable detail)
    id_line: int | None = None  # the input line, when the record named its own id
    # What a reader had to mend to make the content a valid string (lone surrogates),
    # as pieces removed from the page: they lead the article's ``removed``.
    repairs: tuple[Removed, ...] = ()


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline cut from the start of the body, parsed into its parts."""

    raw: str
    location: str | None = None
    source: str | None = None
    date: str | None = None


@dataclass(slots=True)
class Article:
    doc_id: str
    source_id: str
    input_path: str
    text: str
    language: str
    language_score: float
    url: str | None = None
    domain: str | None = None
    title: str | None = None
    # the people who wrote it (or the desk or agency that signs it), in reading order
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    fetched_at: datetime | None = None
    captions: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    removed: list[Removed] = field(default_factory=list)
    decision: str = "keep"
    flags: list[str] = field(default_factory=list)
    near_duplicate_of: str | None = None  # decided by the run's driver, not per page
    # the rule or source each of title, published and authors came from (schemas/parquet.py
    # PROVENANCE_TYPE): {"title": "headline", "published": "json_ld", ...}
    provenance: dict[str, str | None] = field(default_factory=dict)
    word_count: int = 0
    # The text's near-duplicate signature (MinHash state), made where the text is when
    # the policy looks for near-duplicates, for the run's driver to decide on; not a
    # column of the dataset (its schema does not name it).
    signature: bytes | None = None


@dataclass(slots=True)
class Rejection:
    doc_id: str
    source_id: str
    input_path: str
    reason: str
    detail: str
    url: str | None = None

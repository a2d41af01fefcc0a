"""Every reason a page can be rejected for: the one list that readers, cleaners,
moderation and the run's driver use, and that the README documents.

A ``StrEnum``, so a reason is stored in Parquet and counted as its plain code
(``"too_short"``), and a typo in a module is an AttributeError, not a new code.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    # input: the record could not become a page
    EMPTY = "empty"
    UNDECODABLE = "undecodable"
    MALFORMED_RECORD = "malformed_record"
    TRUNCATED = "truncated"
    UNREADABLE = "unreadable"
    # budget and failure: the page could not be cleaned within its limits
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    EXTRACTION_ERROR = "extraction_error"
    WORKER_CRASHED = "worker_crashed"
    # content
    NO_MAIN_TEXT = "no_main_text"
    # policy
    LANGUAGE = "language"
    TOO_SHORT = "too_short"
    BOILERPLATE = "boilerplate"
    BLOCKED_DOMAIN = "blocked_domain"
    BLOCKED_TERM = "blocked_term"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"


# What each reason means, for the README and the run report (tests keep them in step).
DESCRIPTIONS: dict[Reason, str] = {
    Reason.EMPTY: "the file, record or page holds nothing",
    Reason.UNDECODABLE: "bytes that no text encoding fits (binary junk, NUL bytes)",
    Reason.MALFORMED_RECORD: "a JSON Lines record that cannot become a page, or an id "
    "used again in the same file",
    Reason.TRUNCATED: "a .gz or WARC input that breaks off; the pages before the break count",
    Reason.UNREADABLE: "an input that cannot be read (gone, or no permission)",
    Reason.TOO_LARGE: "a page over `--max-page-mb`",
    Reason.TIMEOUT: "a page whose cleaning took longer than `--page-timeout`",
    Reason.EXTRACTION_ERROR: "a page on which the extractor failed",
    Reason.WORKER_CRASHED: "a page that killed its worker process twice",
    Reason.NO_MAIN_TEXT: "no main text found, or nothing left after cleaning",
    Reason.LANGUAGE: "a language the policy does not allow (detail: language and score)",
    Reason.TOO_SHORT: "fewer words than the policy's `min_words`",
    Reason.BOILERPLATE: "removed pieces over the policy's `max_share` of the page",
    Reason.BLOCKED_DOMAIN: "a domain the policy blocks (detail: the entry)",
    Reason.BLOCKED_TERM: "a term the policy blocks (detail: the term)",
    Reason.DUPLICATE: "the same cleaned text as an earlier page (detail: its doc_id)",
    Reason.NEAR_DUPLICATE: "the same story as an earlier article, lightly edited "
    "(detail: its doc_id)",
}

"""The one place where the cleaners are composed: ``RawPage -> Article | Rejection``.

Each cleaner decides about lines; this module applies the decisions in a fixed order,
records every cut in ``removed`` (in the order the pieces stood in the page) and hands
the result to moderation. Counting by rule and by reason falls out of the records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from newsclean.cleaners import ads, boilerplate, captions, datelines, headline, repeats
from newsclean.cleaners.decode import (
    INVALID_UNICODE,
    UndecodableError,
    decode_bytes,
    strip_xml_declaration,
)
from newsclean.cleaners.identity import doc_id, domain_of
from newsclean.cleaners.moderation import moderate
from newsclean.cleaners.near_duplicates import signature
from newsclean.cleaners.normalize import normalize_line, paragraphs, word_count
from newsclean.schemas.policy import DEFAULT_POLICY, Policy
from newsclean.schemas.reasons import Reason
from newsclean.schemas.records import Article, Dateline, RawPage, Rejection, Removed


@dataclass(slots=True)
class CleanBody:
    lines: list[str]
    captions: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    removed: list[Removed] = field(default_factory=list)


@dataclass(slots=True)
class _Body:
    """The body as the passes cut it: its lines, and each cut by line index."""

    lines: list[str]
    known_captions: tuple[str, ...]
    title: str | None
    cuts: dict[int, Removed] = field(default_factory=dict)
    captions: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    rest: dict[int, str] = field(default_factory=dict)  # a line's text after a cut at its start

    def alive(self) -> list[int]:
        return [i for i in range(len(self.lines)) if i not in self.cuts]

    def cut(self, i: int, rule: str, text: str | None = None) -> None:
        self.cuts[i] = Removed(rule, self.lines[i] if text is None else text, i)


def _title_first(body: _Body) -> None:
    """The headline printed again as the body's first line."""
    if body.lines and headline.repeats_title(body.lines[0], body.title):
        body.cut(0, headline.RULE)


def _line_rules(body: _Body) -> None:
    """Ad labels and boilerplate lines, each line on its own."""
    for i, line in enumerate(body.lines):
        if i not in body.cuts:
            rule = ads.RULE if ads.is_ad_label(line) else boilerplate.boilerplate_rule(line)
            if rule:
                body.cut(i, rule)


def _title_under_cuts(body: _Body) -> None:
    """The headline under lines the rules above cut (a credit, a row of pipes), or
    under a section's label."""
    if 0 in body.cuts and body.cuts[0].rule == headline.RULE:
        return
    alive = body.alive()[:2]
    for j in headline.printed_title([body.lines[i] for i in alive], body.title):
        body.cut(alive[j], headline.RULE)


def _captions_and_repeats(body: _Body) -> None:
    """Captions and repeated paragraphs. Both decide from neighbours and counts, which
    change as lines go (a cut can make two copies of a caption adjacent): run until
    nothing more goes, so that cleaning the output again finds nothing left to cut.
    Each line is keyed and tested for a credit once (the memos live for this page)."""
    key_of, credited = cache(captions.line_key), cache(captions.has_credit)
    while True:
        alive = body.alive()
        more, caption_idx = captions.find_captions(
            [body.lines[i] for i in alive], body.known_captions, key_of, credited
        )
        body.captions += [c for c in more if c not in body.captions]
        for j in caption_idx:
            body.cut(alive[j], captions.RULE)
        alive = [i for i in alive if i not in body.cuts]
        repeated = repeats.repeated_indices([body.lines[i] for i in alive], key_of)
        for j in repeated:
            body.cut(alive[j], repeats.RULE)
        if not caption_idx and not repeated:
            return


def _dateline(body: _Body) -> None:
    """The dateline at the start of the first paragraph that has one."""
    alive = body.alive()
    hit = datelines.find_dateline([body.lines[i] for i in alive])
    if hit:
        j, body.dateline, rest = hit
        body.rest[alive[j]] = rest
        body.cut(alive[j], datelines.RULE, body.dateline.raw)


@dataclass(frozen=True, slots=True)
class BodyPass:
    rules: tuple[str, ...]  # the rule names its cuts carry in ``removed``
    apply: Callable[[_Body], None]


# The body's cleaning: these passes, in this order (each module has what its rules mean).
BODY_PASSES = (
    BodyPass((headline.RULE,), _title_first),
    BodyPass((ads.RULE, *boilerplate.RULES), _line_rules),
    BodyPass((headline.RULE,), _title_under_cuts),
    BodyPass((captions.RULE, repeats.RULE), _captions_and_repeats),
    BodyPass((datelines.RULE,), _dateline),
)


# The rows of a table layout that extraction left out (cleaners/main_text.py: a layout's
# core), recorded as cut by this rule.
LAYOUT_RULE = "layout_table"


def removal_rules() -> tuple[str, ...]:
    """Every rule name that ``removed`` can hold, in the order the cleaners run."""
    names = [INVALID_UNICODE, LAYOUT_RULE, *(rule for p in BODY_PASSES for rule in p.rules)]
    return tuple(dict.fromkeys(names))


def clean_body(
    lines: list[str], known_captions: tuple[str, ...] = (), title: str | None = None
) -> CleanBody:
    """Cut the repeated title, ads, boilerplate, captions, repeated paragraphs and the
    dateline from normalised body lines (BODY_PASSES, in order)."""
    body = _Body(lines, known_captions, title)
    for step in BODY_PASSES:
        step.apply(body)
    kept = [i for i in range(len(lines)) if i not in body.cuts or i in body.rest]
    return CleanBody(
        lines=[body.rest.get(i, lines[i]) for i in kept],
        captions=body.captions,
        dateline=body.dateline,
        removed=[body.cuts[i] for i in sorted(body.cuts)],
    )


def reject(page: RawPage, reason: str, detail: str, ident: str | None = None) -> Rejection:
    """The Rejection of a page, with its doc_id (computed when not given)."""
    if ident is None:
        ident = doc_id(page.url, page.html if page.html is not None else page.text)
    return Rejection(
        doc_id=ident,
        source_id=page.source_id,
        input_path=page.input_path,
        url=page.url,
        reason=reason,
        detail=detail,
    )


def _published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _size(content: str | bytes) -> int:
    return len(content) if isinstance(content, bytes) else len(content.encode("utf-8", "replace"))


def reject_unread(
    page: RawPage, max_bytes: int | None = None, ident: str | None = None
) -> Rejection | None:
    """The rejection of a page that is not to be cleaned at all (a reader's error, or
    over the size limit), else None: cheap, so callers decide it before handing the
    page to a worker."""
    if page.error:
        return reject(page, *page.error, ident)
    content = page.html if page.html is not None else page.text
    if max_bytes is not None and content is not None and _size(content) > max_bytes:
        detail = f"{_size(content):,} bytes, more than the limit of {max_bytes:,}"
        return reject(page, Reason.TOO_LARGE, detail, ident)
    return None


def clean_contained(
    page: RawPage, policy: Policy = DEFAULT_POLICY, max_bytes: int | None = None
) -> Article | Rejection:
    """``clean_page`` for a run: an exception on one page (a bug, a library failure, a
    tree nested too deeply) is that page's ``extraction_error`` reject, not the run's end."""
    try:
        return clean_page(page, policy, max_bytes)
    except RecursionError:
        return reject(page, Reason.EXTRACTION_ERROR, "the page is nested too deeply to parse")
    except Exception as exc:  # a bug or a library failure on this page only
        return reject(page, Reason.EXTRACTION_ERROR, f"{type(exc).__name__}: {str(exc)[:300]}")


def clean_page(
    page: RawPage, policy: Policy = DEFAULT_POLICY, max_bytes: int | None = None
) -> Article | Rejection:
    """Clean one page and decide about it. Never raises for bad content: a page that
    cannot be cleaned comes back as a Rejection with a reason."""
    content = page.html if page.html is not None else page.text
    ident = doc_id(page.url, content)
    early = reject_unread(page, max_bytes, ident)
    if early is not None:
        return early

    # Imported here, where pages are cleaned: a run's driver only rejects pages it cannot
    # read, and starts a second faster without trafilatura, htmldate and langdetect.
    from newsclean.cleaners.extract import extract
    from newsclean.cleaners.language import detect_language

    title = author = published = None
    known: tuple[str, ...] = ()
    dropped: list[Removed] = []  # what extraction left out and names (a layout's rows)
    sources: dict[str, str] = {}  # where title, date and author came from
    if page.html is not None:
        html = page.html
        if isinstance(html, bytes):
            try:
                html = decode_bytes(html)
            except UndecodableError as exc:
                return reject(page, Reason.UNDECODABLE, str(exc), ident)
        if not html.strip():
            return reject(page, Reason.EMPTY, "the page's HTML is empty", ident)
        # lxml refuses NUL characters in a str; in text they carry nothing.
        extraction = extract(strip_xml_declaration(html.replace("\x00", "")), page.url)
        if extraction is None:
            return reject(page, Reason.NO_MAIN_TEXT, "trafilatura found no main text", ident)
        lines = paragraphs(extraction.text)
        title, author = extraction.title, extraction.author
        published = _published(extraction.date)
        known = extraction.captions
        sources = extraction.provenance
        dropped = [Removed(LAYOUT_RULE, normalize_line(line)) for line in extraction.layout_cuts]
    elif page.text is not None:
        lines = paragraphs(page.text)
        title, lines = (page.title, lines) if page.title else headline.split_headline(lines)
        sources = {"title": "record" if page.title else "first_line"}
    else:
        return reject(page, Reason.EMPTY, "the record has neither html nor text", ident)

    if not lines:
        return reject(page, Reason.EMPTY, "the page has no text", ident)
    body = clean_body(lines, known, title)
    if not body.lines:
        detail = f"nothing left after removing {len(body.removed)} pieces"
        return reject(page, Reason.NO_MAIN_TEXT, detail, ident)

    text = "\n".join(body.lines)
    language, score = detect_language(text, policy.language.min_score, page.lang_hint)
    domain = domain_of(page.url)
    words = word_count(text)
    verdict = moderate(
        text=text,
        domain=domain,
        language=language,
        language_score=score,
        word_count=words,
        removed_chars=sum(len(r.text) for r in body.removed),
        policy=policy,
    )
    if verdict.reason:
        return reject(page, verdict.reason, verdict.detail, ident)
    sig = signature(text) if policy.duplicates.near_threshold > 0 else None
    return Article(
        doc_id=ident,
        source_id=page.source_id,
        input_path=page.input_path,
        text=text,
        language=language,
        language_score=score,
        url=page.url,
        domain=domain,
        title=title,
        authors=author.split("; ") if author else [],
        published=published,
        fetched_at=page.fetched_at,
        captions=body.captions,
        dateline=body.dateline,
        removed=[*page.repairs, *dropped, *body.removed],
        decision=verdict.decision,
        flags=list(verdict.flags),
        provenance={
            "title": sources.get("title") if title else None,
            "published": sources.get("date") if published else None,
            "authors": sources.get("author") if author else None,
        },
        word_count=words,
        signature=sig.__getstate__() if sig is not None else None,
    )

"""Readers: input paths to a lazy stream of RawPage records.

Every reader is a generator: it holds one page (or one JSON line) at a time, whatever the
size of the input. A record that cannot be made into a page is still yielded, with
``error`` set, so that it ends as a row in ``rejects`` instead of vanishing.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime

from newsclean.cleaners.decode import (
    UndecodableError,
    decode_bytes,
    escape_surrogates,
    has_surrogates,
    repair_text,
)
from newsclean.cleaners.identity import normalize_url
from newsclean.flows import storage
from newsclean.schemas.reasons import Reason
from newsclean.schemas.records import RawPage

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt",)
SUPPORTED_SUFFIXES = JSONL_SUFFIXES + WARC_SUFFIXES + HTML_SUFFIXES + TEXT_SUFFIXES
_KNOWN_FIELDS = {"id", "url", "html", "text", "fetched_at", "lang", "title"}


class InputError(ValueError):
    """An input argument that cannot be read: reported to the user, never a reject."""


def input_kind(path: str) -> str:
    """How an input is read: ``jsonl``, ``jsonl.gz``, ``warc``, ``warc.gz``, ``html`` or
    ``txt`` (one of the SUPPORTED_SUFFIXES, with .ndjson read as .jsonl and .htm as
    .html)."""
    lower = path.lower()
    for suffixes, kind in (
        ((".jsonl.gz", ".ndjson.gz"), "jsonl.gz"),
        ((".jsonl", ".ndjson"), "jsonl"),
        ((".warc.gz",), "warc.gz"),
        ((".warc",), "warc"),
        (HTML_SUFFIXES, "html"),
        (TEXT_SUFFIXES, "txt"),
    ):
        if lower.endswith(suffixes):
            return kind
    return "unknown"


def is_supported(path: str) -> bool:
    return path.lower().endswith(SUPPORTED_SUFFIXES)


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files named by paths, folders (walked recursively) and globs, sorted, without
    duplicates. Raises InputError for an input that names nothing readable."""
    files: dict[str, None] = {}
    storage.forget_listings()
    for item in inputs:
        if not item.strip():
            raise InputError("an input is empty: name a file, a folder, a glob or a URL")
        if storage.is_remote(item):
            for url in _expand_remote(item):
                files.setdefault(url)
            continue
        item = storage.local(item)
        # A name that exists is that file or folder, even with glob characters in it
        # (`report[2026].txt`); only a name that exists nowhere is a pattern.
        if glob.has_magic(item) and not os.path.lexists(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"input matches no file: {item}")
            candidates = matches
        elif os.path.isdir(item):
            candidates = [item]
        elif os.path.isfile(item):
            if not is_supported(item):
                raise InputError(
                    f"unsupported input type: {item} (expected one of "
                    f"{', '.join(SUPPORTED_SUFFIXES)})"
                )
            candidates = [item]
        else:
            raise InputError(f"input does not exist: {item}")
        for cand in candidates:
            if os.path.isdir(cand):
                visited: set[str] = set()
                # Linked folders are followed (a landing folder is often assembled from
                # links); each real folder once, so a link to an ancestor cannot loop.
                for root, dirs, names in os.walk(cand, followlinks=True):
                    real = os.path.realpath(root)
                    if real in visited:
                        dirs[:] = []
                        continue
                    visited.add(real)
                    dirs.sort()
                    for name in sorted(names):
                        path = os.path.join(root, name)
                        if is_supported(path):
                            files.setdefault(os.path.abspath(path))
            elif is_supported(cand):
                files.setdefault(os.path.abspath(cand))
    return list(files)


def _expand_remote(url: str) -> list[str]:
    """The supported files a URL names: one object, every object under a prefix, or a
    glob's matches."""
    try:
        found = storage.find(url.rstrip("/"), glob.has_magic(url))
    except storage.StorageError:
        raise
    except OSError as exc:
        raise InputError(f"cannot list input {url}: {exc}") from None
    if found is None:
        raise InputError(f"input does not exist: {url}")
    kind, urls = found
    if kind == "file" and not is_supported(urls[0]):
        raise InputError(
            f"unsupported input type: {url} (expected one of {', '.join(SUPPORTED_SUFFIXES)})"
        )
    if kind == "glob" and not urls:
        raise InputError(f"input matches no file: {url}")
    return [u for u in urls if is_supported(u)]


def unreadable(path: str, exc: OSError, source_id: str | None = None) -> RawPage:
    """The one reject of an input that cannot be opened (removed or renamed while the
    run went on, or no permission): the run records it and goes on."""
    return RawPage(
        source_id or path,
        path,
        error=(Reason.UNREADABLE, f"cannot read input: {exc.strerror or exc}"),
    )


def read_pages(path: str, max_record_bytes: int | None = None) -> Iterator[RawPage]:
    """The pages of one input file, by its extension (JSON Lines records longer than
    ``max_record_bytes`` are ``too_large`` rejects, never read whole)."""
    lower = path.lower()
    if lower.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(path, max_record_bytes)
    elif lower.endswith(WARC_SUFFIXES):
        yield from read_warc(path)
    elif lower.endswith(HTML_SUFFIXES):
        yield _whole_file(path, as_html=True)
    elif lower.endswith(TEXT_SUFFIXES):
        yield _whole_file(path, as_html=False)
    else:
        raise InputError(f"unsupported input type: {path}")


def _whole_file(path: str, *, as_html: bool) -> RawPage:
    try:
        data = storage.read_bytes(path)
    except OSError as exc:
        return unreadable(path, exc)
    if not data.strip():
        return RawPage(path, path, error=(Reason.EMPTY, "the file is empty"))
    if as_html:
        # Decoding is the cleaners' job: they know the page's declared charset.
        return RawPage(path, path, html=data)
    try:
        return RawPage(path, path, text=decode_bytes(data))
    except UndecodableError as exc:
        return RawPage(path, path, error=(Reason.UNDECODABLE, str(exc)))


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 timestamp as an aware UTC datetime (naive input is taken as UTC)."""
    ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def record_to_page(obj: object, path: str, line_no: int) -> RawPage:
    """One decoded JSON Lines record as a page; any defect becomes ``error``. An id used
    again later in the file is the driver's to decide (it sees every shard in order), so
    the decision does not depend on where the shards are cut."""
    where = f"{path}:{line_no}"
    if not isinstance(obj, dict):
        return RawPage(
            where, path, error=(Reason.MALFORMED_RECORD, "the line is not a JSON object")
        )
    rid = obj.get("id")
    if rid is not None and not isinstance(rid, str | int):
        return RawPage(where, path, error=(Reason.MALFORMED_RECORD, "id is not a string or number"))
    if isinstance(rid, str) and has_surrogates(rid):
        rid = escape_surrogates(rid)
    source_id = str(rid) if rid is not None and str(rid).strip() else where
    id_line = line_no if rid is not None else None  # the driver checks repeated ids
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        return RawPage(
            source_id, path, id_line=id_line, error=(Reason.MALFORMED_RECORD, "url is not a string")
        )
    if url and has_surrogates(url):
        detail = f"url is not valid Unicode (a lone surrogate): {escape_surrogates(url)[:200]!r}"
        return RawPage(source_id, path, id_line=id_line, error=(Reason.MALFORMED_RECORD, detail))
    if url and normalize_url(url) is None:
        return RawPage(
            source_id,
            path,
            id_line=id_line,
            error=(Reason.MALFORMED_RECORD, f"url is not an absolute http(s) URL: {url[:200]!r}"),
        )
    html, text = obj.get("html"), obj.get("text")
    for name, value in (("html", html), ("text", text)):
        if value is not None and not isinstance(value, str):
            return RawPage(
                source_id,
                path,
                id_line=id_line,
                url=url,
                error=(Reason.MALFORMED_RECORD, f"{name} is not a string"),
            )
    if html is None and text is None:
        return RawPage(
            source_id,
            path,
            id_line=id_line,
            url=url,
            error=(Reason.MALFORMED_RECORD, "the record has no html or text"),
        )
    fetched_at = None
    if obj.get("fetched_at") is not None:
        try:
            fetched_at = parse_timestamp(str(obj["fetched_at"]))
        except ValueError:
            return RawPage(
                source_id,
                path,
                id_line=id_line,
                url=url,
                error=(
                    Reason.MALFORMED_RECORD,
                    f"fetched_at is not ISO 8601: {obj['fetched_at']!r}",
                ),
            )
    lang, title = obj.get("lang"), obj.get("title")
    repairs: list = []
    if html is not None:
        html, repairs = repair_text(html)
    elif text is not None:
        text, repairs = repair_text(text)
    if isinstance(title, str):
        title, fixed = repair_text(title)
        repairs += fixed
    return RawPage(
        source_id=source_id,
        id_line=id_line,
        input_path=path,
        html=html,
        text=text if html is None else None,
        url=url or None,
        fetched_at=fetched_at,
        lang_hint=lang if isinstance(lang, str) else None,
        title=title.strip() or None if isinstance(title, str) else None,
        repairs=tuple(repairs),
        source_meta={k: v for k, v in obj.items() if k not in _KNOWN_FIELDS},
    )


def read_jsonl(path: str, max_record_bytes: int | None = None) -> Iterator[RawPage]:
    if path.lower().endswith(".gz"):
        try:
            fh = _gunzip(storage.open_input(path))
        except OSError as exc:
            yield unreadable(path, exc)
            return
        yield from _read_jsonl_lines(path, fh, 1, True, _capped_lines(fh, max_record_bytes))
    else:
        yield from read_jsonl_span(path, 0, None, 1, max_record_bytes)


def _gunzip(raw) -> gzip.GzipFile:
    """A gzip reader that closes ``raw`` with itself, as ``gzip.open(path)`` does with
    the file it opened (``myfileobj`` is how GzipFile knows that one)."""
    fh = gzip.GzipFile(fileobj=raw, mode="rb")
    fh.myfileobj = raw
    return fh


def record_cap(max_page_bytes: int | None) -> int | None:
    """The longest JSON Lines record read for a page size limit: JSON escapes write a
    character in at most three bytes per byte of UTF-8 (``\\ud83d\\ude00`` for four),
    plus a MiB for the other fields. A longer line is ``too_large`` unread, so what one
    line holds never decides a reader's memory."""
    return None if not max_page_bytes else 3 * max_page_bytes + _SKIP_CHUNK


_SKIP_CHUNK = 1 << 20  # bytes read at a time while skipping an oversized line


def _capped_lines(
    fh, cap: int | None, limit: int | None = None
) -> Iterator[tuple[bytes | None, int]]:
    """``(line, size)`` for each line of ``fh`` (at most ``limit`` bytes of it); the line
    is None where it is longer than ``cap``: it is read past in chunks, never held."""
    left = limit
    while left is None or left > 0:
        want = -1 if cap is None else cap + 1
        if left is not None:
            want = left if want < 0 else min(want, left)
        line = fh.readline(want)
        if not line:
            return
        size = len(line)
        if cap is not None and size > cap and not line.endswith(b"\n"):
            line = None
            while left is None or size < left:
                step = _SKIP_CHUNK if left is None else min(_SKIP_CHUNK, left - size)
                chunk = fh.readline(step)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
        if left is not None:
            left -= size
        yield line, size


def jsonl_spans(
    path: str, max_records: int, max_bytes: int, max_record_bytes: int | None = None
) -> list[tuple[int, int, int]]:
    """Byte ranges of an uncompressed JSON Lines file, each holding at most
    ``max_records`` records and about ``max_bytes`` bytes: (start, end, first line).

    Only newlines are looked at, no JSON is parsed: the driver cuts a big file into
    shards this way in a fraction of the time a worker takes to clean one, and each
    worker reads and parses its own range. A line over ``max_record_bytes`` is counted
    as a record without being held (the file is read in chunks, never a line at once).
    """
    scanner = SpanScanner(max_records, max_bytes, max_record_bytes)
    for chunk in storage.iter_chunks(path):
        scanner.feed(chunk)
    return scanner.finish()


class SpanScanner:
    """The ranges of ``jsonl_spans``, from a file's bytes fed chunk by chunk by whoever
    reads them (``jsonl_spans`` itself, or the ledger's hash, which reads every input
    once, so that planning needs no read of its own). A record is a line that holds more
    than whitespace, or is longer than ``max_record_bytes``."""

    def __init__(self, max_records: int, max_bytes: int, max_record_bytes: int | None = None):
        self.max_records, self.max_bytes, self.cap = max_records, max_bytes, max_record_bytes
        self.spans: list[tuple[int, int, int]] = []
        self._start = self._pos = self._records = 0
        self._first = self._line_no = 1
        self._open = 0  # bytes of the line not yet ended
        self._words = False  # whether they hold anything but whitespace

    def feed(self, chunk: bytes) -> None:
        at = 0
        while at < len(chunk):
            end = chunk.find(b"\n", at)
            piece = chunk[at:] if end < 0 else chunk[at : end + 1]
            self._open += len(piece)
            self._words = self._words or bool(piece.strip())
            if end < 0:
                return
            self._line(self._open - 1)
            at = end + 1

    def _line(self, content: int) -> None:
        """A line of ``content`` bytes ended (its newline, if any, counted in _open)."""
        self._pos += self._open
        if self._words or (self.cap is not None and content > self.cap):
            self._records += 1
        if self._records >= self.max_records or self._pos - self._start >= self.max_bytes:
            self.spans.append((self._start, self._pos, self._first))
            self._start, self._first, self._records = self._pos, self._line_no + 1, 0
        self._line_no += 1
        self._open, self._words = 0, False

    def finish(self) -> list[tuple[int, int, int]]:
        if self._open:
            self._line(self._open)  # the last line, without a newline
        if self._pos > self._start or self._start == 0:
            self.spans.append((self._start, self._pos, self._first))
        return self.spans


# On object storage a range up to this size is read with one request; a larger one,
# which only an oversized line makes, is read line by line.
_RANGE_AT_ONCE = 64 * 1024 * 1024


def read_jsonl_span(
    path: str,
    start: int,
    end: int | None,
    first_line: int,
    max_record_bytes: int | None = None,
) -> Iterator[RawPage]:
    """The records of one byte range of an uncompressed JSON Lines file."""
    try:
        fh = storage.open_input(path)
    except OSError as exc:
        yield unreadable(path, exc, f"{path}:{first_line}")
        return
    if end is None:
        lines = _capped_lines(fh, max_record_bytes)
    else:
        try:
            fh.seek(start)
            # on object storage one request for the range; a local file is read as the
            # records are cleaned, so a worker holds one record, not its shard's bytes
            if end - start <= _RANGE_AT_ONCE and storage.is_remote(path):
                lines = _capped_lines(io.BytesIO(fh.read(end - start)), max_record_bytes)
            else:
                lines = _capped_lines(fh, max_record_bytes, end - start)
        except OSError as exc:
            fh.close()
            yield unreadable(path, exc, f"{path}:{first_line}")
            return
    yield from _read_jsonl_lines(path, fh, first_line, start == 0, lines)


def _read_jsonl_lines(path, fh, first_line: int, whole_file: bool, lines) -> Iterator[RawPage]:
    line_no = first_line - 1
    records = 0
    try:
        with fh:
            for line_no, (line, size) in enumerate(lines, start=first_line):  # noqa: B007
                if line is None:
                    records += 1
                    yield RawPage(
                        f"{path}:{line_no}",
                        path,
                        error=(Reason.TOO_LARGE, f"a record of {size:,} bytes, not read"),
                    )
                    continue
                if not line.strip():
                    continue
                records += 1
                try:
                    obj = json.loads(line)
                except (ValueError, UnicodeDecodeError) as exc:
                    yield RawPage(
                        f"{path}:{line_no}",
                        path,
                        error=(Reason.MALFORMED_RECORD, f"invalid JSON: {str(exc)[:200]}"),
                    )
                    continue
                yield record_to_page(obj, path, line_no)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        # A truncated or corrupt archive: the pages before the break were yielded and
        # count; the break itself is one reject, so the loss is visible.
        yield RawPage(
            f"{path}:{line_no + 1}",
            path,
            error=(Reason.TRUNCATED, f"input ends or breaks after line {line_no}: {exc}"),
        )
        return
    if records == 0 and whole_file:
        # An empty file is an input that was meant to hold pages: say so in rejects.
        yield RawPage(path, path, error=(Reason.EMPTY, "the file holds no records"))


def read_warc(path: str) -> Iterator[RawPage]:
    """HTML ``response`` records of a WARC file; URL and fetch time from the headers."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0  # the record's position: get_record_offset() would consume the body
    try:
        fh = storage.open_input(path)
    except OSError as exc:
        yield unreadable(path, exc)
        return
    try:
        with fh:
            for number, record in enumerate(ArchiveIterator(fh), start=1):  # noqa: B007
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype:
                    continue
                headers = record.rec_headers
                url = headers.get_header("WARC-Target-URI")
                rid = headers.get_header("WARC-Record-ID") or f"{path}#{number}"
                fetched = headers.get_header("WARC-Date")
                body = record.content_stream().read()
                try:
                    fetched_at = parse_timestamp(fetched) if fetched else None
                except ValueError:
                    fetched_at = None
                if not body.strip():
                    yield RawPage(
                        rid, path, url=url, error=(Reason.EMPTY, "the response body is empty")
                    )
                    continue
                html = _decode_declared(body, ctype)
                yield RawPage(rid, path, html=html, url=url, fetched_at=fetched_at)
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as exc:
        yield RawPage(
            f"{path}#{number + 1}",
            path,
            error=(Reason.TRUNCATED, f"WARC breaks after record {number}: {exc}"),
        )


def _decode_declared(body: bytes, content_type: str) -> str | bytes:
    """Decode by the HTTP header's charset when it has one that fits; otherwise leave
    the bytes to the cleaners, which look at the page's own declaration."""
    _, _, charset = content_type.partition("charset=")
    charset = charset.split(";")[0].strip(" \"'")
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return body

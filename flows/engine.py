"""The run, without Prefect: shards in, counts out.

The Prefect flow and the plain CLI path share everything here; they differ only in how a
shard is submitted (a Prefect task on a task runner, or a process pool). A shard is a
block of up to ``batch_size`` pages of one input file: its pages are cleaned and written
as one Parquet part per dataset, and only a fact per row travels back (``ShardResult``),
from which the driver decides duplicates and counts.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import sys
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol

from newsclean.cleaners.identity import text_key
from newsclean.cleaners.pipeline import clean_contained, reject_unread
from newsclean.flows import dedup, ledger, near, sink, storage, supervisor, tables
from newsclean.flows.config import Budget, RunConfig
from newsclean.flows.dedup import TextIndex
from newsclean.flows.lock import output_lock
from newsclean.flows.maintenance import Takedowns, load_takedowns
from newsclean.flows.near import NearIndex
from newsclean.flows.readers import (
    SpanScanner,
    input_kind,
    jsonl_spans,
    read_jsonl_span,
    read_pages,
    record_cap,
    unreadable,
)
from newsclean.flows.supervisor import quiet_libraries, stop_on_signals, worker_for
from newsclean.schemas.parquet import SCHEMA_VERSION
from newsclean.schemas.policy import Policy
from newsclean.schemas.reasons import Reason
from newsclean.schemas.records import Article, RawPage

try:
    PIPELINE_VERSION = version("newsclean")
except PackageNotFoundError:  # running from a source tree that was never installed
    PIPELINE_VERSION = "0+unknown"


DEFAULT_BUDGET = Budget()


def clean_in_process(page: RawPage, policy: Policy, budget: Budget = DEFAULT_BUDGET):
    """clean_page in this process, with no deadline and no protection from a crash: for
    benchmarks that measure what supervision costs, and for code that has its own."""
    return clean_contained(page, policy, budget.max_page_bytes)


@dataclass(slots=True)
class Shard:
    """A block of one input file: its pages as the driver read them, or, for an
    uncompressed JSON Lines file, the byte range (start, end, first line) that the worker
    reads itself, so that no page travels between processes."""

    input_path: str
    block: int
    pages: list[RawPage]
    last: bool = True  # the input's final block: its ledger entry follows it
    span: tuple[int, int, int] | None = None
    key: str = ""  # the input's ledger key, which names its parts

    @property
    def input_key(self) -> str:
        """The key of the input's rows and parts (its content key; by name where no
        plan gave one, as for an input that could not be read)."""
        return self.key or sink.input_key(self.input_path)

    @property
    def part(self) -> str:
        return sink.part_name(self.input_key, self.block)

    def load(self, max_record_bytes: int | None = None) -> Iterator[RawPage]:
        """The pages, one at a time: a span is read as it is cleaned, so that a worker
        holds one page (and the one in its child), not the whole shard (up to
        MAX_SHARD_BYTES of HTML, decoded)."""
        if self.span is None:
            return iter(self.pages)
        return read_jsonl_span(self.input_path, *self.span, max_record_bytes)


# A shard closes at batch_size pages or at this much page content, whichever comes
# first, so that memory per shard is bounded whatever the pages weigh.
MAX_SHARD_BYTES = 16 * 1024 * 1024


@dataclass(slots=True)
class RunReport:
    """What a run (or one shard of it) did: counts, each computed once from the rows
    as written (``shard_counts``), never patched; shard reports add up to the run's."""

    pages: int = 0
    kept: int = 0
    flagged: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    shards: int = 0
    near_duplicates: int = 0  # articles found to repeat an earlier story (any action)
    taken_down: int = 0  # pages a takedown names: dropped before writing, never stored
    files: int = 0
    skipped: int = 0  # inputs an incremental run found unchanged in the ledger
    seconds: float = 0.0
    # the tables' versions after the run's commit ({"articles": 7, "rejects": 7})
    versions: dict[str, int] = field(default_factory=dict)
    # What the run healed or could not do (a damaged ledger entry, an index rebuilt, a
    # report not written): one line each, in the summary on every path.
    warnings: list[str] = field(default_factory=list)

    def add(self, other: RunReport) -> None:
        self.pages += other.pages
        self.kept += other.kept
        self.flagged += other.flagged
        self.rejected.update(other.rejected)
        self.flags.update(other.flags)
        self.removed.update(other.removed)
        self.shards += other.shards
        self.near_duplicates += other.near_duplicates
        self.taken_down += other.taken_down

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "kept": self.kept,
            "flagged": self.flagged,
            "rejected": self.rejected_total,
            "rejected_by_reason": {str(k): v for k, v in sorted(self.rejected.items())},
            "flags": dict(sorted(self.flags.items())),
            "removed_by_rule": dict(sorted(self.removed.items())),
            "near_duplicates": self.near_duplicates,
            "taken_down": self.taken_down,
            "files": self.files,
            "files_skipped": self.skipped,
            "shards": self.shards,
            "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages / self.seconds, 2) if self.seconds else None,
            "table_versions": dict(self.versions),
            "warnings": list(self.warnings),
        }

    def summary_lines(self) -> list[str]:
        return summary_lines(self.as_dict())


def summary_lines(d: dict[str, Any]) -> list[str]:
    """The run's summary for people, from ``RunReport.as_dict()`` (which is also what
    the flow returns, so the CLI prints the same lines on every path)."""
    lines = [
        f"pages read: {d['pages']}  kept: {d['kept']}  flagged: {d['flagged']}  "
        f"rejected: {d['rejected']}",
    ]
    if d["rejected_by_reason"]:
        lines.append(
            "rejected by reason: "
            + ", ".join(f"{k} {v}" for k, v in d["rejected_by_reason"].items())
        )
    if d["flags"]:
        lines.append("flags: " + ", ".join(f"{k} {v}" for k, v in d["flags"].items()))
    if d.get("taken_down"):
        lines.append(f"taken down (dropped, not stored): {d['taken_down']}")
    if d.get("near_duplicates"):
        lines.append(f"near-duplicates of earlier stories: {d['near_duplicates']}")
    if d["removed_by_rule"]:
        lines.append(
            "removed by rule: " + ", ".join(f"{k} {v}" for k, v in d["removed_by_rule"].items())
        )
    lines += [f"warning: {w}" for w in d.get("warnings", ())]
    rate = f"{d['pages_per_second']} pages/s" if d["pages_per_second"] else "-"
    skipped = f" ({d['files_skipped']} unchanged, skipped)" if d["files_skipped"] else ""
    lines.append(
        f"{d['files']} files{skipped} in {d['shards']} shards, {d['seconds']:.1f} s, {rate}"
    )
    return lines


def span_scanner(batch_size: int, max_page_bytes: int | None) -> Callable[[str], Any]:
    """For the ledger's planning: a scanner of shard ranges for each uncompressed JSON
    Lines input (``iter_shards`` then needs no read of its own), None for the others."""

    def scanner(path: str) -> SpanScanner | None:
        if not _plain_jsonl(path):
            return None
        return SpanScanner(batch_size, MAX_SHARD_BYTES, record_cap(max_page_bytes))

    return scanner


def _plain_jsonl(path: str) -> bool:
    return input_kind(path) == "jsonl"


def iter_shards(
    path: str,
    batch_size: int,
    key: str = "",
    max_page_bytes: int | None = None,
    spans: list[tuple[int, int, int]] | None = None,
) -> Iterator[Shard]:
    """Blocks of up to ``batch_size`` pages (and about MAX_SHARD_BYTES) of one file. The
    last block is marked; a file with no pages still gives one empty last block, so that
    its old parts are cleared and its ledger entry written. A JSON Lines record too long
    for ``max_page_bytes`` is a ``too_large`` reject, never read whole. ``spans``: a JSON
    Lines file's ranges as planning found them (``span_scanner``)."""
    for shard in _shards(path, batch_size, record_cap(max_page_bytes), spans):
        shard.key = key
        yield shard


def _shards(
    path: str, batch_size: int, cap: int | None, spans: list[tuple[int, int, int]] | None
) -> Iterator[Shard]:
    if _plain_jsonl(path):
        try:
            if spans is None:
                spans = jsonl_spans(path, batch_size, MAX_SHARD_BYTES, cap)
            elif storage.stat(path) is None:  # planned, and gone since: one reject
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
        except OSError as exc:  # gone since the run listed it
            yield Shard(path, 0, [unreadable(path, exc)], last=True)
            return
        for block, span in enumerate(spans):
            yield Shard(path, block, [], last=block == len(spans) - 1, span=span)
        return
    block, buf, size = 0, [], 0
    for page in read_pages(path, cap):
        if len(buf) == batch_size or size >= MAX_SHARD_BYTES:
            yield Shard(path, block, buf, last=False)
            block, buf, size = block + 1, [], 0
        buf.append(page)
        size += len(page.html or page.text or "")
    yield Shard(path, block, buf, last=True)


@dataclass(frozen=True, slots=True)
class ShardJob:
    """What every shard of a run needs besides its pages: sent with each shard to
    whichever process or Dask worker cleans it."""

    output: str
    policy: Policy
    ingested_at: datetime
    budget: Budget = DEFAULT_BUDGET
    # Each page in a supervised child process (a hard deadline, crashes contained);
    # False only for benchmarks that measure what that costs.
    supervised: bool = True
    # fsspec options by protocol, for a worker's reads and writes on object storage
    storage_options: dict[str, dict] | None = None
    # names the run's staging folder: what the driver writes there is the run's alone
    # until, holding the lock, it makes it current (see sink)
    run_id: str = "run"
    # the output's takedowns: pages they name are dropped before they are written
    takedowns: Takedowns = Takedowns()


@dataclass(frozen=True, slots=True)
class ArticleFact:
    """What the driver needs of one article row, without its text."""

    doc_id: str
    decision: str
    flags: tuple[str, ...]
    removed: tuple[str, ...]  # the rule of each piece cut from it
    text_key: str  # "" unless the policy rejects exact copies


@dataclass(slots=True)
class ShardResult:
    """What a shard's worker hands back: its rows, and a fact per row in their order.
    The driver decides what only it can see (copies across the run, repeated ids),
    counts once from these facts and its verdicts (``shard_counts``) and writes the rows
    with its verdicts applied: each part once, final."""

    pages: int = 0
    article_rows: list[dict] = field(default_factory=list)
    reject_rows: list[dict] = field(default_factory=list)
    articles: list[ArticleFact] = field(default_factory=list)
    rejects: list[str] = field(default_factory=list)  # each reject row's reason
    # near-duplicate signatures as (position, doc_id, signature state), when the policy
    # looks for near-duplicates
    near: list[tuple[int, str, bytes]] = field(default_factory=list)
    # records that named their own id, in input order, as (id, line, dataset, position
    # in that dataset's part)
    ids: list[tuple[str, int, str, int]] = field(default_factory=list)
    taken_down: int = 0  # pages a takedown names, dropped
    seconds: float = 0.0


@dataclass(slots=True)
class Verdicts:
    """The driver's decisions about a shard's rows, by position in their part."""

    # articles that become rejects: (reason, detail, the row's new source_id or None)
    moves: dict[int, tuple[str, str, str | None]] = field(default_factory=dict)
    renames: dict[int, str] = field(default_factory=dict)  # rejects' new source_id
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)  # article columns


def shard_counts(result: ShardResult, verdicts: Verdicts) -> RunReport:
    """The shard's counts: a group-by of its rows as the driver settled them."""
    report = RunReport(pages=result.pages, shards=1, seconds=result.seconds)
    report.taken_down = result.taken_down
    report.rejected.update(result.rejects)
    for pos, fact in enumerate(result.articles):
        report.removed.update(fact.removed)
        update = verdicts.updates.get(pos, {})
        moved = verdicts.moves.get(pos)
        if "near_duplicate_of" in update or (moved and moved[0] == Reason.NEAR_DUPLICATE):
            report.near_duplicates += 1
        if moved:
            report.rejected[moved[0]] += 1
        elif update.get("decision", fact.decision) == "flag":
            report.flagged += 1
            report.flags.update(update.get("flags", fact.flags))
        else:
            report.kept += 1
    return report


def process_shard(shard: Shard, job: ShardJob) -> ShardResult:
    """Clean every page of a shard: its rows and their facts, for the driver to settle
    and write (``Settler.settle``)."""
    quiet_libraries()
    if job.storage_options:
        storage.use_options(job.storage_options)
    start = time.perf_counter()
    result_of = ShardResult()
    articles, rejects = [], []
    worker = worker_for(job.policy, job.budget.max_page_bytes) if job.supervised else None
    if worker is not None:
        worker.run_id = job.run_id
    near_on = job.policy.duplicates.near_threshold > 0
    exact_on = job.policy.duplicates.reject_exact
    for page, result in _cleaned(shard, job, worker):
        result_of.pages += 1
        if job.takedowns and job.takedowns.matches(
            result.doc_id, result.url, getattr(result, "domain", None)
        ):
            result_of.taken_down += 1  # counted, never stored
            continue
        if page.id_line is not None:
            where = ("articles", len(articles)) if isinstance(result, Article) else None
            where = where or ("rejects", len(rejects))
            result_of.ids.append((page.source_id, page.id_line, *where))
        if isinstance(result, Article):
            articles.append(
                sink.article_row(result, shard.input_key, job.ingested_at, PIPELINE_VERSION)
            )
            result_of.articles.append(
                ArticleFact(
                    result.doc_id,
                    result.decision,
                    tuple(result.flags),
                    tuple(r.rule for r in result.removed),
                    # the text's key only where the policy rejects exact copies
                    text_key(result.text) if exact_on else "",
                )
            )
            if near_on and result.signature is not None:  # made where the text was
                result_of.near.append((len(articles) - 1, result.doc_id, result.signature))
        else:
            result_of.rejects.append(result.reason)
            rejects.append(
                sink.rejection_row(result, shard.input_key, job.ingested_at, PIPELINE_VERSION)
            )
    result_of.article_rows, result_of.reject_rows = articles, rejects
    result_of.seconds = time.perf_counter() - start
    return result_of


def _cleaned(
    shard: Shard, job: ShardJob, worker: supervisor.PageWorker | None
) -> Iterator[tuple[RawPage, Any]]:
    """The shard's pages with their results, in input order. With a supervised child,
    one page is in the child while the caller stores the result of the one before."""
    pending: tuple[RawPage, Callable[[], Any]] | None = None
    for page in shard.load(record_cap(job.budget.max_page_bytes)):
        if supervisor.run_stopped(job.run_id):  # cancelled: nothing more of this shard
            if worker is not None:
                worker.stop()
            raise supervisor.Interrupted(signal.SIGTERM)
        # a reader's error or an oversized page is rejected here, never sent to a worker
        result = reject_unread(page, job.budget.max_page_bytes)
        if result is None and worker is None:
            result = clean_in_process(page, job.policy, job.budget)
        before = (pending[0], pending[1]()) if pending is not None else None
        pending = None
        if result is None:
            pending = (page, worker.submit(page, job.budget.page_timeout))
        if before is not None:
            yield before
        if result is not None:
            yield page, result
    if pending is not None:
        yield pending[0], pending[1]()


class _ResultLike(Protocol):
    def result(self) -> Any: ...


class Executor(Protocol):
    """Where shards run: ``submit`` starts one and returns something with ``result()``;
    ``window`` is how many may be in flight at once. Used as a context manager, so that
    workers start and stop with the run."""

    window: int

    def submit(self, shard: Shard, job: ShardJob) -> _ResultLike: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


def run_shards(
    plan: list[ledger.Planned],
    job: ShardJob,
    executor: Executor,
    *,
    book: ledger.Ledger,
    batch_size: int,
    on_shard: Callable[[RunReport], None] | None = None,
    on_input: Callable[[int, int], None] | None = None,
    check_lock: Callable[[], None] = lambda: None,
) -> RunReport:
    """Read shards and submit them, keeping at most ``executor.window`` in flight so
    memory stays bounded whatever the input size. Results are collected in input order:
    each shard's rows are settled and written, once, as its staged parts; once an
    input's last shard is in, its ledger entry is made (in memory: ``commit_run`` makes
    all of it current). ``check_lock`` comes before each settling: a run that lost its
    lock writes nothing more."""
    start = time.perf_counter()
    output = job.output
    report = RunReport(files=len(plan))
    pending: deque[tuple[ledger.Planned, Shard, _ResultLike]] = deque()
    pages_of: Counter[str] = Counter()
    # the indexes of earlier runs, less the inputs this run processes or removes
    redo = {item.key for item in plan} | book.forgotten
    settler = Settler(output, job.policy, redo, job.ingested_at, job.run_id)
    done = [0]  # inputs finished

    def collect() -> None:
        item, shard, future = pending.popleft()
        result = future.result()
        check_lock()  # a run that lost its lock writes nothing more that decides
        verdicts = settler.settle(shard, result)
        shard_report = shard_counts(result, verdicts)
        report.add(shard_report)
        pages_of[item.key] += result.pages
        if shard.last:
            copies = settler.finish_input(item.key, job.ingested_at)
            pages = pages_of.pop(item.key)
            if item.state is not None and ledger.still_as_planned(item.state):
                book.record(item, shard.block + 1, pages, PIPELINE_VERSION, copies)
            done[0] += 1
            if on_input:
                on_input(done[0], len(plan))
        if on_shard:
            on_shard(shard_report)

    for item in plan:
        shards = iter_shards(item.path, batch_size, item.key, job.budget.max_page_bytes, item.spans)
        for shard in shards:
            # Only the shard's coordinates stay here; its pages go to the worker.
            meta = Shard(shard.input_path, shard.block, [], shard.last, shard.span, shard.key)
            pending.append((item, meta, executor.submit(shard, job)))
            while len(pending) >= executor.window:
                collect()
    while pending:
        collect()
    report.seconds = time.perf_counter() - start
    return report


def run(
    config: RunConfig,
    executor: Executor | None = None,
    on_shard: Callable[[RunReport], None] | None = None,
    on_input: Callable[[int, int], None] | None = None,
) -> RunReport:
    """One run, for every caller (the CLI, the flow, the tests), in this order: hold the
    output's lock, clear temporaries a killed run left (safe only under the lock, or
    they could be a live run's), plan against the ledger, clean the shards on
    ``executor`` (default: local processes, or inline for one worker), count the files
    seen and skipped.

    Raises OutputLocked when another run holds the output, OSError when the output
    cannot be written mid-run (the parts in place are whole, and the rerun finishes),
    Interrupted on SIGINT or SIGTERM (workers stopped, temporaries gone, lock released).
    """
    quiet_libraries()
    storage.use_options(config.storage_options)
    run_id = uuid.uuid4().hex
    heard = _Warnings()
    with (
        heard,
        stop_on_signals(),
        output_lock(config.output, config.wait_for_lock) as lease,
    ):
        # checked before each change to the output, from the first: a run paused (a GC
        # pause, a suspended VM) between taking the lock and this point may have lost it
        lease.check()
        sink.remove_temporaries(config.output)
        migrated = tables.ensure(config.output, lease.check)
        if migrated:
            log.info(
                "%d Parquet parts of an earlier version made the tables' first version "
                "(schema version %s)",
                len(migrated),
                SCHEMA_VERSION,
            )
        try:
            book = ledger.Ledger(config.output, lease.check)
            book.remove_orphans()
            plan = book.plan(
                config.files,
                incremental=config.incremental and not config.reprocess,
                dedup=config.policy.duplicates.reject_exact
                or config.policy.duplicates.near_threshold > 0,
                scanner=span_scanner(config.batch_size, config.budget.max_page_bytes),
            )
            job = ShardJob(
                config.output,
                config.policy,
                datetime.now(UTC),
                config.budget,
                storage_options=config.storage_options or None,
                run_id=run_id,
                takedowns=load_takedowns(config.output),
            )
            with executor or local_executor(config.workers) as ex:
                report = run_shards(
                    plan.todo,
                    job,
                    ex,
                    book=book,
                    batch_size=config.batch_size,
                    on_shard=on_shard,
                    on_input=on_input,
                    check_lock=lease.check,
                )
            report.files, report.skipped = len(config.files), len(plan.skipped)
            report.versions = commit_run(
                config.output, run_id, book, {item.key for item in plan.todo}, report, lease.check
            )
        except BaseException:
            # Interrupted or failed: the workers are stopped (the executor's exit);
            # what they left half-written goes before the lock does. A Dask task that
            # goes on regardless can only write into this run's staging folder. A run
            # that lost its lock clears its own staging alone: the rest is another's.
            if not lease.lost:
                sink.remove_temporaries(config.output)
            raise
        finally:
            storage.remove_tree(sink.staging(config.output, run_id))
    report.warnings = heard.messages
    return report


def commit_run(
    output: str,
    run_id: str,
    book: ledger.Ledger,
    processed: set[str],
    report: RunReport,
    check: Callable[[], None],
) -> dict[str, int]:
    """Make the run current, holding the output's lock (``check`` before each step):
    its files move into the table folders, then one commit per table adds them and
    removes the rows of the inputs it processed again, replaced or that have no ledger
    entry (a run killed before its ledger's commit); then the duplicate indexes and the
    ledger. A run killed before the table commits changed nothing a reader sees; one
    killed after them leaves inputs without an entry, which the next run processes
    again. The tables' new versions."""
    files = sink.publish(output, run_id, check)
    keep = set(book.entries) - processed
    info = {
        "run_id": run_id,
        "flow_run_id": _flow_run_id() or "",
        "pipeline_version": PIPELINE_VERSION,
        "counts": json.dumps(
            {
                "pages": report.pages,
                "kept": report.kept,
                "flagged": report.flagged,
                "rejected": report.rejected_total,
                "inputs": report.files,
                "skipped": report.skipped,
            }
        ),
    }
    versions = {
        name: tables.commit(output, name, files[name], keep.__contains__, info, check)
        for name in tables.DATASETS
    }
    check()
    indexes = {"texts": dedup.index_folder(output), "near": near.index_folder(output)}
    sink.publish_indexes(output, run_id, indexes, set(book.entries))
    book.commit()
    return versions


def _flow_run_id() -> str | None:
    """The Prefect flow run this run is part of, if any (Prefect is not imported for it:
    the CLI's plain path never loads it)."""
    if "prefect" not in sys.modules:
        return None
    from prefect.runtime import flow_run

    return flow_run.id


log = logging.getLogger("newsclean")
log.addHandler(logging.NullHandler())  # heard by the run (below), never by stderr directly
log.propagate = False


class _Warnings(logging.Handler):
    """The warnings the run's modules log (``newsclean`` logger) while it runs, for its
    summary: the one place a user reads, on the CLI, in the flow's log and artifacts."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def __enter__(self) -> _Warnings:
        log.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        log.removeHandler(self)


class Settler:
    """What only the driver can decide, seeing shard results in input order (earlier
    runs first): an id that an earlier record of the same file used; with the policy's
    ``reject_exact``, a text that an earlier page had; with ``near_threshold``, a story
    an earlier article told (marked, flagged or rejected, as ``near_action`` says).
    Articles that become rejects move to the shard's rejects part; counts follow."""

    def __init__(
        self, output: str, policy: Policy, redo: set[str], now: datetime, run_id: str
    ) -> None:
        self.output = output
        self.run_id = run_id
        dup = policy.duplicates
        self.texts = TextIndex(output, redo, run_id) if dup.reject_exact else None
        self.near = NearIndex(output, redo, dup, now, run_id) if dup.near_threshold > 0 else None
        self.near_action = dup.near_action
        self.first_lines: dict[str, dict[str, int]] = {}
        self.copies_of: dict[str, set[str]] = {}  # per input: doc_ids its copies point at

    def settle(self, shard: Shard, result: ShardResult) -> Verdicts:
        """Decide about the shard's rows and write them, the decisions applied, as its
        staged parts."""
        verdicts = Verdicts()
        moves, renames = verdicts.moves, verdicts.renames
        first_lines = self.first_lines.setdefault(shard.key, {})
        for source_id, line, dataset, pos in result.ids:
            if source_id not in first_lines:
                first_lines[source_id] = line
                continue
            # A later record under a used id is named by its line, as a record without
            # an id is, so that (input_path, source_id) names one row. An article
            # becomes a reject; a reject keeps its own reason.
            line_id = f"{shard.input_path}:{line}"
            if dataset == "articles":
                detail = f"duplicate id {source_id!r}, first on line {first_lines[source_id]}"
                moves[pos] = (Reason.MALFORMED_RECORD, detail, line_id)
            else:
                renames[pos] = line_id
        copies = self.copies_of.setdefault(shard.key, set())
        if self.texts is not None:
            candidates = [(fact.text_key, fact.doc_id) for fact in result.articles]
            for pos, kept in self.texts.check(shard.key, candidates, skip=set(moves)).items():
                moves[pos] = (Reason.DUPLICATE, f"same text as doc_id {kept}", None)
                copies.add(kept)
        if self.near is not None:
            self._near(shard, result, verdicts, copies)
        sink.write_settled(
            self.output,
            self.run_id,
            shard.part,
            result.article_rows,
            result.reject_rows,
            moves,
            renames,
            verdicts.updates,
        )
        return verdicts

    def _near(self, shard, result: ShardResult, verdicts: Verdicts, copies) -> None:
        moves, updates = verdicts.moves, verdicts.updates
        items = [item for item in result.near if item[0] not in moves]
        reject = self.near_action == "reject"
        for pos, first in self.near.check(shard.key, items, reject).items():
            copies.add(first)
            if reject:
                moves[pos] = (Reason.NEAR_DUPLICATE, f"same story as doc_id {first}", None)
                continue
            updates[pos] = {"near_duplicate_of": first}
            if self.near_action == "flag":
                flags = result.articles[pos].flags
                updates[pos] |= {"decision": "flag", "flags": [*flags, NEAR_DUPLICATE]}
        self.near.drop(shard.key, {result.articles[pos].doc_id for pos in moves})

    def finish_input(self, key: str, ingested_at: datetime) -> set[str]:
        """Store what later runs need of an input whose shards are all in; return the
        doc_ids its duplicates point at (the ledger records them)."""
        self.first_lines.pop(key, None)
        if self.texts is not None:
            self.texts.finish_input(key)
        if self.near is not None:
            self.near.finish_input(key, ingested_at)
        return self.copies_of.pop(key, set())


NEAR_DUPLICATE = "near_duplicate"  # the flag of a near-duplicate under near_action "flag"


class Done:
    """An already-computed result, for running shards inline."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self) -> Any:
        return self._value


class InlineExecutor:
    """Shards one at a time on this thread (their pages in one supervised child)."""

    window = 1

    def submit(self, shard: Shard, job: ShardJob) -> Done:
        return Done(process_shard(shard, job))

    def __enter__(self) -> InlineExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        # The child stays for this thread's next run (a long-lived caller, such as a
        # test session, pays its start once); it exits with this process.
        if exc and exc[0] is not None:
            supervisor.stop_now()


class ThreadExecutor:
    """Shards on ``workers`` threads of this process, each thread with its own
    supervised child that does the CPU work: the threads only read shards, pass pages
    and write Parquet, so the GIL is not what limits them."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.window = 2 * workers
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, shard: Shard, job: ShardJob) -> Future[RunReport]:
        return self._pool.submit(process_shard, shard, job)

    def __enter__(self) -> ThreadExecutor:
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="newsclean-shard")
        return self

    def __exit__(self, *exc: object) -> None:
        if exc and exc[0] is not None:
            supervisor.stop_now()  # a failed or interrupted run: stop the pages at once
        self._pool.shutdown(wait=True, cancel_futures=True)
        supervisor.stop_all()


def local_executor(workers: int) -> Executor:
    return InlineExecutor() if workers <= 1 else ThreadExecutor(workers)

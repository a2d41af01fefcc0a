"""What keeps an output's tables in shape between runs: compaction, takedowns, migration.

Each holds the output's lock, as a run does, so it never races a run's commit: a
compaction or a takedown waits for the run (``wait_for_lock``) or fails with the lock's
holder named, and the run that comes after it plans against what it left.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc

from newsclean.cleaners.identity import domain_of
from newsclean.flows import dedup, near, storage, tables
from newsclean.flows.lock import output_lock
from newsclean.flows.options import DEFAULT_RETENTION_HOURS, DEFAULT_TARGET_MB
from newsclean.schemas.parquet import TAKEDOWNS_SCHEMA

TAKEDOWNS = "takedowns"  # the table of takedowns, beside articles and rejects
KINDS = ("doc_id", "url", "domain")

# -- compaction ---------------------------------------------------------------------------


def compact(
    output: str,
    target_mb: float = DEFAULT_TARGET_MB,
    retention_hours: float = DEFAULT_RETENTION_HOURS,
    wait_for_lock: float = 0.0,
) -> dict[str, dict[str, int]]:
    """Merge each table's small files into files of about ``target_mb`` (one commit that
    changes no row), then remove the files no version younger than ``retention_hours``
    reads. Per table: files before and after, files vacuumed, the new version."""
    from deltalake import WriterProperties

    output = storage.normalize(output)
    done = {}
    with output_lock(output, wait_for_lock) as lease:
        for name in tables.DATASETS:
            lease.check()
            try:
                table = tables.open_table(output, name)
            except FileNotFoundError:
                continue
            before = len(table.file_uris())
            table.optimize.compact(
                target_size=int(target_mb * 1024 * 1024),
                writer_properties=WriterProperties(compression="ZSTD"),
                commit_properties=tables.commit_properties({"operation": "compact"}),
            )
            lease.check()
            # full: also the files no version ever listed (a run killed between moving
            # its files into the table and committing them)
            vacuumed = table.vacuum(
                retention_hours=int(retention_hours),
                enforce_retention_duration=False,
                dry_run=False,
                full=True,
            )
            table = tables.open_table(output, name)
            done[name] = {
                "files_before": before,
                "files_after": len(table.file_uris()),
                "files_vacuumed": len(vacuumed),
                "version": table.version(),
            }
    return done


# -- takedowns ----------------------------------------------------------------------------


def _normal_domain(domain: str) -> str:
    """A domain as a moderator types it, as ``identity.domain_of`` writes the column."""
    return domain.strip().lower().rstrip(".").removeprefix("www.")


@dataclass(frozen=True, slots=True)
class Takedowns:
    """What every run drops before it writes: pages by doc_id, by URL, or under a
    domain (the domain itself and every subdomain of it)."""

    doc_ids: frozenset[str] = frozenset()
    urls: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.doc_ids or self.urls or self.domains)

    def matches(self, doc_id: str, url: str | None, domain: str | None = None) -> bool:
        if doc_id in self.doc_ids or (url and url in self.urls):
            return True
        host = domain or domain_of(url)  # the articles' column, or the same from a url
        if not host or not self.domains:
            return False
        return any(host == d or host.endswith("." + d) for d in self.domains)


def load_takedowns(output: str) -> Takedowns:
    """Every takedown recorded for the output (none where it has no takedowns table)."""
    table = tables.read_table(output, TAKEDOWNS, TAKEDOWNS_SCHEMA, ["kind", "value"])
    kinds: dict[str, set[str]] = {k: set() for k in KINDS}
    for kind, value in zip(table["kind"].to_pylist(), table["value"].to_pylist(), strict=True):
        kinds.setdefault(kind, set()).add(value)
    return Takedowns(
        frozenset(kinds["doc_id"]), frozenset(kinds["url"]), frozenset(kinds["domain"])
    )


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _matching_docs(output: str, name: str, takedown: Takedowns) -> set[str]:
    """The doc_ids of a table's rows that a takedown matches."""
    columns = ["doc_id", "url"] + (["domain"] if name == "articles" else [])
    rows = tables.read(output, name, columns=columns).to_pylist()
    return {r["doc_id"] for r in rows if takedown.matches(r["doc_id"], r["url"], r.get("domain"))}


def takedown(
    output: str,
    kind: str,
    value: str,
    reason: str,
    purge: bool = False,
    wait_for_lock: float = 0.0,
) -> dict:
    """Remove the pages a takedown names (``kind`` doc_id, url or domain) from articles,
    rejects and the duplicate indexes, one commit per table, and record it in the
    takedowns table, which every later run reads (its pages are dropped before they are
    written, even when their input is processed again). ``purge`` also removes the
    files that held them at once (no time travel back to them)."""
    if kind not in KINDS:
        raise ValueError(f"a takedown is by {', '.join(KINDS)}, not {kind!r}")
    value, reason = value.strip(), reason.strip()
    if not value:
        raise ValueError(f"the {kind} to take down is empty")
    if not reason:
        raise ValueError("a takedown needs a reason (--reason)")
    if kind == "domain":
        value = _normal_domain(value)
    output = storage.normalize(output)
    match = Takedowns(**{f"{kind}s": frozenset([value])})
    removed = {}
    with output_lock(output, wait_for_lock) as lease:
        docs: set[str] = set()
        for name in tables.DATASETS:
            lease.check()
            found = _matching_docs(output, name, match)
            docs |= found
            if not found:
                removed[name] = 0
                continue
            # by doc_id: the rows found above, whatever the kind (one exact condition)
            ids = ", ".join(_sql_string(d) for d in sorted(found))
            info = {"operation": "takedown", "kind": kind, "value": value, "reason": reason}
            table = tables.open_table(output, name)
            metrics = table.delete(
                f"doc_id IN ({ids})", commit_properties=tables.commit_properties(info)
            )
            removed[name] = int(metrics.get("num_deleted_rows", len(found)))
        lease.check()
        index = _drop_from_indexes(output, docs)
        record = {
            "takedown_id": uuid.uuid4().hex,
            "kind": kind,
            "value": value,
            "reason": reason,
            "taken_at": datetime.now(UTC),
            "articles_removed": removed["articles"],
            "rejects_removed": removed["rejects"],
            "index_entries_removed": index,
        }
        tables.append(output, TAKEDOWNS, pa.Table.from_pylist([record], TAKEDOWNS_SCHEMA))
        if purge:
            for name in tables.DATASETS:
                lease.check()
                tables.open_table(output, name).vacuum(
                    retention_hours=0, enforce_retention_duration=False, dry_run=False, full=True
                )
    return record


def _drop_from_indexes(output: str, docs: set[str]) -> int:
    """Take ``docs`` out of the exact and near-duplicate indexes (each input's table
    rewritten without them); how many entries went."""
    if not docs:
        return 0
    gone = 0
    ids = pa.array(sorted(docs))
    for folder in (dedup.index_folder(output), near.index_folder(output)):
        for name in storage.listdir(folder):
            if not name.endswith(".parquet"):
                continue
            path = storage.join(folder, name)
            try:
                table = storage.read_table(path)
            except (OSError, pa.ArrowException):
                continue  # damaged: rebuilt from the articles (without them) when read
            keep = pc.invert(pc.is_in(table["doc_id"], ids))
            kept = table.filter(keep)
            if kept.num_rows != table.num_rows:
                gone += table.num_rows - kept.num_rows
                storage.write_table(kept, path)
    return gone


# -- migration ----------------------------------------------------------------------------


def migrate(output: str, wait_for_lock: float = 0.0) -> list[str]:
    """An output of an earlier version (plain Parquet parts) as tables, now rather than
    at its next run. The parts migrated."""
    output = storage.normalize(output)
    with output_lock(output, wait_for_lock) as lease:
        return tables.ensure(output, lease.check)

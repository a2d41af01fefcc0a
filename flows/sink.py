"""The Parquet sink: one file per shard per dataset, made current by the lock's holder.

A shard's worker (a local process, a Dask worker) hands its rows back; the driver applies
its decisions across shards (duplicates, repeated ids) and writes each shard's files
once, final, in the run's staging folder ``OUTPUT/_ledger/staging/<run id>/``
(``write_settled``), then, holding the output's lock and having checked it, moves them
into the table folders (``publish``) and commits them, one commit per table for the
whole run (``tables.commit``). So a worker that outlived its run (a cancelled run's Dask
task) writes nothing, and a driver that lost its lock (a run paused past its lease)
can only write into its own staging folder, which no reader looks at and the next run
clears: never into a later run's tables.

On disk a file is written under a hidden temporary name and renamed into place, so a
reader (or a crash) never sees half a file; on object storage a PUT or a server-side
copy is atomic. File names carry the input's ledger key (a hash of its content, see
``ledger``), the shard's block number and the run, never ids, URLs or file names: a file
is never overwritten, so every version of a table reads as it was committed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from datetime import datetime

import pyarrow as pa

from newsclean.cleaners.decode import escape_surrogates, has_surrogates
from newsclean.flows import storage, tables
from newsclean.schemas.parquet import SCHEMAS
from newsclean.schemas.records import Article, Rejection

DATASETS = ("articles", "rejects")
log = logging.getLogger("newsclean")


def input_key(input_path: str) -> str:
    name = storage.normalize(input_path)
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def part_name(key: str, block: int) -> str:
    """A staged part's name: the input's ledger key (its content hash, see ledger) and
    the block number (``publish`` adds the run's id: ``tables.file_name``)."""
    return f"part-{key}-{block:05d}.parquet"


def article_row(article: Article, key: str, ingested_at: datetime, version: str) -> dict:
    row = dataclasses.asdict(article)  # nested Dateline/Removed become dicts too
    row["input_key"] = key
    row["ingested_at"] = ingested_at
    row["pipeline_version"] = version
    return _storable(row)


def rejection_row(rejection: Rejection, key: str, ingested_at: datetime, version: str) -> dict:
    row = dataclasses.asdict(rejection)
    row["input_key"] = key
    row["ingested_at"] = ingested_at
    row["pipeline_version"] = version
    return _storable(row)


def _storable(value):
    """The row with every string that Parquet (UTF-8) cannot hold written out with
    ``\\udxxx`` escapes: a file name that is not UTF-8 names its rows, it does not stop
    the run. Readers repair page content before this; this is the net under the rest."""
    if isinstance(value, str):
        return escape_surrogates(value) if has_surrogates(value) else value
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


STAGING = ("_ledger", "staging")


def staging(output: str, run_id: str) -> str:
    """The folder a run's workers write their parts into."""
    return storage.join(output, *STAGING, run_id)


def staged_path(output: str, run_id: str, dataset: str, name: str) -> str:
    return storage.join(staging(output, run_id), dataset, name)


def write_part(output: str, run_id: str, dataset: str, name: str, rows: list[dict]) -> None:
    """Write ``rows`` as the run's staged ``<dataset>/<name>``; with no rows, none."""
    path = staged_path(output, run_id, dataset, name)
    if not rows:
        storage.remove(path)
        return
    storage.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[dataset]), path)


def publish(output: str, run_id: str, check: Callable[[], None]) -> dict[str, list[str]]:
    """Move the run's staged files of each dataset into the dataset's table folder, where
    no reader sees them until the run's commit lists them (``tables.commit``); the names
    moved, by dataset. ``check`` is asked before each move."""
    moved = {}
    for dataset in DATASETS:
        folder = storage.join(staging(output, run_id), dataset)
        names = sorted(n for n in storage.listdir(folder) if n.endswith(".parquet"))
        final = [tables.file_name(n, run_id) for n in names]
        for name, new in zip(names, final, strict=True):
            check()
            storage.move(storage.join(folder, name), storage.join(output, dataset, new))
        moved[dataset] = final
    return moved


def write_settled(
    output: str,
    run_id: str,
    name: str,
    articles: list[dict],
    rejects: list[dict],
    moves: dict[int, tuple[str, str, str | None]] | None = None,
    renames: dict[int, str] | None = None,
    updates: dict[int, dict] | None = None,
) -> None:
    """Write a shard's rows as the run's staged parts ``name``, once and final, with the
    driver's verdicts applied first: article rows (by position) that move to the rejects,
    each with a (reason, detail, source_id or None to keep the article's); reject rows
    (by position) with a new source_id; columns set on article rows (``updates``)."""
    for pos, source_id in (renames or {}).items():
        rejects[pos]["source_id"] = _storable(source_id)
    moved = []
    for pos, (reason, detail, source_id) in sorted((moves or {}).items()):
        row = articles[pos]
        moved.append(
            {
                "doc_id": row["doc_id"],
                "source_id": _storable(source_id) if source_id else row["source_id"],
                "url": row["url"],
                "input_path": row["input_path"],
                "input_key": row["input_key"],
                "reason": reason,
                "detail": detail,
                "ingested_at": row["ingested_at"],
                "pipeline_version": row["pipeline_version"],
            }
        )
    for pos, columns in (updates or {}).items():
        articles[pos].update(columns)
    kept = [r for i, r in enumerate(articles) if i not in (moves or {})]
    write_part(output, run_id, "articles", name, kept)
    write_part(output, run_id, "rejects", name, rejects + moved)


def read_input_table(
    output: str, folder: str, key: str, schema: pa.Schema, rebuild: Callable[[str], pa.Table]
) -> pa.Table:
    """One input's table of a per-input index (``<folder>/<key>.parquet``). A file that
    does not read as such a table (cut short, emptied, written by something else) is
    damaged state: ``rebuild(key)`` makes it again from the input's articles, it is
    written back, and a warning names the file; a run never stops on it."""
    path = storage.join(folder, f"{key}.parquet")
    try:
        return storage.read_table(path, schema=schema)
    except FileNotFoundError:
        raise
    except (OSError, pa.ArrowException, ValueError) as exc:
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    table = rebuild(key)
    storage.write_table(table, path)
    log.warning("index file %s was damaged (%s): rebuilt from its input's articles", path, reason)
    return table


def read_input_tables(
    output: str,
    folder: str,
    keys: list[str],
    schema: pa.Schema,
    rebuild: Callable[[str], pa.Table],
) -> list[pa.Table]:
    """``read_input_table`` of each key, in the order given, eight at a time: one file
    per input makes this a run's start-up cost that grows with the inputs (the reads
    wait on the disk or the network, and Parquet decoding releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    if len(keys) < 2:
        return [read_input_table(output, folder, k, schema, rebuild) for k in keys]
    with ThreadPoolExecutor(8, thread_name_prefix="newsclean-index") as pool:
        return list(pool.map(lambda k: read_input_table(output, folder, k, schema, rebuild), keys))


def held_docs(folder: str, key: str) -> set[str]:
    """The doc_ids one input's table of a per-input index held (``<folder>/<key>.parquet``,
    with a ``doc_id`` column, as the exact and near-duplicate indexes keep): the copies
    elsewhere that must be decided again when it goes."""
    path = storage.join(folder, f"{key}.parquet")
    try:
        return set(storage.read_table(path, columns=["doc_id"])["doc_id"].to_pylist())
    except FileNotFoundError:
        return set()
    except (OSError, pa.ArrowException, ValueError):
        return set()  # damaged: what it held is unknown


def staged_index(output: str, run_id: str, index: str, key: str) -> str:
    """Where a run keeps an input's table of a per-input index until its commit."""
    return storage.join(staging(output, run_id), "index", index, f"{key}.parquet")


def publish_indexes(output: str, run_id: str, folders: dict[str, str], keys: set[str]) -> None:
    """After the run's commit: each per-input index (``folders``: index name -> folder)
    keeps the tables of the inputs in ``keys`` (the ledger's), and the run's staged
    tables take their places."""
    for index, folder in folders.items():
        remove_input_tables_except(folder, keys)
        staged = storage.join(staging(output, run_id), "index", index)
        for name in storage.listdir(staged):
            if name.endswith(".parquet"):
                storage.move(storage.join(staged, name), storage.join(folder, name))


def remove_input_tables_except(folder: str, keys: set[str]) -> None:
    """Remove the per-input tables of every input whose key is not in ``keys``."""
    for name in storage.listdir(folder):
        if name.endswith(".parquet") and name.removesuffix(".parquet") not in keys:
            storage.remove(storage.join(folder, name))


def remove_temporaries(output: str, keep_run: str | None = None) -> None:
    """What killed, cancelled or stale runs left: staging folders (but ``keep_run``'s)
    and temporary files (parts, ledger entries, the exact and near-duplicate indexes).
    Never visible to readers, but clutter. Only under the output's lock, or they could
    be a live run's."""
    root = storage.join(output, *STAGING)
    for run_id in storage.listdir(root, folders=True):
        if run_id != keep_run:
            storage.remove_tree(storage.join(root, run_id))
    if storage.is_remote(output):
        return  # every object is written whole, once: no temporary names
    folders = [storage.join(output, d) for d in DATASETS]
    folders += [storage.join(output, "_ledger", *sub) for sub in ((), ("texts",), ("near",))]
    for folder in folders:
        for name in storage.listdir(folder):
            if name.endswith(".tmp"):
                storage.remove(storage.join(folder, name))

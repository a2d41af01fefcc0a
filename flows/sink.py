"""The Parquet sink: one file per shard per dataset, made current by the lock's holder.

A shard's worker (a local process, a Dask worker) writes its parts under a name unique
to its run, in the run's staging folder ``OUTPUT/_ledger/staging/<run id>/``; the driver
settles them there (its decisions across shards rewrite a staged part, never a current
one) and, holding the output's lock and having checked it, makes them current: a rename
on disk, a copy and a delete on object storage. So a writer that outlived its run (a
cancelled run's Dask task, a run paused past its lease) can only write into its own
staging folder, which no reader looks at and the next run clears: never over the parts
of a later run.

On disk a file is written under a hidden temporary name and renamed into place, so a
reader (or a crash) never sees half a file; on object storage a PUT or a server-side
copy is atomic. Part names come from the input's ledger key (a hash of its content, see
``ledger``) and the shard's block number, never from ids, URLs or file names, so a rerun
of the same input, under any name, replaces its parts instead of adding to them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable
from datetime import datetime

import pyarrow as pa

from newsclean.cleaners.decode import escape_surrogates, has_surrogates
from newsclean.flows import storage
from newsclean.schemas.parquet import SCHEMA_VERSION, SCHEMAS, conform, schema_version
from newsclean.schemas.records import Article, Rejection

DATASETS = ("articles", "rejects")
log = logging.getLogger("newsclean")
_PART = re.compile(r"^part-(?P<key>[0-9a-f]{16})-(?P<block>\d{5})\.parquet$")


def input_key(input_path: str) -> str:
    name = storage.normalize(input_path)
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def part_name(key: str, block: int) -> str:
    """A part's name: the input's ledger key (its content hash, see ledger) and the
    block number."""
    return f"part-{key}-{block:05d}.parquet"


def article_row(article: Article, ingested_at: datetime, version: str) -> dict:
    row = dataclasses.asdict(article)  # nested Dateline/Removed become dicts too
    row["ingested_at"] = ingested_at
    row["pipeline_version"] = version
    return _storable(row)


def rejection_row(rejection: Rejection, ingested_at: datetime, version: str) -> dict:
    row = dataclasses.asdict(rejection)
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
    """Write ``rows`` as the run's staged ``<dataset>/<name>``; with no rows, none (the
    current part of that name is then removed when the shard is made current)."""
    path = staged_path(output, run_id, dataset, name)
    if not rows:
        storage.remove(path)
        return
    storage.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[dataset]), path)


def make_current(output: str, run_id: str, name: str, check: Callable[[], None]) -> None:
    """The run's staged parts ``name`` become the current ones (a dataset the shard left
    no rows in loses its part of that name). ``check`` raises once the run no longer
    holds the output's lock: it is asked before each change, so a run that lost its
    lock changes nothing more."""
    for dataset in DATASETS:
        check()
        staged = staged_path(output, run_id, dataset, name)
        final = storage.join(output, dataset, name)
        try:
            storage.move(staged, final)
        except FileNotFoundError:  # the shard left no rows in this dataset
            storage.remove(final)


# A part with no rows, in each dataset folder, so that an output whose run kept no
# article (or rejected nothing) still reads as an empty table with the right columns:
# DuckDB's glob and polars refuse a folder with no file, and pyarrow would infer no
# columns from it.
SCHEMA_PART = "part-schema.parquet"


def ensure_datasets(output: str, check: Callable[[], None] = lambda: None) -> list[str]:
    """Both dataset folders, each with its zero-row schema part. Where the schema part
    says an earlier schema version, every part of the dataset is first rewritten as the
    current version writes it (``conform_parts``) and the schema part last: it marks a
    dataset whose parts are all current, so a run killed while conforming conforms the
    rest on the next run. The names of the parts rewritten, for the run's log."""
    conformed = []
    for dataset, schema in SCHEMAS.items():
        final = storage.join(output, dataset, SCHEMA_PART)
        with contextlib.suppress(OSError, pa.ArrowInvalid):
            if storage.read_schema(final).metadata == schema.metadata:
                continue
        conformed += conform_parts(output, dataset, check)
        check()
        storage.write_table(schema.empty_table(), final)
    return conformed


def conform_parts(output: str, dataset: str, check: Callable[[], None]) -> list[str]:
    """Rewrite each part of ``dataset`` written by an earlier schema version as the
    current version writes it (schemas.parquet.conform: version 2's ``author`` becomes
    ``authors``, columns added since are null), each part in one atomic write; a part
    already current is left as it is. ``check`` is asked before each write."""
    done = []
    folder = storage.join(output, dataset)
    for name in sorted(storage.listdir(folder)):
        if not _PART.match(name):
            continue
        path = storage.join(folder, name)
        if schema_version(storage.read_schema(path)) == SCHEMA_VERSION:
            continue
        table = conform(storage.read_table(path), dataset)
        check()
        storage.write_table(table, path)
        done.append(f"{dataset}/{name}")
    return done


def settle_part(
    output: str,
    run_id: str,
    name: str,
    moves: dict[int, tuple[str, str, str | None]],
    renames: dict[int, str] | None = None,
    updates: dict[int, dict] | None = None,
) -> None:
    """In the run's staged parts ``name`` (before they are current): move article rows
    (by position in the part) to the part's rejects, each with a (reason, detail,
    source_id or None to keep the article's); give reject rows (by position) a new
    source_id; set columns of article rows (``updates``)."""
    articles = []
    if moves or updates:
        art_path = staged_path(output, run_id, "articles", name)
        articles = storage.read_table(art_path, schema=SCHEMAS["articles"]).to_pylist()
    try:
        rej_path = staged_path(output, run_id, "rejects", name)
        rejects = storage.read_table(rej_path, schema=SCHEMAS["rejects"]).to_pylist()
    except FileNotFoundError:
        rejects = []
    for pos, source_id in (renames or {}).items():
        rejects[pos]["source_id"] = _storable(source_id)
    for pos, (reason, detail, source_id) in sorted(moves.items()):
        row = articles[pos]
        rejects.append(
            {
                "doc_id": row["doc_id"],
                "source_id": _storable(source_id) if source_id else row["source_id"],
                "url": row["url"],
                "input_path": row["input_path"],
                "reason": reason,
                "detail": detail,
                "ingested_at": row["ingested_at"],
                "pipeline_version": row["pipeline_version"],
            }
        )
    for pos, columns in (updates or {}).items():
        articles[pos].update(columns)
    write_part(output, run_id, "rejects", name, rejects)
    if moves or updates:
        kept = [r for i, r in enumerate(articles) if i not in moves]
        write_part(output, run_id, "articles", name, kept)


def remove_stale_parts(output: str, key: str, blocks: int) -> list[str]:
    """Remove the parts of the input with ledger key ``key`` numbered ``blocks`` and
    above: what an earlier, longer cut of the same input left behind (0: all of them)."""
    removed = []
    for dataset in DATASETS:
        folder = storage.join(output, dataset)
        for name in storage.listdir(folder):
            m = _PART.match(name)
            if m and m["key"] == key and int(m["block"]) >= blocks:
                storage.remove(storage.join(folder, name))
                removed.append(name)
    return removed


def remove_parts_except(output: str, keys: set[str]) -> list[str]:
    """Remove every part whose key is not in ``keys``."""
    removed = []
    for dataset in DATASETS:
        folder = storage.join(output, dataset)
        for name in storage.listdir(folder):
            m = _PART.match(name)
            if m and m["key"] not in keys:
                storage.remove(storage.join(folder, name))
                removed.append(name)
    return removed


def input_articles(output: str, key: str, columns: list[str]) -> pa.Table:
    """The current article rows of one input (by its ledger key), in part order."""
    folder = storage.join(output, "articles")
    names = sorted(n for n in storage.listdir(folder) if (m := _PART.match(n)) and m["key"] == key)
    tables = [
        storage.read_table(storage.join(folder, n), columns=columns, schema=SCHEMAS["articles"])
        for n in names
    ]
    schema = pa.schema([SCHEMAS["articles"].field(c) for c in columns])
    return pa.concat_tables(tables) if tables else schema.empty_table()


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


def forget_input_table(folder: str, key: str) -> set[str]:
    """Remove one input's table of a per-input index (``<folder>/<key>.parquet``, with a
    ``doc_id`` column, as the exact and near-duplicate indexes keep); the doc_ids it
    held, whose copies elsewhere must be decided again."""
    path = storage.join(folder, f"{key}.parquet")
    try:
        docs = set(storage.read_table(path, columns=["doc_id"])["doc_id"].to_pylist())
    except FileNotFoundError:
        return set()
    except (OSError, pa.ArrowException, ValueError):
        docs = set()  # damaged: what it held is unknown, and it goes all the same
    storage.remove(path)
    return docs


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
    folders += [storage.join(output, "_ledger", sub) for sub in ("inputs", "texts", "near")]
    for folder in folders:
        for name in storage.listdir(folder):
            if name.endswith(".tmp"):
                storage.remove(storage.join(folder, name))

"""``articles`` and ``rejects`` as Delta Lake tables (delta-rs, through ``deltalake``).

The data files stay Parquet, written by the workers in parallel into the run's staging
folder (``sink``); what makes them current is one commit per table per run, made by the
holder of the output's lock (``commit``): the run's files are added and the files of
the inputs it replaced or forgot are removed in the same commit, so a reader sees all of
a run or none of it, and each version of a table is the dataset as a run left it.

Rows know their input by ``input_key`` (the ledger's content key): a file holds one
input's rows until compaction merges files, so replacing an input removes its files
whole, and rewrites (less that input's rows) only a compacted file that holds others too.

Older outputs, plain Parquet parts in the dataset folders (schema versions 2 and 3),
become tables on the first run of this version (``ensure``, or ``newsclean migrate``):
each part is conformed to the current schema under a new name and all of them are the
table's first version, in one commit; the old parts go after it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsclean.flows import storage
from newsclean.schemas.parquet import SCHEMA_VERSION, SCHEMAS, conform, schema_version

DATASETS = ("articles", "rejects")
log = logging.getLogger("newsclean")

# The name a worker gives a file: the input's key, the block, and the run (files are
# never overwritten: an older version of the table still reads its own).
_FILE = re.compile(
    r"^part-(?P<key>[0-9a-f]{16})-(?P<block>\d{5})(?:-(?P<run>[0-9a-z]+))?\.parquet$"
)
# Columns whose minimum and maximum go into the table's log (file skipping: a query on
# one day of ingested_at or published, one domain or language, opens only its files).
_STATS = ("doc_id", "domain", "language", "decision", "reason", "input_key", "published")
_STATS += ("fetched_at", "ingested_at")
_SCHEMA_PART = "part-schema.parquet"  # an empty part that plain-Parquet outputs kept


def uri(output: str, dataset: str) -> str:
    return storage.join(storage.normalize(output), dataset)


def delta_options(output: str) -> dict[str, str] | None:
    """delta-rs's storage options for an output on object storage: its credentials,
    region and endpoint come from the same environment as fsspec's (AWS_* variables),
    plus what the run was given (``storage.use_options``, fsspec's names) and, for an
    endpoint over plain HTTP (a local S3 API), leave to use it. Commits rely on
    newsclean's own lock to serialise writers (no DynamoDB, no conditional PUT needed
    from the store)."""
    if not storage.is_remote(output):
        return None
    opts: dict[str, str] = {}
    given = storage.options_for(storage.protocol(output))
    names = {
        "key": "AWS_ACCESS_KEY_ID",
        "secret": "AWS_SECRET_ACCESS_KEY",
        "token": "AWS_SESSION_TOKEN",
    }
    for name, delta_name in names.items():
        if given.get(name):
            opts[delta_name] = str(given[name])
    endpoint = given.get("endpoint_url") or (given.get("client_kwargs") or {}).get("endpoint_url")
    endpoint = (
        endpoint or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    )
    if endpoint:
        opts["AWS_ENDPOINT_URL"] = endpoint
        if endpoint.startswith("http://"):
            opts["AWS_ALLOW_HTTP"] = "true"
    region = (given.get("client_kwargs") or {}).get("region_name") or os.environ.get("AWS_REGION")
    opts["AWS_REGION"] = region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    opts["AWS_S3_ALLOW_UNSAFE_RENAME"] = "true"  # newsclean's lock serialises the commits
    return opts


def _table_uri(output: str, dataset: str) -> str:
    # delta-rs names S3 by s3://; s3a:// is fsspec's alias
    path = uri(output, dataset)
    return "s3://" + path.split("://", 1)[1] if storage.protocol(path) == "s3a" else path


def exists(output: str, dataset: str) -> bool:
    from deltalake import DeltaTable

    return DeltaTable.is_deltatable(_table_uri(output, dataset), delta_options(output))


def open_table(output: str, dataset: str, version: int | str | datetime | None = None):
    """The dataset's table (at ``version``: a number, or the table as it stood at a time);
    FileNotFoundError when the output has none."""
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    try:
        table = DeltaTable(_table_uri(output, dataset), storage_options=delta_options(output))
    except TableNotFoundError:
        raise FileNotFoundError(f"{uri(output, dataset)} is not a newsclean table") from None
    if version is not None:
        table.load_as_version(version)
    return table


def dataset(output: str, name: str, version: int | str | datetime | None = None):
    """A pyarrow dataset of one table's current rows (DuckDB, polars and pandas read it):
    the files the table's log lists, read by pyarrow itself. (deltalake's own
    ``to_pyarrow_dataset`` reads them through a filesystem of delta-rs's, whose threads
    abort the interpreter at exit about every other time, deltalake 1.6.)"""
    return _dataset(output, name, SCHEMAS[name], version)


def _dataset(output: str, name: str, schema: pa.Schema, version=None):
    import pyarrow.dataset as ds

    files = open_table(output, name, version).file_uris()
    if not storage.is_remote(output):
        return ds.dataset(files, schema=schema, format="parquet")
    from pyarrow.fs import FSSpecHandler, PyFileSystem

    fs, _ = storage.filesystem(output)
    paths = [storage.filesystem(f)[1] for f in files]
    return ds.dataset(
        paths, schema=schema, format="parquet", filesystem=PyFileSystem(FSSpecHandler(fs))
    )


def read(output: str, name: str, columns: list[str] | None = None, filter=None) -> pa.Table:
    """One table's current rows (or an empty table with its columns when there is none)."""
    return read_table(output, name, SCHEMAS[name], columns, filter)


def read_table(
    output: str, name: str, schema: pa.Schema, columns: list[str] | None = None, filter=None
) -> pa.Table:
    """The current rows of the table ``name`` of an output, of the given schema."""
    try:
        ds = _dataset(output, name, schema)
    except FileNotFoundError:
        fields = schema if columns is None else [schema.field(c) for c in columns]
        return pa.schema(fields).empty_table()
    return ds.to_table(columns=columns, filter=filter)


def append(output: str, name: str, rows: pa.Table) -> None:
    """Rows appended to a small table of the output's own (takedowns), one commit."""
    from deltalake import write_deltalake

    write_deltalake(
        _table_uri(output, name), rows, mode="append", storage_options=delta_options(output)
    )


def input_rows(output: str, name: str, key: str, columns: list[str]) -> pa.Table:
    """The current rows of one input (by its ledger key), in the order they were written."""
    return read(output, name, columns=columns, filter=pc.field("input_key") == key)


# -- writing ----------------------------------------------------------------------------


def file_name(part: str, run_id: str) -> str:
    """The name of a part (``part-<key>-<block>.parquet``, as a worker stages it) in the
    table folder: with its run's id, so that no file is ever overwritten."""
    return part.removesuffix(".parquet") + f"-{run_id[:12]}.parquet"


def key_of(name: str) -> str | None:
    m = _FILE.match(name.rsplit("/", 1)[-1])
    return m["key"] if m else None


def _stat_value(value):
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def file_stats(meta: pq.FileMetaData) -> str:
    """A file's statistics in the form the Delta log keeps them (``numRecords`` and the
    minimum, maximum and null count of the columns readers filter on), from its footer."""
    schema = meta.schema.to_arrow_schema()
    # leaf columns by path: a list or struct column is several leaves in Parquet
    leaves = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    mins, maxs, nulls = {}, {}, {}
    for name in _STATS:
        if name not in leaves:
            continue
        col = leaves[name]
        lo = hi = None
        count = 0
        known = True
        for g in range(meta.num_row_groups):
            st = meta.row_group(g).column(col).statistics
            if st is None or not st.has_null_count:
                known = False
                break
            count += st.null_count
            if st.has_min_max:
                lo = st.min if lo is None or st.min < lo else lo
                hi = st.max if hi is None or st.max > hi else hi
        if not known:
            continue
        nulls[name] = count
        if lo is not None and pa.types.is_timestamp(schema.field(name).type):
            # whole milliseconds, rounded outwards: the log's resolution
            lo = lo.replace(microsecond=lo.microsecond // 1000 * 1000)
            hi = hi.replace(microsecond=hi.microsecond // 1000 * 1000) + timedelta(milliseconds=1)
        if lo is not None:
            mins[name], maxs[name] = _stat_value(lo), _stat_value(hi)
    return json.dumps(
        {"numRecords": meta.num_rows, "minValues": mins, "maxValues": maxs, "nullCount": nulls}
    )


def _add(output: str, dataset: str, name: str):
    from deltalake.transaction import AddAction

    path = storage.join(uri(output, dataset), name)
    meta = storage.read_metadata(path)
    size, _ = storage.stat(path) or (0, 0)
    return AddAction(name, size, {}, int(time.time() * 1000), True, file_stats(meta))


def commit_properties(info: dict):
    from deltalake import CommitProperties

    return CommitProperties(custom_metadata={f"newsclean.{k}": v for k, v in info.items()})


def _create(output: str, name: str, adds: list, info: dict) -> None:
    from deltalake import Schema
    from deltalake.transaction import create_table_with_add_actions

    create_table_with_add_actions(
        _table_uri(output, name),
        Schema.from_arrow(SCHEMAS[name]),
        adds,
        mode="error",
        name=name,
        description=f"newsclean {name}, schema version {SCHEMA_VERSION}",
        configuration={"delta.checkpointInterval": "100"},
        storage_options=delta_options(output),
        commit_properties=commit_properties(info),
    )


def commit(
    output: str,
    name: str,
    files: Iterable[str],
    keep: Callable[[str], bool],
    info: dict,
    check: Callable[[], None] = lambda: None,
) -> int:
    """One commit to table ``name``: ``files`` (already in the table's folder) are
    added, and the rows of every input whose key ``keep`` refuses are removed (a file of
    such inputs alone is removed; a compacted file that holds others too is rewritten
    without them). ``info`` (the run's id and counts) goes into the commit's info.
    ``check`` is asked last, before the commit: a run that lost its lock commits
    nothing. The table's new version."""
    from deltalake.transaction import RemoveAction

    adds = [_add(output, name, f) for f in files]
    try:
        table = open_table(output, name)
    except FileNotFoundError:  # a new output: the run's commit makes the table
        check()
        _create(output, name, adds, info)
        return 0
    wanted = ["path", "size_bytes", "min.input_key", "max.input_key"]
    actions = pa.table(table.get_add_actions(flatten=True))
    actions = actions.select([c for c in wanted if c in actions.column_names]).to_pylist()
    removes = []
    now = int(time.time() * 1000)
    for action in actions:
        path = storage.join(uri(output, name), action["path"])
        lo, hi = action.get("min.input_key"), action.get("max.input_key")
        key = key_of(action["path"]) or (lo if lo is not None and lo == hi else None)
        if key is not None:
            keys = {key}
        else:  # a compacted file: which inputs it holds, from the column
            column = storage.read_table(path, columns=["input_key"])["input_key"]
            keys = set(column.to_pylist())
        gone = {k for k in keys if not keep(k)}
        if not gone:
            continue
        removes.append(RemoveAction(action["path"], True, now, action["size_bytes"]))
        if gone != keys:  # the rows of the inputs that stay, in a file of their own
            rows = storage.read_table(path, schema=SCHEMAS[name])
            rows = rows.filter(pc.is_in(rows["input_key"], pa.array(sorted(keys - gone))))
            kept = f"part-kept-{uuid.uuid4().hex}.parquet"
            storage.write_table(rows, storage.join(uri(output, name), kept))
            adds.append(_add(output, name, kept))
    check()
    table.create_write_transaction(
        adds + removes, "append", SCHEMAS[name], commit_properties=commit_properties(info)
    )
    return table.version() + 1


def matching_version(output: str, name: str, other: str, version: int) -> int:
    """The version of table ``name`` that the run (or upkeep) which committed version
    ``version`` of table ``other`` left: the one with the same run id in its commit
    info, else the last one committed before it. FileNotFoundError without such a
    version."""
    history = {h["version"]: h for h in open_table(output, other).history()}
    if version not in history:
        raise FileNotFoundError(f"{uri(output, other)} has no version {version}")
    mine = open_table(output, name).history()
    run_id = history[version].get("newsclean.run_id")
    same = [h["version"] for h in mine if run_id and h.get("newsclean.run_id") == run_id]
    if same:
        return same[0]
    before = [h["version"] for h in mine if h["timestamp"] <= history[version]["timestamp"]]
    if not before:
        raise FileNotFoundError(f"{uri(output, name)} has no version that old")
    return max(before)


# -- older outputs ------------------------------------------------------------------------


def plain_parts(output: str, name: str) -> list[str]:
    """The Parquet parts an output of schema version 2 or 3 kept in a dataset folder."""
    return sorted(
        n
        for n in storage.listdir(uri(output, name))
        if _FILE.match(n) and not _FILE.match(n)["run"]
    )


def ensure(output: str, check: Callable[[], None] = lambda: None) -> list[str]:
    """Make each dataset of an output a table where it is still plain Parquet parts (an
    output of an earlier version): every part conformed to the current schema (its
    ``input_key`` from its name), all in the table's first version, in one commit, and
    the old parts removed after it (a run killed before the commit migrates again; one
    killed after leaves old parts that no reader of the table sees, removed next time).
    The parts migrated, for the run's log."""
    migrated = []
    for name in DATASETS:
        parts = plain_parts(output, name)
        folder = uri(output, name)
        if exists(output, name):
            for part in parts + [_SCHEMA_PART]:  # left by a migration killed after its commit
                storage.remove(storage.join(folder, part))
            continue
        if not parts:
            continue  # a new output: the table is made by the first run's commit
        files = []
        for part in parts:
            table = storage.read_table(storage.join(folder, part))
            if schema_version(table.schema) != SCHEMA_VERSION:
                table = conform(table, name, key_of(part))
            new = file_name(part, "migrated")
            check()
            storage.write_table(table, storage.join(folder, new))
            files.append(new)
        check()
        adds = [_add(output, name, f) for f in files]
        _create(output, name, adds, {"operation": "migrate", "parts": str(len(parts))})
        for part in parts + [_SCHEMA_PART]:
            storage.remove(storage.join(folder, part))
        migrated += [f"{name}/{p}" for p in parts]
    return migrated

"""The Parquet sink: one file per shard per dataset, written atomically.

On disk a part is written under a hidden temporary name in the dataset folder and
renamed into place, so a reader (or a crash) never sees half a file: pyarrow and DuckDB
skip names that start with a dot, and the rename is atomic on one filesystem. On object
storage it is one PUT under its final name, which is atomic there (see ``storage``).
Part names come from the input's ledger key (a hash of its content, see ``ledger``) and
the shard's block number, never from ids, URLs or file names, so a rerun of the same
input, under any name, replaces its parts instead of adding to them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
from datetime import datetime

import pyarrow as pa

from newsclean.cleaners.decode import escape_surrogates, has_surrogates
from newsclean.flows import storage
from newsclean.schemas.parquet import SCHEMAS
from newsclean.schemas.records import Article, Rejection

DATASETS = ("articles", "rejects")
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


def write_part(output: str, dataset: str, name: str, rows: list[dict]) -> str | None:
    """Write ``rows`` as ``OUTPUT/<dataset>/<name>``; with no rows, remove that part.

    Returns the final path, or None when nothing was written.
    """
    final = storage.join(output, dataset, name)
    if not rows:
        storage.remove(final)
        return None
    storage.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[dataset]), final)
    return final


# A part with no rows, in each dataset folder, so that an output whose run kept no
# article (or rejected nothing) still reads as an empty table with the right columns:
# DuckDB's glob and polars refuse a folder with no file, and pyarrow would infer no
# columns from it.
SCHEMA_PART = "part-schema.parquet"


def ensure_datasets(output: str) -> None:
    """Both dataset folders, each with its zero-row schema part (rewritten when the
    schema version changed)."""
    for dataset, schema in SCHEMAS.items():
        final = storage.join(output, dataset, SCHEMA_PART)
        with contextlib.suppress(OSError, pa.ArrowInvalid):
            if storage.read_schema(final).metadata == schema.metadata:
                continue
        storage.write_table(schema.empty_table(), final)


def settle_part(
    output: str,
    name: str,
    moves: dict[int, tuple[str, str, str | None]],
    renames: dict[int, str] | None = None,
    updates: dict[int, dict] | None = None,
) -> None:
    """Move article rows (by position in the part) to the part's rejects, each with a
    (reason, detail, source_id or None to keep the article's); give reject rows (by
    position) a new source_id; set columns of article rows (``updates``). The rejects
    part is written first: a crash in between leaves the row in both, never in neither,
    and the rerun rewrites both parts."""
    articles = []
    if moves or updates:
        art_path = storage.join(output, "articles", name)
        articles = storage.read_table(art_path, schema=SCHEMAS["articles"]).to_pylist()
    try:
        rej_path = storage.join(output, "rejects", name)
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
    write_part(output, "rejects", name, rejects)
    if moves or updates:
        write_part(output, "articles", name, [r for i, r in enumerate(articles) if i not in moves])


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


def forget_input_table(folder: str, key: str) -> set[str]:
    """Remove one input's table of a per-input index (``<folder>/<key>.parquet``, with a
    ``doc_id`` column, as the exact and near-duplicate indexes keep); the doc_ids it
    held, whose copies elsewhere must be decided again."""
    path = storage.join(folder, f"{key}.parquet")
    try:
        docs = set(storage.read_table(path, columns=["doc_id"])["doc_id"].to_pylist())
    except (OSError, pa.ArrowInvalid):
        return set()
    storage.remove(path)
    return docs


def remove_input_tables_except(folder: str, keys: set[str]) -> None:
    """Remove the per-input tables of every input whose key is not in ``keys``."""
    for name in storage.listdir(folder):
        if name.endswith(".parquet") and name.removesuffix(".parquet") not in keys:
            storage.remove(storage.join(folder, name))


def remove_temporaries(output: str) -> None:
    """Temporary files left by a killed run (parts, ledger entries, the exact and
    near-duplicate indexes):
    never visible to readers, but clutter. Only under the output's lock, or they could
    be a live run's. Object storage has none: every object is written whole, once."""
    if storage.is_remote(output):
        return
    folders = [storage.join(output, d) for d in DATASETS]
    folders += [storage.join(output, "_ledger", sub) for sub in ("inputs", "texts", "near")]
    for folder in folders:
        for name in storage.listdir(folder):
            if name.endswith(".tmp"):
                storage.remove(storage.join(folder, name))

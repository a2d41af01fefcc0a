"""An output of schema version 2 (plain Parquet parts in the dataset folders, ``author``
a ``; ``-joined string, no ``provenance`` or ``input_key``) becomes Delta tables on the
first run of this version, or with ``newsclean migrate``: every part conformed, all of
them the tables' first version in one commit, no row lost or doubled, the authors split
as version 2 joined them. A migration killed before its commit leaves the plain parts,
and the next run migrates them."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from newsclean.flows import tables
from newsclean.schemas.parquet import SCHEMAS, schema_version
from tests.conftest import SAMPLES, run_cli, scan

ARTICLE_COLUMNS = "doc_id, source_id, title, authors, published, text, removed, decision"


def _as_version_2(table: pa.Table, dataset: str) -> pa.Table:
    """A part as version 2 wrote it: ``author`` in place of ``authors``, no
    ``provenance``, no ``input_key``, version "2" in the file's metadata."""
    fields, columns = [], []
    for field in SCHEMAS[dataset]:
        if field.name in ("provenance", "input_key"):
            continue
        column = table.column(field.name)
        if field.name == "authors":
            field = pa.field("author", pa.string())
            column = pa.array(["; ".join(v) or None for v in column.to_pylist()], pa.string())
        fields.append(field)
        columns.append(column)
    metadata = {**SCHEMAS[dataset].metadata, b"newsclean.schema_version": b"2"}
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata))


def _version_2_output(tmp_path: Path) -> tuple[Path, list[tuple]]:
    """The samples cleaned, then laid out as version 2 left an output: one plain part per
    input and block (``part-<key>-<block>.parquet``), an empty schema part, no table
    log; the ledger is as version 2 wrote it."""
    out = tmp_path / "out"
    assert run_cli("run", "-i", str(SAMPLES), "-o", str(out)).returncode == 0
    rows = _articles(out)
    for dataset in SCHEMAS:
        folder = out / dataset
        for uri in DeltaTable(str(folder)).file_uris():
            path = Path(uri)
            key, block = path.name.split("-")[1:3]
            table = _as_version_2(pq.read_table(path), dataset)
            pq.write_table(table, folder / f"part-{key}-{block}.parquet")
            path.unlink()
        empty = _as_version_2(SCHEMAS[dataset].empty_table(), dataset)
        pq.write_table(empty, folder / "part-schema.parquet")
        shutil.rmtree(folder / "_delta_log")
    return out, rows


def _articles(out: Path) -> list[tuple]:
    return duckdb.sql(
        f"select {ARTICLE_COLUMNS} from {scan(out, 'articles')} order by doc_id"
    ).fetchall()


def _plain_parts(out: Path) -> list[Path]:
    return sorted(p for d in SCHEMAS for p in (out / d).glob("part-*.parquet"))


def test_a_version_2_output_becomes_tables_on_the_next_run(tmp_path):
    out, before = _version_2_output(tmp_path)
    assert any(a[3] for a in before), "the samples name an author"
    parts = _plain_parts(out)
    assert {schema_version(pq.read_schema(p)) for p in parts} == {"2"}

    # an incremental run with nothing new to clean still migrates the output
    result = run_cli("run", "-i", str(SAMPLES), "-o", str(out), "--incremental")
    assert result.returncode == 0, result.stderr
    assert "kept: 0" in result.stdout  # nothing cleaned again: the parts were migrated
    for dataset in SCHEMAS:
        table = DeltaTable(str(out / dataset))
        assert table.version() == 1  # the migration, then the run's own commit
        assert table.history()[-1]["newsclean.operation"] == "migrate"
        for uri in table.file_uris():
            assert schema_version(pq.read_schema(uri)) == "4"
    assert not [p for p in _plain_parts(out) if p.name.count("-") == 2]  # the old parts went
    # the same rows, once each, the authors as lists again
    assert _articles(out) == before
    ((provenance, keyed),) = duckdb.sql(
        f"select count(*) filter (where provenance.title is null), count(input_key) "
        f"from {scan(out, 'articles')}"
    ).fetchall()
    assert provenance == len(before)  # version 2 did not record it: null, not invented
    assert keyed == len(before)  # every row knows its input, from its part's name


def test_a_migration_killed_before_its_commit_is_done_by_the_next_run(tmp_path):
    out, before = _version_2_output(tmp_path)

    class Killed(Exception):
        pass

    calls = []

    def check() -> None:  # the lock's check, asked before each write: fails on the 2nd
        calls.append(1)
        if len(calls) == 2:
            raise Killed

    with pytest.raises(Killed):
        tables.ensure(str(out), check)
    assert not (out / "articles" / "_delta_log").exists()
    assert run_cli("run", "-i", str(SAMPLES), "-o", str(out), "--incremental").returncode == 0
    assert _articles(out) == before
    assert DeltaTable(str(out / "articles")).version() == 1


def test_newsclean_migrate(tmp_path):
    out, before = _version_2_output(tmp_path)
    n = len(_plain_parts(out)) - 2  # less the two schema parts
    done = run_cli("migrate", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{n} Parquet parts migrated\n"
    assert _articles(out) == before
    again = run_cli("migrate", str(out))
    assert (again.returncode, again.stdout) == (0, "nothing to migrate\n")
    assert DeltaTable(str(out / "articles")).version() == 0

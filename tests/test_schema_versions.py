"""An output written by schema version 2 (``author`` a ``; ``-joined string, no
``provenance``) is conformed by the next run of version 3: every part rewritten, no row
lost or doubled, the authors split as version 2 joined them; an analyst's one glob then
reads one table. A run killed while conforming leaves whole parts, and the next run
conforms the rest."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsclean.flows import sink
from newsclean.schemas.parquet import SCHEMAS, schema_version
from tests.conftest import SAMPLES, run_cli

ARTICLE_COLUMNS = "doc_id, source_id, title, authors, published, text, removed, decision"


def _as_version_2(path: Path, dataset: str) -> None:
    """Rewrite a part as version 2 wrote it: ``author`` in place of ``authors``, no
    ``provenance``, version "2" in the file's metadata."""
    table = pq.read_table(path)
    fields, columns = [], []
    for field in SCHEMAS[dataset]:
        if field.name == "provenance":
            continue
        column = table.column(field.name)
        if field.name == "authors":
            field = pa.field("author", pa.string())
            column = pa.array(["; ".join(v) or None for v in column.to_pylist()], pa.string())
        fields.append(field)
        columns.append(column)
    metadata = {**SCHEMAS[dataset].metadata, b"newsclean.schema_version": b"2"}
    pq.write_table(pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata)), path)


def _version_2_output(tmp_path: Path) -> tuple[Path, list[tuple]]:
    out = tmp_path / "out"
    assert run_cli("run", "-i", str(SAMPLES), "-o", str(out)).returncode == 0
    rows = _articles(out)
    for dataset in SCHEMAS:
        for path in (out / dataset).glob("*.parquet"):
            _as_version_2(path, dataset)
    return out, rows


def _articles(out: Path) -> list[tuple]:
    glob = str(out / "articles" / "*.parquet")
    return duckdb.sql(
        f"select {ARTICLE_COLUMNS} from read_parquet('{glob}') order by doc_id"
    ).fetchall()


def test_a_version_2_output_is_conformed_by_the_next_run(tmp_path):
    out, before = _version_2_output(tmp_path)
    assert any(a[3] for a in before), "the samples name an author"
    parts = sorted((out / "articles").glob("part-*.parquet"))
    assert {schema_version(pq.read_schema(p)) for p in parts} == {"2"}

    # an incremental run with nothing new to clean still conforms the output
    result = run_cli("run", "-i", str(SAMPLES), "-o", str(out), "--incremental")
    assert result.returncode == 0, result.stderr
    assert "kept: 0" in result.stdout  # nothing cleaned again: the parts were conformed
    for dataset in SCHEMAS:
        versions = {schema_version(pq.read_schema(p)) for p in (out / dataset).glob("*.parquet")}
        assert versions == {"3"}, dataset
    # the same rows, once each, the authors as lists again; the one glob reads them
    assert _articles(out) == before
    ((provenance,),) = duckdb.sql(
        f"select count(*) from read_parquet('{out / 'articles' / '*.parquet'}') "
        "where provenance.title is null"
    ).fetchall()
    assert provenance == len(before)  # version 2 did not record it: null, not invented


def test_a_run_killed_while_conforming_leaves_the_rest_for_the_next(tmp_path):
    out, before = _version_2_output(tmp_path)

    class Killed(Exception):
        pass

    calls = []

    def check() -> None:  # the lock's check, asked before each write: fails on the 2nd
        calls.append(1)
        if len(calls) == 2:
            raise Killed

    with pytest.raises(Killed):
        sink.ensure_datasets(str(out), check)
    versions = [schema_version(pq.read_schema(p)) for p in (out / "articles").glob("*.parquet")]
    assert "2" in versions and "3" in versions  # some conformed, the schema part not yet
    assert run_cli("run", "-i", str(SAMPLES), "-o", str(out), "--incremental").returncode == 0
    assert _articles(out) == before

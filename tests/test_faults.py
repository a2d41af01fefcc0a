"""Faults an adversary found, each one that used to wedge every later scheduled run or
bring back data another run had settled. Each test fails on the code before its fix."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import SAMPLES, SEED, ledger_entries, plain_run, run_cli, scan

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _rows(out, dataset="articles", cols="source_id, text"):
    return duckdb.sql(f"select {cols} from {scan(out, dataset)} order by all").fetchall()


# -- a `$` in a domain: the report's chart labels -------------------------------------


@pytest.fixture
def dollar_landing(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    records = [
        {"id": "money", "url": "https://a$$b$^$c${$.example/story", "text": SEED_TEXT},
        {"id": "plain", "url": "https://news.example/other", "text": "Other. " + SEED_TEXT},
    ]
    (landing / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return landing


@pytest.mark.usefixtures("prefect_harness")
def test_a_dollar_domain_leaves_the_flow_completed_and_the_report_written(dollar_landing, tmp_path):
    from prefect.client.schemas.objects import StateType

    from newsclean.flows.clean_pages import clean_pages

    out = tmp_path / "out"
    for _ in range(2):  # the next scheduled run, over the same output, too
        state = clean_pages(
            inputs=[str(dollar_landing)], output=str(out), workers=1, return_state=True
        )
        assert state.type == StateType.COMPLETED, state.message
        summary = state.result()
        assert summary["kept"] == 2 and not summary["warnings"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "a$$b$^$c${$.example" in page  # as text, in the chart and the tables


def test_newsclean_report_on_a_dollar_domain(dollar_landing, tmp_path):
    out = tmp_path / "out"
    plain_run([dollar_landing], out, workers=1)
    result = run_cli("report", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"report: {out / 'report.html'}\n"


def test_a_report_that_cannot_be_written_is_one_line(tmp_path):
    out = tmp_path / "out"
    plain_run([SEED], out, workers=1)
    (tmp_path / "a-file").write_text("")
    result = run_cli("report", str(out), "--out", str(tmp_path / "a-file" / "r.html"))
    assert result.returncode == 1
    assert result.stderr.startswith("newsclean: error: cannot write the report: ")
    assert len(result.stderr.splitlines()) == 1


# -- one huge line in a gzip'd JSON Lines file ----------------------------------------


def test_a_huge_gzipped_record_is_too_large_without_being_held(tmp_path):
    """A 1 MB .jsonl.gz holding one 256 MiB record, between two ordinary ones: the
    record is `too_large` and the run's peak memory stays far below the record's size
    (it was 0.94 GB when the line was inflated and parsed whole)."""
    path = tmp_path / "landing" / "huge.jsonl.gz"
    path.parent.mkdir()
    with gzip.open(path, "wb", compresslevel=1) as fh:
        fh.write(json.dumps({"id": "before", "text": SEED_TEXT}).encode() + b"\n")
        fh.write(b'{"id": "huge", "html": "<p>')
        chunk = b"a" * (1 << 20)
        for _ in range(256):
            fh.write(chunk)
        fh.write(b'</p>"}\n')
        fh.write(json.dumps({"id": "after", "text": "After. " + SEED_TEXT}).encode() + b"\n")
    assert path.stat().st_size < 2_000_000
    small = tmp_path / "small" / "small.jsonl.gz"
    small.parent.mkdir()
    with gzip.open(small, "wb") as fh:
        fh.write(json.dumps({"id": "before", "text": SEED_TEXT}).encode() + b"\n")
    probe = textwrap.dedent(
        """
        import resource, sys
        from newsclean.flows.cli import main
        code = main(["run", "-i", sys.argv[1], "-o", sys.argv[2], "--workers", "1", "-q"])
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        sys.exit(code)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}

    def peak_mib(source, out) -> int:
        result = subprocess.run(
            [sys.executable, "-c", probe, str(source), str(out)],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return int(result.stdout.split()[-1])

    out = tmp_path / "out"
    baseline, huge = peak_mib(small, tmp_path / "small-out"), peak_mib(path, out)
    assert huge < baseline + 100, f"peak RSS {huge} MiB, {baseline} MiB for one small record"
    assert [s for (s,) in _rows(out, cols="source_id")] == ["after", "before"]
    ((source, reason, detail),) = _rows(out, "rejects", "source_id, reason, detail")
    assert (source, reason) == (f"{path}:2", "too_large")
    assert detail == "a record of 268,435,490 bytes, not read"


def test_a_long_uncompressed_record_is_too_large_and_its_neighbours_stay(tmp_path):
    path = tmp_path / "pages.jsonl"
    with open(path, "wb") as fh:
        fh.write(json.dumps({"id": "before", "text": SEED_TEXT}).encode() + b"\n")
        fh.write(b'{"id": "long", "text": "' + b"word " * 1_000_000 + b'"}\n')
        fh.write(json.dumps({"id": "after", "text": "After. " + SEED_TEXT}).encode() + b"\n")
    out = tmp_path / "out"
    plain_run([path], out, workers=1, max_page_mb=1, batch_size=2)
    assert [s for (s,) in _rows(out, cols="source_id")] == ["after", "before"]
    assert _rows(out, "rejects", "source_id, reason") == [(f"{path}:2", "too_large")]


# -- damaged state: ledger entries and index files ------------------------------------


def _two_inputs_cleaned(tmp_path):
    """A landing folder of two inputs, cleaned once: (landing, output, its rows)."""
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "seed.txt").write_text(SEED_TEXT)
    (landing / "other.txt").write_text("Other. " + SEED_TEXT)
    out = tmp_path / "out"
    plain_run([landing], out, workers=1)
    assert len(ledger_entries(out)) == 2
    return landing, out, _rows(out)


def _rewrite_ledger(out, change) -> str:
    """The ledger file with its first entry's JSON replaced by ``change(entry)``; that
    entry's key."""
    path = out / "_ledger" / "inputs.parquet"
    table = pq.read_table(path)
    entries = table["entry"].to_pylist()
    entries[0] = change(entries[0])
    column = table.schema.get_field_index("entry")
    table = table.set_column(column, "entry", pa.array(entries, pa.string()))
    pq.write_table(table, path)
    return table["key"][0].as_py()


@pytest.mark.parametrize("damage", ["{}", "[]", '"text"', "null", "not json", "names: null"])
def test_a_ledger_entry_of_the_wrong_shape_is_redone_with_a_warning(tmp_path, damage):
    landing, out, clean = _two_inputs_cleaned(tmp_path)

    def damaged(entry: str) -> str:
        if damage == "names: null":
            return json.dumps({**json.loads(entry), "names": None})
        return damage

    key = _rewrite_ledger(out, damaged)
    for _ in range(2):  # this run heals it; the next sees a healthy ledger
        result = run_cli("run", "-i", str(landing), "-o", str(out), "--incremental")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert _rows(out) == clean
        warnings = [line for line in result.stdout.splitlines() if line.startswith("warning: ")]
        if _ == 0:
            where = f"{out / '_ledger' / 'inputs.parquet'} [{key}]"
            assert warnings == [
                f"warning: ledger entry {where} is damaged ("
                + warnings[0].split(" is damaged (", 1)[1]
            ]
            assert "its input is processed again" in warnings[0]
            assert "1 unchanged, skipped" in result.stdout
        else:
            assert warnings == [] and "2 unchanged, skipped" in result.stdout
    assert len(ledger_entries(out)) == 2


def test_a_damaged_ledger_file_means_every_input_is_processed_again(tmp_path):
    landing, out, clean = _two_inputs_cleaned(tmp_path)
    ledger = out / "_ledger" / "inputs.parquet"
    ledger.write_bytes(ledger.read_bytes()[:100])  # cut short
    result = run_cli("run", "-i", str(landing), "-o", str(out), "--incremental")
    assert result.returncode == 0, result.stderr
    assert f"warning: the ledger {ledger} is damaged (" in result.stdout
    assert "every input is processed again" in result.stdout
    assert "2 files in 2 shards" in result.stdout  # none skipped
    assert _rows(out) == clean
    assert len(ledger_entries(out)) == 2


@pytest.mark.parametrize("index", ["near", "texts"])
def test_a_damaged_index_file_is_rebuilt_with_a_warning(tmp_path, index):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "a.txt").write_text(SEED_TEXT)
    policy = tmp_path / "policy.toml"
    policy.write_text('[duplicates]\nreject_exact = true\nnear_action = "flag"\n')
    out = tmp_path / "out"
    plain_run([landing], out, workers=1, policy=str(policy))
    (file,) = (out / "_ledger" / index).glob("*.parquet")
    healthy = duckdb.sql(f"select * from read_parquet('{file}') order by all").fetchall()
    file.write_bytes(b"")
    # a later page: the same text in another file (texts) or a light edit (near)
    (landing / "b.txt").write_text(SEED_TEXT + ("\n\n" if index == "texts" else "\nOne more."))
    result = run_cli(
        "run", "-i", str(landing), "-o", str(out), "--incremental", "--policy", str(policy)
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"warning: index file {file} was damaged (" in result.stdout
    assert duckdb.sql(f"select * from read_parquet('{file}') order by all").fetchall() == healthy
    if index == "texts":
        assert _rows(out, "rejects", "reason") == [("duplicate",)]
    else:
        flags = duckdb.sql(
            f"select flags from {scan(out, 'articles')} where source_id like '%b.txt'"
        ).fetchall()
        assert flags == [(["near_duplicate"],)]


# -- inputs as named --------------------------------------------------------------------


def test_an_input_named_with_glob_characters_is_that_file(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    named = landing / "report[2026].txt"
    named.write_text(SEED_TEXT)
    (landing / "report2.txt").write_text("Something else entirely. " + SEED_TEXT)
    out = tmp_path / "out"
    result = run_cli("run", "-i", str(named), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert _rows(out, cols="source_id") == [(str(named),)]
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "x[1].txt").write_text(SEED_TEXT)
    result = run_cli("run", "-i", str(alone / "x[1].txt"), "-o", str(tmp_path / "out2"))
    assert result.returncode == 0, result.stderr
    # a pattern still works where no file has that name
    result = run_cli("run", "-i", str(landing / "report[0-9].txt"), "-o", str(tmp_path / "out3"))
    assert result.returncode == 0, result.stderr
    assert _rows(tmp_path / "out3", cols="source_id") == [(str(landing / "report2.txt"),)]


del SAMPLES

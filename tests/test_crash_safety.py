"""Crashes, overlapping runs and a full disk: the dataset is never corrupt or duplicated,
and the same command afterwards finishes the job."""

from __future__ import annotations

import gzip
import json
import os
import resource
import signal
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import corpus_files, ledger_entries, paused_group, run_cli, scan, start_cli

COLUMNS = "doc_id, source_id, text, captions, removed, dateline, language, decision, input_path"


@pytest.fixture(scope="module")
def many_inputs(tmp_path_factory):
    """Thirty JSONL files of ten real corpus pages each: enough work to kill mid-way."""
    folder = tmp_path_factory.mktemp("inputs")
    src = next(f for f in corpus_files() if f.name == "trafilatura.jsonl.gz")
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for _, line in zip(range(300), fh, strict=False)]
    for i in range(30):
        with open(folder / f"batch-{i:02d}.jsonl", "w", encoding="utf-8") as out:
            for rec in records[i * 10 : (i + 1) * 10]:
                out.write(
                    json.dumps({"id": rec["id"], "url": rec["url"], "html": rec["html"]}) + "\n"
                )
    return folder


def _dataset(out: Path) -> tuple[list, list]:
    articles = duckdb.sql(f"select {COLUMNS} from {scan(out, 'articles')} order by all").fetchall()
    rejects = duckdb.sql(
        f"select doc_id, source_id, reason, detail from {scan(out, 'rejects')} order by all"
    ).fetchall()
    return articles, rejects


@pytest.fixture(scope="module")
def clean_dataset(many_inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean") / "out"
    assert (
        run_cli(
            "run", "-i", str(many_inputs), "-o", str(out), "--workers", "2", "--batch-size", "4"
        ).returncode
        == 0
    )
    return _dataset(out)


def _all_parts_readable(out: Path) -> None:
    for part in out.rglob("*.parquet"):
        pq.read_metadata(part)  # raises on a partial file


def test_sigkill_mid_run_then_rerun_equals_a_clean_run(many_inputs, clean_dataset, tmp_path):
    out = tmp_path / "out"
    args = ("run", "-i", str(many_inputs), "-o", str(out), "--workers", "2", "--batch-size", "4")
    proc = start_cli(*args)
    deadline = time.monotonic() + 120
    # files the workers wrote into the run's staging folder (the run commits them at its end)
    while len(list(out.glob("_ledger/staging/*/articles/*.parquet"))) < 10:
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, mid-write
    proc.wait()
    assert ledger_entries(out) == []  # killed before its commit: nothing recorded
    assert not (out / "articles" / "_delta_log").exists()  # nor committed
    _all_parts_readable(out)  # whatever a reader sees now is whole

    rerun = run_cli(*args)
    assert rerun.returncode == 0, rerun.stderr
    assert _dataset(out) == clean_dataset
    assert not list(out.rglob("*.tmp"))
    assert len(ledger_entries(out)) == 30


def test_overlapping_runs_into_one_output(many_inputs, clean_dataset, tmp_path):
    out = tmp_path / "out"
    args = ("run", "-i", str(many_inputs), "-o", str(out), "--workers", "2", "--batch-size", "4")
    first = start_cli(*args)
    deadline = time.monotonic() + 60
    while not (out / "_ledger" / "lock").exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    # the first run paused while it holds the lock (a paused process keeps it): on a
    # loaded machine it could otherwise be done before the second has started
    with paused_group(first):
        assert first.poll() is None
        refused = run_cli(*args)
        assert refused.returncode == 3
        assert refused.stderr.startswith(
            f"newsclean: error: another newsclean run is writing to {out} (pid {first.pid}"
        )
        assert len(refused.stderr.splitlines()) == 1
        waiting = start_cli(*args, "--wait-for-lock", "300")
    assert first.wait(timeout=300) == 0
    assert waiting.wait(timeout=300) == 0, waiting.stderr.read()
    assert _dataset(out) == clean_dataset


def test_full_disk_is_a_clear_error_and_leaves_no_partial_file(
    many_inputs, clean_dataset, tmp_path
):
    out = tmp_path / "out"
    args = ("run", "-i", str(many_inputs), "-o", str(out), "--workers", "1", "--batch-size", "10")

    def small_disk():
        # Writes past 16 KiB fail with EFBIG, as they would on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    proc = start_cli(*args, preexec_fn=small_disk)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert stderr.startswith("newsclean: error: cannot write output: [Errno 27]")
    assert "File too large" in stderr
    assert len(stderr.splitlines()) == 1
    assert not list(out.rglob("*.tmp"))
    _all_parts_readable(out)

    assert run_cli(*args[:-1], "4").returncode == 0
    assert _dataset(out) == clean_dataset


def test_temporaries_a_killed_run_left_anywhere_in_the_output_are_cleared(tmp_path):
    """Parts, ledger entries and both duplicate indexes are written under temporary names
    that a kill -9 can leave behind; the next run clears every one of them."""
    from tests.conftest import SEED, plain_run

    out = tmp_path / "out"
    leftovers = [
        out / "articles" / ".part-0123456789abcdef-00000.parquet.dead.tmp",
        out / "rejects" / ".part-0123456789abcdef-00000.parquet.dead.tmp",
        out / "_ledger" / ".inputs.parquet.dead.tmp",
        out / "_ledger" / "texts" / ".0123456789abcdef.parquet.dead.tmp",
        out / "_ledger" / "near" / ".0123456789abcdef.parquet.dead.tmp",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
    plain_run([SEED], out, workers=1)
    assert not list(out.rglob("*.tmp"))

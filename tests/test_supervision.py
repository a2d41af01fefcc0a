"""Supervised runs, with real processes and real signals: workers die with the driver and
never hold its lock; a dead worker is replaced; a page that kills its worker twice, or
overruns its deadline inside C code, becomes a reject and the shard goes on; SIGTERM and
SIGINT stop a run cleanly; inputs that vanish mid-run are recorded, not fatal."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES, plain_run, run_cli, scan, start_cli

STORY = (
    "The city council approved a new plan for bicycle lanes on {n} streets on Monday, "
    "officials said. Work will start in the spring and last two years, and residents "
    "will be asked for their views at three public meetings."
)


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _rows(out: Path, dataset: str, cols: str) -> list[tuple]:
    return duckdb.sql(f"select {cols} from {scan(out, dataset)} order by all").fetchall()


def _workers_of(pid: int, want: int, timeout: float = 60) -> list[psutil.Process]:
    """The cleaning children of a driver, once ``want`` of them are up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = [
            p
            for p in psutil.Process(pid).children(recursive=True)
            if "newsclean.flows.supervisor" in " ".join(p.cmdline())
        ]
        if len(kids) >= want:
            return kids
        time.sleep(0.1)
    raise AssertionError(f"fewer than {want} workers started")


@pytest.fixture(scope="module")
def slow_inputs(tmp_path_factory):
    """Six JSONL files of 40 HTML pages each (the samples, each page a little different):
    several seconds of work on two workers, enough to interrupt."""
    folder = tmp_path_factory.mktemp("slow")
    pages = [p.read_bytes().decode("utf-8", "replace") for p in sorted(SAMPLES.glob("*.html"))]
    for f in range(6):
        records = []
        for i in range(40):
            html = pages[i % len(pages)].replace(
                "</body>", f"<p>{STORY.format(n=f * 100 + i)}</p></body>"
            )
            records.append({"id": f"w{f}-{i}", "html": html})
        _jsonl(folder / f"wire-{f}.jsonl", records)
    return folder


def _wait_for_parts(out: Path, n: int, timeout: float = 120) -> None:
    """Until the run's workers have written ``n`` files of articles (into the run's
    staging folder: the run commits them at its end)."""
    deadline = time.monotonic() + timeout
    while len(list(out.glob("_ledger/staging/*/articles/part-*.parquet"))) < n:
        assert time.monotonic() < deadline, "the run wrote no parts"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def slow_clean(slow_inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("slow-clean")
    plain_run([slow_inputs], out, workers=2, batch_size=10)
    return _rows(out, "articles", "doc_id, source_id, text"), _rows(out, "rejects", "source_id")


def test_kill_9_of_the_driver_takes_its_workers_and_frees_the_output(
    slow_inputs, slow_clean, tmp_path
):
    out = tmp_path / "out"
    args = ("run", "-i", str(slow_inputs), "-o", str(out), "--workers", "2", "--batch-size", "10")
    driver = start_cli(*args)
    workers = _workers_of(driver.pid, 2)
    os.kill(driver.pid, signal.SIGKILL)  # the driver alone, not its process group
    driver.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"workers outlived their driver: {alive}"
    # the lock went with the driver: the rerun starts at once and completes the job
    rerun = run_cli(*args)
    assert rerun.returncode == 0, rerun.stderr
    assert (
        _rows(out, "articles", "doc_id, source_id, text"),
        _rows(out, "rejects", "source_id"),
    ) == (slow_clean)


def test_a_killed_worker_is_replaced_and_its_page_retried(slow_inputs, slow_clean, tmp_path):
    out = tmp_path / "out"
    driver = start_cli(
        "run", "-i", str(slow_inputs), "-o", str(out), "--workers", "2", "--batch-size", "10"
    )
    first = _workers_of(driver.pid, 2)[0]
    _wait_for_parts(out, 1)  # mid-run, most likely mid-page
    first.kill()  # as the out-of-memory killer would
    stdout, stderr = driver.communicate(timeout=300)
    assert driver.returncode == 0, stderr
    assert "pages read: 240  kept: 240" in stdout, stdout
    assert (
        _rows(out, "articles", "doc_id, source_id, text"),
        _rows(out, "rejects", "source_id"),
    ) == (slow_clean)


def test_a_page_that_kills_its_worker_twice_is_a_reject_and_the_shard_goes_on(tmp_path):
    marker = "CRASH-THIS-WORKER"
    path = _jsonl(
        tmp_path / "wire.jsonl",
        [
            {"id": "before", "text": STORY.format(n=1)},
            {"id": "killer", "text": f"{STORY.format(n=2)} {marker}"},
            {"id": "after", "text": STORY.format(n=3)},
        ],
    )
    out = tmp_path / "out"
    env = {**os.environ, "NEWSCLEAN_TEST_CRASH_MARKER": marker}
    result = run_cli("run", "-i", str(path), "-o", str(out), "--workers", "1", env=env)
    assert result.returncode == 0, result.stderr
    assert _rows(out, "articles", "source_id") == [("after",), ("before",)]
    ((source_id, reason, detail),) = _rows(out, "rejects", "source_id, reason, detail")
    assert (source_id, reason) == ("killer", "worker_crashed")
    assert detail.startswith("the worker process died on this page twice")
    assert "rejected by reason: worker_crashed 1" in result.stdout


def _huge_page(path: Path) -> Path:
    """7.6 MB of 140,000 paragraphs: seconds inside lxml and trafilatura's C calls."""
    body = "".join(f"<p>Paragraph {i} of a page that never ends.</p>" for i in range(140_000))
    path.write_text(f"<html><head><title>t</title></head><body>{body}</body></html>")
    return path


@pytest.fixture(scope="module")
def huge_jsonl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("huge")
    html = _huge_page(folder / "huge.html").read_text()
    return _jsonl(
        folder / "pages.jsonl",
        [
            {"id": "small-1", "text": STORY.format(n=1)},
            {"id": "huge", "html": html},
            {"id": "small-2", "text": STORY.format(n=2)},
        ],
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_page_deadline_holds_inside_c_code(huge_jsonl, tmp_path, workers):
    out = tmp_path / "out"
    start = time.monotonic()
    result = run_cli(
        "run", "-i", str(huge_jsonl), "-o", str(out), "--page-timeout", "2",
        "--max-page-mb", "20", "--workers", workers, "--batch-size", "500",
    )  # fmt: skip
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert _rows(out, "rejects", "source_id, reason, detail") == [
        ("huge", "timeout", "cleaning took longer than 2 s")
    ]
    assert _rows(out, "articles", "source_id") == [("small-1",), ("small-2",)]
    # the deadline plus 2 s, plus the start of Python and of the workers (a few seconds)
    assert elapsed < 2 + 2 + 8, elapsed


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_run_cleanly_and_the_next_run_starts_at_once(
    slow_inputs, slow_clean, tmp_path, sig, code
):
    out = tmp_path / "out"
    args = ("run", "-i", str(slow_inputs), "-o", str(out), "--workers", "2", "--batch-size", "10")
    driver = start_cli(*args)
    workers = _workers_of(driver.pid, 2)
    _wait_for_parts(out, 2)  # mid-run: some shards written, most not
    driver.send_signal(sig)
    stdout, stderr = driver.communicate(timeout=60)
    assert driver.returncode == code, stderr
    assert stderr.count("\n") == 1
    assert stderr.startswith(f"newsclean: error: interrupted by {signal.Signals(sig).name}")
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    rerun = run_cli(*args)  # no --wait-for-lock: the lock is free
    assert rerun.returncode == 0, rerun.stderr
    assert (
        _rows(out, "articles", "doc_id, source_id, text"),
        _rows(out, "rejects", "source_id"),
    ) == (slow_clean)


def test_an_input_removed_mid_run_is_one_unreadable_reject_and_the_run_goes_on(tmp_path):
    from newsclean.flows.config import build_config
    from newsclean.flows.engine import run

    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    for name in ("a", "b", "c"):
        _jsonl(landing / f"{name}.jsonl", [{"id": name, "text": STORY.format(n=ord(name))}])
    config = build_config(inputs=[str(landing)], output=str(out), workers=1)

    def remove_the_next(shard_report):
        if (landing / "b.jsonl").exists():
            (landing / "b.jsonl").unlink()  # after a's shard, before b is read

    report = run(config, on_shard=remove_the_next)
    assert report.pages == 3
    assert _rows(out, "articles", "source_id") == [("a",), ("c",)]
    assert _rows(out, "rejects", "source_id, reason, detail") == [
        (str(landing / "b.jsonl"), "unreadable", "cannot read input: No such file or directory")
    ]


def test_repeated_id_rejects_do_not_depend_on_the_batch_size(tmp_path):
    path = _jsonl(
        tmp_path / "ids.jsonl",
        [
            {"id": "a", "url": "https://example.org/a", "text": STORY.format(n=1)},
            {"id": "b", "text": STORY.format(n=2)},
            {"id": "a", "url": "https://example.org/a2", "text": STORY.format(n=3)},
            {"id": "a", "text": 5},
            {"id": "b", "text": STORY.format(n=4)},
        ],
    )
    results = set()
    for batch in ("1", "2", "3", "500"):
        out = tmp_path / f"out-{batch}"
        assert (
            run_cli("run", "-i", str(path), "-o", str(out), "--batch-size", batch).returncode == 0
        )
        results.add(
            (
                tuple(_rows(out, "articles", "doc_id, source_id")),
                tuple(_rows(out, "rejects", "doc_id, source_id, reason, detail")),
            )
        )
    ((articles, rejects),) = results  # one answer for every batch size
    assert [a[1] for a in articles] == ["a", "b"]
    assert [r[1:] for r in rejects] == [
        (f"{path}:3", "malformed_record", "duplicate id 'a', first on line 1"),
        (f"{path}:4", "malformed_record", "text is not a string"),
        (f"{path}:5", "malformed_record", "duplicate id 'b', first on line 2"),
    ]


def test_an_output_with_no_rows_reads_as_two_empty_tables_with_the_schema(tmp_path):
    import polars as pl
    import pyarrow.dataset as ds
    from deltalake import DeltaTable

    from newsclean.schemas.parquet import ARTICLES_SCHEMA, REJECTS_SCHEMA

    empty = tmp_path / "empty.jsonl"
    empty.write_text("")  # one `empty` reject
    out = tmp_path / "out"
    assert run_cli("run", "-i", str(empty), "-o", str(out)).returncode == 0
    for dataset, schema, rows in (("articles", ARTICLES_SCHEMA, 0), ("rejects", REJECTS_SCHEMA, 1)):
        files = DeltaTable(str(out / dataset)).file_uris()
        assert len(files) == rows  # the table exists, with its schema, and no file
        table = ds.dataset(files, schema=schema, format="parquet").to_table()
        assert table.num_rows == rows and table.schema.names == schema.names
        got = duckdb.sql(f"select * from {scan(out, dataset)}")
        assert got.columns == schema.names and len(got.fetchall()) == rows
        frame = pl.read_delta(str(out / dataset))
        assert frame.columns == schema.names and frame.height == rows


def test_samples_still_clean_with_supervision(tmp_path):
    """The whole sample folder through supervised workers equals the in-process cleaning
    of the same pages (what supervision adds must not change a row)."""
    from datetime import UTC, datetime

    from newsclean.flows import sink, tables
    from newsclean.flows.engine import ShardJob, iter_shards, process_shard
    from newsclean.flows.readers import expand_inputs
    from newsclean.schemas.policy import DEFAULT_POLICY

    a, b = tmp_path / "supervised", tmp_path / "in-process"
    now = datetime.now(UTC)
    for out, supervised in ((a, True), (b, False)):
        job = ShardJob(str(out), DEFAULT_POLICY, now, supervised=supervised)
        for path in expand_inputs([str(SAMPLES)]):
            for shard in iter_shards(path, 500):
                result = process_shard(shard, job)
                sink.write_settled(
                    str(out), job.run_id, shard.part, result.article_rows, result.reject_rows
                )
        files = sink.publish(str(out), job.run_id, lambda: None)
        for dataset in tables.DATASETS:
            tables.commit(str(out), dataset, files[dataset], lambda key: True, {})
    from newsclean.flows.supervisor import stop_all

    stop_all()
    for dataset in ("articles", "rejects"):
        assert _rows(a, dataset, "*") == _rows(b, dataset, "*")


# Any string JSON can carry, lone surrogates included, and names that are not UTF-8.
_TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=40)


@settings(max_examples=int(os.environ.get("NEWSCLEAN_BYTES_EXAMPLES", "25")), deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    records=st.lists(
        st.fixed_dictionaries(
            {},
            optional={"id": _TEXT, "url": _TEXT, "html": _TEXT, "text": _TEXT, "title": _TEXT},
        ),
        min_size=1,
        max_size=6,
    ),
    name=st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b),
)
@example(records=[{"id": "0"}, {"id": "0"}], name=b"\x80")  # a repeated id in a latin-1 name
@example(records=[{"id": "a\ud800", "html": "<p>\udc00</p>", "url": "\ud83d"}], name=b"caf\xe9")
def test_any_json_strings_and_file_names_end_as_rows(tmp_path_factory, records, name):
    """Bad bytes are data: whatever strings a record holds and whatever bytes name its
    file, the run completes and every record is one row, readable as UTF-8 Parquet."""
    folder = tmp_path_factory.mktemp("bytes")
    path = os.path.join(os.fsencode(folder), name + b".jsonl")
    with open(path, "w", encoding="ascii") as fh:  # json escapes what UTF-8 cannot hold
        fh.writelines(json.dumps(r) + "\n" for r in records)
    out = folder / "out"
    report = plain_run([folder], out, workers=1)
    assert report.pages == len(records)
    rows = _rows(out, "articles", "source_id") + _rows(out, "rejects", "source_id")
    assert len(rows) == len(records)

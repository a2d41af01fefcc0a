"""articles and rejects as Delta tables: one commit per table per run (with the run's id
and counts in its commit info), a reprocessed input replaced in the same commit, readers
that never see part of a run, time travel, compaction that later runs build on, and
takedowns that stay taken down."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections import Counter

import duckdb
from deltalake import DeltaTable

from newsclean.flows import tables
from tests.conftest import SAMPLES, paused_group, plain_run, run_cli, scan, start_cli

STORY = (
    "Headline number {n}\n\nPARIS (AFP) - The city council approved a new plan for "
    "bicycle lanes on {n} streets on Monday, officials said, after a long debate.\n\n"
    "Work will start in the spring and last two years, the mayor's office said."
)


# four stories that share nothing (the default policy marks near-duplicates)
STORIES = (
    "The harbour authority reopened the northern pier on Tuesday after repairs to the "
    "storm wall took most of the winter and cost more than planned.",
    "A regional orchestra announced a season of free concerts in village halls, paid for "
    "by a foundation that supports music teaching in rural schools.",
    "Farmers in the valley began the grape harvest two weeks early this year, citing a dry "
    "summer that left the fruit small but unusually sweet.",
    "The university library will keep its reading rooms open overnight during exams, a "
    "trial that students had requested in a petition last spring.",
)


def _record(rid: str, n: int, host: str = "example.org", text: str | None = None) -> str:
    text = text or STORY.format(n=n)
    return json.dumps({"id": rid, "url": f"https://{host}/{rid}", "text": text})


def _write_wire(path, records: list[str]) -> None:
    path.write_text("".join(r + "\n" for r in records))


def _rows(out, dataset: str, cols: str) -> list[tuple]:
    return duckdb.sql(f"select {cols} from {scan(out, dataset)} order by all").fetchall()


def test_each_run_is_one_commit_per_table_with_its_id_and_counts(tmp_path):
    out = tmp_path / "out"
    versions = []
    for args in ((), ("--incremental",), ("--reprocess",)):
        done = run_cli("run", "-i", str(SAMPLES), "-o", str(out), *args)
        assert done.returncode == 0, done.stderr
        versions.append([DeltaTable(str(out / d)).version() for d in tables.DATASETS])
    assert versions == [[0, 0], [1, 1], [2, 2]]
    last = DeltaTable(str(out / "articles")).history(1)[0]
    assert len(last["newsclean.run_id"]) == 32
    counts = json.loads(last["newsclean.counts"])
    assert counts == {
        "pages": 8,
        "kept": 6,
        "flagged": 0,
        "rejected": 2,
        "inputs": 5,
        "skipped": 0,
    }
    # the incremental run skipped every input: its commit changed no file
    assert (
        json.loads(DeltaTable(str(out / "articles")).history()[1]["newsclean.counts"])["skipped"]
        == 5
    )
    assert (
        DeltaTable(str(out / "articles"), version=1).file_uris()
        == DeltaTable(str(out / "articles"), version=0).file_uris()
    )


def test_a_replaced_input_is_swapped_in_one_commit_and_the_old_version_reads_as_it_was(
    tmp_path,
):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    _write_wire(landing / "wire.jsonl", [_record("a", 1), _record("b", 2)])
    shutil.copy(SAMPLES / "berlin-verkehr-dpa.html", landing / "berlin.html")
    args = ("run", "-i", str(landing), "-o", str(out), "--incremental")
    assert run_cli(*args).returncode == 0
    first = _rows(out, "articles", "source_id, text")

    _write_wire(landing / "wire.jsonl", [_record("a", 1), _record("b", 22), _record("c", 3)])
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert "pages read: 3" in done.stdout
    table = DeltaTable(str(out / "articles"))
    assert table.version() == 1
    actions = [a for a in _log_actions(out / "articles", 1) if "add" in a or "remove" in a]
    # one file of wire.jsonl's old rows out, one of its new rows in; berlin.html untouched
    assert Counter(next(iter(a)) for a in actions) == {"add": 1, "remove": 1}
    rows = _rows(out, "articles", "source_id, text")
    assert sorted(r[0] for r in rows) == sorted(["a", "b", "c", str(landing / "berlin.html")])
    assert [t for s, t in rows if s == "b"] == [
        "The city council approved a new plan for bicycle lanes on 22 streets on Monday, "
        "officials said, after a long debate.\nWork will start in the spring and last two "
        "years, the mayor's office said."
    ]
    # time travel: version 0 is the first run's dataset, row for row
    old = duckdb.sql(
        "select source_id, text from "
        f"{_registered(tables.dataset(str(out), 'articles', 0))} order by all"
    ).fetchall()
    assert old == first


def _log_actions(table_dir, version: int) -> list[dict]:
    log = table_dir / "_delta_log" / f"{version:020d}.json"
    return [json.loads(line) for line in log.read_text().splitlines()]


def _registered(dataset) -> str:
    name = f"v_{id(dataset)}"
    duckdb.default_connection().register(name, dataset)
    return name


def test_a_reader_polling_during_runs_never_sees_part_of_a_run(tmp_path):
    """Runs that reprocess a changing input, one after another, while a reader reads the
    table as often as it can: every snapshot has each doc_id once and is exactly the
    dataset some run left (never a mix of two runs, never a run half committed)."""
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    states = {}  # version -> sorted source ids the run left
    stop = threading.Event()
    seen: list[tuple[int, list[str]]] = []
    problems: list[str] = []

    def poll() -> None:
        while not stop.is_set():
            if not (out / "articles" / "_delta_log").exists():
                continue
            table = DeltaTable(str(out / "articles"))
            files = table.file_uris()
            if not files:
                continue
            import pyarrow.dataset as ds

            rows = ds.dataset(files, format="parquet").to_table(["doc_id", "source_id"])
            docs = rows["doc_id"].to_pylist()
            if len(docs) != len(set(docs)):
                problems.append(f"version {table.version()}: a doc_id twice")
            seen.append((table.version(), sorted(rows["source_id"].to_pylist())))

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for run in range(6):
            # the same three records, one rewritten each time, and a fourth now and then
            records = [_record(r, run * 10 + i) for i, r in enumerate("abc")]
            if run % 2:
                records.append(_record("d", 99))
            _write_wire(landing / "wire.jsonl", records)
            plain_run([landing], out, incremental=True, batch_size=1)
            states[DeltaTable(str(out / "articles")).version()] = sorted(
                ["a", "b", "c"] + (["d"] if run % 2 else [])
            )
    finally:
        stop.set()
        reader.join()
    assert not problems
    assert len(seen) > 6
    for version, ids in seen:
        assert ids == states[version], version


def test_a_compacted_table_still_replaces_one_input(tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    for name in ("one", "two", "three"):
        _write_wire(landing / f"{name}.jsonl", [_record(f"{name}-{i}", i) for i in range(3)])
    args = ("run", "-i", str(landing), "-o", str(out), "--incremental")
    assert run_cli(*args).returncode == 0
    done = run_cli("compact", str(out), "--retention-hours", "0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("articles: 3 -> 1 files, 3 removed by vacuum")
    assert len(DeltaTable(str(out / "articles")).file_uris()) == 1

    # two.jsonl changes: its rows leave the compacted file, the others' stay
    _write_wire(landing / "two.jsonl", [_record("two-new", 7)])
    assert run_cli(*args).returncode == 0
    got = _rows(out, "articles", "source_id")
    clean = tmp_path / "clean"
    assert run_cli("run", "-i", str(landing), "-o", str(clean)).returncode == 0
    assert got == _rows(clean, "articles", "source_id")
    assert [r[0] for r in got] == sorted(
        ["one-0", "one-1", "one-2", "three-0", "three-1", "three-2", "two-new"]
    )


def test_a_domain_taken_down_stays_down_when_its_input_is_processed_again(tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    _write_wire(
        landing / "wire.jsonl",
        [
            _record("a", 1, text=STORIES[0]),
            _record("b", 2, host="news.bad.example", text=STORIES[1]),
            _record("c", 3, host="bad.example", text=STORIES[2]),
            _record("d", 4, host="notbad.example", text=STORIES[3]),
        ],
    )
    args = ("run", "-i", str(landing), "-o", str(out))
    assert run_cli(*args).returncode == 0
    assert len(_rows(out, "articles", "source_id")) == 4

    done = run_cli("takedown", str(out), "--domain", "Bad.Example", "--reason", "court order 17")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "taken down domain bad.example: 2 articles, 0 rejects, 2 index entries removed; "
        "later runs drop its pages\n"
    )
    assert [r[0] for r in _rows(out, "articles", "source_id")] == ["a", "d"]
    ((kind, value, reason, n),) = _rows(out, "takedowns", "kind, value, reason, articles_removed")
    assert (kind, value, reason, n) == ("domain", "bad.example", "court order 17", 2)

    # the input processed again, from scratch: the pages are dropped before writing
    again = run_cli(*args, "--reprocess")
    assert again.returncode == 0, again.stderr
    assert "taken down (dropped, not stored): 2" in again.stdout
    assert "pages read: 4  kept: 2" in again.stdout
    assert [r[0] for r in _rows(out, "articles", "source_id")] == ["a", "d"]
    # and nothing of them is left in the near-duplicate index
    near = duckdb.sql(
        f"select count(*) from read_parquet('{out}/_ledger/near/*.parquet') "
        "where doc_id in (select doc_id from "
        f"{_registered(tables.dataset(str(out), 'articles', 0))} where url like '%bad.example%'"
        " and url not like '%notbad%')"
    ).fetchall()
    assert near == [(0,)]


def test_takedown_refuses_what_it_cannot_do(tmp_path):
    out = tmp_path / "out"
    assert run_cli("run", "-i", str(SAMPLES), "-o", str(out)).returncode == 0
    no_reason = run_cli("takedown", str(out), "--doc-id", "x", "--reason", " ")
    assert (no_reason.returncode, no_reason.stderr) == (
        2,
        "newsclean: error: a takedown needs a reason (--reason)\n",
    )
    two = run_cli("takedown", str(out), "--doc-id", "x", "--url", "y", "--reason", "r")
    assert two.returncode == 2
    assert "not allowed with argument" in two.stderr
    missing = run_cli("takedown", str(tmp_path / "nowhere"), "--doc-id", "x", "--reason", "r")
    assert (missing.returncode, missing.stderr) == (
        2,
        f"newsclean: error: no output folder at {tmp_path / 'nowhere'}\n",
    )
    # a doc_id no row has: recorded all the same (later runs drop it), nothing removed
    none = run_cli("takedown", str(out), "--doc-id", "0" * 32, "--reason", "request 4")
    assert none.returncode == 0, none.stderr
    assert "0 articles, 0 rejects" in none.stdout


def _slow_landing(folder) -> None:
    """Four JSON Lines files of 30 HTML pages each: seconds of work for one worker."""
    pages = [p.read_bytes().decode("utf-8", "replace") for p in sorted(SAMPLES.glob("*.html"))]
    folder.mkdir()
    for f in range(4):
        with open(folder / f"wire-{f}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(30):
                html = pages[i % len(pages)].replace(
                    "</body>", f"<p>{STORY.format(n=f * 100 + i)}</p></body>"
                )
                fh.write(json.dumps({"id": f"w{f}-{i}", "html": html}) + "\n")


def test_a_compaction_racing_a_run_waits_for_it_and_neither_loses_work(tmp_path):
    landing, out, clean = tmp_path / "landing", tmp_path / "out", tmp_path / "clean"
    _slow_landing(landing)
    args = ("run", "-i", str(landing), "-o", str(out), "--batch-size", "5")
    # a first run, so that there is something to compact, then one that rewrites it all
    assert run_cli(*args).returncode == 0
    run = start_cli(*args, "--reprocess")
    deadline = time.monotonic() + 120
    while not list(out.glob("_ledger/staging/*/articles/part-*.parquet")):
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.05)
    # The run is paused (its whole process group) while it holds the lock: on a loaded
    # machine it could otherwise finish in the seconds a compaction takes to start, and
    # the race would not be run at all. A paused process keeps its lock.
    with paused_group(run):
        assert run.poll() is None
        refused = run_cli("compact", str(out))
        assert refused.returncode == 3
        assert refused.stderr.startswith(
            f"newsclean: error: another newsclean run is writing to {out}"
        )
        compact = start_cli("compact", str(out), "--retention-hours", "0", "--wait-for-lock", "300")
        time.sleep(3)  # the compaction is started and waiting before the run goes on
        assert compact.poll() is None
    assert run.wait(timeout=300) == 0
    _, err = compact.communicate(timeout=300)
    assert compact.returncode == 0, err
    operations = [h["operation"] for h in DeltaTable(str(out / "articles")).history()]
    # newest first: the compaction (optimize, then vacuum) came after the run's commit
    assert operations[:4] == ["VACUUM END", "VACUUM START", "OPTIMIZE", "WRITE"], operations
    assert run_cli("run", "-i", str(landing), "-o", str(clean), "--batch-size", "5").returncode == 0
    cols = "doc_id, source_id, text"
    assert _rows(out, "articles", cols) == _rows(clean, "articles", cols)
    assert len(DeltaTable(str(out / "articles")).file_uris()) == 1

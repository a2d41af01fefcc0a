"""A simulated year of hourly runs into one output: files, versions and query times of the
Delta tables, before and after ``newsclean compact``.

Each run is the real run function (``engine.run``, one worker) over a landing folder
that gained one small JSON Lines file (a few text records, fetched in that simulated
hour); the run is incremental, so it cleans the new file only. Every ``--replace-every``
runs an earlier file is rewritten (a reprocessed input). At the end, and again after a
compaction with no retention, it prints the tables' file count and version and the time
of a one-day query (articles fetched on one day) and a whole-table query, DuckDB over
the table's current files (pyarrow dataset), median of 5.

The partitioning choice is measured beside it (``--partitioned``): the same runs' rows,
each run's appended as one commit to a second table partitioned by the day they were
fetched (``write_deltalake(..., partition_by=["day"])``), compacted the same way, the
one-day query pruned to its partition.

    .venv/bin/python benchmarks/delta_year.py [--runs 500] [--records 4] [--partitioned]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow.dataset as ds

from newsclean.flows import maintenance, tables
from newsclean.flows.config import build_config
from newsclean.flows.engine import run

WORDS = (
    "council harbour river school market station bridge library museum hospital "
    "orchestra festival farmers election budget weather police court university airport"
).split()


def _story(run: int, i: int) -> str:
    w = [WORDS[(run * 7 + i * 3 + k) % len(WORDS)] for k in range(12)]
    return (
        f"Report {run}-{i}: the {w[0]} and the {w[1]}\n\n"
        f"The {w[2]} near the {w[3]} opened on day {run} after the {w[4]} approved it. "
        f"Officials of the {w[5]} said the {w[6]} and the {w[7]} would follow, number {i}.\n\n"
        f"Residents of the {w[8]} quarter welcomed the {w[9]}; the {w[10]} and the "
        f"{w[11]} are next, run {run}."
    )


def _write_hour(landing: Path, run: int, records: int, at: datetime, version: int = 0) -> None:
    with open(landing / f"hour-{run:05d}.jsonl", "w", encoding="utf-8") as fh:
        for i in range(records):
            fh.write(
                json.dumps(
                    {
                        "id": f"{run}-{i}-v{version}",
                        "url": f"https://news{i % 3}.example/{run}/{i}/{version}",
                        "text": _story(run + version * 100000, i),
                        "fetched_at": (at + timedelta(minutes=i)).isoformat(),
                    }
                )
                + "\n"
            )


def _median_time(sql: str, articles, repeat: int = 5) -> tuple[float, object]:
    """``sql`` over ``articles`` (DuckDB finds the dataset by that name, here)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = duckdb.sql(sql).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _measure(out: Path, day: datetime, label: str) -> None:
    table = tables.open_table(str(out), "articles")
    files = table.file_uris()
    articles = ds.dataset(files, format="parquet")  # noqa: F841 - read by DuckDB by name
    lo, hi = day.isoformat(), (day + timedelta(days=1)).isoformat()
    one_day, (rows_day,) = _median_time(
        f"select count(*) from articles where fetched_at >= '{lo}' and fetched_at < '{hi}'",
        articles,
    )
    whole, (rows_all,) = _median_time(
        "select count(*), count(distinct doc_id), max(fetched_at) from articles", articles
    )
    size = sum(Path(f).stat().st_size for f in files) / 1024 / 1024
    on_disk = len(list((out / "articles").glob("*.parquet")))
    print(
        f"{label}: articles version {table.version()}, {len(files)} files ({size:.1f} MiB; "
        f"{on_disk} on disk); one-day query {one_day * 1000:.1f} ms ({rows_day[0]} rows), "
        f"whole-table query {whole * 1000:.1f} ms ({rows_all[0]} rows, "
        f"{rows_all[1]} distinct doc_ids)"
    )


def _partitioned_measure(uri: str, day: datetime, label: str) -> None:
    from deltalake import DeltaTable

    table = DeltaTable(uri)
    with warnings.catch_warnings():  # partition_filters: deprecated, still the simple form
        warnings.simplefilter("ignore", DeprecationWarning)
        day_files = table.file_uris(partition_filters=[("day", "=", day.date().isoformat())])
    all_files = table.file_uris()
    one = ds.dataset(day_files, format="parquet")
    whole = ds.dataset(all_files, format="parquet")
    t_day, (rows_day,) = _median_time("select count(*) from articles", one)
    t_all, (rows_all,) = _median_time("select count(*) from articles", whole)
    print(
        f"{label}: version {table.version()}, {len(all_files)} files in "
        f"{len(table.partitions())} partitions; one-day query {t_day * 1000:.1f} ms "
        f"({rows_day[0]} rows), whole-table query {t_all * 1000:.1f} ms ({rows_all[0]} rows)"
    )


def _append_partitioned(out: Path, uri: str, version: int) -> None:
    """The rows the run of ``version`` added to articles, appended to the partitioned
    table in one commit."""
    import pyarrow.compute as pc
    from deltalake import DeltaTable, write_deltalake

    now = set(DeltaTable(str(out / "articles"), version=version).file_uris())
    before = (
        set(DeltaTable(str(out / "articles"), version=version - 1).file_uris())
        if version
        else set()
    )
    added = sorted(now - before)
    if not added:
        return
    rows = ds.dataset(added, format="parquet").to_table(["doc_id", "fetched_at", "text"])
    day = pc.strftime(rows["fetched_at"], format="%Y-%m-%d")
    write_deltalake(uri, rows.append_column("day", day), mode="append", partition_by=["day"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--records", type=int, default=4)
    parser.add_argument("--replace-every", type=int, default=50)
    parser.add_argument("--partitioned", action="store_true")
    parser.add_argument(
        "--compact-every",
        type=int,
        default=0,
        metavar="N",
        help="compact (a week's retention) after every N runs, as the daily deployment does "
        "with N=24 (default: never, until the end)",
    )
    args = parser.parse_args()
    start_at = datetime(2026, 1, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        landing, out = Path(tmp) / "landing", Path(tmp) / "out"
        landing.mkdir()
        began = time.perf_counter()
        plan_times = []
        for n in range(args.runs):
            _write_hour(landing, n, args.records, start_at + timedelta(hours=n))
            if args.replace_every and n and n % args.replace_every == 0:
                old = n - args.replace_every // 2
                _write_hour(landing, old, args.records, start_at + timedelta(hours=old), 1)
            config = build_config(
                inputs=[str(landing)], output=str(out), incremental=True, workers=1
            )
            t0 = time.perf_counter()
            report = run(config)
            plan_times.append(time.perf_counter() - t0)
            if args.compact_every and (n + 1) % args.compact_every == 0:
                maintenance.compact(str(out))
            if args.partitioned:
                _append_partitioned(out, str(Path(tmp) / "by-day"), report.versions["articles"])
        elapsed = time.perf_counter() - began
        print(
            f"{args.runs} hourly runs of {args.records} records each "
            f"(an earlier file rewritten every {args.replace_every} runs"
            + (f", compacted every {args.compact_every}" if args.compact_every else "")
            + f"): {elapsed:.0f} s, "
            f"a run {statistics.median(plan_times[:20]) * 1000:.0f} ms at the start, "
            f"{statistics.median(plan_times[-20:]) * 1000:.0f} ms at the end (medians of 20)"
        )
        day = start_at + timedelta(days=args.runs // 48)
        _measure(out, day, "before the last compact")
        t0 = time.perf_counter()
        done = maintenance.compact(str(out), retention_hours=0)
        print(
            f"compact: {time.perf_counter() - t0:.1f} s, "
            + "; ".join(
                f"{k} {v['files_before']} -> {v['files_after']} files, "
                f"{v['files_vacuumed']} vacuumed"
                for k, v in done.items()
            )
        )
        _measure(out, day, "after it")
        if args.partitioned:
            from deltalake import DeltaTable

            uri = str(Path(tmp) / "by-day")
            _partitioned_measure(uri, day, "partitioned by day, before compact")
            DeltaTable(uri).optimize.compact()
            DeltaTable(uri).vacuum(
                retention_hours=0, enforce_retention_duration=False, dry_run=False
            )
            _partitioned_measure(uri, day, "partitioned by day, after compact")


if __name__ == "__main__":
    main()

"""How long `newsclean report` takes over a large output: a synthetic output of N
articles (and N/5 rejects) with the real schemas, written in parts as a run writes them,
then the report over it.

    .venv/bin/python benchmarks/report.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

RULES = ["ad_label", "caption", "dateline", "share_prompt", "read_more", "copyright"]
REASONS = ["no_main_text", "language", "too_short", "malformed_record", "duplicate"]
LANGS = ["en", "de", "fr", "es", "ru", "it", "pl", "nl"]
WORDS = "the council approved a new plan for bicycle lanes on monday officials said".split()


def write_output(out: Path, rows: int, part_rows: int = 50_000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsclean.flows import tables
    from newsclean.schemas.parquet import ARTICLES_SCHEMA, REJECTS_SCHEMA

    rng = random.Random(1)
    for name in tables.DATASETS:
        (out / name).mkdir(parents=True, exist_ok=True)
    files: dict[str, list[str]] = {name: [] for name in tables.DATASETS}
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for part, first in enumerate(range(0, rows, part_rows)):
        n = min(part_rows, rows - first)
        when = start + timedelta(hours=part)
        articles = []
        for i in range(first, first + n):
            words = rng.randint(50, 900)
            text = " ".join(rng.choice(WORDS) for _ in range(min(words, 60)))
            articles.append({
                "doc_id": f"{i:032x}", "source_id": f"s{i}", "url": f"https://site{i % 500}.example/{i}",
                "domain": f"site{i % 500}.example", "title": f"Story {i}", "authors": [],
                "published": None, "fetched_at": None, "language": rng.choice(LANGS),
                "language_score": 0.99, "text": text, "captions": [], "dateline": None,
                "removed": [{"rule": rng.choice(RULES), "text": f"cut line {i}", "line": 3}],
                "decision": "flag" if i % 50 == 0 else "keep",
                "flags": ["term:plan"] if i % 50 == 0 else [], "near_duplicate_of": None,
                "provenance": {"title": "metadata"},
                "word_count": words, "input_path": "synthetic", "input_key": f"{part:016x}",
                "ingested_at": when,
                "pipeline_version": "bench",
            })  # fmt: skip
        pq.write_table(
            pa.Table.from_pylist(articles, schema=ARTICLES_SCHEMA),
            out / "articles" / f"part-{part:016x}-00000-bench.parquet",
            compression="zstd",
        )
        files["articles"].append(f"part-{part:016x}-00000-bench.parquet")
        rejects = [
            {"doc_id": f"r{i:031x}", "source_id": f"r{i}", "url": f"https://bad{i % 50}.example/{i}",
             "input_path": "synthetic", "input_key": f"{part:016x}",
             "reason": rng.choice(REASONS), "detail": "synthetic",
             "ingested_at": when, "pipeline_version": "bench"}
            for i in range(first, first + n // 5)
        ]  # fmt: skip
        pq.write_table(
            pa.Table.from_pylist(rejects, schema=REJECTS_SCHEMA),
            out / "rejects" / f"part-{part:016x}-00000-bench.parquet",
            compression="zstd",
        )
        files["rejects"].append(f"part-{part:016x}-00000-bench.parquet")
    for name in tables.DATASETS:  # one commit per table, as a run makes it
        tables.commit(str(out), name, files[name], lambda key: True, {"run_id": "bench"})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    from newsclean.flows.report import write_report

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        t = time.perf_counter()
        write_output(out, args.rows)
        print(f"synthetic output: {args.rows:,} articles, {args.rows // 5:,} rejects "
              f"({time.perf_counter() - t:.0f} s to write)")  # fmt: skip
        t = time.perf_counter()
        path = write_report(str(out))
        took = time.perf_counter() - t
        size = Path(path).stat().st_size / 1024
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"newsclean report: {took:.1f} s, {size:.0f} KiB of HTML, peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()

"""Parallel efficiency and memory flatness of `newsclean run` on the development corpus.

Runs the real command (records with only id, url, html) with 1 and 2 workers over the
corpus (1x), then with 2 workers over ten copies of it (10x), sampling the resident
memory of the whole process tree. Prints pages/s, parallel efficiency at 2 workers
(speed-up / 2) and peak RSS of 10x against 1x.

    .venv/bin/python benchmarks/scale.py [--copies 10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import iter_corpus  # noqa: E402

BIN = Path(sys.executable).parent


def _write_inputs(folder: Path, copies: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    records = [{"id": r["id"], "url": r["url"], "html": r["html"]} for r in iter_corpus()]
    for i in range(copies):
        # each copy is other content (its ids), or the ledger would read it as the same
        # input under another name and clean it once
        with open(folder / f"corpus-{i:02d}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({**r, "id": f"{r['id']}#{i}"}) + "\n" for r in records)
    return len(records) * copies


def _run(inputs: Path, out: Path, workers: int) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of the whole process tree of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            BIN / "newsclean",
            "run",
            "-q",
            "-i",
            str(inputs),
            "-o",
            str(out),
            "--workers",
            str(workers),
        ]
    )
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if proc.wait() != 0:
        sys.exit(f"newsclean run failed with {proc.returncode}")
    stop.set()
    sampler.join()
    return time.perf_counter() - start, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = _write_inputs(tmp / "x1", 1)
        big = _write_inputs(tmp / f"x{args.copies}", args.copies)
        t1, m1 = _run(tmp / "x1", tmp / "o1", 1)
        t2, m2 = _run(tmp / "x1", tmp / "o2", 2)
        tb, mb = _run(tmp / f"x{args.copies}", tmp / "ob", 2)
    print(
        f"1x corpus ({pages} pages), 1 worker : {pages / t1:6.1f} pages/s  peak RSS {m1:6.0f} MiB"
    )
    print(
        f"1x corpus ({pages} pages), 2 workers: {pages / t2:6.1f} pages/s  peak RSS {m2:6.0f} MiB"
    )
    print(f"parallel efficiency at 2 workers: {t1 / t2 / 2:.2f}")
    print(
        f"{args.copies}x corpus ({big} pages), 2 workers: {big / tb:6.1f} pages/s  "
        f"peak RSS {mb:6.0f} MiB ({mb / m2 - 1:+.0%} against 1x)"
    )


if __name__ == "__main__":
    main()

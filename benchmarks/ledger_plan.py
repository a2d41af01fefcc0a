"""What planning an incremental run costs as the ledger grows: 20 known inputs against
20,000 (every one unchanged, so the plan skips them all), and how many reads of the
output's ledger the plan makes.

The inputs are real small files; the ledger is the one a run would have written for
them (its entries made by ``Ledger.record`` from the files' real state, written by
``Ledger.commit``), so that no 20,000 pages need cleaning first.

    .venv/bin/python benchmarks/ledger_plan.py [--sizes 20 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from newsclean.flows import ledger, storage


def _landing(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"page-{i:06d}.txt"
        path.write_text(f"Headline {i}\n\nA short story, number {i}, about nothing much.\n")
        paths.append(str(path))
    return paths


def _ledger_for(output: Path, files: list[str]) -> None:
    book = ledger.Ledger(str(output))
    for path in files:
        planned = ledger.Planned(path, ledger.current_state(path))
        book.record(planned, blocks=1, pages=1, version="bench")
    book.commit()


class _Reads:
    """Counts the reads of the output's ledger (files under OUTPUT/_ledger)."""

    def __init__(self, output: Path) -> None:
        self.prefix = str(output / ledger.LEDGER_DIR)
        self.count = 0

    def __enter__(self):
        self._table, self._many = storage.read_table, storage.read_many

        def read_table(path, **kw):
            self.count += str(path).startswith(self.prefix)
            return self._table(path, **kw)

        def read_many(paths):
            self.count += sum(str(p).startswith(self.prefix) for p in paths)
            return self._many(paths)

        storage.read_table, storage.read_many = read_table, read_many
        return self

    def __exit__(self, *exc):
        storage.read_table, storage.read_many = self._table, self._many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            landing, output = Path(tmp) / f"landing-{n}", Path(tmp) / f"out-{n}"
            files = _landing(landing, n)
            _ledger_for(output, files)
            times, reads = [], 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                with _Reads(output) as counted:
                    book = ledger.Ledger(str(output))
                    plan = book.plan(files, incremental=True)
                times.append(time.perf_counter() - start)
                reads = counted.count
                assert len(plan.skipped) == n and not plan.todo
            size = (output / ledger.LEDGER_DIR / ledger.LEDGER_FILE).stat().st_size
            results[n] = statistics.median(times)
            print(
                f"{n:>6} known inputs, all unchanged: plan {results[n]:.3f} s "
                f"(median of {args.repeat}), {reads} read(s) of the ledger, "
                f"ledger file {size / 1024:.0f} KiB"
            )
    if len(results) > 1:
        lo, hi = min(results), max(results)
        print(f"{hi} against {lo}: +{results[hi] - results[lo]:.3f} s")


if __name__ == "__main__":
    main()

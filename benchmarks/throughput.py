"""Throughput on the development pages, as a user runs it: whole processes over JSON Lines
files, newsclean's `newsclean run --workers W` against plain `trafilatura.extract(html)`
(its defaults) with the same number of worker processes, and datatrove's pipeline with
its trafilatura extractor where it is installed (`make bench` installs it), on the same
pages in the same run.

The rate is marginal: each pipeline runs over the first SMALL pages and over all of them,
alternating, and pages/s is (all - SMALL) / (time of all - time of SMALL), so that start-up
(imports, worker processes, langdetect's profiles) does not count; start-up is printed
apart (one page). Peak RSS is that of the whole process tree (parent and children,
summed), sampled every 20 ms. Then a per-stage breakdown of newsclean in one process.

    .venv/bin/python benchmarks/throughput.py [--workers 1 2] [--repeat N] [--no-stages]
        [--against OTHER/.venv/bin/newsclean]

On a shared machine whose speed drifts from minute to minute, one run says little; to
compare two versions, ``--against`` runs another checkout's ``newsclean`` (a worktree of an
earlier commit with its own venv: ``git worktree add ../base REV && make -C ../base
.venv/.installed-stamp``) as a column of its own, interleaved with this one run by run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from _corpus import iter_corpus  # noqa: E402

HERE = Path(__file__).resolve().parent
# the 706 pages the issue "One pass" measures: aeb and trafilatura's evaluation pages
SOURCES = ("aeb", "traf")
SMALL = 100


def _pages(limit: int = 0):
    from newsclean.schemas.records import RawPage

    pages = []
    for rec in iter_corpus():
        pages.append(
            RawPage(
                source_id=rec["id"], input_path="corpus", html=rec["html"], url=rec["url"] or None
            )
        )
        if limit and len(pages) >= limit:
            break
    return pages


def write_inputs(folder: Path, records: list[dict], files: int = 2) -> Path:
    """The records as ``files`` JSON Lines files of consecutive records (so that two
    workers of any of the pipelines have a file each)."""
    folder.mkdir(parents=True)
    per = -(-len(records) // files)
    for k in range(files):
        with (folder / f"pages-{k}.jsonl").open("w", encoding="utf-8") as fh:
            for rec in records[k * per : (k + 1) * per]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return folder


def measure(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS of the process tree in MiB) of one command."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    top, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        total = 0
        try:
            for p in [top, *top.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, peak / 2**20


AGAINST: list[str] = []  # another checkout's newsclean executable (--against)


def commands(kind: str, inputs: Path, workers: int, out: str) -> list[str]:
    """The command line of one pipeline over the JSON Lines files in ``inputs``."""
    py = sys.executable
    if kind in ("newsclean", "against"):
        newsclean = AGAINST[0] if kind == "against" else str(Path(py).with_name("newsclean"))
        return [newsclean, "run", "-q", "-i", str(inputs), "-o", out, "--workers", str(workers)]
    if kind == "plain":  # one file for the plain loop, beside the folder
        joined = inputs.with_suffix(".plain")
        if not joined.exists():
            files = sorted(inputs.glob("*.jsonl"))
            joined.write_text("".join(f.read_text(encoding="utf-8") for f in files), "utf-8")
        return [py, str(HERE / "_peers.py"), kind, str(joined), str(workers), out]
    return [py, str(HERE / "_peers.py"), kind, str(inputs), str(workers), out]


def bench_processes(workers: int, repeat: int, kinds: list[str], tmp: Path) -> dict:
    records = [{"id": r["id"], "url": r["url"], "html": r["html"]} for r in iter_corpus(SOURCES)]
    sets = {
        "small": write_inputs(tmp / f"small-{workers}", records[:SMALL]),
        "all": write_inputs(tmp / f"all-{workers}", records),
    }
    times = {(k, s): [] for k in kinds for s in sets}
    peaks = {k: 0.0 for k in kinds}
    for r in range(repeat):
        for kind in kinds[r % len(kinds) :] + kinds[: r % len(kinds)]:
            for size, folder in sets.items():
                with tempfile.TemporaryDirectory(dir=tmp) as out:
                    seconds, peak = measure(commands(kind, folder, workers, out))
                times[kind, size].append(seconds)
                if size == "all":
                    peaks[kind] = max(peaks[kind], peak)
    n_all, n_small = len(records), SMALL
    result = {}
    for kind in kinds:
        t_all = sum(times[kind, "all"]) / repeat
        t_small = sum(times[kind, "small"]) / repeat
        rate = (n_all - n_small) / (t_all - t_small) if t_all > t_small else float("nan")
        result[kind] = {"rate": rate, "peak": peaks[kind], "all": t_all, "small": t_small}
    result["pages"] = n_all
    return result


def startup(tmp: Path) -> float:
    """Wall seconds of `newsclean run --workers 1` over one page (a fresh output)."""
    records = [{"id": r["id"], "url": r["url"], "html": r["html"]} for r in iter_corpus(SOURCES)]
    folder = write_inputs(tmp / "one", records[:1], files=1)
    best = float("inf")
    for _ in range(3):
        with tempfile.TemporaryDirectory(dir=tmp) as out:
            best = min(best, measure(commands("newsclean", folder, 1, out))[0])
    return best


def bench_stages(pages) -> dict[str, float]:
    """The pipeline's stages timed one by one, the way cleaners.pipeline chains them."""
    from datetime import UTC, datetime

    from newsclean.cleaners.extract import _markup_captions, page_metadata, parse_html
    from newsclean.cleaners.language import detect_language
    from newsclean.cleaners.main_text import main_text
    from newsclean.cleaners.normalize import paragraphs
    from newsclean.cleaners.pipeline import clean_body, clean_page
    from newsclean.flows import sink

    t = dict.fromkeys(("parse", "extract", "metadata", "cleaners", "language", "write"), 0.0)
    rows = []
    now = datetime.now(UTC)
    for page in pages:
        c0 = time.perf_counter()
        tree = parse_html(page.html)
        c1 = time.perf_counter()
        if tree is None:
            continue
        captions = _markup_captions(tree)
        meta, _ = page_metadata(tree, page.url)
        c2 = time.perf_counter()
        doc = main_text(tree, page.url)  # prunes the tree: the last reader
        c3 = time.perf_counter()
        t["parse"] += c1 - c0
        t["metadata"] += c2 - c1
        t["extract"] += c3 - c2
        if doc is None or not doc.text:
            continue
        c4 = time.perf_counter()
        body = clean_body(paragraphs(doc.text), captions, meta.title)
        c5 = time.perf_counter()
        detect_language("\n".join(body.lines))
        c6 = time.perf_counter()
        t["cleaners"] += c5 - c4
        t["language"] += c6 - c5
        result = clean_page(page)
        if hasattr(result, "text"):
            rows.append(sink.article_row(result, "0" * 16, now, "bench"))
    with tempfile.TemporaryDirectory() as out:
        c7 = time.perf_counter()
        sink.write_part(out, "bench", "articles", "part-bench.parquet", rows)
        t["write"] += time.perf_counter() - c7
    return {k: 1000 * v / len(pages) for k, v in t.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=2, help="runs of each, averaged")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    ap.add_argument("--no-peer", action="store_true", help="leave datatrove out")
    ap.add_argument("--against", help="another checkout's newsclean executable, as a column")
    args = ap.parse_args()

    kinds = ["plain", "newsclean"]
    if args.against:
        AGAINST.append(args.against)
        kinds.append("against")
    try:
        import datatrove  # noqa: F401

        kinds += [] if args.no_peer else ["datatrove"]
    except ImportError:
        print("datatrove is not installed (make bench installs it): no peer column")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"start-up, newsclean on one page: {startup(Path(tmp)):.2f} s")
        for workers in args.workers:
            r = bench_processes(workers, args.repeat, kinds, Path(tmp))
            print(
                f"--workers {workers}: {r['pages']} pages (aeb + trafilatura), marginal over "
                f"{SMALL} -> {r['pages']}, wall time, mean of {args.repeat}"
            )
            for kind in kinds:
                label = {
                    "plain": "trafilatura.extract (defaults)",
                    "newsclean": "newsclean run",
                    "datatrove": "datatrove + trafilatura",
                    "against": "newsclean run (--against)",
                }[kind]
                ratio = r[kind]["rate"] / r["plain"]["rate"]
                print(
                    f"  {label:<31}{r[kind]['rate']:7.1f} pages/s  ratio {ratio:.2f}x  "
                    f"peak RSS {r[kind]['peak']:5.0f} MiB  ({r[kind]['small']:.1f} s / "
                    f"{r[kind]['all']:.1f} s)"
                )
    if not args.no_stages:
        stages = bench_stages(_pages())
        print(
            "stages, one process (ms/page): " + "  ".join(f"{k} {v:.1f}" for k, v in stages.items())
        )


if __name__ == "__main__":
    main()

"""Throughput on the development corpus, in one process on one core: plain
`trafilatura.extract(html)` (defaults) against the whole newsclean pipeline (extraction
with metadata, cleaners, language, moderation, Parquet) over the same pages, in the same
run. Prints pages/s of each and their ratio, a per-stage breakdown of newsclean in
ms/page, and peak RSS.

    .venv/bin/python benchmarks/throughput.py [--limit N] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import iter_corpus  # noqa: E402


def _pages(limit: int):
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


BLOCK = 20  # pages per alternation


def bench_interleaved(pages, repeat: int) -> tuple[float, float, float]:
    """CPU seconds of plain trafilatura.extract, of the newsclean pipeline as a run uses
    it (each page in a supervised child process, under a deadline), and of the same
    pipeline in this process (no supervision), over the same pages, alternating in
    blocks of BLOCK pages (rotating which goes first), so that a drift in the machine's
    speed during the run hits all alike. The supervised figure is this process's CPU
    plus its child's, so it includes the pickling on both sides of the pipe.
    Plain trafilatura runs with its stock HTML parser; newsclean with its own
    (cleaners/extract.py), which leaves trafilatura's untouched. The pipeline writes one
    Parquet part per block (smaller parts than a real run's)."""
    from datetime import UTC, datetime

    import psutil
    import trafilatura

    from newsclean.flows.config import Budget
    from newsclean.flows.engine import Shard, ShardJob, process_shard
    from newsclean.flows.supervisor import stop_all, worker_for
    from newsclean.schemas.policy import DEFAULT_POLICY

    now = datetime.now(UTC)
    totals = {"plain": 0.0, "supervised": 0.0, "in-process": 0.0}
    budget = Budget()

    def child_cpu() -> float:
        pid = worker_for(DEFAULT_POLICY, budget.max_page_bytes).pid()
        if pid is None:
            return 0.0
        t = psutil.Process(pid).cpu_times()
        return t.user + t.system

    with tempfile.TemporaryDirectory() as out:
        jobs = {
            supervised: ShardJob(out, DEFAULT_POLICY, now, budget, supervised=supervised)
            for supervised in (True, False)
        }
        # start the child before timing: its start-up is paid once per run, not per page
        process_shard(Shard("warm.jsonl", 0, pages[:1]), jobs[True])
        for _ in range(repeat):
            for n, i in enumerate(range(0, len(pages), BLOCK)):
                block = pages[i : i + BLOCK]

                def run_plain(block=block, n=n) -> float:
                    t = time.process_time()
                    for page in block:
                        trafilatura.extract(page.html)
                    return time.process_time() - t

                def run_supervised(block=block, n=n) -> float:
                    t, c = time.process_time(), child_cpu()
                    process_shard(Shard("corpus.jsonl", n, block), jobs[True])
                    return time.process_time() - t + child_cpu() - c

                def run_in_process(block=block, n=n) -> float:
                    t = time.process_time()
                    process_shard(Shard("corpus-inproc.jsonl", n, block), jobs[False])
                    return time.process_time() - t

                order = [
                    ("plain", run_plain),
                    ("supervised", run_supervised),
                    ("in-process", run_in_process),
                ]
                for name, fn in order[n % 3 :] + order[: n % 3]:
                    totals[name] += fn()
        stop_all()
    return tuple(totals[k] / repeat for k in ("plain", "supervised", "in-process"))


def bench_stages(pages) -> dict[str, float]:
    """The pipeline's stages timed one by one, the way cleaners.pipeline chains them."""
    from datetime import UTC, datetime

    from trafilatura import bare_extraction

    from newsclean.cleaners.extract import _markup_captions, page_metadata, parse_html
    from newsclean.cleaners.language import detect_language
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
        doc = bare_extraction(tree, url=page.url, include_comments=False)
        c2 = time.perf_counter()
        meta = page_metadata(tree, page.url)
        c3 = time.perf_counter()
        t["parse"] += c1 - c0
        t["extract"] += c2 - c1
        t["metadata"] += c3 - c2
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
            rows.append(sink.article_row(result, now, "bench"))
    with tempfile.TemporaryDirectory() as out:
        c7 = time.perf_counter()
        sink.write_part(out, "bench", "articles", "part-bench.parquet", rows)
        t["write"] += time.perf_counter() - c7
    return {k: 1000 * v / len(pages) for k, v in t.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="pages (0 = the whole corpus)")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the pages, averaged")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    args = ap.parse_args()

    pages = _pages(args.limit)
    bench_interleaved(pages[:BLOCK], 1)  # warm-up: imports, langdetect profiles
    plain, ours, inproc = bench_interleaved(pages, args.repeat)
    n = len(pages)
    print(f"pages: {n} (development corpus), one core, CPU time, mean of {args.repeat}")
    print(
        f"trafilatura.extract (defaults): {n / plain:7.1f} pages/s  {1000 * plain / n:6.1f} ms/page"
    )
    print(
        f"newsclean pipeline            : {n / ours:7.1f} pages/s  {1000 * ours / n:6.1f} ms/page"
        "  (supervised, as a run cleans)"
    )
    print(
        f"newsclean, no supervision     : {n / inproc:7.1f} pages/s  {1000 * inproc / n:6.1f} ms/page"
    )
    print(f"ratio newsclean / trafilatura : {plain / ours:.2f}x")
    print(f"page deadline (supervision)   : {1000 * (ours - inproc) / n:+.2f} ms/page")
    if not args.no_stages:
        stages = bench_stages(pages)
        print("stages (ms/page): " + "  ".join(f"{k} {v:.1f}" for k, v in stages.items()))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss:.0f} MiB (the corpus is held in memory for the comparison)")


if __name__ == "__main__":
    main()

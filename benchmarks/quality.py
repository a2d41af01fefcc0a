"""Extraction quality on the development corpus: newsclean's `text` against plain
`trafilatura.extract(html, include_comments=False)` on the same pages, with the metrics of
../shared/corpus/README.md, plus removal precision (share of the words newsclean's
cleaners cut from aeb pages that the reference text does not need).

    .venv/bin/python benchmarks/quality.py [--workers N] [--limit N] [--dump FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import Scores, iter_corpus, removal_errors  # noqa: E402


def _one(rec: dict) -> dict:
    import trafilatura

    from newsclean.cleaners.pipeline import clean_page
    from newsclean.schemas.records import Article, RawPage

    baseline = trafilatura.extract(rec["html"], include_comments=False) or ""
    result = clean_page(
        RawPage(source_id=rec["id"], input_path="corpus", html=rec["html"], url=rec["url"] or None)
    )
    if isinstance(result, Article):
        text = result.text
        removed = [(r.rule, r.text) for r in result.removed]
    else:
        text, removed = "", []
    return {
        "id": rec["id"],
        "baseline": baseline,
        "text": text,
        "removed": removed,
        "reject": None if isinstance(result, Article) else result.reason,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="pages per source (0 = all)")
    ap.add_argument("--sources", default="aeb,moz,traf", help="comma-separated: aeb,moz,traf")
    ap.add_argument("--dump", help="write the per-page outputs as JSONL here")
    args = ap.parse_args()

    recs, per_source = [], {}
    for rec in iter_corpus(tuple(args.sources.split(","))):
        n = per_source.get(rec["_source"], 0)
        if args.limit and n >= args.limit:
            continue
        per_source[rec["_source"]] = n + 1
        recs.append(rec)

    start = time.perf_counter()
    with Pool(args.workers) as pool:
        results = pool.map(_one, recs, chunksize=4)
    seconds = time.perf_counter() - start

    ours, base = Scores(), Scores()
    removal = Counter()
    for rec, res in zip(recs, results, strict=True):
        ours.add(rec, res["text"])
        base.add(rec, res["baseline"])
        if rec["_source"] == "aeb":
            removal.update(removal_errors(res["removed"], res["text"], rec["text"]))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            for res in results:
                fh.write(json.dumps(res, ensure_ascii=False) + "\n")

    print(f"development corpus: {per_source} pages, {seconds:.0f} s with {args.workers} workers")
    print(f"{'source':<34}{'trafilatura.extract':>20}{'newsclean':>12}")
    for src, label in (("aeb", "aeb F1 (bag of words)"), ("moz", "moz F1 (bag of words)")):
        print(f"{label:<34}{base.mean_f1(src):>20.3f}{ours.mean_f1(src):>12.3f}")
    b, o = base.snippet(), ours.snippet()
    for key, label in (
        ("micro_f1", "traf snippet micro F1"),
        ("mean_page_f1", "traf snippet mean page F1"),
        ("with_present", "traf `with` present"),
        ("without_absent", "traf `without` absent"),
    ):
        print(f"{label:<34}{b[key]:>20.3f}{o[key]:>12.3f}")
    rules = sorted({rule for rule, _ in removal})
    for rule in [*rules, None]:
        words = sum(n for (r, k), n in removal.items() if k == "words" and rule in (None, r))
        wrong = sum(n for (r, k), n in removal.items() if k == "wrong" and rule in (None, r))
        precision = 1 - wrong / words if words else float("nan")
        print(
            f"removal precision (aeb) {rule or 'ALL':<20} {precision:.3f} "
            f"({words} words removed, {wrong} needed by the reference)"
        )


if __name__ == "__main__":
    main()

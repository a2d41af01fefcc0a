"""What newsclean makes of every development page (the three extraction sources and the
news pages): decision, text, title, authors, date, language, removed lines, or the
reject reason. Save it before a change and compare after, to see every page whose output
changed and how (a change that should not change outputs must show none).

    .venv/bin/python benchmarks/outputs.py --save before.jsonl.gz
    .venv/bin/python benchmarks/outputs.py --compare before.jsonl.gz [--show N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import iter_corpus, iter_news  # noqa: E402

FIELDS = ("decision", "text", "title", "authors", "published", "language", "removed", "reason")


def _one(rec: dict) -> dict:
    from newsclean.cleaners.pipeline import clean_page
    from newsclean.schemas.records import Article, RawPage

    page = RawPage(rec["id"], "corpus", html=rec["html"], url=rec.get("url") or None)
    result = clean_page(page)
    if not isinstance(result, Article):
        return {"id": rec["id"], "decision": "reject", "reason": str(result.reason)}
    return {
        "id": rec["id"],
        "decision": str(result.decision),
        "text": result.text,
        "title": result.title,
        "authors": list(result.authors),
        "published": result.published.isoformat() if result.published else None,
        "language": result.language,
        "removed": [[r.rule, r.text] for r in result.removed],
    }


def _records() -> list[dict]:
    recs = [r for r in iter_corpus() if r.get("html")]
    return recs + [r for r in iter_news() if r.get("html")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", metavar="FILE")
    group.add_argument("--compare", metavar="FILE")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=5, help="changed pages shown per field")
    args = ap.parse_args()

    from newsclean.flows.supervisor import quiet_libraries

    # library warnings (dateutil's time zones, trafilatura's discarded pages) stay off
    # the terminal, as in a run
    with Pool(args.workers, initializer=quiet_libraries) as pool:
        results = pool.map(_one, _records(), chunksize=4)
    if args.save:
        with gzip.open(args.save, "wt", encoding="utf-8") as fh:
            for row in results:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{len(results)} pages saved to {args.save}")
        return
    with gzip.open(args.compare, "rt", encoding="utf-8") as fh:
        before = {row["id"]: row for row in map(json.loads, fh)}
    changed: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    for row in results:
        old = before.get(row["id"], {})
        for name in FIELDS:
            if old.get(name) != row.get(name):
                changed[name] += 1
                if shown[name] < args.show:
                    shown[name] += 1
                    a, b = old.get(name), row.get(name)
                    if name == "text" and a and b:
                        a, b = f"{len(a)} chars", f"{len(b)} chars"
                    print(f"{row['id']} {name}: {a!r:.120} -> {b!r:.120}")
    print(f"pages: {len(results)}; changed by field: {dict(changed) or 'none'}")


if __name__ == "__main__":
    main()

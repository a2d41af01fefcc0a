"""Extraction quality on the development corpus: newsclean's `text` against plain
`trafilatura.extract(html, include_comments=False)` on the same pages, with the metrics of
../shared/corpus/README.md, plus removal precision (share of the words newsclean's
cleaners cut from aeb pages that the reference text does not need).

    .venv/bin/python benchmarks/quality.py [--workers N] [--limit N] [--dump FILE] [--sites-out]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import (  # noqa: E402
    DATELINE_KINDS,
    NOISE_KINDS,
    Scores,
    author_set,
    fold,
    iter_corpus,
    iter_news,
    lead_share,
    leftover_noise,
    news_f1,
    removal_errors,
)


def _quiet() -> None:
    """Library warnings off, as in a run's cleaning processes."""
    from newsclean.flows.supervisor import quiet_libraries

    quiet_libraries()


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


def _news_one(rec: dict) -> dict:
    import trafilatura

    from newsclean.cleaners.pipeline import clean_page
    from newsclean.schemas.records import Article, RawPage

    html = rec["html"]
    base_text = trafilatura.extract(html, include_comments=False) or ""
    meta = trafilatura.extract_metadata(html, default_url=rec["url"] or None)
    result = clean_page(RawPage(rec["id"], "news", html=html, url=rec["url"] or None))
    ours = result if isinstance(result, Article) else None
    peer = _readability_text(html) if rec.get("text") else None
    return {
        "readability-lxml": None if peer is None else {"text": peer},
        "id": rec["id"],
        "baseline": {
            "text": base_text,
            "title": meta.title if meta else None,
            "date": meta.date if meta else None,
            "author": meta.author if meta else None,
        },
        "newsclean": {
            "text": ours.text if ours else "",
            "title": ours.title if ours else None,
            "date": ours.published.isoformat() if ours and ours.published else None,
            "author": ours.authors if ours else None,
        },
        "removed": [(r.rule, r.text) for r in ours.removed] if ours else [],
    }


def _readability_text(html: str) -> str | None:
    """readability-lxml's ``Document.summary()`` as text (its blocks' text, spaced), as
    the corpus README scores it; None where it is not installed (``make bench`` installs
    it: the peer of the issue on table layouts)."""
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return None
    try:
        return " ".join(lxml.html.fromstring(Document(html).summary()).itertext())
    except Exception:  # readability raises on pages it cannot score: no text
        return ""


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def site_half(rec: dict) -> str:
    """ "A" or "B": the news page's site (its `group`; the URL's host, else the page
    itself, where the corpus names none) by a hash of its own, so that a rule can be
    written on one half of the development sites and checked on the other. (The corpus's
    own split, SHA-256 of the site mod 100 < 50, is what keeps these pages apart from the
    held-out ones: every page here has the same value of it.)"""
    from urllib.parse import urlsplit

    site = rec.get("group") or urlsplit(rec.get("url") or "").hostname or rec["id"]
    digest = hashlib.sha256(f"newsclean-half:{site}".encode()).digest()
    return "AB"[digest[0] & 1]


def _news_table(recs: list[dict], results: list[dict]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, list[float]]] = {"baseline": {}, "newsclean": {}}
    for rec, res in zip(recs, results, strict=True):
        for who in table:
            got, put = res[who], table[who]
            if rec.get("text"):
                put.setdefault(rec["source"], []).append(news_f1(got["text"], rec["text"]))
                peer = res.get("readability-lxml")
                if who == "newsclean" and peer is not None:
                    put.setdefault(f"{rec['source']} readability-lxml", []).append(
                        news_f1(peer["text"], rec["text"])
                    )
            if rec.get("lead"):
                put.setdefault("lead", []).append(lead_share(got["text"], rec["lead"]))
            if rec.get("title"):
                put.setdefault("title", []).append(float(fold(got["title"]) == fold(rec["title"])))
            if rec.get("published"):
                day = (got["date"] or "")[:10]
                put.setdefault("date", []).append(float(day == rec["published"]))
                put.setdefault(f"date {rec['source']}", []).append(float(day == rec["published"]))
            if rec.get("authors"):
                expected, names = author_set(rec["authors"]), author_set(got["author"])
                put.setdefault("authors", []).append(float(names == expected))
                # names that are not the page's authors, per 100 pages with author truth
                put.setdefault("wrong names /100", []).append(100.0 * len(names - expected))
    return {who: {k: _mean(v) for k, v in t.items()} for who, t in table.items()}


NEWS_KEYS = [
    "l3s-gn1", "big9", "chaos", "fundus", "newspaper", "lead", "title",
    "date", "date fundus", "date htmldate-mediacloud", "authors", "wrong names /100",
]  # fmt: skip


def score_news(
    workers: int, limit: int = 0, halves: bool = False, dump: str | None = None
) -> dict[str, dict[str, float]]:
    """The news pages' metrics for trafilatura and newsclean, as the corpus README
    defines them (with ``halves``, also on each half of the sites: ``site_half``);
    prints them and returns them."""
    recs = list(iter_news())
    if limit:
        recs = recs[:limit]
    start = time.perf_counter()
    with Pool(workers, initializer=_quiet) as pool:
        results = pool.map(_news_one, recs, chunksize=4)
    seconds = time.perf_counter() - start
    means = _news_table(recs, results)
    if dump:
        truth = ("source", "group", "url", "title", "published", "authors", "text", "lead")
        with open(dump, "w", encoding="utf-8") as fh:
            for rec, res in zip(recs, results, strict=True):
                row = {"half": site_half(rec), **{k: rec.get(k) for k in truth}, **res}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    columns = [("all", means)]
    if halves:
        for half in "AB":
            pairs = [(r, x) for r, x in zip(recs, results, strict=True) if site_half(r) == half]
            sub = _news_table([r for r, _ in pairs], [x for _, x in pairs])
            columns.append((f"half {half} ({len(pairs)})", sub))
    noise = {who: Counter() for who in means}
    for rec, res in zip(recs, results, strict=True):
        if rec.get("text"):
            for who in noise:
                noise[who].update(leftover_noise(res[who]["text"], rec["text"]))
    print(f"news pages: {len(recs)}, {seconds:.0f} s with {workers} workers")
    head = "".join(f"{name:>24}" for name, _ in columns)
    print(f"{'news (trafilatura / newsclean)':<30}{head}")
    nan = float("nan")
    for key in NEWS_KEYS:
        label = {"lead": "goose3 lead"}.get(key, key)
        cells = "".join(
            f"{m['baseline'].get(key, nan):>12.3f}{m['newsclean'].get(key, nan):>12.3f}"
            for _, m in columns
        )
        print(f"{label:<30}{cells}")
    peers = [k for k in NEWS_KEYS[:5] if f"{k} readability-lxml" in means["newsclean"]]
    if peers:
        print("readability-lxml text F1 (the peer of the table-layout rule):")
    for key in peers:
        cells = "".join(f"{m['newsclean'][f'{key} readability-lxml']:>24.3f}" for _, m in columns)
        print(f"{key:<30}{cells}")
    print("noise left (short lines the reference lacks, lines by kind):")
    for kind in (*NOISE_KINDS, *DATELINE_KINDS):
        print(f"  {kind:<28}{noise['baseline'][kind]:>12}{noise['newsclean'][kind]:>12}")
    return means


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="pages per source (0 = all)")
    ap.add_argument(
        "--sources", default="aeb,moz,traf,news", help="comma-separated: aeb,moz,traf,news"
    )
    ap.add_argument("--dump", help="write the per-page outputs as JSONL here")
    ap.add_argument(
        "--sites-out",
        action="store_true",
        help="the news figures also on each half of the sites (develop on one, check the other)",
    )
    args = ap.parse_args()

    sources = args.sources.split(",")
    if "news" in sources:
        score_news(args.workers, args.limit, args.sites_out, args.dump)
        sources.remove("news")
    if not sources:
        return
    recs, per_source = [], {}
    for rec in iter_corpus(tuple(sources)):
        n = per_source.get(rec["_source"], 0)
        if args.limit and n >= args.limit:
            continue
        per_source[rec["_source"]] = n + 1
        recs.append(rec)

    start = time.perf_counter()
    with Pool(args.workers, initializer=_quiet) as pool:
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

"""Near-duplicate stories: pair precision and recall on a syndication set built from the
development news pages, the cost per page, and the index at a million signatures.

The set: N news stories (reference texts of ../shared/corpus/news.jsonl.gz) as
originals, each republished in another outlet's page template with one light edit (a
headline changed, a dateline added, the last paragraph cut, a paragraph added, a
correction note, typos mended, paragraphs joined), and hard negatives: a follow-up that
keeps a third of the story, and pairs of different stories that share a long "About"
block. Every page goes through the whole pipeline (extraction from its HTML, cleaning),
in input order, originals first, then the near-duplicate check of a run.

    .venv/bin/python benchmarks/near_duplicates.py [--stories 150] [--scale 1000000]

Targets (issue 14): precision >= .98, recall >= .95, <= 2 ms/page; memory and lookup time
flat per page at 1,000,000 stored signatures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import CORPUS  # noqa: E402

ABOUT = (
    "About Example Holdings: Example Holdings is a global leader in logistics software, "
    "serving more than 4,000 customers in 60 countries. Founded in 1998 and headquartered "
    "in Rotterdam, the company employs 2,300 people and is listed on Euronext. Its platform "
    "connects shippers, carriers and ports, and processes more than 30 million shipments a "
    "year. For more information, visit the company's website or follow it on social media. "
    "Media contact: the press office, Monday to Friday, by phone or by e-mail, for "
    "interviews, images and background material on the company and its work."
)
OUTLETS = ["wire", "daily", "herald", "gazette", "courier", "tribune", "post", "times"]


def page(title: str, text: str, outlet: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<html><head><title>{title} | {outlet.title()}</title></head><body>"
        f"<header><a href='/'>{outlet.title()}</a> <a href='/world'>World</a> "
        f"<a href='/business'>Business</a> <a href='/sport'>Sport</a></header>"
        f"<article><h1>{title}</h1><p class='byline'>By Staff</p>{paras}</article>"
        f"<aside><h3>Most read</h3><ul><li><a href='/x'>Another story</a></li></ul></aside>"
        f"<footer>© 2026 {outlet.title()} Media. All rights reserved.</footer></body></html>"
    )


def typos(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=max(1, len(words) // 100)):
        words[i] = words[i][::-1]
    return " ".join(words)


def edits(text: str, rng: random.Random) -> list[tuple[str, str, bool]]:
    """(kind, edited text, new headline?) for each light edit of one story."""
    paras = [p for p in text.split("\n") if p.strip()]
    extra = (
        "Officials said further talks were planned for next week, and that a joint "
        "statement would follow once all parties had reviewed the final text."
    )
    return [
        ("headline changed", text, True),
        ("dateline added", "LONDON (Reuters) - " + text, False),
        ("last paragraph cut", "\n".join(paras[:-1]) if len(paras) > 3 else text, False),
        ("paragraph added", text + "\n" + extra, False),
        ("correction note", text + "\nCorrection: An earlier version of this story "
         "misstated the date of the announcement.", False),
        ("typos mended", typos(text, rng), False),
        ("paragraphs joined", " ".join(paras), False),
    ]  # fmt: skip


def lead_part(text: str, share: float) -> str | None:
    """The story's first paragraphs, as many as keep at most ``share`` of its words;
    None when even the first is longer (a one-paragraph story makes no follow-up)."""
    paras = [p for p in text.split("\n") if p.strip()]
    total, kept, words = len(text.split()), [], 0
    for p in paras:
        if words + len(p.split()) > share * total:
            break
        kept.append(p)
        words += len(p.split())
    return "\n".join(kept) if kept else None


def build(stories: int, seed: int = 7) -> tuple[list[dict], int]:
    """The pages in input order, each with its story group (None: not a copy of any),
    and how many pages should be linked to an earlier story."""
    rng = random.Random(seed)
    originals = []
    with gzip.open(CORPUS / "news.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = rec.get("text") or ""
            if len(text.split()) >= 150 and text.count("\n") >= 3:
                originals.append((rec["id"], rec.get("title") or "A story", text))
    rng.shuffle(originals)
    originals, unused = originals[:stories], originals[stories:]
    pages, expected = [], 0
    for rid, title, text in originals:
        pages.append({"id": rid, "group": rid, "html": page(title, text, OUTLETS[0])})
    for i, (rid, title, text) in enumerate(originals):
        kind, edited, new_title = edits(text, rng)[i % 7]
        outlet = OUTLETS[1 + i % (len(OUTLETS) - 1)]
        headline = "Breaking: " + title if new_title else title
        pages.append({"id": f"{rid}#copy", "group": rid, "kind": kind,
                      "html": page(headline, edited, outlet)})  # fmt: skip
        expected += 1
    # hard negatives: a follow-up that keeps a third, and About-block pairs
    # hard negatives, each from a story of its own: a follow-up that keeps under half of
    # its story and goes on with new reporting (another story's text), and press releases
    # in pairs that share a long About block
    third = stories // 3
    for (rid, title, text), (_, _, other) in zip(originals[:third], unused, strict=False):
        lead = lead_part(text, 0.4)
        if lead is not None:
            pages.append({"id": f"{rid}#follow-up", "group": None,
                          "html": page(title, lead + "\n" + other, "daily")})  # fmt: skip
    for rid, title, text in originals[third : third + 60]:
        lead = lead_part(text, 0.4)
        if lead is not None:
            pages.append({"id": f"{rid}#release", "group": None,
                          "html": page(title, lead + "\n" + ABOUT, "wire")})  # fmt: skip
    return pages, expected


def evaluate(pages: list[dict], expected: int) -> None:
    from newsclean.cleaners.near_duplicates import signature
    from newsclean.cleaners.pipeline import clean_page
    from newsclean.flows.near import NearIndex
    from newsclean.schemas.policy import DuplicatePolicy
    from newsclean.schemas.records import Article, RawPage

    group_of = {}
    near_seconds = 0.0
    linked = correct = 0
    wrong = []
    with tempfile.TemporaryDirectory() as out:
        index = NearIndex(out, set(), DuplicatePolicy(), datetime.now(UTC))
        for p in pages:
            result = clean_page(RawPage(p["id"], "bench", html=p["html"], url=None))
            if not isinstance(result, Article):
                continue
            doc = p["id"]  # one doc_id per page of the set
            group_of[doc] = p["group"]
            t = time.perf_counter()
            sig = signature(result.text)
            found = index.check("bench", [(0, doc, sig.__getstate__())], reject=False)
            near_seconds += time.perf_counter() - t
            if found:
                linked += 1
                if p["group"] is not None and group_of[found[0]] == p["group"]:
                    correct += 1
                else:
                    wrong.append((doc, found[0]))
    n = len(pages)
    precision = correct / linked if linked else 1.0
    recall = correct / expected
    ms = 1000 * near_seconds / n
    print(f"syndication set: {n} pages ({expected} copies, the rest originals and hard negatives)")
    print(
        f"pair precision: {precision:.3f}  (target >= .98)  {'met' if precision >= 0.98 else 'MISSED'}"
    )
    print(f"pair recall   : {recall:.3f}  (target >= .95)  {'met' if recall >= 0.95 else 'MISSED'}")
    print(f"near-duplicate stage: {ms:.2f} ms/page (signature + lookup; target <= 2)  "
          f"{'met' if ms <= 2 else 'MISSED'}")  # fmt: skip
    for doc, first in wrong[:5]:
        print(f"  wrong link: {doc} -> {first}")


def scale(total: int) -> None:
    """Memory and lookup time of the index as it fills with synthetic signatures."""
    import numpy as np
    import psutil
    from rensa import RMinHash

    from newsclean.cleaners.near_duplicates import NUM_PERM, SEED
    from newsclean.flows.near import NearIndex
    from newsclean.schemas.policy import DuplicatePolicy

    rng = np.random.default_rng(1)
    proc = psutil.Process()
    with tempfile.TemporaryDirectory() as out:
        index = NearIndex(out, set(), DuplicatePolicy(), datetime.now(UTC))
        base = proc.memory_info().rss
        marks = sorted({min(total, m) for m in (10_000, 100_000, total)})
        vocab = [f"w{i}" for i in range(50_000)]
        added = 0
        for mark in marks:
            while added < mark:
                words = rng.integers(0, len(vocab), 300)
                sig = RMinHash(num_perm=NUM_PERM, seed=SEED)
                sig.update([" ".join(vocab[w] for w in words[i : i + 5]) for i in range(296)])
                index._add(f"doc-{added}", sig)
                added += 1
            queries = []
            for _ in range(500):
                words = rng.integers(0, len(vocab), 300)
                sig = RMinHash(num_perm=NUM_PERM, seed=SEED)
                sig.update([" ".join(vocab[w] for w in words[i : i + 5]) for i in range(296)])
                queries.append(sig)
            t = time.perf_counter()
            for sig in queries:
                index.earliest_match(sig)
            lookup = 1000 * (time.perf_counter() - t) / len(queries)
            rss = (proc.memory_info().rss - base) / 2**20
            print(f"index of {mark:>9,} signatures: {rss:7.0f} MiB ({1024 * rss / mark:.2f} KiB "
                  f"each), lookup {lookup:.3f} ms")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=150)
    ap.add_argument("--scale", type=int, default=1_000_000, help="signatures (0: skip)")
    args = ap.parse_args()
    if not (CORPUS / "news.jsonl.gz").exists():
        sys.exit(f"benchmark needs the development news pages at {CORPUS}")
    pages, expected = build(args.stories)
    evaluate(pages, expected)
    if args.scale:
        scale(args.scale)


if __name__ == "__main__":
    main()

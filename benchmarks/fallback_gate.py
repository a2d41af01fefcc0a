"""How much trafilatura's fallback comparison (readability-lxml and jusText) costs, how often
it changes the text, and what cheap gates computed on the fast result would skip and miss.

Each development page (the three extraction sources and the news pages) is extracted twice
from the same HTML, with ``fast=True`` (no comparison) and with the defaults. A gate says,
from the fast result alone, whether the comparison may change it; a miss is a page whose
full text differs although the gate would have skipped the comparison. Groundwork for a
gated comparison (issue "One pass"): a gate must be checked with benchmarks/quality.py too.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import iter_corpus, iter_news  # noqa: E402

MIN_EXTRACTED_SIZE = 1500  # trafilatura's default (settings.cfg)


def main() -> None:
    from trafilatura import bare_extraction
    from trafilatura.external import SANITIZED_XPATH

    from newsclean.cleaners.extract import parse_html

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    pages = [(r["_source"], r["html"], r.get("url")) for r in iter_corpus() if r.get("html")]
    pages += [("news", r["html"], r.get("url")) for r in iter_news() if r.get("html")]
    rows, fast_s, full_s = [], 0.0, 0.0
    for source, html, url in pages:
        t0 = time.process_time()
        fast = bare_extraction(parse_html(html), url=url, include_comments=False, fast=True)
        t1 = time.process_time()
        full = bare_extraction(parse_html(html), url=url, include_comments=False)
        fast_s, full_s = fast_s + t1 - t0, full_s + time.process_time() - t1
        text = fast.text if fast is not None else ""
        body = fast.body if fast is not None else None
        tree = parse_html(html)
        rows.append(
            {
                "source": source,
                "differs": text != (full.text if full is not None else ""),
                "length": len(text),
                "page": len(" ".join(tree.text_content().split())) if tree is not None else 0,
                "paragraphs": len(body.findall(".//p")) if body is not None else 0,
                "tables": len(body.findall(".//table")) if body is not None else 0,
                "p_text": bool(body.xpath(".//p//text()")) if body is not None else False,
                "unclean": bool(body.xpath(SANITIZED_XPATH)) if body is not None else False,
            }
        )
    n, differ = len(rows), sum(r["differs"] for r in rows)
    print(f"pages: {n}; fast {1000 * fast_s / n:.1f} ms/page, full {1000 * full_s / n:.1f} ms/page")
    print(f"the comparison changes the text on {differ} pages ({differ / n:.1%})")

    def structural(r) -> bool:
        return r["tables"] > r["paragraphs"] or not r["p_text"] or r["unclean"]

    gates = {
        "trafilatura's own conditions, bounded by the page's text": lambda r: (
            r["length"] < MIN_EXTRACTED_SIZE or r["page"] > 2 * r["length"] or structural(r)
        ),
    }
    for limit in (1500, 2500, 3000, 4000):
        gates[f"shorter than {limit} chars, or structural"] = lambda r, lim=limit: (
            r["length"] < lim or structural(r)
        )
    for name, gate in gates.items():
        runs = [gate(r) for r in rows]
        missed = Counter(
            r["source"] for r, run in zip(rows, runs, strict=True) if r["differs"] and not run
        )
        print(
            f"{name}: compares on {sum(runs)} pages ({sum(runs) / n:.0%}), misses "
            f"{sum(missed.values())} of {differ} ({', '.join(f'{k} {v}' for k, v in sorted(missed.items())) or 'none'})"
        )


if __name__ == "__main__":
    main()

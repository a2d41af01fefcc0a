"""What the gate on trafilatura's fallback comparison (readability-lxml and jusText) saves
and what it misses, on every development page (the three extraction sources and the news
pages): ``cleaners/main_text.py`` with the gate, against the same cascade without it
(which gives exactly ``bare_extraction``'s text: checked here on every page too).

    .venv/bin/python benchmarks/fallback_gate.py [--limit N]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import iter_corpus, iter_news  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="pages (0 = all)")
    args = ap.parse_args()

    from trafilatura import bare_extraction

    from newsclean.cleaners.extract import parse_html
    from newsclean.cleaners.main_text import main_text

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    pages = [(r["_source"], r["html"], r.get("url") or None) for r in iter_corpus()]
    pages += [("news", r["html"], r.get("url") or None) for r in iter_news()]
    pages = [p for p in pages if p[1]][: args.limit or None]
    seconds = Counter()
    compared, missed, not_trafilatura, layout_core = 0, Counter(), 0, Counter()
    for source, html, url in pages:
        t0 = time.process_time()
        reference = bare_extraction(parse_html(html), url=url, include_comments=False)
        t1 = time.process_time()
        full = main_text(parse_html(html), url, gate=False)
        t2 = time.process_time()
        gated = main_text(parse_html(html), url)
        t3 = time.process_time()
        seconds.update({"bare_extraction": t1 - t0, "ungated": t2 - t1, "gated": t3 - t2})
        full_text = full.text if full else None
        not_trafilatura += (reference.text if reference else None) != full_text
        compared += bool(gated and gated.compared)
        # a table layout's core (not a part of the gate) replaces the text: what the gate
        # decided is the text it replaced
        cored = bool(gated and gated.own_text is not None)
        layout_core[source] += cored
        if full_text != (None if gated is None else gated.own_text if cored else gated.text):
            missed[source] += 1
    n = len(pages)
    print(
        f"pages: {n}; ms/page: " + ", ".join(f"{k} {1000 * v / n:.1f}" for k, v in seconds.items())
    )
    print(f"ungated cascade differs from bare_extraction on {not_trafilatura} pages")
    print(
        f"the gate compares on {compared} pages ({compared / n:.0%}); its text differs from "
        f"the ungated one on {sum(missed.values())} ({', '.join(f'{k} {v}' for k, v in sorted(missed.items())) or 'none'})"
    )
    print(
        f"a table layout's core (readability-lxml) replaces the text on {sum(layout_core.values())} "
        f"pages ({', '.join(f'{k} {v}' for k, v in sorted(layout_core.items()) if v) or 'none'})"
    )


if __name__ == "__main__":
    main()

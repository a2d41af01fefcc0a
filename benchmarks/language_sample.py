"""How much of a text langdetect needs: the language of the first N characters against
that of the whole text, and the time per page, on the news pages' reference texts (the
fundus pages, in many languages, and the others) and on newsclean's texts of the
extraction corpus.

    .venv/bin/python benchmarks/language_sample.py
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import iter_news  # noqa: E402

SIZES = (200, 300, 400, 500, 700, 1000, 2000)


def main() -> None:
    from newsclean.cleaners import language

    texts: dict[str, list[str]] = defaultdict(list)
    for rec in iter_news():
        if rec.get("text"):
            group = "fundus" if rec["source"] == "fundus" else "other news"
            texts[group].append(rec["text"])
    language.detect_language("warm up the profiles, once per process")
    for group, items in texts.items():
        full = [language.detect_language(t, prefix=len(t))[0] for t in items]
        langs = sorted(set(full))
        print(f"{group}: {len(items)} texts, {len(langs)} languages ({', '.join(langs)})")
        for size in SIZES:
            start = time.process_time()
            got = [language.detect_language(t, prefix=size)[0] for t in items]
            ms = 1000 * (time.process_time() - start) / len(items)
            agree = sum(a == b for a, b in zip(got, full, strict=True))
            print(
                f"  first {size:>5} chars: same as the whole text on {agree}/{len(items)}"
                f" ({agree / len(items):.1%}), {ms:.2f} ms/page"
            )


if __name__ == "__main__":
    main()

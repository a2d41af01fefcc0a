"""Extraction quality on the development corpus stays above the targets of issue
"Cleaning quality" (aeb source, the quick one; benchmarks/quality.py measures all)."""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter

from newsclean.cleaners.pipeline import clean_page
from newsclean.schemas.records import Article, RawPage
from tests.conftest import REPO, corpus_files

sys.path.insert(0, str(REPO / "benchmarks"))
from _corpus import bow_f1, removal_errors  # noqa: E402

CORPUS_NEWS = REPO.parent / "shared" / "corpus" / "news.jsonl.gz"

HTML_WITH_FIGURE = """<html><head><title>Dam opens on the Tigris</title></head><body>
<article><h1>Dam opens on the Tigris</h1>
<figure><img src="dam.jpg" alt="The new dam seen from the air on Monday">
<figcaption>The new dam seen from the air on Monday</figcaption></figure>
<p>MOSUL, Iraq (AP) — Iraq opened a new dam on the Tigris on Monday, officials said, in a project that took six years to build and will irrigate farmland across the north.</p>
<p>The new dam seen from the air on Monday</p>
<p>Engineers said the reservoir would take two years to fill, and that the turbines would supply power to about half a million homes once they run at full capacity.</p>
<p>Farmers in the region welcomed the project but said they were still waiting for the canals that are meant to carry the water to their fields.</p>
</article></body></html>"""


def test_figcaption_printed_again_in_the_body_goes_to_captions():
    article = clean_page(
        RawPage("dam", "dam.html", html=HTML_WITH_FIGURE, url="https://example.org/dam")
    )
    assert isinstance(article, Article)
    assert article.captions == ["The new dam seen from the air on Monday"]
    assert [(r.rule, r.text) for r in article.removed] == [
        ("title", "Dam opens on the Tigris"),
        ("dateline", "MOSUL, Iraq (AP) —"),
        ("caption", "The new dam seen from the air on Monday"),
    ]
    assert article.text.split("\n")[0].startswith("Iraq opened a new dam on the Tigris on Monday")
    assert article.dateline.location == "MOSUL, Iraq"
    assert len(article.text.split("\n")) == 3


def test_aeb_f1_and_removal_precision_meet_the_targets():
    (aeb,) = [f for f in corpus_files() if f.name == "aeb.jsonl.gz"]
    f1s, removal = [], Counter()
    with gzip.open(aeb, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            result = clean_page(RawPage(rec["id"], "aeb", html=rec["html"], url=rec["url"] or None))
            text = result.text if isinstance(result, Article) else ""
            f1s.append(bow_f1(text, rec["text"]))
            if isinstance(result, Article):
                removal.update(
                    removal_errors([(r.rule, r.text) for r in result.removed], text, rec["text"])
                )
    words = sum(n for (_, k), n in removal.items() if k == "words")
    wrong = sum(n for (_, k), n in removal.items() if k == "wrong")
    assert len(f1s) == 97
    assert sum(f1s) / len(f1s) >= 0.965
    assert 1 - wrong / words >= 0.95


def _news(limit: int, every: int = 1) -> list[dict]:
    """The first ``limit`` of every ``every``-th news page with a title or date truth."""
    path = CORPUS_NEWS
    if not path.exists():
        import pytest

        pytest.skip(f"development news pages not found at {path} (beside the checkout in CI)")
    out, seen = [], 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("title") or rec.get("published"):
                if seen % every == 0:
                    out.append(rec)
                seen += 1
            if len(out) >= limit:
                break
    return out


def test_news_titles_and_dates_beat_plain_trafilatura_on_the_same_pages():
    """On 300 news pages (every third with title or date truth, from all five sources
    that have them): titles without the site name and as printed, dates found where the cheap
    signals find none. On these pages: titles 275 of 294 right against trafilatura's
    211, dates 40 of 40 against 40. The whole set is in benchmarks/quality.py (title
    .903 against .695, date .954 against .929)."""
    import trafilatura
    from _corpus import fold

    recs = _news(300, every=3)
    ours = Counter()
    theirs = Counter()
    for rec in recs:
        result = clean_page(RawPage(rec["id"], "news", html=rec["html"], url=rec["url"] or None))
        meta = trafilatura.extract_metadata(rec["html"], default_url=rec["url"] or None)
        title = result.title if isinstance(result, Article) else None
        date = (
            result.published.isoformat()
            if isinstance(result, Article) and result.published
            else None
        )
        if rec.get("title"):
            ours["titles"] += 1
            ours["title"] += fold(title) == fold(rec["title"])
            theirs["title"] += fold(meta.title if meta else None) == fold(rec["title"])
        if rec.get("published"):
            ours["dates"] += 1
            ours["date"] += (date or "") == rec["published"]
            theirs["date"] += ((meta.date if meta else None) or "")[:10] == rec["published"]
    assert ours["titles"] > 200
    assert ours["title"] >= theirs["title"] + 0.2 * ours["titles"], (ours, theirs)
    assert ours["date"] >= theirs["date"], (ours, theirs)

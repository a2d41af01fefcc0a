"""The seed article, cleaned exactly as DESIGN.md says."""

from __future__ import annotations

import duckdb

from newsclean.cleaners.pipeline import clean_page
from newsclean.flows.readers import read_pages
from newsclean.schemas.records import Article, Dateline, Removed
from tests.conftest import SEED, run_cli, scan

CAPTION = "Kazakh President Kassym-Jomart Tokayev. (AP)"


def _seed_article() -> Article:
    (page,) = list(read_pages(str(SEED)))
    article = clean_page(page)
    assert isinstance(article, Article), article
    return article


def test_seed_text_is_the_article_body_only():
    article = _seed_article()
    lines = article.text.split("\n")
    assert article.title == "Abraham Accords Expand to Central Asia With Kazakhstan Set to Join"
    assert lines[0].startswith("Kazakhstan will join the Abraham Accords, a symbolic move")
    assert lines[1].startswith("In a significant diplomatic move aimed at breathing new life")
    assert lines[1].endswith("between Israel and Arab and Muslim-majority countries.")
    assert lines[-1].endswith("a changing and more hopeful diplomatic landscape.")
    # 28 non-empty lines in the seed: less the no-break-space line, the title, the two
    # caption copies and the ad line
    assert len(lines) == 23
    assert "ERBIL" not in article.text and "Kurdistan24" not in article.text
    assert CAPTION not in article.text
    assert "Fly Erbil" not in article.text and "Advertis" not in article.text
    assert all(line.strip() == line and line for line in lines)
    assert "\u00a0" not in article.text
    assert "as reported by The Associated Press" in article.text
    assert "as reported by Agence France-Presse (AFP)" in article.text


def test_seed_captions_dateline_removed_language():
    article = _seed_article()
    assert article.captions == [CAPTION]
    assert article.dateline == Dateline(
        raw="ERBIL (Kurdistan24) –", location="ERBIL", source="Kurdistan24", date=None
    )
    # each with the paragraph it stood in (counted in the body under the headline)
    assert article.removed == [
        Removed("caption", CAPTION, 1),
        Removed("caption", CAPTION, 2),
        Removed("dateline", "ERBIL (Kurdistan24) –", 3),
        Removed("ad_label", "Fly Erbil Advertisment", 25),
    ]
    assert article.language == "en"
    assert article.language_score > 0.99
    assert article.decision == "keep" and article.flags == []
    assert article.word_count == len(article.text.split())


def test_seed_through_the_cli_reads_back_from_parquet(tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "--input", str(SEED), "--output", str(out))
    assert result.returncode == 0, result.stderr
    rows = duckdb.sql(
        f"select title, text, captions, dateline, removed, language, source_id "
        f"from {scan(out, 'articles')}"
    ).fetchall()
    assert len(rows) == 1
    title, text, captions, dateline, removed, language, source_id = rows[0]
    assert text == _seed_article().text
    assert captions == [CAPTION]
    assert dateline == {
        "raw": "ERBIL (Kurdistan24) –",
        "location": "ERBIL",
        "source": "Kurdistan24",
        "date": None,
    }
    assert [r["rule"] for r in removed] == ["caption", "caption", "dateline", "ad_label"]
    assert language == "en"
    assert source_id == str(SEED)
    # both datasets always exist: no rejects reads as an empty table, not an error
    assert duckdb.sql(f"select count(*) from {scan(out, 'rejects')}").fetchall() == [(0,)]

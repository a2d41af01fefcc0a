"""The development corpus through the CLI (the session's one corpus run, English only):
every page ends in exactly one dataset, and both datasets read back with DESIGN.md's
column types."""

from __future__ import annotations

from collections import Counter

import duckdb
import pyarrow as pa

from newsclean.flows import tables
from newsclean.schemas.parquet import ARTICLES_SCHEMA, REJECTS_SCHEMA
from tests.conftest import scan


def test_every_page_ends_in_exactly_one_dataset(corpus_run):
    out, index, result = corpus_run
    articles = duckdb.sql(f"select source_id from {scan(out, 'articles')}").fetchall()
    rejects = duckdb.sql(f"select source_id, reason from {scan(out, 'rejects')}").fetchall()
    ids = Counter([a[0] for a in articles] + [r[0] for r in rejects])
    assert ids == Counter(rec["id"] for rec in index)
    assert len(articles) + len(rejects) == len(index) == 761  # the README's count
    # Real pages: most have main text (kept, or rejected for their language under the
    # session's English-only policy). The reject reasons are the contract's codes.
    with_text = len(articles) + sum(1 for r in rejects if r[1] == "language")
    assert with_text > 0.9 * len(index)
    assert {r[1] for r in rejects} <= {"no_main_text", "empty", "undecodable", "language"}
    assert f"pages read: {len(index)}" in result.stdout


def test_datasets_have_the_contract_types(corpus_run):
    out, _, _ = corpus_run
    for name, schema in (("articles", ARTICLES_SCHEMA), ("rejects", REJECTS_SCHEMA)):
        dataset = tables.dataset(str(out), name)
        assert dataset.schema.remove_metadata() == schema.remove_metadata()
        table = dataset.to_table()
        assert table.num_rows > 0
    types = dict(
        duckdb.sql(
            f"select column_name, column_type from (describe select * from {scan(out, 'articles')})"
        ).fetchall()
    )
    assert types["published"] == "DATE"
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["language_score"] == "FLOAT"
    assert types["word_count"] == "INTEGER"
    assert types["captions"] == "VARCHAR[]"
    assert types["removed"] == 'STRUCT("rule" VARCHAR, "text" VARCHAR, line INTEGER)[]'
    assert types["near_duplicate_of"] == "VARCHAR"
    assert types["dateline"].startswith("STRUCT(raw VARCHAR, ")
    assert ARTICLES_SCHEMA.field("fetched_at").type == pa.timestamp("us", tz="UTC")


def test_article_rows_are_consistent(corpus_run):
    out, _, _ = corpus_run
    table = tables.dataset(str(out), "articles").to_table(
        columns=["text", "word_count", "decision", "language", "removed", "captions"]
    )
    for row in table.to_pylist():
        assert row["text"] and "\n\n" not in row["text"]
        assert all(line == line.strip() and line for line in row["text"].split("\n"))
        assert row["word_count"] == len(row["text"].split())
        assert row["decision"] in ("keep", "flag")
        for caption in row["captions"]:
            assert caption not in row["text"].split("\n")
    langs = dict(
        duckdb.sql(
            f"select language, count(*) from {scan(out, 'articles')} group by 1 "
            "union all "
            "select regexp_extract(detail, '^language (\\S+) ', 1), count(*) "
            f"from {scan(out, 'rejects')} where reason = 'language' group by 1"
        ).fetchall()
    )
    # the corpus is mostly English and German news, with many other languages (kept when
    # English, rejected with their language named otherwise)
    assert langs["en"] > 200 and langs["de"] > 100 and len(langs) > 10

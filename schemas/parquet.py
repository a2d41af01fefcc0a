"""The two Parquet datasets, as explicit pyarrow schemas.

The schemas are never inferred from data: an all-null column or an empty shard still
writes the declared types, so every file of a dataset reads back as one table. Bump
``SCHEMA_VERSION`` whenever a column is added, removed or changes type.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "2"  # 2: near_duplicate_of, removed.line

_UTC_US = pa.timestamp("us", tz="UTC")

DATELINE_TYPE = pa.struct(
    [
        pa.field("raw", pa.string(), nullable=False),
        pa.field("location", pa.string()),
        pa.field("source", pa.string()),
        pa.field("date", pa.string()),
    ]
)

REMOVED_TYPE = pa.struct(
    [
        pa.field("rule", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("line", pa.int32()),
    ]
)


def _with_metadata(fields: list[pa.Field], dataset: str) -> pa.Schema:
    return pa.schema(
        fields,
        metadata={
            "newsclean.dataset": dataset,
            "newsclean.schema_version": SCHEMA_VERSION,
        },
    )


ARTICLES_SCHEMA = _with_metadata(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_id", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("domain", pa.string()),
        pa.field("title", pa.string()),
        pa.field("author", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("fetched_at", _UTC_US),
        pa.field("language", pa.string(), nullable=False),
        pa.field("language_score", pa.float32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("captions", pa.list_(pa.string()), nullable=False),
        pa.field("dateline", DATELINE_TYPE),
        pa.field("removed", pa.list_(REMOVED_TYPE), nullable=False),
        pa.field("decision", pa.string(), nullable=False),
        pa.field("flags", pa.list_(pa.string()), nullable=False),
        pa.field("near_duplicate_of", pa.string()),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("input_path", pa.string(), nullable=False),
        pa.field("ingested_at", _UTC_US, nullable=False),
        pa.field("pipeline_version", pa.string(), nullable=False),
    ],
    "articles",
)

REJECTS_SCHEMA = _with_metadata(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_id", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("input_path", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("ingested_at", _UTC_US, nullable=False),
        pa.field("pipeline_version", pa.string(), nullable=False),
    ],
    "rejects",
)

SCHEMAS = {"articles": ARTICLES_SCHEMA, "rejects": REJECTS_SCHEMA}

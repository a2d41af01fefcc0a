"""The two Parquet datasets, as explicit pyarrow schemas.

The schemas are never inferred from data: an all-null column or an empty shard still
writes the declared types, so every file of a dataset reads back as one table. Bump
``SCHEMA_VERSION`` whenever a column is added, removed or changes type.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "4"  # 2: near_duplicate_of, removed.line; 3: authors (was author), provenance
# 4: input_key (the datasets are Delta Lake tables; see flows/tables.py)

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


# Where an article's title, publication date and authors came from: the name of the rule
# or source that won (cleaners/extract.py TITLE_RULES and AUTHOR_RULES, cleaners/dates.py
# DATE_RULES; "metadata" for the page's own meta tags and JSON-LD; "record" for a title
# the input record gave); null where the article has none.
PROVENANCE_TYPE = pa.struct(
    [
        pa.field("title", pa.string()),
        pa.field("published", pa.string()),
        pa.field("authors", pa.string()),
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
        pa.field("authors", pa.list_(pa.string()), nullable=False),
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
        pa.field("provenance", PROVENANCE_TYPE, nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("input_path", pa.string(), nullable=False),
        # the input's ledger key (a hash of its content): what a rerun of that input
        # replaces, whatever name the input has now
        pa.field("input_key", pa.string(), nullable=False),
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
        # the input's ledger key (a hash of its content): what a rerun of that input
        # replaces, whatever name the input has now
        pa.field("input_key", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("ingested_at", _UTC_US, nullable=False),
        pa.field("pipeline_version", pa.string(), nullable=False),
    ],
    "rejects",
)

SCHEMAS = {"articles": ARTICLES_SCHEMA, "rejects": REJECTS_SCHEMA}

# The takedowns table (OUTPUT/takedowns, flows/maintenance.py): what was removed for good,
# when and why; every later run drops the pages it names. No page text, ever.
TAKEDOWNS_SCHEMA = pa.schema(
    [
        pa.field("takedown_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),  # doc_id, url or domain
        pa.field("value", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("taken_at", _UTC_US, nullable=False),
        pa.field("articles_removed", pa.int64(), nullable=False),
        pa.field("rejects_removed", pa.int64(), nullable=False),
        pa.field("index_entries_removed", pa.int64(), nullable=False),
    ]
)


def schema_version(schema: pa.Schema) -> str | None:
    """The schema version a file was written with (None: not newsclean's)."""
    value = (schema.metadata or {}).get(b"newsclean.schema_version")
    return value.decode() if value is not None else None


def conform(table: pa.Table, dataset: str, key: str | None = None) -> pa.Table:
    """A part written by an earlier schema version, as the current version writes it:
    columns added since are null (an empty list or struct where the column cannot be
    null), ``author`` (version 2, ``; ``-separated) becomes ``authors``, ``input_key``
    (version 4) is ``key``, the key its part was named by."""
    schema = SCHEMAS[dataset]
    n = table.num_rows
    columns = []
    for field in schema:
        if field.name in table.column_names:
            column = table.column(field.name)
        elif field.name == "authors" and "author" in table.column_names:
            names = table.column("author").to_pylist()
            column = pa.array([v.split("; ") if v else [] for v in names], field.type)
        elif field.name == "input_key" and key is not None:
            column = pa.array([key] * n, field.type)
        elif field.nullable:
            column = pa.nulls(n, field.type)
        elif pa.types.is_list(field.type):
            column = pa.array([[] for _ in range(n)], field.type)
        elif pa.types.is_struct(field.type):
            column = pa.array([{} for _ in range(n)], field.type)
        else:
            raise ValueError(
                f"{dataset}: a part without {field.name!r} cannot become version {SCHEMA_VERSION}"
            )
        columns.append(column.cast(field.type))
    return pa.Table.from_arrays(columns, schema=schema)

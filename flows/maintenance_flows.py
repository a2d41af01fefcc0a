"""The Prefect flows of ``newsclean compact`` and ``newsclean takedown``, for the daily
compaction deployment and for a moderator's takedown from the UI form. Thin shells around
``maintenance``: the same lock, the same checks, the same one-line outcomes as the CLI."""

from __future__ import annotations

from typing import Annotated, Literal

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from pydantic import Field

from newsclean.flows import maintenance
from newsclean.flows.options import DEFAULT_RETENTION_HOURS, DEFAULT_TARGET_MB, MAX_LOCK_WAIT

# Both wait for a run that holds the output (10 minutes by default): a scheduled
# compaction or a moderator's takedown should not fail because a run is on.
_LockWait = Annotated[
    float,
    Field(ge=0, le=MAX_LOCK_WAIT, description="Seconds to wait for a run that holds the output."),
]


@flow(name="compact-tables", persist_result=False)
def compact_tables(
    output: Annotated[str, Field(description="The output folder or URL whose tables to compact.")],
    target_mb: Annotated[
        float, Field(gt=0, le=4096, description="Size of the merged files, in MiB.")
    ] = DEFAULT_TARGET_MB,
    retention_hours: Annotated[
        float,
        Field(
            ge=0,
            description="Keep the files of the versions of the last this many hours (time "
            "travel); older ones are removed.",
        ),
    ] = DEFAULT_RETENTION_HOURS,
    wait_for_lock: _LockWait = 600.0,
) -> dict:
    """Merge the small files of `articles` and `rejects` and vacuum what no recent
    version reads, holding the output's lock (a run in progress is waited for)."""
    done = maintenance.compact(output, target_mb, retention_hours, wait_for_lock)
    rows = [{"table": name, **counts} for name, counts in done.items()]
    create_table_artifact(rows, key="compact-tables", description=f"Compaction of {output}")
    for row in rows:
        get_run_logger().info(
            "%s: %s -> %s files, version %s",
            row["table"],
            row["files_before"],
            row["files_after"],
            row["version"],
        )
    return done


@flow(name="takedown", persist_result=False)
def take_down(
    output: Annotated[str, Field(description="The output folder or URL to remove pages from.")],
    kind: Annotated[
        Literal["doc_id", "url", "domain"],
        Field(description="What `value` is: one page's doc_id or URL, or a whole domain."),
    ],
    value: Annotated[str, Field(min_length=1, description="The doc_id, URL or domain.")],
    reason: Annotated[
        str, Field(min_length=1, description="Why (recorded in the takedowns table).")
    ],
    purge: Annotated[
        bool,
        Field(description="Also delete the files that held the pages now (no time travel)."),
    ] = False,
    wait_for_lock: _LockWait = 600.0,
) -> dict:
    """Remove pages for good: from the tables and the duplicate indexes, and from every
    later run."""
    record = maintenance.takedown(output, kind, value, reason, purge, wait_for_lock)
    record = {**record, "taken_at": record["taken_at"].isoformat()}
    create_table_artifact([record], key="takedown", description=f"Takedown in {output}")
    get_run_logger().info(
        "taken down %s %s: %s articles, %s rejects removed",
        kind,
        record["value"],
        record["articles_removed"],
        record["rejects_removed"],
    )
    return record

"""The Prefect flow ``clean-pages``: read shards, clean each in a task, write, report.

One task per shard (a block of ``batch_size`` pages of one file), never one per page, so
Prefect's per-task cost stays small next to the work. Tasks run in a process pool
(threads do not speed up this Python-heavy work) or inline with one worker.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner
from pydantic import Field

from flows.engine import (
    Done,
    RunReport,
    Shard,
    plan_inputs,
    process_shard,
    resolve_workers,
    run_shards,
)
from flows.readers import expand_inputs
from flows.settings import check_output, load_policy
from schemas.policy import Policy


# Shards carry whole pages: hashing them for a cache key would cost more than the work,
# and a rerun must redo the work anyway (the output is replaced, not reused).
@task(name="clean-shard", cache_policy=NO_CACHE, persist_result=False)
def clean_shard(shard: Shard, output: str, policy: Policy, ingested_at: datetime) -> RunReport:
    return process_shard(shard, output, policy, ingested_at)


def report_table(report: RunReport) -> list[dict[str, object]]:
    """The run report as rows of (metric, value), for the table artifact."""
    d = report.as_dict()
    rows: list[dict[str, object]] = [
        {"metric": "pages read", "value": d["pages"]},
        {"metric": "kept", "value": d["kept"]},
        {"metric": "flagged", "value": d["flagged"]},
        {"metric": "rejected", "value": d["rejected"]},
    ]
    rows += [{"metric": f"rejected: {k}", "value": v} for k, v in d["rejected_by_reason"].items()]
    rows += [{"metric": f"flag: {k}", "value": v} for k, v in d["flags"].items()]
    rows += [{"metric": f"removed: {k}", "value": v} for k, v in d["removed_by_rule"].items()]
    rows += [
        {"metric": "input files", "value": d["files"]},
        {"metric": "input files unchanged (skipped)", "value": d["files_skipped"]},
        {"metric": "shards", "value": d["shards"]},
        {"metric": "elapsed seconds", "value": d["seconds"]},
        {"metric": "pages per second", "value": d["pages_per_second"]},
    ]
    return rows


@flow(name="clean-pages", persist_result=False)
def clean_pages(
    inputs: Annotated[list[str], Field(min_length=1)],
    output: Annotated[str, Field(min_length=1)],
    policy: str | None = None,
    workers: Annotated[int | None, Field(ge=1, le=512)] = None,
    batch_size: Annotated[int, Field(ge=1, le=100_000)] = 500,
    incremental: bool = False,
    reprocess: bool = False,
    dask_address: Annotated[str | None, Field(pattern=r"^(tcp|tls|inproc|ucx)://\S+$")] = None,
) -> dict:
    """Clean raw scraped pages into Parquet: `OUTPUT/articles` and `OUTPUT/rejects`.

    Args:
        inputs: Files, folders (walked recursively) or globs of raw pages:
            .jsonl/.ndjson (optionally .gz), .warc(.gz), .html/.htm, .txt.
        output: Output folder; `articles/`, `rejects/` and `_ledger/` go under it.
        policy: Moderation policy file (TOML). Empty keeps every page with main text.
        workers: Worker processes. Empty means one per core.
        batch_size: Pages per shard; each shard is one task and one Parquet part.
        incremental: Skip inputs that the output's ledger has already processed as
            they are now (same size and time, or same content hash).
        reprocess: Process every input again, even in an incremental run.
        dask_address: Scheduler of an existing Dask cluster (tcp://host:8786) to run
            the shards on; empty runs them in local processes. Inputs and output must
            be paths (or fsspec URLs) that every Dask worker can reach.
    """
    logger = get_run_logger()
    moderation = load_policy(policy)
    check_output(output)
    files = expand_inputs(inputs)
    plan, skipped = plan_inputs(files, output, incremental, reprocess)
    ingested_at = datetime.now(UTC)
    n = resolve_workers(workers)
    logger.info(
        "cleaning %d of %d input files with %d workers into %s",
        len(plan),
        len(files),
        n,
        output,
    )

    shared = {"output": output, "policy": moderation, "ingested_at": ingested_at}
    dedup = moderation.duplicates.reject_exact
    if dask_address:
        from prefect_dask import DaskTaskRunner

        with DaskTaskRunner(address=dask_address) as runner:
            report = run_shards(
                plan,
                output,
                batch_size,
                lambda s: runner.submit(clean_shard, {"shard": s, **shared}),
                window=2 * max(n, _dask_workers(runner)),
                dedup=dedup,
            )
    elif n == 1:
        report = run_shards(
            plan,
            output,
            batch_size,
            lambda s: Done(clean_shard(s, output, moderation, ingested_at)),
            window=1,
            dedup=dedup,
        )
    else:
        with ProcessPoolTaskRunner(max_workers=n) as runner:
            report = run_shards(
                plan,
                output,
                batch_size,
                lambda s: runner.submit(clean_shard, {"shard": s, **shared}),
                window=2 * n,
                dedup=dedup,
            )
    report.files, report.skipped = len(files), len(skipped)
    for line in report.summary_lines():
        logger.info(line)
    create_table_artifact(
        key="clean-pages-report",
        table=report_table(report),
        description="Pages read, kept, flagged, rejected by reason, pieces removed by rule",
    )
    create_markdown_artifact(
        key="clean-pages-output",
        markdown=_output_markdown(output, report),
        description="Where this run's Parquet output is",
    )
    return report.as_dict()


def _dask_workers(runner) -> int:
    """Threads across the cluster's workers: how many shards it can run at once."""
    try:
        return sum(w["nthreads"] for w in runner._client.scheduler_info()["workers"].values())
    except Exception:  # an unusual client: fall back to the local worker count
        return 1


def _output_markdown(output: str, report: RunReport) -> str:
    import os

    root = os.path.abspath(output)
    return (
        f"# clean-pages output\n\n"
        f"- articles: `{root}/articles/` ({report.kept + report.flagged} rows written this run)\n"
        f"- rejects: `{root}/rejects/` ({report.rejected_total} rows written this run)\n"
        f"- ledger: `{root}/_ledger/`\n\n"
        f"```sql\nselect * from read_parquet('{root}/articles/**/*.parquet');\n```\n"
    )

"""The Prefect flow ``clean-pages``: read shards, clean each in a task, write, report.

One task per shard (a block of ``batch_size`` pages of one file), never one per page, so
Prefect's per-task cost stays small next to the work. Tasks run in a process pool
(threads do not speed up this Python-heavy work) or inline with one worker.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner
from pydantic import Field

from flows.engine import (
    Budget,
    Done,
    RunReport,
    Shard,
    process_shard,
    resolve_workers,
    run_locked,
    run_shards,
)
from flows.readers import expand_inputs
from flows.settings import check_output, load_policy, make_budget
from schemas.policy import Policy


# Shards carry whole pages: hashing them for a cache key would cost more than the work,
# and a rerun must redo the work anyway (the output is replaced, not reused).
@task(name="clean-shard", cache_policy=NO_CACHE, persist_result=False)
def clean_shard(
    shard: Shard, output: str, policy: Policy, ingested_at: datetime, budget: Budget
) -> RunReport:
    return process_shard(shard, output, policy, ingested_at, budget)


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
    page_timeout: Annotated[float, Field(ge=0)] = 30.0,
    max_page_mb: Annotated[float, Field(ge=0)] = 8.0,
    wait_for_lock: Annotated[float, Field(ge=0)] = 0.0,
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
        page_timeout: Seconds a page may take before it is rejected as `timeout`
            (0 = no limit).
        max_page_mb: Pages larger than this are rejected as `too_large` (0 = no limit).
        wait_for_lock: Seconds to wait when another run is writing to the same output;
            0 fails at once.
    """
    logger = get_run_logger()
    moderation = load_policy(policy)
    budget = make_budget(page_timeout, max_page_mb)
    check_output(output)
    files = expand_inputs(inputs)
    report = run_locked(
        files,
        output,
        incremental,
        reprocess,
        wait_for_lock,
        lambda plan: _run(
            plan, output, moderation, budget, workers, batch_size, dask_address, logger
        ),
    )
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


def _run(plan, output, moderation, budget, workers, batch_size, dask_address, logger) -> RunReport:
    """Submit the planned shards on the task runner the parameters ask for: a Dask
    cluster, a local process pool, or inline in the flow's process for one worker."""
    ingested_at = datetime.now(UTC)
    n = resolve_workers(workers)
    logger.info("cleaning %d input files with %d workers into %s", len(plan), n, output)
    shared = {"output": output, "policy": moderation, "ingested_at": ingested_at, "budget": budget}
    if dask_address:
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(address=dask_address)
    elif n > 1:
        runner = ProcessPoolTaskRunner(max_workers=n)
    else:
        runner = None

    def inline(shard: Shard) -> Done:
        return Done(clean_shard(shard, **shared))

    def on_runner(shard: Shard):
        return runner.submit(clean_shard, {"shard": shard, **shared})

    with runner or nullcontext():
        if runner is None:
            submit, window = inline, 1
        else:
            slots = max(n, _dask_workers(runner)) if dask_address else n
            submit, window = on_runner, 2 * slots
        return run_shards(
            plan, output, batch_size, submit, window, dedup=moderation.duplicates.reject_exact
        )


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

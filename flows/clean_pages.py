"""The Prefect flow ``clean-pages``: read shards, clean each in a task, write, report.

One task per shard (a block of ``batch_size`` pages of one file), never one per page, so
Prefect's per-task cost stays small next to the work. Tasks run in a process pool
(threads do not speed up this Python-heavy work) or inline with one worker.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner

from flows.engine import Done, RunReport, Shard, process_shard, resolve_workers, run_shards
from flows.readers import expand_inputs
from flows.settings import check_output, check_run_arguments, load_policy
from schemas.policy import Policy


# Shards carry whole pages: hashing them for a cache key would cost more than the work,
# and a rerun must redo the work anyway (the output is replaced, not reused).
@task(name="clean-shard", cache_policy=NO_CACHE, persist_result=False)
def clean_shard(shard: Shard, output: str, policy: Policy, ingested_at: datetime) -> RunReport:
    return process_shard(shard, output, policy, ingested_at)


@flow(name="clean-pages", persist_result=False)
def clean_pages(
    inputs: list[str],
    output: str,
    policy: str | None = None,
    workers: int | None = None,
    batch_size: int = 500,
) -> dict:
    """Clean raw scraped pages into `OUTPUT/articles` and `OUTPUT/rejects` (Parquet)."""
    logger = get_run_logger()
    check_run_arguments(workers, batch_size)
    moderation = load_policy(policy)
    check_output(output)
    files = expand_inputs(inputs)
    ingested_at = datetime.now(UTC)
    n = resolve_workers(workers)
    logger.info("cleaning %d input files with %d workers into %s", len(files), n, output)

    def log_shard(report: RunReport) -> None:
        logger.debug("shard done: %d pages in %.2f s", report.pages, report.seconds)

    if n == 1:
        report = run_shards(
            files,
            output,
            batch_size,
            lambda s: Done(clean_shard(s, output, moderation, ingested_at)),
            window=1,
            on_shard=log_shard,
        )
    else:
        shared = {"output": output, "policy": moderation, "ingested_at": ingested_at}
        with ProcessPoolTaskRunner(max_workers=n) as runner:
            report = run_shards(
                files,
                output,
                batch_size,
                lambda s: runner.submit(clean_shard, {"shard": s, **shared}),
                window=2 * n,
                on_shard=log_shard,
            )
    for line in report.summary_lines():
        logger.info(line)
    return report.as_dict()

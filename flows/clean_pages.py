"""The Prefect flow ``clean-pages``: check the parameters, clean the shards, report.

The flow is a thin shell around ``engine.run``, the run function the CLI calls too: the
same checks, the same lock, the same ledger, the same counts. What the flow adds is one
Prefect task per shard (a block of ``batch_size`` pages of one file, never one task per
page, so Prefect's per-task cost stays small next to the work), on a Dask cluster through
prefect-dask when ``dask_address`` is given, and the run's artifacts.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Annotated, Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.states import Failed
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from newsclean.flows import engine, supervisor
from newsclean.flows.config import RunConfig, UsageError, build_config, max_workers
from newsclean.flows.engine import Shard, ShardJob, ShardResult
from newsclean.flows.lock import OutputLocked
from newsclean.flows.options import (
    DASK_ADDRESS,
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_PAGE_MB,
    DEFAULT_PAGE_TIMEOUT,
    MAX_BATCH_SIZE,
    MAX_LOCK_WAIT,
    MAX_PAGE_MB,
    MAX_PAGE_TIMEOUT,
    NAMES,
)
from newsclean.flows.report import write_report


# Shards carry whole pages: hashing them for a cache key would cost more than the work,
# and a rerun must redo the work anyway (the output is replaced, not reused).
@task(name="clean-shard", cache_policy=NO_CACHE, persist_result=False)
def clean_shard(shard: Shard, job: ShardJob) -> ShardResult | None:
    try:
        return engine.process_shard(shard, job)
    except (TerminationSignal, supervisor.Interrupted) as exc:
        # The run is being cancelled (Prefect's SIGTERM landed in this task, or the
        # run stopped its children): the task stops without a result, and the signal
        # goes on to the flow (see TaskRunnerExecutor.submit), whose engine records the
        # cancellation. Prefect's task engine would record the signal as a crash (and
        # a Cancelled task at ERROR): a person's cancel is neither.
        supervisor.caught_stop(exc)
        get_run_logger().info("stopped: the flow run is being cancelled")
        return None


class TaskRunnerExecutor:
    """Shards as ``clean-shard`` tasks on a Prefect task runner, or called inline (still
    a task run) for one worker. Locally the tasks run on threads, each driving its own
    supervised child process that does the CPU work (see ``supervisor``); on a Dask
    cluster each worker thread does the same."""

    def __init__(self, config: RunConfig) -> None:
        if config.dask_address:
            from prefect_dask import DaskTaskRunner

            self._runner = DaskTaskRunner(address=config.dask_address)
        elif config.workers > 1:
            self._runner = ThreadPoolTaskRunner(max_workers=config.workers)
        else:
            self._runner = None
        self.window = 1 if self._runner is None else 2 * config.workers
        self._run_id: str | None = None
        self._futures: list[Any] = []

    def submit(self, shard: Shard, job: ShardJob) -> Any:
        self._run_id = job.run_id
        if self._runner is None:
            state = clean_shard(shard, job, return_state=True)
            stopped = supervisor.caught_stop()
            if stopped is not None:
                raise stopped  # the flow's own cancellation (or Ctrl-C) goes on
            return engine.Done(state.result())
        future = self._runner.submit(clean_shard, {"shard": shard, "job": job})
        if hasattr(self._runner, "client"):
            # the Dask futures still in flight, to cancel when the run is
            self._futures = [f for f in self._futures if not f.wrapped_future.done()]
            self._futures.append(future)
        return future

    def __enter__(self) -> TaskRunnerExecutor:
        if self._runner is not None:
            self._runner.__enter__()
            if hasattr(self._runner, "client"):  # a Dask cluster: fill its threads
                threads = sum(
                    w["nthreads"] for w in self._runner.client.scheduler_info()["workers"].values()
                )
                self.window = 2 * max(threads, 1, self.window // 2)
        return self

    def __exit__(self, *exc: object) -> None:
        failed = bool(exc and exc[0] is not None)
        if failed:
            supervisor.stop_now()  # a failed or cancelled run: stop the pages at once
        if hasattr(self._runner, "client"):
            self._end_on_dask(failed)
        if self._runner is not None:
            self._runner.__exit__(*exc)
        supervisor.stop_all()

    def _end_on_dask(self, failed: bool) -> None:
        """No child outlives the run on a Dask worker: the children that cleaned its
        pages are stopped there. A failed or cancelled run first cancels its futures
        and stops its shards still running (a task already running on a worker thread
        cannot be killed; it stops at its next page, and what it might still write goes
        into the run's own staging folder, which nobody makes current)."""
        if self._run_id is None:
            return
        client = self._runner.client
        with contextlib.suppress(Exception):  # a cluster gone away has no children left
            if failed:
                client.cancel([f.wrapped_future for f in self._futures], force=True)
                client.run(supervisor.stop_run, self._run_id)
            else:
                client.run(supervisor.stop_children, self._run_id)


def report_table(report: dict[str, Any]) -> list[dict[str, object]]:
    """The run report (``RunReport.as_dict()``) as rows of (metric, value)."""
    d = report
    rows: list[dict[str, object]] = [
        {"metric": "pages read", "value": d["pages"]},
        {"metric": "kept", "value": d["kept"]},
        {"metric": "flagged", "value": d["flagged"]},
        {"metric": "rejected", "value": d["rejected"]},
    ]
    rows += [{"metric": f"rejected: {k}", "value": v} for k, v in d["rejected_by_reason"].items()]
    rows += [{"metric": f"flag: {k}", "value": v} for k, v in d["flags"].items()]
    rows += [{"metric": f"removed: {k}", "value": v} for k, v in d["removed_by_rule"].items()]
    rows += [{"metric": "near-duplicates of earlier stories", "value": d["near_duplicates"]}]
    rows += [{"metric": "taken down (dropped, not stored)", "value": d.get("taken_down", 0)}]
    rows += [
        {"metric": f"{name} table version", "value": v}
        for name, v in d.get("table_versions", {}).items()
    ]
    rows += [
        {"metric": "input files", "value": d["files"]},
        {"metric": "input files unchanged (skipped)", "value": d["files_skipped"]},
        {"metric": "shards", "value": d["shards"]},
        {"metric": "elapsed seconds", "value": d["seconds"]},
        {"metric": "pages per second", "value": d["pages_per_second"]},
    ]
    return rows


_Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]


@flow(name="clean-pages", persist_result=False)
def clean_pages(
    inputs: Annotated[list[str], Field(min_length=1)],
    output: Annotated[str, Field(min_length=1)],
    policy: str | None = None,
    workers: Annotated[int | None, Field(ge=1, le=max_workers())] = None,
    batch_size: Annotated[int, Field(ge=1, le=MAX_BATCH_SIZE)] = DEFAULT_BATCH_SIZE,
    incremental: bool = False,
    reprocess: bool = False,
    dask_address: Annotated[str | None, Field(pattern=DASK_ADDRESS.pattern)] = None,
    page_timeout: Annotated[_Seconds, Field(le=MAX_PAGE_TIMEOUT)] = DEFAULT_PAGE_TIMEOUT,
    max_page_mb: Annotated[float, Field(ge=0, le=MAX_PAGE_MB, allow_inf_nan=False)] = (
        DEFAULT_MAX_PAGE_MB
    ),
    wait_for_lock: Annotated[_Seconds, Field(le=MAX_LOCK_WAIT)] = 0.0,
    storage_options: dict[str, dict[str, Any]] | None = None,
) -> dict:
    """Clean raw scraped pages into Parquet: `OUTPUT/articles` and `OUTPUT/rejects`.

    Args:
        inputs: Files, folders (walked recursively) or globs of raw pages, local or
            URLs (s3://bucket/landing, gs://, az://): .jsonl/.ndjson (optionally .gz),
            .warc(.gz), .html/.htm, .txt.
        output: Output folder or URL (s3://bucket/warehouse); `articles/`, `rejects/`
            and `_ledger/` go under it.
        policy: Moderation policy file (TOML). Empty keeps every page with main text.
        workers: Worker processes, at least 1 (at most 8 per core). Empty means one
            per core.
        batch_size: Pages per shard; each shard is one task and one Parquet part.
        incremental: Skip inputs that the output's ledger has already processed as
            they are now (same size and time, or same content hash).
        reprocess: Process every input again, even in an incremental run.
        dask_address: Scheduler of an existing Dask cluster (tcp://host:8786) to run
            the shards on; empty runs them in local processes. Inputs and output must
            be reachable from every Dask worker: object storage URLs (the workers read
            and write the bucket directly), or a shared mount.
        page_timeout: Seconds a page may take before it is rejected as `timeout`
            (0 = no limit).
        max_page_mb: Pages larger than this are rejected as `too_large` (0 = no limit).
        wait_for_lock: Seconds to wait when another run is writing to the same output;
            0 fails at once.
        storage_options: fsspec options by protocol, such as `{"s3": {"endpoint_url":
            "http://minio:9000"}}` (on the command line: s3.endpoint_url=http://minio:9000),
            added to what each filesystem takes from its environment (AWS_* variables for
            S3). Keep secrets in the environment.
    """
    # the parameters by the names flows/options.py declares (tests/test_options.py
    # checks this signature and docstring against that declaration)
    options = {name: value for name, value in locals().items() if name in NAMES}
    logger = get_run_logger()
    try:
        config = build_config(**options)
        where = config.dask_address or f"{config.workers} local workers"
        logger.info("cleaning %d input files on %s into %s", len(config.files), where, output)
        progress = create_progress_artifact(
            progress=0.0, key="clean-pages-progress", description="Input files finished"
        )

        def moved(done: int, total: int) -> None:
            update_progress_artifact(progress, progress=100.0 * done / max(total, 1))

        report = engine.run(config, TaskRunnerExecutor(config), on_input=moved).as_dict()
    except (UsageError, OutputLocked, OSError) as exc:
        # What a person can fix or wait out: one line in the run's log (the UI shows
        # it) and a Failed state whose message is that line, never a traceback. The
        # caller of the flow gets the exception itself (the CLI maps it to its exit
        # code). Anything else is a bug and keeps its traceback.
        message = _expected_failure(exc)
        logger.error(message)
        exc.newsclean_logged = True  # said in one line: see _OneLineFailures
        _OneLineFailures.install()
        return Failed(message=message, data=exc)
    update_progress_artifact(progress, progress=100.0)
    for line in engine.summary_lines(report):
        (logger.warning if line.startswith("warning: ") else logger.info)(line)
    report_path = _write_report(config.output, report, logger)
    create_table_artifact(
        key="clean-pages-report",
        table=report_table(report),
        description="Pages read, kept, flagged, rejected by reason, pieces removed by rule",
    )
    create_markdown_artifact(
        key="clean-pages-output",
        markdown=_output_markdown(config.output, report, report_path),
        description="This run's key figures, and where its Parquet output and report are",
    )
    return report


class _OneLineFailures(logging.Filter):
    """A flow run started by a worker ends in Prefect's engine, which logs every failed
    run's exception again, with its traceback ("Engine execution exited with unexpected
    exception"), on the run's logger. For a failure the flow has already said in one
    line (a bad parameter, a locked output) that record is dropped, and only that one:
    the UI's log view is what a person reads. Installed by the flow run that fails."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not getattr(exc, "newsclean_logged", False)

    @classmethod
    def install(cls) -> None:
        logger = logging.getLogger("prefect.flow_runs")
        if not any(isinstance(f, cls) for f in logger.filters):
            logger.addFilter(cls())


def _expected_failure(exc: BaseException) -> str:
    if isinstance(exc, UsageError):
        return f"{exc} (nothing was written: correct the parameter and run again)"
    if isinstance(exc, OutputLocked):
        return str(exc)
    return (
        f"cannot write output: {exc} (the inputs finished so far are complete; "
        f"run again to finish the rest)"
    )


def _write_report(output: str, report: dict[str, Any], logger) -> str | None:
    """The HTML report, which never fails a run whose data is written: an error is one
    line in the run's log and a warning in its summary (``newsclean report OUTPUT``
    tries again)."""
    try:
        path = write_report(output)
    except Exception as exc:  # noqa: BLE001 - the report is a view; the data is written
        message = (
            f"the report could not be written ({type(exc).__name__}: {str(exc)[:300]}); "
            f"the data is complete: try `newsclean report {output}`"
        )
        logger.warning(message)
        report.setdefault("warnings", []).append(message)
        return None
    logger.info("report: %s", path)
    return path


def _output_markdown(output: str, report: dict[str, Any], report_path: str | None) -> str:
    root = output
    reasons = ", ".join(f"{k} {v}" for k, v in report["rejected_by_reason"].items()) or "none"
    return (
        f"# clean-pages output\n\n"
        f"| pages read | kept | flagged | rejected | near-duplicates |\n"
        f"| --- | --- | --- | --- | --- |\n"
        f"| {report['pages']} | {report['kept']} | {report['flagged']} | "
        f"{report['rejected']} | {report['near_duplicates']} |\n\n"
        f"Rejected by reason: {reasons}.\n\n"
        + (
            f"Report (charts, what each rule cut, flagged pages, rejects, audit view): "
            f"`{report_path}`\n\n"
            if report_path
            else "The report could not be written this time (see the run's log).\n\n"
        )
        + f"- articles: `{root}/articles/` ({report['kept'] + report['flagged']} rows "
        f"written this run)\n"
        f"- rejects: `{root}/rejects/` ({report['rejected']} rows written this run)\n"
        f"- ledger: `{root}/_ledger/`\n\n"
        f"```sql\nselect * from read_parquet('{root}/articles/**/*.parquet');\n```\n"
    )

"""The ``newsclean`` command.

``newsclean run`` runs the pipeline. Without a Prefect API configured it runs the plain
path (no temporary Prefect server, so start-up stays short); with ``PREFECT_API_URL`` set
it runs the ``clean-pages`` flow, recorded on that server.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
PROGRESS_AFTER_SECONDS = 2.0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        self.exit(EXIT_USAGE, f"newsclean: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsclean", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="clean raw pages into Parquet")
    run.add_argument(
        "--input",
        "-i",
        dest="inputs",
        action="append",
        required=True,
        metavar="PATH",
        help="a file, a folder (walked recursively) or a glob; repeat for more",
    )
    run.add_argument("--output", "-o", required=True, metavar="DIR", help="output folder")
    run.add_argument("--policy", metavar="FILE", help="moderation policy (TOML)")
    run.add_argument(
        "--workers", type=int, metavar="N", help="worker processes (default: one per core)"
    )
    run.add_argument(
        "--batch-size", type=int, default=500, metavar="N", help="pages per shard (default 500)"
    )
    run.add_argument(
        "--incremental",
        action="store_true",
        help="skip inputs the output's ledger has already processed as they are now",
    )
    run.add_argument(
        "--reprocess", action="store_true", help="process every input again (with --incremental)"
    )
    run.add_argument(
        "--dask-address",
        metavar="URL",
        help="run the shards on an existing Dask cluster (tcp://host:8786), through the "
        "Prefect flow and prefect-dask",
    )
    run.add_argument(
        "--page-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="reject a page as `timeout` after this long (default 30; 0 = no limit)",
    )
    run.add_argument(
        "--max-page-mb",
        type=float,
        default=8.0,
        metavar="MB",
        help="reject larger pages as `too_large` (default 8)",
    )
    run.add_argument(
        "--wait-for-lock",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another run is writing to the output, wait this long for it (default: "
        "refuse at once)",
    )
    run.add_argument("--quiet", "-q", action="store_true", help="print no summary")
    return parser


class _Progress:
    """A rich progress line on stderr, shown only once a run has taken a few seconds."""

    def __init__(self) -> None:
        self._start = time.monotonic()
        self._pages = 0
        self._bar = None
        self._task = None

    def __call__(self, shard_report) -> None:
        self._pages += shard_report.pages
        if self._bar is None and time.monotonic() - self._start >= PROGRESS_AFTER_SECONDS:
            from rich.console import Console
            from rich.progress import (
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("cleaning"),
                MofNCompleteColumn(),
                TextColumn("pages"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task("pages", total=None)
            self._bar.start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self._pages)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _run(args: argparse.Namespace) -> int:
    from flows.readers import InputError, expand_inputs
    from flows.settings import (
        UsageError,
        check_output,
        check_run_arguments,
        load_policy,
        make_budget,
    )

    try:
        check_run_arguments(args.workers, args.batch_size)
        budget = make_budget(args.page_timeout, args.max_page_mb)
        policy = load_policy(args.policy)
        check_output(args.output)
        files = expand_inputs(args.inputs)
    except (UsageError, InputError) as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    if args.dask_address and not args.dask_address.startswith(("tcp://", "tls://")):
        print(
            f"newsclean: error: --dask-address must look like tcp://host:port, "
            f"not {args.dask_address}",
            file=sys.stderr,
        )
        return EXIT_USAGE

    if os.environ.get("PREFECT_API_URL") or args.dask_address:
        from flows.clean_pages import clean_pages

        summary = clean_pages(
            inputs=args.inputs,
            output=args.output,
            policy=args.policy,
            workers=args.workers,
            batch_size=args.batch_size,
            incremental=args.incremental,
            reprocess=args.reprocess,
            dask_address=args.dask_address,
            page_timeout=args.page_timeout,
            max_page_mb=args.max_page_mb,
            wait_for_lock=args.wait_for_lock,
        )
        lines = [f"{k}: {v}" for k, v in summary.items()]
    else:
        from flows.engine import run_local, run_locked
        from flows.lock import OutputLocked

        progress = _Progress()
        try:
            report = run_locked(
                files,
                args.output,
                args.incremental,
                args.reprocess,
                args.wait_for_lock,
                lambda plan: run_local(
                    plan,
                    args.output,
                    policy,
                    args.workers,
                    args.batch_size,
                    datetime.now(UTC),
                    on_shard=progress,
                    budget=budget,
                ),
            )
        except OutputLocked as exc:
            print(f"newsclean: error: {exc}", file=sys.stderr)
            return EXIT_LOCKED
        except OSError as exc:
            # A full disk or a folder that turned unwritable mid-run: parts already in
            # place are whole, the failed one was never renamed, the ledger does not
            # list the input, so the same command finishes the job later.
            print(f"newsclean: error: cannot write output: {exc}", file=sys.stderr)
            return EXIT_FAILED
        finally:
            progress.close()
        lines = report.summary_lines()
    if not args.quiet:
        for line in lines:
            print(line)
        print(f"output: {os.path.abspath(args.output)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())

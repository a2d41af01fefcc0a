"""The ``newsclean`` command.

``newsclean run`` runs the pipeline. Without a Prefect API configured it runs the plain
path (no temporary Prefect server, so start-up stays short); with ``PREFECT_API_URL`` set
it runs the ``clean-pages`` flow, recorded on that server. Both call the same run
function (``newsclean.flows.engine.run``) and end in the same exit codes.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from newsclean.flows.options import (
    DEFAULT_RETENTION_HOURS,
    DEFAULT_TARGET_MB,
    NAMES,
    RUN_OPTIONS,
)

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
    for option in RUN_OPTIONS:
        option.add_to(run)
    run.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    report = sub.add_parser(
        "report", help="write an HTML report of what an output's runs cut, flagged, rejected"
    )
    report.add_argument("output", metavar="OUTPUT", help="an output folder of newsclean run")
    report.add_argument(
        "--out", metavar="FILE", help="where to write it (default OUTPUT/report.html)"
    )
    report.add_argument(
        "--sample", type=int, default=5, metavar="N", help="cut lines shown per rule (default 5)"
    )
    report.add_argument(
        "--version",
        type=int,
        metavar="N",
        help="the tables as the run that committed version N of articles left them "
        "(time travel; default: now)",
    )
    show = sub.add_parser("show", help="print the audit view of one article")
    show.add_argument("output", metavar="OUTPUT", help="an output folder of newsclean run")
    show.add_argument("doc_id", metavar="DOC_ID")
    compact = sub.add_parser(
        "compact", help="merge the tables' small files and remove files older versions held"
    )
    compact.add_argument("output", metavar="OUTPUT", help="an output folder of newsclean run")
    compact.add_argument(
        "--target-mb",
        type=float,
        default=DEFAULT_TARGET_MB,
        metavar="MB",
        help=f"size of the merged files (default {DEFAULT_TARGET_MB})",
    )
    compact.add_argument(
        "--retention-hours",
        type=float,
        default=DEFAULT_RETENTION_HOURS,
        metavar="H",
        help=f"keep the files of the versions of the last H hours for time travel "
        f"(default {DEFAULT_RETENTION_HOURS}, a week)",
    )
    takedown = sub.add_parser(
        "takedown",
        help="remove a page (by doc_id or URL) or a whole domain for good, with a reason",
    )
    takedown.add_argument("output", metavar="OUTPUT", help="an output folder of newsclean run")
    which = takedown.add_mutually_exclusive_group(required=True)
    which.add_argument("--doc-id", metavar="ID")
    which.add_argument("--url", metavar="URL")
    which.add_argument("--domain", metavar="DOMAIN", help="the domain and its subdomains")
    takedown.add_argument("--reason", required=True, metavar="TEXT", help="why (recorded)")
    takedown.add_argument(
        "--purge",
        action="store_true",
        help="also delete the files that held the pages now (no time travel back to them)",
    )
    migrate = sub.add_parser(
        "migrate", help="make an output of an earlier version (plain Parquet parts) tables"
    )
    migrate.add_argument("output", metavar="OUTPUT", help="an output folder of newsclean run")
    for command in (compact, takedown, migrate):
        command.add_argument(
            "--wait-for-lock",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="wait this long for a run that holds the output (default: fail at once)",
        )
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
    """Every branch of a run ends here in the same exit codes and one-line messages."""
    from newsclean.flows.config import UsageError, build_config, parse_storage_options
    from newsclean.flows.lock import OutputLocked
    from newsclean.flows.supervisor import Interrupted

    progress = None
    if not (os.environ.get("PREFECT_API_URL") or args.dask_address):
        # a local run: its first cleaning child starts now, while this process imports
        # and plans (about a second of start-up each, in parallel rather than in turn)
        from newsclean.flows.supervisor import prestart

        prestart()
    try:
        # the same arguments, by the same names, for the run function and the flow
        options = {name: getattr(args, name) for name in NAMES}
        options["storage_options"] = parse_storage_options(args.storage_options) or None
        config = build_config(**options)
        if os.environ.get("PREFECT_API_URL") or config.dask_address:
            # Through the flow, so that the run is recorded on the Prefect API (and Dask
            # runs need prefect-dask's task runner). The flow checks the same arguments.
            from prefect.exceptions import TerminationSignal

            from newsclean.flows.clean_pages import clean_pages
            from newsclean.flows.supervisor import stop_on_signals

            # Prefect's engine handles SIGTERM inside the flow run and passes it on to
            # the handler that was there before: this one, so the command ends as a
            # plain run does (one line, exit 143) and never by the default action.
            with _prefect_output_held(), stop_on_signals():
                try:
                    summary = clean_pages(**options)
                except TerminationSignal as exc:
                    raise Interrupted(exc.signal) from None
        else:
            from newsclean.flows.engine import run

            # a progress line is for a person at a terminal, not for cron logs or pipes
            progress = _Progress() if sys.stderr.isatty() and not args.quiet else None
            summary = run(config, on_shard=progress).as_dict()
    except UsageError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except OutputLocked as exc:
        return _fail(EXIT_LOCKED, str(exc))
    except Interrupted as exc:
        name = signal.Signals(exc.signum).name
        return _fail(
            128 + exc.signum,
            f"interrupted by {name}: workers stopped, the output holds the inputs finished "
            f"so far; run the same command again to complete it",
        )
    except OSError as exc:
        # A full disk or a folder that turned unwritable mid-run: parts already in
        # place are whole, the failed one was never renamed, the ledger does not list
        # the input, so the same command finishes the job later.
        return _fail(EXIT_FAILED, f"cannot write output: {exc}")
    finally:
        if progress is not None:
            progress.close()
    if not args.quiet:
        from newsclean.flows.engine import summary_lines

        for line in summary_lines(summary):
            print(line)
        from newsclean.flows.storage import normalize

        print(f"output: {normalize(args.output)}")
    return 0


@contextmanager
def _prefect_output_held() -> Iterator[None]:
    """Prefect and the temporary server it starts print their own log lines (and a
    failed run's traceback) on the terminal; the command prints one summary, or one line
    for an error, on every path. The run's logs still go to the Prefect API, where the
    UI shows them. What was held back is shown only when the run fails in a way the
    command has no message for."""
    import atexit
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        except BaseException as exc:
            if not isinstance(exc, _KNOWN_FAILURES()):
                sys.stderr.flush()
                os.dup2(saved, 2)
                held.seek(0)
                sys.stderr.write(held.read().decode("utf-8", "replace"))
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            # A temporary server started by the run stops at exit, saying so: registered
            # after it, this runs first (atexit goes last-in, first-out) and sends that
            # farewell where the rest went.
            atexit.register(_stderr_to_devnull)


def _stderr_to_devnull() -> None:
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _KNOWN_FAILURES() -> tuple[type[BaseException], ...]:  # noqa: N802 - reads as a constant
    from newsclean.flows.config import UsageError
    from newsclean.flows.lock import OutputLocked
    from newsclean.flows.supervisor import Interrupted

    return (UsageError, OutputLocked, OSError, Interrupted)


def _fail(code: int, message: str) -> int:
    print(f"newsclean: error: {message}", file=sys.stderr)
    return code


def _report(args: argparse.Namespace) -> int:
    from newsclean.flows.report import write_report

    if not 1 <= args.sample <= 1000:
        return _fail(EXIT_USAGE, f"sample must be from 1 to 1000, not {args.sample}")
    try:
        path = write_report(args.output, args.out, args.sample, args.version)
    except FileNotFoundError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except OSError as exc:
        return _fail(EXIT_FAILED, f"cannot write the report: {exc}")
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        return _fail(EXIT_FAILED, f"cannot write the report: {type(exc).__name__}: {exc}")
    print(f"report: {path}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from newsclean.flows.report import show

    try:
        found = show(args.output, args.doc_id)
    except FileNotFoundError as exc:
        return _fail(EXIT_USAGE, str(exc))
    if not found:
        return _fail(EXIT_USAGE, f"no article with doc_id {args.doc_id} in {args.output}")
    return 0


def _maintain(args: argparse.Namespace) -> int:
    """compact, takedown and migrate: one line of what was done, or one of why not."""
    from newsclean.flows import maintenance, storage
    from newsclean.flows.lock import OutputLocked

    if not storage.is_remote(args.output) and not os.path.isdir(args.output):
        return _fail(EXIT_USAGE, f"no output folder at {args.output}")
    try:
        if args.command == "compact":
            if args.target_mb <= 0 or args.retention_hours < 0:
                return _fail(EXIT_USAGE, "--target-mb must be above 0, --retention-hours 0 or more")
            done = maintenance.compact(
                args.output, args.target_mb, args.retention_hours, args.wait_for_lock
            )
            for name, d in done.items():
                print(
                    f"{name}: {d['files_before']} -> {d['files_after']} files, "
                    f"{d['files_vacuumed']} removed by vacuum, version {d['version']}"
                )
        elif args.command == "takedown":
            kind = next(k for k in maintenance.KINDS if getattr(args, k) is not None)
            record = maintenance.takedown(
                args.output, kind, getattr(args, kind), args.reason, args.purge, args.wait_for_lock
            )
            print(
                f"taken down {kind} {record['value']}: {record['articles_removed']} articles, "
                f"{record['rejects_removed']} rejects, {record['index_entries_removed']} "
                f"index entries removed; later runs drop its pages"
            )
        else:
            migrated = maintenance.migrate(args.output, args.wait_for_lock)
            print(f"{len(migrated)} Parquet parts migrated" if migrated else "nothing to migrate")
    except OutputLocked as exc:
        return _fail(EXIT_LOCKED, str(exc))
    except ValueError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except OSError as exc:
        return _fail(EXIT_FAILED, f"cannot change the output: {exc}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("compact", "takedown", "migrate"):
        return _maintain(args)
    if args.command == "run":
        return _run(args)
    if args.command == "report":
        return _report(args)
    if args.command == "show":
        return _show(args)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())

"""A run's options, declared once: name, type, default, bounds and the one description a
person reads, in the CLI's help and in the Prefect UI's form alike.

``newsclean run`` builds its flags from ``RUN_OPTIONS``; ``build_config`` checks the
values against the same bounds. The flow ``clean-pages`` must spell its parameters in its
own source, because ``prefect deploy`` reads the form (names, types, defaults, the
docstring's descriptions) from the source text without importing it: tests/test_options.py
checks that the flow's signature, its docstring and ``prefect.yaml``'s parameters say
exactly what this declaration says.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from typing import Any

DEFAULT_BATCH_SIZE = 500
DEFAULT_PAGE_TIMEOUT = 30.0
DEFAULT_MAX_PAGE_MB = 8.0
# Upper bounds: past these a value is a typo, and some (inf, 1e400) would overflow the
# timers and sizes they feed.
MAX_BATCH_SIZE = 100_000
MAX_PAGE_TIMEOUT = 24 * 3600.0
MAX_PAGE_MB = 1024.0
MAX_LOCK_WAIT = 7 * 24 * 3600.0
DASK_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx)://\S+$")


@dataclass(frozen=True, slots=True)
class Option:
    name: str  # the parameter's name: build_config's, the flow's, prefect.yaml's
    flags: tuple[str, ...]  # on the command line
    kind: type  # str, int, float, bool, list (of str) or dict (storage options)
    help: str
    default: Any = None
    metavar: str | None = None
    required: bool = False

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        """This option as a flag of ``newsclean run``."""
        text = " ".join(self.help.split())
        if self.default is not None and self.kind is not bool:
            text += f" (default {self.default:g})"
        if self.kind is bool:
            parser.add_argument(*self.flags, dest=self.name, action="store_true", help=text)
        elif self.kind in (list, dict):  # repeated; dict: PROTOCOL.KEY=VALUE items
            parser.add_argument(
                *self.flags,
                dest=self.name,
                action="append",
                required=self.required,
                metavar=self.metavar,
                help=text + " (repeat for more)",
            )
        else:
            parser.add_argument(
                *self.flags,
                dest=self.name,
                type=self.kind,
                default=self.default,
                required=self.required,
                metavar=self.metavar,
                help=text,
            )


RUN_OPTIONS: tuple[Option, ...] = (
    Option(
        "inputs",
        ("--input", "-i"),
        list,
        "Files, folders (walked recursively) or globs of raw pages, local or URLs "
        "(s3://bucket/landing, gs://, az://): .jsonl/.ndjson (optionally .gz), .warc(.gz), "
        ".html/.htm, .txt.",
        metavar="PATH",
        required=True,
    ),
    Option(
        "output",
        ("--output", "-o"),
        str,
        "Output folder or URL (s3://bucket/warehouse); `articles/`, `rejects/` and "
        "`_ledger/` go under it.",
        metavar="DIR",
        required=True,
    ),
    Option(
        "policy",
        ("--policy",),
        str,
        "Moderation policy file (TOML). Empty keeps every page with main text.",
        metavar="FILE",
    ),
    Option(
        "workers",
        ("--workers",),
        int,
        "Worker processes, at least 1 (at most 8 per core). Empty means one per core.",
        metavar="N",
    ),
    Option(
        "batch_size",
        ("--batch-size",),
        int,
        "Pages per shard; each shard is one task and one Parquet part.",
        DEFAULT_BATCH_SIZE,
        metavar="N",
    ),
    Option(
        "incremental",
        ("--incremental",),
        bool,
        "Skip inputs that the output's ledger has already processed as they are now "
        "(same size and time, or same content hash).",
        False,
    ),
    Option(
        "reprocess",
        ("--reprocess",),
        bool,
        "Process every input again, even in an incremental run.",
        False,
    ),
    Option(
        "dask_address",
        ("--dask-address",),
        str,
        "Scheduler of an existing Dask cluster (tcp://host:8786) to run the shards on; "
        "empty runs them in local processes. Inputs and output must be reachable from "
        "every Dask worker: object storage URLs (the workers read and write the bucket "
        "directly), or a shared mount.",
        metavar="URL",
    ),
    Option(
        "page_timeout",
        ("--page-timeout",),
        float,
        "Seconds a page may take before it is rejected as `timeout` (0 = no limit).",
        DEFAULT_PAGE_TIMEOUT,
        metavar="SECONDS",
    ),
    Option(
        "max_page_mb",
        ("--max-page-mb",),
        float,
        "Pages larger than this are rejected as `too_large` (0 = no limit).",
        DEFAULT_MAX_PAGE_MB,
        metavar="MB",
    ),
    Option(
        "wait_for_lock",
        ("--wait-for-lock",),
        float,
        "Seconds to wait when another run is writing to the same output; 0 fails at once.",
        0.0,
        metavar="SECONDS",
    ),
    Option(
        "storage_options",
        ("--storage-option",),
        dict,
        'fsspec options by protocol, such as `{"s3": {"endpoint_url": '
        '"http://minio:9000"}}` (on the command line: s3.endpoint_url=http://minio:9000), '
        "added to what each filesystem takes from its environment (AWS_* variables for "
        "S3). Keep secrets in the environment.",
        metavar="PROTOCOL.KEY=VALUE",
    ),
)

NAMES = tuple(option.name for option in RUN_OPTIONS)


# `newsclean compact` and its deployment: merged files of about this size, and the files
# of the versions of the last week kept for time travel
DEFAULT_TARGET_MB = 128
DEFAULT_RETENTION_HOURS = 7 * 24

"""A run's configuration, built and checked once, the same way for every caller.

The CLI (with or without a Prefect API), the flow ``clean-pages`` and the tests all call
``build_config``: an argument the run cannot use raises ``UsageError`` with one line for
the user, before anything is read or written. The result is frozen, so no step of a run
can change what the others were told.
"""

from __future__ import annotations

import math
import os
import tempfile
import tomllib
from dataclasses import dataclass

from pydantic import ValidationError

from newsclean.flows import options as declared  # names, defaults and bounds
from newsclean.flows import storage
from newsclean.flows.readers import InputError, expand_inputs
from newsclean.schemas.policy import DEFAULT_POLICY, Policy, describe_error

# Workers are processes of ~300 MiB each: more than a few per core only costs memory.
WORKERS_PER_CORE = 8


class UsageError(ValueError):
    """An argument the run cannot use; its message is one line for the user."""


def max_workers() -> int:
    return WORKERS_PER_CORE * (os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Budget:
    """Per-page limits, so that one pathological page cannot hold a shard.

    ``page_timeout``: seconds of cleaning a page may take before it is rejected as
    `timeout`. ``max_page_bytes``: larger pages are rejected as `too_large` unread.
    None means no limit.
    """

    page_timeout: float | None = declared.DEFAULT_PAGE_TIMEOUT
    max_page_bytes: int | None = int(declared.DEFAULT_MAX_PAGE_MB * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Everything a run needs to know, checked."""

    # the inputs, expanded: absolute paths or URLs, sorted, no repeats
    files: tuple[str, ...]
    output: str  # an absolute path, or a URL without a trailing slash
    policy: Policy
    workers: int
    batch_size: int
    incremental: bool
    reprocess: bool
    budget: Budget
    wait_for_lock: float
    dask_address: str | None = None
    # fsspec storage options by protocol ({"s3": {"endpoint_url": ...}}), added to what
    # each filesystem takes from its environment
    storage_options: dict[str, dict] | None = None


def build_config(
    *,
    inputs: list[str] | tuple[str, ...],
    output: str,
    policy: str | None = None,
    workers: int | None = None,
    batch_size: int = declared.DEFAULT_BATCH_SIZE,
    incremental: bool = False,
    reprocess: bool = False,
    page_timeout: float = declared.DEFAULT_PAGE_TIMEOUT,
    max_page_mb: float = declared.DEFAULT_MAX_PAGE_MB,
    wait_for_lock: float = 0.0,
    dask_address: str | None = None,
    storage_options: dict[str, dict] | list[str] | None = None,
) -> RunConfig:
    """Check every argument and expand the inputs; raises UsageError."""
    workers = _count("workers", workers, max_workers()) if workers is not None else None
    batch_size = _count("batch size", batch_size, declared.MAX_BATCH_SIZE)
    page_timeout = _amount("page timeout", page_timeout, declared.MAX_PAGE_TIMEOUT, "seconds")
    max_page_mb = _amount("maximum page size", max_page_mb, declared.MAX_PAGE_MB, "MB")
    wait_for_lock = _amount("lock wait", wait_for_lock, declared.MAX_LOCK_WAIT, "seconds")
    if dask_address is not None and not declared.DASK_ADDRESS.match(dask_address):
        raise UsageError(
            f"dask address must look like tcp://host:port (or tls://, inproc://, ucx://), "
            f"not {dask_address!r}"
        )
    loaded = load_policy(policy)
    options = parse_storage_options(storage_options)
    storage.use_options(options)
    check_output(output)
    try:
        files = expand_inputs(list(inputs))
    except InputError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:  # no package for a URL, no credentials, an unknown bucket
        raise UsageError(_one_line(exc)) from None
    return RunConfig(
        files=tuple(files),
        output=storage.normalize(output),
        policy=loaded,
        workers=workers or (os.cpu_count() or 1),
        batch_size=batch_size,
        incremental=incremental,
        reprocess=reprocess,
        budget=Budget(
            page_timeout=page_timeout or None,
            max_page_bytes=int(max_page_mb * 1024 * 1024) or None,
        ),
        wait_for_lock=wait_for_lock,
        dask_address=dask_address,
        storage_options=options or None,
    )


def parse_storage_options(value: dict[str, dict] | list[str] | None) -> dict[str, dict]:
    """Storage options by protocol, from a mapping or from ``PROTOCOL.KEY=VALUE`` items
    (the CLI's ``--storage-option s3.endpoint_url=http://...``). Values that read as
    JSON (numbers, true/false, objects) are taken as such."""
    import json

    if not value:
        return {}
    if isinstance(value, dict):
        if not all(isinstance(v, dict) for v in value.values()):
            raise UsageError("storage options must map a protocol to its options")
        return {str(k): dict(v) for k, v in value.items()}
    options: dict[str, dict] = {}
    for item in value:
        name, sep, raw = item.partition("=")
        proto, dot, key = name.partition(".")
        if not (sep and dot and proto and key):
            raise UsageError(
                f"storage option must look like PROTOCOL.KEY=VALUE "
                f"(s3.endpoint_url=http://...), not {item!r}"
            )
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw
        options.setdefault(proto, {})[key] = parsed
    return options


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _count(name: str, value: object, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
        raise UsageError(f"{name} must be a whole number from 1 to {top}, not {value}")
    return value


def _amount(name: str, value: object, top: float, unit: str) -> float:
    """A finite number from 0 (no limit, or no wait) to ``top``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"{name} must be a number of {unit}, not {value!r}")
    if math.isnan(value) or not 0 <= value <= top:
        raise UsageError(f"{name} must be from 0 to {top:g} {unit}, not {value:g}")
    return float(value)


def load_policy(path: str | None) -> Policy:
    if path is None:
        return DEFAULT_POLICY
    try:
        with open(path, "rb") as fh:
            data = tomllib.loads(fh.read().decode("utf-8"))
    except FileNotFoundError:
        raise UsageError(f"policy file does not exist: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"policy file is a folder: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read policy file {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"policy file {path} is not UTF-8 text (byte {exc.start}): TOML must be UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"policy file {path} is not valid TOML: {exc}") from None
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise UsageError(f"policy file {path}: {describe_error(exc)}") from None


def _check_remote_output(output: str) -> None:
    """An output on object storage: its bucket must exist and answer (which also checks
    the package, the credentials and the endpoint), and it must not be an object."""
    bucket = output.split("://", 1)[1].split("/", 1)[0]
    if not bucket:
        raise UsageError(f"output URL names no bucket: {output}")
    try:
        fs, key = storage.filesystem(output)
        try:
            fs.info(key.split("/", 1)[0])
        except FileNotFoundError:
            raise UsageError(
                f"output bucket does not exist: {output.split('://')[0]}://{bucket}"
            ) from None
        if "/" in key.strip("/") and fs.isfile(key):
            raise UsageError(f"output is an object, not a prefix: {output}")
    except UsageError:
        raise
    except storage.StorageError as exc:
        raise UsageError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - botocore and friends have their own types
        raise UsageError(f"output cannot be reached: {output}: {_one_line(exc)}") from None


def check_output(output: str) -> None:
    """Refuse an output that is a file or sits where nothing can be created. The test is
    a real one (a temporary folder made and removed where the output would go, since
    permission bits say nothing about /proc or a read-only mount), and leaves nothing."""
    if not output or not output.strip():
        raise UsageError("output must be a folder path")
    if storage.is_remote(output):
        _check_remote_output(output)
        return
    path = os.path.abspath(storage.local(output))
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"output is not a folder: {output}")
    probe = path
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if not os.path.isdir(probe):
        raise UsageError(f"output cannot be created: {probe} is not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".newsclean-probe-", dir=probe))
    except OSError as exc:
        raise UsageError(f"output cannot be written: {probe}: {exc.strerror}") from None

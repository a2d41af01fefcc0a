"""Checking a run's arguments before any page is read: a bad policy file or an output
folder that cannot be written stops the run with one line, and nothing is written."""

from __future__ import annotations

import os
import tomllib

from pydantic import ValidationError

from schemas.policy import DEFAULT_POLICY, Policy, describe_error


class UsageError(ValueError):
    """An argument the run cannot use; its message is one line for the user."""


def load_policy(path: str | None) -> Policy:
    if path is None:
        return DEFAULT_POLICY
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError(f"policy file does not exist: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read policy file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"policy file {path} is not valid TOML: {exc}") from None
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise UsageError(f"policy file {path}: {describe_error(exc)}") from None


def check_output(output: str) -> None:
    """Refuse an output that is a file or sits where nothing can be created, without
    creating anything yet."""
    if not output or not output.strip():
        raise UsageError("output must be a folder path")
    path = os.path.abspath(output)
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
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"output cannot be written: no write permission on {probe}")


def check_run_arguments(workers: int | None, batch_size: int) -> None:
    if workers is not None and workers < 1:
        raise UsageError(f"workers must be 1 or more, not {workers}")
    if batch_size < 1:
        raise UsageError(f"batch size must be 1 or more, not {batch_size}")


def make_budget(page_timeout: float | None, max_page_mb: float | None):
    """The per-page limits from user-facing units (seconds, megabytes; 0 = no limit)."""
    from flows.engine import Budget

    for name, value in (("page timeout", page_timeout), ("maximum page size", max_page_mb)):
        if value is not None and value < 0:
            raise UsageError(f"{name} must be 0 or more, not {value:g}")
    return Budget(
        page_timeout=page_timeout or None,
        max_page_bytes=int(max_page_mb * 1024 * 1024) if max_page_mb else None,
    )

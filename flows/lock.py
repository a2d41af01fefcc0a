"""One run at a time per output folder.

A scheduled run and a manual run into the same output would interleave their parts,
ledger entries and duplicate index. The driver takes an exclusive `flock` on
`OUTPUT/_ledger/lock` for the whole run; the kernel drops it when the process dies, even
by SIGKILL, so a crashed run never leaves the output locked.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from newsclean.flows.ledger import LEDGER_DIR


class OutputLocked(RuntimeError):
    """Another run holds the output."""


@contextmanager
def output_lock(output: str, wait_seconds: float = 0.0) -> Iterator[None]:
    folder = os.path.join(output, LEDGER_DIR)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputLocked(_held_by(path, output)) from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            json.dumps({"pid": os.getpid(), "since": datetime.now(UTC).isoformat()}).encode(),
            0,
        )
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _held_by(path: str, output: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            info = json.load(fh)
        who = f" (pid {info['pid']}, since {info['since']})"
    except (OSError, ValueError, KeyError):
        who = ""
    return f"another newsclean run is writing to {output}{who}; try again when it is done"

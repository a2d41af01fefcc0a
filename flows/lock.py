"""One run at a time per output.

A scheduled run and a manual run into the same output would interleave their parts,
ledger entries and duplicate index. The driver holds the output's lock for the whole
run, at ``OUTPUT/_ledger/lock``:

* on a local disk, an exclusive ``flock``; the kernel drops it when the process dies,
  even by SIGKILL, so a crashed run never leaves the output locked;
* on object storage, an object created only if none exists (``If-None-Match: *``),
  holding a lease that the live run renews (replacing the object only if it is still
  the one it wrote: ``If-Match``). A run that dies stops renewing; once its lease has
  run out the next run removes that very object (``If-Match`` again, so never a lock
  renewed meanwhile) and takes its own. Clocks must agree to well within the lease.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from newsclean.flows import storage
from newsclean.flows.ledger import LEDGER_DIR

# Seconds an object-storage lock outlives the last renewal of its run.
DEFAULT_LEASE_SECONDS = 60.0


class OutputLocked(RuntimeError):
    """Another run holds the output (or took it over after this run lost its lease)."""


class Lease:
    """What the run asks of its lock while it works: ``check`` raises OutputLocked once
    the lock is no longer this run's (object storage only: a local lock cannot be lost)."""

    lost: str | None = None

    def check(self) -> None:
        if self.lost:
            raise OutputLocked(self.lost)


@contextmanager
def output_lock(output: str, wait_seconds: float = 0.0) -> Iterator[Lease]:
    if storage.is_remote(output):
        with _object_lock(output, wait_seconds) as lease:
            yield lease
        return
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
                    raise OutputLocked(_held_by(_read_local(path), output)) from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(_holder()).encode(), 0)
        yield Lease()
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _holder(lease: float | None = None) -> dict:
    info = {"pid": os.getpid(), "host": socket.gethostname(), "since": _now_iso()}
    if lease is not None:
        info["expires"] = time.time() + lease
    return info


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _read_local(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _held_by(info: dict, output: str) -> str:
    who = ""
    if "pid" in info and "since" in info:
        host = f" on {info['host']}" if info.get("host") else ""
        who = f" (pid {info['pid']}{host}, since {info['since']})"
    return f"another newsclean run is writing to {output}{who}; try again when it is done"


def lease_seconds() -> float:
    """The lease of an object-storage lock: NEWSCLEAN_LOCK_LEASE_SECONDS, or 60."""
    try:
        value = float(os.environ.get("NEWSCLEAN_LOCK_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    except ValueError:
        return DEFAULT_LEASE_SECONDS
    return min(max(value, 1.0), 3600.0)


class _ObjectLock(Lease):
    """A lease on object storage. ``check`` trusts the lease only while the last renewal
    the store confirmed is recent (under half the lease ago, by this process's
    monotonic clock, which a pause of the process does not fool: it stops too, but the
    time it stood still still passes); older, it renews on the spot before saying yes.
    A run that was paused past its lease (a GC pause, a suspended VM, SIGSTOP) so learns
    that it lost the lock before its next write, and a run whose renewals fail for two
    thirds of the lease gives it up rather than write on a lease it may no longer hold."""

    def __init__(self, output: str, lease: float) -> None:
        self.output = output
        self.url = storage.join(output, LEDGER_DIR, "lock")
        self.fs, self.key = storage.filesystem(self.url)
        self.lease = lease
        self.etag: str | None = None
        self.since = _now_iso()
        self.renewed = time.monotonic()  # when the last confirmed write was sent
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._turn = threading.Lock()  # one renewal at a time: the thread's or check's

    # -- conditional requests: S3 where the store is S3, a best effort elsewhere ---------

    @property
    def _s3(self) -> bool:
        return hasattr(self.fs, "call_s3")

    def _body(self) -> bytes:
        info = _holder(self.lease) | {"since": self.since}
        return json.dumps(info).encode()

    def _etag_of(self, response) -> str | None:
        if isinstance(response, dict) and response.get("ETag"):
            return response["ETag"]
        try:
            return self.fs.info(self.key).get("ETag") or "written"
        except FileNotFoundError:
            return None

    def _create(self) -> bool:
        sent = time.monotonic()
        try:
            out = self.fs.pipe_file(self.key, self._body(), mode="create")
        except FileExistsError:
            return False
        self.etag = self._etag_of(out)
        self.renewed = sent
        return True

    def _replace(self) -> bool:
        """Renew: write a new expiry, if the lock is still the one this run wrote."""
        sent = time.monotonic()
        if self._replace_as_written():
            self.renewed = sent
            return True
        return False

    def _replace_as_written(self) -> bool:
        if self._s3:
            bucket, key, _ = self.fs.split_path(self.key)
            try:
                out = self.fs.call_s3(
                    "put_object", Bucket=bucket, Key=key, Body=self._body(), IfMatch=self.etag
                )
            except OSError:
                if self._current()[0] == self.etag:
                    raise  # still ours: the request failed, not the condition
                return False
            self.etag = out["ETag"]
            return True
        if self._current()[0] != self.etag:
            return False
        self.etag = self._etag_of(self.fs.pipe_file(self.key, self._body()))
        return True

    def _delete(self, etag: str) -> None:
        """Remove the lock object if it is still ``etag``."""
        if self._s3:
            bucket, key, _ = self.fs.split_path(self.key)
            with suppress(OSError, FileNotFoundError):
                self.fs.call_s3("delete_object", Bucket=bucket, Key=key, IfMatch=etag)
            return
        if self._current()[0] == etag:
            storage.remove(self.url)

    def _current(self) -> tuple[str | None, dict]:
        """The lock object's ETag and content (ETag first: content read after it is at
        least as new, so an expiry seen there belongs to that ETag or a later one)."""
        try:
            etag = self.fs.info(self.key).get("ETag") or ""
            info = json.loads(self.fs.cat_file(self.key))
        except FileNotFoundError:
            return None, {}
        except ValueError:
            return etag, {}
        return etag, info

    # -- the lock ------------------------------------------------------------------------

    def acquire(self, wait_seconds: float) -> None:
        deadline = time.monotonic() + wait_seconds
        while not self._create():
            etag, info = self._current()
            if etag is not None and float(info.get("expires", 0)) < time.time():
                self._delete(etag)  # a dead run's: its lease ran out
                continue
            if time.monotonic() >= deadline:
                raise OutputLocked(_held_by(info, self.output))
            time.sleep(min(1.0, max(0.1, deadline - time.monotonic())))
        self._thread = threading.Thread(target=self._renew, name="newsclean-lease", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        while not self._stop.wait(self.lease / 3):
            if not self._renew_once():
                return

    def _renew_once(self) -> bool:
        """One renewal; False (and ``lost`` set) once the lease is not this run's."""
        with self._turn:
            if self.lost:
                return False
            try:
                if self._replace():
                    return True
                self.lost = (
                    f"this run lost its lock on {self.output} (its lease ran out and "
                    f"another run took it); the rerun completes what this one left"
                )
            except Exception as exc:  # noqa: BLE001 - botocore and friends have their own
                if time.monotonic() - self.renewed < self.lease * 2 / 3:
                    return True  # the store out of reach for now: the next turn retries
                self.lost = (
                    f"this run could not renew its lock on {self.output} "
                    f"({type(exc).__name__}: {str(exc)[:200]}) and stopped before its "
                    f"lease ran out; the rerun completes what this one left"
                )
            return False

    def check(self) -> None:
        if not self.lost and time.monotonic() - self.renewed >= self.lease / 2:
            self._renew_once()
        super().check()

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.etag and not self.lost:
            self._delete(self.etag)


@contextmanager
def _object_lock(output: str, wait_seconds: float) -> Iterator[Lease]:
    lock = _ObjectLock(output, lease_seconds())
    lock.acquire(wait_seconds)
    try:
        yield lock
    finally:
        lock.release()

"""Supervised cleaning: every page is cleaned in a child process that the caller can kill.

A page that spends minutes inside one C call (lxml on a 7 MB table, a regex on a 5 MB
line) cannot be stopped from inside its own process: a signal handler runs only between
Python bytecodes. So the pages of a shard go one at a time to a long-lived child
process (a ``PageWorker``), and the caller waits for each answer with a deadline:

* over the deadline, the child is killed (SIGKILL, which no C call can hold off), the page
  becomes a `timeout` reject, and a fresh child takes the next page;
* a child that dies on a page (a segfault in a C extension, the out-of-memory killer) is
  replaced and the page is tried once more; if it kills the second child too, it becomes
  a `worker_crashed` reject. Either way the rest of the shard goes on;
* children never outlive their parent: the kernel kills them when the thread that started
  them ends (``PR_SET_PDEATHSIG``), even by SIGKILL, and they exit when their pipe closes.
  They inherit no file descriptors (so never the output's lock).

The same worker serves every path: the driver's threads on a local run, and each Dask
worker thread on a cluster (where ``subprocess`` works in daemonic worker processes,
unlike ``multiprocessing``). datatrove's ``ExtractorSandbox`` does the same for its
extractors, but drops a page it had to kill; here every such page is a reject row.

Cost: the page and its result are pickled through a pipe, about 0.3 ms a page
(benchmarks/throughput.py measures it).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

from newsclean.schemas.policy import Policy
from newsclean.schemas.reasons import Reason
from newsclean.schemas.records import Article, RawPage, Rejection

_HEADER = struct.Struct("<Q")
# A child loads trafilatura, lxml and the language profiles before it says it is ready.
STARTUP_SECONDS = 120.0
# A test hook standing in for a page that crashes a C extension: a child started with
# this variable set kills itself (SIGKILL) on a page whose content holds the marker.
CRASH_MARKER_ENV = "NEWSCLEAN_TEST_CRASH_MARKER"
_PARENT_ENV = "NEWSCLEAN_PARENT_PID"


class Interrupted(BaseException):  # noqa: N818 - the name says what happened to the run
    """The run was stopped by a signal (SIGINT or SIGTERM); ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Died(Exception):
    """The child exited or its pipe broke."""


class _Overdue(Exception):
    """The child did not answer within the page's deadline."""


# Every live child in this process, so that a signal can stop them all at once.
_LIVE: set[PageWorker] = set()
_LIVE_LOCK = threading.Lock()
_STOP = threading.Event()
_STOP_SIGNAL = [0]


class PageWorker:
    """One child process that cleans pages under ``policy``, one at a time."""

    def __init__(self, policy: Policy, max_page_bytes: int | None) -> None:
        self.policy = policy
        self.max_page_bytes = max_page_bytes
        self.run_id: str | None = None  # the run whose pages it cleans now
        self._proc: subprocess.Popen | None = None
        self.started = 0  # children started, for the run's counts and the tests

    # -- the caller's side -------------------------------------------------------------

    def clean(self, page: RawPage, timeout: float | None, attempts: int = 2) -> Article | Rejection:
        """The page's article or rejection, cleaned in the child within ``timeout``
        seconds (None: no limit); a child that dies on it is replaced and the page tried
        again, ``attempts`` times in all."""
        return self.submit(page, timeout, attempts)()

    def submit(
        self, page: RawPage, timeout: float | None, attempts: int = 2
    ) -> Callable[[], Article | Rejection]:
        """Send the page to the child and return what waits for its answer, so that the
        caller can store the answer of the page before while the child cleans this one
        (a run's driver builds rows and reads the next record on one core while the
        child cleans on the other). Only one page is ever in the child: the caller asks
        for an answer before it submits the next page. The deadline counts from the
        send."""
        from newsclean.cleaners.pipeline import reject

        self._check_stop()
        if self._proc is None or self._proc.poll() is not None:
            self._start_with_retries()
        proc = self._proc
        try:
            self._send(page)  # the child is idle, reading: this never waits on it
        except _Died:
            self.stop()
            return self._again(page, timeout, attempts)
        deadline = None if timeout is None else time.monotonic() + timeout

        def answer() -> Article | Rejection:
            if self._proc is not proc:  # stopped since (a cancel): clean it anew
                return self.clean(page, timeout, attempts)
            try:
                return self._receive(deadline)
            except _Overdue:
                self.stop()
                return reject(page, Reason.TIMEOUT, f"cleaning took longer than {timeout:g} s")
            except _Died:
                self.stop()
                return self._again(page, timeout, attempts)()

        return answer

    def _again(
        self, page: RawPage, timeout: float | None, attempts: int
    ) -> Callable[[], Article | Rejection]:
        """The page once more in a new child, or, after its last attempt, a reject."""
        from newsclean.cleaners.pipeline import reject

        self._check_stop()
        if attempts > 1:
            return self.submit(page, timeout, attempts - 1)
        crashed = reject(
            page,
            Reason.WORKER_CRASHED,
            "the worker process died on this page twice (a crash in a C extension, or "
            "killed for memory)",
        )
        return lambda: crashed

    def stop(self) -> None:
        """Kill the child (if any) and forget it; the next page starts a new one."""
        proc, self._proc = self._proc, None
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if proc is not None:
            _discard(proc)

    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _check_stop(self) -> None:
        if _STOP.is_set():
            raise Interrupted(_STOP_SIGNAL[0] or signal.SIGTERM)
        if self.run_id is not None and self.run_id in _STOPPED_RUNS:
            raise Interrupted(signal.SIGTERM)  # its run was cancelled: no new child

    def _start(self) -> None:
        self._proc = _take_spare() or _spawn()
        self.started += 1
        with _LIVE_LOCK:
            _LIVE.add(self)
        try:
            self._send((self.policy, self.max_page_bytes))
            ready = self._receive(time.monotonic() + STARTUP_SECONDS)
        except _Overdue:
            raise _Died from None
        if ready != "ready":
            raise RuntimeError(f"a cleaning worker process answered {ready!r}")

    def _start_with_retries(self, attempts: int = 3) -> None:
        """A child killed while it starts (the out-of-memory killer does not wait) is
        started again; one that never comes up means the installation is broken."""
        for _ in range(attempts):
            self._check_stop()
            try:
                self._start()
                return
            except _Died:
                self.stop()
        raise RuntimeError(
            f"a cleaning worker process failed to start {attempts} times "
            f"({sys.executable} -m newsclean.flows.supervisor)"
        )

    def _send(self, obj: object) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._proc.stdin.write(_HEADER.pack(len(data)) + data)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise _Died from None

    def _receive(self, deadline: float | None):
        fd = self._proc.stdout.fileno()
        (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
        return pickle.loads(_read_exactly(fd, size, deadline))


def _read_exactly(fd: int, n: int, deadline: float | None) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise _Overdue
        try:
            chunk = os.read(fd, min(n - len(buf), 1 << 20))
        except OSError:
            raise _Died from None
        if not chunk:
            raise _Died
        buf += chunk
    return bytes(buf)


_local = threading.local()


def _spawn() -> subprocess.Popen:
    env = {**os.environ, _PARENT_ENV: str(os.getpid())}
    return subprocess.Popen(
        [sys.executable, "-m", "newsclean.flows.supervisor"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        close_fds=True,
    )


# A child started ahead of its first page (``prestart``), taken by the first worker that
# needs one.
_SPARE: list[subprocess.Popen] = []


def prestart() -> None:
    """Start one child now, so that its start-up (imports, language profiles: about a
    second) overlaps the caller's own instead of following it. A child learns its policy
    only when a worker takes it; one never taken dies with this process."""
    with _LIVE_LOCK:
        if not _SPARE:
            _SPARE.append(_spawn())


def _take_spare() -> subprocess.Popen | None:
    with _LIVE_LOCK:
        while _SPARE:
            proc = _SPARE.pop()
            if proc.poll() is None:
                return proc
            _discard(proc)
    return None


def _discard(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    for stream in (proc.stdin, proc.stdout):
        with contextlib.suppress(OSError):
            stream.close()
    proc.wait()


def worker_for(policy: Policy, max_page_bytes: int | None) -> PageWorker:
    """This thread's worker for this policy, started on its first page."""
    worker = getattr(_local, "worker", None)
    if worker is None or worker.policy != policy or worker.max_page_bytes != max_page_bytes:
        if worker is not None:
            worker.stop()
        worker = _local.worker = PageWorker(policy, max_page_bytes)
    return worker


def stop_all() -> None:
    """Kill every child of this process (the end of a local run, or a signal)."""
    with _LIVE_LOCK:
        workers = list(_LIVE)
        spares = _SPARE[:]
        _SPARE.clear()
    for worker in workers:
        worker.stop()
    for proc in spares:
        _discard(proc)


def stop_children(run_id: str) -> int:
    """Kill the children that clean pages of run ``run_id`` in this process (a Dask
    worker's, when the run ends: no child outlives its run); how many there were."""
    with _LIVE_LOCK:
        workers = [w for w in _LIVE if w.run_id == run_id]
    for worker in workers:
        worker.stop()
    return len(workers)


# Runs stopped in this process (a Dask worker's): their shards stop between pages.
_STOPPED_RUNS: set[str] = set()


def stop_run(run_id: str) -> int:
    """Run ``run_id`` was cancelled: its shards still running here stop at their next
    page and its children are killed now (a page in flight is not retried)."""
    _STOPPED_RUNS.add(run_id)
    return stop_children(run_id)


def run_stopped(run_id: str) -> bool:
    return run_id in _STOPPED_RUNS


_caught = threading.local()


def caught_stop(exc: BaseException | None = None) -> BaseException | None:
    """With ``exc``: a task on this thread caught the run's stop (a signal) and ended
    quietly; without: that stop, once, for the code that called the task to raise it
    again. (A Prefect task's function is pickled by value for Dask, so this thread
    state lives here, in a module it pickles by reference.)"""
    if exc is not None:
        _caught.exc = exc
        return None
    exc, _caught.exc = getattr(_caught, "exc", None), None
    return exc


def stop_now(signum: int = signal.SIGTERM) -> None:
    """Stop this process's run at once: threads cleaning pages raise Interrupted at
    their next step instead of starting another child, and every child is killed."""
    _STOP_SIGNAL[0] = _STOP_SIGNAL[0] or signum
    _STOP.set()
    stop_all()


def _prefect_owns_sigterm() -> bool:
    """Whether a Prefect flow engine's SIGTERM bridge is installed (a flow run): its
    cancellation is Prefect's, and newsclean's cleanup runs as the exception unwinds."""
    engine = sys.modules.get("prefect.utilities.engine")
    return engine is not None and engine.is_prefect_sigterm_handler_installed()


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM stop the run: every child is killed at once, and the run's
    main thread gets ``Interrupted`` (a BaseException, so no ``except Exception`` on the
    way can swallow it) to unwind through its cleanup. Outside the main thread (a flow
    run on a worker thread) the handlers cannot be installed and the caller's stand."""
    _STOP.clear()
    _STOP_SIGNAL[0] = 0
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        if _STOP.is_set():
            return  # already unwinding: a second signal must not interrupt the cleanup
        stop_now(signum)
        raise Interrupted(signum)

    # Inside a Prefect flow run, SIGTERM is how Prefect cancels: its own handler stays,
    # so that the engine records Cancelled (not a crash); the run's cleanup happens as
    # Prefect's TerminationSignal unwinds through it (see engine.run).
    signals = [signal.SIGINT] + ([] if _prefect_owns_sigterm() else [signal.SIGTERM])
    previous = {sig: signal.signal(sig, handler) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


# -- the child's side ------------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent thread ends; then make
    sure the parent did not end before the request was made."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    expected = os.environ.get(_PARENT_ENV)
    if expected and os.getppid() != int(expected):
        os._exit(0)


# A page through every stage (trafilatura's first call, the language profiles) before the
# child says it is ready, so that the first real page costs what any page costs.
_WARM_UP_PAGE = (
    "<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1><p>"
    + "A paragraph of words that warms up extraction, metadata and language. " * 5
    + "</p></article></body></html>"
)


def _child_main() -> None:
    _die_with_parent()
    # Frames go over the original stdout; anything a library prints goes to stderr
    # (which the parent sends to /dev/null), never into a frame.
    frames_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    frames_in = os.fdopen(os.dup(0), "rb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a run stops

    # the cleaning code alone: not the run's (pyarrow, fsspec), 30 MiB less per child
    from newsclean.cleaners.pipeline import clean_contained, clean_page

    quiet_libraries()
    crash_marker = os.environ.get(CRASH_MARKER_ENV)

    def read() -> object:
        header = frames_in.read(_HEADER.size)
        if len(header) < _HEADER.size:
            sys.exit(0)  # the parent closed the pipe, or died
        (size,) = _HEADER.unpack(header)
        return pickle.loads(frames_in.read(size))

    def write(obj: object) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        frames_out.write(_HEADER.pack(len(data)) + data)
        frames_out.flush()

    # warmed up before the policy comes: a child started ahead (prestart) is ready when
    # its first page's worker takes it
    clean_page(RawPage("warm-up", "warm-up", html=_WARM_UP_PAGE, url="https://example.org/a"))
    # What the imports and the warm-up made (langdetect's profiles, compiled patterns,
    # trafilatura's and htmldate's tables: about 50,000 objects) lives as long as the
    # child: moved out of the collector's reach, its full collections no longer walk
    # them (0.3 ms a page).
    gc.freeze()
    policy, max_page_bytes = read()
    write("ready")
    while True:
        page = read()
        if crash_marker and crash_marker in str(page.html or page.text or ""):
            os.kill(os.getpid(), signal.SIGKILL)
        write(clean_contained(page, policy, max_page_bytes))  # the deadline: the parent's


def quiet_libraries() -> None:
    """Keep library chatter off the user's terminal, where a run starts (never at import
    time, which would change other programs' logging). trafilatura and htmldate log
    every discarded page or odd date at WARNING, and dateutil warns about timezone
    names: a discarded page is a reject row here, the rest is noise in a run over
    millions of pages."""
    import logging
    import warnings

    for name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"(dateutil|htmldate|trafilatura)(\.|$)")


if __name__ == "__main__":
    _child_main()

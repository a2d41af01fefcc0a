from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run the same examples every time (a red CI must mean a change broke
# something, not that the search got lucky); NEWSCLEAN_HYPOTHESIS=explore searches anew.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("NEWSCLEAN_HYPOTHESIS", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SAMPLES = REPO / "samples"
SEED = FIXTURES / "kurdistan24-kazakhstan-abraham-accords.txt"
CORPUS = REPO.parent / "shared" / "corpus"


def run_cli(
    *args: str, env: dict | None = None, timeout: float = 600, cwd: Path = REPO
) -> subprocess.CompletedProcess:
    """The real console entry point in a child process: real exit code, real stderr."""
    return subprocess.run(
        [sys.executable, "-m", "newsclean.flows.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def start_cli(*args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    """The console entry point started in its own session (so a test can signal the
    driver alone, or its whole group), with its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsclean.flows.cli", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
        **popen,
    )


def scan(output, dataset: str, con=None) -> str:
    """A name DuckDB reads one table's current rows by, as the README shows analysts: the
    files ``DeltaTable(...).file_uris()`` lists, as a pyarrow dataset registered as a view
    (DuckDB's own delta extension would download at first use). On ``con``, or DuckDB's
    default connection. An ``s3://`` output is reached through the AWS environment."""
    import duckdb
    import pyarrow.dataset as ds
    from deltalake import DeltaTable

    from newsclean.schemas.parquet import SCHEMAS

    name = f"{dataset}_{uuid.uuid4().hex[:12]}"
    schema = SCHEMAS.get(dataset)
    output = str(output)
    if "://" not in output:
        files = DeltaTable(str(Path(output) / dataset)).file_uris()
        table = ds.dataset(files, schema=schema, format="parquet")
    else:
        import s3fs
        from pyarrow.fs import FSSpecHandler, PyFileSystem

        endpoint = os.environ["AWS_ENDPOINT_URL"]
        options = {"AWS_ENDPOINT_URL": endpoint, "AWS_ALLOW_HTTP": "true"}
        files = DeltaTable(f"{output}/{dataset}", storage_options=options).file_uris()
        fs = PyFileSystem(FSSpecHandler(s3fs.S3FileSystem(endpoint_url=endpoint)))
        paths = [f.split("://", 1)[1] for f in files]
        table = ds.dataset(paths, schema=schema, format="parquet", filesystem=fs)
    (con or duckdb.default_connection()).register(name, table)
    return name


def ledger_entries(output) -> list[dict]:
    """The ledger's entries (``OUTPUT/_ledger/inputs.parquet``), one dict per input."""
    import pyarrow.parquet as pq

    path = Path(output) / "_ledger" / "inputs.parquet"
    if not path.exists():
        return []
    return [json.loads(e) for e in pq.read_table(path)["entry"].to_pylist()]


def plain_run(inputs: list, output, **options):
    """A run through the one run function, as `newsclean run` makes it without Prefect."""
    from newsclean.flows.config import build_config
    from newsclean.flows.engine import run

    config = build_config(inputs=[str(i) for i in inputs], output=str(output), **options)
    return run(config)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API and database for every test that runs the flow: the
    harness takes seconds to start, and the flows' runs do not disturb each other."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


# The extraction corpus (761 pages with reference texts); news.jsonl.gz beside it is
# the news set that benchmarks/quality.py and tests/test_quality.py score.
EXTRACTION_CORPUS = ("aeb", "readability", "trafilatura")


def corpus_files() -> list[Path]:
    files = sorted(
        p for p in CORPUS.glob("*.jsonl.gz") if p.name.split(".")[0] in EXTRACTION_CORPUS
    )
    if not files:
        pytest.skip(f"development corpus not found at {CORPUS} (it sits beside the checkout in CI)")
    return files


@pytest.fixture(scope="session")
def corpus_jsonl(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The development corpus as the pipeline's users would feed it: records with only
    id, url and html. Returns the folder and the list of (id, url, source) rows."""
    folder = tmp_path_factory.mktemp("corpus-input")
    index = []
    for src in corpus_files():
        out = folder / src.name.replace(".jsonl.gz", ".jsonl")
        with gzip.open(src, "rt", encoding="utf-8") as fin, out.open("w", encoding="utf-8") as fout:
            for line in fin:
                rec = json.loads(line)
                fout.write(json.dumps({"id": rec["id"], "url": rec["url"], "html": rec["html"]}))
                fout.write("\n")
                index.append({"id": rec["id"], "url": rec["url"], "file": str(out)})
    return folder, index


ENGLISH_ONLY = '[language]\nallow = ["en"]\n'


@pytest.fixture(scope="session")
def corpus_run(corpus_jsonl, tmp_path_factory):
    """The whole development corpus through `newsclean run --workers 2`, once per session,
    under a policy that keeps English only: the end-to-end tests (every page in exactly
    one dataset, the contract's types) and the moderation test read the same output."""
    folder, index = corpus_jsonl
    out = tmp_path_factory.mktemp("corpus-out")
    policy = out.parent / "english-only.toml"
    policy.write_text(ENGLISH_ONLY)
    result = run_cli(
        "run", "-i", str(folder), "-o", str(out), "--policy", str(policy), "--workers", "2"
    )
    assert result.returncode == 0, result.stderr
    return out, index, result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def start_dask_cluster(logs: Path, cwd: Path = REPO, env: dict | None = None, workers: int = 2):
    """A real `dask scheduler` and ``workers`` `dask worker` processes (one thread each)
    on loopback, started in ``cwd`` with ``env``; its address, until the block ends."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    procs = []

    def start(name, *args):
        log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - the process owns it
        procs.append(
            subprocess.Popen(
                [bin_dir / args[0], *args[1:]],
                cwd=cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    try:
        start(
            "scheduler",
            "dask",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        )
        for i in range(workers):
            start(
                f"worker{i}",
                "dask",
                "worker",
                address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
            )
        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, timeout=5) as client:
                    if len(client.scheduler_info()["workers"]) == workers:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    "dask cluster did not start: " + " ".join(p.read_text() for p in logs.iterdir())
                )
            time.sleep(1)
        yield address
    finally:
        for proc in reversed(procs):
            stop_process_group(proc)


@contextmanager
def prefect_server(home: Path, env: dict[str, str]):
    """A real `prefect server` on a free loopback port, with its home and log under
    ``home`` and ``env`` added to this environment; the environment that reaches it
    (``PREFECT_API_URL`` set), until the block ends."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        # nothing of the machine's own Prefect profile or server
        **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,  # the UI calls the API where it really is
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        **env,
    }
    log_path = home / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [Path(sys.executable).parent / "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_serving(
            f"{api}/health",
            server,
            120,
            lambda: "prefect server did not start:\n" + log_path.read_text(),
        )
        yield env, port, log_path
    finally:
        stop_process_group(server)
        log.close()


def wait_until_serving(
    url: str, proc: subprocess.Popen, seconds: float, failure: Callable[[], str]
) -> None:
    """Poll a server a test started until ``url`` answers; fail the test with
    ``failure()`` when the server exits or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # not listening yet, or an HTTP error status
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(failure())
        time.sleep(0.3)


@contextmanager
def paused_group(proc: subprocess.Popen):
    """A process a test started (with start_new_session) and its children, stopped
    (SIGSTOP: a GC pause, a suspended VM; a stopped process keeps its locks) for the
    block, and let go on after it, whatever the block raised."""
    os.killpg(proc.pid, signal.SIGSTOP)
    try:
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGCONT)


def stop_process_group(proc: subprocess.Popen) -> None:
    """Stop a process a test started (with start_new_session) and its children."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# -- object storage: a real S3 API on loopback ------------------------------------------


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server, started on a free loopback port the way s3fs's own test suite
    starts it, and stopped after the session; its endpoint URL."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = open(tmp_path_factory.mktemp("moto") / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [Path(sys.executable).parent / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_serving(
            f"{endpoint}/moto-api/",
            proc,
            60,
            lambda: f"the S3 test server did not start: see {log.name}",
        )
        yield endpoint
    finally:
        stop_process_group(proc)
        log.close()


class Bucket:
    """A fresh bucket on the test server, with the environment a user sets to reach it."""

    def __init__(self, endpoint: str, name: str, env: dict[str, str]) -> None:
        import s3fs

        self.endpoint = endpoint
        self.name = name
        self.env = env
        self.fs = s3fs.S3FileSystem(
            endpoint_url=endpoint, key="testing", secret="testing", use_listings_cache=False
        )

    def url(self, *parts: str) -> str:
        return "/".join([f"s3://{self.name}", *parts])

    def upload(self, local: Path, prefix: str) -> list[str]:
        """Copy a file, or a folder's files, under ``prefix``; their URLs."""
        files = sorted(p for p in local.rglob("*") if p.is_file()) if local.is_dir() else [local]
        urls = []
        for path in files:
            rel = path.relative_to(local).as_posix() if local.is_dir() else path.name
            key = f"{self.name}/{prefix}/{rel}"
            self.fs.pipe_file(key, path.read_bytes())
            urls.append(f"s3://{key}")
        return urls

    def table(self, prefix: str):
        """The Delta table under ``prefix``, as an analyst opens it: deltalake with the
        bucket's endpoint and keys (nothing of newsclean's)."""
        from deltalake import DeltaTable

        options = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ALLOW_HTTP": "true",
        }
        return DeltaTable(f"s3://{self.name}/{prefix}", storage_options=options)

    def rows(self, prefix: str) -> int:
        """The rows of the table under ``prefix``, counted from its log."""
        import pyarrow as pa

        actions = pa.table(self.table(prefix).get_add_actions(flatten=True))
        return sum(actions["num_records"].to_pylist())

    def ledger(self, prefix: str) -> list[dict]:
        """The ledger's entries of the output under ``prefix``."""
        import pyarrow.parquet as pq

        path = f"{self.name}/{prefix}/_ledger/inputs.parquet"
        if not self.fs.exists(path):
            return []
        with self.fs.open(path, "rb") as fh:
            return [json.loads(e) for e in pq.read_table(fh)["entry"].to_pylist()]

    def keys(self, prefix: str) -> list[str]:
        try:
            found = self.fs.find(f"{self.name}/{prefix}")
        except FileNotFoundError:
            return []
        return sorted(k.split("/", 1)[1] for k in found)


@pytest.fixture
def bucket(s3_server, monkeypatch, tmp_path):
    """A new bucket, and the AWS environment variables (only those) that reach it, set
    for this process and returned for the processes a test starts."""
    import uuid

    import s3fs

    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_server,
        # no profile or config of the machine's user can change what the test sees
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    s3fs.S3FileSystem.clear_instance_cache()
    b = Bucket(s3_server, f"newsclean-{uuid.uuid4().hex[:12]}", {**os.environ, **env})
    b.aws = env
    b.fs.mkdir(b.name)
    yield b
    s3fs.S3FileSystem.clear_instance_cache()

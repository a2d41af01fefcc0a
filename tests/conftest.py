from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
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
    *args: str, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """The real console entry point in a child process: real exit code, real stderr."""
    return subprocess.run(
        [sys.executable, "-m", "newsclean.flows.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
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


def stop_process_group(proc: subprocess.Popen) -> None:
    """Stop a process a test started (with start_new_session) and its children."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

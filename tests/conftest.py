from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

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
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=timeout,
    )


def corpus_files() -> list[Path]:
    files = sorted(CORPUS.glob("*.jsonl.gz"))
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

"""Object storage against local disk: the same pages, the same command, in one run.

Starts moto's S3 server on loopback, copies the development corpus (records with only
id, url, html) there and to a local folder, and runs the real `newsclean run` with 2
workers local-to-local and bucket-to-bucket, then bucket-to-bucket over ten copies of it,
sampling the resident memory of the whole process tree. Plain `trafilatura.extract` on
the same pages, in this process, gives the per-core baseline the other benchmarks use.

    .venv/bin/python benchmarks/storage.py [--copies 10]

moto is a Python server on the same two cores as the run: what it costs here is an
upper bound of what a real object store costs per page, not its network latency.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import iter_corpus  # noqa: E402
from scale import _run, _write_inputs  # noqa: E402

BIN = Path(sys.executable).parent
WORKERS = 2


def _moto(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [BIN / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2).close()
            return proc
        except OSError:
            if time.monotonic() > deadline:
                sys.exit("moto server did not start")
            time.sleep(0.2)


def _trafilatura_rate() -> float:
    import trafilatura

    pages = [r["html"] for r in iter_corpus()]
    start = time.perf_counter()
    for html in pages:
        trafilatura.extract(html)
    return len(pages) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=10)
    args = ap.parse_args()
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_REGION="us-east-1",
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}",
    )
    server = _moto(port)
    try:
        import s3fs

        fs = s3fs.S3FileSystem()
        fs.mkdir("bench")
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            pages = _write_inputs(tmp / "x1", 1)
            big = _write_inputs(tmp / f"x{args.copies}", args.copies)
            fs.put(str(tmp / "x1") + "/", "bench/x1/", recursive=True)
            fs.put(str(tmp / f"x{args.copies}") + "/", f"bench/x{args.copies}/", recursive=True)
            t_local, m_local = _run(tmp / "x1", tmp / "out", WORKERS)
            t_s3, m_s3 = _run("s3://bench/x1", "s3://bench/out", WORKERS)
            t_big, m_big = _run(f"s3://bench/x{args.copies}", "s3://bench/outbig", WORKERS)
        plain = _trafilatura_rate()
    finally:
        server.terminate()
        server.wait()
    local_rate, s3_rate, big_rate = pages / t_local, pages / t_s3, big / t_big
    print(f"plain trafilatura.extract, 1 core : {plain:6.1f} pages/s")
    for name, rate, peak in (
        ("local disk -> local disk", local_rate, m_local),
        ("S3 (moto) -> S3 (moto)  ", s3_rate, m_s3),
    ):
        print(
            f"{name}, {WORKERS} workers, {pages} pages: {rate:6.1f} pages/s "
            f"({rate / WORKERS / plain:.2f}x trafilatura per core)  peak RSS {peak:6.0f} MiB"
        )
    print(f"S3 against local disk: {s3_rate / local_rate:.2f}x pages/s")
    print(
        f"S3 -> S3, {args.copies}x corpus ({big} pages): {big_rate:6.1f} pages/s  "
        f"peak RSS {m_big:6.0f} MiB ({m_big / m_s3 - 1:+.0%} against 1x)"
    )


if __name__ == "__main__":
    main()

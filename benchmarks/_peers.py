"""The peer pipelines of benchmarks/throughput.py, each run as a whole process over one
JSON Lines file, with the same number of worker processes as newsclean's run:

    python benchmarks/_peers.py plain FILE WORKERS OUT
    python benchmarks/_peers.py datatrove FOLDER WORKERS OUT

``plain`` is ``trafilatura.extract(html)`` with its defaults on every record (a pool of
WORKERS processes, or this process alone for one), the texts written as JSON Lines.
``datatrove`` is datatrove's own pipeline: its JSON Lines reader, its Trafilatura
extractor (which datatrove runs in a sandbox process with a timeout, as newsclean runs
its cleaning) and its Parquet writer, on its local executor with WORKERS tasks.
"""

from __future__ import annotations

import json
import sys
from multiprocessing import Pool


def _extract(html: str) -> str | None:
    import trafilatura

    return trafilatura.extract(html)


def plain(path: str, workers: int, out: str) -> None:
    with open(path, encoding="utf-8") as fh:
        pages = [json.loads(line)["html"] for line in fh]
    if workers == 1:
        texts = list(map(_extract, pages))
    else:
        with Pool(workers) as pool:
            texts = pool.map(_extract, pages, chunksize=4)
    with open(f"{out}/plain.jsonl", "w", encoding="utf-8") as fh:
        for text in texts:
            fh.write(json.dumps({"text": text}) + "\n")


def datatrove(folder: str, workers: int, out: str) -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import ParquetWriter

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(folder, glob_pattern="*.jsonl", text_key="html", id_key="id"),
            Trafilatura(),
            ParquetWriter(f"{out}/datatrove"),
        ],
        tasks=workers,
        workers=workers,
        logging_dir=f"{out}/datatrove-logs",
    ).run()


if __name__ == "__main__":
    kind, path, workers, out = sys.argv[1:5]
    {"plain": plain, "datatrove": datatrove}[kind](path, int(workers), out)

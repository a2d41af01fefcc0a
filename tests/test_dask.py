"""The flow on a real Dask cluster: a `distributed` scheduler and two worker processes on
loopback, started and stopped by the test. The output must equal a local run's."""

from __future__ import annotations

import json
import os
import time

import duckdb
import pytest

from tests.conftest import SAMPLES, plain_run, run_cli, scan, start_dask_cluster


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    with start_dask_cluster(tmp_path_factory.mktemp("dask")) as address:
        yield address


def _rows(out, dataset):
    cols = {
        "articles": "doc_id, source_id, text, captions, removed, dateline, language",
        "rejects": "doc_id, source_id, reason, detail",
    }[dataset]
    return duckdb.sql(f"select {cols} from {scan(out, dataset)} order by all").fetchall()


def test_flow_on_a_dask_cluster_equals_a_local_run(dask_cluster, prefect_harness, tmp_path):
    from distributed import Client

    from newsclean.flows.clean_pages import clean_pages

    dask_out, local_out = tmp_path / "dask", tmp_path / "local"
    summary = clean_pages(
        inputs=[str(SAMPLES)], output=str(dask_out), batch_size=1, dask_address=dask_cluster
    )
    local = plain_run([SAMPLES], local_out, workers=1)
    assert summary["pages"] == local.pages == 8
    assert summary["shards"] == 8  # one page a shard: both workers get work
    for dataset in ("articles", "rejects"):
        assert _rows(dask_out, dataset) == _rows(local_out, dataset)
    # the shards really ran on the cluster's workers
    with Client(dask_cluster) as client:
        prefixes = client.run_on_scheduler(
            lambda dask_scheduler: {
                name: sum(tp.state_counts.values())
                for name, tp in dask_scheduler.task_prefixes.items()
            }
        )
    assert prefixes.get("clean_shard", 0) >= 8


def test_cli_on_dask_refuses_an_output_another_run_holds_with_exit_3(
    dask_cluster, prefect_harness, tmp_path
):
    """The Dask path ends in the same exit code and one line as the plain path."""
    from prefect.settings import PREFECT_API_URL

    from newsclean.flows.lock import output_lock

    out = tmp_path / "out"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    with output_lock(str(out)):
        result = run_cli(
            "run", "-i", str(SAMPLES), "-o", str(out), "--dask-address", dask_cluster, env=env
        )
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"newsclean: error: another newsclean run is writing to {out} (pid ")
    assert not (out / "articles").exists()


def test_cli_refuses_a_malformed_dask_address(tmp_path):
    result = run_cli(
        "run", "-i", str(SAMPLES), "-o", str(tmp_path / "out"), "--dask-address", "localhost:8786"
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "newsclean: error: dask address must look like tcp://host:port (or tls://, inproc://, "
        "ucx://), not 'localhost:8786'"
    )


def test_the_page_deadline_holds_on_dask_workers(dask_cluster, prefect_harness, tmp_path):
    """A page that spends its time inside C code is stopped on a Dask worker too: each
    worker thread cleans pages in a supervised child process."""
    from newsclean.flows.clean_pages import clean_pages

    body = "".join(f"<p>Paragraph {i} of a page that never ends.</p>" for i in range(140_000))
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    story = "The council approved a new plan for bicycle lanes on Monday, officials said."
    path = tmp_path / "pages.jsonl"
    path.write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in ({"id": "small", "text": story}, {"id": "huge", "html": html})
        )
    )
    start = time.monotonic()
    summary = clean_pages(
        inputs=[str(path)],
        output=str(tmp_path / "out"),
        dask_address=dask_cluster,
        page_timeout=2,
        max_page_mb=20,
    )
    assert time.monotonic() - start < 2 + 2 + 20  # deadline + 2 s + a worker's start
    assert summary["rejected_by_reason"] == {"timeout": 1} and summary["kept"] == 1
    rejects = duckdb.sql(
        f"select source_id, reason, detail from read_parquet('{tmp_path}/out/rejects/*.parquet')"
    ).fetchall()
    assert rejects == [("huge", "timeout", "cleaning took longer than 2 s")]

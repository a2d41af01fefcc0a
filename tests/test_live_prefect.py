"""Prefect as its users meet it: a real `prefect server` (UI and scheduler on), the
deployments of prefect.yaml, a real process worker. The scheduler must create runs of
`scheduled-ingest` by itself (a resolved SQLAlchemy 2.1 once broke it silently), a run
started from the UI's form in a real browser must complete, and every deployment loads
its flow from the installed package, so that a Dask worker can import every task."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import (
    REPO,
    SAMPLES,
    SEED,
    free_port,
    start_dask_cluster,
    stop_process_group,
    wait_until_serving,
)

BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Where `make deploy` was run: the folder the deployments' relative paths (such as
    `data/landing`) are relative to. Its landing folder holds the seed."""
    root = tmp_path_factory.mktemp("site")
    (root / "data" / "landing").mkdir(parents=True)
    shutil.copy(SEED, root / "data" / "landing")
    shutil.copytree(SAMPLES, root / "samples")
    return root


@pytest.fixture(scope="module")
def live(site, tmp_path_factory):
    """A Prefect server as `make server` starts it (UI on, the scheduler looking every
    two seconds instead of sixty), with the pool and every deployment of prefect.yaml
    deployed from ``site``; the environment that reaches it."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PWD": str(site),  # prefect.yaml's pull step: `{{ $PWD }}` at deploy time
    }
    log_path = home / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_serving(
            f"{api}/health", server, 120, lambda: "server did not start:\n" + log_path.read_text()
        )
        for args in (
            ("work-pool", "create", "newsclean", "--type", "process"),
            ("--no-prompt", "deploy", "--all"),
        ):
            done = subprocess.run(
                [BIN / "prefect", *args], env=env, cwd=REPO, capture_output=True, text=True
            )
            assert done.returncode == 0, done.stdout + done.stderr
        yield env | {"server_log": str(log_path), "port": str(port)}
    finally:
        stop_process_group(server)
        log.close()


def _client_call(env, fn):
    """``fn(client)`` against the live server."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def call():
        async with get_client() as client:
            return await fn(client)

    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
        return asyncio.run(call())


def _worker_once(env, cwd) -> str:
    """A real process worker that takes the runs due now off the pool, runs them, exits."""
    env = {k: v for k, v in env.items() if k not in ("server_log", "port")}
    worker = subprocess.Popen(
        [BIN / "prefect", "worker", "start", "--pool", "newsclean", "--run-once"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        log, _ = worker.communicate(timeout=300)
    finally:
        stop_process_group(worker)
    return log


def _server_errors(env) -> list[str]:
    return [line for line in Path(env["server_log"]).read_text().splitlines() if "ERROR" in line]


def test_the_scheduler_creates_runs_and_one_completes_on_a_worker(live, site):
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.states import Scheduled

    deployment = _client_call(
        live, lambda c: c.read_deployment_by_name("clean-pages/scheduled-ingest")
    )
    assert deployment.schedules[0].active

    async def scheduled_runs(client):
        return await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))
        )

    deadline = time.monotonic() + 90
    while not (runs := _client_call(live, scheduled_runs)):
        assert time.monotonic() < deadline, "no run scheduled:\n" + "\n".join(_server_errors(live))
        time.sleep(1)
    assert all(r.auto_scheduled and r.state.is_scheduled() for r in runs)
    first = min(runs, key=lambda r: r.expected_start_time)
    # Thirty minutes is long for a test: the earliest run is moved to now.
    _client_call(
        live,
        lambda c: c.set_flow_run_state(
            first.id, Scheduled(scheduled_time=datetime.now(UTC)), force=True
        ),
    )
    log = _worker_once(live, site)
    run = _client_call(live, lambda c: c.read_flow_run(first.id))
    assert run.state.is_completed(), log
    warehouse = site / "data" / "warehouse"
    ((text,),) = duckdb.sql(
        f"select text from read_parquet('{warehouse}/articles/*.parquet')"
    ).fetchall()
    assert text.startswith("Kazakhstan will join the Abraham Accords")
    assert _server_errors(live) == []


BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)"
)
def test_a_custom_run_from_the_ui_form_in_a_real_browser(live, site, tmp_path):
    """Deployments › manual › Run › Custom run: set `output` and `workers` in the form,
    submit; a worker runs it to Completed with its artifacts."""
    from playwright.sync_api import sync_playwright
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    deployment = _client_call(live, lambda c: c.read_deployment_by_name("clean-pages/manual"))
    out = tmp_path / "ui-out"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2000})
            page.goto(f"http://127.0.0.1:{live['port']}/deployments/deployment/{deployment.id}/run")

            def field(label):
                labels = page.locator(".schema-form-property__label", has_text=label)
                return page.locator(".schema-form-property").filter(has=labels).first

            field("output").locator("textarea").fill(str(out))
            workers = field("workers (Optional)")
            workers.get_by_role("button", name="int", exact=True).click()
            workers.locator("input").fill("1")
            page.get_by_role("button", name="Submit").click()
            # the UI leaves the form for the deployment's page once the run is created
            page.wait_for_url(lambda url: not url.endswith("/run"), timeout=30_000)
        finally:
            browser.close()

    async def submitted(client):
        return [r for r in await client.read_flow_runs() if r.parameters.get("output") == str(out)]

    (run,) = _client_call(live, submitted)
    assert run.parameters["workers"] == 1 and run.parameters["inputs"] == ["samples"]
    log = _worker_once(live, site)
    run = _client_call(live, lambda c: c.read_flow_run(run.id))
    assert run.state.is_completed(), log
    artifacts = _client_call(
        live,
        lambda c: c.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
        ),
    )
    assert {a.key for a in artifacts} == {
        "clean-pages-report",
        "clean-pages-output",
        "clean-pages-progress",
    }
    (n,) = duckdb.sql(f"select count(*) from read_parquet('{out}/articles/*.parquet')").fetchall()[0]
    assert n == 6  # the samples: 8 pages, 2 rejected
    assert (out / "report.html").exists()


def test_a_deployment_run_on_a_dask_cluster(live, site, tmp_path):
    """The form's `dask_address`: the shard tasks pickle by reference to the installed
    package, which every Dask worker imports (a flow loaded from a file as a top-level
    module `clean_pages` could not be imported there)."""
    from prefect.client.schemas.filters import DeploymentFilter  # noqa: F401

    out = tmp_path / "dask-out"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    with start_dask_cluster(logs, cwd=tmp_path, workers=1) as address:
        deployment = _client_call(live, lambda c: c.read_deployment_by_name("clean-pages/manual"))
        params = {"inputs": [str(SAMPLES)], "output": str(out), "dask_address": address}
        created = _client_call(
            live, lambda c: c.create_flow_run_from_deployment(deployment.id, parameters=params)
        )
        log = _worker_once(live, site)
    run = _client_call(live, lambda c: c.read_flow_run(created.id))
    assert run.state.is_completed(), log
    (n,) = duckdb.sql(f"select count(*) from read_parquet('{out}/articles/*.parquet')").fetchall()[0]
    (r,) = duckdb.sql(f"select count(*) from read_parquet('{out}/rejects/*.parquet')").fetchall()[0]
    assert (n, r) == (6, 2)

"""Prefect as its users meet it: a real `prefect server` (UI and scheduler on), the
deployments of prefect.yaml, a real process worker. The scheduler must create runs of
`scheduled-ingest` by itself (a resolved SQLAlchemy 2.1 once broke it silently), a run
started from the UI's form in a real browser must complete, and every deployment loads
its flow from the installed package, so that a Dask worker can import every task."""

from __future__ import annotations

import asyncio
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
    plain_run,
    scan,
    start_dask_cluster,
    stop_process_group,
)
from tests.conftest import prefect_server as start_prefect_server

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
    extra = {
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PWD": str(site),  # prefect.yaml's pull step: `{{ $PWD }}` at deploy time
    }
    with start_prefect_server(home, extra) as (env, port, log_path):
        for args in (
            ("work-pool", "create", "newsclean", "--type", "process"),
            ("--no-prompt", "deploy", "--all"),
        ):
            done = subprocess.run(
                [BIN / "prefect", *args], env=env, cwd=REPO, capture_output=True, text=True
            )
            assert done.returncode == 0, done.stdout + done.stderr
        yield env | {"server_log": str(log_path), "port": str(port)}


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
    worker = _start_worker(env, cwd)
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
    ((text,),) = duckdb.sql(f"select text from {scan(warehouse, 'articles')}").fetchall()
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
    (n,) = duckdb.sql(f"select count(*) from {scan(out, 'articles')}").fetchall()[0]
    assert n == 6  # the samples: 8 pages, 2 rejected
    assert (out / "report.html").exists()


def test_a_deployment_run_on_a_dask_cluster(live, site, tmp_path):
    """The form's `dask_address`: the shard tasks pickle by reference to the installed
    package, which every Dask worker imports (a flow loaded from a file as a top-level
    module `clean_pages` could not be imported there)."""
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
        time.sleep(2)
        children = _children_of_dask_workers()  # none outlives the run (one per thread)
    run = _client_call(live, lambda c: c.read_flow_run(created.id))
    assert run.state.is_completed(), log
    assert children == []
    (n,) = duckdb.sql(f"select count(*) from {scan(out, 'articles')}").fetchall()[0]
    (r,) = duckdb.sql(f"select count(*) from {scan(out, 'rejects')}").fetchall()[0]
    assert (n, r) == (6, 2)


# -- runs started from Prefect behave like runs from the CLI -------------------------------


def _children_of_dask_workers() -> list:
    """Cleaning children whose ancestors include a `dask worker` process."""
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if "newsclean.flows.supervisor" not in " ".join(proc.info["cmdline"] or ()):
                continue
            if any(_is_dask_worker(p.cmdline()) for p in proc.parents()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def _is_dask_worker(cmdline: list[str]) -> bool:
    return "worker" in cmdline and any(Path(arg).name == "dask" for arg in cmdline)


def _states(env, run_id) -> list[str]:
    states = _client_call(env, lambda c: c.read_flow_run_states(run_id))
    return [s.type.value for s in sorted(states, key=lambda s: s.timestamp)]


def _logs(env, run_id) -> list:
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    return _client_call(
        env,
        lambda c: c.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])), limit=200
        ),
    )


def _start_worker(env, cwd) -> subprocess.Popen:
    env = {k: v for k, v in env.items() if k not in ("server_log", "port")}
    return subprocess.Popen(
        [BIN / "prefect", "worker", "start", "--pool", "newsclean", "--run-once"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _table(out, dataset, cols):
    return duckdb.sql(f"select {cols} from {scan(out, dataset)} order by all").fetchall()


SLOW_PAGE = "".join(f"<p>Paragraph {i} of a page that never ends.</p>" for i in range(50_000))
STORY = SEED.read_text(encoding="utf-8").split("\n\n", 1)[1]


@pytest.fixture
def slow_landing(tmp_path):
    """a.jsonl: three quick pages; b.jsonl: a quick page, a page that takes about twelve
    seconds to clean (a timeout under a two-second deadline), a quick page."""
    import json

    landing = tmp_path / "landing"
    landing.mkdir()

    def quick(name):
        return {"id": name, "text": f"Story {name}.\n\n{STORY}"}

    for name, records in (
        ("a", [quick("a1"), quick("a2"), quick("a3")]),
        ("b", [quick("b1"), {"id": "slow", "html": f"<html><body>{SLOW_PAGE}</body></html>"},
               quick("b2")]),
    ):  # fmt: skip
        (landing / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return landing


def _cancel(env, run_id) -> None:
    from prefect.states import Cancelling

    _client_call(env, lambda c: c.set_flow_run_state(run_id, Cancelling(), force=True))


def test_a_cancelled_dask_run_leaves_nothing_behind(live, site, slow_landing, tmp_path):
    """Cancel a run on Dask while its shard is mid-page; the next run starts at once
    and must equal a clean run, even after the cancelled run's task had time to finish
    its page (it used to write its part over the next run's, bringing back as an
    article the page the next run rejected as `timeout`). The state history says
    Cancelled, never Crashed; no cleaning child outlives the run on the cluster."""
    from distributed import Client

    out, clean = tmp_path / "out", tmp_path / "clean"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    with start_dask_cluster(logs, cwd=tmp_path, workers=1) as address:
        deployment = _client_call(live, lambda c: c.read_deployment_by_name("clean-pages/manual"))
        params = {
            "inputs": [str(slow_landing)],
            "output": str(out),
            "dask_address": address,
            "page_timeout": 120,
        }
        run = _client_call(
            live, lambda c: c.create_flow_run_from_deployment(deployment.id, parameters=params)
        )
        worker = _start_worker(live, site)
        try:
            # a.jsonl is in: b.jsonl's shard is on its slow page
            _wait_for(lambda: len(_staged_parts(out)) >= 1, "a's part")
            _wait_for(lambda: _children_of_dask_workers(), "the Dask worker's child")
            time.sleep(1)
            _cancel(live, run.id)
            log, _ = worker.communicate(timeout=120)
        finally:
            stop_process_group(worker)
        # the next run at once, on this machine (the two-second deadline rejects the
        # slow page as `timeout`)
        plain_run([slow_landing], out, workers=1, page_timeout=2)
        with Client(address, timeout=10) as client:
            _wait_for(lambda: not any(client.processing().values()), "the cluster to idle")
        time.sleep(15)  # what the cancelled task could still write, it has written
        children = _children_of_dask_workers()
    assert _states(live, run.id)[-1] == "CANCELLED", log
    assert "CRASHED" not in _states(live, run.id), _states(live, run.id)
    assert [entry.message for entry in _logs(live, run.id) if entry.level >= 40] == []
    assert children == []
    plain_run([slow_landing], clean, workers=1, page_timeout=2)
    for dataset, cols in (
        ("articles", "doc_id, source_id, text"),
        ("rejects", "source_id, reason"),
    ):
        assert _table(out, dataset, cols) == _table(clean, dataset, cols)
    assert ("slow", "timeout") in _table(out, "rejects", "source_id, reason")


def _staged_parts(out):
    """The article files the run's workers wrote so far (into its staging folder: the
    run commits them at its end)."""
    return list(out.glob("_ledger/staging/*/articles/part-*"))


def test_a_cancelled_local_run_is_cancelled_not_crashed(live, site, slow_landing, tmp_path):
    import psutil

    out = tmp_path / "out"
    deployment = _client_call(live, lambda c: c.read_deployment_by_name("clean-pages/manual"))
    params = {"inputs": [str(slow_landing)], "output": str(out), "workers": 1}
    run = _client_call(
        live, lambda c: c.create_flow_run_from_deployment(deployment.id, parameters=params)
    )
    worker = _start_worker(live, site)
    try:
        _wait_for(lambda: len(_staged_parts(out)) >= 1, "a's part")

        def kids():
            return [
                p
                for p in psutil.Process(worker.pid).children(recursive=True)
                if "newsclean.flows.supervisor" in " ".join(p.cmdline())
            ]

        _wait_for(kids, "the cleaning child")
        children = kids()
        _cancel(live, run.id)
        log, _ = worker.communicate(timeout=120)
    finally:
        stop_process_group(worker)
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    states = _states(live, run.id)
    assert states[-1] == "CANCELLED" and "CRASHED" not in states, (states, log)
    assert [entry.message for entry in _logs(live, run.id) if entry.level >= 40] == []
    # the lock is free and the next run completes the job
    plain_run([slow_landing], out, workers=1, page_timeout=2)
    assert len(_table(out, "articles", "source_id")) == 5


def test_expected_failures_are_one_line_in_the_run_log(live, site, tmp_path):
    """What a person reads in the UI's log view: one ERROR line saying what is wrong
    and what to do, the run Failed, no traceback."""
    from newsclean.flows.lock import output_lock

    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    locked = tmp_path / "locked"
    cases = {
        "output is a file": {"inputs": [str(SEED)], "output": str(a_file)},
        "missing input": {"inputs": [str(tmp_path / "nope.jsonl")], "output": str(tmp_path / "o1")},
        "missing policy": {
            "inputs": [str(SEED)], "output": str(tmp_path / "o2"), "policy": str(tmp_path / "no.toml")
        },
        "empty input": {"inputs": [""], "output": str(tmp_path / "o3")},
        "locked output": {"inputs": [str(SEED)], "output": str(locked)},
    }  # fmt: skip
    deployment = _client_call(live, lambda c: c.read_deployment_by_name("clean-pages/manual"))
    runs = {
        name: _client_call(
            live, lambda c, p=params: c.create_flow_run_from_deployment(deployment.id, parameters=p)
        )
        for name, params in cases.items()
    }
    with output_lock(str(locked)):
        log = _worker_once(live, site)
    for name, run in runs.items():
        state = _client_call(live, lambda c, r=run: c.read_flow_run(r.id)).state
        assert state.is_failed(), (name, state, log)
        entries = _logs(live, run.id)
        errors = [e.message for e in entries if e.level >= 40]
        assert len(errors) == 1 and "\n" not in errors[0], (name, errors)
        assert errors[0] in state.message, (name, errors, state.message)
        assert not [e for e in entries if "Traceback" in e.message], name
    locked_run = _client_call(live, lambda c: c.read_flow_run(runs["locked output"].id))
    assert "another newsclean run is writing to" in locked_run.state.message
    empty_run = _client_call(live, lambda c: c.read_flow_run(runs["empty input"].id))
    assert empty_run.state.message.startswith("an input is empty")

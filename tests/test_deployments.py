"""prefect.yaml and its deployments, checked statically and against a real Prefect
server and process worker that the test starts and stops."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from prefect.client.schemas.schedules import CronSchedule
from prefect.flows import load_flow_from_entrypoint
from prefect.utilities.callables import parameter_schema

from tests.conftest import REPO, SAMPLES, SEED, run_cli, scan, stop_process_group
from tests.conftest import prefect_server as start_prefect_server

BIN = Path(sys.executable).parent
MANUAL_FIELDS = {
    "inputs",
    "output",
    "policy",
    "workers",
    "batch_size",
    "incremental",
    "reprocess",
    "dask_address",
    "page_timeout",
    "max_page_mb",
    "wait_for_lock",
    "storage_options",
}


def _config() -> dict:
    return yaml.safe_load((REPO / "prefect.yaml").read_text())


def test_prefect_yaml_declares_both_deployments_on_the_process_pool():
    config = _config()
    deployments = {d["name"]: d for d in config["deployments"]}
    assert set(deployments) == {
        "scheduled-ingest",
        "bucket-ingest",
        "manual",
        "daily-compact",
        "takedown",
    }
    for d in deployments.values():
        assert d["work_pool"]["name"] == "newsclean"
    assert config["pull"][0]["prefect.deployments.steps.set_working_directory"]["directory"]
    scheduled = deployments["scheduled-ingest"]
    assert scheduled["concurrency_limit"] == 1
    assert scheduled["parameters"]["incremental"] is True
    assert scheduled["parameters"]["inputs"] and scheduled["parameters"]["output"]
    assert "schedules" not in deployments["manual"]
    bucket = deployments["bucket-ingest"]
    assert bucket["concurrency_limit"] == 1
    assert bucket["parameters"]["incremental"] is True
    assert bucket["parameters"]["inputs"][0].startswith("s3://")
    assert bucket["parameters"]["output"].startswith("s3://")


def test_every_entrypoint_loads_and_every_schedule_is_a_valid_cron():
    flows = {
        "newsclean.flows.clean_pages:clean_pages": "clean-pages",
        "newsclean.flows.maintenance_flows:compact_tables": "compact-tables",
        "newsclean.flows.maintenance_flows:take_down": "takedown",
    }
    for d in _config()["deployments"]:
        # the installed package, never a file loaded as a top-level module (which no
        # Dask worker could import when it unpickles a task)
        assert d["entrypoint"] in flows
        flow = load_flow_from_entrypoint(d["entrypoint"])
        assert flow.name == flows[d["entrypoint"]]
        # every parameter set is one of the flow's, with a value its schema takes
        schema = parameter_schema(flow.fn).model_dump()["properties"]
        assert set(d.get("parameters", {})) <= set(schema), d["name"]
        for schedule in d.get("schedules", []):
            parsed = CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])
            assert parsed.timezone == schedule["timezone"]
    with pytest.raises(ValueError):
        CronSchedule(cron="*/30 * * *", timezone="Europe/Berlin")


def test_manual_parameter_schema_is_a_typed_form():
    flow = load_flow_from_entrypoint("newsclean.flows.clean_pages:clean_pages")
    schema = parameter_schema(flow.fn).model_dump()
    props = schema["properties"]
    assert set(props) == MANUAL_FIELDS
    assert set(schema["required"]) == {"inputs", "output"}
    assert props["inputs"]["type"] == "array" and props["inputs"]["items"]["type"] == "string"
    assert props["batch_size"]["type"] == "integer" and props["batch_size"]["default"] == 500
    assert props["batch_size"]["minimum"] == 1
    assert props["workers"]["anyOf"][0]["minimum"] == 1
    assert props["incremental"]["type"] == "boolean" and props["reprocess"]["default"] is False
    assert all(props[name].get("description") for name in MANUAL_FIELDS)


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    extra = {
        "PREFECT_UI_ENABLED": "false",
        "PWD": str(REPO),  # prefect.yaml's pull step resolves {{ $PWD }} at deploy time
    }
    with start_prefect_server(home, extra) as (env, _, _):
        yield env


def _prefect(env, *args, timeout=180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [BIN / "prefect", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def deployed(prefect_server):
    """The work pool and every deployment of prefect.yaml, on the real server."""
    _prefect(prefect_server, "work-pool", "create", "newsclean", "--type", "process")
    _prefect(prefect_server, "--no-prompt", "deploy", "--all")
    return prefect_server


def _run_once(env, cwd) -> str:
    """A real worker that takes one scheduled run off the pool and runs it; its log."""
    worker = subprocess.Popen(
        [BIN / "prefect", "worker", "start", "--pool", "newsclean", "--run-once"],
        env=env,
        cwd=cwd,  # the deployment's pull step must bring the run to the checkout
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


def test_manual_run_from_a_real_server_and_worker(deployed, tmp_path, monkeypatch):
    env = deployed

    monkeypatch.setenv("PREFECT_API_URL", env["PREFECT_API_URL"])
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    out = tmp_path / "out"

    async def create_runs():
        async with get_client() as client:
            deployment = await client.read_deployment_by_name("clean-pages/manual")
            # Invalid parameters are refused before a run exists.
            with pytest.raises(Exception, match="workers"):
                await client.create_flow_run_from_deployment(
                    deployment.id,
                    parameters={"inputs": [str(SEED)], "output": str(out), "workers": 0},
                )
            run = await client.create_flow_run_from_deployment(
                deployment.id,
                parameters={"inputs": [str(SEED)], "output": str(out), "workers": 1},
            )
            scheduled = await client.read_deployment_by_name("clean-pages/scheduled-ingest")
            return run.id, scheduled

    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
        run_id, scheduled = asyncio.run(create_runs())
        assert scheduled.schedules[0].schedule.cron == "*/30 * * * *"

        worker_log = _run_once(env, tmp_path)

        async def outcome():
            async with get_client() as client:
                run = await client.read_flow_run(run_id)
                artifacts = await client.read_artifacts(
                    artifact_filter=ArtifactFilter(
                        flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])
                    )
                )
                return run, artifacts

        run, artifacts = asyncio.run(outcome())
    assert run.state.is_completed(), worker_log
    assert {(a.key, a.type) for a in artifacts} == {
        ("clean-pages-report", "table"),
        ("clean-pages-output", "markdown"),
        ("clean-pages-progress", "progress"),
    }
    report = next(a for a in artifacts if a.type == "table")
    assert '"pages read"' in str(report.data) or "pages read" in str(report.data)
    progress = next(a for a in artifacts if a.type == "progress")
    assert float(progress.data) == 100.0
    markdown = next(a for a in artifacts if a.type == "markdown")
    assert f"`{out}/report.html`" in str(markdown.data)
    assert "Fly Erbil Advertisment" in (out / "report.html").read_text(encoding="utf-8")

    rows = duckdb.sql(f"select text, captions, dateline from {scan(out, 'articles')}").fetchall()
    assert len(rows) == 1
    text, captions, dateline = rows[0]
    assert text.startswith("Kazakhstan will join the Abraham Accords")
    assert captions == ["Kazakh President Kassym-Jomart Tokayev. (AP)"]
    assert dateline["raw"] == "ERBIL (Kurdistan24) –"


def test_bucket_deployment_ingests_the_landing_prefix_incrementally(deployed, bucket, tmp_path):
    """The deployment for object storage, run by a real worker whose only link to the
    bucket is the AWS environment: the first run cleans the landing prefix, the next
    only what is new there."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    env = {**deployed, **bucket.aws}
    bucket.upload(SAMPLES, "landing")
    params = {"inputs": [bucket.url("landing")], "output": bucket.url("warehouse")}

    async def start_run():
        async with get_client() as client:
            deployment = await client.read_deployment_by_name("clean-pages/bucket-ingest")
            run = await client.create_flow_run_from_deployment(deployment.id, parameters=params)
            return deployment, run.id

    async def finished(run_id):
        async with get_client() as client:
            return await client.read_flow_run(run_id)

    def articles() -> int:
        return bucket.rows("warehouse/articles")

    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
        deployment, run_id = asyncio.run(start_run())
        assert deployment.parameters["incremental"] is True
        assert deployment.schedules[0].active is False  # until the bucket is the user's
        log = _run_once(env, tmp_path)
        assert asyncio.run(finished(run_id)).state.is_completed(), log
        assert articles() == 6  # the samples: 8 pages, 2 rejected
        assert len(bucket.ledger("warehouse")) == 5

        bucket.fs.pipe_file(
            f"{bucket.name}/landing/late/seed-again.txt",
            SEED.read_bytes().replace(b"Kazakhstan", b"Uzbekistan"),
        )
        _, run_id = asyncio.run(start_run())
        log = _run_once(env, tmp_path)
        assert asyncio.run(finished(run_id)).state.is_completed(), log
    assert articles() == 7  # the new object only: the rest was skipped
    assert len(bucket.ledger("warehouse")) == 6
    assert bucket.fs.exists(f"{bucket.name}/warehouse/report.html")


def test_cli_with_an_api_url_records_the_run_as_a_flow_run(prefect_server, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from tests.conftest import run_cli

    env = prefect_server
    out = tmp_path / "out"
    result = run_cli("run", "-i", str(SEED), "-o", str(out), "--workers", "1", env=env)
    assert result.returncode == 0, result.stderr
    # the same summary as the plain path prints
    assert result.stdout.startswith("pages read: 1  kept: 1  flagged: 0  rejected: 0\n")
    assert result.stderr == ""

    async def runs():
        async with get_client() as client:
            flows = {f.id: f.name for f in await client.read_flows()}
            return [
                (flows[r.flow_id], r.state.type.value)
                for r in await client.read_flow_runs()
                if r.parameters.get("output") == str(out)
            ]

    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
        recorded = asyncio.run(runs())
    assert recorded == [("clean-pages", "COMPLETED")]


def test_takedown_from_its_deployment_on_a_real_worker(deployed, tmp_path):
    """A moderator's takedown through the `takedown` deployment's form: a real worker
    removes the page, records why, and the takedowns table says so."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    env = deployed
    out = tmp_path / "out"
    assert run_cli("run", "-i", str(SAMPLES), "-o", str(out)).returncode == 0
    before = duckdb.sql(f"select doc_id, title from {scan(out, 'articles')} order by 1").fetchall()
    doc_id = before[0][0]
    params = {"output": str(out), "kind": "doc_id", "value": doc_id, "reason": "legal request 9"}

    async def start():
        async with get_client() as client:
            deployment = await client.read_deployment_by_name("takedown/takedown")
            with pytest.raises(Exception, match="kind"):  # the form refuses a wrong kind
                await client.create_flow_run_from_deployment(
                    deployment.id, parameters={**params, "kind": "title"}
                )
            run = await client.create_flow_run_from_deployment(deployment.id, parameters=params)
            return run.id

    async def finished(run_id):
        async with get_client() as client:
            return await client.read_flow_run(run_id)

    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
        run_id = asyncio.run(start())
        log = _run_once(env, tmp_path)
        assert asyncio.run(finished(run_id)).state.is_completed(), log
    after = duckdb.sql(f"select doc_id, title from {scan(out, 'articles')} order by 1").fetchall()
    assert after == before[1:]
    recorded = duckdb.sql(
        f"select kind, value, reason, articles_removed from {scan(out, 'takedowns')}"
    ).fetchall()
    assert recorded == [("doc_id", doc_id, "legal request 9", 1)]

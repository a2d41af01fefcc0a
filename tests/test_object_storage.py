"""Inputs, output, ledger and lock on object storage: a real S3 API (moto's server on
loopback), reached only through the AWS environment variables a user sets. What the
bucket holds is read back as an analyst would: pyarrow's own S3 filesystem, and DuckDB
over the downloaded files."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from tests.conftest import REPO, SAMPLES, paused_group, plain_run, run_cli, scan, start_dask_cluster

CLI = [sys.executable, "-m", "newsclean.flows.cli"]


def _cli(bucket, cwd, *args, env=None, timeout=300):
    """The command in ``cwd`` (made here, so a test can see it stays empty), with the
    bucket's environment unless told another."""
    cwd.mkdir(exist_ok=True)
    return run_cli(*args, env=env or bucket.env, timeout=timeout, cwd=cwd)


def _analyst_rows(bucket, prefix: str) -> tuple[list[tuple], Counter]:
    """Articles (title, text, language, decision) and rejects by reason, as an analyst
    reads them from the bucket: the tables' current files listed by deltalake, read by
    pyarrow's own S3 filesystem (nothing of newsclean's own reading code)."""
    s3 = pafs.S3FileSystem(
        endpoint_override=bucket.endpoint,
        access_key="testing",
        secret_key="testing",
        region="us-east-1",
        scheme="http",
    )

    def read(name: str):
        table = bucket.table(f"{prefix}/{name}")
        files = [f.removeprefix("s3://") for f in table.file_uris()]
        schema = pa.schema(table.schema().to_arrow())
        return ds.dataset(files, schema=schema, format="parquet", filesystem=s3).to_table()

    articles, rejects = read("articles"), read("rejects")
    rows = sorted(
        zip(
            *(articles[c].to_pylist() for c in ("title", "text", "language", "decision")),
            strict=True,
        )
    )
    return rows, Counter(rejects["reason"].to_pylist())


def _local_rows(out) -> tuple[list[tuple], Counter]:
    arts = duckdb.sql(
        f"select title, text, language, decision from {scan(out, 'articles')}"
    ).fetchall()
    rej = duckdb.sql(f"select reason from {scan(out, 'rejects')}").fetchall()
    return sorted(arts), Counter(r for (r,) in rej)


@pytest.fixture(scope="module")
def local_samples(tmp_path_factory):
    """The bundled samples cleaned on a local disk: what every bucket run must equal."""
    out = tmp_path_factory.mktemp("local") / "out"
    plain_run([SAMPLES], out, workers=1)
    return _local_rows(out)


def test_bucket_to_bucket_with_only_the_environment(bucket, tmp_path, local_samples):
    bucket.upload(SAMPLES, "landing")
    cwd = tmp_path / "cwd"
    done = _cli(
        bucket, cwd, "run", "--input", bucket.url("landing"), "--output", bucket.url("warehouse")
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines()[0] == "pages read: 8  kept: 6  flagged: 0  rejected: 2"
    assert done.stdout.splitlines()[-1] == f"output: {bucket.url('warehouse')}"
    assert list(cwd.iterdir()) == []  # nothing written locally for a remote output
    assert _analyst_rows(bucket, "warehouse") == local_samples

    keys = bucket.keys("warehouse")
    assert "warehouse/_ledger/lock" not in keys  # released
    assert not [k for k in keys if k.endswith(".tmp")]
    ledger = bucket.ledger("warehouse")
    assert "warehouse/_ledger/inputs.parquet" in keys  # one object, whatever the inputs
    assert len(ledger) == 5  # one entry per input file
    entry = ledger[0]
    name, (size, etag) = next(iter(entry["names"].items()))
    assert name.startswith(bucket.url("landing/"))
    assert size == bucket.fs.info(name)["size"]
    assert etag == bucket.fs.info(name)["ETag"].strip('"')  # inputs known by ETag and size

    # DuckDB over the files as downloaded
    local = tmp_path / "downloaded"
    bucket.fs.get(f"{bucket.name}/warehouse/", str(local), recursive=True)
    assert _local_rows(local) == local_samples


def test_incremental_run_skips_unchanged_objects_and_picks_up_new_ones(bucket, tmp_path):
    landing, out = bucket.url("landing"), bucket.url("warehouse")
    bucket.upload(SAMPLES, "landing")
    first = plain_run([landing], out, workers=1, incremental=True)
    assert (first.files, first.skipped, first.pages) == (5, 0, 8)

    # one object rewritten with other content, one new, one copied under a new name
    html = (SAMPLES / "erbil-airport-expansion.html").read_bytes()
    bucket.fs.pipe_file(
        f"{bucket.name}/landing/erbil-airport-expansion.html",
        html.replace(b"</body>", b"<p>An update: the new terminal opens in May.</p></body>"),
    )
    bucket.fs.pipe_file(
        f"{bucket.name}/landing/new/seed.txt",
        (SAMPLES / "kurdistan24-kazakhstan-abraham-accords.txt").read_bytes().replace(b"a", b"o"),
    )
    bucket.fs.copy(
        f"{bucket.name}/landing/berlin-verkehr-dpa.html",
        f"{bucket.name}/landing/copy-of-berlin.html",
    )
    second = plain_run([landing], out, workers=1, incremental=True)
    assert (second.files, second.skipped) == (7, 5)  # 4 unchanged + the copy
    assert second.pages == 2  # the rewritten page and the new one, nothing else

    again = plain_run([landing], out, workers=1, incremental=True)
    assert (again.files, again.skipped, again.pages) == (7, 7, 0)

    # the incremental dataset equals a clean run over what the landing prefix holds now
    clean = plain_run([landing], bucket.url("clean"), workers=1)
    assert clean.pages == 9
    assert _analyst_rows(bucket, "warehouse") == _analyst_rows(bucket, "clean")


def test_a_held_lock_refuses_a_second_run_with_exit_3(bucket, tmp_path):
    from newsclean.flows.lock import output_lock

    bucket.upload(SAMPLES, "landing")
    out = bucket.url("warehouse")
    with output_lock(out):
        lock = json.loads(bucket.fs.cat_file(f"{bucket.name}/warehouse/_ledger/lock"))
        refused = _cli(bucket, tmp_path / "cwd", "run", "-i", bucket.url("landing"), "-o", out)
    assert refused.returncode == 3
    assert refused.stderr == (
        f"newsclean: error: another newsclean run is writing to {out} "
        f"(pid {os.getpid()} on {lock['host']}, since {lock['since']}); "
        f"try again when it is done\n"
    )
    assert bucket.keys("warehouse") == []  # released, and the refused run wrote nothing
    done = _cli(bucket, tmp_path / "cwd", "run", "-i", bucket.url("landing"), "-o", out)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def many_pages(tmp_path):
    """400 distinct pages in 8 JSON Lines files: a run long enough to overlap another."""
    folder = tmp_path / "many"
    folder.mkdir()
    text = (SAMPLES / "kurdistan24-kazakhstan-abraham-accords.txt").read_text()
    for f in range(8):
        with open(folder / f"batch-{f}.jsonl", "w") as fh:
            for i in range(50):
                fh.write(json.dumps({"id": f"p{f}-{i}", "text": f"Story {f}-{i}.\n\n{text}"}))
                fh.write("\n")
    return folder


def test_two_concurrent_runs_one_refused_with_exit_3(bucket, tmp_path, many_pages):
    bucket.upload(many_pages, "landing")
    args = ("run", "-i", bucket.url("landing"), "-o", bucket.url("warehouse"), "--workers", "1")
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
    procs = [
        subprocess.Popen(
            [*CLI, *args],
            cwd=tmp_path / d,
            env=bucket.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in ("a", "b")
    ]
    results = [(p.wait(timeout=600), p.stdout.read(), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 3], results
    refused = next(err for code, _, err in results if code == 3)
    assert refused.startswith(
        f"newsclean: error: another newsclean run is writing to {bucket.url('warehouse')} (pid "
    )
    assert len(refused.splitlines()) == 1
    rows, _ = _analyst_rows(bucket, "warehouse")
    assert len(rows) == 400


def test_killed_run_lease_expires_and_the_rerun_completes(bucket, tmp_path, many_pages):
    bucket.upload(many_pages, "landing")
    env = {**bucket.env, "NEWSCLEAN_LOCK_LEASE_SECONDS": "8"}
    args = [
        *CLI,
        "run",
        "-i",
        bucket.url("landing"),
        "-o",
        bucket.url("warehouse"),
        "--workers",
        "2",
        "--batch-size",
        "10",
    ]
    (tmp_path / "cwd").mkdir()
    proc = subprocess.Popen(args, cwd=tmp_path / "cwd", env=env, start_new_session=True)
    deadline = time.monotonic() + 300
    while len([k for k in bucket.keys("warehouse/articles") if "part-schema" not in k]) < 6:
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, mid-run
    proc.wait()
    assert "warehouse/_ledger/lock" in bucket.keys("warehouse")  # a dead run's lock

    # within its lease the lock still holds...
    early = subprocess.run(args, cwd=tmp_path / "cwd", env=env, capture_output=True, text=True)
    assert early.returncode == 3, early.stderr
    assert "another newsclean run is writing to" in early.stderr
    # ...and once the dead run's lease has run out, a waiting rerun takes it and completes
    rerun = subprocess.run(
        [*args, "--wait-for-lock", "60"],
        cwd=tmp_path / "cwd",
        env=env,
        capture_output=True,
        text=True,
    )
    assert rerun.returncode == 0, rerun.stderr
    rows, _ = _analyst_rows(bucket, "warehouse")
    assert len(rows) == 400  # every page once: nothing lost, nothing duplicated
    assert len(set(rows)) == 400
    plain_run([bucket.url("landing")], bucket.url("clean"), workers=1)
    assert _analyst_rows(bucket, "warehouse") == _analyst_rows(bucket, "clean")
    assert len(bucket.ledger("warehouse")) == 8
    assert list((tmp_path / "cwd").iterdir()) == []


def test_the_lease_is_renewed_while_the_run_lives_and_a_lost_lease_stops_it(bucket, monkeypatch):
    from newsclean.flows.lock import OutputLocked, output_lock

    monkeypatch.setenv("NEWSCLEAN_LOCK_LEASE_SECONDS", "3")
    out = bucket.url("warehouse")
    key = f"{bucket.name}/warehouse/_ledger/lock"
    with output_lock(out) as lease:
        first = json.loads(bucket.fs.cat_file(key))["expires"]
        time.sleep(4)  # longer than the lease: renewed meanwhile (every second), so held
        assert json.loads(bucket.fs.cat_file(key))["expires"] > first + 2
        with pytest.raises(OutputLocked), output_lock(out):
            pass
        lease.check()
        # another run replaced the lock (as one would after this run's lease ran out)
        bucket.fs.pipe_file(key, json.dumps({"pid": 1, "since": "then", "expires": 0}).encode())
        deadline = time.monotonic() + 5
        while lease.lost is None and time.monotonic() < deadline:
            time.sleep(0.1)
        with pytest.raises(OutputLocked, match="this run lost its lock on s3://"):
            lease.check()
    # a run that lost its lock leaves the other's lock in place
    assert json.loads(bucket.fs.cat_file(key))["pid"] == 1


def test_missing_bucket_and_missing_input_are_one_line_usage_errors(bucket, tmp_path):
    bucket.upload(SAMPLES, "landing")
    missing = _cli(
        bucket, tmp_path / "cwd", "run", "-i", bucket.url("landing"), "-o", "s3://no-such-bkt/w"
    )
    assert (missing.returncode, missing.stderr) == (
        2,
        "newsclean: error: output bucket does not exist: s3://no-such-bkt\n",
    )
    nothing = _cli(
        bucket, tmp_path / "cwd", "run", "-i", "s3://no-such-bkt/in", "-o", bucket.url("w")
    )
    assert (nothing.returncode, nothing.stderr) == (
        2,
        "newsclean: error: input does not exist: s3://no-such-bkt/in\n",
    )
    glob = _cli(
        bucket, tmp_path / "cwd", "run", "-i", bucket.url("landing/*.xml"), "-o", bucket.url("w")
    )
    assert (glob.returncode, glob.stderr) == (
        2,
        f"newsclean: error: input matches no file: {bucket.url('landing/*.xml')}\n",
    )
    assert list((tmp_path / "cwd").iterdir()) == []
    assert bucket.keys("w") == []


def test_an_empty_landing_prefix_is_an_empty_landing_folder(bucket):
    """Object stores have no folders: a landing prefix emptied after ingestion is not an
    error for the next scheduled run."""
    report = plain_run([bucket.url("landing")], bucket.url("warehouse"), incremental=True)
    assert (report.files, report.pages) == (0, 0)


def test_glob_and_single_object_inputs(bucket, local_samples):
    bucket.upload(SAMPLES, "landing")
    report = plain_run(
        [bucket.url("landing/*.html"), bucket.url("landing/summit-wire-briefs.jsonl")],
        bucket.url("warehouse"),
        workers=1,
    )
    assert (report.files, report.pages) == (4, 7)


def test_report_on_a_bucket_output(bucket, tmp_path):
    bucket.upload(SAMPLES, "landing")
    plain_run([bucket.url("landing")], bucket.url("warehouse"), workers=1)
    done = _cli(bucket, tmp_path / "cwd", "report", bucket.url("warehouse"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"report: {bucket.url('warehouse/report.html')}\n"
    page = bucket.fs.cat_file(f"{bucket.name}/warehouse/report.html").decode()
    assert "<svg" in page and "no_main_text" in page
    assert list((tmp_path / "cwd").iterdir()) == []


def test_dask_cluster_without_a_shared_disk(bucket, tmp_path, prefect_harness, local_samples):
    """Scheduler and workers in a folder of their own, the driver in another: the only
    thing they share is the bucket."""
    from distributed import Client
    from prefect.settings import PREFECT_API_URL

    bucket.upload(SAMPLES, "landing")
    workers_dir, driver_dir = tmp_path / "workers", tmp_path / "driver"
    workers_dir.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    with start_dask_cluster(logs, cwd=workers_dir, env=bucket.env) as address:
        done = _cli(
            bucket,
            driver_dir,
            "run",
            "-i",
            bucket.url("landing"),
            "-o",
            bucket.url("warehouse"),
            "--batch-size",
            "1",
            "--dask-address",
            address,
            env={**bucket.env, "PREFECT_API_URL": PREFECT_API_URL.value()},
            timeout=600,
        )
        with Client(address) as client:  # the shards really ran on the cluster's workers
            ran = client.run_on_scheduler(
                lambda dask_scheduler: sum(
                    sum(tp.state_counts.values())
                    for name, tp in dask_scheduler.task_prefixes.items()
                    if name == "clean_shard"
                )
            )
    assert ran >= 8
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "pages read: 8  kept: 6  flagged: 0  rejected: 2"
    assert _analyst_rows(bucket, "warehouse") == local_samples
    assert list(driver_dir.iterdir()) == []
    assert [p.name for p in workers_dir.iterdir() if not p.name.startswith("dask-scratch")] == []
    assert REPO.exists()


def test_storage_options_instead_of_the_endpoint_variable(bucket, tmp_path):
    """A store reached through --storage-option alone (here the endpoint; credentials
    stay in the environment, where they belong)."""
    bucket.upload(SAMPLES, "landing")
    env = {k: v for k, v in bucket.env.items() if k != "AWS_ENDPOINT_URL"}
    args = ("run", "-i", bucket.url("landing"), "-o", bucket.url("warehouse"))
    option = ("--storage-option", f"s3.endpoint_url={bucket.endpoint}")
    done = _cli(bucket, tmp_path / "cwd", *args, *option, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("pages read: 8  kept: 6")
    rows, _ = _analyst_rows(bucket, "warehouse")
    assert len(rows) == 6


def test_storage_option_values_are_typed():
    from newsclean.flows.config import parse_storage_options

    assert parse_storage_options(["s3.anon=true", "s3.endpoint_url=http://h:9000"]) == {
        "s3": {"anon": True, "endpoint_url": "http://h:9000"}
    }
    assert parse_storage_options(["gs.project=p", "gs.timeout=30"]) == {
        "gs": {"project": "p", "timeout": 30}
    }


def test_compressed_and_warc_inputs_read_from_the_bucket_as_from_disk(bucket, tmp_path):
    """Every reader on an object: .jsonl.gz, .warc.gz, and a .gz cut off mid-stream,
    with the same rows (truncation reject included) as the same files on disk."""
    import gzip

    from tests.test_warc import _write_warc

    local = tmp_path / "landing"
    local.mkdir()
    _write_warc(local / "crawl.warc.gz", gzip=True)
    records = (SAMPLES / "summit-wire-briefs.jsonl").read_bytes()
    (local / "briefs.jsonl.gz").write_bytes(gzip.compress(records))
    whole = gzip.compress(records * 3)
    (local / "cut.jsonl.gz").write_bytes(whole[: len(whole) * 2 // 3])
    bucket.upload(local, "landing")

    on_disk = plain_run([local], tmp_path / "out", workers=1)
    remote = plain_run([bucket.url("landing")], bucket.url("warehouse"), workers=1)
    assert remote.as_dict()["rejected_by_reason"] == on_disk.as_dict()["rejected_by_reason"]
    assert "truncated" in remote.as_dict()["rejected_by_reason"]
    assert remote.pages == on_disk.pages
    assert _analyst_rows(bucket, "warehouse") == _local_rows(tmp_path / "out")


def _cleaning_seconds(pid: int) -> float:
    """CPU seconds of a process's children (its cleaning child)."""
    import psutil

    total = 0.0
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += sum(child.cpu_times()[:2])
    return total


@pytest.mark.parametrize("paused", ["holding the lock, before planning", "mid-shard"])
def test_a_run_paused_past_its_lease_writes_nothing_after_losing_it(bucket, tmp_path, paused):
    """Run A is paused (SIGSTOP: a GC pause, a suspended VM) as soon as it holds the
    lock, or mid-shard; B takes the lock over once A's lease has run out and completes; A
    resumes. A must learn that it lost the lock before it changes anything: it exits 3
    and B's output stays exactly a clean run's (the page B rejected as an exact duplicate
    stays rejected). Paused before planning, A used to plan against B's ledger entry and
    remove B's rows as an input to replace."""

    text = (SAMPLES / "kurdistan24-kazakhstan-abraham-accords.txt").read_text()
    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n")[1:])
    # enough pages (one shard) that the run is still cleaning when it is paused: 150 took
    # under two seconds once the pages' repeated words and dates were cached
    pages = [
        {
            "id": f"p{i}",
            "html": f"<html><body><h1>Story {i}</h1><p>Story {i} opens.</p>{body}</body></html>",
        }
        for i in range(450)
    ]
    pages.append({**pages[3], "id": "copy-of-p3"})  # an exact duplicate, last
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "pages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pages))
    bucket.upload(landing, "landing")
    policy = tmp_path / "policy.toml"
    policy.write_text("[duplicates]\nreject_exact = true\n")
    env = {**bucket.env, "NEWSCLEAN_LOCK_LEASE_SECONDS": "4"}
    args = ["run", "-i", bucket.url("landing"), "-o", bucket.url("warehouse")]
    args += ["--policy", str(policy), "--workers", "1", "--batch-size", "500"]
    (tmp_path / "cwd").mkdir()
    a = subprocess.Popen(
        [*CLI, *args], cwd=tmp_path / "cwd", env=env, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    if paused == "mid-shard":  # the child's warm-up takes about a second of CPU
        while _cleaning_seconds(a.pid) < 2.5:
            assert a.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    else:
        while not bucket.fs.invalidate_cache() and "warehouse/_ledger/lock" not in bucket.keys(
            "warehouse/_ledger"
        ):
            assert a.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
    with paused_group(a):
        time.sleep(5)  # past A's lease
        b = subprocess.run(
            [*CLI, *args, "--wait-for-lock", "60"],
            cwd=tmp_path / "cwd", env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert b.returncode == 0, b.stderr
        after_b = _analyst_rows(bucket, "warehouse")
    assert a.wait(timeout=300) == 3
    err = a.stderr.read()
    assert "lost its lock" in err and len(err.splitlines()) == 1, err
    rows, reasons = _analyst_rows(bucket, "warehouse")
    assert (rows, reasons) == after_b
    assert reasons == Counter({"duplicate": 1}) and len(rows) == 450
    plain_run([bucket.url("landing")], bucket.url("clean"), workers=1, policy=str(policy))
    assert _analyst_rows(bucket, "clean") == (rows, reasons)
    # what A wrote after it lost the lock stayed in its own staging folder, never current
    current = {
        f.removeprefix(f"s3://{bucket.name}/")
        for f in bucket.table("warehouse/articles").file_uris()
    }
    files = {k for k in bucket.keys("warehouse/articles") if "/_delta_log/" not in k}
    assert files <= current | set(bucket.keys("warehouse/articles/_delta_log"))
    assert files == current


def test_a_lease_that_cannot_be_renewed_is_given_up(bucket, monkeypatch):
    """The store goes out of reach (here: the lock's requests go to a closed port on
    loopback): renewals fail, and once two thirds of the lease have passed without one,
    the run gives the lock up and its next check says so (exit 3 on the CLI)."""
    import s3fs

    from newsclean.flows.lock import OutputLocked, output_lock
    from tests.conftest import free_port

    monkeypatch.setenv("NEWSCLEAN_LOCK_LEASE_SECONDS", "3")
    out = bucket.url("warehouse")
    with output_lock(out) as lease:
        lease.check()
        reachable = lease.fs
        lease.fs = s3fs.S3FileSystem(
            endpoint_url=f"http://127.0.0.1:{free_port()}",
            key="testing",
            secret="testing",
            skip_instance_cache=True,
            config_kwargs={"connect_timeout": 1, "read_timeout": 1, "retries": {"max_attempts": 1}},
        )
        deadline = time.monotonic() + 15
        while lease.lost is None and time.monotonic() < deadline:
            time.sleep(0.1)
        lease.fs = reachable  # so that the test's own clean-up reaches the bucket
        with pytest.raises(OutputLocked, match=r"could not renew its lock on s3://.* and stopped"):
            lease.check()


def test_tables_on_a_bucket_commit_take_down_and_compact(bucket, tmp_path, local_samples):
    """The Delta tables on S3: one commit per run, a takedown that stays, a compaction
    that leaves one file and the same rows, all through the AWS environment only."""
    bucket.upload(SAMPLES, "landing")
    cwd = tmp_path / "cwd"
    run = ("run", "-i", bucket.url("landing"), "-o", bucket.url("warehouse"))
    for version in (0, 1):
        done = _cli(bucket, cwd, *run, "--incremental")
        assert done.returncode == 0, done.stderr
        assert bucket.table("warehouse/articles").version() == version
        assert bucket.table("warehouse/rejects").version() == version
    assert _analyst_rows(bucket, "warehouse") == local_samples

    domain = "news.example.org"
    taken = _cli(bucket, cwd, "takedown", bucket.url("warehouse"), "--domain", domain,
                 "--reason", "request 12")  # fmt: skip
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.startswith(f"taken down domain {domain}: 2 articles, 2 rejects")
    rows, _ = _analyst_rows(bucket, "warehouse")
    assert len(rows) == len(local_samples[0]) - 2

    again = _cli(bucket, cwd, *run, "--reprocess")
    assert again.returncode == 0, again.stderr
    assert "taken down (dropped, not stored): 4" in again.stdout
    assert _analyst_rows(bucket, "warehouse")[0] == rows

    compacted = _cli(bucket, cwd, "compact", bucket.url("warehouse"), "--retention-hours", "0")
    assert compacted.returncode == 0, compacted.stderr
    assert compacted.stdout.splitlines()[0].startswith("articles: 4 -> 1 files")
    assert _analyst_rows(bucket, "warehouse")[0] == rows
    files = [k for k in bucket.keys("warehouse/articles") if "/_delta_log/" not in k]
    assert len(files) == 1  # the vacuum removed every older file
    assert list(cwd.iterdir()) == []

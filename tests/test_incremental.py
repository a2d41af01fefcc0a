"""Incremental ingestion of a landing folder through the ledger."""

from __future__ import annotations

import json
import os
import shutil

import duckdb

from tests.conftest import SAMPLES, run_cli


def _rows(out, dataset, cols):
    return duckdb.sql(
        f"select {cols} from read_parquet('{out}/{dataset}/**/*.parquet') order by all"
    ).fetchall()


def _record(rid, text):
    return json.dumps({"id": rid, "url": f"https://example.org/{rid}", "text": text}) + "\n"


STORY = (
    "Headline number {n}\n\nPARIS (AFP) - The city council approved a new plan for "
    "bicycle lanes on {n} streets on Monday, officials said.\n\nAdvertisement\n\n"
    "Work will start in the spring and last two years."
)


def test_second_run_processes_only_the_added_and_the_changed_file(tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    shutil.copy(SAMPLES / "kurdistan24-kazakhstan-abraham-accords.txt", landing / "seed.txt")
    (landing / "wire.jsonl").write_text(
        _record("a", STORY.format(n=1)) + _record("b", STORY.format(n=2))
    )
    args = ("run", "-i", str(landing), "-o", str(out), "--incremental")
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert "pages read: 3" in first.stdout
    assert {r[0] for r in _rows(out, "articles", "source_id")} == {
        "a",
        "b",
        str(landing / "seed.txt"),
    }

    # one file changed (record b rewritten, record c added) and one file added
    (landing / "wire.jsonl").write_text(
        _record("a", STORY.format(n=1))
        + _record("b", STORY.format(n=22))
        + _record("c", STORY.format(n=3))
    )
    shutil.copy(SAMPLES / "berlin-verkehr-dpa.html", landing / "berlin.html")
    second = run_cli(*args)
    assert second.returncode == 0, second.stderr
    assert "pages read: 4" in second.stdout  # 3 records of wire.jsonl + berlin.html
    assert "3 files (1 unchanged, skipped) in 2 shards" in second.stdout

    rows = _rows(out, "articles", "source_id, text")
    assert sorted(r[0] for r in rows) == sorted(
        ["a", "b", "c", str(landing / "berlin.html"), str(landing / "seed.txt")]
    )
    texts = dict(rows)
    assert "bicycle lanes on 22 streets" in texts["b"]  # the changed record, not the stale one
    assert not any("on 2 streets" in t for t in texts.values())

    third = run_cli(*args)
    assert "pages read: 0" in third.stdout and "(3 unchanged, skipped)" in third.stdout

    # touched but not changed: still skipped (the content hash decides)
    os.utime(landing / "seed.txt")
    assert "(3 unchanged, skipped)" in run_cli(*args).stdout

    reprocess = run_cli(*args, "--reprocess")
    assert "pages read: 5" in reprocess.stdout
    assert _rows(out, "articles", "source_id, text") == rows


def test_ledger_records_path_size_mtime_and_hash(tmp_path):
    out = tmp_path / "out"
    page = SAMPLES / "berlin-verkehr-dpa.html"
    assert run_cli("run", "-i", str(page), "-o", str(out)).returncode == 0
    (entry_file,) = (out / "_ledger" / "inputs").iterdir()
    entry = json.loads(entry_file.read_text())
    st = os.stat(page)
    assert entry["path"] == str(page)
    assert entry["size"] == st.st_size and entry["mtime_ns"] == st.st_mtime_ns
    import hashlib

    assert entry["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    assert entry["blocks"] == 1 and entry["pages"] == 1

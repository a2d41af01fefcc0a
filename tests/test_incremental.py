"""Incremental ingestion of a landing folder through the ledger."""

from __future__ import annotations

import json
import os
import shutil

import duckdb

from tests.conftest import SAMPLES, ledger_entries, run_cli, scan


def _rows(out, dataset, cols):
    return duckdb.sql(f"select {cols} from {scan(out, dataset)} order by all").fetchall()


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
    (entry,) = ledger_entries(out)
    st = os.stat(page)
    assert entry["path"] == str(page)
    assert entry["size"] == st.st_size and entry["mtime_ns"] == st.st_mtime_ns
    import hashlib

    assert entry["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    assert entry["blocks"] == 1 and entry["pages"] == 1


def _run(landing, out, *extra):
    result = run_cli("run", "-i", str(landing), "-o", str(out), "--incremental", *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _entries(out):
    return ledger_entries(out)


def test_a_renamed_or_linked_file_is_the_same_input(tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    (landing / "one.jsonl").write_text(_record("a", STORY.format(n=1)))
    assert "pages read: 1" in _run(landing, out)
    rows = _rows(out, "articles", "doc_id, source_id, text")

    (landing / "one.jsonl").rename(landing / "renamed.jsonl")
    os.symlink(landing / "renamed.jsonl", landing / "linked.jsonl")
    stdout = _run(landing, out)
    assert "pages read: 0" in stdout and "(2 unchanged, skipped)" in stdout
    assert _rows(out, "articles", "doc_id, source_id, text") == rows  # no second copy
    ((entry,),) = [_entries(out)]
    assert set(entry["names"]) == {
        str(landing / n) for n in ("one.jsonl", "renamed.jsonl", "linked.jsonl")
    }


def test_a_file_and_a_link_to_it_in_one_run_are_read_once(tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    (landing / "a.jsonl").write_text(_record("a", STORY.format(n=1)))
    os.symlink(landing / "a.jsonl", landing / "b.jsonl")
    stdout = _run(landing, out)
    assert "pages read: 1" in stdout and "(1 unchanged, skipped)" in stdout
    assert len(_rows(out, "articles", "source_id")) == 1


def test_a_linked_folder_is_read(tmp_path):
    landing, elsewhere, out = tmp_path / "landing", tmp_path / "elsewhere", tmp_path / "out"
    landing.mkdir()
    elsewhere.mkdir()
    (elsewhere / "a.jsonl").write_text(_record("a", STORY.format(n=1)))
    os.symlink(elsewhere, landing / "linked")
    os.symlink(landing, elsewhere / "back-to-landing")  # a loop must not hang the walk
    assert "pages read: 1" in _run(landing, out)
    assert _rows(out, "articles", "source_id") == [("a",)]


def test_copies_are_decided_again_when_their_original_goes(tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    policy = tmp_path / "policy.toml"
    policy.write_text("[duplicates]\nreject_exact = true\n")
    (landing / "a.jsonl").write_text(_record("a1", STORY.format(n=1)))
    (landing / "b.jsonl").write_text(
        _record("b1", STORY.format(n=1)) + _record("b2", STORY.format(n=2))
    )
    _run(landing, out, "--policy", str(policy))
    kept = dict(_rows(out, "articles", "source_id, doc_id"))["a1"]
    assert _rows(out, "rejects", "source_id, detail") == [("b1", f"same text as doc_id {kept}")]
    assert _rows(out, "rejects", "source_id, reason") == [("b1", "duplicate")]

    # the original changes and drops the text: its copy is the first now, and is kept
    (landing / "a.jsonl").write_text(_record("a1", STORY.format(n=3)))
    stdout = _run(landing, out, "--policy", str(policy))
    assert "pages read: 3" in stdout  # a.jsonl, and b.jsonl decided again
    assert [r[0] for r in _rows(out, "articles", "source_id")] == ["a1", "b1", "b2"]
    assert _rows(out, "rejects", "source_id") == []


def test_an_input_rewritten_mid_run_is_completed_by_the_next_run(tmp_path):
    from newsclean.flows.config import build_config
    from newsclean.flows.engine import run

    landing, out, clean = tmp_path / "landing", tmp_path / "out", tmp_path / "clean"
    landing.mkdir()
    for name in ("a", "b", "c"):
        (landing / f"{name}.jsonl").write_text(_record(name, STORY.format(n=ord(name))))
    config = build_config(inputs=[str(landing)], output=str(out), workers=1, incremental=True)
    rewritten = []

    def rewrite_b_while_it_runs(shard_report):
        if not rewritten:  # after a's shard: b is listed, planned and hashed already
            (landing / "b.jsonl").write_text(_record("b", STORY.format(n=222)))
            rewritten.append(True)

    run(config, on_shard=rewrite_b_while_it_runs)
    run(config)  # the next scheduled run
    run(build_config(inputs=[str(landing)], output=str(clean), workers=1))
    cols = "doc_id, source_id, text"
    assert _rows(out, "articles", cols) == _rows(clean, "articles", cols)
    assert "bicycle lanes on 222 streets" in dict(_rows(out, "articles", "source_id, text"))["b"]

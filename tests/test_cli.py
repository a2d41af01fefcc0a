"""The command line as a user meets it: exit codes, one-line errors, reruns."""

from __future__ import annotations

import duckdb
import pyarrow.dataset as ds
import pytest
from deltalake import DeltaTable

from tests.conftest import SAMPLES, SEED, run_cli, scan


def _rows(out, dataset, columns="*"):
    return duckdb.sql(f"select {columns} from {scan(out, dataset)} order by all").fetchall()


def test_samples_run_accounts_for_every_page(tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "--input", str(SAMPLES), "--output", str(out), "--workers", "2")
    assert result.returncode == 0, result.stderr
    articles = _rows(out, "articles", "source_id, decision")
    rejects = _rows(out, "rejects", "source_id, reason, detail")
    # 3 HTML pages, 1 text page, 4 JSONL records
    assert len(articles) + len(rejects) == 8
    assert rejects == [
        ("wire-0003", "no_main_text", "trafilatura found no main text"),
        ("wire-0004", "malformed_record", "text is not a string"),
    ]
    assert {a[1] for a in articles} == {"keep"}
    assert "pages read: 8  kept: 6  flagged: 0  rejected: 2" in result.stdout
    assert "rejected by reason: malformed_record 1, no_main_text 1" in result.stdout


def test_sample_html_page_is_cleaned(tmp_path):
    out = tmp_path / "out"
    page = SAMPLES / "kazakhstan-minerals-reuters-style.html"
    assert run_cli("run", "-i", str(page), "-o", str(out)).returncode == 0
    ((title, authors, published, provenance, text, captions, dateline, removed),) = _rows(
        out,
        "articles",
        "title, authors, published, provenance, text, captions, dateline, removed",
    )
    assert title == "Central Asian states court investors for critical minerals"
    assert authors == ["Sample Wire Staff"]
    assert provenance == {"title": "metadata", "published": "htmldate", "authors": "metadata"}
    assert str(published) == "2025-11-07"
    assert dateline == {
        "raw": "LONDON, Nov 7 (Reuters) -",
        "location": "LONDON",
        "source": "Reuters",
        "date": "Nov 7",
    }
    caption = (
        "A worker walks past a uranium processing plant in southern Kazakhstan. "
        "REUTERS/Sample Photographer"
    )
    assert captions == [caption]
    assert [(r["rule"], r["text"]) for r in removed] == [
        ("title", "Central Asian states court investors for critical minerals"),
        ("dateline", "LONDON, Nov 7 (Reuters) -"),
        ("caption", caption),
        ("ad_label", "Story continues below advertisement"),
        ("read_more", "Read more: Uranium prices hit a twelve-year high"),
    ]
    body = text.split("\n")
    assert body[0].startswith("Central Asian governments are offering tax breaks")
    assert "Central Asian governments are offering tax breaks" in text
    assert body[-1] == (
        "The European Union signed a memorandum on raw materials with Kazakhstan in 2022 "
        "and is negotiating similar agreements with its neighbours."
    )
    assert "as reported by The Associated Press earlier this month" in text
    assert "Story continues" not in text and "Read more" not in text


def test_latin1_page_with_declared_charset_is_decoded(tmp_path):
    out = tmp_path / "out"
    page = SAMPLES / "berlin-verkehr-dpa.html"
    assert run_cli("run", "-i", str(page), "-o", str(out)).returncode == 0
    ((text, language, dateline),) = _rows(out, "articles", "text, language, dateline")
    assert language == "de"
    assert dateline["raw"] == "Berlin (dpa) -"
    assert "Der Berliner Senat will auf vier großen Straßen der Innenstadt" in text
    assert "Anzeige" not in text.split("\n")


def test_rerun_replaces_instead_of_duplicating(tmp_path):
    out = tmp_path / "out"
    args = ("run", "--input", str(SAMPLES), "--output", str(out))
    assert run_cli(*args).returncode == 0
    cols = "doc_id, source_id, text, captions, dateline, removed, language, decision"
    first = _rows(out, "articles", cols), _rows(out, "rejects", "doc_id, reason, detail")
    before = {name: DeltaTable(str(out / name)).file_uris() for name in ("articles", "rejects")}
    assert run_cli(*args, "--workers", "2", "--batch-size", "1").returncode == 0
    second = _rows(out, "articles", cols), _rows(out, "rejects", "doc_id, reason, detail")
    assert second == first
    assert len({row[0] for row in first[0]}) == len(first[0])
    # batch size 1 splits the JSONL file into 4 parts (its 2 articles and its 2 rejects in
    # files of their own); every file of the first run left the tables in the same commit
    after = {name: DeltaTable(str(out / name)).file_uris() for name in ("articles", "rejects")}
    assert len(after["articles"]) == len(before["articles"]) + 1
    assert len(after["rejects"]) == len(before["rejects"]) + 1
    assert not set(before["articles"] + before["rejects"]) & set(
        after["articles"] + after["rejects"]
    )
    assert [DeltaTable(str(out / n)).version() for n in ("articles", "rejects")] == [1, 1]
    # the first run's version still reads as it was (time travel, until a vacuum)
    old = DeltaTable(str(out / "articles"), version=0).file_uris()
    assert sorted(old) == sorted(before["articles"])


def test_written_files_carry_schema_version(tmp_path):
    out = tmp_path / "out"
    assert run_cli("run", "-i", str(SAMPLES), "-o", str(out)).returncode == 0
    dataset = ds.dataset(DeltaTable(str(out / "articles")).file_uris(), format="parquet")
    assert dataset.schema.metadata[b"newsclean.schema_version"] == b"4"
    assert dataset.schema.metadata[b"newsclean.dataset"] == b"articles"
    assert dataset.count_rows() == 6


def call_main(argv: list[str], capsys) -> tuple[int, str, str]:
    """``newsclean`` in this process: the exit code, stdout and stderr a user sees."""
    from newsclean.flows.cli import main

    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _policy_not_utf8(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_bytes(b"[length]\nmin_words = 5 # \xff\xfe latin-1: caf\xe9\n")
    return str(path)


# (arguments, the one line on stderr). A callable argument is given tmp_path.
UNUSABLE = [
    (["--input", "no/such/file.jsonl"], "input does not exist: no/such/file.jsonl"),
    (["--input", "no/such/*.html"], "input matches no file: no/such/*.html"),
    (
        ["--input", "pyproject.toml"],
        "unsupported input type: pyproject.toml (expected one of .jsonl, .ndjson, .jsonl.gz, "
        ".ndjson.gz, .warc, .warc.gz, .html, .htm, .txt)",
    ),
    (["--workers", "0"], "workers must be a whole number from 1 to {max_workers}, not 0"),
    (["--workers", "3000"], "workers must be a whole number from 1 to {max_workers}, not 3000"),
    (["--workers", "two"], "argument --workers: invalid int value: 'two'"),
    (["--batch-size", "0"], "batch size must be a whole number from 1 to 100000, not 0"),
    (["--page-timeout", "inf"], "page timeout must be from 0 to 86400 seconds, not inf"),
    (["--page-timeout", "1e10"], "page timeout must be from 0 to 86400 seconds, not 1e+10"),
    (["--page-timeout", "nan"], "page timeout must be from 0 to 86400 seconds, not nan"),
    (["--page-timeout", "-1"], "page timeout must be from 0 to 86400 seconds, not -1"),
    (["--max-page-mb", "nan"], "maximum page size must be from 0 to 1024 MB, not nan"),
    (["--max-page-mb", "inf"], "maximum page size must be from 0 to 1024 MB, not inf"),
    (["--max-page-mb", "1e400"], "maximum page size must be from 0 to 1024 MB, not inf"),
    (["--wait-for-lock", "nan"], "lock wait must be from 0 to 604800 seconds, not nan"),
    (["--wait-for-lock", "-5"], "lock wait must be from 0 to 604800 seconds, not -5"),
    (
        ["--dask-address", "localhost:8786"],
        "dask address must look like tcp://host:port (or tls://, inproc://, ucx://), "
        "not 'localhost:8786'",
    ),
    (["--policy", "no-such-policy.toml"], "policy file does not exist: no-such-policy.toml"),
    (["--policy", "tests"], "policy file is a folder: tests"),
    (
        ["--policy", _policy_not_utf8],
        "policy file {tmp_path}/policy.toml is not UTF-8 text (byte 25): TOML must be UTF-8",
    ),
    (["--output"], "argument --output/-o: expected one argument"),
    (["--output", "/proc/newsclean-out"], "output cannot be written: /proc: "),
    (["--output", "nosuch://bucket/warehouse"], "no filesystem for nosuch:// (in "),
    (["--input", "nosuch://bucket/landing"], "no filesystem for nosuch:// (in "),
    (["--storage-option", "endpoint=x"], "storage option must look like PROTOCOL.KEY=VALUE"),
]


@pytest.mark.parametrize(
    "args, message", UNUSABLE, ids=[" ".join(map(str, a)) for a, _ in UNUSABLE]
)
def test_unusable_arguments_exit_2_with_one_line(tmp_path, monkeypatch, capsys, args, message):
    from newsclean.flows.config import max_workers

    monkeypatch.chdir(SEED.parents[2])  # relative paths as a user in the checkout types them
    out = tmp_path / "out"
    args = [a(tmp_path) if callable(a) else a for a in args]
    argv = ["run"] + ([] if "--input" in args else ["-i", str(SEED)]) + args
    argv += [] if "--output" in args else ["-o", str(out)]
    code, stdout, stderr = call_main(argv, capsys)
    assert code == 2
    assert stderr.count("\n") == 1, stderr
    line = f"newsclean: error: {message.format(max_workers=max_workers(), tmp_path=tmp_path)}"
    assert stderr.strip().startswith(line), stderr
    assert stdout == ""
    assert not out.exists()
    assert not list(tmp_path.glob(".newsclean-probe-*"))


def test_unusable_argument_in_a_real_process_exits_2_with_one_line(tmp_path):
    """One smoke test of the installed entry point; the table above runs in-process."""
    out = tmp_path / "out"
    result = run_cli("run", "-i", str(SEED), "-o", str(out), "--workers", "0")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()] and result.stderr.startswith(
        "newsclean: error: workers must be a whole number from 1 to"
    )
    assert result.stdout == ""
    assert not out.exists()


def test_output_that_is_a_file_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for output in (blocker, blocker / "out"):
        result = run_cli("run", "-i", str(SEED), "-o", str(output))
        assert result.returncode == 2
        assert len(result.stderr.splitlines()) == 1
        assert "newsclean: error: output" in result.stderr
    assert blocker.read_text() == "not a folder"

"""The command line as a user meets it: exit codes, one-line errors, reruns."""

from __future__ import annotations

import duckdb
import pyarrow.dataset as ds
import pytest

from tests.conftest import SAMPLES, SEED, run_cli


def _rows(out, dataset, columns="*"):
    return duckdb.sql(
        f"select {columns} from read_parquet('{out}/{dataset}/**/*.parquet') order by all"
    ).fetchall()


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
    ((title, author, published, text, captions, dateline, removed),) = _rows(
        out, "articles", "title, author, published, text, captions, dateline, removed"
    )
    assert title == "Central Asian states court investors for critical minerals"
    assert author == "Sample Wire Staff"
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
    files = sorted(p.name for p in out.rglob("*.parquet"))
    assert run_cli(*args, "--workers", "2", "--batch-size", "1").returncode == 0
    second = _rows(out, "articles", cols), _rows(out, "rejects", "doc_id, reason, detail")
    assert second == first
    assert len({row[0] for row in first[0]}) == len(first[0])
    # batch size 1 splits the JSONL file into 4 parts; the bigger blocks it replaced are gone
    assert len(list(out.rglob("*.parquet"))) == len(files) + 2


def test_written_files_carry_schema_version(tmp_path):
    out = tmp_path / "out"
    assert run_cli("run", "-i", str(SAMPLES), "-o", str(out)).returncode == 0
    dataset = ds.dataset(out / "articles", format="parquet")
    assert dataset.schema.metadata[b"newsclean.schema_version"] == b"1"
    assert dataset.schema.metadata[b"newsclean.dataset"] == b"articles"
    assert dataset.count_rows() == 6


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--input", "no/such/file.jsonl"],
            "newsclean: error: input does not exist: no/such/file.jsonl",
        ),
        (["--input", "no/such/*.html"], "newsclean: error: input matches no file: no/such/*.html"),
        (["--input", "pyproject.toml"], "newsclean: error: unsupported input type: pyproject.toml"),
        (
            ["--input", str(SEED), "--workers", "0"],
            "newsclean: error: workers must be 1 or more, not 0",
        ),
        (
            ["--input", str(SEED), "--policy", "no-such-policy.toml"],
            "newsclean: error: policy file does not exist: no-such-policy.toml",
        ),
        (["--output"], "newsclean: error: argument --output/-o: expected one argument"),
    ],
)
def test_unusable_arguments_exit_2_with_one_line(tmp_path, args, message):
    out = tmp_path / "out"
    argv = ["run", *args] if "--output" in args else ["run", *args, "--output", str(out)]
    result = run_cli(*argv)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.strip().startswith(message)
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

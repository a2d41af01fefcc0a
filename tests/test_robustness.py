"""Dirty input: every bad page becomes a reject with a reason, the run goes on (exit 0),
and every page read is accounted for."""

from __future__ import annotations

import gzip
import json
import os
import random
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES, run_cli, scan

ARTICLE_EN = (
    "The city council approved a new plan for bicycle lanes on Monday, officials said. "
    "Work on the first four streets will start in the spring and last two years, and the "
    "mayor promised that traffic would flow again by the summer holidays."
)
RU = (
    "Городской совет в понедельник утвердил новый план строительства велосипедных дорожек "
    "на четырёх улицах. Работы начнутся весной и продлятся два года, сообщили чиновники."
)
DE = (
    "Der Stadtrat hat am Montag einen neuen Plan für Radwege auf vier Straßen beschlossen. "
    "Die Arbeiten sollen im Frühjahr beginnen und zwei Jahre dauern, teilten Beamte mit."
)
JA = "市議会は月曜日、四つの通りに自転車専用レーンを設ける新しい計画を承認した。工事は春に始まり二年間続く予定だと当局者は述べた。"
ZH = "市议会周一批准了在四条街道上修建自行车道的新计划。官员们说，工程将于春季开始，持续两年。"


def _html(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Test page</title></head><body><article><p>{body}</p><p>{body}</p></article></body></html>"


def _records(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


@pytest.fixture(scope="module")
def dirty_run(tmp_path_factory):
    land = tmp_path_factory.mktemp("landing")
    out = tmp_path_factory.mktemp("out") / "dataset"

    def w(name, data):
        (land / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    w("empty.html", b"")
    w("empty.txt", b"   \n")
    w("empty.jsonl", b"")
    rnd = random.Random(7)
    w("junk.html", bytes(rnd.randrange(256) for _ in range(20000)) + b"\x00\x00")
    w("nul.txt", b"Some text\x00with NUL bytes\x00inside it.")
    w("cp1251-declared.html", _html(RU, '<meta charset="windows-1251">').encode("cp1251"))
    w("cp1251-undeclared.html", _html(RU * 3).encode("cp1251"))
    w(
        "latin1.html",
        _html(
            DE, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        ).encode("latin-1"),
    )
    w("shift-jis.html", _html(JA, '<meta charset="shift_jis">').encode("shift_jis"))
    w("gb18030.html", _html(ZH * 2).encode("gb18030"))
    w(
        "xml-declaration.html",
        ('<?xml version="1.0" encoding="windows-1252"?>\n' + _html(DE.replace("ß", "ss"))).encode(
            "cp1252"
        ),
    )
    w(
        "deep.html",
        "<html><body>"
        + "<div>" * 200_000
        + "<p>"
        + ARTICLE_EN
        + "</p>"
        + "</div>" * 200_000
        + "</body></html>",
    )
    w(
        "big-table.html",
        "<html><body><table>"
        + "<tr><td>cell</td><td>value 12345</td></tr>" * 330_000
        + "</table></body></html>",
    )
    w(
        "script-only.html",
        "<html><head><script>var a = 1;</script></head><body><script>document.write('x')</script></body></html>",
    )
    w("one-word.html", "<html><body><p>Hello</p></body></html>")
    w("one-word.txt", "Hello")
    w("long-line.txt", ("word " * 1_000_000).strip())
    w(
        "zero-width-rtl.txt",
        "Headline here\n\n"
        + ARTICLE_EN.replace(" ", " \u200b", 5)
        + "\n\u202eمرحبا بالعالم وهذا نص عربي طويل بما يكفي\u202c",
    )
    w("with space.html", _html(ARTICLE_EN))
    w("ünïcödé ñame.html", _html(ARTICLE_EN + " Second copy."))
    w(".hidden.html", _html(ARTICLE_EN + " Third copy."))
    w(
        "malformed.jsonl",
        _records(
            {"id": "ok-1", "url": "https://example.org/ok", "text": ARTICLE_EN},
            '{"id": "truncated", "text": "The city council appro',
            "[1, 2, 3]",
            {"id": "no-body", "url": "https://example.org/x"},
            {"id": "html-not-string", "html": ["<p>list</p>"]},
            {"id": ["not", "a", "string"], "text": ARTICLE_EN},
            {"id": "bad-date", "text": ARTICLE_EN, "fetched_at": "yesterday at noon"},
            {"id": "bad-url", "text": ARTICLE_EN, "url": "javascript:alert(1)"},
            {"id": "ok-1", "text": ARTICLE_EN + " A duplicate id."},
            {"id": "../../../etc/passwd", "text": ARTICLE_EN + " Path-like id."},
        ).encode("utf-8")
        + b'{"id": "bad-utf8", "text": "\xff\xfe invalid UTF-8"}\n',
    )
    blob = gzip.compress(
        _records(
            *({"id": f"gz-{i}", "text": ARTICLE_EN + f" Number {i}."} for i in range(200))
        ).encode()
    )
    w("truncated.jsonl.gz", blob[: len(blob) // 2])

    result = run_cli("run", "-i", str(land), "-o", str(out), "--workers", "2")
    assert result.returncode == 0, result.stderr
    articles = {
        r[0]: r[1:]
        for r in duckdb.sql(
            f"select source_id, text, language from {scan(out, 'articles')}"
        ).fetchall()
    }
    rejects = {
        r[0]: r[1:]
        for r in duckdb.sql(
            f"select source_id, reason, detail from {scan(out, 'rejects')}"
        ).fetchall()
    }
    return land, out, articles, rejects, result


def _reason(run, name):
    land, _, _, rejects, _ = run
    return rejects[str(land / name)][0]


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.html", "empty"),
        ("empty.txt", "empty"),
        ("empty.jsonl", "empty"),
        ("junk.html", "undecodable"),
        ("nul.txt", "undecodable"),
        ("big-table.html", "too_large"),
        ("script-only.html", "no_main_text"),
    ],
)
def test_bad_file_becomes_a_reject_with_a_reason(dirty_run, name, reason):
    assert _reason(dirty_run, name) == reason


@pytest.mark.parametrize(
    "name, expected",
    [
        ("cp1251-declared.html", "Городской совет в понедельник"),
        ("cp1251-undeclared.html", "Городской совет в понедельник"),
        ("latin1.html", "Der Stadtrat hat am Montag einen neuen Plan für Radwege auf vier Straßen"),
        ("shift-jis.html", "市議会は月曜日"),
        ("gb18030.html", "市议会周一批准了"),
        ("xml-declaration.html", "Der Stadtrat hat am Montag"),
        ("with space.html", "The city council approved"),
        ("ünïcödé ñame.html", "The city council approved"),
        (".hidden.html", "The city council approved"),
    ],
)
def test_legacy_encodings_and_odd_names_are_read_right(dirty_run, name, expected):
    land, _, articles, _, _ = dirty_run
    assert expected in articles[str(land / name)][0]


def test_text_edge_cases(dirty_run):
    land, _, articles, _, _ = dirty_run
    # one word is still main text: the default policy rejects only pages with none
    assert articles[str(land / "one-word.txt")] == ("Hello", "und")
    assert articles[str(land / "one-word.html")] == ("Hello", "und")
    text, language = articles[str(land / "long-line.txt")]
    assert len(text.split()) == 1_000_000 and language != ""
    text, _ = articles[str(land / "zero-width-rtl.txt")]
    assert "\u200b" not in text and "مرحبا بالعالم" in text
    assert text.startswith("The city council approved a new plan")


def test_deeply_nested_page_does_not_stop_the_run(dirty_run):
    land, _, articles, rejects, _ = dirty_run
    key = str(land / "deep.html")
    assert (key in articles) != (key in rejects)
    if key in rejects:
        assert rejects[key][0] in {"no_main_text", "extraction_error"}


def test_malformed_jsonl_lines_are_rejects(dirty_run):
    land, _, articles, rejects, _ = dirty_run
    path = str(land / "malformed.jsonl")
    got = {sid: rejects[sid] for sid in rejects if sid.startswith(path) or not sid.startswith("/")}
    assert got[f"{path}:2"][0] == "malformed_record" and got[f"{path}:2"][1].startswith(
        "invalid JSON"
    )
    assert got[f"{path}:3"] == ("malformed_record", "the line is not a JSON object")
    assert got["no-body"] == ("malformed_record", "the record has no html or text")
    assert got["html-not-string"] == ("malformed_record", "html is not a string")
    assert got[f"{path}:6"] == ("malformed_record", "id is not a string or number")
    assert got["bad-date"] == (
        "malformed_record",
        "fetched_at is not ISO 8601: 'yesterday at noon'",
    )
    assert got["bad-url"] == (
        "malformed_record",
        "url is not an absolute http(s) URL: 'javascript:alert(1)'",
    )
    # the second record with id ok-1: a reject named by its line, so that (input_path,
    # source_id) names one row, whatever the batch size (tests/test_supervision.py)
    assert got[f"{path}:9"] == ("malformed_record", "duplicate id 'ok-1', first on line 1")
    assert got[f"{path}:11"][0] == "malformed_record"  # invalid UTF-8
    assert "ok-1" in articles and "../../../etc/passwd" in articles


def test_no_input_value_becomes_a_path(dirty_run):
    _, out, _, _, _ = dirty_run
    # the tables' logs are named by version; everything else by a hash, never by a value
    names = {p.name for p in Path(out).rglob("*") if p.is_file() and p.parent.name != "_delta_log"}
    fixed = {"lock", "inputs.parquet"}
    assert all(n in fixed or n.startswith("part-") or len(n.split(".")[0]) == 16 for n in names), (
        names
    )
    assert not (Path(out).parent / "etc").exists()


def test_truncated_gzip_keeps_the_pages_before_the_break(dirty_run):
    land, _, articles, rejects, _ = dirty_run
    kept = [sid for sid in articles if sid.startswith("gz-")]
    assert 0 < len(kept) < 200
    assert sorted(kept, key=lambda s: int(s[3:])) == [f"gz-{i}" for i in range(len(kept))]
    (trunc,) = [v for k, v in rejects.items() if k.startswith(str(land / "truncated.jsonl.gz"))]
    assert trunc[0] == "truncated"


def test_every_page_read_is_in_exactly_one_dataset(dirty_run):
    _, out, articles, rejects, result = dirty_run
    assert not set(articles) & set(rejects)
    pages = int(result.stdout.split("pages read: ")[1].split()[0])
    assert pages == len(articles) + len(rejects)


def test_budgets_reject_slow_and_large_pages(tmp_path):
    out = tmp_path / "out"
    page = SAMPLES / "kazakhstan-minerals-reuters-style.html"
    result = run_cli(
        "run", "-i", str(page), "-o", str(out), "--page-timeout", "0.0001", "--workers", "1"
    )
    assert result.returncode == 0, result.stderr
    ((reason, detail),) = duckdb.sql(
        f"select reason, detail from {scan(out, 'rejects')}"
    ).fetchall()
    assert (reason, detail) == ("timeout", "cleaning took longer than 0.0001 s")
    out2 = tmp_path / "out2"
    assert (
        run_cli("run", "-i", str(page), "-o", str(out2), "--max-page-mb", "0.001").returncode == 0
    )
    ((reason, detail),) = duckdb.sql(
        f"select reason, detail from {scan(out2, 'rejects')}"
    ).fetchall()
    assert (reason, detail) == (
        "too_large",
        f"{os.path.getsize(page):,} bytes, more than the limit of 1,048",
    )


def test_duplicate_ids_across_shards_of_one_file(tmp_path):
    path = tmp_path / "ids.jsonl"
    path.write_text(
        _records(
            {"id": "a", "text": ARTICLE_EN},
            {"id": "b", "text": ARTICLE_EN + " Two."},
            {"id": "a", "text": ARTICLE_EN + " Three."},
            {"text": ARTICLE_EN + " Four, without an id."},
            {"id": "b", "text": "not a string id holder", "url": 5},
        )
    )
    out = tmp_path / "out"
    result = run_cli("run", "-i", str(path), "-o", str(out), "--batch-size", "1", "--workers", "2")
    assert result.returncode == 0, result.stderr
    articles = duckdb.sql(f"select source_id from {scan(out, 'articles')} order by 1").fetchall()
    rejects = duckdb.sql(
        f"select source_id, reason, detail from {scan(out, 'rejects')} order by 1"
    ).fetchall()
    assert articles == [(f"{path}:4",), ("a",), ("b",)]
    # later records under a used id are named by their line, whatever their fate
    assert rejects == [
        (f"{path}:3", "malformed_record", "duplicate id 'a', first on line 1"),
        (f"{path}:5", "malformed_record", "url is not a string"),
    ]
    assert "pages read: 5  kept: 3  flagged: 0  rejected: 2" in result.stdout

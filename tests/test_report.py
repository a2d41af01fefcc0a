"""The report people look at: every chart, the seed's cut lines, the audit view rebuilt
from the Parquet alone, `newsclean show`, and the page in a real headless browser with no
console error and no request to the network."""

from __future__ import annotations

import contextlib
import html
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import duckdb
import pytest

from newsclean.cleaners.normalize import paragraphs
from newsclean.flows.report import audit_lines, build_report
from tests.conftest import SAMPLES, SEED, plain_run, scan

CHARTS = [
    "Articles and rejects per run (ingested_at)",
    "Rejects by reason",
    "Removed pieces by rule",
    "Flags by code",
    "Languages",
    "Word count (articles)",
    "Top domains kept",
    "Top domains rejected",
]


@pytest.fixture(scope="module")
def samples_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    policy = out.parent / "policy.toml"
    policy.write_text('[terms]\nflag = ["Abraham Accords"]\n')
    plain_run([SAMPLES], out, workers=1, policy=str(policy))
    return out


def _seed_doc(out) -> str:
    return duckdb.sql(
        f"select doc_id from {scan(out, 'articles')} "
        "where source_id like '%kurdistan24-kazakhstan%'"
    ).fetchall()[0][0]


def test_the_report_shows_every_chart_and_the_seeds_cut_lines(samples_out):
    page = build_report(str(samples_out))
    for title in CHARTS:
        assert f">{html.escape(title)}<" in page, title
    assert page.count("<svg") == len(CHARTS)
    text = html.unescape(page)
    for cut in (
        "Fly Erbil Advertisment",
        "Kazakh President Kassym-Jomart Tokayev. (AP)",
        "ERBIL (Kurdistan24) –",
    ):
        assert cut in text, cut
    # the flagged seed, with its term in context, and the samples' two rejects
    assert "<mark>Abraham Accords</mark>" in page
    assert "text is not a string" in text and "trafilatura found no main text" in text
    # each sample links to the page's audit view, in the same file
    doc = _seed_doc(samples_out)
    assert f'href="#doc-{doc}"' in page and f'id="doc-{doc}"' in page


def test_the_report_fetches_nothing_and_runs_nothing(samples_out):
    page = build_report(str(samples_out))
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.findall(r"url\((?!#)", page) and "@import" not in page  # url(#id) is internal
    assert not re.findall(r'(?:href|src)="(?!#)', page)


SEED_BODY = paragraphs(SEED.read_text(encoding="utf-8"))[1:]  # under the headline


def test_the_audit_view_puts_every_cut_back_where_it_stood(samples_out):
    from newsclean.flows.report import Output

    article = Output(str(samples_out)).article(_seed_doc(samples_out))
    lines = audit_lines(article["text"], article["removed"])
    rebuilt, i = [], 0
    while i < len(lines):  # a dateline goes back in front of its paragraph
        if lines[i].rule == "dateline":
            rebuilt.append(f"{lines[i].text} {lines[i + 1].text}")
            i += 2
        else:
            rebuilt.append(lines[i].text)
            i += 1
    assert rebuilt == SEED_BODY
    assert [(line.rule, line.text) for line in lines if line.rule] == [
        ("caption", "Kazakh President Kassym-Jomart Tokayev. (AP)"),
        ("caption", "Kazakh President Kassym-Jomart Tokayev. (AP)"),
        ("dateline", "ERBIL (Kurdistan24) –"),
        ("ad_label", "Fly Erbil Advertisment"),
    ]


def test_newsclean_show_prints_the_seeds_audit_view(samples_out, capsys):
    from newsclean.flows.cli import main

    assert main(["show", str(samples_out), _seed_doc(samples_out)]) == 0
    out = capsys.readouterr().out
    assert "[ad_label] Fly Erbil Advertisment" in out
    assert "[caption] Kazakh President Kassym-Jomart Tokayev. (AP)" in out
    assert "[dateline] ERBIL (Kurdistan24) –" in out
    assert "Kazakhstan will join the Abraham Accords" in out
    assert main(["show", str(samples_out), "no-such-doc"]) == 2
    assert capsys.readouterr().err == (
        f"newsclean: error: no article with doc_id no-such-doc in {samples_out}\n"
    )


def test_newsclean_report_writes_the_file_and_says_where(samples_out, tmp_path, capsys):
    from newsclean.flows.cli import main

    target = tmp_path / "r.html"
    assert main(["report", str(samples_out), "--out", str(target), "--sample", "2"]) == 0
    assert capsys.readouterr().out == f"report: {target}\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", str(tmp_path / "nothing")]) == 2


class _RecordingProxy:
    """A proxy on loopback that records every request a browser sends it and answers
    none: with it as the browser's proxy, any fetch from the network shows here."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.requests: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    line = conn.recv(4096).decode("latin-1").split("\r\n")[0]
                    # a connection closed before it sent a byte (chromium's preconnect
                    # to its proxy) asked for nothing
                    if line:
                        self.requests.append(line)

    def close(self) -> None:
        self.server.close()


BROWSER_SERVICE = re.compile(
    r"^(?:GET|POST|CONNECT) (?:http://)?(?!fonts\.)[\w.-]+\.(?:google|googleapis|gvt1)\.com[:/]"
)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="Debian's chromium is not installed")
def test_the_report_in_a_real_headless_browser(samples_out, tmp_path):
    report = Path(build_report_file(samples_out))
    proxy = _RecordingProxy()
    shot = tmp_path / "report.png"
    try:
        result = subprocess.run(
            [
                _chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                f"--user-data-dir={tmp_path / 'profile'}",
                f"--proxy-server=http://127.0.0.1:{proxy.port}",
                "--proxy-bypass-list=<-loopback>",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000",
                "--window-size=1200,2000",
                f"--screenshot={shot}",
                report.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        proxy.close()
    assert shot.exists() and shot.stat().st_size > 10_000, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    # Chromium talks to its own services whatever the flags (network time, component
    # updates, accounts); anything else, and fonts from Google, would be the page's
    page_requests = [r for r in proxy.requests if not BROWSER_SERVICE.search(r)]
    assert page_requests == [], page_requests


def build_report_file(out) -> str:
    from newsclean.flows.report import write_report

    return write_report(str(out))


def test_the_report_counts_where_the_metadata_came_from(samples_out):
    """Articles per rule or source of title, date and authors, as the Parquet has them."""
    doc = build_report(str(samples_out))
    section = doc.split("<h2>Where the metadata came from</h2>", 1)[1].split("<h2>", 1)[0]
    cells = re.findall(r"<td>(.*?)</td>", section)
    shown = {(cells[i], cells[i + 1]): int(cells[i + 2]) for i in range(0, len(cells), 3)}
    expected = duckdb.sql(
        "select f, coalesce(v, '(none)'), count(*) from (select 'title' f, provenance.title v "
        f"from {scan(samples_out, 'articles')} union all select 'published', "
        f"provenance.published from {scan(samples_out, 'articles')} union all "
        f"select 'authors', provenance.authors from {scan(samples_out, 'articles')}"
        ") group by 1, 2"
    ).fetchall()
    assert shown == {(f, v): n for f, v, n in expected}
    assert sum(n for (f, _), n in shown.items() if f == "title") == 6  # every article once
    assert ("title", "record") in shown or ("title", "first_line") in shown  # the .txt page


def test_a_report_of_an_earlier_version_shows_the_dataset_as_that_run_left_it(tmp_path):
    """`newsclean report --version N`: the report as it was after the run that committed
    version N (a report that must be reproduced points at a version, not at a date)."""
    from tests.conftest import run_cli

    landing, out = tmp_path / "landing", tmp_path / "out"
    landing.mkdir()
    shutil.copy(SEED, landing / "seed.txt")
    assert run_cli("run", "-i", str(landing), "-o", str(out), "--incremental").returncode == 0
    shutil.copy(SAMPLES / "summit-wire-briefs.jsonl", landing / "wire.jsonl")
    assert run_cli("run", "-i", str(landing), "-o", str(out), "--incremental").returncode == 0

    def summary(page: str) -> str:
        return re.search(r"articles: table version[^<]*", page).group(0)

    first = build_report(str(out), version=0)
    now = build_report(str(out))
    assert summary(first) == "articles: table version 0, 1 files; rejects: table version 0, 0 files"
    assert summary(now) == "articles: table version 1, 2 files; rejects: table version 1, 1 files"
    assert "wire-0001" not in first and "wire-0001" in now
    missing = run_cli("report", str(out), "--version", "5")
    assert (missing.returncode, missing.stderr) == (
        2,
        f"newsclean: error: {out / 'articles'} has no version 5\n",
    )

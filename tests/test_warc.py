"""WARC input, written with warcio itself: HTML responses only, URL and time from the
headers, through the CLI into Parquet."""

from __future__ import annotations

from io import BytesIO

import duckdb
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsclean.flows.readers import read_pages
from tests.conftest import SAMPLES, run_cli, scan

PAGE = (SAMPLES / "kazakhstan-minerals-reuters-style.html").read_bytes()


def _write_warc(path, gzip: bool) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)

        def response(url, body, ctype, date):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            return writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )

        writer.write_record(
            writer.create_warc_record(
                "https://news.example.org/", "warcinfo", payload=BytesIO(b"software: test")
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example.org/minerals",
                "request",
                payload=BytesIO(b"GET /minerals HTTP/1.1\r\nHost: news.example.org\r\n\r\n"),
            )
        )
        writer.write_record(
            response(
                "https://news.example.org/minerals",
                PAGE,
                "text/html; charset=utf-8",
                "2025-11-07T10:15:00Z",
            )
        )
        writer.write_record(
            response(
                "https://news.example.org/logo.png",
                b"\x89PNG\r\n",
                "image/png",
                "2025-11-07T10:15:01Z",
            )
        )
        writer.write_record(
            response("https://news.example.org/empty", b"", "text/html", "2025-11-07T10:15:02Z")
        )


def test_warc_reader_yields_html_responses_with_header_metadata(tmp_path):
    for gzip, name in ((False, "crawl.warc"), (True, "crawl.warc.gz")):
        path = tmp_path / name
        _write_warc(path, gzip)
        pages = list(read_pages(str(path)))
        assert [p.url for p in pages] == [
            "https://news.example.org/minerals",
            "https://news.example.org/empty",
        ]
        page, empty = pages
        assert page.html == PAGE.decode("utf-8")  # by the header's charset
        assert page.fetched_at.isoformat() == "2025-11-07T10:15:00+00:00"
        assert page.source_id.startswith("<urn:uuid:")
        assert empty.error == ("empty", "the response body is empty")


def test_warc_through_the_cli(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path, gzip=True)
    out = tmp_path / "out"
    result = run_cli("run", "-i", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    ((url, domain, fetched, title, dateline),) = duckdb.sql(
        f"select url, domain, fetched_at, title, dateline.raw from {scan(out, 'articles')}"
    ).fetchall()
    assert (url, domain, title) == (
        "https://news.example.org/minerals",
        "news.example.org",
        "Central Asian states court investors for critical minerals",
    )
    assert fetched.isoformat().startswith("2025-11-07T10:15:00")
    assert dateline == "LONDON, Nov 7 (Reuters) -"
    rejects = duckdb.sql(f"select url, reason from {scan(out, 'rejects')}").fetchall()
    assert rejects == [("https://news.example.org/empty", "empty")]

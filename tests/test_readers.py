"""Readers: inputs expand as a user expects; JSONL byte ranges read back every record once."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsclean.flows.readers import (
    InputError,
    expand_inputs,
    jsonl_spans,
    read_jsonl_span,
    read_pages,
)


def test_spans_split_by_records_and_bytes_and_read_back_every_record(tmp_path):
    path = tmp_path / "big.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": "x" * (i * 100)}) for i in range(50)]
    path.write_text("\n".join(lines[:20]) + "\n\n" + "\n".join(lines[20:]) + "\n")
    whole = [p.source_id for p in read_pages(str(path))]
    assert whole == [f"r{i}" for i in range(50)]
    for max_records, max_bytes in ((7, 10**9), (1000, 20_000), (1, 1)):
        spans = list(jsonl_spans(str(path), max_records, max_bytes))
        ids = [p.source_id for span in spans for p in read_jsonl_span(str(path), *span)]
        assert ids == whole
        assert spans[0][0] == 0 and spans[-1][1] == path.stat().st_size
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert len(list(jsonl_spans(str(path), 7, 10**9))) == 8  # 50 records in sevens


def test_line_numbers_stay_true_across_spans(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b"}\nnot json\n')
    spans = list(jsonl_spans(str(path), 1, 10**9))
    pages = [p for span in spans for p in read_jsonl_span(str(path), *span)]
    assert [p.source_id for p in pages] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    assert pages[2].error[0] == "malformed_record"


def test_expand_inputs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.html").write_text("<p>x</p>")
    (tmp_path / "a" / "notes.md").write_text("skipped in a folder")
    (tmp_path / "b.txt").write_text("text")
    got = expand_inputs([str(tmp_path / "a"), str(tmp_path / "*.txt"), str(tmp_path / "b.txt")])
    assert got == [str(tmp_path / "a" / "one.html"), str(tmp_path / "b.txt")]
    with pytest.raises(InputError, match="unsupported input type"):
        expand_inputs([str(tmp_path / "a" / "notes.md")])


_LINE = st.one_of(
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"x")),
    st.sampled_from([b"", b" ", b"\t \r", b"{}"]),
)


@given(
    lines=st.lists(_LINE, max_size=12),
    final_newline=st.booleans(),
    cap=st.sampled_from([None, 0, 5, 10, 30]),
    max_records=st.integers(1, 4),
    max_bytes=st.integers(1, 80),
    cuts=st.lists(st.integers(1, 9), min_size=1, max_size=5),
)
def test_the_span_scanner_finds_jsonl_spans_ranges_from_any_chunks(
    tmp_path_factory, lines, final_newline, cap, max_records, max_bytes, cuts
):
    """Planning finds a JSON Lines file's shard ranges in the same read as its hash
    (SpanScanner, fed whatever chunks that read gives): the ranges are exactly those
    that a read of their own (jsonl_spans) finds."""
    from newsclean.flows.readers import SpanScanner, jsonl_spans

    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    path = tmp_path_factory.mktemp("spans") / "pages.jsonl"
    path.write_bytes(data)
    scanner = SpanScanner(max_records, max_bytes, cap)
    at, k = 0, 0
    while at < len(data):
        step = cuts[k % len(cuts)]
        scanner.feed(data[at : at + step])
        at, k = at + step, k + 1
    assert scanner.finish() == list(jsonl_spans(str(path), max_records, max_bytes, cap))

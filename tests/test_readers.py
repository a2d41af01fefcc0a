"""Readers: inputs expand as a user expects; JSONL byte ranges read back every record once."""

from __future__ import annotations

import json
import re

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


def _ranges_by_the_rule(data: bytes, max_records: int, max_bytes: int, cap) -> list:
    """The shard ranges as the rule states them, line by line: a range closes after the
    record that makes ``max_records`` or the line that makes ``max_bytes``; a record is a
    line with more than whitespace, or longer than ``cap``."""
    ranges, start, pos, records, first = [], 0, 0, 0, 1
    for line_no, line in enumerate(re.findall(rb"[^\n]*\n|[^\n]+$", data), start=1):
        pos += len(line)
        content = len(line) - line.endswith(b"\n")
        if line.strip() or (cap is not None and content > cap):
            records += 1
        if records >= max_records or pos - start >= max_bytes:
            ranges.append((start, pos, first))
            start, first, records = pos, line_no + 1, 0
    if pos > start or start == 0:
        ranges.append((start, pos, first))
    return ranges


@given(
    lines=st.lists(_LINE, max_size=12),
    final_newline=st.booleans(),
    cap=st.sampled_from([None, 0, 5, 10, 30]),
    max_records=st.integers(1, 4),
    max_bytes=st.integers(1, 80),
    cuts=st.lists(st.integers(1, 9), min_size=1, max_size=5),
)
def test_shard_ranges_are_the_same_from_any_chunking(
    tmp_path_factory, lines, final_newline, cap, max_records, max_bytes, cuts
):
    """Planning finds a JSON Lines file's shard ranges in the same read as its hash
    (SpanScanner, fed whatever chunks that read gives); a run without a plan reads the
    file for them (jsonl_spans). Both give the ranges the rule states."""
    from newsclean.flows.readers import SpanScanner

    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    path = tmp_path_factory.mktemp("spans") / "pages.jsonl"
    path.write_bytes(data)
    expected = _ranges_by_the_rule(data, max_records, max_bytes, cap)
    scanner = SpanScanner(max_records, max_bytes, cap)
    at, k = 0, 0
    while at < len(data):
        step = cuts[k % len(cuts)]
        scanner.feed(data[at : at + step])
        at, k = at + step, k + 1
    assert scanner.finish() == expected
    assert jsonl_spans(str(path), max_records, max_bytes, cap) == expected

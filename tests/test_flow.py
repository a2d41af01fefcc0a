"""The Prefect flow ``clean-pages`` on Prefect's own test harness (a real temporary API
and database), inline and on a process pool."""

from __future__ import annotations

import duckdb
import pytest

from newsclean.flows.clean_pages import clean_pages
from newsclean.flows.config import UsageError
from tests.conftest import SAMPLES, SEED, plain_run, scan

pytestmark = pytest.mark.usefixtures("prefect_harness")


COLUMNS = {
    "articles": "doc_id, source_id, text, captions, removed",
    "rejects": "doc_id, source_id, reason, detail",
}


def _table(out, dataset):
    return duckdb.sql(
        f"select {COLUMNS[dataset]} from {scan(out, dataset)} order by all"
    ).fetchall()


def test_flow_cleans_the_seed_inline(tmp_path):
    summary = clean_pages(inputs=[str(SEED)], output=str(tmp_path), workers=1)
    assert summary["pages"] == 1 and summary["kept"] == 1 and summary["rejected"] == 0
    assert summary["removed_by_rule"] == {"ad_label": 1, "caption": 2, "dateline": 1}
    ((_, _, text, captions, _),) = _table(tmp_path, "articles")
    assert captions == ["Kazakh President Kassym-Jomart Tokayev. (AP)"]
    assert text.startswith("Kazakhstan will join the Abraham Accords")


def test_flow_on_a_process_pool_matches_the_plain_cli_path(tmp_path):
    flow_out, plain_out = tmp_path / "flow", tmp_path / "plain"
    summary = clean_pages(inputs=[str(SAMPLES)], output=str(flow_out), workers=2, batch_size=2)
    plain = plain_run([SAMPLES], plain_out, workers=1)
    assert summary["pages"] == plain.pages == 8
    assert summary["rejected_by_reason"] == {"malformed_record": 1, "no_main_text": 1}
    assert summary["shards"] == 6  # 4 one-page files and the 4-record JSONL in blocks of 2
    for dataset in ("articles", "rejects"):
        assert _table(flow_out, dataset) == _table(plain_out, dataset)


def test_flow_refuses_a_missing_input_before_reading_anything(tmp_path):
    with pytest.raises(UsageError, match="input does not exist"):
        clean_pages(inputs=[str(tmp_path / "nope.jsonl")], output=str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_bad_policy_fails_the_flow_run_with_the_same_message(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text("[length]\nmin_word = 5\n")
    out = tmp_path / "out"
    with pytest.raises(UsageError, match=r"policy file .*: length.min_word: unknown key"):
        clean_pages(inputs=[str(SEED)], output=str(out), policy=str(policy))
    assert not out.exists()

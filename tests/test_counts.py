"""A shard's counts are one group-by of its rows as the driver settled them
(engine.shard_counts): nothing is counted at one step and patched at another."""

from __future__ import annotations

from collections import Counter

from newsclean.flows.engine import ArticleFact, ShardResult, Verdicts, shard_counts
from newsclean.schemas.reasons import Reason


def _fact(doc: str, decision: str = "keep", flags=(), removed=("title",)) -> ArticleFact:
    return ArticleFact(doc, decision, tuple(flags), tuple(removed), "")


def test_counts_follow_the_verdicts():
    result = ShardResult(
        pages=6,
        articles=[
            _fact("a"),
            _fact("b", "flag", ["profanity"]),  # then rejected as a copy
            _fact("c"),  # then flagged as a near-duplicate
            _fact("d", "flag", ["profanity"], removed=()),  # then marked, stays flagged
        ],
        rejects=[Reason.EMPTY, Reason.NO_MAIN_TEXT],
    )
    verdicts = Verdicts(
        moves={1: (Reason.DUPLICATE, "same text as doc_id a", None)},
        updates={
            2: {"near_duplicate_of": "a", "decision": "flag", "flags": ["near_duplicate"]},
            3: {"near_duplicate_of": "a"},
        },
    )
    report = shard_counts(result, verdicts)
    assert (report.pages, report.kept, report.flagged, report.rejected_total) == (6, 1, 2, 3)
    assert report.pages == report.kept + report.flagged + report.rejected_total
    assert report.rejected == Counter(
        {Reason.EMPTY: 1, Reason.NO_MAIN_TEXT: 1, Reason.DUPLICATE: 1}
    )
    assert report.flags == Counter({"profanity": 1, "near_duplicate": 1})
    assert report.near_duplicates == 2
    # what the cleaners cut is counted for every cleaned article, as written by the worker
    assert report.removed == Counter({"title": 3})


def test_a_near_duplicate_rejected_counts_as_both():
    result = ShardResult(pages=2, articles=[_fact("a"), _fact("b")])
    verdicts = Verdicts(moves={1: (Reason.NEAR_DUPLICATE, "same story as doc_id a", None)})
    report = shard_counts(result, verdicts)
    assert (report.kept, report.rejected[Reason.NEAR_DUPLICATE], report.near_duplicates) == (
        1,
        1,
        1,
    )

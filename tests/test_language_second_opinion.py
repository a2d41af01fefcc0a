"""Languages langdetect has no profile for (cleaners/language.py): real text in Icelandic,
isiXhosa and isiZulu gets its own code from the second opinion, not langdetect's nearest
profile (Norwegian, Swahili); Swahili stays Swahili; confident English never loads the
second opinion's model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsclean.cleaners.language import detect_language, langdetect_languages

SAMPLES = json.loads(
    (Path(__file__).parent / "fixtures" / "languages_without_a_profile.json").read_text("utf-8")
)["texts"]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["site"] for s in SAMPLES])
def test_a_language_without_a_profile_gets_its_own_code(sample):
    code, score = detect_language(sample["text"])
    assert code == sample["language"]
    assert score >= 0.9


def test_the_samples_are_languages_langdetect_lacks_but_one():
    lacking = [s["language"] for s in SAMPLES if s["language"] not in langdetect_languages()]
    assert sorted(set(lacking)) == ["is", "xh", "zu"]


def test_below_the_policys_minimum_score_it_is_undetermined():
    zulu = next(s for s in SAMPLES if s["language"] == "zu")["text"]
    code, score = detect_language(zulu, min_score=0.99)
    assert code == "und" and 0.9 <= score < 0.99


def test_confident_english_never_loads_the_second_opinion():
    code = (
        "from newsclean.cleaners import language as L\n"
        "text = 'The council met on Monday and approved the new bridge over the river. ' * 8\n"
        "print(L.detect_language(text)[0], L._second_opinion_model.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["en", "0"]


def test_only_long_prose_in_one_script_makes_unsureness_suspicious():
    from newsclean.cleaners.language import _long_prose

    icelandic = next(s for s in SAMPLES if s["language"] == "is")["text"]
    assert _long_prose(icelandic)
    schedule = "Match en direct\n- DATE : 27/09/2020\n- Horaires : 17h00\n- Stade : 12\n" * 6
    assert not _long_prose(schedule)  # digits: a schedule, not prose
    assert not _long_prose(icelandic[:300])  # too short to expect certainty
    lyrics = "Ai shi qu de ai tao bu hui lai 爱逝去的爱讨不回来 我还有话想对你说 " * 12
    assert not _long_prose(lyrics)  # two scripts

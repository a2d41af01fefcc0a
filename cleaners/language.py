"""Language identification with langdetect, made deterministic.

langdetect samples n-grams at random; with a fixed seed the same text always gives the
same answer. newsclean keeps its own ``DetectorFactory`` (langdetect's public class, with
its shipped profiles) seeded on the instance, so langdetect's module-level factory and
class seed stay as other users of langdetect left them.

It reads only a prefix of the text: on the development corpus the first 1,000 characters
give the same language as the first 2,000 on 758 of 759 pages, in 3.6 instead of 6.4 ms a
page (and 2,000 agree with the full text on 99.8%).
"""

from __future__ import annotations

from functools import cache

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

UNDETERMINED = "und"
PREFIX_CHARS = 1000
# Fewer letters than this and langdetect's answer is a coin toss.
MIN_CHARS = 20
SEED = 0
# Below this probability the detector is unsure, and a record's `lang` hint that is
# among its candidates decides (short texts and close relatives: no/da, hr/sr, id/ms).
UNSURE_BELOW = 0.8
# langdetect codes that are not ISO 639-1 as they stand.
_TO_ISO = {"zh-cn": "zh", "zh-tw": "zh"}


@cache
def _factory() -> DetectorFactory:
    """Loaded once per process, on first use (the profiles take ~0.3 s to read)."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(SEED)
    return factory


def _hint_code(hint: str | None) -> str | None:
    """A record's `lang` hint as a code the detector reports (``en-US`` -> ``en``)."""
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isalpha() else None


def detect_language(
    text: str, min_score: float = 0.0, hint: str | None = None
) -> tuple[str, float]:
    """(ISO 639-1 code, probability), or ("und", score) when unsure or too short.

    ``hint`` is the input record's `lang`: it never overrides a confident detection, but
    where the detector is unsure and the hinted language is one of its candidates, the
    hint wins (with the detector's probability for it).
    """
    sample = text[:PREFIX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_CHARS:
        return UNDETERMINED, 0.0
    detector = _factory().create()
    detector.append(sample)
    try:
        candidates = detector.get_probabilities()
    except LangDetectException:
        return UNDETERMINED, 0.0
    if not candidates:
        return UNDETERMINED, 0.0
    best = candidates[0]
    code, prob = _TO_ISO.get(best.lang, best.lang), float(best.prob)
    wanted = _hint_code(hint)
    if wanted and prob < UNSURE_BELOW and code != wanted:
        for cand in candidates[1:]:
            if _TO_ISO.get(cand.lang, cand.lang) == wanted:
                code, prob = wanted, float(cand.prob)
                break
    if prob < min_score:
        return UNDETERMINED, prob
    return code, prob

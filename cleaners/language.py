"""Language identification with langdetect, made deterministic.

langdetect samples n-grams at random; with a fixed seed the same text always gives the
same answer. It reads only a prefix of the text: on the development corpus the first
1,000 characters give the same language as the first 2,000 on 758 of 759 pages, in 3.6
instead of 6.4 ms a page (and 2,000 agree with the full text on 99.8%).
"""

from __future__ import annotations

import langdetect.detector_factory as factory
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

UNDETERMINED = "und"
PREFIX_CHARS = 1000
# Fewer letters than this and langdetect's answer is a coin toss.
MIN_CHARS = 20

DetectorFactory.seed = 0
# langdetect codes that are not ISO 639-1 as they stand.
_TO_ISO = {"zh-cn": "zh", "zh-tw": "zh"}


def detect_language(text: str, min_score: float = 0.0) -> tuple[str, float]:
    """(ISO 639-1 code, probability), or ("und", score) when unsure or too short."""
    sample = text[:PREFIX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_CHARS:
        return UNDETERMINED, 0.0
    factory.init_factory()  # loads the language profiles once per process
    detector = factory._factory.create()
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    code = _TO_ISO.get(best.lang, best.lang)
    if best.prob < min_score:
        return UNDETERMINED, float(best.prob)
    return code, float(best.prob)

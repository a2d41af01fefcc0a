"""Language identification with langdetect, made deterministic.

langdetect samples n-grams at random; with a fixed seed the same text always gives the
same answer. newsclean loads langdetect's shipped profiles itself (``_Profiles``, seeded on
the instance), so langdetect's module-level factory and class seed stay as other users of
langdetect left them.

It reads only a prefix of the text, since its cost grows with the sample. Measured with
benchmarks/language_sample.py: the first 600 characters give the language of the whole
text on all 1,937 texts newsclean makes of the development pages (300 characters: 5
differ, 500: 1, all Chinese or Korean pages with text in another script) and on all 1,041
reference texts of the news pages (102 fundus pages in 13 languages), in about 2.3 instead
of 3.1 ms a page for 1,000 characters.

langdetect has profiles for 55 languages. A text in a language it lacks comes out as the
nearest of those, confidently: isiZulu and isiXhosa as Swahili (0.86-0.99999), Icelandic
as Norwegian (0.57). Where langdetect says Swahili (the profile every Bantu language it
lacks falls to) or is unsure, on a long sample of prose (``_long_prose``), py3langid
(langid.py's model, inside its package) gives a second opinion, and a language langdetect
lacks that it names with probability >= 0.9 is the answer. It is loaded only by a
process that meets such a text (0.8-0.95 s and 77 MiB; 0.56 ms a text after): of the
1,940 development pages and 1,041 news reference texts, 6 ask it (Icelandic, isiXhosa,
isiZulu, Swahili), and a run of the 706 aeb and trafilatura pages never loads it.

langdetect's inner loops are pure Python over its 55 languages: per sampled n-gram, a
loop multiplies 55 floats. ``_Detector`` keeps langdetect's algorithm, its random draws
in the same order and its float operations one for one, with the 55 products done by
numpy and the n-gram scan split on words; on the 1,940 pages of the development corpora
it gives bit-identical probabilities to langdetect's own Detector (tests compare them)
in about half the time. A word's n-grams are scanned once per process (``_word_ngrams``,
cached: words repeat) and the draws between two convergence checks are multiplied in by
one numpy reduce: another fifth off (1.03-1.08 -> 0.79-0.92 ms a text, the 1,193 reference
texts of the corpora, the same answers).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

UNDETERMINED = "und"
PREFIX_CHARS = 600
# Fewer letters than this and langdetect's answer is a coin toss.
MIN_CHARS = 20
SEED = 0
# Below this probability the detector is unsure, and a record's `lang` hint that is
# among its candidates decides (short texts and close relatives: no/da, hr/sr, id/ms).
UNSURE_BELOW = 0.8
# langdetect codes that are not ISO 639-1 as they stand.
_TO_ISO = {"zh-cn": "zh", "zh-tw": "zh"}
# Where a second opinion is asked (see the module's docstring), and how sure it must be
# of a language langdetect has no profile for.
SECOND_OPINION_FOR = frozenset({"sw"})
SECOND_OPINION_MIN = 0.9
# py3langid codes for a language langdetect has under another code (Bokmål: Norwegian).
_SECOND_TO_LANGDETECT = {"nb": "no"}


@dataclass(frozen=True, slots=True)
class _Profiles:
    """langdetect's 55 profiles as a ``DetectorFactory`` hands them to a ``Detector``
    (``word_lang_prob_map``, ``langlist``, ``seed``), with each n-gram's probabilities as
    a row of one matrix: ``word_lang_prob_map`` maps an n-gram to its row. langdetect's
    own map holds a list of 55 Python floats per n-gram (87,598 of them): about 120 MiB
    in every cleaning process, against 37 MiB here, and a third of the start-up."""

    word_lang_prob_map: dict[str, int]
    langlist: list[str]
    matrix: np.ndarray
    seed: int = SEED


@cache
def _factory() -> _Profiles:
    """Loaded once per process, on first use: from the cache file where an earlier
    process left one (about 40 ms), else built from langdetect's profiles (about 0.7 s,
    most of a cleaning child's start-up) and left in the cache for the next."""
    path = _cache_path()
    cached = _read_cache(path) if path else None
    if cached is not None:
        return cached
    profiles = _build_profiles()
    if path:
        _write_cache(path, profiles)
    return profiles


def _build_profiles() -> _Profiles:
    """langdetect's profiles as its ``DetectorFactory.load_profile`` loads them (files in
    directory order, every entry counted in the number of languages, the same float
    operations)."""
    names = os.listdir(PROFILES_DIRECTORY)
    langsize = len(names)
    rows: dict[str, int] = {}
    langlist: list[str] = []
    cells: list[tuple[int, int, float]] = []
    for name in names:
        path = os.path.join(PROFILES_DIRECTORY, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as fh:
            profile = json.load(fh)
        index = len(langlist)
        langlist.append(profile["name"])
        n_words = profile["n_words"]
        for word, freq in profile["freq"].items():
            row = rows.setdefault(word, len(rows))
            if 1 <= len(word) <= 3:
                cells.append((row, index, 1.0 * freq / n_words[len(word) - 1]))
    matrix = np.zeros((len(rows), langsize))
    if cells:
        r, c, v = zip(*cells, strict=True)
        matrix[list(r), list(c)] = v
    return _Profiles(rows, langlist, matrix)


# The cache's format; a new one makes a new file name.
_CACHE_FORMAT = 1


def _cache_path() -> str | None:
    """The cache file of the profiles in use: named by a hash of the profiles' files
    (names, sizes, modification times) and the format, so that another langdetect
    never reads this one's. In ``$XDG_CACHE_HOME/newsclean`` (``~/.cache/newsclean``)."""
    try:
        stats = {
            name: os.stat(os.path.join(PROFILES_DIRECTORY, name))
            for name in os.listdir(PROFILES_DIRECTORY)
        }
    except OSError:
        return None
    listing = sorted((name, st.st_size, st.st_mtime_ns) for name, st in stats.items())
    key = hashlib.sha256(repr((_CACHE_FORMAT, PROFILES_DIRECTORY, listing)).encode()).hexdigest()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "newsclean", f"langdetect-profiles-{key[:16]}.npz")


def _read_cache(path: str) -> _Profiles | None:
    """The profiles the cache file holds; None where there is none or it does not read
    as one (cut short, written by something else): it is then built again."""
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, langlist, matrix = data["keys"], data["langlist"], data["matrix"]
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    if matrix.ndim != 2 or matrix.shape != (len(keys), len(langlist)):
        return None
    rows = dict(zip(keys.tolist(), range(len(keys)), strict=True))
    return _Profiles(rows, langlist.tolist(), matrix)


def _write_cache(path: str, profiles: _Profiles) -> None:
    """Written under a temporary name and renamed into place (two processes may build
    at once; a reader never sees half a file); nothing where it cannot be written."""
    keys = np.array(list(profiles.word_lang_prob_map), dtype=str)
    if keys.tolist() != list(profiles.word_lang_prob_map):
        return  # a key numpy would not give back as it is: no cache
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(
                    fh, keys=keys, langlist=np.array(profiles.langlist), matrix=profiles.matrix
                )
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    except OSError:
        pass


# one character at a time, as langdetect's NGram.add_char normalises it
_normalize = cache(NGram.normalize)


@lru_cache(maxsize=1 << 16)
def _word_ngrams(s: str) -> tuple[str, ...]:
    """The profiles' n-grams of one space-delimited word, in langdetect's order (words
    repeat: common ones are scanned once per process)."""
    known = _factory().word_lang_prob_map
    result = []
    for j in range(1, len(s)):
        if s[j].isupper() and s[j - 1].isupper():
            continue
        for n in (1, 2, 3):
            if j + 1 < n:
                break
            w = s[j + 1 - n : j + 1]
            if w != " " and w in known:
                result.append(w)
    return tuple(result)


class _Detector(Detector):
    """langdetect's Detector with its two hot loops rewritten, same results."""

    def __init__(self, profiles: _Profiles) -> None:
        super().__init__(profiles)
        self.matrix = profiles.matrix

    def _extract_ngrams(self) -> list[str]:
        # NGram.add_char's buffer restarts at every (normalised) space, so the n-grams of
        # the text are those of " word " for each word, except where the character and
        # the one before it are both capitals (the capitalword rule); a word at the very
        # end has no closing space.
        words = "".join(map(_normalize, self.text)).split(" ")
        last = len(words) - 1
        result: list[str] = []
        for k, word in enumerate(words):
            if word:
                result += _word_ngrams(f" {word} " if k < last else f" {word}")
        return result

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        index, matrix = self.word_lang_prob_map, self.matrix
        n = len(self.langlist)
        total = np.zeros(n)
        rnd = self.random
        rnd.seed(self.seed)
        # random.choice(ngrams), inlined: the same draws from the same generator
        # (Random._randbelow_with_getrandbits), without two method calls a draw; only
        # the n-grams drawn are looked up (a few hundred of the text's thousands)
        getrandbits, count = rnd.getrandbits, len(ngrams)
        bits = count.bit_length()

        def draws(k: int) -> list[int]:
            picked = []
            for _ in range(k):
                r = getrandbits(bits)
                while r >= count:
                    r = getrandbits(bits)
                picked.append(index[ngrams[r]])
            return picked

        for _ in range(self.n_trial):
            prob = np.full(n, 1.0 / n) if self.prior_map is None else np.array(self.prior_map)
            weight = (self.alpha + rnd.gauss(0.0, 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ
            # langdetect multiplies in one sampled n-gram at a time and normalises after
            # the 1st, 6th, 11th ... (i % 5 == 0), where it may stop. The draws between
            # two checks come first here, then numpy multiplies them in, row after row
            # in the same order (a reduce along the first axis: bit-identical).
            i, block = 0, 1
            while True:
                stack = np.empty((block + 1, n))
                stack[0] = prob
                np.add(weight, matrix[draws(block)], out=stack[1:])
                prob = np.multiply.reduce(stack, axis=0)
                i += block - 1  # the index of the last draw, as langdetect counts them
                # Python's sum, left to right, as langdetect adds them (numpy's
                # pairwise sum would differ in the last bits)
                prob /= sum(prob.tolist())
                if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                    break
                i, block = i + 1, 5
            total += prob / self.n_trial
        self.langprob = total.tolist()


# Prose langdetect should be sure of where it knows the language: this many letters, few
# digits, one script. Unsure there (or sure of Swahili), the language may be one it lacks;
# on a short or mixed sample (a schedule, lyrics beside their transliteration) it is only
# unsure, and its Swahili a guess.
PROSE_LETTERS = 400


def _long_prose(sample: str) -> bool:
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < PROSE_LETTERS or sum(ch.isdigit() for ch in sample) > 0.02 * len(sample):
        return False
    latin = sum(1 for ch in letters if ch < "\u0250") / len(letters)
    return latin >= 0.95 or latin <= 0.05


@cache
def _second_opinion_model():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def langdetect_languages() -> frozenset[str]:
    """The ISO 639-1 codes langdetect has profiles for."""
    return frozenset(_TO_ISO.get(lang, lang) for lang in _factory().langlist)


def second_opinion(sample: str) -> tuple[str, float] | None:
    """(code, probability) of a language langdetect has no profile for, where py3langid
    names one with probability >= SECOND_OPINION_MIN; None otherwise."""
    code, prob = _second_opinion_model().classify(sample)
    code = _SECOND_TO_LANGDETECT.get(code, code)
    if code in langdetect_languages() or prob < SECOND_OPINION_MIN:
        return None
    return code, float(prob)


def _detector() -> _Detector:
    return _Detector(_factory())


def _hint_code(hint: str | None) -> str | None:
    """A record's `lang` hint as a code the detector reports (``en-US`` -> ``en``)."""
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isalpha() else None


def detect_language(
    text: str, min_score: float = 0.0, hint: str | None = None, prefix: int = PREFIX_CHARS
) -> tuple[str, float]:
    """(ISO 639-1 code, probability), or ("und", score) when unsure or too short.

    ``hint`` is the input record's `lang`: it never overrides a confident detection, but
    where the detector is unsure and the hinted language is one of its candidates, the
    hint wins (with the detector's probability for it).
    """
    sample = text[:prefix]
    if sum(ch.isalpha() for ch in sample) < MIN_CHARS:
        return UNDETERMINED, 0.0
    detector = _detector()
    detector.append(sample)
    try:
        candidates = detector.get_probabilities()
    except LangDetectException:
        return UNDETERMINED, 0.0
    if not candidates:
        return UNDETERMINED, 0.0
    best = candidates[0]
    code, prob = _TO_ISO.get(best.lang, best.lang), float(best.prob)
    asked = (code in SECOND_OPINION_FOR or prob < UNSURE_BELOW) and _long_prose(sample)
    other = second_opinion(sample) if asked else None
    wanted = _hint_code(hint)
    if other is not None:
        code, prob = other  # a language langdetect lacks: none of its candidates is a hint
    elif wanted and prob < UNSURE_BELOW and code != wanted:
        for cand in candidates[1:]:
            if _TO_ISO.get(cand.lang, cand.lang) == wanted:
                code, prob = wanted, float(cand.prob)
                break
    if prob < min_score:
        return UNDETERMINED, prob
    return code, prob

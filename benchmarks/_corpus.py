"""Shared helpers for the benchmarks: the development corpus and its metrics, as defined in
../shared/corpus/README.md."""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SOURCES = {"aeb": "aeb.jsonl.gz", "moz": "readability.jsonl.gz", "traf": "trafilatura.jsonl.gz"}
_TOKEN = re.compile(r"\w+")


def corpus_path(name: str) -> Path:
    path = CORPUS / SOURCES[name]
    if not path.exists():
        sys.exit(f"benchmark needs the development corpus at {CORPUS}")
    return path


def iter_corpus(names=("aeb", "moz", "traf")) -> Iterator[dict]:
    for name in names:
        with gzip.open(corpus_path(name), "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                rec["_source"] = name
                yield rec


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def bow_f1(output: str, reference: str) -> float:
    out, ref = Counter(tokens(output)), Counter(tokens(reference))
    overlap = sum((out & ref).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(out.values()), overlap / sum(ref.values())
    return 2 * p * r / (p + r)


def _collapse(text: str) -> str:
    return " ".join((text or "").split())


def snippet_counts(output: str, with_: list[str], without: list[str]) -> tuple[int, int, int, int]:
    """(with present, with total, without present, without total)."""
    out = _collapse(output)
    w = sum(1 for s in with_ or [] if _collapse(s) in out)
    wo = sum(1 for s in without or [] if _collapse(s) in out)
    return w, len(with_ or []), wo, len(without or [])


def removal_errors(
    removed: list[tuple[str, str]], output: str, reference: str
) -> Counter[tuple[str, str]]:
    """Per rule, the removed words and those of them that the reference still needs once
    the output's words are counted (each of those was cut wrongly). Keys: (rule, "words")
    and (rule, "wrong")."""
    residual = Counter(tokens(reference)) - Counter(tokens(output))
    counts: Counter[tuple[str, str]] = Counter()
    for rule, text in removed:
        for tok in tokens(text):
            counts[rule, "words"] += 1
            if residual[tok] > 0:
                residual[tok] -= 1
                counts[rule, "wrong"] += 1
    return counts


class Scores:
    """Per-source accumulation of the corpus README's metrics."""

    def __init__(self) -> None:
        self.f1: dict[str, list[float]] = {}
        self.snip = Counter()
        self.snip_f1: list[float] = []

    def add(self, rec: dict, output: str) -> None:
        if rec.get("text") is not None:
            self.f1.setdefault(rec["_source"], []).append(bow_f1(output, rec["text"]))
        else:
            w, wt, wo, wot = snippet_counts(output, rec.get("with"), rec.get("without"))
            self.snip.update(tp=w, with_total=wt, fp=wo, without_total=wot, fn=wt - w)
            p = w / (w + wo) if (w + wo) else 0.0
            r = w / wt if wt else 0.0
            self.snip_f1.append(2 * p * r / (p + r) if p + r else 0.0)

    def mean_f1(self, source: str) -> float:
        vals = self.f1.get(source, [])
        return sum(vals) / len(vals) if vals else float("nan")

    def snippet(self) -> dict[str, float]:
        s = self.snip
        p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 0.0
        r = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 0.0
        return {
            "micro_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "with_present": s["tp"] / s["with_total"] if s["with_total"] else 0.0,
            "without_absent": 1 - s["fp"] / s["without_total"] if s["without_total"] else 0.0,
            "mean_page_f1": sum(self.snip_f1) / len(self.snip_f1) if self.snip_f1 else 0.0,
        }


# -- the news pages (news.jsonl.gz): the corpus README's "News pages" metrics ------------

NEWS = CORPUS / "news.jsonl.gz"
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"',
                         "„": '"', "‟": '"', "–": "-", "—": "-", "‐": "-", "‒": "-",
                         "―": "-", "−": "-"})  # fmt: skip


def iter_news() -> Iterator[dict]:
    if not NEWS.exists():
        sys.exit(f"benchmark needs the development news pages at {NEWS}")
    with gzip.open(NEWS, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def news_f1(output: str, reference: str) -> float:
    """Bag-of-words F1 with lowercased tokens (empty output = 0)."""
    return bow_f1((output or "").lower(), reference.lower())


def lead_share(output: str, lead: str) -> float:
    """Share of the expected opening tokens found in the output's first tokens."""
    want = Counter(tokens(lead.lower()))
    n = max(60, 3 * sum(want.values()))
    got = Counter(tokens((output or "").lower())[:n])
    return sum((want & got).values()) / sum(want.values()) if want else 0.0


def fold(text: str | None) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return " ".join(text.split()).lower()


def author_set(value: str | list[str] | None) -> set[str]:
    """Names split on `;` `,` ` and ` `&` `|`, a leading "By" dropped, folded."""
    if value is None:
        return set()
    text = value if isinstance(value, str) else ";".join(value)
    parts = re.split(r";|,|\band\b|&|\|", text)
    names = set()
    for part in parts:
        name = re.sub(r"^\s*by\s+", "", fold(part))
        if name:
            names.add(name)
    return names


# -- noise left in the text: lines the reference lacks, by kind ---------------------------
# Families written for the benchmark, independent of newsclean's own rules (which would
# count nothing left by construction): a line of at most NOISE_MAX_WORDS words that the
# reference text does not contain, whose shape says what it is.
NOISE_MAX_WORDS = 25
NOISE_KINDS = {
    "table pipes": re.compile(r"^[\s|¦\\]*\|[\s|¦\\]*$"),
    "copyright": re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved", re.I),
    "credit": re.compile(
        r"^(?:photo|image|picture|foto|bild|credit)s?\b|getty images|\bap photo\b"
        r"|reuters/|afp/|/ ?(?:afp|reuters|ap)$",
        re.I,
    ),
    "related": re.compile(
        r"^(?:related|read more|read also|also read|see also|more from|more on|"
        r"recommended|you (?:may|might) also like|most (?:read|popular)|top stories)\b",
        re.I,
    ),
    "prompt": re.compile(
        r"\b(?:share (?:this|on|via)|print (?:this|article|page)|e-?mail (?:this|to a friend)"
        r"|subscribe|sign up|newsletter|follow us|click here|log ?in to|comments?\s*\(\d+\))",
        re.I,
    ),
}
# Datelines with no place before the source ("(CNN) --") or a place and a colon
# ("KIEV: …"), at the start of one of the first three lines, a paragraph of prose (the
# references keep datelines, so these are counted by page, not against the reference).
DATELINE_KINDS = {
    "(CNN) -- dateline (pages)": re.compile(
        r"^\((?:[A-Z][\w.&]*)(?: [A-Z][\w.&]*){0,3}\)\s*(?:--|[-–—])\s"
    ),
    "colon dateline (pages)": re.compile(r"^[A-Z]{3,}(?:[ -][A-Z]{2,})?:\s+\S"),
}
DATELINE_MIN_WORDS = 12


def leftover_noise(output: str, reference: str) -> Counter[str]:
    """Per kind of NOISE_KINDS, the output's short lines that the reference lacks and
    that the kind recognises (the first that matches); per kind of DATELINE_KINDS, 1
    when one of the output's first three lines opens with one."""
    ref = fold(reference)
    found: Counter[str] = Counter()
    lines = [line.strip() for line in (output or "").splitlines() if line.strip()]
    for line in lines:
        if len(line.split()) > NOISE_MAX_WORDS or fold(line) in ref:
            continue
        for kind, pattern in NOISE_KINDS.items():
            if pattern.search(line):
                found[kind] += 1
                break
    for kind, pattern in DATELINE_KINDS.items():
        if any(
            len(line.split()) >= DATELINE_MIN_WORDS and pattern.match(line) for line in lines[:3]
        ):
            found[kind] += 1
    return found

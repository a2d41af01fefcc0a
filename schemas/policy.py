"""The moderation policy: what is rejected and what is flagged.

A policy comes from a TOML file (``newsclean run --policy FILE``) or the flow's
``policy`` parameter. Every section and key is optional; the default policy keeps every
language and blocks nothing, so it rejects only pages with no main text. Unknown keys are
errors, not silently ignored: a typo in a policy must not quietly let pages through.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# ISO 639-1 codes as langdetect reports them (it says zh-cn / zh-tw; we store zh).
DETECTABLE_LANGUAGES = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv mk "
    "ml mr ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur vi zh".split()
)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class LanguagePolicy(_Section):
    allow: tuple[str, ...] = Field(
        default=(), description="ISO 639-1 codes to keep; empty keeps every language."
    )
    min_score: float = Field(
        default=0.0, ge=0.0, le=1.0, description="Below this probability the language is `und`."
    )

    @field_validator("allow", mode="before")
    @classmethod
    def _codes(cls, value: object) -> object:
        if isinstance(value, list):
            value = tuple(value)
        if isinstance(value, tuple):
            for code in value:
                if not isinstance(code, str) or (
                    code not in DETECTABLE_LANGUAGES and code != "und"
                ):
                    raise ValueError(f"not a language code the detector knows: {code!r}")
        return value


class LengthPolicy(_Section):
    min_words: int = Field(default=0, ge=0, description="Reject pages with fewer words.")


class DomainPolicy(_Section):
    block: tuple[str, ...] = Field(
        default=(), description="Domains rejected with their subdomains (whole-label suffix)."
    )

    @field_validator("block", mode="before")
    @classmethod
    def _domains(cls, value: object) -> object:
        if isinstance(value, list):
            value = tuple(str(v).lower().strip(".") if isinstance(v, str) else v for v in value)
        return value


class TermPolicy(_Section):
    block: tuple[str, ...] = Field(default=(), description="Words or phrases that reject a page.")
    flag: tuple[str, ...] = Field(default=(), description="Words or phrases that flag a page.")
    # Named word lists that a maintained package ships (cleaners.moderation.word_list).
    flag_lists: tuple[Literal["profanity"], ...] = Field(
        default=(), description="Named word lists whose words flag a page (`list:<name>`)."
    )

    @field_validator("block", "flag", "flag_lists", mode="before")
    @classmethod
    def _terms(cls, value: object) -> object:
        return tuple(value) if isinstance(value, list) else value


class BoilerplatePolicy(_Section):
    max_share: float = Field(
        default=1.0,
        ge=0.0,
        le=1.0,
        description="Reject when the removed pieces exceed this share of the page's text.",
    )


class DuplicatePolicy(_Section):
    reject_exact: bool = Field(
        default=False,
        description="Reject a page whose cleaned text equals an earlier page's, in this run "
        "or an earlier run into the same output.",
    )
    near_threshold: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Estimated Jaccard similarity of word 5-grams from which an article is "
        "the same story as an earlier one (near_duplicate_of); 0 disables.",
    )
    near_action: Literal["mark", "flag", "reject"] = Field(
        default="mark",
        description="mark: the column only; flag: decision flag, flag near_duplicate; "
        "reject: reason near_duplicate.",
    )
    near_window_days: int = Field(
        default=30,
        ge=0,
        description="Earlier runs' articles count for this many days (0: no limit).",
    )
    near_max_signatures: int = Field(
        default=250_000,
        ge=1,
        le=50_000_000,
        description="At most this many earlier articles are kept in the index (the newest).",
    )


class Policy(_Section):
    language: LanguagePolicy = LanguagePolicy()
    length: LengthPolicy = LengthPolicy()
    domains: DomainPolicy = DomainPolicy()
    terms: TermPolicy = TermPolicy()
    boilerplate: BoilerplatePolicy = BoilerplatePolicy()
    duplicates: DuplicatePolicy = DuplicatePolicy()


DEFAULT_POLICY = Policy()


def describe_error(exc: Exception) -> str:
    """One line naming the offending key, for a CLI error or a failed flow run."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "policy"
        msg = first["msg"]
        if first["type"] == "extra_forbidden":
            msg = "unknown key"
        return f"{key}: {msg}"
    return str(exc).splitlines()[0]

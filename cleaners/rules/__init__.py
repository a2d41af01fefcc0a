"""Rule tables as data (TOML), apart from the code that applies them.

Adding an agency, an ad label or a language is a change to a ``.toml`` file here plus a
test case, never to the matching code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed rule table ``cleaners/rules/<name>.toml``."""
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text("utf-8"))


@cache
def agencies() -> tuple[str, ...]:
    """Agencies and outlets that sign datelines, stories and photo credits."""
    return tuple(load("agencies")["agencies"])


@cache
def photo_services() -> tuple[str, ...]:
    """Services that credit photos only."""
    return tuple(load("agencies")["photo_services"])


def alternation(names: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of literal names, longest first (so "AP Photo" is tried before
    "AP")."""
    import re

    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))

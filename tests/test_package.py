"""What a user's environment sees of newsclean: one import package, nothing generic at
the top, no changes to other libraries at import time, and docs that name what the code
can produce."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_one_import_package_and_no_generic_top_level_names(tmp_path):
    """Outside the checkout (so the current folder is not on sys.path)."""
    code = (
        "import importlib.util, newsclean.flows.cli, newsclean.cleaners.pipeline, "
        "newsclean.schemas.parquet\n"
        "print([importlib.util.find_spec(n) is None for n in ('flows', 'cleaners', 'schemas')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[True, True, True]"


def test_importing_newsclean_leaves_other_libraries_as_they_were(tmp_path):
    code = """
import logging
import langdetect.detector_factory as ldf
from trafilatura.utils import HTML_PARSER

before = (HTML_PARSER, logging.getLogger("trafilatura").level)
lookup = HTML_PARSER.makeelement("p").__class__
import newsclean.cleaners.pipeline as p
import newsclean.flows.engine
from newsclean.schemas.records import RawPage
result = p.clean_page(RawPage("x", "x", text="Berlin ist eine Stadt in Deutschland mit vielen Menschen."))
assert result.language == "de", result
print(HTML_PARSER.makeelement("p").__class__ is lookup,
      logging.getLogger("trafilatura").level == before[1],
      ldf._factory is None, ldf.DetectorFactory.seed is None)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]


def _backticked(section: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", section))


def test_readme_lists_every_reject_reason_and_every_removed_rule():
    from newsclean.cleaners.pipeline import removal_rules
    from newsclean.schemas.reasons import DESCRIPTIONS, Reason

    assert set(DESCRIPTIONS) == set(Reason)
    rejects = README.split("### `rejects`")[1].split("\n## ")[0]
    assert {r.value for r in Reason} <= _backticked(rejects)
    articles = README.split("### `articles`")[1].split("### `rejects`")[0]
    rules = articles.split("Rules in `removed`")[1]
    assert set(removal_rules()) <= _backticked(rules)


def test_readme_names_every_module():
    table = README.split("## Where things live")[1].split("\n## ")[0]
    for folder in ("flows", "cleaners", "schemas"):
        for module in (REPO / folder).glob("*.py"):
            if module.stem != "__init__":
                assert f"`{module.stem}`" in table, f"{folder}/{module.name} is not in the README"

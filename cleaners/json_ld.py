"""The page's JSON-LD: every object of its documents (``@graph`` and nested ones too),
and its article's statements, read as the publisher printed them."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

_JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
# schema.org's article types (NewsArticle, ReportageNewsArticle, BlogPosting, ...)
_ARTICLE_TYPE = re.compile(r"Article$|Posting$")


def _objects(value) -> Iterator[dict]:
    if isinstance(value, list):
        for item in value:
            yield from _objects(item)
    elif isinstance(value, dict):
        yield value
        for item in value.values():
            if isinstance(item, (list, dict)):
                yield from _objects(item)


def json_ld_nodes(tree: HtmlElement) -> tuple[list[dict], dict[str, dict]]:
    """(objects, by_id): every object of the page's JSON-LD documents in order (a
    document that does not parse is skipped), and those with an ``@id`` and more, by it
    (what a reference such as Yoast's ``{"@id": ...}`` names)."""
    nodes = []
    for script in _JSON_LD(tree):
        try:
            nodes.extend(_objects(json.loads(script)))
        except ValueError:
            continue
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    return nodes, by_id


def is_article(node: dict) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and _ARTICLE_TYPE.search(k) for k in kinds)


def article_headline(tree: HtmlElement) -> str | None:
    """The first article object's ``headline``, unescaped (some publishers escape it
    twice: ``Pence&#x3a; ...``) and with its whitespace folded; None without one."""
    nodes, _ = json_ld_nodes(tree)
    for node in nodes:
        value = node.get("headline")
        if is_article(node) and isinstance(value, str) and value.strip():
            return " ".join(html.unescape(value).split())
    return None

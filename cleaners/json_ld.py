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
    """Every object in ``value``, in document order; a walk with a stack of its own, as
    deep as the document is (a page's JSON-LD is the publisher's: any depth)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, (list, dict))]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def json_ld_nodes(tree: HtmlElement) -> tuple[list[dict], dict[str, dict]]:
    """(objects, by_id): every object of the page's JSON-LD documents in order (a
    document that does not parse is skipped), and those with an ``@id`` and more, by it
    (what a reference such as Yoast's ``{"@id": ...}`` names)."""
    nodes = []
    for script in _JSON_LD(tree):
        try:
            document = json.loads(script)
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            continue
        nodes.extend(_objects(document))
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

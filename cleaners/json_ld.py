"""The page's JSON-LD: every object of its documents (``@graph`` and nested ones too),
read once a page (``read_json_ld``), and its article's statements (headline, authors)
as the publisher printed them."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

# the text of the page's JSON-LD scripts (cleaners/dates.py reads them too)
JSON_LD_SCRIPTS = etree.XPath("//script[@type='application/ld+json']/text()")
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


@dataclass(frozen=True, slots=True)
class JsonLd:
    nodes: list[dict]  # every object of the page's documents, in order
    by_id: dict[str, dict]  # those with an ``@id`` and more, by it (what a reference names)


def read_json_ld(tree: HtmlElement) -> JsonLd:
    """The objects of the page's JSON-LD documents (a document that does not parse is
    skipped), and those a reference such as Yoast's ``{"@id": ...}`` may name."""
    nodes = []
    for script in JSON_LD_SCRIPTS(tree):
        try:
            document = json.loads(script)
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            continue
        nodes.extend(_objects(document))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    return JsonLd(nodes, by_id)


def is_article(node: dict) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and _ARTICLE_TYPE.search(k) for k in kinds)


def article_headline(ld: JsonLd) -> str | None:
    """The first article object's ``headline``, unescaped (some publishers escape it
    twice: ``Pence&#x3a; ...``) and with its whitespace folded; None without one."""
    for node in ld.nodes:
        value = node.get("headline")
        if is_article(node) and isinstance(value, str) and value.strip():
            return " ".join(html.unescape(value).split())
    return None


def article_authors(ld: JsonLd) -> list[tuple[str, bool]]:
    """The names the page's JSON-LD gives as its article's ``author``, as printed (not
    title-cased as trafilatura's metadata gives them: ``nieuwsblad.be``), each with
    whether it is declared an organisation; a reference (``{"@id": ...}``, Yoast's
    graphs) is read from the node it names. Empty where no article node names one."""
    for node in ld.nodes:
        if not is_article(node) or not node.get("author"):
            continue
        found = []
        entries = node["author"] if isinstance(node["author"], list) else [node["author"]]
        for entry in entries:
            if isinstance(entry, dict) and "name" not in entry:
                ref = entry.get("@id")
                entry = ld.by_id.get(ref, entry) if isinstance(ref, str) else entry
            if isinstance(entry, str):
                name, kind = entry, None
            elif isinstance(entry, dict):
                name, kind = entry.get("name"), entry.get("@type")
            else:
                continue
            if isinstance(name, str) and name.strip():
                organisation = isinstance(kind, str) and "Organization" in kind
                found.append((" ".join(name.split()), organisation))
        if found:
            return found
    return []

"""Bytes to text: the declared charset first, then UTF-8, then a detector.

Scraped HTML arrives as cp1251, latin-1, shift_jis or gb18030 as often as UTF-8, and the
declaration in the page is sometimes a lie. charset-normalizer does the detection.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from newsclean.schemas.records import Removed

_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we can tell."""


def declared_charset(data: bytes) -> str | None:
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes) -> str:
    """Decode a page's bytes; raises UndecodableError for binary junk."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    # Text in any single- or multi-byte encoding we read has no NUL byte; images,
    # archives and other binaries that land among scraped pages do.
    if b"\x00" in data[:65536]:
        raise UndecodableError("binary data (NUL bytes), not text")
    declared = declared_charset(data)
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
    best = from_bytes(data[: 1 << 20]).best()
    if best is None or best.encoding is None:
        raise UndecodableError("bytes are not text in any known encoding")
    return data.decode(best.encoding, errors="replace")


def strip_xml_declaration(html: str) -> str:
    """lxml refuses a ``str`` that carries an encoding declaration; the text is decoded
    already, so the declaration has nothing left to say."""
    return _XML_DECLARATION.sub("", html, count=1)


# The `removed` rule of a lone surrogate replaced in a page's content.
INVALID_UNICODE = "invalid_unicode"


def has_surrogates(value: str) -> bool:
    """True for a str that UTF-8 cannot hold: a lone surrogate, as a JSON escape
    (``"\\ud800"``) or a file name that is not UTF-8 gives."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def escape_surrogates(value: str) -> str:
    """Lone surrogates written out as ``\\udxxx``: for names and ids, which must stay
    distinct and readable."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def repair_text(value: str) -> tuple[str, list[Removed]]:
    """Content with each lone surrogate replaced by U+FFFD, and what was replaced (as
    pieces removed by rule ``invalid_unicode``, so the repair shows in ``removed``)."""
    if not has_surrogates(value):
        return value, []
    found = [Removed(INVALID_UNICODE, escape_surrogates(m)) for m in _SURROGATE.findall(value)]
    return _SURROGATE.sub("\ufffd", value), found


_SURROGATE = re.compile("[\ud800-\udfff]")

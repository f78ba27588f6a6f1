"""From a page's bytes to text: byte-order mark, then the page's declaration, then detection.

Clean UTF-8 is taken as UTF-8 even when the page declares another charset (a false
``iso-8859-1`` claim would otherwise give mojibake). A declared charset is read as
browsers read it; detection (charset-normalizer) is only for pages that declare none
(or declare UTF-8 but are not).
Nothing is decoded into silent garbage: a reading with more than a handful of
replacement characters is refused with an error naming the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import charset_normalizer

from ..errors import DocumentEncodingError

BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))  # UTF-32 LE before UTF-16 LE
_DECLARED = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?([\w.:-]{1,40})"""
                       rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:-]{1,40})""", re.IGNORECASE)
_NOT_CHARSETS = {"undefined", "punycode", "idna", "raw-unicode-escape", "unicode-escape", "utf-7"}
_REPLACEMENT = "\ufffd"
# As browsers read them (WHATWG Encoding): a declared subset means its superset; a page
# without a byte-order mark that says UTF-16 or UTF-32 is UTF-8.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso8859-1": "cp1252", "ascii": "cp1252",
              "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
              "utf-32": "utf-8", "utf-32-le": "utf-8", "utf-32-be": "utf-8"}


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, length of the mark) when ``data`` starts with a Unicode byte-order mark."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def declared_encoding(data: bytes) -> str | None:
    """The Python codec for the charset a page declares (meta, http-equiv or XML), if usable."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup(label)
    except LookupError:
        return None
    if codec.name in _NOT_CHARSETS or not getattr(codec, "_is_text_encoding", True):
        return None
    return _SUPERSETS.get(codec.name, codec.name)


def tolerated(text: str) -> bool:
    """Whether ``text`` has few enough replacement characters to be a damaged page, not garbage."""
    return text.count(_REPLACEMENT) <= max(3, len(text) // 1000)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _detected(data: bytes) -> str | None:
    """charset-normalizer's reading; UTF-16/32 without a byte-order mark are not taken (they decode anything)."""
    for match in charset_normalizer.from_bytes(data):
        if not match.encoding.startswith(("utf_16", "utf_32")):
            return str(match)
    return None


def decode_page(data: bytes, path: Path | str) -> str:
    """Text of a page; raises DocumentEncodingError naming ``path`` rather than return garbage.

    In order: a byte-order mark; clean UTF-8; a declared charset other than UTF-8 (cleanly,
    or with a few damaged characters), and nothing else when the page declares one. Without
    a declaration, or when a page that declares UTF-8 is not clean UTF-8: clean GB18030
    (older Chinese pages), charset-normalizer's detection, then UTF-8 or GB18030 with a few
    damaged characters.
    """
    bom = bom_encoding(data)
    if bom:
        codec, skip = bom
        return _tolerable(data[skip:].decode(codec, errors="replace"), [codec], path)
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    declared = declared_encoding(data)
    if declared and declared != "utf-8":
        return _strict(data, declared) or _tolerable(data.decode(declared, errors="replace"), [declared], path)
    text = _strict(data, "gb18030") or _detected(data)
    if text is not None:
        return text
    readings = [data.decode(codec, errors="replace") for codec in ("utf-8", "gb18030")]
    return _tolerable(min(readings, key=lambda text: text.count(_REPLACEMENT)),
                      ["utf-8", "gb18030", "charset-normalizer"], path)


def _tolerable(text: str, tried: list[str], path: Path | str) -> str:
    if not tolerated(text):
        raise DocumentEncodingError(
            f"{path}: the text cannot be decoded (tried {', '.join(tried)}; the best reading still has "
            f"{text.count(_REPLACEMENT)} undecodable characters). The file is damaged or not a page in a "
            "known encoding; download it again, or save it from a browser as UTF-8.")
    return text

"""Read plain text or Markdown into units.

Blocks are separated by blank lines. Markdown headings (``#``) are parts and sections
(a single top-level heading on the first line is the title); list items are actions
(``-``, ``*``) or points (``1.``); numbered lines (``一、``, ``（一）``, ``1.``) are
recognised as in HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..units import Unit
from .encoding import bom_encoding
from .html import detect_language
from .structure import TextBlock, build_units

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")  # closing #s are stripped in Python: linear
_BULLET = re.compile(r"^\s*[-*+•]\s+")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+")


def text_blocks(text: str) -> list[TextBlock]:
    """Blocks of a text: headings, list items and paragraphs (lines joined)."""
    blocks: list[TextBlock] = []
    paragraph: list[str] = []
    item: list[str] = []  # continuation lines of the last list item, joined once at the end

    def flush():
        if item:
            blocks[-1].text = " ".join([blocks[-1].text, *item])
            item.clear()
        if paragraph:
            blocks.append(TextBlock(" ".join(paragraph)))
            paragraph.clear()

    for line in text.splitlines():
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            title = heading.group(2).rstrip().rstrip("#").rstrip() or heading.group(2)
            blocks.append(TextBlock(title, heading_level=len(heading.group(1))))
        elif _BULLET.match(line):
            flush()
            blocks.append(TextBlock(_BULLET.sub("", line), list_kind="bullet"))
        elif not line.strip():
            flush()
        elif _NUMBERED.match(line):
            flush()
            paragraph.append(line.strip())
        elif paragraph == [] and blocks and blocks[-1].list_kind and line.startswith((" ", "\t")):
            item.append(line.strip())  # continuation of a list item
        else:
            paragraph.append(line.strip())
    flush()
    return blocks


def read_text(data: bytes, path: Path, *, plan_id: str) -> tuple[list[Unit], str, dict]:
    """Units, language and facts of a UTF-8 (or byte-order-marked UTF-16/32) text or Markdown file."""
    codec, skip = bom_encoding(data) or ("utf-8", 0)
    text = data[skip:].decode(codec)
    blocks = text_blocks(text)
    title = None
    top = [b for b in blocks if b.heading_level == 1]
    if blocks and blocks[0].heading_level == 1 and len(top) == 1:
        title = blocks.pop(0).text
    language = detect_language(text)
    return build_units(blocks, plan_id=plan_id, language=language, title=title, source=str(path)), language, {}

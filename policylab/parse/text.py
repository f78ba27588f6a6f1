"""Read plain text (and Markdown headings and lists) into units, as document collections store texts.

Lines become blocks in one of two ways, told apart by the lengths of the lines:

- *hard-wrapped* text (most lines end near one width and in mid-sentence): lines are
  joined into paragraphs; a paragraph ends at a blank line, at a short line that ends a
  sentence, before a line indented deeper than the one before it, a numbered line or
  after a heading line;
- otherwise *one paragraph per line* (with or without blank lines between): each line is
  a block, except a line that starts in lower case after an unfinished one, or an
  indented line continuing a list item.

Lines starting with a bullet (``-``, ``*``, ``•``, ...) or, in unwrapped text, a tab are list
items; ``#`` lines are Markdown headings; a short line without final punctuation, in
capitals or title case or before a longer paragraph, is a heading line. Blocks longer
than :data:`MAX_BLOCK` characters are cut at sentence ends. The units are then nested by
their numbering (:mod:`policylab.parse.outline`); a text with neither numbering nor
headings is read as paragraphs (``structure`` "flat": :func:`policylab.read_document` warns).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from ..readquality import count_words
from ..units import Unit
from .encoding import bom_encoding
from .html import detect_language
from .numbering import parse_number
from .outline import build_outline
from .structure import TextBlock

MAX_BLOCK = 4000  # characters; a longer paragraph is cut at sentence ends into pieces of at most this
_LEAD = re.compile("[ \t\u00a0\u3000]*")  # a line's indent (matching it does not copy the line, as lstrip does)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")  # closing #s are stripped in Python: linear
_PARAGRAPH = TextBlock("")  # the marks of a paragraph's lines: none
_BULLETS = "-*+•◦▪‣●○■□–"
_BULLET = re.compile(rf"^([ \t]*)([{re.escape(_BULLETS)}])[ \t]+(?=\S)")
_TERMINAL = re.compile(r"[.!?:;。！？：；…—][\"'”’)\]]{0,3}$")
_DOCUMENT_NUMBER = re.compile(r"\bNo\.\s?\d{1,5}$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"(?:(?:{_MONTHS}) \d{{1,2}}, \d{{4}}|\d{{1,2}} (?:{_MONTHS}) \d{{4}})$")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])[\"'”’)]{0,3}\s+")


def _ends_sentence(line: str) -> bool:
    """Whether ``line`` ends in final punctuation (and up to three closing quotes or brackets).

    Only the line's last characters are searched: a search of the whole line would try the
    pattern at every position of it."""
    return _TERMINAL.search(line[-5:]) is not None


def _indent(line: str) -> int:
    """Columns of leading white space, a tab counting 4."""
    lead = _LEAD.match(line).group()
    return len(lead) + 3 * lead.count("\t")


def wrap_width(lines: list[str]) -> int | None:
    """The width a text is hard-wrapped at, or None when its lines are paragraphs.

    Hard-wrapped: at least 8 lines, 90% of them at most 120 characters (the width, at
    least 40), most of them filling 60% of it and ending in mid-sentence (a paragraph per
    line ends nearly every line with punctuation).
    """
    lengths = sorted(map(len, lines))
    if len(lengths) < 8:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 40 <= width <= 120 or sum(length >= 0.6 * width for length in lengths) < 0.6 * len(lines):
        return None  # (the line ends are only read when the widths say the text may be wrapped)
    open_ended = sum(not _ends_sentence(line) for line in lines)
    return width if open_ended >= 0.5 * len(lines) else None


def is_heading_line(text: str, language: str) -> bool:
    """A short line without final punctuation, in capitals or title case (or a short Chinese line)."""
    if not text or len(text) > 100 or _ends_sentence(text) or text.endswith((",", "，", "、")):
        return False
    if _DOCUMENT_NUMBER.search(text) or _DATE.match(text):
        return False  # "Pretend Council [2030] Document No. 7", "May 9, 2030": the document's number, a date
    if language.startswith("zh"):
        return len(text) <= 30 and "，" not in text
    words = text.split()
    if len(words) > 12 or not any(ch.isalpha() for ch in text) or not (text[0].isupper() or text[0].isdigit()):
        return False
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return text.isupper() or sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def _joins(previous: str, line: str, *, width: int | None, in_list: bool) -> bool:
    """Whether ``line`` (raw) continues the block whose last line is ``previous`` (raw)."""
    if width is None:  # one paragraph per line
        if in_list and line[:1] in (" ", "\t"):
            return parse_number(line) is None
        return line.lstrip()[:1].islower() and not _ends_sentence(previous.rstrip())
    before, text = previous.strip(), line.strip()
    ended, short = _ends_sentence(before) or before.endswith("--"), len(before) < 0.7 * width
    if parse_number(text) is not None and (ended or short):
        return False
    if (ended and short) or (_indent(line) > _indent(previous) and (ended or short)):
        return False  # a paragraph's last line, or the indented first line of the next
    heading = (short or before.isupper()) and is_heading_line(before, "en")
    return not (heading and (text[:1].isupper() or text[:1].isdigit()))


def _cut(text: str) -> list[str]:
    """``text`` in pieces of at most MAX_BLOCK characters, cut after a sentence (else at a space); linear."""
    pieces, start = [], 0
    while len(text) - start > MAX_BLOCK:
        end = start + MAX_BLOCK
        sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
        cut = sentence_ends[-1] if sentence_ends and sentence_ends[-1] > start + MAX_BLOCK // 4 else -1
        if cut == -1:
            space = text.rfind(" ", start + MAX_BLOCK // 4, end)
            cut = space + 1 if space != -1 else end
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _cut_block(block: TextBlock) -> list[TextBlock]:
    """``block`` itself when it is short; else its first piece with its marks and plain blocks after."""
    if len(block.text) <= MAX_BLOCK and block.text == block.text.strip():
        return [block] if block.text else []
    return [replace(block, text=piece) if i == 0 else TextBlock(piece) for i, piece in enumerate(_cut(block.text))]


def text_blocks(text: str, language: str = "en") -> list[TextBlock]:
    """Blocks of a text: Markdown headings, list items, heading lines and paragraphs (lines joined)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")  # not str.splitlines: U+2028 inside a line is a space ("1.1\u2028Text")
    stripped_lines = [line.strip() for line in lines]
    width = wrap_width([stripped for stripped in stripped_lines if stripped])
    blocks: list[TextBlock] = []
    current: list[str] = []  # raw lines of the open block
    template = _PARAGRAPH  # the marks of the open block (read, never changed)

    def flush():
        if current:
            joined = current[0].strip() if len(current) == 1 else " ".join(line.strip() for line in current)
            single = len(current) == 1 and template.list_kind is None
            blocks.append(TextBlock(joined, list_kind=template.list_kind, marker=template.marker,
                                    indent=template.indent, plain_heading=single and is_heading_line(joined, language)))
            current.clear()

    for line, stripped in zip(lines, stripped_lines):
        if not stripped:
            flush()
            continue
        heading = _MD_HEADING.match(stripped) if stripped[0] == "#" else None
        bullet = _BULLET.match(line) if stripped[0] in _BULLETS else None  # a bullet is the first character
        tab_item = width is None and line.startswith("\t") and parse_number(stripped) is None
        if heading:
            flush()
            title = heading.group(2).rstrip().rstrip("#").rstrip() or heading.group(2)
            blocks.append(TextBlock(title, heading_level=len(heading.group(1))))
        elif bullet or tab_item:
            flush()
            marker = bullet.group(2) if bullet else "\t"
            template = TextBlock("", list_kind="bullet", marker=marker, indent=_indent(line))
            current.append(line[bullet.end():] if bullet else line)
        elif current and _joins(current[-1], line, width=width, in_list=template.list_kind is not None):
            current.append(line)
        else:
            flush()
            template = _PARAGRAPH
            current.append(line)
    flush()
    return _demote_false_headings(blocks)


def _demote_false_headings(blocks: list[TextBlock]) -> list[TextBlock]:
    """Heading lines that are lines of text: without content before the next one (a signature,
    a list of names), in runs of more than three, or field labels ("Responsible: ...") used three
    times or more. Content is a numbered block, a list item or a block of 80 characters or more."""
    content = False
    for block in reversed(blocks):
        if block.plain_heading:
            block.plain_heading, content = content, False
        elif len(block.text) >= 80 or block.list_kind or parse_number(block.text) is not None:
            content = True
    fields = Counter(b.text.partition(":")[0] for b in blocks if b.plain_heading and ":" in b.text)
    start = None
    for i, block in enumerate([*blocks, TextBlock("")]):
        if block.plain_heading and fields[block.text.partition(":")[0]] >= 3:
            block.plain_heading = False
        if block.plain_heading:
            start = i if start is None else start
            continue
        if start is not None and i - start > 3:
            for heading in blocks[start:i]:
                heading.plain_heading = False
        start = None
    return blocks


def _title(blocks: list[TextBlock]) -> str | None:
    """The title: a single top-level Markdown heading first, else a first line without final punctuation
    (up to 250 characters, starting with a capital or a Chinese character, not numbered, not a list item)."""
    top = [b for b in blocks if b.heading_level == 1]
    if blocks and blocks[0].heading_level == 1 and len(top) == 1:
        return blocks.pop(0).text
    first = blocks[0] if len(blocks) > 1 else None
    if (first is not None and first.heading_level is None and first.list_kind is None and len(first.text) <= 250
            and (first.text[:1].isupper() or "\u4e00" <= first.text[:1] <= "\u9fff")
            and not _ends_sentence(first.text) and parse_number(first.text) is None):
        return blocks.pop(0).text
    return None


def read_text(data: bytes, path: Path, *, plan_id: str) -> tuple[list[Unit], str, dict]:
    """Units, language and facts of a UTF-8 (or byte-order-marked UTF-16/32) text or Markdown file.

    Facts: ``structure`` ("structured" or "flat") and ``words_in_file`` (words in the
    whole file, before anything is dropped).
    """
    codec, skip = bom_encoding(data) or ("utf-8", 0)
    text = data[skip:].decode(codec)
    language = detect_language(text[:5000])  # the opening page says which language a document is in
    blocks = text_blocks(text, language)
    title = _title(blocks)
    blocks = [block for long_or_short in blocks for block in _cut_block(long_or_short)]
    units, structure = build_outline(blocks, plan_id=plan_id, language=language, title=title, source=str(path))
    words = sum(map(count_words, text.split("\n")))  # len(text.split()), a line at a time (quicker)
    return units, language, {"structure": structure, "words_in_file": words}

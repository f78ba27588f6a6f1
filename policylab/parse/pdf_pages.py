"""Pages of a PDF: which lines are running heads, page numbers and filing lines; which pages
are covers, contents or blank; the body type size and line spacing.

Shared by the report reader (:mod:`.pdf`) and the gazette reader (:mod:`.gazette`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from ..errors import StructureError
from .pdf_lines import Line

_ROMAN = re.compile(r"^[ivxlcdm]+$", re.IGNORECASE)
_BLANK_NOTICE = re.compile(r"intentionally left blank", re.IGNORECASE)
EDGE_NUMBER = re.compile(r"^(\d{1,5})\s|\s(\d{1,5})$")  # a page number at either end of a running head
FILING_LINE = re.compile(r"^\[FR Doc\.|^Billing code\b", re.IGNORECASE)  # Federal Register filing data
_DIGITS = re.compile(r"\d+")
_TERMINAL = re.compile(r"[.!?:;”\"’)]\s*$")


@dataclass
class Page:
    index: int
    lines: list[Line]  # content lines, header and page number removed
    label: str | None  # the printed page number ("3", "ii"), if any

    @property
    def number(self) -> int | None:
        return int(self.label) if self.label and self.label.isdigit() else None


def _furniture_key(text: str) -> str:
    """A margin line's text with its numbers masked and the page number at either end dropped."""
    return _DIGITS.sub("#", " ".join(text.split()).casefold()).strip("# ")


def strip_furniture(pages: list[tuple[int, list[Line], float]]) -> list[Page]:
    """Drop running headers and footers (margin lines repeated on most pages), page numbers
    and Federal Register filing lines ("[FR Doc. …]", "Billing code …").

    A page number printed inside a running head ("1002 Federal Register / …") becomes the
    page's label.
    """
    margin_texts: dict[str, int] = {}
    for _, lines, height in pages:
        for key in {_furniture_key(l.text) for l in lines if l.y > 0.88 * height or l.y < 0.1 * height}:
            margin_texts[key] = margin_texts.get(key, 0) + 1
    repeated = {text for text, count in margin_texts.items()
                if count >= max(2, min(len(pages), max(3, len(pages) // 3)))}
    result = []
    for index, lines, height in pages:
        label = None
        content = []
        top, bottom = 0.88 * height, 0.1 * height
        for line in lines:
            text = line.text  # stripped (see pdf_lines)
            if not (line.y > top or line.y < bottom):  # most lines: not in a margin
                if text[:1] in "[Bb" and FILING_LINE.match(text):  # where a filing line can start
                    continue
                content.append(line)
                continue
            text = text.strip()
            if text.isascii() and (text.isdigit() or _ROMAN.match(text)) and len(text) <= 5:
                label = text
                continue
            if FILING_LINE.match(text):
                continue
            if _furniture_key(text) in repeated:
                number = EDGE_NUMBER.search(text) if line.y > top else None
                label = label or (number.group(1) or number.group(2) if number else None)
                continue
            content.append(line)
        result.append(Page(index, content, label))
    return result


def _ends_in_dot_leader(text: str) -> bool:
    """A contents line: a run of six or more dots, then at most one word (the page number).

    Word tests instead of a regex, whose backtracking over long dot runs is cubic.
    """
    if "......" not in text:  # most lines: no word holds a leader
        return False
    words = text.split()
    return bool(words) and ("......" in words[-1] or (len(words) > 1 and words[-2].endswith("......")))


def is_toc(page: Page) -> bool:
    return sum(_ends_in_dot_leader(line.text) for line in page.lines) >= 3


def is_blank(page: Page) -> bool:
    return all(_BLANK_NOTICE.search(line.text) for line in page.lines)




def line_spacing(pages: list[Page], body_size: float) -> float:
    gaps = [
        a.y - b.y
        for page in pages
        for a, b in zip(page.lines, page.lines[1:])
        if abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5 and 0 < a.y - b.y < 3 * body_size
    ]
    return statistics.median(gaps) if gaps else 1.2 * body_size



def find_body_size(pages: list[Page], path: Path) -> float:
    """The font size that sets the most characters."""
    sizes_by_chars: dict[float, int] = {}
    for page in pages:
        for line in page.lines:
            sizes_by_chars[line.size] = sizes_by_chars.get(line.size, 0) + len(line.text)
    if not sizes_by_chars:
        raise StructureError(f"{path}: the pages hold nothing but page numbers and running headers; "
                             "no body text found. Check that this is the plan's full PDF.")
    return max(sizes_by_chars, key=sizes_by_chars.get)



def runs_on(last: Line, first: Line) -> bool:
    """Whether text continues from ``last`` (end of a page or column) into ``first``."""
    return not _TERMINAL.search(last.text) or first.text[:1].islower()

"""Read a policy PDF into units.

Lines come from :mod:`.pdf_lines` (text objects, not flattened page text). Here their
positions and sizes decide which lines are running headers, page numbers, headings and
footnotes, and how lines form blocks. The PDF outline (bookmarks) names parts and
sections where the document has one; otherwise heading sizes and numbering are used.
Gazette documents (the Federal Register) are read by :mod:`.gazette`.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import StructureError, StructureWarning
from ..units import Unit
from .gazette import is_gazette, read_gazette
from .normalise import join_line_breaks, normalise_en, word_forms
from .pdf_lines import Line, OutlineEntry, read_pages
from .pdf_pages import (
    Page,
    find_body_size,
    is_blank,
    is_toc,
    line_spacing,
    runs_on,
    strip_furniture,
)
from .structure import UnitIds, after_parents, heading_label

HEADING_SIZE = 1.25  # lines this much larger than body text are headings
FOOTNOTE_SIZE = 0.85  # lines this much smaller than body text, below it, are footnotes
PARAGRAPH_GAP = 1.35  # a line gap this many times the usual spacing starts a new block
BULLETS = "•▪◦‣●■–"
_NUMBERED_PART = re.compile(r"^(part|pillar|chapter|title)\s+[\dIVXLC]+\b|^[IVXLC]+\.\s", re.IGNORECASE)
_NUMBERED_SECTION = re.compile(r"^(sec(tion)?\.?\s*\d+\.?|\d{1,2}\.(\d{1,2}\.?)?)\s", re.IGNORECASE)
_DECIMAL_NUMBER = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s")
_WHOLE_NUMBER = re.compile(r"^\d{1,2}\.?\s")
_RUN_IN_HEADING = re.compile(r"^(Sec(?:tion)?\.?\s*\d+\.\s+[A-Z][^.]{0,80}\.)\s+(\S.*)$")


@dataclass
class Block:
    """Consecutive lines that form one paragraph, bullet, heading or footnote."""

    kind: str  # "text", "bullet", "heading", "footnote"
    lines: list[Line]
    number: int | None = None  # footnote number

    @property
    def raw_text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def markers(self) -> list[int]:
        return [m for line in self.lines for m in line.markers]


# --- blocks --------------------------------------------------------------------------



def _starts_bullet(text: str) -> bool:
    return len(text) > 1 and text[0] in BULLETS and text[1] in " \t"


def _is_numbered_heading(text: str) -> bool:
    """A short line numbered like a heading: 'Sec. 2.', '3.', 'IV.', 'Part II'."""
    return len(text.split()) <= 12 and bool(_NUMBERED_PART.match(text) or _NUMBERED_SECTION.match(text))


def _is_set_apart_heading(block: Block) -> bool:
    """A one-line block in title case without closing punctuation ("Data Centers and Energy")."""
    if block.kind != "text" or len(block.lines) != 1:
        return False
    words = block.lines[0].text.split()
    capitalised = sum(w[:1].isupper() for w in words if len(w) > 3)
    long_words = sum(len(w) > 3 for w in words)
    return (1 <= len(words) <= 10 and not re.search(r"[.,;:!?]$", words[-1])
            and long_words > 0 and capitalised == long_words)


def _split_run_in_heading(line: Line) -> list[Line]:
    """'Sec. 2. Policy. It is the policy …' as a heading line and a body line (executive orders)."""
    match = _RUN_IN_HEADING.match(line.text)
    if match is None:
        return [line]
    return [dataclasses.replace(line, text=match.group(1), markers=[]),
            dataclasses.replace(line, text=match.group(2), lead_number=None, column_start=False)]


def page_blocks(page: Page, body_size: float, spacing: float,
                numbered_headings: bool = False) -> tuple[list[Block], list[Block]]:
    """Split a page's content lines into body blocks and footnote blocks.

    With ``numbered_headings`` (documents without an outline), a short numbered line
    is a heading block of its own even when set in body type, and so is the run-in
    heading that starts a 'Sec. N.' paragraph.
    """
    lowest_body = min((l.y for l in page.lines if l.size >= FOOTNOTE_SIZE * body_size), default=None)
    body: list[Block] = []
    notes: list[Block] = []
    lines = [part for line in page.lines for part in _split_run_in_heading(line)] if numbered_headings else page.lines
    for line in lines:
        if line.size < FOOTNOTE_SIZE * body_size and lowest_body is not None and line.y < lowest_body:
            if line.lead_number is not None or not notes:
                notes.append(Block("footnote", [line], number=line.lead_number))
            else:
                notes[-1].lines.append(line)
            continue
        heading = line.size >= HEADING_SIZE * body_size or (numbered_headings and _is_numbered_heading(line.text))
        bullet = _starts_bullet(line.text)
        previous = body[-1] if body else None
        last = previous.lines[-1] if previous else None
        same_block = (
            previous is not None
            and not bullet
            and (previous.kind == "heading") == heading
            and abs(last.size - line.size) < 0.5
            and last.italic == line.italic
            and (runs_on(last, line) if line.column_start
                 else last.y - line.y <= PARAGRAPH_GAP * (spacing if not heading else 1.2 * line.size))
            and not (previous.kind == "bullet" and line.x0 < previous.lines[-1].x0 - 5)
        )
        if same_block:
            previous.lines.append(line)
        else:
            kind = "heading" if heading else "bullet" if bullet else "text"
            if bullet:
                line.text = line.text[1:].lstrip()
            body.append(Block(kind, [line]))
    return body, notes


# --- structure -----------------------------------------------------------------------


_NOT_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    return _NOT_WORD.sub("", text).casefold()



def _heading_role(text: str, size: float, outline: dict[str, OutlineEntry], sizes: list[float],
                  decimal_sections: bool = False) -> str:
    """'part', 'section', 'front' (a top division without parts, e.g. Introduction) or 'body'.

    With an outline, only headings it lists are structure; other large type (a quote, a
    signature) is body text. Without one, numbering and type size decide; where headings
    are numbered 2.1, 2.2 (``decimal_sections``), those numbered 1, 2 are parts.
    """
    entry = outline.get(_key(text))
    if entry is not None:
        if entry.level == 0:
            return "part" if entry.has_children else "front"
        return "section"
    if outline:
        return "body"
    if _NUMBERED_PART.match(text) or (decimal_sections and _WHOLE_NUMBER.match(text)):
        return "part"
    if _NUMBERED_SECTION.match(text):
        return "section"
    if len(sizes) > 1 and size >= sizes[0] - 0.5:
        return "part"
    return "section"


def _is_list_label(block: Block, following: Block) -> bool:
    """A one-line italic caption right before bullets ("Recommended Policy Actions")."""
    return following.kind == "bullet" and block.kind == "text" and len(block.lines) == 1 and block.lines[0].italic


class _UnitBuilder:
    """Turns the stream of blocks into units with position-derived ids."""

    def __init__(self, plan_id: str, vocabulary: frozenset[str]):
        self.plan_id = plan_id
        self.vocabulary = vocabulary
        self.units: list[Unit] = []
        self.marker_owner: dict[int, Unit] = {}
        self.title_id = f"{plan_id}/title"
        self.part: Unit | None = None
        self.front: str | None = None
        self.section: Unit | None = None
        self.ids = UnitIds()
        self.parts = 0  # parts opened so far

    def text(self, block: Block) -> str:
        return normalise_en(join_line_breaks(block.raw_text, self.vocabulary))

    def add(self, unit: Unit, block: Block | None = None) -> Unit:
        self.units.append(unit)
        if block is not None:
            for marker in block.markers:
                self.marker_owner.setdefault(marker, unit)
        return unit

    def title(self, text: str, page: int | None) -> None:
        self.add(Unit(self.title_id, "title", text, page=page))

    def heading(self, role: str, block: Block, page: int | None, text: str) -> None:
        """Open a part, section or front division titled ``text`` (its outline title, or its own)."""
        if role == "part":
            self.parts += 1
            self.front, self.section = None, None
            uid = f"{self.plan_id}/p{self.parts}"
            self.part = self.add(Unit(uid, "part", text, self.title_id, text, None, page, heading_label(text)), block)
        elif role == "front":
            self.front, self.part, self.section = text, None, None
        elif role == "section":
            scope = self.part.unit_id if self.part else self.plan_id
            parent = self.part.unit_id if self.part else self.title_id
            part_title = self.part.text if self.part else None
            self.section = self.add(Unit(self.ids.next(scope, "s"), "section", text, parent, part_title, text, page,
                                         heading_label(text)), block)

    def body(self, block: Block, page: int | None) -> None:
        text = self.text(block)
        if not text:
            return
        if self.part is None and self.section is None:
            self.add(Unit(self.ids.next(self.plan_id, "pre"), "preamble", text, self.title_id, self.front, None, page),
                     block)
            return
        parent = self.section or self.part
        level = "action" if block.kind == "bullet" else "paragraph"
        prefix = "a" if level == "action" else "par"
        self.add(Unit(self.ids.next(parent.unit_id, prefix), level, text, parent.unit_id,
                      self.part.text if self.part else None, self.section.text if self.section else None, page), block)

    def footnotes(self, notes: list[tuple[Block, int | None]], source: str) -> None:
        """Attach each footnote after the unit that cites it (reading order)."""
        footnotes = []
        for block, page in notes:
            owner = self.marker_owner.get(block.number)
            if owner is None:
                raise StructureError(
                    f"{source}: footnote {block.number} has no marker in the body text; the "
                    "footnote layout of this PDF is not recognised.")
            footnotes.append(Unit(f"{self.plan_id}/fn{block.number:02d}", "footnote", self.text(block),
                                  owner.unit_id, owner.part, owner.section, page, str(block.number)))
        self.units = after_parents(self.units, sorted(footnotes, key=lambda u: u.unit_id))



def _continues(previous: Block | None, block: Block) -> bool:
    """Whether the first block of a page continues the last block of the previous page."""
    if previous is None or previous.kind not in ("text", "bullet") or block.kind != "text":
        return False
    first = block.lines[0]
    if previous.kind == "bullet":
        return first.x0 >= previous.lines[-1].x0 - 5
    return runs_on(previous.lines[-1], first)


def read_pdf(path: Path, *, plan_id: str, title: str | None = None) -> tuple[list[Unit], dict]:
    """Units in reading order and facts about the PDF (see the module docstring).

    The facts: ``structure`` ("structured", or "flat" when no headings were found: the
    units are then paragraphs, and a StructureWarning names the file), ``words_in_file``
    (words of all page text, furniture included) and what a gazette's filing and signature
    lines say (see :mod:`.gazette`).
    """
    raw_pages, outline, metadata_title = read_pages(path)
    if not any(lines for _, lines, _ in raw_pages):
        raise StructureError(f"{path}: the PDF has no extractable text (a scanned image?); "
                             "policylab needs a PDF with a text layer.")
    words = sum(len(line.text.split()) for _, lines, _ in raw_pages for line in lines)
    if is_gazette(raw_pages):
        units, facts = read_gazette(raw_pages, str(path), plan_id=plan_id, title=title)
    else:
        units, facts = _read_report(path, raw_pages, outline, metadata_title, plan_id=plan_id, title=title)
    if facts["structure"] == "flat":
        paragraphs = sum(unit.level == "paragraph" for unit in units)
        warnings.warn(StructureWarning(
            f"{path}: no numbered or larger-type headings and no PDF outline were found; read as "
            f"{paragraphs} flat paragraph{'s' if paragraphs != 1 else ''}. Check the unit table, or convert "
            "the document to text or Markdown with its headings marked."), stacklevel=3)
    return units, {**facts, "words_in_file": words}


def _read_report(path: Path, raw_pages: list[tuple[int, list[Line], float]], outline: list[OutlineEntry],
                 metadata_title: str, *, plan_id: str, title: str | None) -> tuple[list[Unit], dict]:
    """Units and facts of a report or plan (not a gazette)."""
    pages = strip_furniture(raw_pages)
    body_size = find_body_size(pages, path)
    content = [p for p in pages if p.lines and not is_toc(p) and not is_blank(p)]
    if len(content) > 1 and content[0].index == 0 and content[0].label is None and any(p.label for p in content):
        content = content[1:]  # the cover: first page, unnumbered, in a numbered document
    if not content:
        raise StructureError(f"{path}: every page is blank, a cover or a table of contents; no body text found.")
    spacing = line_spacing(content, body_size)
    heading_sizes = sorted({l.size for p in content for l in p.lines if l.size >= HEADING_SIZE * body_size},
                           reverse=True)
    outline_by_key = {_key(e.title): e for e in outline}
    vocabulary = word_forms(line.text for p in content for line in p.lines)
    decimal_sections = any(_DECIMAL_NUMBER.match(l.text) and _is_numbered_heading(l.text)
                           for p in content for l in p.lines)

    builder = _UnitBuilder(plan_id, vocabulary)
    first_line = content[0].lines[0]
    cover_title = first_line.text if first_line.size >= HEADING_SIZE * body_size else None
    builder.title(title or metadata_title or cover_title or path.stem, None)
    notes: list[tuple[Block, int | None]] = []
    previous: Block | None = None
    previous_page: int | None = None
    for page in content:
        blocks, page_notes = page_blocks(page, body_size, spacing, numbered_headings=not outline)
        for block in page_notes:
            if block.number is None and notes:
                notes[-1][0].lines.extend(block.lines)
            elif block.number is not None:
                notes.append((block, page.number))
        for i, block in enumerate(blocks):
            if i == 0 and _continues(previous, block):
                previous.lines.extend(block.lines)
                continue
            if not outline and block.lines[0] is first_line and cover_title and not _is_numbered_heading(cover_title):
                builder.units[0].text = title or metadata_title or builder.text(block)  # title and subtitle
                continue
            role = None
            if not outline and _is_set_apart_heading(block):
                block.kind = "heading"
            if block.kind == "heading":
                heading_text = builder.text(block)
                role = _heading_role(heading_text, block.lines[0].size, outline_by_key, heading_sizes,
                                     decimal_sections)
                if role == "body":
                    block.kind = "text"
            if previous is not None and previous.kind != "heading" and not _is_list_label(previous, block):
                builder.body(previous, previous_page)
            previous, previous_page = block, page.number
            if block.kind == "heading":
                entry = outline_by_key.get(_key(heading_text))
                builder.heading(role, block, page.number, (entry.title if entry else None) or heading_text)
    if previous is not None and previous.kind != "heading":
        builder.body(previous, previous_page)
    structured = any(u.level in ("part", "section") for u in builder.units)
    if not structured:  # no headings: the paragraphs are the document
        for unit in builder.units[1:]:
            unit.level, unit.unit_id = "paragraph", unit.unit_id.replace("/pre", "/par")
    builder.footnotes(notes, str(path))
    return builder.units, {"structure": "structured" if structured else "flat"}

"""Read a gazette document (a Federal Register presidential document) from its PDF lines.

The template: a masthead on the first page ("Federal Register", "Vol. 90, No. 20", the
date, "Presidential Documents", "Title 3— The President"), running heads with the page
number on the other pages, a line naming the document ("Executive Order 14179 of
January 23, 2025"), its title in larger type, a preamble, run-in section headings
("Section 1. Purpose." / "Sec. 2. Policy.") whose paragraphs hold lettered and roman
items ("(a)", "(i)"), each starting on an indented line, then a signature block ("THE
WHITE HOUSE," and the date) and filing lines ("[FR Doc. …]", "Billing code …").

Masthead, running heads, proof and filing lines and the signature block are not units;
the document line, document number and signature date go into the reader's facts.
Numbers are read with the shared grammar of :mod:`.numbering`.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import datetime

from ..units import Unit
from .normalise import join_line_breaks, normalise_en, whole_word_forms
from .numbering import Number, parse_number, resolve
from .pdf_lines import Line
from .pdf_pages import EDGE_NUMBER, Page, find_body_size, line_spacing, strip_furniture
from .structure import UnitIds

PARAGRAPH_GAP = 1.35  # a line gap this many times the usual spacing starts a new block
INDENT = 0.5  # a first line set in by this share of the type size starts a new block
TITLE_LINES = 3  # a title set in body type is at most this many lines
MARGIN_NOTE = 4  # a line starting this many type sizes left of most lines is a margin note, not the text edge
_NAME = r"(?:Federal Register|[A-Z][a-z]+ Gazette|Official Journal of the [A-Z][a-z]+(?: [A-Z][a-z]+)*)"
_PART = r"Presidential Documents|Rules and Regulations|Proposed Rules|Notices"  # parts of the Federal Register
_MASTHEAD = re.compile(_NAME)
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = rf"{_MONTH} \d{{1,2}}, \d{{4}}"
_FURNITURE = re.compile("|".join([  # matched at the start of a line
    rf"(?:\d{{1,6}} )?{_NAME}(?: /.*)?$",  # masthead name, or a running head "8742 Federal Register / Vol. …"
    rf"(?:{_NAME} )?(?:{_PART})$",  # the masthead's part name, alone or on the name's baseline
    r"Vol\. \d+, No\. \d+$",
    rf"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, {_DATE}$",
    r"Title \d+\s*[—–-]\s*(?:The President)?$",
    r"The President$",
    r"\d{1,6}$",  # a page number on a line of its own
    r"VerDate\b",  # the printer's proof line
    r"\[FR Doc\.",
    r"Billing code\b",
]), re.IGNORECASE)
_GRAPHIC = re.compile(r"[A-Za-z]\w*\.\w{1,4}</GPH>|</?GPH>")  # a graphic's (the signature's) file name, printed as text
# Margin words on a title line's baseline (joined without a space when set in smaller type).
_MARGIN_PREFIX = re.compile(r"^(?:Title \d+\s*[—–-]\s*|The President\s*(?=[A-Z]))+")
_DOCUMENT_LINE = re.compile(
    rf"^(?:(?:Executive Order|Proclamation|Presidential Determination No\.|Memorandum|Notice|Order)\b.*?)"
    rf"\bof {_DATE}$")
_EXECUTIVE_ORDER = re.compile(r"^Executive Order (\d+)\b")
_FR_DOC = re.compile(r"^\[FR Doc\.\s*(\d{2,4}\s*[-–]\s*\d+)")
_PLACE_DATE = re.compile(rf"^([A-Z][A-Z .'’-]*[A-Z]),(?:\s*({_DATE}))?\.?$")
_DATE_LINE = re.compile(rf"^({_DATE})\.?$")
_SIGNATORY = re.compile(r"^[A-Z][A-Z.'’ -]+[A-Z.]$")  # a name in capitals ("JANE Q. DOE")
_RUN_IN_HEADING = re.compile(r"^([A-Z](?:[^.]|\.(?=\S)){0,120}?)\.(?:\s+|$)")  # to a full stop ("U.S" runs on)
_ENDS_CLAUSE = (".", ":", ";", "; and", "; or")  # a line after which a numbered line starts an item


def is_gazette(raw_pages: list[tuple[int, list[Line], float]]) -> bool:
    """Whether the first page's top fifth names a gazette ("Federal Register")."""
    if not raw_pages:
        return False
    _, lines, height = raw_pages[0]
    return any(line.y > 0.8 * height and _MASTHEAD.search(line.text) for line in lines)


def read_gazette(raw_pages: list[tuple[int, list[Line], float]], source: str, *, plan_id: str,
                 title: str | None) -> tuple[list[Unit], dict]:
    """Units and facts of a gazette document, from the lines of its pages (see the module docstring)."""
    facts = _filing_facts(line.text for _, lines, _ in raw_pages for line in lines)
    pages = _number_pages([_without_furniture(page) for page in strip_furniture(raw_pages)])
    lines = [(line, page) for page in pages for line in page.lines]
    body_size = find_body_size(pages, source)
    head, lines = _head(lines, body_size)
    document = next((line.text for line, _ in head if _DOCUMENT_LINE.match(line.text)), None)
    if document:
        facts["document"] = document
        number = _EXECUTIVE_ORDER.match(document)
        if number:
            facts["executive_order"] = number.group(1)
    own_title = " ".join(line.text for line, _ in head if line.text != document)
    lines = _without_signature(lines, facts)
    vocabulary = whole_word_forms([line.text for line, _ in lines])
    builder = _Builder(plan_id)
    builder.units.append(Unit(builder.title_id, "title", normalise_en(own_title or title or plan_id),
                              page=head[0][1].number if head else None))
    builder.build(_pieces(_blocks(lines, line_spacing(pages, body_size)), vocabulary))
    facts["structure"] = "structured" if builder.section is not None else "flat"
    if builder.section is None:  # no numbered sections: the paragraphs are the document
        for unit in builder.units[1:]:
            unit.level = "paragraph"
            unit.unit_id = unit.unit_id.replace("/pre", "/par")
    return builder.units, facts


# --- page furniture and facts --------------------------------------------------------


def _filing_facts(texts) -> dict:
    """The document number of the filing line ("[FR Doc. 2025-02172 Filed …]")."""
    for text in texts:
        match = _FR_DOC.match(text)
        if match:
            return {"document_number": re.sub(r"\s*[-–]\s*", "-", match.group(1))}
    return {}


def _without_furniture(page: Page) -> Page:
    """The page without masthead, running head, proof and filing lines; the running head's
    page number becomes the page label."""
    kept = []
    label = page.label
    for line in page.lines:
        if "GPH>" in line.text:
            line.text = _GRAPHIC.sub("", line.text).strip()
            if not line.text:
                continue
        if not _FURNITURE.match(line.text):
            kept.append(line)
            continue
        number = EDGE_NUMBER.search(line.text) if "/" in line.text or line.text.isdigit() else None
        if number and label is None:
            label = number.group(1) or number.group(2)
        elif line.text.isdigit() and label is None:
            label = line.text
    return Page(page.index, kept, label)


def _number_pages(pages: list[Page]) -> list[Page]:
    """Pages whose printed number is missing get it from a numbered page (pages run on by
    one, as a gazette's do); without any printed number, the PDF page number (from 1)."""
    known = next((page for page in pages if page.number is not None), None)
    for page in pages:
        if page.number is None:
            page.label = str(known.number + page.index - known.index if known else page.index + 1)
    return pages


def _head(lines: list[tuple[Line, Page]], body_size: float) -> tuple[list[tuple[Line, Page]], list[tuple[Line, Page]]]:
    """(document line and title lines, the rest): the lines in larger type at the start,
    with the line naming the document (in any type) that comes before them."""
    end = 0
    for end, (line, _) in enumerate(lines):
        if line.size <= body_size + 0.5 and not _DOCUMENT_LINE.match(_MARGIN_PREFIX.sub("", line.text)):
            break
    else:
        end = len(lines)
    if 0 < end < len(lines) and all(_DOCUMENT_LINE.match(_MARGIN_PREFIX.sub("", line.text)) for line, _ in lines[:end]):
        end += _title_in_body_type(lines[end:end + TITLE_LINES + 1], _text_edge([line for line, _ in lines[end:]]))
    head, rest = lines[:end], lines[end:]
    text_edge = _text_edge([line for line, _ in rest]) if rest else 0.0
    for line, _ in head:
        if line.x0 < text_edge - 2 * line.size:  # starts in the margin: the margin words are not the title's
            line.text = _MARGIN_PREFIX.sub("", line.text)
    return head, rest


def _title_in_body_type(lines: list[tuple[Line, Page]], edge: float) -> int:
    """How many of ``lines`` (after the document line) are its title when that is set in body
    type: lines starting at the text ``edge`` (or left of it, in the margin), without closing
    punctuation, right before an indented line (the preamble's first)."""
    count = 0
    for line, _ in lines[:TITLE_LINES]:
        if line.x0 > edge + INDENT * line.size or line.text.endswith((".", ":", ";", ",")):
            break
        count += 1
    follows = lines[count][0] if count < len(lines) else None
    return count if follows is not None and follows.x0 > edge + INDENT * follows.size else 0


def _without_signature(lines: list[tuple[Line, Page]], facts: dict) -> list[tuple[Line, Page]]:
    """The lines without the signature block near the end (signatory, place and date lines);
    the date goes into ``facts["signature_date"]`` (ISO) and the place into ``signature_place``."""
    for i in range(len(lines) - 1, max(len(lines) - 8, -1), -1):
        match = _PLACE_DATE.match(lines[i][0].text)
        if match is None:
            continue
        end = i + 1
        date = match.group(2)
        if date is None and end < len(lines):
            following = _DATE_LINE.match(lines[end][0].text)
            if following:
                date, end = following.group(1), end + 1
        if date is None:
            continue
        start = i
        if start > 0 and _SIGNATORY.match(lines[start - 1][0].text) and len(lines[start - 1][0].text.split()) <= 6:
            start -= 1
        while end < len(lines) and _SIGNATORY.match(lines[end][0].text):
            end += 1
        facts["signature_place"] = match.group(1).title()
        facts["signature_date"] = datetime.strptime(date, "%B %d, %Y").date().isoformat()
        return lines[:start] + lines[end:]
    return lines


# --- blocks and units ----------------------------------------------------------------


@dataclass
class _Block:
    lines: list[str]
    page: int | None


def _blocks(lines: list[tuple[Line, Page]], spacing: float) -> list[_Block]:
    """Paragraphs and items: a block starts at an indented first line, after a wider gap or
    a change of type size, or at a numbered line after a line that ends a sentence."""
    edges = _left_edges(lines)
    blocks: list[_Block] = []
    previous: Line | None = None
    for (line, page), edge in zip(lines, edges):
        starts = (
            previous is None
            or line.x0 > edge + INDENT * line.size
            or abs(line.size - previous.size) > 0.5
            or (previous.page == line.page and not line.column_start
                and previous.y - line.y > PARAGRAPH_GAP * spacing)
            or (previous.text.endswith(_ENDS_CLAUSE) and _structural(parse_number(line.text)))
        )
        if starts:
            blocks.append(_Block([line.text], int(page.label)))  # _number_pages gave every page a number
        else:
            blocks[-1].lines.append(line.text)
        previous = line
    return blocks


def _left_edges(lines: list[tuple[Line, Page]]) -> list[float]:
    """The left edge of the text column each line sits in (per page, per column)."""
    segments: list[list[int]] = []
    for i, (line, _) in enumerate(lines):
        if i == 0 or line.page != lines[i - 1][0].page or line.column_start:
            segments.append([])
        segments[-1].append(i)
    edges = [0.0] * len(lines)
    for segment in segments:
        edge = _text_edge([lines[i][0] for i in segment])
        for i in segment:
            edges[i] = edge
    return edges


def _text_edge(lines: list[Line]) -> float:
    """Where the lines of one column start: the leftmost start, margin notes far left of most lines left out."""
    middle = statistics.median(line.x0 for line in lines)
    return min(line.x0 for line in lines if line.x0 > middle - MARGIN_NOTE * line.size)


def _structural(number: Number | None) -> bool:
    """Whether a number opens a section ("Sec. 2") or an item ("(a)", "(iv)", "a)")."""
    return number is not None and (number.scheme == "section_word" or number.label.endswith(")"))


@dataclass
class _Piece:
    """A section heading, or a block's text with the number it starts with."""

    text: str
    page: int | None
    number: Number | None = None
    heading: bool = False


def _pieces(blocks: list[_Block], vocabulary: frozenset[str]) -> list[_Piece]:
    """Each block as a piece, a run-in section heading ("Sec. 2. Policy.") cut off as a piece
    of its own; the numbers of the document resolved together ("(i)" after "(h)" is a letter)."""
    pieces = []
    for block in blocks:
        text = normalise_en(join_line_breaks("\n".join(block.lines), vocabulary, guess=True))
        number = parse_number(text)
        if number is not None and number.scheme == "section_word":
            heading = _RUN_IN_HEADING.match(number.rest)
            name = heading.group(1) if heading else number.label
            pieces.append(_Piece(name, block.page, number, heading=True))
            text = number.rest[heading.end():] if heading else number.rest
            number = parse_number(text)
        if text:
            pieces.append(_Piece(text, block.page, number if _structural(number) else None))
    numbered = [piece for piece in pieces if piece.number is not None]
    for piece, number in zip(numbered, resolve([piece.number for piece in numbered])):
        piece.number = number
    return pieces


class _Builder:
    """Turns pieces into a title, preamble, sections and their items, nested by numbering."""

    def __init__(self, plan_id: str):
        self.title_id = f"{plan_id}/title"
        self.plan_id = plan_id
        self.units: list[Unit] = []
        self.ids = UnitIds()
        self.section: Unit | None = None

    def build(self, pieces: list[_Piece]) -> None:
        """Units of the pieces in order. An item is a sibling of the open item of its numbering
        scheme, else a child of the innermost open item (or of its section): "(a)", "(i)",
        "(A)" nest in the order a document uses them, whichever convention it follows."""
        open_items: list[tuple[str, Unit]] = []  # (scheme, unit), outermost first
        for piece in pieces:
            if piece.heading:
                label = piece.number.label.split()[-1]
                self.section = Unit(self.ids.next(self.plan_id, "s"), "section", piece.text, self.title_id,
                                    section=piece.text, page=piece.page, label=label)
                self.units.append(self.section)
                open_items = []
            elif self.section is None:
                self.units.append(Unit(self.ids.next(self.plan_id, "pre"), "preamble", piece.text, self.title_id,
                                       page=piece.page))
            elif piece.number is None:
                open_items = []
                self.units.append(Unit(self.ids.next(self.section.unit_id, "par"), "paragraph", piece.text,
                                       self.section.unit_id, section=self.section.text, page=piece.page))
            else:
                scheme = piece.number.scheme
                schemes = [open_scheme for open_scheme, _ in open_items]
                del open_items[schemes.index(scheme) if scheme in schemes else len(open_items):]
                parent = open_items[-1][1] if open_items else self.section
                unit = Unit(self.ids.next(parent.unit_id, "pt"), "point", piece.number.rest, parent.unit_id,
                            section=self.section.text, page=piece.page, label=piece.number.label.strip("()"))
                self.units.append(unit)
                open_items.append((scheme, unit))

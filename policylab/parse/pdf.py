"""Read a policy PDF into units.

The reader works on PDFium's text objects (runs of text with a position, size and font),
not on its flattened page text: positions decide where words end, which lines are
running headers, page numbers, headings, footnotes, and which small raised digits are
footnote markers. A page set in two columns (the Federal Register) is read column by
column. The PDF outline (bookmarks) names parts and sections where the document has one;
otherwise heading sizes and numbering are used.
"""

from __future__ import annotations

import ctypes
import dataclasses
import itertools
import math
import operator
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import CorruptDocumentError, EncryptedDocumentError, StructureError
from ..units import Unit
from .normalise import join_line_breaks, normalise_en, word_forms
from .structure import UnitIds, after_parents, heading_label

SPACE_GAP = 0.2  # a gap wider than this share of the font size separates two words
RAISED_SIZE = 0.8  # runs smaller than this share of their line's size are raised (markers)
HEADING_SIZE = 1.25  # lines this much larger than body text are headings
FOOTNOTE_SIZE = 0.85  # lines this much smaller than body text, below it, are footnotes
PARAGRAPH_GAP = 1.35  # a line gap this many times the usual spacing starts a new block
BULLETS = "•▪◦‣●■–"
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.IGNORECASE)
_BLANK_NOTICE = re.compile(r"intentionally left blank", re.IGNORECASE)
_NUMBERED_PART = re.compile(r"^(part|pillar|chapter|title)\s+[\dIVXLC]+\b|^[IVXLC]+\.\s", re.IGNORECASE)
_NUMBERED_SECTION = re.compile(r"^(sec(tion)?\.?\s*\d+\.?|\d{1,2}\.(\d{1,2}\.?)?)\s", re.IGNORECASE)
_EDGE_NUMBER = re.compile(r"^(\d{1,5})\s|\s(\d{1,5})$")
_DECIMAL_NUMBER = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s")
_WHOLE_NUMBER = re.compile(r"^\d{1,2}\.?\s")
_RUN_IN_HEADING = re.compile(r"^(Sec(?:tion)?\.?\s*\d+\.\s+[A-Z][^.]{0,80}\.)\s+(\S.*)$")
_FILING_LINE = re.compile(r"^\[FR Doc\.|^Billing code\b", re.IGNORECASE)  # Federal Register filing data
_TERMINAL = re.compile(r"[.!?:;”\"’)]\s*$")
_CONTROL = re.compile(r"[\x00-\x01\x03-\x08\x0b-\x1f\ufffe\uffff]")


@dataclass
class Run:
    """A PDF text object: text drawn with one font at one position."""

    text: str
    x0: float
    x1: float
    y: float  # baseline
    size: float
    italic: bool


@dataclass
class Line:
    """Runs on one baseline, joined into text; raised digits kept apart as markers."""

    page: int
    y: float
    x0: float
    x1: float
    size: float
    italic: bool
    text: str
    markers: list[int] = field(default_factory=list)
    lead_number: int | None = None
    column_start: bool = False  # first line of a column after the first one on its page


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


# --- from PDF objects to lines -------------------------------------------------------


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open a PDF, turning PDFium's failures into policylab errors."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedDocumentError(
                f"{path}: the PDF is password-protected. Save an unprotected copy "
                "(or download the official file again) and read that.") from None
        raise CorruptDocumentError(
            f"{path}: starts like a PDF but PDFium cannot read it ({exc}). The file may be "
            "truncated or damaged; download it again (policylab fetch) and retry.") from None


def _bind(function, restype, *argtypes):
    """A PDFium function again, with plain-address arguments and result (cheap dict keys)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(_address(function))


def _address(pointer) -> int:
    """A pointer as a plain address: functions from _bind take that faster than the pointer object."""
    return ctypes.cast(pointer, ctypes.c_void_p).value


class _FontInfo:
    """Caches whether each font of a document is italic, keyed by the font's address."""

    _font_address = _bind(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)

    def __init__(self):
        self._italic: dict[int, bool] = {}
        self._name = ctypes.create_string_buffer(256)

    def italic(self, text_object) -> bool:
        address = self._font_address(text_object)
        if address not in self._italic:
            font = ctypes.cast(address, pdfium_c.FPDF_FONT)
            pdfium_c.FPDFFont_GetBaseFontName(font, self._name, len(self._name))
            name = self._name.value.decode("latin-1").lower()
            self._italic[address] = "italic" in name or "oblique" in name
        return self._italic[address]


_char_object = _bind(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_page_object = _bind(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_object_type = _bind(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p)
_object_bounds = _bind(pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int, ctypes.c_void_p, *[ctypes.POINTER(ctypes.c_float)] * 4)
_object_matrix = _bind(pdfium_c.FPDFPageObj_GetMatrix, ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(pdfium_c.FS_MATRIX))
_object_font_size = _bind(pdfium_c.FPDFTextObj_GetFontSize, ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_float))
_object_text = _bind(pdfium_c.FPDFTextObj_GetText, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")
_EMPTY_WIDTH = 0.01  # PDFium leaves text objects narrower than this out of the page text


def _object_texts(raw_textpage) -> dict[int, str | None]:
    """The text of the text objects of a page, keyed by object address, from one page text.

    FPDFTextObj_GetText scans the page's whole character list for every object; here the
    page text is fetched once and cut where the object changes, found by galloping and
    bisection over FPDFText_GetTextObject, after one probe where the stretch most likely
    ends (the next line break: most text objects are lines). A cut gets the space that
    follows it, as FPDFTextObj_GetText gives it. Objects whose characters are not one
    stretch or hold a control character (a line break, a soft hyphen) map to None, and
    whole pages in right-to-left scripts (bidi reordering can interleave objects) give
    an empty dict: the caller asks PDFium for those one by one, and for objects missing
    from the dict (see page_runs for the ones that should not be missing).
    """
    count = pdfium_c.FPDFText_CountChars(raw_textpage)
    if count <= 0:
        return {}
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw_textpage, 0, count, buffer)
    text = ctypes.string_at(buffer, max(written - 1, 0) * 2).decode("utf-16-le", errors="replace")
    if len(text) != count or _RIGHT_TO_LEFT.search(text):  # bidi reordering can interleave objects
        return {}
    texts: dict[int, str | None] = {}
    unclear: set[int] = set()
    char_object, textpage = _char_object, _address(raw_textpage)
    start, obj = 0, char_object(textpage, 0)
    seen_at, seen_obj = -1, None  # the last guess probe: later objects of a line end at the same guess
    while start < count:
        if text.startswith("\r\n", start):
            guess = start + 2  # PDFium's line break between two lines
        else:
            guess = text.find("\r", start + 1)  # the end of the line
            guess = count if guess == -1 else guess
        same, end, next_obj = start, count, None  # the stretch ends by ``end``; next_obj: the object there
        if start < guess - 1:
            if seen_at != guess - 1:
                seen_at, seen_obj = guess - 1, char_object(textpage, guess - 1)
            probe = seen_obj
            if probe == obj:
                same = guess - 1
            else:
                end, next_obj = guess - 1, probe
        step = 1
        while same + step < end:
            probe = char_object(textpage, same + step)
            if probe != obj:
                next_obj = probe
                break
            same += step
            step *= 2
        other = min(same + step, end)
        while other - same > 1:
            middle = (same + other) // 2
            probe = char_object(textpage, middle)
            if probe == obj:
                same = middle
            else:
                other, next_obj = middle, probe
        if obj is not None:
            piece = text[start:other]
            if obj in texts or not piece.isprintable():
                unclear.add(obj)
            texts[obj] = piece + " " if other < count and text[other] == " " else piece
        start, obj = other, next_obj
    for obj in unclear:
        texts[obj] = None
    return texts


def _right_to_left(pdf: pdfium.PdfDocument) -> bool:
    """Whether the viewer preferences set the reading direction right to left (PDFium then
    reorders neutral characters in its page text, across text objects)."""
    value = ctypes.create_string_buffer(8)
    written = pdfium_c.FPDF_VIEWERREF_GetName(pdf.raw, b"Direction", value, len(value))
    return 0 < written <= len(value) and value.value == b"R2L"


def page_runs(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, fonts: _FontInfo,
              cut_page_text: bool = True) -> list[Run]:
    """The text objects of a page, in content order (their texts cut from the page text
    unless ``cut_page_text`` is false, see _object_texts).

    This loop runs once per text object of the document, so PDFium's functions, the
    output structures and the text buffer are bound once per page.
    """
    runs = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()
    font_size = ctypes.c_float()
    capacity = 4096
    buffer = (ctypes.c_ushort * capacity)()
    texts = _object_texts(textpage.raw) if cut_page_text else {}
    raw_page, raw_textpage = _address(page.raw), _address(textpage.raw)
    get_object, get_type, get_text = _page_object, _object_type, _object_text
    get_bounds, get_matrix = _object_bounds, _object_matrix
    get_font_size, italic, string_at = _object_font_size, fonts.italic, ctypes.string_at
    text_type = pdfium_c.FPDF_PAGEOBJ_TEXT
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = get_object(raw_page, index)
        text = texts.get(obj)  # only text objects have characters
        if text is None:
            if get_type(obj) != text_type:
                continue
            get_bounds(obj, left, bottom, right, top)
            if abs(right.value - left.value) < _EMPTY_WIDTH:
                continue
            needed = get_text(obj, raw_textpage, buffer, capacity * 2)
            if needed > capacity * 2:
                capacity = needed
                buffer = (ctypes.c_ushort * capacity)()
                needed = get_text(obj, raw_textpage, buffer, capacity * 2)
            text = string_at(buffer, max(needed - 2, 0)).decode("utf-16-le", errors="replace")
            if text and texts and obj not in texts:  # its characters lie inside another object's cut
                return page_runs(page, textpage, fonts, cut_page_text=False)
        if not text.isprintable():
            text = _CONTROL.sub("", text.replace("\x02", "-"))
        if not text.strip():
            continue
        get_bounds(obj, left, bottom, right, top)
        get_matrix(obj, matrix)
        get_font_size(obj, font_size)
        size = font_size.value * math.hypot(matrix.a, matrix.b)
        runs.append(Run(text, left.value, right.value, matrix.f, round(size, 2), italic(obj)))
    return runs


_LEFT_EDGE = operator.attrgetter("x0")
_SIZE = operator.attrgetter("size")


def _top_down(run: Run) -> tuple[float, float]:
    return -run.y, run.x0


_MARKER_TEXT = re.compile(r"[\d,\s]+")


def _marker_numbers(text: str) -> list[int] | None:
    """Footnote numbers in a raised run ("3", "10, 11", or a lone separating comma)."""
    if not _MARKER_TEXT.fullmatch(text):
        return None
    return [int(n) for n in re.findall(r"\d{1,3}", text)]


def _join_runs(page: int, runs: list[Run]) -> Line:
    """Join the runs of one baseline (raised runs included) into a Line."""
    if len(runs) == 1 and runs[0].size >= 0:  # most lines: nothing to join, nothing raised
        run = runs[0]
        text = run.text.strip()
        return Line(page, run.y, run.x0, run.x1, run.size, run.italic and bool(text), text)
    runs = sorted(runs, key=_LEFT_EDGE)
    size = max(map(_SIZE, runs))
    body = [r for r in runs if r.size >= RAISED_SIZE * size] or runs
    sizes = list(map(_SIZE, body))
    line_size = max(sizes, key=sizes.count) if len(sizes) > 1 else sizes[0]
    parts: list[str] = []
    markers: list[int] = []
    lead_number = None
    last_end = None
    for run in runs:
        raised = run.size < RAISED_SIZE * line_size
        numbers = _marker_numbers(run.text) if raised else None
        if numbers is not None:
            if not parts and numbers:
                lead_number = numbers[0]
            else:
                markers.extend(numbers)
            continue
        text = run.text
        if raised:  # ordinal suffixes such as "th", "st"
            parts.append(text.strip())
            continue
        if parts and last_end is not None:
            gap = run.x0 - last_end
            if gap > SPACE_GAP * run.size and not parts[-1].endswith(" ") and not text.startswith(" "):
                parts.append(" ")
        parts.append(text)
        last_end = run.x1
    italic_chars = all_chars = 0
    for r in body:
        chars = len(r.text.strip())
        all_chars += chars
        if r.italic:
            italic_chars += chars
    return Line(
        page=page, y=body[0].y, x0=runs[0].x0, x1=runs[-1].x1, size=line_size,
        italic=all_chars > 0 and italic_chars == all_chars,
        text="".join(parts).strip(), markers=markers, lead_number=lead_number)


def page_lines(page: int, runs: list[Run]) -> list[Line]:
    """Group runs into lines, top to bottom; raised runs join the line they sit on."""
    clusters: list[list] = []  # [baseline, largest size, runs]
    last = None
    for run in sorted(runs, key=_top_down):
        if last is not None and abs(last[0] - run.y) <= 0.25 * max(run.size, last[1]):
            last[2].append(run)
            last[1] = max(last[1], run.size)
        else:
            last = [run.y, run.size, [run]]
            clusters.append(last)
    merged: list[list[Run]] = []
    for (y, size, members), (below_y, below_size, below) in itertools.pairwise(clusters):
        if size < RAISED_SIZE * below_size and 0 < y - below_y < 0.7 * below_size:  # the cheap tests first
            x0, x1 = min(map(_LEFT_EDGE, below)), max(r.x1 for r in below)
            if x0 - 1.5 * below_size <= min(map(_LEFT_EDGE, members)) <= x1 + 1.5 * below_size:
                below.extend(members)
                continue
        merged.append(members)
    if clusters:
        merged.append(clusters[-1][2])
    return [_join_runs(page, members) for members in merged]


# --- columns -------------------------------------------------------------------------

COLUMN_SHARE = 0.2  # each column holds at least this share of the characters of the columns
SPANNING_SHARE = 1 / 3  # at most this share of the page's baselines cross the gutter (heads, titles)
GUTTER = 6.0  # points either side of the gutter line that no column text enters


def _covers(spans: list[tuple[float, float]], start: float, end: float) -> bool:
    """Whether the runs of one line cover start..end, with no gap wide enough for a gutter."""
    stretch, reach = math.inf, -math.inf
    for x0, x1 in sorted(spans):
        if x0 > reach + 2 * GUTTER:  # a gap a gutter could sit in: a new stretch of text starts
            stretch = x0
        reach = max(reach, x1)
        if stretch <= start and reach >= end:
            return True
    return False


def find_gutter(runs: list[Run], width: float) -> float | None:
    """The x of the gap between two text columns, or None for a single-column page.

    A gutter is a vertical line in the middle third of the page that text does not cross,
    except a few lines spanning both columns (running heads, titles, proof lines), with at
    least COLUMN_SHARE of the column characters on either side and no column text within
    GUTTER points of it.
    """
    spans: dict[int, list[tuple[float, float]]] = {}
    for run in runs:
        spans.setdefault(round(run.y), []).append((run.x0, run.x1))
    baselines = len(spans)
    if sum(_covers(s, width / 3, 2 * width / 3) for s in spans.values()) > SPANNING_SHARE * baselines:
        return None  # many lines run through the whole middle third without a gap: one column
    boxes = [(r.x0, r.x1, len(r.text), round(r.y)) for r in runs]
    best: tuple[int, float, float] | None = None  # (crossing baselines, distance from centre, x)
    for step in range(int(width / 3), int(2 * width / 3) + 1, 2):
        x = float(step)
        if any(x - GUTTER < x1 <= x or x <= x0 < x + GUTTER for x0, x1, _, _ in boxes):
            continue  # column text too close
        crossing = len({y for x0, x1, _, y in boxes if x0 < x < x1})
        left = sum(chars for _, x1, chars, _ in boxes if x1 <= x)
        right = sum(chars for x0, _, chars, _ in boxes if x0 >= x)
        if crossing > SPANNING_SHARE * baselines or min(left, right) < COLUMN_SHARE * (left + right):
            continue
        candidate = (crossing, abs(x - width / 2), x)
        best = min(best, candidate) if best else candidate
    return best[2] if best else None


def reading_groups(runs: list[Run], width: float) -> list[tuple[list[Run], bool]]:
    """Runs in reading order as (group, starts a column) pairs: one group on a single-column page.

    On a two-column page, lines that span the gutter cut the page into bands; each band is
    read left column first, then right column, and each spanning line where it stands.
    """
    gutter = find_gutter(runs, width)
    if gutter is None:
        return [(runs, False)]
    spanning = [r for r in runs if r.x0 < gutter < r.x1]
    columns = [r for r in runs if not r.x0 < gutter < r.x1]  # on a spanning line's baseline: read with it
    groups: list[tuple[list[Run], bool]] = []
    upper = math.inf
    for cut in sorted({round(r.y, 1) for r in spanning}, reverse=True) + [-math.inf]:
        band = [r for r in columns if cut < round(r.y, 1) < upper]
        groups.append(([r for r in band if r.x1 <= gutter], False))
        groups.append(([r for r in band if r.x0 >= gutter], True))
        groups.append(([r for r in runs if round(r.y, 1) == cut], False))  # the spanning line, whole
        upper = cut
    return [(group, starts) for group, starts in groups if group]


def column_lines(page: int, runs: list[Run], width: float) -> list[Line]:
    """The lines of a page in reading order, column by column when it has two."""
    lines = []
    for group, starts_column in reading_groups(runs, width):
        group_lines = page_lines(page, group)
        group_lines[0].column_start = starts_column
        lines.extend(group_lines)
    return lines


# --- page roles ----------------------------------------------------------------------


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
    return re.sub(r"\d+", "#", " ".join(text.split()).casefold()).strip("# ")


def _strip_furniture(pages: list[tuple[int, list[Line], float]]) -> list[Page]:
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
        for line in lines:
            in_margin = line.y > 0.88 * height or line.y < 0.1 * height
            text = line.text.strip()
            if in_margin and text.isascii() and (text.isdigit() or _ROMAN.match(text)) and len(text) <= 5:
                label = text
                continue
            if _FILING_LINE.match(text):
                continue
            if in_margin and _furniture_key(text) in repeated:
                number = _EDGE_NUMBER.search(text) if line.y > 0.88 * height else None
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


def _is_toc(page: Page) -> bool:
    return sum(_ends_in_dot_leader(line.text) for line in page.lines) >= 3


def _is_blank(page: Page) -> bool:
    return all(_BLANK_NOTICE.search(line.text) for line in page.lines)


# --- blocks --------------------------------------------------------------------------


def _line_spacing(pages: list[Page], body_size: float) -> float:
    gaps = [
        a.y - b.y
        for page in pages
        for a, b in zip(page.lines, page.lines[1:])
        if abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5 and 0 < a.y - b.y < 3 * body_size
    ]
    return statistics.median(gaps) if gaps else 1.2 * body_size


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
            and (_runs_on(last, line) if line.column_start
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


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


@dataclass
class OutlineEntry:
    level: int
    title: str
    page: int
    has_children: bool


def _outline_title(item) -> str:
    """A bookmark's title; broken UTF-16 (a lone surrogate) becomes U+FFFD instead of an error."""
    size = pdfium_c.FPDFBookmark_GetTitle(item, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFBookmark_GetTitle(item, buffer, size)
    return buffer.raw[:max(size - 2, 0)].decode("utf-16-le", errors="replace")


def read_outline(pdf: pdfium.PdfDocument) -> list[OutlineEntry]:
    """The PDF outline (bookmarks) as a flat list, in document order."""
    entries = []
    for item in pdf.get_toc(max_depth=4):
        dest = item.get_dest()
        page = dest.get_index() if dest is not None else -1
        entries.append(OutlineEntry(item.level, re.sub(r"\s+", " ", _outline_title(item)).strip(), page, False))
    for a, b in itertools.pairwise(entries):
        a.has_children = b.level > a.level
    return entries


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

    def heading(self, role: str, block: Block, page: int | None, official: str | None) -> None:
        """Open a part, section or front division; ``official`` is its outline title."""
        text = official or self.text(block)
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


def _runs_on(last: Line, first: Line) -> bool:
    """Whether text continues from ``last`` (end of a page or column) into ``first``."""
    return not _TERMINAL.search(last.text) or first.text[:1].islower()


def _continues(previous: Block | None, block: Block) -> bool:
    """Whether the first block of a page continues the last block of the previous page."""
    if previous is None or previous.kind not in ("text", "bullet") or block.kind != "text":
        return False
    first = block.lines[0]
    if previous.kind == "bullet":
        return first.x0 >= previous.lines[-1].x0 - 5
    return _runs_on(previous.lines[-1], first)


def _read_pages(path: Path) -> tuple[list[tuple[int, list[Line], float]], list[OutlineEntry], str]:
    """Lines of every page (with its height), the outline and the metadata title."""
    pdf = open_pdf(path)
    try:
        fonts, cut_page_text = _FontInfo(), not _right_to_left(pdf)
        raw_pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            runs = page_runs(page, page.get_textpage(), fonts, cut_page_text)
            raw_pages.append((index, column_lines(index, runs, page.get_width()), page.get_height()))
        return raw_pages, read_outline(pdf), pdf.get_metadata_dict().get("Title", "").strip()
    except pdfium.PdfiumError as exc:
        raise CorruptDocumentError(f"{path}: PDFium failed while reading the pages ({exc}); "
                                   "download the file again and retry.") from None
    finally:
        pdf.close()


def _body_size(pages: list[Page], path: Path) -> float:
    """The font size that sets the most characters."""
    sizes_by_chars: dict[float, int] = {}
    for page in pages:
        for line in page.lines:
            sizes_by_chars[line.size] = sizes_by_chars.get(line.size, 0) + len(line.text)
    if not sizes_by_chars:
        raise StructureError(f"{path}: the pages hold nothing but page numbers and running headers; "
                             "no body text found. Check that this is the plan's full PDF.")
    return max(sizes_by_chars, key=sizes_by_chars.get)


def read_pdf(path: Path, *, plan_id: str, title: str | None = None) -> list[Unit]:
    """Read a PDF into units in reading order (see the module docstring)."""
    raw_pages, outline, metadata_title = _read_pages(path)
    if not any(lines for _, lines, _ in raw_pages):
        raise StructureError(f"{path}: the PDF has no extractable text (a scanned image?); "
                             "policylab needs a PDF with a text layer.")
    pages = _strip_furniture(raw_pages)
    body_size = _body_size(pages, path)
    content = [p for p in pages if p.lines and not _is_toc(p) and not _is_blank(p)]
    if len(content) > 1 and content[0].index == 0 and content[0].label is None and any(p.label for p in content):
        content = content[1:]  # the cover: first page, unnumbered, in a numbered document
    if not content:
        raise StructureError(f"{path}: every page is blank, a cover or a table of contents; no body text found.")
    spacing = _line_spacing(content, body_size)
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
                role = _heading_role(builder.text(block), block.lines[0].size, outline_by_key, heading_sizes,
                                     decimal_sections)
                if role == "body":
                    block.kind = "text"
            if previous is not None and previous.kind != "heading" and not _is_list_label(previous, block):
                builder.body(previous, previous_page)
            previous, previous_page = block, page.number
            if block.kind == "heading":
                entry = outline_by_key.get(_key(builder.text(block)))
                builder.heading(role, block, page.number, entry.title if entry else None)
    if previous is not None and previous.kind != "heading":
        builder.body(previous, previous_page)
    if not any(u.level in ("part", "section") for u in builder.units):
        raise StructureError(
            f"{path}: no parts or sections were recognised (no PDF outline, no numbered or "
            "larger-type headings). Convert the document to text or Markdown with headings "
            "marked and read that instead.")
    builder.footnotes(notes, str(path))
    return builder.units

"""From a PDF's text objects to lines of text, page by page.

PDFium's text objects (runs of text with a position, size and font) are read instead of
its flattened page text: positions decide where words end and which small raised digits
are footnote markers. A page set in two columns (the Federal Register) is read column by
column. The PDF outline (bookmarks) is read here too.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import CorruptDocumentError, EncryptedDocumentError

SPACE_GAP = 0.2  # a gap wider than this share of the font size separates two words
RAISED_SIZE = 0.8  # runs smaller than this share of their line's size are raised (markers)
_CONTROL = re.compile(r"[\x00-\x01\x03-\x08\x0b-\x1f\ufffe\uffff]")


@dataclass(slots=True)
class Run:
    """A PDF text object: text drawn with one font at one position."""

    text: str
    x0: float
    x1: float
    y: float  # baseline
    size: float
    italic: bool


@dataclass(slots=True)
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
    """A PDFium function again, with plain-address arguments and result (cheap dict keys).

    Bound to be called holding the GIL (PYFUNCTYPE): the getters bound here are short and
    call nothing back, and releasing and taking the GIL would cost more than they do.
    """
    return ctypes.PYFUNCTYPE(restype, *argtypes)(_address(function))


def _address(pointer) -> int:
    """A pointer as a plain address: functions from _bind take that faster than the pointer object."""
    return ctypes.cast(pointer, ctypes.c_void_p).value


class _FontInfo:
    """Caches whether each font of a document is italic, keyed by the font's address."""

    font_address = _bind(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)

    def __init__(self):
        self.italic_by_address: dict[int, bool] = {}
        self._name = ctypes.create_string_buffer(256)

    def italic(self, address: int) -> bool:
        """Whether the font at ``address`` (of font_address) is italic."""
        if address not in self.italic_by_address:
            font = ctypes.cast(address, pdfium_c.FPDF_FONT)
            pdfium_c.FPDFFont_GetBaseFontName(font, self._name, len(self._name))
            name = self._name.value.decode("latin-1").lower()
            self.italic_by_address[address] = "italic" in name or "oblique" in name
        return self.italic_by_address[address]


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
    page text is fetched once and cut where the object changes, found with
    FPDFText_GetTextObject: first at the line's last character (most text objects are
    lines), then by bisection between there and the stretch's start when the line holds
    more objects (an object's characters are one stretch), or by galloping from the start
    (no object: PDFium's generated spaces and line breaks are many short stretches). A cut
    gets the space that follows it, as FPDFTextObj_GetText gives it. Objects whose cut is
    not their only one or holds a control character (a line break) map to None, and whole
    pages in right-to-left scripts (bidi reordering can interleave objects) give an empty
    dict: the caller asks PDFium for those one by one, and for objects missing from the
    dict (see page_runs for the ones that should not be missing).
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
    char_object, textpage = _char_object, _address(raw_textpage)
    start, obj = 0, char_object(textpage, 0)
    last, last_obj = -1, None  # the last line-end probe: the later objects of a line end at it too
    line_end = -1  # the first "\r" from start on, or count
    while start < count:
        if line_end < start:
            line_end = text.find("\r", start)
            if line_end == -1:
                line_end = count
        if line_end != start:
            end = line_end - 1  # the line's last character
        elif text.startswith("\r\n", start):
            end = start + 1  # PDFium's line break between two lines
        else:  # a "\r" of its own
            line_end = text.find("\r", start + 1)
            if line_end == -1:
                line_end = count
            end = line_end - 1
        same, other, next_obj = start, count, None  # obj from same on, another object (next_obj) at other
        if start < end:
            if last != end:
                last, last_obj = end, char_object(textpage, end)
            if last_obj == obj:
                same = end
            else:
                other, next_obj = end, last_obj
        if other == count or obj is None:  # gallop from same
            step = 1
            while same + step < other:
                probe = char_object(textpage, same + step)
                if probe != obj:
                    other, next_obj = same + step, probe
                    break
                same += step
                step *= 2
        while other - same > 1:
            middle = (same + other) // 2
            probe = char_object(textpage, middle)
            if probe == obj:
                same = middle
            else:
                other, next_obj = middle, probe
        if obj is not None:
            piece = text[start:other]
            if not piece.isprintable():
                piece = _unmapped_chars(piece, start, textpage)
            if piece is None or obj in texts:
                texts[obj] = None
            elif other < count and text[other] == " ":
                texts[obj] = piece + " "
            else:
                texts[obj] = piece
        start, obj = other, next_obj
        if obj is None and text.startswith("\r\n", start) and start + 2 < count:
            # PDFium's line break: a "\r" of no object is generated, and so is the "\n" it
            # always appends next; only the object after them is asked for
            after = char_object(textpage, start + 2)
            if after is not None:
                start, obj = start + 2, after
    return texts


_char_unicode = _bind(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
_UNMAPPED = {2: "\x02", 0: ""}  # a U+FFFE of the page text in the object's text: by the character's code


def _unmapped_chars(piece: str, start: int, textpage: int) -> str | None:
    """``piece`` (page text from index ``start``) as PDFium gives it per object, or None.

    The page text shows U+FFFE where the object text holds a line-end hyphen ("\x02") or
    nothing (a character without Unicode); each is told by its code. Any other control
    character (a line break) gives None.
    """
    parts = piece.split("\ufffe")
    if len(parts) == 1 or not "".join(parts).isprintable():
        return None
    position = start + len(parts[0])
    kept = [parts[0]]
    for part in parts[1:]:
        char = _UNMAPPED.get(_char_unicode(textpage, position))
        if char is None:
            return None
        kept += [char, part]
        position += 1 + len(part)
    return "".join(kept)


def _right_to_left(pdf: pdfium.PdfDocument) -> bool:
    """Whether the viewer preferences set the reading direction right to left (PDFium then
    reorders neutral characters in its page text, across text objects)."""
    value = ctypes.create_string_buffer(8)
    written = pdfium_c.FPDF_VIEWERREF_GetName(pdf.raw, b"Direction", value, len(value))
    return 0 < written <= len(value) and value.value == b"R2L"


def page_runs(page, textpage, fonts: _FontInfo, cut_page_text: bool = True) -> list[Run]:
    """The text objects of a page (PDFium's FPDF_PAGE and FPDF_TEXTPAGE handles), in content
    order (their texts cut from the page text unless ``cut_page_text`` is false, see _object_texts).

    This loop runs once per text object of the document, so PDFium's functions, the
    output structures and the text buffer are bound once per page.
    """
    runs = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()
    font_size = ctypes.c_float()
    capacity = 4096
    buffer = (ctypes.c_ushort * capacity)()
    texts = _object_texts(textpage) if cut_page_text else {}
    raw_page, raw_textpage = _address(page), _address(textpage)
    get_object, get_type, get_text = _page_object, _object_type, _object_text
    get_bounds, get_matrix = _object_bounds, _object_matrix
    get_font_size, string_at = _object_font_size, ctypes.string_at
    font_address, italic_by_address, hypot = fonts.font_address, fonts.italic_by_address, math.hypot
    text_type = pdfium_c.FPDF_PAGEOBJ_TEXT
    rounded: dict[float, float] = {}  # type size -> rounded to 2 places (round() costs more than a lookup)
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
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
        if not text or text.isspace():  # as not text.strip(), without the copy
            continue
        get_bounds(obj, left, bottom, right, top)
        get_matrix(obj, matrix)
        get_font_size(obj, font_size)
        font = font_address(obj)
        italic = italic_by_address.get(font)
        if italic is None:
            italic = fonts.italic(font)
        scaled = font_size.value * hypot(matrix.a, matrix.b)
        size = rounded.get(scaled)
        if size is None:
            size = round(scaled, 2)
            if scaled > 0:  # not 0.0 and -0.0: equal keys, kept apart by round
                rounded[scaled] = size
        runs.append(Run(text, left.value, right.value, matrix.f, size, italic))
    return runs


_LEFT_EDGE = operator.attrgetter("x0")
_SIZE = operator.attrgetter("size")
_BASELINE = operator.attrgetter("y")


def _top_down(runs: list[Run]) -> list[Run]:
    """Runs top to bottom, left to right on a baseline (two stable sorts by C-level keys)."""
    ordered = sorted(runs, key=_LEFT_EDGE)
    ordered.sort(key=_BASELINE, reverse=True)  # reverse=True keeps equal baselines in x order
    return ordered


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
    if runs[0].size >= 0 and len(set(map(_SIZE, runs))) == 1:  # most lines: one type size, nothing raised
        return _join_level_runs(page, runs)
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
    return Line(
        page=page, y=body[0].y, x0=runs[0].x0, x1=runs[-1].x1, size=line_size, italic=_all_italic(body),
        text="".join(parts).strip(), markers=markers, lead_number=lead_number)


def _all_italic(runs: list[Run]) -> bool:
    """Whether the runs set some characters, all of them italic."""
    italic_chars = all_chars = 0
    for run in runs:
        chars = len(run.text.strip())
        all_chars += chars
        if run.italic:
            italic_chars += chars
    return all_chars > 0 and italic_chars == all_chars


def _join_level_runs(page: int, runs: list[Run]) -> Line:
    """_join_runs for runs (sorted left to right) set in one type size: none is raised."""
    first = runs[0]
    parts = [first.text]
    last_end, gap = first.x1, SPACE_GAP * first.size
    any_italic = first.italic
    for run in runs[1:]:
        text = run.text
        if run.x0 - last_end > gap and not parts[-1].endswith(" ") and not text.startswith(" "):
            parts.append(" ")
        parts.append(text)
        last_end = run.x1
        any_italic = any_italic or run.italic
    italic = any_italic and _all_italic(runs)  # most lines: no italic run, no characters to count
    return Line(page, first.y, first.x0, runs[-1].x1, first.size, italic, "".join(parts).strip())


def page_lines(page: int, runs: list[Run]) -> list[Line]:
    """Group runs into lines, top to bottom; raised runs join the line they sit on."""
    clusters: list[list] = []  # [baseline, largest size, runs]
    last = None
    baseline = largest = 0.0  # last's, in locals
    for run in _top_down(runs):
        y, size = run.y, run.size
        if last is not None and abs(baseline - y) <= 0.25 * max(size, largest):
            last[2].append(run)
            if size > largest:
                largest = last[1] = size
        else:
            baseline, largest = y, size
            last = [y, size, [run]]
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
    start, end = width / 3, 2 * width / 3
    rounded = [round(run.y) for run in runs]
    baselines = len(set(rounded))
    # A run of its own across the middle third already makes its line span it: on most one-column
    # pages these lines are enough to tell, before the lines are put together from their runs.
    if len({y for run, y in zip(runs, rounded) if run.x0 <= start and run.x1 >= end}) > SPANNING_SHARE * baselines:
        return None
    spans: dict[int, list[tuple[float, float]]] = {}
    for run, y in zip(runs, rounded):
        spans.setdefault(y, []).append((run.x0, run.x1))
    spanning = 0
    for line_spans in spans.values():
        spanning += _covers(line_spans, start, end)
        if spanning > SPANNING_SHARE * baselines:
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


# --- outline and pages ---------------------------------------------------------------


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


def read_pages(path: Path) -> tuple[list[tuple[int, list[Line], float]], list[OutlineEntry], str]:
    """Lines of every page (with its height), the outline and the metadata title."""
    pdf = open_pdf(path)
    try:
        fonts, cut_page_text = _FontInfo(), not _right_to_left(pdf)
        raw_pages = []
        for index in range(len(pdf)):
            page = pdfium_c.FPDF_LoadPage(pdf.raw, index)  # PDFium's own handles: pypdfium2's wrappers cost more
            if not page:
                raise pdfium.PdfiumError("Failed to load page.")
            textpage = pdfium_c.FPDFText_LoadPage(page)
            try:
                if not textpage:
                    raise pdfium.PdfiumError("Failed to load text page.")
                runs = page_runs(page, textpage, fonts, cut_page_text)
                width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
            finally:
                if textpage:
                    pdfium_c.FPDFText_ClosePage(textpage)
                pdfium_c.FPDF_ClosePage(page)
            raw_pages.append((index, column_lines(index, runs, width), height))
        return raw_pages, read_outline(pdf), pdf.get_metadata_dict().get("Title", "").strip()
    except pdfium.PdfiumError as exc:
        raise CorruptDocumentError(f"{path}: PDFium failed while reading the pages ({exc}); "
                                   "download the file again and retry.") from None
    finally:
        pdf.close()

"""Make small PDFs for tests with PDFium itself (standard fonts, text at given places)."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def make_pdf(path: Path, pages: list[list[tuple[str, float, float, float]]], *, font: str = "Helvetica") -> Path:
    """Write a PDF whose pages hold (text, x, baseline_y, size) runs on US Letter pages."""
    pdf = pdfium.PdfDocument.new()
    for runs in pages:
        page = pdf.new_page(612, 792)
        for text, x, y, size in runs:
            obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, font.encode(), ctypes.c_float(size))
            encoded = (text + "\0").encode("utf-16-le")
            buffer = ctypes.create_string_buffer(encoded, len(encoded))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(path))
    pdf.close()
    return path


def encrypt_marker(path: Path) -> Path:
    """Rewrite a PDF so that its trailer declares standard encryption with an unknown password."""
    data = path.read_bytes()
    encrypt = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
               b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >> "
               b"/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ")
    data = data.replace(b"trailer\r\n<<", b"trailer\r\n<<" + encrypt).replace(b"trailer\n<<", b"trailer\n<<" + encrypt)
    path.write_bytes(data)
    return path


def two_column_page(*, header: str, footer: str, left: list[str], right: list[str], spanning: list[str] = (),
                    size: float = 9) -> list[tuple[str, float, float, float]]:
    """Runs of a page set like the Federal Register: a running head and a proof line in the
    margins, optional full-width lines (``spanning``, in larger type) above two columns of
    body lines. An empty string in a column leaves a paragraph gap.
    """
    runs = [(header, 54, 750, 8), (footer, 54, 30, 6)]
    y = 715
    for text in spanning:
        runs.append((text, 54, y, 14))
        y -= 20
    for x, lines in ((54, left), (318, right)):
        line_y = y
        for text in lines:
            if text:
                runs.append((text, x, line_y, size))
            line_y -= 11 if text else 6
    return runs


def gazette_page(head: list[tuple[str, float, float, float]], body: list[str], *, top: float = 620,
                 left: float = 170, size: float = 10, indent: float = 12) -> list[tuple[str, float, float, float]]:
    """Runs of a single-column gazette page (a Federal Register presidential document): the
    ``head`` runs as given (masthead or running head, title), then ``body`` lines from
    ``top`` down, one line every 1.2 type sizes with no gap between paragraphs; a line
    starting with ">" is a first line, set in by ``indent`` points.
    """
    runs = list(head)
    for i, text in enumerate(body):
        x = left + indent if text.startswith(">") else left
        runs.append((text.removeprefix(">"), x, top - 1.2 * size * i, size))
    return runs


def add_outline(path: Path, titles: list[tuple[bytes, int]]) -> Path:
    """Append an incremental update giving a PDF made by make_pdf a flat outline.

    ``titles`` are (PDF string token such as ``b"(Part One)"`` or ``b"<FEFF...>"``, page index).
    """
    data = path.read_bytes()
    root = int(re.search(rb"/Root (\d+) 0 R", data).group(1))
    pages = int(re.search(rb"/Pages (\d+) 0 R", data).group(1))
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\[([^\]]*)\]", data).group(1))]
    size = int(re.search(rb"/Size (\d+)", data).group(1))
    outlines, first = size, size + 1
    last = first + len(titles) - 1
    objects = {root: b"<</Type/Catalog/Pages %d 0 R/Outlines %d 0 R>>" % (pages, outlines),
               outlines: b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (first, last, len(titles))}
    for i, (title, page) in enumerate(titles):
        number = first + i
        links = (b"/Prev %d 0 R" % (number - 1) if number > first else b"") + (
            b"/Next %d 0 R" % (number + 1) if number < last else b"")
        objects[number] = b"<</Title %s/Parent %d 0 R/Dest[%d 0 R/Fit]%s>>" % (title, outlines, kids[page], links)
    return _append_update(path, objects, root)


def _append_update(path: Path, objects: dict[int, bytes], root: int) -> Path:
    """Append an incremental update that adds or replaces ``objects`` (number -> body)."""
    data = path.read_bytes()
    body, offsets = b"", {}
    for number, obj in objects.items():
        offsets[number] = len(data) + len(body)
        body += b"%d 0 obj\r\n%s\r\nendobj\r\n" % (number, obj)
    xref = b"xref\r\n0 1\r\n0000000000 65535 f\r\n"
    for number in sorted(offsets):
        xref += b"%d 1\r\n%010d 00000 n\r\n" % (number, offsets[number])
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = max(int(re.findall(rb"/Size (\d+)", data)[-1]), max(objects) + 1)
    trailer = b"trailer\r\n<</Size %d/Root %d 0 R/Prev %d>>\r\nstartxref\r\n%d\r\n%%%%EOF\r\n" % (
        size, root, previous, len(data) + len(body))
    path.write_bytes(data + body + xref + trailer)
    return path


def read_right_to_left(path: Path) -> Path:
    """Append an update whose viewer preferences set the reading direction right to left."""
    data = path.read_bytes()
    root = int(re.search(rb"/Root (\d+) 0 R", data).group(1))
    pages = int(re.search(rb"/Pages (\d+) 0 R", data).group(1))
    return _append_update(path, {root: b"<</Type/Catalog/Pages %d 0 R/ViewerPreferences<</Direction/R2L>>>>" % pages},
                          root)

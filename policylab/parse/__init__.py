"""Readers: one module per document format, chosen from the file's content."""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path

import pandas as pd

from ..errors import (
    DocumentNotFoundError,
    EmptyDocumentError,
    FlatDocumentWarning,
    FormatMismatchError,
    PolicyLabError,
    UnreadableDocumentError,
    UnsupportedFormatError,
)
from ..readquality import describe_columns, flat_contents
from ..sources import find_source_by_sha256, find_source_by_url, get_source, plan_ids
from ..units import check_columns, columns_frame, unit_columns
from .encoding import bom_encoding

__all__ = ["read_document", "sniff_format"]

_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")  # Unicode's Cc, less white space
_HTML_TAG = re.compile(rb"<(!doctype\s+html|html|head|body|meta|div|p|title)\b", re.IGNORECASE)


def _controls(text: str) -> int:
    """Control characters in ``text`` other than white space: what binary data decoded as UTF-8 is full of
    (any space, such as U+2002, and any punctuation or format character counts as text)."""
    return len(_CONTROL.findall(text))


def _after_comments(head: bytes) -> bytes:
    """``head`` without its leading white space and ``<!-- -->`` comments (linear time)."""
    head = head.lstrip()
    while head.startswith(b"<!--"):
        end = head.find(b"-->", 4)
        if end == -1:
            break
        head = head[end + 3:].lstrip()
    return head


_OFFICE = ((b"word/", "a Word document"), (b"xl/", "an Excel workbook"), (b"ppt/", "a PowerPoint file"),
           (b"opendocument", "an OpenDocument file"))


def _office_kind(data: bytes) -> str | None:
    """What office file ``data`` is (a ZIP holding word/, xl/, ...; or the older binary format), or None."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an Office document in the older binary format (.doc, .xls, .ppt)"
    if not data.startswith(b"PK\x03\x04"):
        return None
    return next((kind for marker, kind in _OFFICE if marker in data), "a ZIP archive")


def sniff_format(data: bytes, path: Path) -> str:
    """'pdf', 'html' or 'text', from the bytes (magic number, markup), not the name."""
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if (office := _office_kind(data)) is not None:
        advice = ("Unpack it and give the document inside" if office == "a ZIP archive" else
                  "Save it as PDF or text (File > Save As) and give that file")
        raise UnsupportedFormatError(f"{path}: this is {office}, which policylab cannot read. {advice}.")
    codec, skip = bom_encoding(data) or ("utf-8", 0)
    head = data[skip:skip + 4096].decode(codec, errors="ignore").encode("utf-8")[:2048]
    if _HTML_TAG.match(_after_comments(head)) or re.search(rb"<html[\s>]", head, re.IGNORECASE):
        return "html"
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError:
        raise UnsupportedFormatError(
            f"{path}: not a PDF, HTML or UTF-8 text file (starts with {data[:8]!r}). "
            "policylab reads the official PDF or HTML pages, or UTF-8 text/Markdown.") from None
    if _controls(text[:4096]) > 0.05 * len(text[:4096]):
        raise UnsupportedFormatError(f"{path}: looks like binary data, not a document; "
                                     "give the official PDF or HTML file.")
    return "text"


_PROMISED = {".pdf": "pdf", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
             ".txt": "text", ".md": "text", ".markdown": "text"}
_PAGE_TITLE = re.compile(rb"<title[^>]{0,200}>([^<]{1,200})", re.IGNORECASE)


def _what_it_is(data: bytes, fmt: str) -> str:
    """A short description of a file's real content, for error messages."""
    if fmt == "pdf":
        return "a PDF"
    if fmt == "html":
        title = _PAGE_TITLE.search(data[:8192])
        named = f" titled {' '.join(title.group(1).decode('utf-8', 'replace').split())!r}" if title else ""
        return f"an HTML page{named} (an error or login page saved under the plan's name?)"
    codec, skip = bom_encoding(data) or ("utf-8", 0)
    first = " ".join(data[skip:skip + 400].decode(codec, "replace").split())[:60]
    return f"plain text starting {first!r}"


def check_extension(data: bytes, fmt: str, path: Path) -> None:
    """Refuse a file whose extension promises another format than its content.

    HTML inside a text or Markdown file, and a tag-less .html file, are allowed.
    """
    promised = _PROMISED.get(path.suffix.lower())
    if promised is None or promised == fmt or {promised, fmt} == {"html", "text"}:
        return
    raise FormatMismatchError(
        f"{path}: named {path.suffix} but it is {_what_it_is(data, fmt)}. Download the official "
        f"{promised.upper() if promised != 'text' else 'text'} file again (policylab fetch), or rename the file "
        "if its content is what you meant to read.")


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, or a DocumentNotFoundError/UnreadableDocumentError that says why not."""
    advice = ("Give the path of a downloaded plan, or run `policylab fetch PLAN_ID` and use "
              "policylab.load_plan().")
    try:
        if path.is_dir():
            raise DocumentNotFoundError(f"{path} is a folder, not a file. {advice}")
        if not path.exists():
            raise DocumentNotFoundError(f"{path} does not exist. {advice}")
        if not path.is_file():
            raise UnreadableDocumentError(f"{path} is not a regular file (a device, pipe or socket). {advice}")
        return path.read_bytes()
    except PolicyLabError:
        raise
    except PermissionError:
        raise UnreadableDocumentError(f"{path}: permission denied (the file, or a folder on its path, is "
                                      "not readable by you). Change its permissions or copy it somewhere "
                                      "readable.") from None
    except OSError as exc:
        raise UnreadableDocumentError(f"{path} cannot be read ({exc.strerror or exc}). {advice}") from None


def _plan_id_for(path: Path, data: bytes, fmt: str, sha256: str) -> tuple[str, str | None]:
    """Guess plan id and registry title: by hash, by the page's own URL, else the file name."""
    source = find_source_by_sha256(sha256)
    if source is None and fmt == "html":
        match = re.search(rb'<meta\s+name="Url"\s+content="([^"]+)"', data[:20000], re.IGNORECASE)
        if match:
            source = find_source_by_url(match.group(1).decode("utf-8", "replace"))
    if source is not None:
        return source.plan_id, source.title_original
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
    return stem, None


# What else a flat reading did not find, by reader (besides numbering), for FlatDocumentWarning
_NOT_FOUND = {"text": "no heading lines and no list items", "markdown": "no headings (# lines) and no lists",
              "html": "no headings (<h1> to <h6>) and no lists"}


def warn_if_flat(path: Path, reader: str, attrs: dict) -> None:
    """A :class:`FlatDocumentWarning` naming ``path`` when ``attrs`` (of a table read by ``reader``:
    "text", "markdown" or "html") say it was read flat: what was not found, and what was read."""
    if attrs.get("structure") != "flat":
        return
    warnings.warn(FlatDocumentWarning(
        f"{path}: no numbering (1., 1.1, I., (a), Section 2, 一、 ...), {_NOT_FOUND[reader]} were found; "
        f"read as {flat_contents(attrs['units_per_level'])}."), stacklevel=3)


def read_document(path, *, plan_id: str | None = None) -> pd.DataFrame:
    """Read a PDF, HTML or text file into a validated unit table.

    The format is chosen from the content. ``plan_id`` defaults to the registry entry
    whose hash or URL matches the file, else a slug of the file name. Nothing is written.
    ``attrs`` say what was read (:func:`policylab.readquality.describe`): ``structure``,
    ``units_per_level``, ``depth``, the share of the file's words kept, signs of site chrome
    and a one-line ``verdict``.
    """
    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise EmptyDocumentError(f"{path} is empty (0 bytes of content). The download may have "
                                 "failed; fetch the file again.")
    fmt = sniff_format(data, path)
    check_extension(data, fmt, path)
    sha256 = hashlib.sha256(data).hexdigest()
    guessed_id, title = _plan_id_for(path, data, fmt, sha256)
    plan_id = plan_id or guessed_id
    if title is None and plan_id in plan_ids():
        title = get_source(plan_id).title_original
    kind = fmt  # the reader: "pdf", "html", "text" or "markdown"
    if fmt == "pdf":
        from .pdf import read_pdf

        units, facts = read_pdf(path, plan_id=plan_id, title=title)
        language = "en"
    elif fmt == "html":
        from .html import read_html

        units, language, facts = read_html(data, path, plan_id=plan_id)
    else:
        from .markdown import is_markdown, read_markdown
        from .text import read_text

        kind = "markdown" if is_markdown(data, path) else "text"
        reader = read_markdown if kind == "markdown" else read_text
        units, language, facts = reader(data, path, plan_id=plan_id)
    # checked and described as plain lists, before the frame exists: pandas' per-call overhead (and its
    # copy of attrs at every column access) would be most of the cost on tables of a few hundred rows;
    # columns_frame gives the dtypes validate_units checks
    columns = unit_columns(units, plan_id=plan_id, language=language)
    check_columns(columns, name=str(path))
    attrs = {"plan_id": plan_id, "source_path": str(path), "format": fmt, "sha256": sha256, **facts}
    described_in = language if units and isinstance(language, str) else "en"  # the table's language
    attrs.update(describe_columns(columns, described_in, attrs))  # structure, units per level, depth, verdict
    frame = columns_frame(columns)
    frame.attrs = attrs
    if kind != "pdf":  # the PDF reader says itself what it did not find (StructureWarning)
        warn_if_flat(path, kind, attrs)
    return frame

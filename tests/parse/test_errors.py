"""Every bad input gets a PolicyLabError that names the file; nothing is written."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from forked import run_forked
from pdf_factory import encrypt_marker, make_pdf
from policylab import read_document
from policylab.errors import (
    CorruptDocumentError,
    DocumentNotFoundError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FormatMismatchError,
    NoBodyError,
    PolicyLabError,
    StructureError,
    StructureWarning,
    UnknownPlanError,
    UnreadableDocumentError,
    UnsupportedFormatError,
)
from policylab.sources import get_source


def _unchanged_folder(folder, action):
    before = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir())
    action()
    assert sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()) == before


@pytest.mark.parametrize("name, content, error", [
    ("empty.pdf", b"", EmptyDocumentError),
    ("blank.html", b"   \n", EmptyDocumentError),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", UnsupportedFormatError),
    ("binary.txt", bytes(range(256)) * 4, UnsupportedFormatError),
    ("truncated.pdf", b"%PDF-1.6\n1 0 obj << /Type /Catalog", CorruptDocumentError),
    ("shell.html", b"<html><body><script>x()</script></body></html>", NoBodyError),
])
def test_bad_file_raises_named_error(tmp_path, name, content, error):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=name) as caught:
        _unchanged_folder(tmp_path, lambda: read_document(path))
    assert isinstance(caught.value, PolicyLabError)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DocumentNotFoundError, match="nowhere.pdf.*policylab fetch"):
        read_document(tmp_path / "nowhere.pdf")
    with pytest.raises(DocumentNotFoundError, match="is a folder"):
        read_document(tmp_path)


def test_encrypted_pdf(tmp_path):
    path = encrypt_marker(make_pdf(tmp_path / "locked.pdf", [[("Text", 72, 700, 11)]]))
    with pytest.raises(EncryptedDocumentError, match="locked.pdf.*password"):
        read_document(path)


def test_pdf_without_text_layer(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [[]])
    with pytest.raises(StructureError, match="scan.pdf.*no extractable text"):
        read_document(path)


def test_unknown_plan_id_lists_the_known_ones():
    with pytest.raises(UnknownPlanError, match="'xx-none-2025'.*us-aap-2025"):
        get_source("xx-none-2025")


# --- reader faults that used to escape as raw exceptions ----------------------------


@pytest.mark.parametrize("charset", ["undefined", "punycode", "idna", "base64", "no-such-charset"])
def test_unusable_declared_charset_is_ignored(tmp_path, charset):
    path = tmp_path / "page.html"
    path.write_bytes(f'<html><head><meta charset="{charset}"></head><body><article><p>这是测试用的占位文字。</p>'
                     '<p>第二段占位文字。</p></article></body></html>'.encode())
    assert read_document(path)["text"].tolist()[-1] == "第二段占位文字。"


def test_outline_title_with_lone_surrogate(tmp_path):
    from pdf_factory import add_outline

    path = make_pdf(tmp_path / "outline.pdf", [
        [("Part One", 72, 700, 20), ("Filler words in the first body line.", 72, 670, 11)],
        [("Second", 72, 700, 20), ("More filler words in a body line.", 72, 670, 11)]])
    add_outline(path, [(b"(Part One)", 0), (b"<FEFFD8000041>", 1)])
    from policylab.parse.pdf_lines import open_pdf, read_outline

    assert [entry.title for entry in read_outline(open_pdf(path))] == ["Part One", "\ufffdA"]
    with pytest.warns(StructureWarning, match="outline.pdf"):  # a flat outline gives no parts: said, not a crash
        assert read_document(path).attrs["structure"] == "flat"


def test_pdf_with_only_page_numbers(tmp_path):
    path = make_pdf(tmp_path / "numbers.pdf", [[("3", 300, 40, 10)], [("4", 300, 40, 10)]])
    with pytest.raises(StructureError, match="numbers.pdf.*nothing but page numbers"):
        read_document(path)


def test_fifo_and_device_are_not_called_missing(tmp_path):
    fifo = tmp_path / "plan.pdf"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null")):
        with pytest.raises(UnreadableDocumentError, match=f"{path} is not a regular file") as caught:
            read_document(path)
        assert not isinstance(caught.value, DocumentNotFoundError)


def test_unreadable_file_and_folder(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="policylab-perm-"))
    try:
        folder.chmod(0o755)
        locked = folder / "locked.md"
        locked.write_text("# Title\n\nFiller words.\n")
        locked.chmod(0o000)
        closed = folder / "closed"
        closed.mkdir(mode=0o700)
        (closed / "inside.md").write_text("# Title\n\nFiller words.\n")
        for path in (locked, closed / "inside.md"):
            outcome = run_forked(lambda path=path: read_document(path), timeout=30, unprivileged=True)
            assert outcome is not None and isinstance(outcome[0], UnreadableDocumentError), outcome
            assert f"{path}: permission denied" in str(outcome[0])
    finally:
        shutil.rmtree(folder)


# --- extension and content disagree --------------------------------------------------


@pytest.mark.parametrize("name, content, says", [
    ("plan.pdf", b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><p>Gone.</p></body></html>",
     "plan.pdf: named .pdf but it is an HTML page titled '404 Not Found'"),
    ("plan.pdf", b"Service unavailable, try later.\n", "plan.pdf: named .pdf but it is plain text starting 'Service"),
    ("page.html", b"%PDF-1.7\n%\xa1\xb3\n1 0 obj <<>> endobj\n", "page.html: named .html but it is a PDF"),
])
def test_extension_promising_another_format(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FormatMismatchError) as caught:
        read_document(path)
    assert str(caught.value).startswith(f"{tmp_path}/{says}")


def test_file_without_extension_read_by_content(tmp_path):
    bare = tmp_path / "download"
    bare.write_bytes(b"<html><body><article><p>Filler words in a page.</p></article></body></html>")
    assert read_document(bare).attrs["format"] == "html"

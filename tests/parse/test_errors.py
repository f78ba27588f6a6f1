"""Every bad input gets a PolicyLabError that names the file; nothing is written."""

import pytest
from pdf_factory import encrypt_marker, make_pdf

from policylab import read_document
from policylab.errors import (
    CorruptDocumentError,
    DocumentNotFoundError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoBodyError,
    PolicyLabError,
    StructureError,
    UnknownPlanError,
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

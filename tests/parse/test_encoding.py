"""Pages decode to the right text or are refused: BOM, then the declaration, then detection."""

import pytest

from html_factory import action_plan_zh, mfa_page
from policylab import read_document
from policylab.errors import DocumentEncodingError
from policylab.parse.encoding import decode_page


def _body(units):
    return units.loc[units["level"] != "title", "text"].tolist()


def test_gb18030_page_with_one_bad_byte(tmp_path):
    page = action_plan_zh().replace('charset="utf-8"', 'charset="gb18030"').encode("gb18030")
    middle = page.index("第5项".encode("gb18030"))
    path = tmp_path / "damaged.html"
    path.write_bytes(page[:middle] + b"\xff" + page[middle:])
    units = read_document(path)
    assert units["language"].eq("zh-Hans").all()
    assert "".join(units["text"]).count("\ufffd") == 1


def test_false_latin1_claim_on_a_utf8_page(tmp_path):
    page = mfa_page("Café plan", ["A naïve placeholder paragraph — with a dash."]).replace(
        'charset="utf-8"', 'charset="iso-8859-1"')
    path = tmp_path / "claims-latin1.html"
    path.write_bytes(page.encode("utf-8"))
    assert _body(read_document(path)) == ["A naïve placeholder paragraph — with a dash."]


def test_true_legacy_declaration_is_followed(tmp_path):
    page = '<html><head><meta charset="windows-1252"></head><body><article><p>Café filler paragraph.</p></article></body></html>'
    path = tmp_path / "cp1252.html"
    path.write_bytes(page.encode("cp1252"))
    assert _body(read_document(path)) == ["Café filler paragraph."]


def test_undeclared_chinese_legacy_page_is_detected(tmp_path):
    path = tmp_path / "gbk.html"
    path.write_bytes(action_plan_zh().replace('<meta charset="utf-8">', "").encode("gbk"))
    expected = tmp_path / "utf8.html"
    expected.write_text(action_plan_zh(), encoding="utf-8")
    assert _body(read_document(path)) == _body(read_document(expected))


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_pages_with_a_byte_order_mark(tmp_path, codec):
    text = action_plan_zh()
    data = text.encode(codec)
    if codec.endswith("-be"):
        data = "\ufeff".encode(codec) + data
    path = tmp_path / "bom.html"
    path.write_bytes(data)
    reference = tmp_path / "plain.html"
    reference.write_text(text, encoding="utf-8")
    assert _body(read_document(path)) == _body(read_document(reference))


def test_text_file_with_utf16_bom(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes("# Title\n\nFiller words, naïve.\n".encode("utf-16"))
    assert _body(read_document(path)) == ["Filler words, naïve."]


def test_undecodable_page_is_refused_naming_the_file(tmp_path):
    junk = bytes([0x80, 0xFF, 0xFE, 0x81]) * 400
    path = tmp_path / "junk.html"
    path.write_bytes(b'<html><head><meta charset="gb18030"></head><body><p>' + junk + b"</p></body></html>")
    with pytest.raises(DocumentEncodingError, match="junk.html: the text cannot be decoded"):
        read_document(path)


def test_small_damage_is_tolerated_large_is_not():
    page = '<meta charset="gb18030"><p>' + "占位文字" * 500 + "</p>"
    assert decode_page(page.encode("gb18030") + b"\xff", "page").count("\ufffd") == 1
    with pytest.raises(DocumentEncodingError, match="page: the text cannot be decoded"):
        decode_page(page.encode("gb18030") + b"\xff" * 50, "page")

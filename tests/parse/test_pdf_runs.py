"""Text objects read from the page text cut at object changes equal PDFium's text per object."""

import pypdfium2 as pdfium

from conftest import US_PDF, needs_us_pdf
from pdf_factory import make_pdf, read_right_to_left, two_column_page
from policylab.parse.pdf_lines import _FontInfo, _right_to_left, page_runs


def _both_ways(path):
    """Per page: the runs from the cut page text and the runs from one PDFium call per object."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            yield (page_runs(page.raw, textpage.raw, _FontInfo()),
                   page_runs(page.raw, textpage.raw, _FontInfo(), cut_page_text=False))
    finally:
        pdf.close()


@needs_us_pdf
def test_us_plan_runs_equal_pdfium_text_per_object():
    for cut, per_object in _both_ways(US_PDF):
        assert cut == per_object


def test_runs_of_made_pages_equal_pdfium_text_per_object(tmp_path):
    mixed = [("Lorem ipsum dolor", 72, 700, 11), ("3", 160, 705, 6), (" sit amet,", 164, 700, 11),
             ("consecte-", 72, 686, 11), ("tur adipiscing", 72, 672, 11), ("• ", 72, 650, 11),
             ("(a) elit sed", 84, 650, 11), ("   ", 150, 650, 11), ("do eiusmod", 160, 650, 11), ("", 200, 640, 11)]
    two_column = two_column_page(header="Filler Register / Vol. 1", footer="Proof line 12",
                                 left=["alpha beta gamma", "delta epsilon", "", "zeta eta theta"],
                                 right=["iota kappa lambda", "mu nu xi omicron"], spanning=["Rho Sigma Tau"])
    path = make_pdf(tmp_path / "made.pdf", [mixed, two_column])
    pages = list(_both_ways(path))
    assert [len(cut) for cut, _ in pages] == [len(per_object) for _, per_object in pages]
    for cut, per_object in pages:
        assert cut == per_object


def test_right_to_left_reading_direction_is_recognised(tmp_path):
    """Such documents keep one PDFium call per object: bidi reordering can interleave objects."""
    path = make_pdf(tmp_path / "plain.pdf", [[("Lorem ipsum", 72, 700, 11)]])
    with_direction = read_right_to_left(make_pdf(tmp_path / "r2l.pdf", [[("Lorem ipsum", 72, 700, 11)]]))
    directions = []
    for made in (path, with_direction):
        pdf = pdfium.PdfDocument(str(made))
        directions.append(_right_to_left(pdf))
        pdf.close()
    assert directions == [False, True]


def test_an_object_inside_another_objects_stretch_sends_the_page_to_pdfium(tmp_path, monkeypatch):
    """Were one object's characters inside another's stretch, that cut would hold both texts:
    the object no cut found sends its page back to one PDFium call per object."""
    import policylab.parse.pdf_lines as reader

    path = make_pdf(tmp_path / "made.pdf", [[("Lorem ipsum", 72, 700, 11), ("dolor sit", 72, 686, 11)]])
    cut_texts = reader._object_texts

    def swallowing(raw_textpage):
        texts = cut_texts(raw_textpage)
        first, second = list(texts)[:2]
        texts[first] += texts.pop(second)
        return texts

    monkeypatch.setattr(reader, "_object_texts", swallowing)
    for cut, per_object in _both_ways(path):
        assert [run.text for run in cut] == ["Lorem ipsum", "dolor sit"]
        assert cut == per_object

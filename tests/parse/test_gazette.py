"""Gazette PDFs (Federal Register presidential documents) read into nested, labelled units."""

from __future__ import annotations

import warnings

import pytest

from pdf_factory import gazette_page, make_pdf
from policylab import read_document
from policylab.errors import StructureWarning

HEAD = "Federal Register / Vol. 99, No. 7 / Tuesday, January 12, 2100 / Presidential Documents"
PROOF = "VerDate Sep<11>2014 09:15 Jan 11, 2100 Jkt 000000 PO 00000 Frm 0000{} Fmt 4705 Sfmt 4790 E:\\FR\\FM\\X.SGM"


def order_pages() -> list[list[tuple[str, float, float, float]]]:
    """An invented executive order in the Federal Register layout, on three pages."""
    first = gazette_page([
        ("4101", 540, 760, 8),
        ("Federal Register", 54, 740, 18), ("Presidential Documents", 360, 740, 18),
        ("Vol. 99, No. 7", 54, 724, 9), ("Tuesday, January 12, 2100", 54, 713, 9),
        ("Title 3—", 54, 680, 11), ("Executive Order 99001 of January 7, 2100", 170, 680, 11),
        ("The President", 54, 668, 11),
        ("Encouraging Pretend Widgets Across", 170, 660, 14), ("Imaginary Town", 170, 644, 14),
        (PROOF.format(1), 54, 20, 6),
    ], [
        ">By the pretend powers granted to me under the invented charter of",
        "Imaginary Town, it is hereby ordered:",
        ">Section 1. Purpose. This order sets out filler goals for widgets. Earlier",
        "rules on gadgets are hereby re-",
        "voked, and the town govern-",
        "ment shall count AI-",
        "related widgets once a year.",
        ">Sec. 2. Policy. It is the policy of the town government to keep pretend",
        "widgets shiny and cheap.",
        ">Sec. 3. Widget Actions. (a) Within 30 days the pretend office shall list",
        "every widget in the following groups:",
        ">(i) blue widgets kept in the town square;",
        ">(ii) green widgets kept in the harbour, namely:",
        ">(A) small ones; and",
        ">(B) large ones; and",
        ">(iii) widgets of any other colour.",
        ">(b) Within 60 days the pretend office shall publish the list and",
        "send a copy to each household that asked for one in",
    ])
    second = gazette_page([(f"4102 {HEAD}", 54, 760, 8), (PROOF.format(2), 54, 20, 6)], [
        "writing before the end of the month.",
        ">(c) The pretend office shall report on progress every quarter.",
        ">Sec. 4. Definitions. For the purposes of this order:",
        ">(a) the term widget means any imaginary gizmo; and",
        ">(b) the term gadget means a widget with a handle.",
        ">Sec. 5. General Provisions. (a) Nothing in this order shall be read to",
        "affect real widgets anywhere.",
        ">(b) This order is not meant to create any right or benefit for anyone.",
    ], top=730)
    third = gazette_page([(f"{HEAD} 4103", 54, 760, 8), (PROOF.format(3), 54, 20, 6),
                          ("JANE Q. PLACEHOLDER", 400, 660, 10),
                          ("THE WHITE HOUSE,", 170, 640, 10), ("January 7, 2100.", 170, 628, 10),
                          ("Placeholder.EPS</GPH>", 470, 628, 5),
                          ("[FR Doc. 2100–00417 Filed 1–11–00; 8:45 am]", 54, 200, 8),
                          ("Billing code 3295–F0–P", 54, 190, 8)], [
        ">(c) The costs of publishing this order shall be paid by the pretend",
        "office.",
    ], top=730)
    return [first, second, third]


@pytest.fixture(scope="module")
def order(tmp_path_factory):
    path = make_pdf(tmp_path_factory.mktemp("gazette") / "2100-00417.pdf", order_pages())
    with warnings.catch_warnings():
        warnings.simplefilter("error", StructureWarning)
        return read_document(path, plan_id="eo")


def test_gazette_order_reads_unit_by_unit(order):
    table = order.astype(object).where(order.notna(), None)
    rows = list(zip(table.unit_id, table.level, table.label, table.parent_id, table.page, table.text))
    assert rows == [
        ("eo/title", "title", None, None, 4101, "Encouraging Pretend Widgets Across Imaginary Town"),
        ("eo/pre01", "preamble", None, "eo/title", 4101,
         "By the pretend powers granted to me under the invented charter of Imaginary Town, it is hereby ordered:"),
        ("eo/s01", "section", "1", "eo/title", 4101, "Purpose"),
        ("eo/s01/par01", "paragraph", None, "eo/s01", 4101,
         ("This order sets out filler goals for widgets. Earlier rules on gadgets are hereby revoked, and the town "
         "government shall count AI-related widgets once a year.")),
        ("eo/s02", "section", "2", "eo/title", 4101, "Policy"),
        ("eo/s02/par01", "paragraph", None, "eo/s02", 4101,
         "It is the policy of the town government to keep pretend widgets shiny and cheap."),
        ("eo/s03", "section", "3", "eo/title", 4101, "Widget Actions"),
        ("eo/s03/pt01", "point", "a", "eo/s03", 4101,
         "Within 30 days the pretend office shall list every widget in the following groups:"),
        ("eo/s03/pt01/pt01", "point", "i", "eo/s03/pt01", 4101, "blue widgets kept in the town square;"),
        ("eo/s03/pt01/pt02", "point", "ii", "eo/s03/pt01", 4101, "green widgets kept in the harbour, namely:"),
        ("eo/s03/pt01/pt02/pt01", "point", "A", "eo/s03/pt01/pt02", 4101, "small ones; and"),
        ("eo/s03/pt01/pt02/pt02", "point", "B", "eo/s03/pt01/pt02", 4101, "large ones; and"),
        ("eo/s03/pt01/pt03", "point", "iii", "eo/s03/pt01", 4101, "widgets of any other colour."),
        ("eo/s03/pt02", "point", "b", "eo/s03", 4101,
         ("Within 60 days the pretend office shall publish the list and send a copy to each household that asked "
         "for one in writing before the end of the month.")),
        ("eo/s03/pt03", "point", "c", "eo/s03", 4102, "The pretend office shall report on progress every quarter."),
        ("eo/s04", "section", "4", "eo/title", 4102, "Definitions"),
        ("eo/s04/par01", "paragraph", None, "eo/s04", 4102, "For the purposes of this order:"),
        ("eo/s04/pt01", "point", "a", "eo/s04", 4102, "the term widget means any imaginary gizmo; and"),
        ("eo/s04/pt02", "point", "b", "eo/s04", 4102, "the term gadget means a widget with a handle."),
        ("eo/s05", "section", "5", "eo/title", 4102, "General Provisions"),
        ("eo/s05/pt01", "point", "a", "eo/s05", 4102, "Nothing in this order shall be read to affect real widgets anywhere."),
        ("eo/s05/pt02", "point", "b", "eo/s05", 4102,
         "This order is not meant to create any right or benefit for anyone."),
        ("eo/s05/pt03", "point", "c", "eo/s05", 4103,
         "The costs of publishing this order shall be paid by the pretend office."),
    ]


def test_gazette_facts_travel_in_attrs(order):
    assert order.attrs["document_number"] == "2100-00417"
    assert order.attrs["executive_order"] == "99001"
    assert order.attrs["document"] == "Executive Order 99001 of January 7, 2100"
    assert order.attrs["signature_date"] == "2100-01-07"
    assert order.attrs["structure"] == "structured"
    words = sum(len(text.split()) for page in order_pages() for text, *_ in page)
    assert order.attrs["words_in_file"] == words


def test_gazette_furniture_is_not_content(order):
    furniture = "Federal Register|Presidential Documents|Vol\\.|VerDate|FR Doc|Billing|WHITE HOUSE|PLACEHOLDER|Title 3|GPH"
    assert not order.text.str.contains(furniture).any()


def test_a_report_is_not_read_as_a_gazette(us_units):
    """The US plan (no masthead) keeps the report reader: structured, no gazette facts,
    its words counted before running heads and page numbers were dropped."""
    assert us_units.attrs["structure"] == "structured"
    assert not {"document", "document_number", "signature_date"} & set(us_units.attrs)
    assert us_units.attrs["words_in_file"] > us_units.text.str.split().str.len().sum()


def test_memorandum_with_margin_words_on_the_title_line_and_nine_lettered_items(tmp_path):
    """"The President" in the margin on the title's baseline is not title; "(i)" after "(h)"
    is the ninth letter, not a roman sub-item; the signature block on one line is dropped."""
    letters = [f">({letter}) Count pretend item {letter}." for letter in "bcdefgh"]
    page = gazette_page([
        ("Federal Register", 54, 740, 18), ("Presidential Documents", 360, 740, 18),
        ("Title 3—", 54, 680, 11), ("Memorandum of January 8, 2100", 170, 680, 11),
        ("The President", 54, 660, 11), ("Counting Pretend Spoons", 170, 660, 14)], [
        "Memorandum for the Heads of Pretend Departments",
        ">By the pretend powers granted to me, I hereby direct as follows:",
        ">Section 1. Counting. (a) Count spoons.", *letters, ">(i) Count knives after the forks.",
        ">Sec. 2. Publication. Publish this memorandum.",
        "THE WHITE HOUSE, January 8, 2100.", "[FR Doc. 2100–00500 Filed 1–12–00; 8:45 am]"])
    units = read_document(make_pdf(tmp_path / "memo.pdf", [page]), plan_id="m")
    assert units.text.iloc[0] == "Counting Pretend Spoons"
    assert units.level.tolist()[1:4] == ["preamble", "preamble", "section"]
    items = units[units.level == "point"]
    assert items.label.tolist() == list("abcdefghi") and set(items.parent_id) == {"m/s01"}
    assert units.text.iloc[-1] == "Publish this memorandum." and units.page.tolist() == [1] * len(units)
    assert units.attrs["signature_date"] == "2100-01-08" and "executive_order" not in units.attrs


def test_gazette_document_without_sections_reads_flat_with_a_warning(tmp_path):
    page = gazette_page([
        ("Federal Register", 54, 740, 18), ("Presidential Documents", 360, 740, 18),
        ("Proclamation 99002 of January 9, 2100", 170, 680, 11), ("Pretend Spoon Day, 2100", 170, 660, 14)], [
        ">Spoons are pretend and so is this day of filler text for the", "test.",
        ">I proclaim a day of filler."])
    path = make_pdf(tmp_path / "proclamation.pdf", [page])
    with pytest.warns(StructureWarning, match="proclamation.pdf"):
        units = read_document(path, plan_id="p")
    assert units.level.tolist() == ["title", "paragraph", "paragraph"]
    assert units.attrs["structure"] == "flat" and units.attrs["document"].startswith("Proclamation 99002")


def test_title_set_in_body_type_is_the_lines_before_the_indented_preamble(tmp_path):
    page = gazette_page([
        ("Federal Register", 54, 740, 18), ("Presidential Documents", 360, 740, 18),
        ("Title 3—", 54, 680, 10), ("Executive Order 99003 of January 9, 2100", 170, 680, 10),
        ("The President", 54, 668, 10)], [
        "Keeping Pretend Spoons Polished in", "Imaginary Town",
        ">By the pretend powers granted to me, it is hereby ordered:",
        ">Section 1. Purpose. Spoons shall shine.", ">Sec. 2. Policy. Forks shall shine too."], top=668)
    units = read_document(make_pdf(tmp_path / "order.pdf", [page]), plan_id="o")
    assert units.text.iloc[0] == "Keeping Pretend Spoons Polished in Imaginary Town"
    assert units.level.tolist() == ["title", "preamble", "section", "paragraph", "section", "paragraph"]
    assert units.attrs["executive_order"] == "99003"

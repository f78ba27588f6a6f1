"""The PDF reader on the real US plan (when present) and on PDFs made for the test."""

import re

import pandas as pd
import pypdfium2 as pdfium
import pytest

from conftest import US_PDF, needs_us_pdf
from pdf_factory import make_pdf, two_column_page
from policylab import read_document
from policylab.errors import StructureWarning

# Recommended-action counts per section, as counted by hand in the printed plan.
ACTIONS_PER_SECTION = {
    "Remove Red Tape and Onerous Regulation": 5,
    "Ensure that Frontier AI Protects Free Speech and American Values": 3,
    "Encourage Open-Source and Open-Weight AI": 5,
    "Enable AI Adoption": 4,
    "Empower American Workers in the Age of AI": 6,
    "Support Next-Generation Manufacturing": 2,
    "Invest in AI-Enabled Science": 4,
    "Build World-Class Scientific Datasets": 5,
    "Advance the Science of AI": 1,
    "Invest in AI Interpretability, Control, and Robustness Breakthroughs": 3,
    "Build an AI Evaluations Ecosystem": 5,
    "Accelerate AI Adoption in Government": 6,
    "Drive Adoption of AI within the Department of Defense": 5,
    "Protect Commercial and Government AI Innovations": 1,
    "Combat Synthetic Media in the Legal System": 3,
    "Create Streamlined Permitting for Data Centers, Semiconductor Manufacturing Facilities, "
    "and Energy Infrastructure while Guaranteeing Security": 7,
    "Develop a Grid to Match the Pace of AI Innovation": 4,
    "Restore American Semiconductor Manufacturing": 2,
    "Build High-Security Data Centers for Military and Intelligence Community Usage": 2,
    "Train a Skilled Workforce for AI Infrastructure": 6,
    "Bolster Critical Infrastructure Cybersecurity": 3,
    "Promote Secure-By-Design AI Technologies and Applications": 2,
    "Promote Mature Federal Capacity for AI Incident Response": 3,
    "Export American AI to Allies and Partners": 1,
    "Counter Chinese Influence in International Governance Bodies": 1,
    "Strengthen AI Compute Export Control Enforcement": 2,
    "Plug Loopholes in Existing Semiconductor Manufacturing Export Controls": 1,
    "Align Protection Measures Globally": 4,
    "Ensure that the U.S. Government is at the Forefront of Evaluating National Security Risks in Frontier Models": 4,
    "Invest in Biosecurity": 3,
}


@needs_us_pdf
def test_us_plan_has_three_pillars_with_their_sections(us_units):
    parts = us_units[us_units.level == "part"]
    assert parts.text.tolist() == [
        "Pillar I: Accelerate AI Innovation",
        "Pillar II: Build American AI Infrastructure",
        "Pillar III: Lead in International AI Diplomacy and Security",
    ]
    assert parts.label.tolist() == ["I", "II", "III"]
    sections = us_units[us_units.level == "section"]
    assert sections.label.isna().all()  # the plan does not number its sections
    assert sections.groupby("part", sort=False).size().tolist() == [15, 8, 7]
    assert sections.text.tolist() == list(ACTIONS_PER_SECTION)


@needs_us_pdf
def test_section_headings_read_as_the_pdf_outline_prints_them(us_units):
    pdf = pdfium.PdfDocument(str(US_PDF))
    outline = [item.get_title() for item in pdf.get_toc() if item.level == 1]
    pdf.close()
    assert us_units[us_units.level == "section"].text.tolist() == outline


@needs_us_pdf
def test_every_recommended_action_is_one_unit_under_its_section(us_units):
    actions = us_units[us_units.level == "action"]
    assert len(actions) == 103
    assert actions.groupby("section", sort=False).size().to_dict() == ACTIONS_PER_SECTION
    assert actions.unit_id.str.fullmatch(r"us-aap-2025/p[123]/s\d\d/a\d\d").all()
    assert not actions.text.str.startswith("•").any()


@needs_us_pdf
def test_thirty_footnotes_hang_under_the_unit_that_cites_them(us_units):
    notes = us_units[us_units.level == "footnote"]
    assert notes.unit_id.tolist() == [f"us-aap-2025/fn{n:02d}" for n in range(1, 31)]
    assert notes.label.tolist() == [str(n) for n in range(1, 31)]
    parents = us_units.set_index("unit_id").loc[notes.parent_id]
    assert not (parents.level == "footnote").any()
    order = us_units.set_index("unit_id")["order"]
    assert (order[notes.unit_id].to_numpy() > order[notes.parent_id].to_numpy()).all()
    # The citing text keeps no marker: no digit glued to a word or closing punctuation.
    body = us_units[us_units.level.isin(["preamble", "paragraph", "action"])]
    glued = body.text.str.contains(r"[a-z.,;”\"]\d{1,2}(?:\s|$)", regex=True)
    assert not glued.any(), body[glued].unit_id.tolist()


@needs_us_pdf
def test_no_page_furniture_in_unit_text(us_units):
    text = us_units.text
    assert not text.str.contains("AMERICA’S AI", regex=False).any()
    assert not text.str.contains(r"\.{5,}", regex=True).any()
    assert not text.str.fullmatch(r"[ivx\d]+").any()
    assert not text.str.fullmatch("Recommended Policy Actions").any()
    assert not text.str.contains("intentionally left blank").any()


@needs_us_pdf
def test_preamble_holds_the_quote_page_and_the_introduction(us_units):
    preamble = us_units[us_units.level == "preamble"]
    assert preamble.page.isna().iloc[0]  # the quote page is numbered "i"
    assert preamble.text.iloc[0].startswith("“Today")
    intro = preamble[preamble.part == "Introduction"]
    assert intro.page.min() == 1 and intro.page.max() == 2
    first_part = us_units[us_units.level == "part"].iloc[0]
    assert first_part.page == 3


@needs_us_pdf
def test_words_split_across_lines_and_runs_read_whole(us_units):
    text = " ".join(us_units.text)
    for word in ("multi-tiered", "self-driving", "open-weight", "private-sector-led"):
        assert word in text
    for broken in ("duringhis", "Federalfunding", "selfdriving", "multitiered"):
        assert broken not in text


@needs_us_pdf
def test_reading_is_deterministic(us_units):
    again = read_document(US_PDF)
    pd.testing.assert_frame_equal(us_units, again)


def test_pdf_without_outline_uses_numbered_and_larger_headings(tmp_path):
    path = make_pdf(tmp_path / "plan.pdf", [[
        ("Part I. Building", 72, 720, 20),
        ("1. Compute for research", 72, 690, 14),
        ("A narrative paragraph about compute", 72, 670, 11),
        ("that continues on a second line.", 72, 656, 11),
        ("• A first recommended step", 72, 630, 11),
        ("• A second step with a note", 72, 610, 11),
        ("4", 210, 614, 6),
        ("2. Data for research", 72, 580, 14),
        ("Another paragraph.", 72, 560, 11),
        ("4", 72, 103, 5),
        ("A footnote citing a report.", 76, 100, 8),
    ]])
    units = read_document(path)
    assert units.level.tolist() == ["title", "part", "section", "paragraph", "action", "action",
                                    "footnote", "section", "paragraph"]
    assert units.unit_id.tolist()[1:6] == ["plan/p1", "plan/p1/s01", "plan/p1/s01/par01",
                                          "plan/p1/s01/a01", "plan/p1/s01/a02"]
    note = units[units.level == "footnote"].iloc[0]
    assert note.unit_id == "plan/fn04" and note.parent_id == "plan/p1/s01/a02" and note.label == "4"
    assert units.label.iloc[1:3].tolist() == ["I", "1"]
    assert units.text.iloc[3] == "A narrative paragraph about compute that continues on a second line."
    assert units.text.iloc[5] == "A second step with a note"


def test_pdf_with_no_recognisable_structure_reads_flat_with_a_warning(tmp_path):
    path = make_pdf(tmp_path / "flat.pdf", [[("Only plain lines.", 72, 700, 11), ("And one more.", 72, 686, 11),
                                             ("A second paragraph.", 72, 650, 11)]])
    with pytest.warns(StructureWarning, match=re.escape(str(path))):
        units = read_document(path)
    assert units.level.tolist() == ["title", "paragraph", "paragraph"]
    assert units.text.tolist()[1:] == ["Only plain lines. And one more.", "A second paragraph."]
    assert units.parent_id.tolist()[1:] == ["flat/title", "flat/title"]
    assert units.attrs["structure"] == "flat" and units.attrs["words_in_file"] == 9



def test_pdf_without_outline_finds_numbered_and_set_apart_headings_in_body_type(tmp_path):
    path = make_pdf(tmp_path / "memo.pdf", [[
        ("Sec. 1. Purpose.", 72, 720, 11),
        ("This memo sets out invented goals for the test", 72, 706, 11),
        ("and continues here.", 72, 692, 11),
        ("Sec. 2. Policy.", 72, 660, 11),
        ("A second invented paragraph.", 72, 646, 11),
        ("Funding and Oversight", 72, 610, 11),
        ("A paragraph under a heading set apart.", 72, 580, 11),
    ]])
    units = read_document(path)
    assert units.level.tolist() == ["title", "section", "paragraph", "section", "paragraph", "section", "paragraph"]
    assert units.text.tolist()[1::2] == ["Sec. 1. Purpose.", "Sec. 2. Policy.", "Funding and Oversight"]
    assert units.text.iloc[2] == "This memo sets out invented goals for the test and continues here."


FR_HEAD = "Federal Register / Vol. 99, No. 1 / Monday, January 4, 2100 / Presidential Documents"
FR_PROOF = "VerDate Sep<11>2014 12:00 Jan 03, 2100 Jkt 000001 PO 00000 Frm 0000{} Fmt 4705 Sfmt 4790 E:\\FR\\X.SGM"


def test_two_column_pages_read_column_by_column(tmp_path):
    """Federal Register layout: running head with the page number, proof line, two columns,
    run-in section headings, filing lines at the end."""
    first = two_column_page(
        header=FR_HEAD, footer=FR_PROOF.format(1),
        spanning=["Executive Order 99999 of January 1, 2100", "Promoting Invented Widgets Across the Land"],
        left=["Sec. 1. Purpose.", "Placeholder widgets are a pretend", "industry that this invented order",
              "describes in filler words only.", "", "Sec. 2. Policy. It is the invented policy",
              "of this pretend order that widget makers"],
        right=["should keep painting gadgets in", "bright colours every other week.", "",
               "A second paragraph of the policy", "section talks about teal spoons.", "",
               "Sec. 3. Definitions.", "For this pretend order a widget", "means any imaginary gizmo."])
    first.append(("1001", 540, 750, 8))  # the page number: a run of its own on the running head's baseline
    second = two_column_page(
        header=f"1002 {FR_HEAD}", footer=FR_PROOF.format(2),
        left=["Sec. 4. Implementation.", "Within 90 days the pretend office", "shall count every widget twice.",
              "", "Sec. 5. General Provisions.", "Nothing in this invented order"],
        right=["shall be read to affect real", "widgets anywhere on earth.", "", "THE PRETEND HOUSE,",
               "January 1, 2100.", "", "[FR Doc. 2100-00001 Filed 1-3-00; 8:45 am]", "Billing code 3295-F0-P"])
    units = read_document(make_pdf(tmp_path / "2100-00001.pdf", [first, second]), plan_id="us-eo99999-2100")
    assert units.text.iloc[0] == "Promoting Invented Widgets Across the Land"
    assert units.attrs["document"] == "Executive Order 99999 of January 1, 2100"
    sections = units[units.level == "section"]
    assert sections.label.tolist() == ["1", "2", "3", "4", "5"]
    assert sections.text.tolist() == ["Purpose", "Policy", "Definitions", "Implementation", "General Provisions"]
    assert sections.page.tolist() == [1001, 1001, 1001, 1002, 1002]
    paragraphs = units[units.level == "paragraph"]
    assert paragraphs.text.tolist() == [
        "Placeholder widgets are a pretend industry that this invented order describes in filler words only.",
        ("It is the invented policy of this pretend order that widget makers should keep painting gadgets in "
         "bright colours every other week."),
        "A second paragraph of the policy section talks about teal spoons.",
        "For this pretend order a widget means any imaginary gizmo.",
        "Within 90 days the pretend office shall count every widget twice.",
        "Nothing in this invented order shall be read to affect real widgets anywhere on earth.",
    ]
    assert paragraphs.parent_id.tolist() == sections.unit_id.take([0, 1, 1, 2, 3, 4]).tolist()
    assert units.attrs["signature_date"] == "2100-01-01" and units.attrs["document_number"] == "2100-00001"
    assert not units.text.str.contains("Federal Register|VerDate|FR Doc|Billing|PRETEND HOUSE").any()


def test_single_column_page_with_short_lines_is_not_split(tmp_path):
    lines = ["1. Short Heading", "Brief line one.", "Another brief line", "that goes on."]
    runs = [(text, 72, 700 - 14 * i, 11) for i, text in enumerate(lines)]
    runs += [("A wide closing paragraph line that crosses the middle of the page for sure.", 72, 600, 11)]
    units = read_document(make_pdf(tmp_path / "narrow.pdf", [runs]))
    assert units.text.tolist()[-2:] == ["Brief line one. Another brief line that goes on.",
                                        "A wide closing paragraph line that crosses the middle of the page for sure."]


def test_decimal_numbered_headings_nest_sections_under_parts(tmp_path):
    """A Commission document (COM) as PDF: cover page, '2.' parts holding '2.1.' sections, footnotes."""
    cover = [("EUROPEAN PRETEND COMMISSION", 150, 700, 14), ("COM(2099) 42 final", 72, 640, 11),
             ("Pretend Continent Plan", 180, 520, 16)]
    first = [("1. INTRODUCTION", 72, 720, 11), ("Invented opening words about a pretend continent that", 72, 700, 11),
             ("go on for a second line of filler.", 72, 686, 11), ("1", 228, 690, 7),
             ("2. BUILDING PRETEND THINGS", 72, 660, 11), ("2.1. Gadget factories", 72, 640, 11),
             ("Filler on gadget factories for the parser test.", 72, 620, 11),
             ("1", 72, 103, 7), ("Invented note one, 2099.", 78, 100, 9), ("1", 300, 40, 10)]
    second = [("2.2. Spoon skills", 72, 720, 11), ("Teach every pretend citizen to bend spoons.", 72, 700, 11),
              ("3. CONCLUSIONS", 72, 670, 11), ("Closing filler of the pretend plan.", 72, 650, 11), ("2", 300, 40, 10)]
    units = read_document(make_pdf(tmp_path / "com.pdf", [cover, first, second]), plan_id="eu-pretend-2099")
    headings = units[units.level.isin(["part", "section"])]
    assert list(zip(headings.level, headings.label, headings.parent_id)) == [
        ("part", "1", "eu-pretend-2099/title"), ("part", "2", "eu-pretend-2099/title"),
        ("section", "2.1", "eu-pretend-2099/p2"), ("section", "2.2", "eu-pretend-2099/p2"),
        ("part", "3", "eu-pretend-2099/title")]
    note = units[units.level == "footnote"].iloc[0]
    assert note.parent_id == "eu-pretend-2099/p1/par01" and note.text == "Invented note one, 2099."
    assert not units.text.str.contains("COM\\(2099\\)").any()

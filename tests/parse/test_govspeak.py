"""GOV.UK publications (govspeak): the UK plan when present, and synthetic govspeak pages."""

import pandas as pd
import pytest

from conftest import UK_HTML, UK_HTML_SHA256, needs_uk_html
from html_factory import bare_govspeak, govspeak_body, govuk_page
from policylab import read_document
from policylab.errors import StructureError


def _read(tmp_path, name, html, plan_id="gb-pretend-2025"):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return read_document(path, plan_id=plan_id)


@pytest.fixture
def pretend(tmp_path):
    return _read(tmp_path, "body.html", bare_govspeak(govspeak_body()))


def test_numbered_headings_become_labelled_parts_sections_and_subsections(pretend):
    parts = pretend[pretend.level == "part"]
    assert parts.label.tolist() == ["1", "2"]
    assert parts.text.tolist() == ["Pretend pillar 1 about ZQ", "Pretend pillar 2 about ZQ"]
    sections = pretend[pretend.level == "section"]
    assert sections.label.tolist() == ["1.1", "1.2", "2.1", "2.2"]
    assert sections.unit_id.tolist()[:2] == ["gb-pretend-2025/p1/s01", "gb-pretend-2025/p1/s02"]
    assert sections.parent_id.tolist() == ["gb-pretend-2025/p1"] * 2 + ["gb-pretend-2025/p2"] * 2
    subsections = pretend[pretend.level == "subsection"]
    assert len(subsections) == 4 and subsections.label.isna().all()
    assert subsections.parent_id.tolist() == sections.unit_id.tolist()
    assert subsections.section.tolist() == sections.text.tolist()


def test_recommendations_are_one_labelled_action_each_in_reading_order(pretend):
    actions = pretend[pretend.level == "action"]
    assert actions.label.tolist() == [str(n) for n in range(1, 13)]
    assert actions.order.is_monotonic_increasing
    assert actions.text.iloc[0].startswith("Invented recommendation 1 for section 1.1.")
    owns_list = actions.iloc[1]
    assert owns_list.text == ("Invented recommendation 2 for section 1.1 by: Painting the ZQ fences teal. "
                              "Counting pebbles twice.")
    with_list = pretend[pretend.text.str.contains("Painting the ZQ")]
    assert with_list.label.tolist() == ["2", "5", "8", "11"] and (with_list.level == "action").all()


def test_lead_in_lines_are_paragraphs_and_preamble_and_conclusion_are_not_parts(pretend):
    lead_ins = pretend[pretend.text.str.endswith(":")]
    assert set(lead_ins.level) == {"preamble", "paragraph"}
    assert "Subsection filler that lists what comes next:" in pretend.text[pretend.level == "paragraph"].tolist()
    preamble = pretend[pretend.level == "preamble"]
    assert preamble.unit_id.tolist() == [f"gb-pretend-2025/pre{n:02d}" for n in range(1, 7)]
    assert preamble.part.fillna("-").tolist() == ["-", *["Foreword by an invented minister"] * 4, "The overview"]
    conclusion = pretend[pretend.part == "Conclusion"]
    assert conclusion.level.tolist() == ["paragraph"]
    assert conclusion.parent_id.tolist() == ["gb-pretend-2025/title"] and conclusion.section.isna().all()
    assert preamble.section.isna().all()


def test_tables_are_left_out_and_abbreviations_are_not_expanded(pretend):
    assert not pretend.text.str.contains("cell", case=False).any()
    assert not pretend.text.str.contains("zonal quantifier").any()
    assert pretend.text.str.contains("ZQ tortoises").any()


def test_footnotes_follow_the_unit_citing_them_without_markers(pretend):
    notes = pretend[pretend.level == "footnote"]
    assert notes.label.tolist() == [str(n) for n in range(1, len(notes) + 1)] and len(notes) == 11
    assert notes.text.iloc[0] == "Invented source number 1, 2024."
    assert not pretend.text.str.contains(r"\[footnote|↩").any()
    by_id = pretend.set_index("unit_id")
    for row in notes.itertuples():
        citing = by_id.loc[row.parent_id]
        assert by_id.index.get_loc(row.parent_id) < by_id.index.get_loc(row.unit_id)
        assert citing.level != "footnote"
    first_action_note = notes[notes.parent_id == "gb-pretend-2025/p1/s01/a01"]
    assert first_action_note.label.tolist() == ["3"]


@pytest.mark.parametrize("inner_div", [True, False])
def test_full_govuk_page_reads_like_the_bare_body(tmp_path, pretend, inner_div):
    page = _read(tmp_path, "page.html", govuk_page(govspeak_body(), inner_div=inner_div))
    columns = ["unit_id", "parent_id", "level", "label", "text"]
    pd.testing.assert_frame_equal(page[columns], pretend[columns])
    assert not page.text.str.contains("Contents|Print this page|footer|testing only").any()
    assert page.text.iloc[0] == "Pretend Opportunities Plan"


def test_footnote_never_cited_is_refused_with_the_file_name(tmp_path):
    body = govspeak_body().replace('<sup id="fnref:1">', '<sup id="other">')
    with pytest.raises(StructureError, match=r"nocite\.html.*footnote\(s\) 1\b"):
        _read(tmp_path, "nocite.html", bare_govspeak(body))


@needs_uk_html
def test_uk_plan_has_three_pillars_eight_sections_fifty_recommendations(uk_units):
    assert uk_units.attrs["sha256"] == UK_HTML_SHA256, "not the reference copy the corpus README describes"
    assert uk_units.text.iloc[0] == "AI Opportunities Action Plan"
    parts = uk_units[uk_units.level == "part"]
    assert parts.label.tolist() == ["1", "2", "3"]
    assert parts.unit_id.tolist() == ["gb-aiop-2025/p1", "gb-aiop-2025/p2", "gb-aiop-2025/p3"]
    sections = uk_units[uk_units.level == "section"]
    assert sections.label.tolist() == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4"]
    subsections = uk_units[uk_units.level == "subsection"]
    assert subsections.text.tolist() == ["Adoption missions", "Scan", "Pilot", "Scale"]
    assert set(subsections.parent_id) <= set(sections.unit_id)
    actions = uk_units[uk_units.level == "action"]
    assert actions.label.tolist() == [str(n) for n in range(1, 51)]
    assert not actions.text.str.match(r"\d+\.\s").any()
    lead_ins = uk_units[uk_units.text.str.endswith(":")]
    assert len(lead_ins) >= 10 and set(lead_ins.level) <= {"preamble", "paragraph"}  # lead-ins are not headings
    assert actions.part.value_counts().to_dict() == {
        "Lay the foundations to enable AI": 30, "Change lives by embracing AI": 19,
        "Secure our future with homegrown AI": 1}
    assert uk_units.unit_id.is_unique


@needs_uk_html
def test_uk_plan_preamble_conclusion_and_nineteen_footnotes(uk_units):
    preamble = uk_units[uk_units.level == "preamble"]
    assert preamble.section.isna().all() and set(preamble.part.dropna()) == {
        "Foreword by the Secretary of State for Science, Innovation and Technology", "The opportunity"}
    assert uk_units.order[uk_units.level == "preamble"].max() < uk_units.order[uk_units.level == "part"].min()
    conclusion = uk_units[uk_units.part == "Conclusion"]
    assert len(conclusion) == 4 and (conclusion.level == "paragraph").all() and conclusion.section.isna().all()
    notes = uk_units[uk_units.level == "footnote"]
    assert notes.label.tolist() == [str(n) for n in range(1, 20)]
    assert notes.parent_id.isin(uk_units.unit_id[uk_units.level != "footnote"]).all()
    assert not uk_units.text.str.contains(r"\[footnote|↩|artificial intelligence\)").any()


@needs_uk_html
def test_uk_body_inside_a_govuk_template_reads_the_same(tmp_path, uk_units):
    body = UK_HTML.read_text(encoding="utf-8").split("<body>", 1)[1].rsplit("</body>", 1)[0]
    page = _read(tmp_path, "ai-opportunities-action-plan.html", govuk_page(body, "AI Opportunities Action Plan"),
                 plan_id="gb-aiop-2025")
    columns = ["unit_id", "level", "label", "text"]
    pd.testing.assert_frame_equal(page[columns], uk_units[columns])



def test_footnotes_cited_in_headings(tmp_path):
    def cite(n):
        return f'<sup id="fnref:{n}"><a href="#fn:{n}">[footnote {n}]</a></sup>'

    body = (f'<h2 id="intro">Pretend introduction{cite(1)}</h2><p>Opening filler words.</p>'
            f'<h2 id="one"><span class="number">1. </span> Pretend pillar</h2>'
            f'<h3 id="s"><span class="number">1.1 </span> Pretend section{cite(2)}</h3><p>Section filler.</p>'
            '<div class="footnotes"><ol><li id="fn:1"><p>Note one.</p></li><li id="fn:2"><p>Note two.</p></li>'
            "</ol></div>")
    units = _read(tmp_path, "headings.html", bare_govspeak(body))
    notes = units[units.level == "footnote"]
    assert notes.parent_id.tolist() == ["gb-pretend-2025/pre01", "gb-pretend-2025/p1/s01"]
    assert units.text[units.level == "section"].tolist() == ["Pretend section"]

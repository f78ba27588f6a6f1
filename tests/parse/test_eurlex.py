"""Commission documents as EUR-Lex serves them in HTML, on pages generated with invented filler."""

import pytest

from html_factory import eurlex_page
from policylab import read_document
from policylab.errors import StructureError


def _read(tmp_path, html):
    path = tmp_path / "uri_CELEX_52099DC0042"
    path.write_text(html, encoding="utf-8")
    return read_document(path, plan_id="eu-pretend-2099")


@pytest.mark.parametrize("footnotes_as", ["p", "dl"])
def test_numbered_headings_lists_and_footnotes(tmp_path, footnotes_as):
    units = _read(tmp_path, eurlex_page(footnotes_as=footnotes_as))
    assert units.level.tolist() == ["title", "part", "paragraph", "footnote", "part", "section", "paragraph", "action",
                                    "footnote", "action", "section", "point", "part", "paragraph"]
    assert units.label.fillna("").tolist() == ["", "1", "", "1", "2", "2.1", "", "", "2", "", "2.2", "(a)", "3", ""]
    assert units.text[units.level == "part"].tolist() == ["Introduction", "Building pretend things", "Conclusions"]
    notes = units[units.level == "footnote"]
    assert notes.text.tolist() == ["Invented note one, 2099.", "Invented note two, OJ L 1, 2099."]
    assert notes.parent_id.tolist() == ["eu-pretend-2099/p1/par01", "eu-pretend-2099/p2/s01/a01"]
    assert not units.text.str.contains(r"\(\d\)|•").any()


def test_cover_lines_become_title_and_facts(tmp_path):
    units = _read(tmp_path, eurlex_page())
    assert units.text.iloc[0] == "Pretend Continent Plan"
    assert units.attrs["date"] == "2099-03-02"
    assert units.attrs["document_number"] == "COM(2099) 42 final"
    assert not units.text.str.contains("Brussels|COM\\(2099\\)|COMMUNICATION").any()


def test_footnote_without_a_marker_is_refused(tmp_path):
    html = eurlex_page().replace('href="#footnote1"', 'href="#elsewhere"')
    with pytest.raises(StructureError, match=r"uri_CELEX_52099DC0042.*footnote\(s\) 1\b"):
        _read(tmp_path, html)

"""Plain text and Markdown."""

import pytest

from policylab import read_document
from policylab.errors import FlatDocumentWarning, UnsupportedFormatError
from policylab.parse import sniff_format


def test_markdown_headings_lists_and_paragraphs(tmp_path):
    path = tmp_path / "strategy.md"
    path.write_text(
        "# An Invented Strategy\n\nOpening paragraph of the made-up text.\n\n"
        "## Growth\n\n### Compute\n\nA paragraph that\nwraps over two lines.\n\n"
        "- first step\n- second step\n  continued here\n\n### Skills\n\nLast paragraph.\n",
        encoding="utf-8")
    units = read_document(path)
    assert units.level.tolist() == ["title", "preamble", "part", "section", "paragraph", "action", "action",
                                    "section", "paragraph"]
    assert units.text.iloc[4] == "A paragraph that wraps over two lines."
    assert units.text.iloc[6] == "second step continued here"
    assert units.attrs["plan_id"] == "strategy" and units.language.iloc[0] == "en"


def test_plain_text_with_numbered_points(tmp_path):
    path = tmp_path / "points.txt"
    path.write_text("Lead-in words before the list.\n1. Alpha heading. Body of alpha.\n"
                    "2. Beta heading. Body of beta.\n", encoding="utf-8")
    units = read_document(path, plan_id="xx-points-2025")
    assert units.level.tolist() == ["preamble", "point", "point"]
    assert units.section.tolist()[1:] == ["Alpha heading", "Beta heading"]
    assert units.unit_id.tolist()[1:] == ["xx-points-2025/pt01", "xx-points-2025/pt02"]


def test_valid_utf8_with_any_spaces_and_punctuation_is_text(tmp_path):
    text = "1. Heading\u2002with an en space\n\nFiller\u2003words\u2009here\u00a0—\u200b“quoted” ‹odd› ※ punctuation.\n"
    path = tmp_path / "spaces.txt"
    path.write_text(text * 50, encoding="utf-8")
    assert sniff_format(path.read_bytes(), path) == "text"
    assert len(read_document(path)) > 1


def test_control_characters_are_not_text(tmp_path):
    path = tmp_path / "zeros.txt"
    path.write_bytes(b"\x00\x01\x02" * 500)
    with pytest.raises(UnsupportedFormatError, match="zeros.txt"):
        read_document(path)


def test_text_without_structure_reads_flat_with_a_warning(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Filler words of a first paragraph, nothing numbered.\n"
                    "A second filler paragraph follows on its own line.\n"
                    "And a third one, still without a heading or a number.\n", encoding="utf-8")
    with pytest.warns(FlatDocumentWarning, match=r"plain\.txt.*no numbering.*read as 3 paragraphs"):
        units = read_document(path)
    assert units.level.tolist() == ["paragraph"] * 3
    assert units.attrs["structure"] == "flat"
    assert units.attrs["words_in_file"] == 28


def test_markdown_headings_with_numbers_nest_by_their_numbers(tmp_path):
    path = tmp_path / "numbered.md"
    path.write_text("# Pretend Plan\n\n## 1. Growth\n\nFiller words of growth here.\n\n### 1.1 Kites\n\n"
                    "Filler about kites.\n\n### 1.2 Tunnels\n\n- first filler step\n- second filler step\n\n"
                    "## 2. Safety\n\nFiller about safety.\n", encoding="utf-8")
    units = read_document(path, plan_id="xx")
    assert list(zip(units.unit_id, units.level, units.label.fillna(""), units.text)) == [
        ("xx/title", "title", "", "Pretend Plan"),
        ("xx/p1", "part", "1", "Growth"), ("xx/p1/par01", "paragraph", "", "Filler words of growth here."),
        ("xx/p1/s01", "section", "1.1", "Kites"), ("xx/p1/s01/par01", "paragraph", "", "Filler about kites."),
        ("xx/p1/s02", "section", "1.2", "Tunnels"), ("xx/p1/s02/a01", "action", "", "first filler step"),
        ("xx/p1/s02/a02", "action", "", "second filler step"),
        ("xx/p2", "part", "2", "Safety"), ("xx/p2/par01", "paragraph", "", "Filler about safety."),
    ]


def test_item_i_is_a_letter_after_h_and_a_roman_numeral_after_a(tmp_path):
    letters = "abcdefghij"
    lines = ["Sec. 1. Invented rules.", "(a) Filler words of item a;", "(i) filler words of roman one;",
             "(ii) filler words of roman two;"]
    lines += [f"({letter}) Filler words of item {letter};" for letter in letters[1:]]
    path = tmp_path / "items.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    units = read_document(path, plan_id="xx")
    parent = dict(zip(units.label.fillna(""), units.parent_id.fillna("")))  # the later "(i)" wins: the letter
    assert units.parent_id.tolist()[2:4] == ["xx/s01/pt01", "xx/s01/pt01"]  # (i), (ii) in (a)
    assert parent["(i)"] == parent["(h)"] == parent["(j)"] == "xx/s01"
    assert units.unit_id.tolist()[-1] == "xx/s01/pt10"  # (a) to (j): ten items of the section


def test_a_text_of_paragraphs_and_lists_has_actions_and_no_preamble(tmp_path):
    path = tmp_path / "lists.txt"
    path.write_text("Filler words that open the pretend declaration.\n\nThe pretend states will:\n\n"
                    "- paint the kites;\n- count the pebbles;\n\nA closing filler paragraph.\n", encoding="utf-8")
    units = read_document(path, plan_id="xx")
    assert units.level.tolist() == ["paragraph", "paragraph", "action", "action", "paragraph"]
    assert units.attrs["structure"] == "structured"


def test_tab_indented_lines_are_list_items(tmp_path):
    path = tmp_path / "tabs.txt"
    path.write_text("1. Pretend Heading\nThe pretend office will:\n\tpaint the kites teal;\n\tcount the pebbles.\n"
                    "2. Another Pretend Heading\nClosing filler words of the pretend text.\n", encoding="utf-8")
    units = read_document(path, plan_id="xx")
    assert list(zip(units.unit_id, units.level, units.text)) == [
        ("xx/s01", "section", "Pretend Heading"), ("xx/s01/par01", "paragraph", "The pretend office will:"),
        ("xx/s01/a01", "action", "paint the kites teal;"), ("xx/s01/a02", "action", "count the pebbles."),
        ("xx/s02", "section", "Another Pretend Heading"),
        ("xx/s02/par01", "paragraph", "Closing filler words of the pretend text."),
    ]

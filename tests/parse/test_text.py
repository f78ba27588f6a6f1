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

"""Plain text and Markdown."""

from policylab import read_document


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

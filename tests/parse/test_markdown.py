"""Markdown strategies: numbered headings and ordered lists nest by their numbering, labelled as printed."""

from policylab import read_document

STRATEGY = """# Invented Strategy for Lanterns

An opening paragraph of filler about quartz, kelp and the harbour lights.

## 1. Build the lantern base

Chapter text about gravel paths and the moonlight over the fjord.

### 1.1 Quartz capacity

We will take these actions:

1. Expand the quartz stores across every harbour district.
2. Train walrus keepers in the meadow of the northern coast.
   - a sub-step about kelp nets
   - a sub-step about tinsel ropes
3. Fund the tunnel programme for three more winters.

### 1.2 Gravel paths

a) Lay gravel where the heron nests were found last spring.
b) Map the fjord before the glacier season begins again.

(c) Survey the dunes with copper kites and velvet flags.

## 2. Share the moonlight

Paragraph of filler about saffron, thimbles and nutmeg.

4. Open the harbour lanterns to every visiting boat.
5. Publish the tide tables twice a year for all islands.

A paragraph between two lists about lichen and cinder.

6. Keep one lantern lit on the quince hill in the winter.

- A bullet about oyster beds and the lagoon.
- Another bullet about pumice stones.
"""

ZH_STRATEGY = """# 测试行动计划

序言占位文字，说明本计划的目的。

一、总体要求
（一）基本原则
占位的段落文字，用于测试结构。
（二）主要目标
另一段占位文字。

二、重点任务

（一）推进测试工作

1. 工程甲。占位说明文字。
2. 工程乙。占位说明文字。

专栏1 测试工程

1. 工程丙。占位说明文字。
2. 工程丁。占位说明文字。
"""


def _rows(tmp_path, text, name="strategy.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    units = read_document(path, plan_id="xx")
    return units, list(zip(units.unit_id, units.level, units.label.fillna(""), units.parent_id.fillna(""),
                           units.text))


def test_numbered_chapters_and_ordered_lists_nest_with_their_printed_numbers(tmp_path):
    units, rows = _rows(tmp_path, STRATEGY)
    assert [row[:4] for row in rows] == [
        ("xx/title", "title", "", ""),
        ("xx/pre01", "preamble", "", "xx/title"),
        ("xx/p1", "part", "1", "xx/title"),
        ("xx/p1/par01", "paragraph", "", "xx/p1"),
        ("xx/p1/s01", "section", "1.1", "xx/p1"),
        ("xx/p1/s01/par01", "paragraph", "", "xx/p1/s01"),
        ("xx/p1/s01/pt01", "point", "1", "xx/p1/s01"),
        ("xx/p1/s01/pt02", "point", "2", "xx/p1/s01"),
        ("xx/p1/s01/pt02/pt01", "point", "", "xx/p1/s01/pt02"),  # the sub-list sits in its item
        ("xx/p1/s01/pt02/pt02", "point", "", "xx/p1/s01/pt02"),
        ("xx/p1/s01/pt03", "point", "3", "xx/p1/s01"),
        ("xx/p1/s02", "section", "1.2", "xx/p1"),
        ("xx/p1/s02/pt01", "point", "a)", "xx/p1/s02"),  # lettered lines typed without a blank line
        ("xx/p1/s02/pt02", "point", "b)", "xx/p1/s02"),
        ("xx/p1/s02/pt03", "point", "(c)", "xx/p1/s02"),
        ("xx/p2", "part", "2", "xx/title"),
        ("xx/p2/par01", "paragraph", "", "xx/p2"),
        ("xx/p2/pt01", "point", "4", "xx/p2"),  # a list that starts at 4
        ("xx/p2/pt02", "point", "5", "xx/p2"),
        ("xx/p2/par02", "paragraph", "", "xx/p2"),
        ("xx/p2/pt03", "point", "6", "xx/p2"),  # a list of one item that is a sentence stays in its chapter
        ("xx/p2/a01", "action", "", "xx/p2"),  # bullets: unlabelled, beside the numbered list, not inside it
        ("xx/p2/a02", "action", "", "xx/p2"),
    ]
    texts = dict(row[::4] for row in rows)
    assert texts["xx/p1"] == "Build the lantern base" and texts["xx/p1/s01"] == "Quartz capacity"
    assert texts["xx/p1/s01/pt01"] == "Expand the quartz stores across every harbour district."
    assert texts["xx/p1/s01/pt02"] == "Train walrus keepers in the meadow of the northern coast."
    assert texts["xx/p1/s02/pt02"] == "Map the fjord before the glacier season begins again."
    assert texts["xx/p2/pt01"] == "Open the harbour lanterns to every visiting boat."
    assert texts["xx/p2/a01"] == "A bullet about oyster beds and the lagoon."
    assert units.attrs["structure"] == "structured"


def test_chinese_numbered_lines_without_blank_lines_nest_and_boxes_hold_their_items(tmp_path):
    _, rows = _rows(tmp_path, ZH_STRATEGY)
    assert [row[1:] for row in rows] == [
        ("title", "", "", "测试行动计划"),
        ("preamble", "", "xx/title", "序言占位文字，说明本计划的目的。"),
        ("part", "一", "xx/title", "总体要求"),
        ("section", "（一）", "xx/p1", "基本原则"),
        ("paragraph", "", "xx/p1/s01", "占位的段落文字，用于测试结构。"),
        ("section", "（二）", "xx/p1", "主要目标"),
        ("paragraph", "", "xx/p1/s02", "另一段占位文字。"),
        ("part", "二", "xx/title", "重点任务"),
        ("section", "（一）", "xx/p2", "推进测试工作"),
        ("point", "1", "xx/p2/s01", "占位说明文字。"),
        ("point", "2", "xx/p2/s01", "占位说明文字。"),
        ("subsection", "专栏1", "xx/p2/s01", "测试工程"),
        ("point", "1", "xx/p2/s01/ss01", "占位说明文字。"),
        ("point", "2", "xx/p2/s01/ss01", "占位说明文字。"),
    ]


def test_a_wrapped_paragraph_is_not_cut_at_a_number_inside_a_sentence(tmp_path):
    text = ("## Filler chapter\n\nThe lantern keepers will report under\n(a) of the tide rules and then\n"
            "2. Second line of the same paragraph, still wrapped.\n")
    _, rows = _rows(tmp_path, text)
    assert [row[1] for row in rows] == ["section", "paragraph"]
    assert rows[1][4].startswith("The lantern keepers will report under (a) of the tide rules and then 2.")


def test_a_numbered_heading_written_as_a_list_of_one_is_a_chapter(tmp_path):
    text = "1. Filler Chapter\n\nSome filler words in the chapter.\n\n2. Another Chapter\n\nMore filler words here.\n"
    _, rows = _rows(tmp_path, text)
    assert [row[1:4] for row in rows] == [("section", "1", ""), ("paragraph", "", "xx/s01"), ("section", "2", ""),
                                          ("paragraph", "", "xx/s02")]


def test_bullets_that_print_their_own_letters_are_labelled_with_them(tmp_path):
    text = ("## Filler chapter\n\n- (a) First lettered bullet about kelp.\n- (b) Second lettered bullet about quartz.\n"
            "- A plain bullet about the harbour.\n")
    _, rows = _rows(tmp_path, text)
    assert [row[1:] for row in rows] == [
        ("section", "", "", "Filler chapter"),
        ("point", "(a)", "xx/s01", "First lettered bullet about kelp."),
        ("point", "(b)", "xx/s01", "Second lettered bullet about quartz."),
        ("action", "", "xx/s01", "A plain bullet about the harbour."),
    ]

"""Plain texts in the templates collections store them in (tests/text_factory.py), read unit by unit."""

import pytest

import text_factory
from policylab import read_document


def _read(tmp_path, text, name="doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, plan_id="xx")


def _rows(units):
    """(unit_id, level, label, parent_id) of each unit, NA as ''."""
    return [(u, lv, lb if isinstance(lb, str) else "", p if isinstance(p, str) else "")
            for u, lv, lb, p in zip(units.unit_id, units.level, units.label, units.parent_id)]


def test_hard_wrapped_act(tmp_path):
    units = _read(tmp_path, text_factory.hard_wrapped())
    assert _rows(units) == [
        ("xx/pre01", "preamble", "", ""), ("xx/pre02", "preamble", "", ""),
        ("xx/s01", "section", "SECTION 1", ""),
        ("xx/s02", "section", "SECTION 2", ""),
        ("xx/s02/pt01", "point", "(1)", "xx/s02"),
        ("xx/s02/pt02", "point", "(2)", "xx/s02"),
        ("xx/s02/pt02/pt01", "point", "(A)", "xx/s02/pt02"), ("xx/s02/pt02/pt02", "point", "(B)", "xx/s02/pt02"),
        ("xx/s02/pt03", "point", "(3)", "xx/s02"),
        ("xx/s03", "section", "SECTION 3", ""),
    ]
    # wrapped lines joined into one paragraph per item, the number only in the label
    assert units.text.iloc[4] == text_factory.filler(3, 24)
    assert units.attrs["structure"] == "structured"


def test_one_paragraph_per_line_with_roman_headings_word_headings_actions_and_tab_bullets(tmp_path):
    units = _read(tmp_path, text_factory.one_per_line())
    assert _rows(units) == [
        ("xx/title", "title", "", ""), ("xx/pre01", "preamble", "", "xx/title"),
        ("xx/p1", "part", "I", "xx/title"), ("xx/p1/par01", "paragraph", "", "xx/p1"),
        ("xx/p1/pt01", "point", "", "xx/p1"), ("xx/p1/pt02", "point", "", "xx/p1"),
        ("xx/p2", "part", "II", "xx/title"), ("xx/p2/par01", "paragraph", "", "xx/p2"),
        ("xx/p2/s01", "section", "GROUP 1", "xx/p2"), ("xx/p2/s01/par01", "paragraph", "", "xx/p2/s01"),
        ("xx/p2/s01/a01", "action", "Action 1", "xx/p2/s01"),
        ("xx/p2/s01/a01/par01", "paragraph", "", "xx/p2/s01/a01"),
        ("xx/p2/s01/a01/pt01", "point", "", "xx/p2/s01/a01"),
        ("xx/p2/s01/a01/pt01/pt01", "point", "", "xx/p2/s01/a01/pt01"),  # the '*' sub-item
        ("xx/p2/s01/a01/pt02", "point", "", "xx/p2/s01/a01"),
        ("xx/p2/s01/a02", "action", "Action 2", "xx/p2/s01"),
        ("xx/p2/s01/a02/par01", "paragraph", "", "xx/p2/s01/a02"),
        ("xx/p2/s02", "section", "GROUP 2", "xx/p2"), ("xx/p2/s02/par01", "paragraph", "", "xx/p2/s02"),
        ("xx/p2/s02/a01", "action", "Action 3", "xx/p2/s02"),
        ("xx/p2/s02/a01/par01", "paragraph", "", "xx/p2/s02/a01"),
    ]
    by_id = dict(zip(units.unit_id, units.text))
    assert by_id["xx/title"] == "PRETEND LANTERN STRATEGY"
    assert by_id["xx/p1"] == "Why Lanterns"  # "I." only in the label
    assert by_id["xx/p2/s01"] == "Kites"
    assert by_id["xx/p2/s01/a01"] == "Paint every pretend kite in seven colours"  # the line after "Action 1"


def test_numbered_chapters_and_sub_chapters_without_markup(tmp_path):
    units = _read(tmp_path, text_factory.numbered_headings())
    assert _rows(units) == [
        ("xx/title", "title", "", ""), ("xx/pre01", "preamble", "", "xx/title"),
        ("xx/p1", "part", "1", "xx/title"), ("xx/p1/par01", "paragraph", "", "xx/p1"),
        ("xx/p2", "part", "2", "xx/title"), ("xx/p2/par01", "paragraph", "", "xx/p2"),
        ("xx/p2/s01", "section", "2.1", "xx/p2"), ("xx/p2/s01/par01", "paragraph", "", "xx/p2/s01"),
        ("xx/p2/s01/par02", "paragraph", "", "xx/p2/s01"),
        ("xx/p2/s02", "section", "2.2", "xx/p2"), ("xx/p2/s02/par01", "paragraph", "", "xx/p2/s02"),
        ("xx/p3", "part", "3", "xx/title"), ("xx/p3/par01", "paragraph", "", "xx/p3"),
    ]
    by_id = dict(zip(units.unit_id, units.text))
    assert by_id["xx/p2/s01"] == "Kite factories"  # no stray "1" from "2.1"
    assert units.set_index("unit_id").loc["xx/p2/s01/par01", "part"] == "Building Pretend Things"
    assert units.set_index("unit_id").loc["xx/p2/s01/par01", "section"] == "Kite factories"


def test_fields_numbered_across_the_document_hold_items_restarting_in_each(tmp_path):
    units = _read(tmp_path, text_factory.fields_holding_items())
    assert _rows(units) == [
        ("xx/title", "title", "", ""), ("xx/pre01", "preamble", "", "xx/title"),
        ("xx/pre02", "preamble", "", "xx/title"),
        ("xx/p1", "part", "I", "xx/title"), ("xx/p1/par01", "paragraph", "", "xx/p1"),
        ("xx/p2", "part", "II", "xx/title"),
        ("xx/p2/s01", "section", "(1)", "xx/p2"),
        ("xx/p2/s01/pt01", "point", "1", "xx/p2/s01"), ("xx/p2/s01/pt02", "point", "2", "xx/p2/s01"),
        ("xx/p2/s02", "section", "(2)", "xx/p2"),
        ("xx/p2/s02/pt01", "point", "1", "xx/p2/s02"), ("xx/p2/s02/pt02", "point", "2", "xx/p2/s02"),
        ("xx/p3", "part", "III", "xx/title"),
        ("xx/p3/pt01", "point", "(3)", "xx/p3"), ("xx/p3/pt02", "point", "(4)", "xx/p3"),
    ]
    point = units.set_index("unit_id").loc["xx/p2/s01/pt01"]
    assert point.section == "Paint the kites" and point.text == text_factory.filler(3, 20)


def test_chinese_opinion_as_plain_text(tmp_path):
    units = _read(tmp_path, text_factory.chinese_opinions())
    assert _rows(units) == [
        ("xx/title", "title", "", ""), ("xx/pre01", "preamble", "", "xx/title"),
        ("xx/pre02", "preamble", "", "xx/title"), ("xx/pre03", "preamble", "", "xx/title"),
        ("xx/p1", "part", "一", "xx/title"), ("xx/p1/par01", "paragraph", "", "xx/p1"),
        ("xx/p2", "part", "二", "xx/title"),
        ("xx/p2/s01", "section", "（一）", "xx/p2"), ("xx/p2/s01/par01", "paragraph", "", "xx/p2/s01"),
        ("xx/p2/s01/pt01", "point", "1", "xx/p2/s01"),
        ("xx/p2/s01/pt01/pt01", "point", "（1）", "xx/p2/s01/pt01"),
        ("xx/p2/s01/pt01/pt02", "point", "（2）", "xx/p2/s01/pt01"),
        ("xx/p2/s01/pt02", "point", "2", "xx/p2/s01"),
        ("xx/p2/s01/ss01", "subsection", "专栏1", "xx/p2/s01"),
        ("xx/p2/s01/ss01/pt01", "point", "①", "xx/p2/s01/ss01"),
        ("xx/p2/s01/ss01/pt02", "point", "②", "xx/p2/s01/ss01"),
        ("xx/p2/pt01", "point", "（二）", "xx/p2"),  # a （二） with a sentence and no items is a point, as on gov.cn
        ("xx/p3", "part", "三", "xx/title"), ("xx/p3/par01", "paragraph", "", "xx/p3"),
    ]
    by_id = units.set_index("unit_id")
    assert by_id.loc["xx/p2/s01/pt01", "text"] == "这是第一个事项的占位说明。"
    assert by_id.loc["xx/p2/s01/pt01", "section"] == "第一个事项"  # a point's heading
    assert units.language.iloc[0] == "zh-Hans"


@pytest.mark.parametrize("make", [text_factory.hard_wrapped, text_factory.one_per_line,
                                  text_factory.numbered_headings, text_factory.fields_holding_items])
def test_windows_line_ends_read_the_same(tmp_path, make):
    unix = _read(tmp_path, make(), "unix.txt")
    windows = _read(tmp_path, make().replace("\n", "\r\n"), "windows.txt")
    assert _rows(windows) == _rows(unix) and windows.text.tolist() == unix.text.tolist()

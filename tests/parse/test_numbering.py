"""The numbering grammar shared by the readers: parse_number, resolve, nesting."""

import random

import pytest

from forked import run_forked
from policylab.parse.numbering import (
    Number,
    nesting,
    parse_number,
    parse_numbers,
    roman_value,
    zh_value,
)


@pytest.mark.parametrize("line, label, scheme, path, rest", [
    ("1. Introduction", "1", "arabic", (1,), "Introduction"),
    ("1.1 Deploy and scale", "1.1", "arabic", (1, 1), "Deploy and scale"),
    ("1.1. Deploy", "1.1", "arabic", (1, 1), "Deploy"),
    ("2.3.4Deep heading", "2.3.4", "arabic", (2, 3, 4), "Deep heading"),
    ("3 Chapter without a dot", "3", "arabic", (3,), "Chapter without a dot"),
    ("IV. Safeguards", "IV", "roman", (4,), "Safeguards"),
    ("(a) the first item", "(a)", "letter", (1,), "the first item"),
    ("b) the second item", "b)", "letter", (2,), "the second item"),
    ("(iv) a roman item", "(iv)", "roman_item", (4,), "a roman item"),
    ("(B) capital item", "(B)", "upper_letter_item", (2,), "capital item"),
    ("(2) a numbered item", "(2)", "arabic_paren", (2,), "a numbered item"),
    ("一、总体要求", "一", "zh", (1,), "总体要求"),
    ("十二、保障", "十二", "zh", (12,), "保障"),
    ("（三）加强组织", "（三）", "zh_paren", (3,), "加强组织"),
    ("1.第一个要点", "1", "arabic", (1,), "第一个要点"),
    ("（1）小项", "（1）", "arabic_paren", (1,), "小项"),
    ("② 圈号", "②", "circled", (2,), "圈号"),
    ("专栏3 测试工程", "专栏3", "box", (3,), "测试工程"),
    ("Box 3: Pretend box", "Box 3", "box_word", (3,), "Pretend box"),
    ("Section 1. Purpose", "Section 1", "section_word", (1,), "Purpose"),
    ("Sec. 2. Definitions", "Sec. 2", "section_word", (2,), "Definitions"),
    ("SEC. 104. Reports", "SEC. 104", "section_word", (104,), "Reports"),
    ("Part II: Pretend part", "Part II", "part_word", (2,), "Pretend part"),
    ("Article 7 Filler", "Article 7", "article_word", (7,), "Filler"),
    ("第三条 占位", "第三条", "article_word", (3,), "占位"),
    ("第二章 占位", "第二章", "chapter_word", (2,), "占位"),
    ("ACTION 4", "ACTION 4", "action_word", (4,), ""),
    ("PILLAR 2: Invented", "PILLAR 2", "part_word", (2,), "Invented"),
    ("GADGET 3: Invented heading", "GADGET 3", "gadget_word", (3,), "Invented heading"),
    ("Goal B2: Invented goal", "Goal B2", "goal_word", (2,), "Invented goal"),
    ("B2.1 Paint the kites", "B2.1", "prefixed", (2, 1), "Paint the kites"),
    ("Subtitle D—Invented", "Subtitle D", "subtitle_word", (4,), "Invented"),
    ("1.1\u2028Invented text", "1.1", "arabic", (1, 1), "Invented text"),
])
def test_numbers_as_printed(line, label, scheme, path, rest):
    assert parse_number(line) == Number(label, scheme, path, rest)


@pytest.mark.parametrize("line", [
    "1.5 million people", "2024 was a year", "3 days later", "e.g. a list", "i.e. that", "Figure 3: chart",
    "TABLE 2: figures", "Sections 2 and 3", "Part of the plan", "(see below)", "plain words", "", "   ",
    "12", "1,000 firms", "3.. dots", "第三方", "一是加强", "(USA) letters", "H. R. 3136", "Note 1: aside",
    "Section 1302 of the pretend act", "B2.1 lower case after it",
])
def test_not_numbers(line):
    assert parse_number(line) is None


def test_leading_white_space_is_ignored():
    assert parse_number("\t  (c) filler") == Number("(c)", "letter", (3,), "filler")


def test_numeral_values():
    assert [roman_value(t) for t in ("i", "iv", "IX", "XL", "MCMXC", "IIII", "VX", "abc")] == \
        [1, 4, 9, 40, 1990, None, None, None]
    assert [zh_value(t) for t in ("一", "十", "十一", "二十", "二十三", "一百零五", "〇")] == [1, 10, 11, 20, 23, 105, None]


def _schemes(lines):
    return [(n.label, n.scheme) for n in parse_numbers(lines)]


def test_letter_or_roman_from_neighbours():
    after_h = _schemes(["(g) x", "(h) x", "(i) x", "(j) x"])
    assert after_h[2] == ("(i)", "letter")
    roman = _schemes(["(a) x", "(i) x", "(ii) x", "(iii) x", "(iv) x", "(v) x", "(vi) x"])
    assert [s for _, s in roman[1:]] == ["roman_item"] * 6
    assert _schemes(["(u) x", "(v) x"])[1] == ("(v)", "letter")
    assert _schemes(["H. x", "I. x"])[1] == ("I", "upper_letter")
    assert _schemes(["I. x", "II. x"])[0] == ("I", "roman")
    assert parse_numbers(["(h) x", "(i) x"])[1].path == (9,)


def test_depth_from_the_numbering_not_from_order():
    # "1.1" before any "1" is still below "1"; "(a)" before the first "1." is still below it
    lines = ["1.1 Early", "(a) item", "1. Chapter", "1.1 Sub", "1.1.1 Subsub", "(a) item", "2. Chapter"]
    numbers = [parse_number(line) for line in lines]
    assert nesting(numbers) == [1, 3, 0, 1, 2, 3, 0]


def test_conventional_orders():
    zh = ["一、甲", "（一）乙", "1.丙", "（1）丁", "①戊", "二、己"]
    assert nesting([parse_number(x) for x in zh]) == [0, 1, 2, 3, 4, 0]
    en = ["I. Part", "1. Heading", "(a) item", "(i) sub-item", "(ii) sub-item", "II. Part"]
    assert nesting(parse_numbers(en)) == [0, 1, 2, 3, 3, 0]
    law = ["SEC. 2. Name", "(a) x", "(1) x", "(A) x", "(i) x", "(I) x", "(b) x", "SEC. 3. Name"]
    assert nesting(parse_numbers(law)) == [0, 1, 2, 3, 4, 5, 1, 0]


def test_restarts_override_the_convention():
    # "(1)" fields numbered across the document, each holding "1." items that restart
    lines = ["I. Part", "(1) Field", "1. item", "2. item", "(2) Field", "1. item", "II. Part", "(3) Field",
             "1. item", "(4) Field"]
    assert nesting(parse_numbers(lines)) == [0, 1, 2, 2, 1, 2, 0, 1, 2, 1]
    # the usual way round: "(1)" restarting inside "1." stays inside it
    usual = ["1. Heading", "(1) item", "(2) item", "2. Heading", "(1) item"]
    assert nesting(parse_numbers(usual)) == [0, 1, 1, 0, 1]


def test_box_holds_its_items():
    lines = ["（一）节", "1.项", "专栏1 框", "1.框内项", "2.框内项", "（二）节"]
    depths = nesting(parse_numbers(lines))
    assert depths[2] > depths[0] and depths[3] == depths[4] > depths[2] and depths[5] == depths[0]


def test_an_english_box_sits_in_the_section_it_is_printed_in():
    lines = ["1. Chapter", "1.1 Section", "Box 1: Inset", "1.2 Section", "2. Chapter", "2.1 Section", "Box 2: Inset"]
    assert nesting(parse_numbers(lines)) == [0, 1, 2, 1, 0, 1, 2]


def test_nesting_is_deterministic_and_consistent():
    rng = random.Random(5)
    pool = ["I. a", "II. b", "1. c", "1.1 d", "(a) e", "(1) f", "(i) g", "一、h", "（一）i", "专栏1 j", "① k",
            "Section 3. l", "SYSTEM 2: m"]
    for _ in range(200):
        numbers = [n for n in parse_numbers(rng.choices(pool, k=rng.randint(1, 30))) if n]
        depths = nesting(numbers)
        assert depths == nesting(list(numbers))
        assert len(depths) == len(numbers) and min(depths) == 0
        assert set(depths) == set(range(max(depths) + 1))  # no gaps
        by_key = {}
        for number, depth in zip(numbers, depths):
            assert by_key.setdefault((number.scheme, len(number.path)), depth) == depth


def test_parsing_is_linear_on_hostile_lines():
    hostile = ["1." * 50000, "(" * 100000, "I" * 100000 + ".", "1.1" + ".1" * 50000, "SEC. " * 20000,
               "第" * 100000, "一" * 100000 + "、", "A" * 100000 + " 1:", "\u2002" * 100000]
    # a hang guard, not a benchmark: a backtracking pattern takes minutes on these
    assert run_forked(lambda: [parse_number(line) for line in hostile] and None, timeout=5.0) is None

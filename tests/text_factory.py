"""Plain texts in the templates document collections store them in, filled with invented words.

Each function returns the text of one template; the tests read it and check the units
one by one. No sentence comes from a real document.
"""

from __future__ import annotations

import textwrap

FILLER = ("Pretend ministries promise copper kites to every lantern festival while velvet tunnels hum "
          "softly and seven committees count pebbles under a marmalade moon")


def filler(n: int, words: int = 18) -> str:
    """A sentence of invented words, different for each ``n``."""
    pool = FILLER.split()
    return " ".join(pool[(n * 5 + i) % len(pool)] for i in range(words)).capitalize() + "."


def hard_wrapped(width: int = 64) -> str:
    """An act hard-wrapped at ``width``, no blank lines: an enacting line, 'SECTION N.' paragraphs
    with an indented first line, and a section holding "(1)" items, one of which holds "(A)" items."""
    def para(text: str, indent: str = "       ") -> list[str]:
        lines = textwrap.wrap(text, width - len(indent))
        return [indent + lines[0], *(" " + line for line in lines[1:])]

    lines = [" AN ACT", " relating to pretend lanterns and imaginary kites.", "        BE IT ENACTED BY THE PRETEND COUNCIL:"]
    lines += para(f"SECTION 1. {filler(1, 30)}")
    lines += para(f"SECTION 2. {filler(2, 12)} In this act:")
    lines += para(f"(1) {filler(3, 24)}", "             ")
    lines += para(f"(2) {filler(4, 20)} includes:", "             ")
    lines += para(f"(A) {filler(5, 14)}", "                   ")
    lines += para(f"(B) {filler(6, 14)}", "                   ")
    lines += para(f"(3) {filler(7, 22)}", "             ")
    lines += para(f"SECTION 3. {filler(8, 26)}")
    return "\n".join(lines) + "\n"


def one_per_line() -> str:
    """A strategy with one paragraph per line and blank lines between: a title, roman headings
    'I.', 'WORD N:' headings holding 'Action N' lines (each followed by its short title) and
    tab bullets, with a second bullet character for sub-items."""
    lines = ["PRETEND LANTERN STRATEGY", "", filler(1, 30), "",
             "I. Why Lanterns", "", filler(2, 26), "", f"-\t{filler(3, 12)}", "", f"-\t{filler(4, 12)}", "",
             "II. Our Plan", "", filler(5, 28), "",
             "GROUP 1: Kites", "", filler(6, 24), "",
             "Action 1", "", "Paint every pretend kite in seven colours", "", filler(7, 26), "",
             f"-\t{filler(8, 10)}", "", f"*\t{filler(9, 8)}", "", f"-\t{filler(10, 10)}", "",
             "Action 2", "", "Count the pebbles twice before dawn", "", filler(11, 20), "",
             "GROUP 2: Tunnels", "", filler(12, 22), "",
             "Action 3", "", "Teach the tunnels a minor key", "", filler(13, 20), ""]
    return "\n".join(lines)


def numbered_headings() -> str:
    """A communication with '1.' chapters and '1.1' sub-chapters written without '#', one
    paragraph per line, no blank lines."""
    lines = ["A Pretend Communication on Lanterns", filler(1, 30),
             "1. Introduction", filler(2, 26),
             "2. Building Pretend Things", filler(3, 24),
             "2.1 Kite factories", filler(4, 26), filler(5, 20),
             "2.2 Tunnel skills", filler(6, 22),
             "3. Conclusions", filler(7, 24)]
    return "\n".join(lines) + "\n"


def fields_holding_items() -> str:
    """Opinions in translation: roman parts, '(N)' fields numbered across the document that
    hold '1.' items restarting in each field; in a later part the '(N)' entries are items."""
    lines = ["Opinions of the Pretend Council on Lanterns", "", "Pretend Council [2030] Document No. 7", "",
             filler(1, 30), "", "I. General Requirements", "", filler(2, 28), "",
             "II. Key Actions", "", "(1) Lanterns for Kites", "",
             f"1. Paint the kites. {filler(3, 20)}", "", f"2. Count the kites. {filler(4, 20)}", "",
             "(2) Lanterns for Tunnels", "", f"1. Tune the tunnels. {filler(5, 20)}", "",
             f"2. Light the tunnels. {filler(6, 20)}", "",
             "III. Support", "", f"(3) Fund the pebbles. {filler(7, 22)}", "",
             f"(4) Train the committees. {filler(8, 22)}", ""]
    return "\n".join(lines)


def chinese_opinions() -> str:
    """A State Council opinion saved as plain text, one paragraph per line: 一、 parts, （一） sections,
    1. items holding （1） sub-items, a 专栏 box holding ① items."""
    lines = ["测试院关于测试工作的意见", "测发〔2030〕7号", "各测试单位：", "这是一段占位的序言文字，说明测试意见的背景。",
             "一、总体要求", "这是总体要求之下的占位段落。",
             "二、重点任务", "（一）推进测试工作。这是第一节的占位正文。",
             "1.第一个事项。这是第一个事项的占位说明。", "（1）细项甲。占位文字。", "（2）细项乙。占位文字。",
             "2.第二个事项。这是第二个事项的占位说明。", "专栏1 测试工程", "①工程甲。占位说明。", "②工程乙。占位说明。",
             "（二）完善测试机制。这是第二节的占位正文，其下没有事项。",
             "三、保障措施", "这是保障措施之下的占位段落。"]
    return "\n".join(lines) + "\n"

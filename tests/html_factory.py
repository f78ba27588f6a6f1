"""Synthetic pages in the MFA article template, filled with invented text.

The 2025 Action Plan pages are not available here; these pages reproduce the template
(title, date, body paragraphs) with placeholder sentences of our own.
"""

from __future__ import annotations

ZH_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]


def mfa_page(title: str, paragraphs: list[str], *, date: str = "2025-07-26 10:00", url: str = "") -> str:
    body = "\n".join(f'<p style="text-indent: 2em;">{p}</p>' for p in paragraphs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="Url" content="{url}" /><title>{title}_site</title></head>
<body><div class="header"><div class="lan"><a href="/eng/">English</a></div></div>
<div class="news-details"><div class="news-title"><h1>{title}</h1>
<p class="time"><span>{date}</span></p></div>
<div class="news-main" id="News_Body_Txt_A"><div class="view_default TRS_UEDITOR">
{body}
</div></div></div>
<div class="flink"><ul><li><a href="#">相关链接</a></li></ul></div></body></html>"""


def action_plan_zh(points: int = 13) -> str:
    """A Chinese page shaped like the 2025 plan: two preamble paragraphs, numbered points."""
    paragraphs = ["这是第一段测试用的序言文字，内容为占位。", "这是第二段测试用的序言文字，列出若干原则。"]
    paragraphs += [f"{ZH_NUMERALS[i]}、测试要点标题{i + 1}。这里是第{i + 1}项的占位正文，仅供解析测试使用。"
                   for i in range(points)]
    return mfa_page("测试行动计划", paragraphs)


def action_plan_en(points: int = 13) -> str:
    """The English counterpart: '1. Heading. Body' paragraphs."""
    paragraphs = ["A first placeholder preamble paragraph written for tests.",
                  "A second placeholder paragraph naming some principles."]
    paragraphs += [f"{i + 1}. Placeholder heading number {i + 1}. Body text for item {i + 1} goes here, "
                   "invented for the parser tests." for i in range(points)]
    return mfa_page("Test Action Plan", paragraphs, date="2025-07-29 09:00")

"""The HTML reader: the MFA Initiative page (when present), synthetic 2025 pages, other pages."""

import pytest

from conftest import CN_2023_HTML, needs_cn_2023
from html_factory import action_plan_en, action_plan_zh, mfa_page
from policylab import read_document
from policylab.errors import NoBodyError


@needs_cn_2023
def test_mfa_initiative_page_has_title_date_preamble_and_eleven_points():
    units = read_document(CN_2023_HTML)
    assert units.attrs["plan_id"] == "cn-gaigi-2023"
    assert units.attrs["date"] == "2023-10-20"
    assert units.language.unique().tolist() == ["zh-Hans"]
    assert units.level.tolist() == ["title"] + ["preamble"] * 4 + ["point"] * 11
    assert units.text.iloc[0] == "全球人工智能治理倡议"
    points = units[units.level == "point"]
    assert points.unit_id.tolist() == [f"cn-gaigi-2023/pt{n:02d}" for n in range(1, 12)]
    assert units.label.isna().all()  # items start with a dash, not a number
    assert not points.text.str.startswith("—").any()
    assert units.page.isna().all()


def _read(tmp_path, name, html, plan_id):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return read_document(path, plan_id=plan_id)


def test_chinese_action_plan_points_split_heading_from_text(tmp_path):
    units = _read(tmp_path, "zh.html", action_plan_zh(), "cn-gaigap-2025")
    points = units[units.level == "point"]
    assert len(points) == 13
    assert points.label.tolist() == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
    assert points.section.tolist() == [f"测试要点标题{i}" for i in range(1, 14)]
    assert points.text.iloc[10].startswith("这里是第11项")
    assert units[units.level == "preamble"].unit_id.tolist() == ["cn-gaigap-2025/pre01", "cn-gaigap-2025/pre02"]


def test_english_and_chinese_editions_share_unit_ids(tmp_path):
    zh = _read(tmp_path, "zh.html", action_plan_zh(), "cn-gaigap-2025")
    en = _read(tmp_path, "en.html", action_plan_en(), "cn-gaigap-2025")
    assert zh.unit_id.tolist() == en.unit_id.tolist()
    assert en.language.iloc[0] == "en" and zh.language.iloc[0] == "zh-Hans"
    en_points = en[en.level == "point"]
    assert en_points.section.iloc[0] == "Placeholder heading number 1"
    assert en_points.label.tolist() == [str(n) for n in range(1, 14)]
    assert en_points.text.iloc[0].startswith("Body text for item 1")


def test_news_lead_line_and_repeated_title_are_dropped(tmp_path):
    html = mfa_page("测试计划", ["新华社上海7月26日电 某会议发布测试计划。全文如下：", "测试计划",
                                "序言占位文字。", "一、标题甲。正文占位。"])
    units = _read(tmp_path, "lead.html", html, "demo-plan-2025")
    assert units.level.tolist() == ["title", "preamble", "point"]


def test_other_html_uses_article_headings_and_chinese_numbering(tmp_path):
    html = """<html><body><nav><p>Menu entry</p></nav><article>
    <h1>Made-up Strategy</h1><p>Opening words of an invented strategy.</p>
    <h2>Chapter One</h2><h3>Compute</h3><p>Paragraph under compute.</p>
    <ul><li>First bullet step.</li><li>Second bullet step.</li></ul>
    <h3>Talent</h3><p>Paragraph under talent.</p></article></body></html>"""
    units = _read(tmp_path, "article.html", html, "xx-made-2025")
    assert units.level.tolist() == ["title", "preamble", "part", "section", "paragraph", "action", "action",
                                    "section", "paragraph"]
    assert units.unit_id.iloc[5] == "xx-made-2025/p1/s01/a01"
    assert units.section.iloc[8] == "Talent"
    zh = """<html><body><div><p>一、总体要求</p><p>（一）基本原则</p><p>占位的段落文字，用于测试结构。</p>
    <p>（二）主要目标</p><p>另一段占位文字。</p><p>二、重点任务</p><p>第三段占位文字。</p></div></body></html>"""
    units = _read(tmp_path, "zh-other.html", zh, "xx-zh-2025")
    assert units.level.tolist() == ["part", "section", "paragraph", "section", "paragraph", "part", "paragraph"]
    assert units.part.tolist()[-1] == "重点任务"
    assert units.label.fillna("").tolist() == ["一", "（一）", "", "（二）", "", "二", ""]


def test_page_without_a_body_is_refused_with_its_name(tmp_path):
    path = tmp_path / "empty-shell.html"
    path.write_text("<html><head><title>x</title></head><body><script>var a=1;</script></body></html>")
    with pytest.raises(NoBodyError, match="empty-shell.html"):
        read_document(path)

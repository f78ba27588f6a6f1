"""The HTML reader: the MFA Initiative page (when present), synthetic 2025 pages, other pages."""

import pytest

from conftest import CN_2023_HTML, needs_cn_2023
from html_factory import (
    action_plan_en,
    action_plan_zh,
    mfa_page,
    state_council_page,
    strategy_page,
)
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


def _rows(units):
    return list(zip(units.unit_id, units.level, units.label.fillna(""), units.parent_id.fillna(""), units.text))


def test_state_council_article_page_nests_items_in_sections_and_box_items_in_the_box(tmp_path):
    units = _read(tmp_path, "content_7000001.htm", state_council_page(), "xx")
    assert [row[:4] for row in _rows(units)] == [
        ("xx/title", "title", "", ""),
        ("xx/pre01", "preamble", "", "xx/title"),
        ("xx/p1", "part", "一", "xx/title"),
        ("xx/p1/par01", "paragraph", "", "xx/p1"),
        ("xx/p2", "part", "二", "xx/title"),
        ("xx/p2/s01", "section", "（一）", "xx/p2"),
        ("xx/p2/s01/par01", "paragraph", "", "xx/p2/s01"),
        ("xx/p2/s01/pt01", "point", "1", "xx/p2/s01"),
        ("xx/p2/s01/pt02", "point", "2", "xx/p2/s01"),
        ("xx/p2/s01/ss01", "subsection", "专栏1", "xx/p2/s01"),  # the box, read once (not also as a table row)
        ("xx/p2/s01/ss01/pt01", "point", "1", "xx/p2/s01/ss01"),
        ("xx/p2/s01/ss01/pt02", "point", "2", "xx/p2/s01/ss01"),
        ("xx/p2/s02", "section", "（二）", "xx/p2"),
        ("xx/p2/s02/par01", "paragraph", "", "xx/p2/s02"),
        ("xx/p2/s02/pt01", "point", "1", "xx/p2/s02"),
        ("xx/p3", "part", "三", "xx/title"),
        ("xx/p3/par01", "paragraph", "", "xx/p3"),
    ]
    texts = dict(zip(units.unit_id, units.text))
    assert texts["xx/title"] == "测试院关于印发测试规划的通知"
    assert texts["xx/p2/s01"] == "推进测试工作" and texts["xx/p2/s01/ss01"] == "测试工程"
    assert texts["xx/p2/s01/pt01"] == "这是第一个事项的占位说明文字。"
    assert not units.text.str.contains("首页|当前位置|相关稿件|主办单位|纠错|打印|来源").any()
    assert units.attrs["structure"] == "structured"


def test_strategy_page_with_numbered_paragraphs_for_headings_nests_without_its_site(tmp_path):
    units = _read(tmp_path, "strategy.html", strategy_page(), "xx")
    assert [row[:4] for row in _rows(units)] == [
        ("xx/title", "title", "", ""),
        ("xx/pre01", "preamble", "", "xx/title"),
        ("xx/p1", "part", "1", "xx/title"),
        ("xx/p1/par01", "paragraph", "", "xx/p1"),
        ("xx/p1/s01", "section", "1.1", "xx/p1"),
        ("xx/p1/s01/par01", "paragraph", "", "xx/p1/s01"),
        ("xx/p1/s01/pt01", "point", "1", "xx/p1/s01"),  # <ol> items: labelled by the list's numbering
        ("xx/p1/s01/pt02", "point", "2", "xx/p1/s01"),
        ("xx/p1/s01/ss01", "subsection", "Box 1", "xx/p1/s01"),  # the inset, in the section it is printed in
        ("xx/p1/s01/ss01/a01", "action", "", "xx/p1/s01/ss01"),
        ("xx/p1/s01/ss01/a02", "action", "", "xx/p1/s01/ss01"),
        ("xx/p1/s02", "section", "1.2", "xx/p1"),
        ("xx/p1/s02/pt01", "point", "(a)", "xx/p1/s02"),
        ("xx/p1/s02/pt02", "point", "(b)", "xx/p1/s02"),
        ("xx/p2", "part", "2", "xx/title"),
        ("xx/p2/par01", "paragraph", "", "xx/p2"),
        ("xx/p2/pt01", "point", "4", "xx/p2"),  # <ol start="4">
        ("xx/p2/pt02", "point", "5", "xx/p2"),
        ("xx/p2/a01", "action", "", "xx/p2"),
        ("xx/p2/a02", "action", "", "xx/p2"),
    ]
    texts = dict(zip(units.unit_id, units.text))
    assert texts["xx/p1"] == "Build the lantern base" and texts["xx/p1/s02"] == "Gravel paths"
    assert texts["xx/p1/s01/ss01"] == "Lantern facts"
    assert texts["xx/p1/par01"] == "Chapter text about gravel paths and the moonlight, see the annex for more."
    assert texts["xx/p1/s02/pt01"] == "Lay gravel where the heron nests were found last spring by the keepers."
    assert texts["xx/p2/pt01"] == "Open the harbour lanterns to every visiting boat."
    assert not units.text.str.contains("cookies|Home|You are here|Share this page|Latest news|Example Street").any()


def test_numbered_paragraphs_sit_in_the_heading_tags_they_follow(tmp_path):
    html = """<html><body><nav><ul><li><a href="/">Home</a></li></ul></nav><main><h1>Filler Consultation</h1>
    <h2>Introduction</h2><p>1.1 The keepers will review the lantern rules in every harbour this year.</p>
    <p>1.2 The review covers quartz, gravel and the tunnels under the meadow.</p>
    <h2>Proposals</h2><p>2.1 We propose that every keeper registers a lantern before winter.</p>
    <h3>Costs</h3><p>2.2 Costs fall on the keepers first and on the harbour board later.</p></main></body></html>"""
    units = _read(tmp_path, "consultation.html", html, "xx")
    assert [row[1:4] for row in _rows(units)] == [
        ("title", "", ""), ("part", "", "xx/title"), ("point", "1.1", "xx/p1"), ("point", "1.2", "xx/p1"),
        ("part", "", "xx/title"), ("point", "2.1", "xx/p2"), ("section", "", "xx/p2"), ("point", "2.2", "xx/p2/s01")]
    assert units.text.iloc[2] == "The keepers will review the lantern rules in every harbour this year."


def test_html_list_numbering_as_the_browser_shows_it():
    import lxml.html

    from policylab.parse.site import tree_blocks

    body = lxml.html.fromstring('<div><ol type="a" start="3"><li>Filler one</li><li>Filler two</li></ol>'
                                '<ol type="i"><li>Filler three</li><li value="9">Filler four</li><li>Filler five</li></ol>'
                                "<ul><li>(d) Filler six</li><li>Filler seven</li></ul></div>")
    assert [(b.label, b.text) for b in tree_blocks(body)] == [
        ("c", "Filler one"), ("d", "Filler two"), ("i", "Filler three"), ("ix", "Filler four"), ("x", "Filler five"),
        ("(d)", "Filler six"), (None, "Filler seven")]


def test_page_without_a_body_is_refused_with_its_name(tmp_path):
    path = tmp_path / "empty-shell.html"
    path.write_text("<html><head><title>x</title></head><body><script>var a=1;</script></body></html>")
    with pytest.raises(NoBodyError, match="empty-shell.html"):
        read_document(path)

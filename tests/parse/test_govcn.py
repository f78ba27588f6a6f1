"""The State Council policy-library template on gov.cn, on pages generated with invented filler."""

import re

from html_factory import GOVCN_FACTS, govcn_opinions, govcn_page, govcn_plan
from policylab import read_document
from policylab.parse.govcn import iso_date


def _read(tmp_path, html, name="content_0000001.htm"):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return read_document(path, plan_id="xx-opinion-2030")


def test_metadata_table_goes_into_attrs(tmp_path):
    units = _read(tmp_path, govcn_opinions())
    assert units.attrs["issuer"] == "测试院"
    assert units.attrs["document_number"] == "测发〔2030〕7号"
    assert units.attrs["date_written"] == "2030-03-05"
    assert units.attrs["date"] == "2030-03-09"
    assert units.text.iloc[0] == "测试院关于深入实施测试行动的意见"  # the 标题 row, not the site's <title>


def test_numbered_parts_sections_and_points_with_their_printed_labels(tmp_path):
    units = _read(tmp_path, govcn_opinions())
    assert units.level.tolist() == ["title", "preamble", "preamble", "part", "paragraph", "part", "section",
                                    "point", "point", "section", "point", "part", "point"]
    assert units.label.fillna("").tolist() == ["", "", "", "一", "", "二", "（一）", "1", "2", "（二）", "1", "三",
                                               "（一）"]
    points = units[units.level == "point"]
    assert points.unit_id.tolist() == ["xx-opinion-2030/p2/s01/pt01", "xx-opinion-2030/p2/s01/pt02",
                                       "xx-opinion-2030/p2/s02/pt01", "xx-opinion-2030/p3/pt01"]
    assert points.section.tolist() == ["第一个要点", "第二个要点", "第三个要点", "加强组织"]
    assert points.text.iloc[0] == "这是第一个要点的占位说明文字。"


def test_notice_lines_that_are_not_text_are_dropped(tmp_path):
    units = _read(tmp_path, govcn_opinions())
    for furniture in (GOVCN_FACTS["发文字号"], GOVCN_FACTS["发文机关"], "2030年3月5日", "（此件公开发布）"):
        assert furniture not in units.text.tolist()
    assert "各测试单位：" in units.text.tolist()
    assert not units.text.str.contains("首页|主办单位|来源").any()


def test_page_without_metadata_table_still_reads(tmp_path):
    html = govcn_page("测试通知", ["一、第一部分", "占位文字，用来测试没有元数据的页面。"])
    html = re.sub(r'<div class="policyLibraryOverview_header">.*?</div>', "", html, flags=re.DOTALL)
    units = _read(tmp_path, html)
    assert units.level.tolist() == ["title", "part", "paragraph"]
    assert units.text.iloc[0] == "测试通知"  # from <title>, without the site's suffixes
    assert not {"issuer", "document_number", "date_written"} & set(units.attrs)


def test_dates_as_the_site_prints_them():
    assert iso_date("2017年07月08日") == "2017-07-08"
    assert iso_date("2025-8-21") == "2025-08-21"
    assert iso_date("国务院") is None


def test_metadata_label_and_value_in_one_cell(tmp_path):
    html = govcn_page("测试通知", ["一、第一部分", "占位文字，用来测试同一单元格里的元数据。"])
    html = html.replace('<b>发文字号：</b></td><td class="b12">', "<b>发文字号：</b>")
    units = _read(tmp_path, html)
    assert units.attrs["document_number"] == GOVCN_FACTS["发文字号"]
    assert units.attrs["issuer"] == GOVCN_FACTS["发文机关"]


def test_sections_hold_their_items_and_boxes_hold_theirs(tmp_path):
    units = _read(tmp_path, govcn_plan())
    rows = list(zip(units.unit_id, units.level, units.label.fillna(""), units.parent_id.fillna(""), units.text))
    plan = "xx-opinion-2030"
    assert [row[:4] for row in rows] == [
        (f"{plan}/title", "title", "", ""),
        (f"{plan}/pre01", "preamble", "", f"{plan}/title"),
        (f"{plan}/p1", "part", "一", f"{plan}/title"),
        (f"{plan}/p1/par01", "paragraph", "", f"{plan}/p1"),
        (f"{plan}/p2", "part", "二", f"{plan}/title"),
        (f"{plan}/p2/s01", "section", "（一）", f"{plan}/p2"),
        (f"{plan}/p2/s01/par01", "paragraph", "", f"{plan}/p2/s01"),
        (f"{plan}/p2/s01/pt01", "point", "1", f"{plan}/p2/s01"),
        (f"{plan}/p2/s01/pt02", "point", "2", f"{plan}/p2/s01"),
        (f"{plan}/p2/s01/ss01", "subsection", "专栏1", f"{plan}/p2/s01"),
        (f"{plan}/p2/s01/ss01/pt01", "point", "1", f"{plan}/p2/s01/ss01"),
        (f"{plan}/p2/s01/ss01/pt02", "point", "2", f"{plan}/p2/s01/ss01"),
        (f"{plan}/p2/s02", "section", "（二）", f"{plan}/p2"),
        (f"{plan}/p2/s02/par01", "paragraph", "", f"{plan}/p2/s02"),
        (f"{plan}/p2/s02/pt01", "point", "1", f"{plan}/p2/s02"),
        (f"{plan}/p3", "part", "三", f"{plan}/title"),
        (f"{plan}/p3/par01", "paragraph", "", f"{plan}/p3"),
    ]
    texts = {row[0]: row[4] for row in rows}
    assert texts[f"{plan}/p2/s01"] == "推进测试工作"  # the heading; its body is the paragraph below
    assert texts[f"{plan}/p2/s01/ss01"] == "测试工程"  # the number is the label, not repeated in the text
    assert texts[f"{plan}/p2/s01/ss01/pt01"] == "占位说明文字。"
    assert units.attrs["structure"] == "structured"

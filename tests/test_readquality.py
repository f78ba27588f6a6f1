"""What readers produce, measured: verdicts, depth, words kept, site chrome, and the warnings
and intervals that follow from them. Documents are invented filler in the templates' shape."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import policylab as pl
from conftest import (
    CN_2023_HTML,
    UK_HTML,
    US_PDF,
    needs_cn_2023,
    needs_uk_html,
    needs_us_pdf,
)
from policylab import compare, readquality
from policylab.readquality import ReadingWarning, count_words, describe
from policylab.units import Unit, to_frame

FILLER = "The council will review the programme each year and publish what it finds."


def _frame(units, plan_id="xx-plan", language="en", **attrs):
    frame = to_frame([Unit(*u) for u in units], plan_id=plan_id, language=language)
    frame.attrs.update(attrs)
    return frame


def structured(plan_id="xx-plan", **attrs):
    """Title; two parts of two sections each, each section holding three numbered points; a footnote."""
    units = [(f"{plan_id}/title", "title", "A Plan for Filler", None)]
    for p in (1, 2):
        part = f"{plan_id}/p{p}"
        units.append((part, "part", f"Pillar {p}", f"{plan_id}/title", None, None, None, str(p)))
        for s in (1, 2):
            section = f"{part}/s{s:02d}"
            units.append((section, "section", f"Heading {p}.{s}", part, None, None, None, f"{p}.{s}"))
            units += [(f"{section}/pt{i:02d}", "point", f"{FILLER} Item {i}.", section, None, None, None, f"({i})")
                      for i in (1, 2, 3)]
    units.append((f"{plan_id}/fn01", "footnote", "See https://example.org/report for the data.",
                  f"{plan_id}/p1/s01/pt01"))
    return _frame(units, plan_id, **attrs)


def flat(plan_id="xx-flat", n=41, **attrs):
    """Paragraphs one after another under a title, nothing numbered."""
    units = [(f"{plan_id}/title", "title", "Notes on Filler", None)]
    units += [(f"{plan_id}/pre{i:02d}", "preamble", f"{FILLER} Paragraph {i}.", f"{plan_id}/title") for i in range(n)]
    return _frame(units, plan_id, **attrs)


def site_page(plan_id="xx-site"):
    """A page saved with its menu, link lists and cookie banner among three paragraphs of content."""
    menu = ["Home", "About us", "News", "Publications", "Contact", "Services", "Careers", "Events",
            "Press office", "Data", "Search"]
    texts = [*menu, "[Read the plan](/plans/filler)", "[Latest news](https://example.org/news)",
             "[Consultations](/consultations)", f"{FILLER} One.", f"{FILLER} Two.", f"{FILLER} Three.",
             "We use cookies to make this site work. Accept all cookies", "Was this page useful? Yes No"]
    units = [(f"{plan_id}/pre{i:02d}", "preamble", text, None) for i, text in enumerate(texts)]
    return _frame(units, plan_id)


# --- describe: verdict, depth, words ---------------------------------------------------------


def test_a_structured_document_gets_its_counts_per_level_and_its_depth():
    info = describe(structured())
    assert info["structure"] == "structured" and info["depth"] == 3  # part > section > point
    assert info["units_per_level"] == {"title": 1, "part": 2, "section": 4, "point": 12, "footnote": 1}
    assert info["verdict"] == "structured: 2 parts, 4 sections, 12 points"
    assert info["chrome"] == []  # the footnote's link is a citation, not chrome


def test_a_flat_document_says_no_numbering_was_found():
    info = describe(flat(n=41))
    assert info["structure"] == "flat" and info["depth"] == 1
    assert info["verdict"] == "flat: 41 paragraphs, no numbering found"
    one = describe(flat(n=1))
    assert one["verdict"] == "flat: 1 paragraph, no numbering found"


def test_the_readers_word_on_structure_is_kept():
    assert describe(flat(structure="structured"))["structure"] == "structured"
    assert describe(structured(structure="flat"))["verdict"].startswith("flat: ")


def test_share_of_words_kept_needs_the_words_of_the_file():
    frame = flat(n=4)
    words = describe(frame)["words_in_units"]
    assert describe(frame)["words_kept_share"] is None and describe(frame)["words_dropped_share"] is None
    frame.attrs["words_in_file"] = 4 * words
    info = describe(frame)
    assert (info["words_kept_share"], info["words_dropped_share"]) == (0.25, 0.75)


def test_words_are_counted_by_spaces_and_chinese_by_character():
    assert count_words("Open  source\tmodels, 2025.") == 4
    assert count_words("人工智能治理 AI 2023年", "zh-Hans") == 6 + 1 + 2
    with_labels = describe(structured())["words_in_units"]
    without = sum(count_words(t) for t in structured()["text"])
    assert with_labels == without + 2 + 4 + 12  # the printed numbers are words of the file too


# --- site chrome -----------------------------------------------------------------------------


def test_site_chrome_is_found_by_links_menus_and_boilerplate():
    info = describe(site_page())
    assert len(info["chrome"]) == 3
    links, menu, phrases = info["chrome"]
    assert links.startswith("3 of 19 units hold link markup")
    assert menu.startswith("a menu-like run of 14 units")  # the menu, then the lists of links
    assert phrases.startswith("2 unit(s) of web-page boilerplate")
    assert info["verdict"].startswith("flat: 19 paragraphs, no numbering found; site chrome: 3 of 19 units")


def test_a_document_that_discusses_cookies_or_lists_short_items_is_not_chrome():
    units = [("x/title", "title", "Filler", None)]
    units += [(f"x/s{i:02d}", "section", f"Sector {i}", "x/title") for i in range(9)]  # 9 short headings: below a menu
    units.append(("x/par01", "paragraph", " ".join([FILLER] * 3) + " Sites must ask before they accept all cookies.",
                  "x/s08"))
    assert describe(_frame(units, "x"))["chrome"] == []


# --- read_document and the official files ------------------------------------------------------


def test_read_document_puts_the_verdict_in_attrs(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("\n\n".join(f"{FILLER} Paragraph {i}." for i in range(5)), encoding="utf-8")
    frame = pl.read_document(path)
    assert frame.attrs["structure"] == "flat" and frame.attrs["verdict"].startswith("flat: ")
    assert frame.attrs["units_per_level"] and frame.attrs["depth"] == 1 and frame.attrs["chrome"] == []


@pytest.mark.parametrize("path, plan_id", [
    pytest.param(US_PDF, "us-aap-2025", marks=needs_us_pdf),
    pytest.param(UK_HTML, "gb-aiop-2025", marks=needs_uk_html),
    pytest.param(CN_2023_HTML, "cn-gaigi-2023", marks=needs_cn_2023)])
def test_the_hand_coded_plans_read_structured_and_without_chrome(path, plan_id):
    frame = pl.read_document(path, plan_id=plan_id)
    assert frame.attrs["structure"] == "structured" and frame.attrs["chrome"] == []
    assert frame.attrs["verdict"].startswith("structured: ")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReadingWarning)
        pl.code_plan(frame)


# --- warnings where it matters ----------------------------------------------------------------


def _coded(frame, themes=("data", "", "open_source")):
    """A unit table with the coded edition's columns, codes cycling through ``themes``."""
    coded = frame.copy()
    coded["themes"] = pd.array([themes[i % len(themes)] for i in range(len(coded))], dtype="string")
    coded["orientation"] = pd.array(["development", "safety", "neither"] * (len(coded) // 3 + 1), dtype="string")[
        :len(coded)]
    coded["basis"], coded["actors"], coded["instruments"] = "tagger", pd.NA, pd.NA
    return coded


def test_code_plan_warns_naming_a_plan_read_flat():
    with pytest.warns(ReadingWarning, match=r"code_plan: plan 'xx-flat' was read flat \(no parts, sections"):
        pl.code_plan(flat())


def test_code_plan_warns_naming_a_plan_that_holds_site_chrome():
    with pytest.warns(ReadingWarning, match=r"plan 'xx-site' .*still holds site chrome \(3 of 19 units"):
        pl.code_plan(site_page())


def test_compare_functions_warn_naming_only_the_misread_plans():
    corpus = pd.concat([_coded(structured("aa-good")), _coded(flat("bb-flat")), _coded(site_page("cc-site"))],
                       ignore_index=True)
    for function in (compare.theme_shares, compare.balance):
        with pytest.warns(ReadingWarning) as caught:
            function(corpus, n_boot=50)
        named = sorted(str(w.message).split("'")[1] for w in caught if w.category is ReadingWarning)
        assert named == ["bb-flat", "cc-site"], function.__name__
        assert all(str(w.message).startswith(f"{function.__name__}: plan ") for w in caught)
    with pytest.warns(ReadingWarning) as caught:
        compare.contrast(corpus, "aa-good", "bb-flat", n_boot=50, n_perm=50)
    assert [str(w.message).split("'")[1] for w in caught if w.category is ReadingWarning] == ["bb-flat"]


def test_well_read_plans_and_the_coded_edition_pass_without_a_warning():
    corpus = pd.concat([pl.load_corpus(source="coded"), _coded(structured("aa-good"))], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReadingWarning)
        compare.theme_shares(corpus, n_boot=50)
        compare.balance(corpus, n_boot=50)
        compare.contrast(corpus, "us-aap-2025", "aa-good", n_boot=50, n_perm=50)


# --- intervals of a plan read flat: blocks of consecutive units ---------------------------------


def test_a_flat_plan_is_resampled_in_blocks_of_consecutive_units_and_ci_method_says_so():
    coded = _coded(flat(n=60), themes=("data",) * 3 + ("",) * 3)
    units = compare.provisions(coded)
    with pytest.warns(ReadingWarning, match="'xx-flat' was read flat"):
        shares = compare.theme_shares(coded, themes=["data"], n_boot=200, correct=False)
    size = math.ceil(math.sqrt(60))  # 8
    blocks = units.groupby("cluster", sort=False).unit_id.apply(list).tolist()
    assert [len(b) for b in blocks] == [size] * 7 + [60 - 7 * size]
    assert blocks[0] == units.unit_id.tolist()[:size]  # consecutive, in reading order
    assert shares.ci_method.item() == f"block bootstrap (8 blocks of {size} consecutive units)"
    assert shares.n_clusters.item() == 8


def test_a_flat_plans_interval_is_about_as_wide_as_with_its_sections_and_wider_than_single_units():
    # 150 plans of 16 sections (3-9 provisions each); a section's share of the theme varies
    # (beta 0.6, 1.4: intra-section correlation 1/3). Each plan three times: read with its
    # sections, read flat (blocks), and with every provision a numbered point (single units).
    rng = np.random.default_rng(7)
    frames = {"sections": [], "flat": [], "points": []}
    for run in range(150):
        sizes = rng.integers(3, 10, size=16)
        section = np.repeat(np.arange(16), sizes)
        themes = np.where(rng.random(len(section)) < rng.beta(0.6, 1.4, size=16)[section], "data", "")
        plan = f"x{run}"
        base = pd.DataFrame({"plan_id": plan, "unit_id": [f"{plan}/u{i:03d}" for i in range(len(section))],
                             "parent_id": f"{plan}/title", "level": "paragraph", "part": pd.NA,
                             "themes": pd.array(themes, dtype="string")})
        heads = pd.DataFrame({"plan_id": plan, "unit_id": [f"{plan}/s{s:02d}" for s in range(16)],
                              "parent_id": f"{plan}/title", "level": "section"})
        frames["sections"].append(pd.concat([heads, base.assign(parent_id=heads.unit_id.to_numpy()[section])]))
        frames["flat"].append(base)
        frames["points"].append(base.assign(level="point"))
    width = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadingWarning)
        for name, plans in frames.items():
            shares = compare.theme_shares(pd.concat(plans, ignore_index=True), themes=["data"], n_boot=400)
            assert shares.ci_method.str.contains({"sections": "section", "flat": "block",
                                                  "points": "unit"}[name]).all()
            width[name] = (shares.ci_high - shares.ci_low).to_numpy()
    flat_vs_sections = np.median(width["flat"] / width["sections"])
    points_vs_sections = np.median(width["points"] / width["sections"])
    assert flat_vs_sections > 0.8 and flat_vs_sections > points_vs_sections + 0.15


def test_plans_with_numbered_points_keep_their_single_unit_clusters():
    coded = pl.load_corpus(source="coded")
    shares = compare.theme_shares(coded, n_boot=50)
    methods = shares.groupby("plan_id").ci_method.agg(lambda m: {x.split(" (")[0] for x in m})
    assert "block bootstrap" not in set().union(*methods)


def test_misread_plans_judges_each_plan_from_its_own_rows():
    corpus = pd.concat([structured("aa-good"), flat("bb-flat")], ignore_index=True)
    assert list(readquality.misread_plans(corpus)) == ["bb-flat"]
    assert readquality.misread_plans(corpus, plans=["aa-good"]) == {}


def test_the_footer_of_a_chinese_government_page_is_chrome():
    texts = ["一、总体要求", "各地区要加强统筹协调，推动工作落实。", "网站地图", "版权所有：示例市人民政府办公室"]
    units = [(f"zz/pre{i:02d}", "preamble", text, None) for i, text in enumerate(texts)]
    info = describe(_frame(units, "zz", language="zh-Hans"))
    assert info["chrome"] == ["2 unit(s) of web-page boilerplate (e.g. '网站地图')"]

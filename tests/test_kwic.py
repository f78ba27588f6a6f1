"""pl.kwic: matches an analyst can quote and cite (invented filler text, same shape as a plan)."""

import warnings

import pandas as pd
import pytest

import policylab as pl
from policylab.cli import main
from policylab.kwic import KwicError


def _units(texts, language="en"):
    return pd.DataFrame([{"plan_id": "xx-plan", "unit_id": f"xx-plan/s{i:02d}", "level": "paragraph",
                          "label": str(i), "section": f"Section {i}", "page": i + 1, "text": t,
                          "language": language} for i, t in enumerate(texts)])


def test_a_phrase_matches_across_hyphens_spaces_and_line_breaks():
    units = _units(["We back Open-Source tools.", "Fund open source labs now.", "Our open-\nsource rule,",
                    "An open - source hub.", "Reopen sources later."])
    hits = pl.kwic(units, "open source", window=2)
    assert hits["unit_id"].tolist() == [f"xx-plan/s{i:02d}" for i in range(4)]
    assert hits["match"].tolist() == ["Open-Source", "open source", "open- source", "open - source"]
    assert pl.kwic(units, "open-source")["unit_id"].tolist() == hits["unit_id"].tolist()


def test_contexts_keep_case_and_punctuation_and_name_where_the_hit_is():
    units = _units(["Intro.", "The Agency, with NIST, will publish open-weight models; see Annex 2."])
    hits = pl.kwic(units, "open-weight models", window=3)
    assert list(hits.columns) == ["plan_id", "unit_id", "level", "label", "section", "page", "left", "match", "right"]
    row = hits.iloc[0]
    assert (row.left, row.match, row.right) == ("NIST, will publish", "open-weight models", "; see Annex")
    assert (row.unit_id, row.label, row.section, row.page) == ("xx-plan/s01", "1", "Section 1", 2)


def test_a_single_word_matches_inside_hyphenated_words_but_not_inside_words():
    units = _units(["open-weight and opened and open."])
    assert pl.kwic(units, "open", window=1)["right"].tolist() == ["-weight", "."]


def test_regular_expressions_and_chinese_text():
    units = _units(["Models of 7B, 70B and 400B parameters."])
    assert pl.kwic(units, r"\d+B", regex=True)["match"].tolist() == ["7B", "70B", "400B"]
    zh = _units(["我们将加强人工智能安全治理。"], language="zh")
    row = pl.kwic(zh, "安全", window=3).iloc[0]
    assert (row.left, row.match, row.right) == ("人工智能"[-3:], "安全", "治理。")


def test_no_match_is_an_empty_table_with_the_columns():
    hits = pl.kwic(_units(["Nothing here."]), "quantum")
    assert hits.empty and list(hits.columns)[-3:] == ["left", "match", "right"]


def test_the_coded_edition_is_refused_with_the_way_to_the_official_text():
    coded = pl.load_plan("us-aap-2025", source="coded")
    with pytest.raises(KwicError, match=r"summary.*load_plan\(PLAN_ID\)"):
        pl.kwic(coded, "open source")
    with pytest.raises(pl.PolicyLabError, match="coded edition"):
        pl.kwic(coded[coded.level == "action"].reset_index(drop=True), "open source")


@pytest.mark.parametrize("pattern, regex, message", [("(open", True, "'\\(open' is not a valid regular expression"),
                                                     ("  ", False, "is empty")])
def test_bad_patterns_name_the_pattern(pattern, regex, message):
    with pytest.raises(KwicError, match=message):
        pl.kwic(_units(["text"]), pattern, regex=regex)


def test_kwic_on_the_command_line(capsys, tmp_path):
    plan = tmp_path / "plan.md"
    filler = [f"Paragraph {i} says little of note about shared compute and its many uses." for i in range(6)]
    plan.write_text("# Filler plan\n\n" + "\n\n".join([*filler, "We fund open-source labs and shared compute."]) + "\n",
                    encoding="utf-8")
    home = tmp_path / "home"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # what add_plan tells about the hash it records is not under test here
        pl.add_plan(plan, plan_id="my-plan", title="Filler plan", country="GBR", data_home=home)
    capsys.readouterr()
    assert main(["kwic", "my-plan", "open source", "--window", "2", "--data-home", str(home)]) == 0
    out, err = capsys.readouterr()
    assert "We fund" in out and "open-source" in out and "labs and" in out and "1 match(es)" in err
    assert main(["kwic", "no-such-plan", "x", "--data-home", str(home)]) == 1
    assert "no-such-plan" in capsys.readouterr().err
    assert main(["kwic", "my-plan", "[a-", "--regex", "--data-home", str(home)]) == 1
    assert "'[a-' is not a valid regular expression" in capsys.readouterr().err

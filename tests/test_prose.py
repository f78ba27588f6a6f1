"""Computed sentences and tables for notebooks: numbers from the statistics, hedged where an interval includes zero."""

import pandas as pd

from policylab import compare, prose


def _coded():
    from policylab import load_corpus

    return load_corpus(source="coded")


def test_share_table_has_a_column_per_plan_naming_n_and_basis_and_the_measure():
    shares = compare.theme_attention(_coded(), n_boot=100)
    table = prose.share_table(shares, {"cn-gaigi-2023": "Initiative 2023"})
    assert list(table.columns) == ["US 2025 (n=156, gold)", "China 2025 (n=14, gold, secondary)",
                                   "Initiative 2023 (n=15, gold)", "UK 2025 (n=147, gold)",
                                   "China AI+ 2025, translated (n=33, gold, translation)", "Singapore 2023 (n=153, gold)"]
    assert table.index.name.startswith("attention share") and table.index.name.endswith("95% interval")
    us = shares[(shares.plan_id == "us-aap-2025") & (shares.theme == "open_source")].iloc[0]
    cell = table.loc["Open source and open models", "US 2025 (n=156, gold)"]
    assert cell == f"{prose.pct(us.share)} {prose.interval(us.ci_low, us.ci_high)}"
    assert len(table) == 13


def _row(theme, difference, low, high):
    return {"theme": theme, "share_a": 0.5, "share_b": 0.5 - difference, "n_a": 40, "n_b": 12,
            "difference": difference, "ci_low": low, "ci_high": high, "p_value": 0.01, "p_adjusted": 0.02}


def test_contrast_summary_spells_out_clear_differences_largest_first_and_hedges_the_rest():
    table = pd.DataFrame([_row("data", 0.10, 0.02, 0.20), _row("open_source", -0.30, -0.45, -0.10),
                          _row("environment_sustainability", 0.05, -0.03, 0.12)])
    text = prose.contrast_summary(table, "A", "B")
    lines = text.splitlines()
    assert lines[0] == "2 of 3 themes differ with an interval that excludes zero:"
    assert lines[1].startswith("- Open source and open models: A 50% (n=40) against B 80% (n=12)")
    assert lines[2].startswith("- Data: ") and "excludes zero" in lines[2]
    assert lines[3] == "For the other 1 theme the interval includes zero: these data do not show a difference."


def test_contrast_summary_says_when_no_theme_differs():
    table = pd.DataFrame([_row("data", 0.10, -0.02, 0.20)])
    assert prose.contrast_summary(table, "A", "B") == \
        "No theme's difference has an interval that excludes zero (1 theme)."


def test_contrast_sentence_hedges_an_interval_that_includes_zero():
    hedged = prose.contrast_sentence(pd.Series(_row("data", 0.10, -0.02, 0.20)), "A", "B")
    firm = prose.contrast_sentence(pd.Series(_row("data", 0.10, 0.02, 0.20)), "A", "B")
    assert hedged.endswith("these data do not show a difference.") and firm.endswith("the interval excludes zero.")


def test_contrast_sentence_calls_a_difference_tentative_when_the_adjusted_p_is_not_small():
    row = pd.Series({**_row("data", 0.10, 0.02, 0.20), "p_adjusted": 0.25})
    assert prose.contrast_sentence(row, "A", "B").endswith("so the difference is tentative.")


def test_small_p_values_read_p_below_one_in_a_thousand_not_p_equals_zero():
    row = pd.Series({**_row("data", 0.10, 0.02, 0.20), "p_value": 0.0002, "p_adjusted": 0.048})
    text = prose.contrast_sentence(row, "A", "B")
    assert "permutation p < 0.001 (BH-adjusted p = 0.048)" in text and "0.000" not in text


def test_table_numbers_are_in_fixed_notation_whatever_their_size():
    column = pd.Series([0.003689, 0.048, 0.0006755, 2e-30, -2e-30, 0.0, 12.3456])
    assert [prose.number(v) for v in column] == ["0.004", "0.048", "0.0007", "<0.0001", "> -0.0001", "0.000", "12.346"]
    with pd.option_context("display.float_format", prose.number):
        assert "e-" not in column.to_frame().to_string() and "e-" not in column.to_frame().to_html()


def test_balance_sentence_names_n_the_basis_of_tagger_codes_and_says_when_there_is_no_figure():
    gold = pd.Series({"balance": 0.5, "ci_low": 0.1, "ci_high": 0.9, "ci_method": "section bootstrap (9 clusters)",
                      "n_units": 40, "basis": "gold"})
    assert prose.balance_sentence(gold, "US").startswith("US (n=40): balance +0.50, 95% interval")
    assert "excludes zero" in prose.balance_sentence(gold, "US")
    corrected = gold.copy()
    corrected["basis"] = "tagger corrected (out-of-plan rates)"
    assert prose.balance_sentence(corrected, "Mine").startswith("Mine (n=40, tagger corrected (out-of-plan rates)):")
    na = corrected.copy()
    na[["balance", "ci_low", "ci_high"]] = float("nan")
    na["ci_method"] = "safety: NA: sensitivity + specificity - 1 = 0.10 < 0.2 (out-of-plan rates)"
    sentence = prose.balance_sentence(na, "Mine")
    assert "balance NA, no interval (safety: NA: sensitivity" in sentence and "leans" not in sentence

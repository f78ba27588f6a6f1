"""Comparison statistics on small hand-made frames with known answers."""

import math

import numpy as np
import pandas as pd
import pytest

from policylab import compare


def _coded(plan_id, themes, orientations):
    n = len(themes)
    return pd.DataFrame({"plan_id": plan_id, "unit_id": [f"{plan_id}/a{i:03d}" for i in range(n)],
                         "level": "action", "part": "P", "themes": themes, "orientation": orientations,
                         "instruments": "", "actors": ""})


def test_shares_count_only_provisions_and_report_zero_themes():
    coded = pd.concat([_coded("x", ["open_source", "open_source;data", "", "data"], ["both"] * 4),
                       _coded("x", ["open_source"], ["both"]).assign(level="section", unit_id="x/s")])
    shares = compare.theme_shares(coded, n_boot=200).set_index("theme")
    assert shares.loc["open_source", "share"] == 0.5 and shares.loc["open_source", "n_units"] == 4
    assert shares.loc["public_sector", ["share", "ci_low", "ci_high"]].tolist() == [0, 0, 0]
    assert shares.loc["data", "ci_low"] <= 0.5 <= shares.loc["data", "ci_high"]


def test_bootstrap_intervals_cover_the_true_share_at_about_the_nominal_rate():
    rng = np.random.default_rng(1)
    true_share, covered, runs = 0.3, 0, 300
    for run in range(runs):
        coded_units = rng.random(120) < true_share
        coded = _coded("x", np.where(coded_units, "data", ""), ["neither"] * 120)
        row = compare.theme_shares(coded, themes=["data"], n_boot=400, seed=run).iloc[0]
        covered += row.ci_low <= true_share <= row.ci_high
    assert 0.90 <= covered / runs <= 0.985


def test_balance_is_log_ratio_of_development_to_safety_with_both_counted_twice():
    coded = _coded("x", [""] * 5, ["development", "development", "both", "safety", "neither"])
    row = compare.balance(coded, n_boot=200).iloc[0]
    assert row.balance == pytest.approx(math.log(3.5 / 2.5))
    assert (row.n_development, row.n_safety, row.n_both, row.n_neither) == (2, 1, 1, 1)
    assert row.ci_low <= row.balance <= row.ci_high


def test_difference_between_plans():
    coded = pd.concat([_coded("a", ["data"] * 3 + [""], ["both"] * 4), _coded("b", ["data"] + [""] * 3, ["both"] * 4)])
    row = compare.share_difference(coded, "a", "b", n_boot=300).set_index("theme").loc["data"]
    assert row.difference == pytest.approx(0.5)
    assert row.ci_low <= 0.5 <= row.ci_high


def _units(plan_texts):
    return pd.DataFrame([{"plan_id": p, "unit_id": f"{p}/{i}", "text": t, "language": "en"}
                         for p, texts in plan_texts.items() for i, t in enumerate(texts)])


def test_term_counts_split_hyphenated_words_and_keep_zeros():
    units = _units({"a": ["Safety-critical safety, Safety!", "Open models."], "b": ["Nothing relevant here."]})
    counts = compare.term_counts(units, ["safety", "critical", "safety-critical", "open"]).set_index(["plan_id", "term"])
    assert counts.loc[("a", "safety"), "count"] == 3
    assert counts.loc[("a", "critical"), "count"] == 1 and counts.loc[("a", "safety-critical"), "count"] == 1
    assert counts.loc[("a", "safety"), "per_1000"] == pytest.approx(1000 * 3 / 5)
    assert counts.loc[("b", "safety"), "count"] == 0 and counts.loc[("b", "open"), "per_1000"] == 0


def test_keyness_sign_and_size_on_a_constructed_corpus():
    filler = " ".join(["word"] * 980)
    units = _units({"a": [filler + " " + " ".join(["alpha"] * 20)], "b": [filler + " " + " ".join(["alpha"] * 2)
                                                                        + " " + " ".join(["beta"] * 18)]})
    table = compare.keyness(units, "a", "b", min_count=3).set_index("term")
    alpha = table.loc["alpha"]
    assert alpha.key_for == "a" and alpha.log_ratio == pytest.approx(math.log2(10))
    expected = 2 * (20 * math.log(20 / 11) + 2 * math.log(2 / 11))
    assert alpha.g2 == pytest.approx(expected)
    assert table.loc["beta", "key_for"] == "b" and table.loc["beta", "count_a"] == 0
    assert "word" in table.index and table.loc["word", "p_adjusted"] > 0.5


def test_benjamini_hochberg_matches_a_worked_example():
    # Sorted p: 0.01, 0.03, 0.04, 0.20 -> p*n/rank: 0.04, 0.06, 0.0533, 0.20 -> running minimum from the top.
    adjusted = compare.benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.20]))
    assert adjusted == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])


def test_kwic_gives_context_on_both_sides():
    units = _units({"a": ["We will build open-weight models for research and teaching."]})
    rows = compare.kwic(units, "open", width=2)
    assert rows[["left", "match", "right"]].values.tolist() == [["will build", "open-weight", "models for"]]


def test_cooccurrence_counts_provisions_with_both_themes():
    coded = _coded("x", ["data;open_source", "data", "open_source;data;public_sector", ""], ["both"] * 4)
    matrix = compare.cooccurrence(coded)
    assert matrix.loc["data", "data"] == 3 and matrix.loc["data", "open_source"] == 2
    assert matrix.loc["open_source", "public_sector"] == matrix.loc["public_sector", "open_source"] == 1
    assert matrix.loc["workforce_education"].sum() == 0

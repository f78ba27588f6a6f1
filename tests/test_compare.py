"""Comparison statistics on small hand-made frames with known answers, checked against
independent implementations (scipy, statsmodels) where one exists."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, chi2_contingency, fisher_exact, norm
from statsmodels.stats.multitest import multipletests

from policylab import compare

# Most plans here are provisions without sections, read flat on purpose: the warning that says
# so is tested in test_readquality.py.
pytestmark = pytest.mark.filterwarnings("ignore::policylab.readquality.ReadingWarning")


def _coded(plan_id, themes, orientations=None, *, sections=None, basis="primary", confidence=None, level="action"):
    """Provisions of one plan; with ``sections`` (a section number per unit) they sit in sections.
    Without, a plan of actions was read flat, a plan of (numbered) points was not."""
    n = len(themes)
    ids = [f"{plan_id}/a{i:03d}" for i in range(n)]
    frame = pd.DataFrame({"plan_id": plan_id, "unit_id": ids, "parent_id": f"{plan_id}/title", "level": level,
                          "part": pd.NA, "themes": pd.array(themes, dtype="string"),
                          "orientation": pd.array(orientations or ["neither"] * n, dtype="string"),
                          "instruments": "", "actors": "", "basis": basis,
                          "confidence": confidence or ["high"] * n})
    if sections is None:
        return frame
    heads = pd.DataFrame({"plan_id": plan_id, "unit_id": [f"{plan_id}/s{s:02d}" for s in sorted(set(sections))],
                          "parent_id": f"{plan_id}/title", "level": "section"})
    frame["parent_id"] = [f"{plan_id}/s{s:02d}" for s in sections]
    return pd.concat([heads, frame], ignore_index=True)


def test_shares_count_only_provisions_and_a_theme_nobody_carries_gets_a_score_interval():
    coded = pd.concat([_coded("x", ["open_source", "open_source;data", "", "data"]),
                       _coded("x", ["open_source"]).assign(level="section", unit_id="x/s")])
    shares = compare.theme_shares(coded, n_boot=200).set_index("theme")
    assert shares.loc["open_source", "share"] == 0.5 and shares.loc["open_source", "n_units"] == 4
    empty = shares.loc["public_sector"]
    assert empty.share == 0 and empty.ci_low == 0 and empty.ci_high == pytest.approx(1.96**2 / (4 + 1.96**2), rel=1e-3)
    assert empty.ci_method == "Wilson score"
    assert shares.loc["data", "ci_low"] <= 0.5 <= shares.loc["data", "ci_high"]


def test_no_interval_has_zero_width_and_intervals_do_not_depend_on_other_plans():
    rng = np.random.default_rng(3)
    plans = [_coded(p, rng.choice(["data", "", "data;public_sector", "open_source"], size=40).tolist(),
                    rng.choice(["development", "safety", "both", "neither"], size=40).tolist(),
                    sections=np.repeat(np.arange(8), 5).tolist()) for p in ("a", "b", "c")]
    everything = pd.concat(plans, ignore_index=True)
    for function in (compare.theme_shares, compare.theme_attention, compare.balance):
        together = function(everything, n_boot=300)
        alone = function(plans[1], n_boot=300)
        pd.testing.assert_frame_equal(together[together.plan_id == "b"].reset_index(drop=True), alone)
        assert (together.ci_high > together.ci_low).all(), function.__name__


def test_sections_are_resampled_whole_and_widen_the_interval_when_themes_cluster():
    # 10 sections of 6 actions; the theme fills half the sections entirely.
    themes = ["data" if s % 2 else "" for s in range(10) for _ in range(6)]
    clustered = _coded("x", themes, sections=[s for s in range(10) for _ in range(6)])
    points = _coded("x", themes, level="point")
    by_section = compare.theme_shares(clustered, themes=["data"], n_boot=2000).iloc[0]
    by_unit = compare.theme_shares(points, themes=["data"], n_boot=2000).iloc[0]
    assert by_section.n_clusters == 10 and by_section.ci_method == "section bootstrap (10 clusters)"
    assert by_unit.n_clusters == 60 and by_unit.ci_method == "unit bootstrap (60 clusters)"
    assert by_section.ci_high - by_section.ci_low > 1.8 * (by_unit.ci_high - by_unit.ci_low)


def test_plans_pooled_in_one_group_do_not_share_a_cluster_through_a_common_part_heading():
    plans = [_coded(p, ["data", ""] * 3).assign(part="Introduction") for p in ("a", "b")]
    pooled = pd.concat(plans, ignore_index=True).assign(country="XYZ")
    assert compare.provisions(pooled).groupby("plan_id").cluster.nunique().to_dict() == {"a": 1, "b": 1}
    assert compare.theme_shares(pooled, by="country", themes=["data"], n_boot=100).n_clusters.item() == 2


def test_units_under_a_subsection_are_resampled_with_their_section():
    coded = _coded("x", ["data"] * 6, sections=[1, 1, 1, 2, 2, 2])
    sub = pd.DataFrame({"plan_id": "x", "unit_id": ["x/s01/sub1"], "parent_id": ["x/s01"], "level": ["subsection"]})
    coded.loc[coded.unit_id.isin(["x/a000", "x/a001"]), "parent_id"] = "x/s01/sub1"
    units = compare.provisions(pd.concat([coded, sub], ignore_index=True))
    assert units.groupby("cluster").size().to_dict() == {"x/s01": 3, "x/s02": 3}


def test_bootstrap_intervals_cover_the_true_share_at_about_the_nominal_rate():
    # 300 simulated plans in one call: each plan's resamples come from its own stream
    rng = np.random.default_rng(1)
    true_share, runs = 0.3, 300
    coded = pd.concat([_coded(f"x{run}", np.where(rng.random(120) < true_share, "data", "").tolist())
                       for run in range(runs)], ignore_index=True)
    shares = compare.theme_shares(coded, themes=["data"], n_boot=400)
    assert len(shares) == runs and (shares["ci_method"].str.contains("bootstrap")).all()
    covered = ((shares.ci_low <= true_share) & (true_share <= shares.ci_high)).mean()
    assert 0.90 <= covered <= 0.985


def test_attention_splits_each_provision_over_its_themes_and_sums_to_one():
    coded = _coded("x", ["data;open_source", "data", "", "public_sector;data;open_source"])
    attention = compare.theme_attention(coded, n_boot=200).set_index("theme")
    assert attention["share"].sum() == pytest.approx(1)
    assert attention.loc["data", "share"] == pytest.approx((0.5 + 1 + 1 / 3) / 3)  # the theme-less unit carries none
    assert set(attention["measure"]) == {"attention"}


def test_word_weighted_attention_uses_the_official_text():
    coded = _coded("x", ["data", "open_source"])
    texts = pd.DataFrame({"unit_id": ["x/a000", "x/a001"], "text": ["one two three", "one"], "language": "en"})
    shares = compare.theme_shares(coded, measure="words", texts=texts, n_boot=100).set_index("theme")
    assert shares.loc["data", "share"] == pytest.approx(0.75)
    with pytest.raises(compare.CompareError, match="texts="):
        compare.theme_shares(coded, measure="words")


def test_unknown_units_are_missing_not_theme_less_and_low_confidence_can_be_dropped():
    coded = _coded("x", ["data", "data", "", None], ["development", "safety", "neither", None],
                   confidence=["high", "low", "high", "unknown"])
    shares = compare.theme_shares(coded, n_boot=100).set_index("theme")
    assert shares.loc["data", ["share", "n_units", "n_missing"]].tolist() == [pytest.approx(2 / 3), 3, 1]
    strict = compare.theme_shares(coded, min_confidence="medium", n_boot=100).set_index("theme")
    assert strict.loc["data", ["share", "n_units", "n_missing"]].tolist() == [0.5, 2, 2]
    row = compare.balance(coded, n_boot=100).iloc[0]
    assert (row.n_units, row.n_missing, row.balance) == (3, 1, pytest.approx(math.log(1.5 / 1.5)))


def test_each_plans_basis_is_carried_into_the_tables():
    coded = pd.concat([_coded("a", ["data"] * 6), _coded("b", ["data", ""] * 3, basis="tagger"),
                       _coded("c", ["data"] * 6, basis="secondary")])
    shares = compare.theme_shares(coded, n_boot=50, correct=False)
    bases = shares.groupby("plan_id")[["basis", "source_basis"]].first()
    assert bases.to_dict("index") == {"a": {"basis": "gold", "source_basis": "primary"},
                                      "b": {"basis": "tagger uncorrected", "source_basis": "tagger"},
                                      "c": {"basis": "gold", "source_basis": "secondary"}}
    balance = compare.balance(coded, n_boot=50, correct=False)
    assert balance["basis"].tolist() == ["gold", "tagger uncorrected", "gold"]
    assert balance["source_basis"].tolist() == ["primary", "tagger", "secondary"]
    row = compare.contrast(coded, "a", "b", n_boot=50, n_perm=100, correct=False).iloc[0]
    assert (row.basis_a, row.basis_b, row.n_a, row.n_b) == ("gold", "tagger uncorrected", 6, 6)
    row = compare.contrast(coded, "c", "b", n_boot=50, n_perm=100).iloc[0]  # tagger codes corrected by default
    assert (row.basis_a, row.source_basis_a, row.basis_b) == ("gold", "secondary", "tagger corrected (out-of-plan rates)")
    assert compare.balance(coded, n_boot=50)["basis"].tolist()[1] == "tagger corrected (out-of-plan rates)"


def test_balance_is_the_lowe_log_odds_with_both_counted_twice():
    coded = _coded("x", [""] * 5, ["development", "development", "both", "safety", "neither"])
    row = compare.balance(coded, n_boot=200).iloc[0]
    assert row.balance == pytest.approx(math.log(3.5 / 2.5))
    assert (row.n_development, row.n_safety, row.n_both, row.n_neither) == (2, 1, 1, 1)
    # 5 units is enough to resample, but the normal interval of the empirical logit is used
    # whenever resampling cannot move the figure.
    assert row.ci_low < row.balance < row.ci_high


def test_balance_with_few_clusters_uses_the_empirical_logit_interval():
    coded = _coded("x", [""] * 4, ["development"] * 3 + ["safety"], sections=[1, 1, 2, 2])
    row = compare.balance(coded).iloc[0]
    half = 1.959964 * math.sqrt(1 / 3.5 + 1 / 1.5)
    assert row.ci_method == "empirical logit (normal)" and row.n_clusters == 2
    assert (row.ci_low, row.ci_high) == (pytest.approx(row.balance - half), pytest.approx(row.balance + half))


def test_contrast_permutation_p_matches_fishers_exact_test_on_unclustered_units():
    # Equal plan sizes make the hypergeometric symmetric, so both two-sided rules agree.
    coded = pd.concat([_coded("a", ["data"] * 12 + [""] * 8, level="point"),
                       _coded("b", ["data"] * 4 + [""] * 16, level="point")])
    row = compare.contrast(coded, "a", "b", n_perm=20000).set_index("theme").loc["data"]
    assert row.difference == pytest.approx(0.4)
    assert row.p_value == pytest.approx(fisher_exact([[12, 8], [4, 16]])[1], abs=0.01)
    assert row.ci_low < 0.4 < row.ci_high


def test_contrast_difference_interval_is_never_zero_width_and_p_is_adjusted_across_themes():
    coded = pd.concat([_coded("a", ["data"] * 15 + [""] * 5), _coded("b", [""] * 15)])
    table = compare.contrast(coded, "a", "b", n_perm=2000).set_index("theme")
    assert (table.ci_high > table.ci_low).all()
    assert table.loc["public_sector", "difference"] == 0 and table.loc["public_sector", "ci_low"] < 0
    np.testing.assert_allclose(table["p_adjusted"], multipletests(table["p_value"], method="fdr_bh")[1])
    with pytest.raises(compare.CompareError, match="'zz'"):
        compare.contrast(coded, "a", "zz")


def test_contrast_uses_the_same_shares_and_intervals_as_the_per_plan_tables():
    coded = pd.concat([_coded("a", ["data;open_source", "data", "", "public_sector"] * 5),
                       _coded("b", ["data", "open_source", "open_source;public_sector"] * 5)])
    table = compare.contrast(coded, "a", "b", measure="attention", n_perm=200).set_index("theme")
    attention = compare.theme_attention(coded).set_index(["plan_id", "theme"])
    assert table["share_a"].tolist() == attention.loc["a", "share"].tolist()
    assert table["share_b"].tolist() == attention.loc["b", "share"].tolist()


def test_a_plan_is_not_contrasted_with_itself():
    # the permutation test would find every theme 'significant' (p = 1 / (n_perm + 1)) at difference 0
    coded = _coded("x", ["data", "", "open_source"] * 4)
    with pytest.raises(compare.CompareError, match="both 'x'"):
        compare.contrast(coded, "x", "x", n_perm=50, n_boot=50)


def test_permutation_moves_whole_sections_so_clustered_differences_are_less_significant():
    # Plan a: 5 of its 8 sections of 5 actions carry the theme throughout; plan b: 2 of 8.
    sections = [s for s in range(8) for _ in range(5)]
    a_themes = ["data" if s < 5 else "" for s in sections]
    b_themes = ["data" if s < 2 else "" for s in sections]
    clustered = pd.concat([_coded("a", a_themes, sections=sections), _coded("b", b_themes, sections=sections)])
    points = pd.concat([_coded("a", a_themes, level="point"), _coded("b", b_themes, level="point")])
    flat = pd.concat([_coded("a", a_themes), _coded("b", b_themes)])
    p_clustered = compare.contrast(clustered, "a", "b", n_perm=4000).set_index("theme").loc["data", "p_value"]
    p_points = compare.contrast(points, "a", "b", n_perm=4000).set_index("theme").loc["data", "p_value"]
    p_flat = compare.contrast(flat, "a", "b", n_perm=4000).set_index("theme").loc["data", "p_value"]
    assert p_points < 0.01 < p_clustered
    assert p_flat > 0.01  # a plan read flat: its blocks of consecutive units are moved whole too


def test_share_difference_is_the_contrast_difference():
    coded = pd.concat([_coded("a", ["data"] * 3 + [""]), _coded("b", ["data"] + [""] * 3)])
    row = compare.share_difference(coded, "a", "b", n_boot=300, n_perm=200).set_index("theme").loc["data"]
    assert row.difference == pytest.approx(0.5)
    assert row.ci_low <= 0.5 <= row.ci_high


def test_instrument_mix_denominator_is_the_chosen_provisions():
    coded = _coded("x", ["global_south_access", "global_south_access", "data", "data"]).assign(
        instruments=["funding", "funding;research", "funding", ""])
    mix = compare.instrument_mix(coded, theme="global_south_access").set_index("instrument")
    assert mix.loc["funding", ["n_units", "n_base", "share"]].tolist() == [2, 2, 1.0]
    assert compare.instrument_mix(coded).set_index("instrument").loc["funding", "share"] == 0.75


def test_instrument_mix_leaves_out_a_plan_whose_instruments_were_not_coded():
    hand = _coded("x", ["data", "data"]).assign(instruments=["funding", ""])
    tagger = _coded("t", ["data", "data"], basis="tagger").assign(instruments=pd.NA)
    mix = compare.instrument_mix(pd.concat([hand, tagger], ignore_index=True))
    assert set(mix.plan_id) == {"x"} and mix.set_index("instrument").loc["funding", "share"] == 0.5


def test_instrument_mix_lists_every_instrument_for_every_plan_with_a_wilson_interval():
    from statsmodels.stats.proportion import proportion_confint

    coded = pd.concat([_coded("a", ["data"] * 4).assign(instruments=["funding", "funding;research", "funding", ""]),
                       _coded("b", ["data"] * 3).assign(instruments=["regulation", "", ""])])
    mix = compare.instrument_mix(coded).set_index(["plan_id", "instrument"])
    assert len(mix) == 2 * 3  # funding, regulation, research for both plans, zeros included
    assert mix.loc[("b", "funding"), "n_units"] == 0 and mix.loc[("b", "funding"), "ci_high"] > 0
    for (plan, instrument), row in mix.iterrows():
        low, high = proportion_confint(row.n_units, row.n_base, method="wilson")
        assert (row.ci_low, row.ci_high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))
        assert row.ci_high > row.ci_low


def _units(plan_texts, language="en"):
    return pd.DataFrame([{"plan_id": p, "unit_id": f"{p}/{i}", "text": t, "language": language, "section": f"s{i}"}
                         for p, texts in plan_texts.items() for i, t in enumerate(texts)])


def test_term_counts_split_hyphenated_words_and_keep_zeros():
    units = _units({"a": ["Safety-critical safety, Safety!", "Open models."], "b": ["Nothing relevant here."]})
    counts = compare.term_counts(units, ["safety", "critical", "safety-critical", "open"]).set_index(["plan_id", "term"])
    assert counts.loc[("a", "safety"), "count"] == 3
    assert counts.loc[("a", "critical"), "count"] == 1 and counts.loc[("a", "safety-critical"), "count"] == 1
    assert counts.loc[("a", "safety"), "per_1000"] == pytest.approx(1000 * 3 / 5)
    assert counts.loc[("b", "safety"), "count"] == 0 and counts.loc[("b", "open"), "per_1000"] == 0


def test_dotted_abbreviations_are_one_word_not_single_letters():
    assert compare.words("The U.S. leads U.S.-led work, e.g. open-weight models; see ai.gov.") == [
        "the", "u.s", "leads", "u.s-led", "work", "e.g", "open-weight", "models", "see", "ai", "gov"]
    units = _units({"a": ["The U.S. plan and U.S. agencies. " * 10], "b": ["The plan and its agencies. " * 10]})
    key = compare.keyness(units, "a", "b", min_count=3)
    assert "u.s" in set(key.term) and not {"u", "s"} & set(key.term)


def test_keyness_g2_is_the_2x2_log_likelihood_of_scipy():
    filler = " ".join(["word"] * 980)
    units = _units({"a": [filler + " " + " ".join(["alpha"] * 20)],
                    "b": [filler + " " + " ".join(["alpha"] * 2) + " " + " ".join(["beta"] * 18)]})
    table = compare.keyness(units, "a", "b", min_count=3).set_index("term")
    for term in ("alpha", "beta", "word"):
        a, b = table.loc[term, ["count_a", "count_b"]]
        expected = chi2_contingency([[a, b], [1000 - a, 1000 - b]], correction=False, lambda_="log-likelihood")
        assert table.loc[term, "g2"] == pytest.approx(expected.statistic)
        assert table.loc[term, "p_value"] == pytest.approx(expected.pvalue)
    assert table.loc["alpha", "key_for"] == "a" and table.loc["beta", "key_for"] == "b"
    np.testing.assert_allclose(table["p_adjusted"], multipletests(table["p_value"], method="fdr_bh")[1])


def test_scipy_free_quantile_and_tail_equal_scipys():
    assert compare.Z95 == pytest.approx(norm.ppf(0.975), rel=1e-15)
    statistics = np.array([0.0, 1e-9, 0.5, 3.841458820694124, 10.83, 40.0, 700.0])
    np.testing.assert_allclose(compare.chi2_1_sf(statistics), chi2.sf(statistics, 1), rtol=1e-12, atol=0)


def test_keyness_side_follows_relative_frequency_even_against_a_much_larger_text():
    # 5 uses in a long text, none in a short one: key for the long text, log ratio positive.
    units = _units({"long": [" ".join(["filler"] * 5000 + ["adversaries"] * 5)], "short": [" ".join(["filler"] * 100)]})
    row = compare.keyness(units, "long", "short").set_index("term").loc["adversaries"]
    assert row.key_for == "long" and row.log_ratio > 0


def test_keyness_drops_stop_words_by_default_and_totals_count_every_word_once():
    text = "the state of the art of open-weight models and of the data " * 5
    units = _units({"a": [text], "b": ["data data models " * 5]})
    table = compare.keyness(units, "a", "b", min_count=1)
    assert not {"the", "of", "and"} & set(table.term) and "open-weight" in set(table.term)
    assert "open" not in set(table.term)  # hyphen parts are not extra words
    assert table.attrs["total_a"] == len(text.split()) and table.attrs["total_b"] == 15
    assert {"the", "of"} <= set(compare.keyness(units, "a", "b", min_count=1, stop_words=()).term)


def test_keyness_refuses_to_compare_two_languages():
    units = pd.concat([_units({"a": ["open models"]}), _units({"b": ["开放模型"]}, language="zh")])
    with pytest.raises(compare.CompareError, match=r"'a' is in 'en' and 'b' in 'zh'"):
        compare.keyness(units, "a", "b")


def test_gries_dp_shows_a_word_confined_to_one_section():
    units = _units({"a": ["alpha beta " * 10, "beta gamma " * 10], "b": ["alpha beta gamma " * 10]})
    table = compare.keyness(units, "a", "b", min_count=1, parts="section").set_index("term")
    assert table.loc["alpha", "dp_a"] == pytest.approx(0.5) and table.loc["beta", "dp_a"] == pytest.approx(0)
    assert table.loc["alpha", "dp_b"] == pytest.approx(0)


def test_benjamini_hochberg_matches_a_worked_example():
    # Sorted p: 0.01, 0.03, 0.04, 0.20 -> p*n/rank: 0.04, 0.06, 0.0533, 0.20 -> running minimum from the top.
    adjusted = compare.benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.20]))
    assert adjusted == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])


def test_cooccurrence_counts_provisions_with_both_themes():
    coded = _coded("x", ["data;open_source", "data", "open_source;data;public_sector", ""])
    matrix = compare.cooccurrence(coded)
    assert matrix.loc["data", "data"] == 3 and matrix.loc["data", "open_source"] == 2
    assert matrix.loc["open_source", "public_sector"] == matrix.loc["public_sector", "open_source"] == 1
    assert matrix.loc["workforce_education"].sum() == 0

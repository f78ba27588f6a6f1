"""Rogan-Gladen correction with the tagger's out-of-plan rates: the formula by hand, NA where
the tagger cannot tell a theme apart, intervals that carry the rates' own uncertainty."""

import numpy as np
import pandas as pd
import pytest

from policylab import compare
from policylab.rates import BASIS, RatesError, default_rates, tagger_rates
from policylab.resampling import cluster_sums
from policylab.themes import THEME_IDS


def _tagged(plan_id, themes, sections):
    """A tagger-coded plan: provisions in sections, basis tagger."""
    ids = [f"{plan_id}/s{s:02d}/a{i:03d}" for i, s in enumerate(sections)]
    heads = pd.DataFrame({"plan_id": plan_id, "unit_id": [f"{plan_id}/s{s:02d}" for s in sorted(set(sections))],
                          "parent_id": f"{plan_id}/title", "level": "section"})
    units = pd.DataFrame({"plan_id": plan_id, "unit_id": ids, "parent_id": [f"{plan_id}/s{s:02d}" for s in sections],
                          "level": "action", "part": pd.NA, "themes": pd.array(themes, dtype="string"),
                          "orientation": "neither", "instruments": "", "actors": "", "basis": "tagger"})
    return pd.concat([heads, units], ignore_index=True)


def _rates(sensitivity=0.8, specificity=0.9, n_positive=50, n_negative=150, **per_theme):
    rows = pd.DataFrame({"theme": list(THEME_IDS), "sensitivity": sensitivity, "specificity": specificity,
                         "n_positive": n_positive, "n_negative": n_negative})
    for theme, (se, sp) in per_theme.items():
        rows.loc[rows.theme == theme, ["sensitivity", "specificity"]] = se, sp
    return rows


def test_the_correction_by_hand_and_na_where_the_tagger_cannot_tell_the_theme_apart():
    # 40 provisions in 8 sections; the tagger flags data on 14 of 40 (p = 0.35)
    plan = _tagged("mine", ["data"] * 14 + [""] * 26, [i % 8 for i in range(40)])
    shares = compare.theme_shares(plan, rates=_rates(values_rights=(0.5, 0.6)), n_boot=400).set_index("theme")
    # (p + Sp - 1) / (Se + Sp - 1) = (0.35 + 0.9 - 1) / (0.8 + 0.9 - 1) = 0.25 / 0.7
    assert shares.loc["data", "share"] == pytest.approx(0.25 / 0.7)
    assert shares.loc["data", "basis"] == BASIS
    assert shares.loc["data", "ci_low"] < 0.25 / 0.7 < shares.loc["data", "ci_high"]
    assert "rates' gold counts (binomial)" in shares.loc["data", "ci_method"]  # a summary: no gold units
    # p = 0 for open_source: (0 + 0.9 - 1) / 0.7 < 0, clipped to 0
    assert shares.loc["open_source", "share"] == 0
    # J = 0.5 + 0.6 - 1 = 0.1 < 0.2: NA, with the reason
    row = shares.loc["values_rights"]
    assert np.isnan(row.share) and np.isnan(row.ci_low) and "0.10 < 0.2" in row.ci_method


def test_rates_measured_on_few_gold_units_widen_the_interval():
    plan = _tagged("mine", (["data"] * 3 + [""] * 5) * 10, [i // 8 for i in range(80)])
    widths = {}
    for n in (20, 20_000):
        shares = compare.theme_shares(plan, rates=_rates(n_positive=n, n_negative=n), n_boot=1000)
        row = shares.set_index("theme").loc["data"]
        widths[n] = row.ci_high - row.ci_low
    assert widths[20] > 1.5 * widths[20_000]


def test_contrast_leaves_na_themes_out_of_the_adjustment():
    a = _tagged("mine", ["data"] * 14 + [""] * 26, [i % 8 for i in range(40)])
    b = _tagged("other", ["data;values_rights"] * 10 + [""] * 30, [i % 8 for i in range(40)]).assign(basis="primary")
    table = compare.contrast(pd.concat([a, b]), "mine", "other", rates=_rates(values_rights=(0.5, 0.6)),
                             n_boot=300, n_perm=300).set_index("theme")
    assert np.isnan(table.loc["values_rights", ["share_a", "difference", "p_value", "p_adjusted"]].astype(float)).all()
    assert table["p_adjusted"].drop("values_rights").notna().all()
    assert table.loc["data", "share_a"] == pytest.approx(0.25 / 0.7) and table.loc["data", "basis_b"] == "gold"


def test_rates_from_the_validation_table():
    validation = pd.DataFrame({"codebook_version": "1.0", "plan_id": "gb", "sample": ["out-of-sample", "in-sample"],
                               "method": "dictionary", "theme": "data", "recall": [0.75, 1.0],
                               "n_units": 100, "n_positive": 20, "n_predicted": [25, 20]})
    rates = tagger_rates(validation)
    # 15 true positives of 20; 10 false positives among 80 negatives
    assert rates[["sensitivity", "specificity", "n_positive", "n_negative"]].iloc[0].tolist() == [0.75, 0.875, 20, 80]
    with pytest.raises(RatesError, match="codebook 9.9"):
        tagger_rates(validation, codebook_version="9.9")
    with pytest.raises(RatesError, match="no rates for theme"):
        compare.theme_shares(_tagged("mine", ["data"] * 10, list(range(10))), rates=rates)
    shipped = tagger_rates()  # data/coded/tagger_validation.csv: the UK plan under codebook v1.0
    assert set(shipped["theme"]) == set(THEME_IDS) and shipped["specificity"].between(0, 1).all()


def _validation(method, plans, recall, n_positive=20, n_predicted=25, theme="data", version="1.2"):
    return pd.DataFrame({"codebook_version": version, "plan_id": plans, "sample": "out-of-plan", "method": method,
                         "theme": theme, "recall": recall, "n_units": 100, "n_positive": n_positive,
                         "n_predicted": n_predicted})


def test_rates_pool_the_plans_they_were_measured_on():
    validation = _validation("model", ["us", "gb"], [0.75, 0.5])
    rates = tagger_rates(validation, codebook_version="1.2", method="model").iloc[0]
    # 15 + 10 true positives of 40; 10 + 15 false positives among 160 negatives
    assert (rates.sensitivity, rates.specificity, rates.n_positive, rates.n_negative) == (25 / 40, 1 - 25 / 160, 40, 160)
    assert rates.plan_id == "gb;us"


def _units(method, plan, n_sections, gold, tagged, version="1.2", theme="data", orientation=("neither", "neither")):
    """A validation unit table: one plan's units in sections, gold and tagged 0/1 for ``theme``."""
    n = len(gold)
    return pd.DataFrame({"codebook_version": version, "method": method, "plan_id": plan,
                         "unit_id": [f"{plan}/u{i}" for i in range(n)], "section": np.arange(n) % n_sections,
                         "gold_themes": np.where(np.asarray(gold) == 1, theme, ""),
                         "tagged_themes": np.where(np.asarray(tagged) == 1, theme, ""),
                         "gold_orientation": orientation[0], "tagged_orientation": orientation[1]})


def test_a_tagger_coded_plan_is_corrected_by_default_with_the_rates_of_the_tagger_that_coded_each_theme():
    plan = _tagged("mine", ["data", "", "data;safety_security", ""] * 5, [i // 2 for i in range(20)])
    plan.attrs = {"theme_taggers": {"data": "model", "safety_security": "dictionary"}, "codebook_version": "1.2"}
    # 20 gold positives, 18 found; 80 negatives, 7 flagged
    gold, tagged = [1] * 20 + [0] * 80, [1] * 18 + [0] * 2 + [1] * 7 + [0] * 73
    units = pd.concat([_units("model", "us", 10, gold, tagged), _units("dictionary", "us", 10, gold, tagged, version="1.1")])
    rates = default_rates(plan, ["data", "safety_security"], units)
    assert set(rates.loc[rates.theme == "data", "plan_id"]) == {"us"} and rates.reason.iloc[0] == ""
    # The dictionary's rates exist for another codebook only: NA, and said why.
    missing = rates[rates.theme == "safety_security"].iloc[0]
    assert np.isnan(missing.true_positive) and "dictionary tagger for codebook 1.2" in missing.reason
    shares = compare.theme_shares(plan, themes=["data", "safety_security"], rates=rates, n_boot=200).set_index("theme")
    assert set(shares["basis"]) == {BASIS}
    assert np.isnan(shares.loc["safety_security", "share"])
    assert "no out-of-plan rates of the dictionary tagger" in shares.loc["safety_security", "ci_method"]
    # one gold plan: how the rates vary between plans is unknown, so NA, and it says so
    assert np.isnan(shares.loc["data", "share"])
    assert "rest on 1 gold plan (fewer than 2)" in shares.loc["data", "ci_method"]
    units = pd.concat([units, _units("model", "gb", 10, gold, tagged)])  # a second plan that errs alike
    shares = compare.theme_shares(plan, themes=["data"], rates=default_rates(plan, ["data"], units),
                                  n_boot=200).set_index("theme")
    method = shares.loc["data", "ci_method"]
    assert "predictive: one of 2 gold plans drawn per replicate, then its sections" in method
    assert "sensitivity of 2 of them drawn from its Jeffreys posterior" in method  # 2 false negatives each
    # share 0.5 corrected: (0.5 + Sp - 1) / (Se + Sp - 1) with Se 18/20, Sp 1 - 7/80
    specificity = 1 - 7 / 80
    assert shares.loc["data", "share"] == pytest.approx((0.5 + specificity - 1) / (0.9 + specificity - 1))
    default = compare.theme_shares(plan, n_boot=200).set_index("theme")  # shipped validation units
    assert set(default["basis"]) == {BASIS} and default["ci_method"].str.len().gt(0).all()
    uncorrected = compare.theme_shares(plan, n_boot=200, correct=False).set_index("theme")
    assert set(uncorrected["basis"]) == {"tagger uncorrected"} and uncorrected.loc["data", "share"] == 0.5


def test_a_re_tagged_gold_plan_is_corrected_without_its_own_gold_units():
    gold, tagged = [1] * 20 + [0] * 80, [1] * 18 + [0] * 2 + [1] * 7 + [0] * 73
    units = pd.concat([_units("model", "mine", 10, gold, [1] * 100), _units("model", "gb", 10, gold, tagged)])
    plan = _tagged("mine", ["data", ""] * 10, [i // 2 for i in range(20)])
    plan.attrs = {"theme_taggers": {"data": "model"}, "codebook_version": "1.2"}
    rates = default_rates(plan, ["data"], units)
    assert set(rates["plan_id"]) == {"gb"} and rates["true_positive"].sum() == 18


def test_shipped_validation_units_add_up_to_the_validation_table():
    """The per-unit file the intervals resample holds the counts the validation table reports."""
    from policylab.rates import VALIDATION, gold_sections, read_units

    table = pd.read_csv(VALIDATION, dtype={"codebook_version": str})
    rows = table[(table["sample"] == "out-of-plan") & table["method"].isin(["dictionary", "model", "default"])
                 & table["theme"].isin(THEME_IDS)]
    units = read_units()
    assert len(rows) and set(units["gold_orientation"]) <= {"development", "safety", "both", "neither"}
    for (version, method), group in rows.groupby(["codebook_version", "method"]):
        counts = gold_sections(units, codebook_version=version, method=method).groupby(["plan_id", "theme"]).sum()
        got = counts.loc[list(zip(group["plan_id"], group["theme"]))]
        assert (got["true_positive"] + got["false_negative"]).tolist() == group["n_positive"].tolist()
        assert (got["true_positive"] + got["false_positive"]).tolist() == group["n_predicted"].tolist()


def _two_plans(sensitivities, n_sections=10, per_section=10):
    """Section counts of two gold plans with the given sensitivities (specificity 0.9)."""
    rows = []
    for plan, se in zip(("p", "q"), sensitivities):
        for section in range(n_sections):
            found = round(se * per_section)
            rows.append({"theme": "data", "plan_id": plan, "section": section, "true_positive": found,
                         "false_negative": per_section - found, "false_positive": 3, "true_negative": 27})
    return pd.DataFrame(rows)


def test_rates_that_differ_between_gold_plans_widen_the_interval():
    plan = _tagged("mine", (["data"] * 3 + [""] * 5) * 10, [i // 8 for i in range(80)])
    widths = {}
    for name, sensitivities in {"alike": (0.7, 0.7), "differ": (0.9, 0.5)}.items():
        rates = _two_plans(sensitivities)
        row = compare.theme_shares(plan, themes=["data"], rates=rates, n_boot=1000).set_index("theme").loc["data"]
        assert row.share == pytest.approx((3 / 8 + 0.9 - 1) / (0.7 + 0.9 - 1))  # same pooled rates
        widths[name] = row.ci_high - row.ci_low
    assert widths["differ"] > 1.5 * widths["alike"]


def test_predictive_draws_of_a_new_plans_rates_match_a_direct_loop():
    """Sensitivity over the vectorised predictive draws is that of a loop that draws one gold
    plan, then its sections, one replicate at a time; when the plans' sensitivities differ
    (0.9, 0.5) it spreads wider than a resample of the pooled rates (all plans drawn with
    replacement, then their sections), which measures how well their mean is known."""
    from policylab.rates import Rates

    rates = _two_plans((0.9, 0.5))
    rates.loc[rates.section.isin([0, 1]) & (rates.plan_id == "p"), "true_positive"] = 6  # uneven sections
    rates["false_negative"] = 10 - rates["true_positive"]
    n_boot = 4000
    vectorised, _ = Rates(rates, ["data"]).draws(n_boot, seed=3)
    rng = np.random.default_rng(5)
    counts = {p: g[["true_positive", "false_negative"]].to_numpy() for p, g in rates.groupby("plan_id")}

    def resample(plans):
        total = sum(counts[p][rng.integers(0, len(counts[p]), len(counts[p]))].sum(axis=0) for p in plans)
        return total[0] / total.sum()

    predictive = [resample(rng.choice(list(counts), size=1)) for _ in range(n_boot)]
    pooled = [resample(rng.choice(list(counts), size=len(counts))) for _ in range(n_boot)]
    assert vectorised[:, 0].mean() == pytest.approx(np.mean(predictive), abs=0.01)
    assert vectorised[:, 0].std() == pytest.approx(np.std(predictive), rel=0.08)
    assert np.percentile(vectorised[:, 0], [2.5, 97.5]) == pytest.approx(np.percentile(predictive, [2.5, 97.5]), abs=0.02)
    assert vectorised[:, 0].std() > 1.3 * np.std(pooled)


def test_corrected_intervals_cover_the_plans_gold_share_when_the_rates_transfer():
    """Property: plans whose tagger errs at known rates, the rates re-estimated on other gold
    units each draw; the 95% intervals hold the plan's own gold share at least 93% of the time."""
    from policylab.rates import Rates

    rng = np.random.default_rng(0)
    themes = THEME_IDS[:5]
    prevalence = np.array([0.05, 0.1, 0.2, 0.3, 0.5])
    sensitivity, specificity = np.array([0.6, 0.7, 0.8, 0.9, 0.75]), np.array([0.95, 0.9, 0.97, 0.85, 0.9])
    clusters = np.repeat(np.arange(15), 10)  # 150 provisions in 15 sections
    covered = []
    for _ in range(200):
        truth = (rng.random((150, 5)) < prevalence).astype(float)
        noise = rng.random(truth.shape)
        tagger = np.where(truth == 1, noise < sensitivity, noise > specificity).astype(float)
        rates = Rates(pd.DataFrame({"theme": themes, "sensitivity": rng.binomial(40, sensitivity) / 40,
                                    "specificity": rng.binomial(300, specificity) / 300,
                                    "n_positive": 40, "n_negative": 300}), themes)
        shares = rates.shares(tagger, clusters, rng, 400, seed=len(covered))
        gold = truth.mean(axis=0)
        covered.append((shares["ci_low"] <= gold) & (gold <= shares["ci_high"]))
    coverage = np.mean(covered, axis=0)
    assert coverage.mean() >= 0.93 and coverage.min() >= 0.88


def _side_counts(se_d, sp_d, se_s, sp_s, n_sections=10):
    """Section counts for the orientation's two sides: 10 positives and 40 negatives per section,
    half of the sections in each of two gold plans."""
    rows = []
    for side, se, sp in (("development", se_d, sp_d), ("safety", se_s, sp_s)):
        for section in range(n_sections):
            rows.append({"theme": side, "plan_id": "gb" if section < n_sections // 2 else "us", "section": section, "true_positive": round(10 * se),
                         "false_negative": 10 - round(10 * se), "false_positive": round(40 * (1 - sp)),
                         "true_negative": 40 - round(40 * (1 - sp))})
    return pd.DataFrame(rows)


def test_balance_of_a_tagger_coded_plan_is_corrected_by_default():
    # 40 provisions in 8 sections: 16 development, 4 safety, 4 both, 16 neither
    plan = _tagged("mine", [""] * 40, [i % 8 for i in range(40)])
    plan.loc[plan.level == "action", "orientation"] = ["development"] * 16 + ["safety"] * 4 + ["both"] * 4 + ["neither"] * 16
    rates = _side_counts(0.8, 0.9, 0.6, 0.95)
    row = compare.balance(plan, rates=rates, n_boot=500).iloc[0]
    # independently: p_D = 20/40, p_S = 8/40; D = 40 (p_D + Sp - 1) / (Se + Sp - 1), S likewise
    development = 40 * (20 / 40 + 0.9 - 1) / (0.8 + 0.9 - 1)
    safety = 40 * (8 / 40 + 0.95 - 1) / (0.6 + 0.95 - 1)
    assert row.basis == BASIS and row.balance == pytest.approx(np.log((development + 0.5) / (safety + 0.5)))
    assert row.ci_low < row.balance < row.ci_high and "rates of a new plan" in row.ci_method
    assert (row.n_development, row.n_safety, row.n_both) == (16, 4, 4)  # the tagger's counts, as coded
    uncorrected = compare.balance(plan, correct=False, n_boot=200).iloc[0]
    assert uncorrected.basis == "tagger uncorrected" and uncorrected.balance == pytest.approx(np.log(20.5 / 8.5))
    # J of the safety side 0.5 + 0.6 - 1 = 0.1 < 0.2: NA with the reason
    weak = compare.balance(plan, rates=_side_counts(0.8, 0.9, 0.5, 0.6), n_boot=200).iloc[0]
    assert np.isnan(weak.balance) and "safety: NA: sensitivity + specificity - 1 = 0.10" in weak.ci_method
    shipped = compare.balance(plan, n_boot=200).iloc[0]  # the shipped validation units
    assert shipped.basis == BASIS and "predictive: one of" in shipped.ci_method


def test_balance_corrects_the_plans_a_review_does_not_cover_with_the_rates():
    plans = []
    for name in ("mine", "theirs"):
        plan = _tagged(name, [""] * 40, [i % 8 for i in range(40)])
        plan.loc[plan.level == "action", "orientation"] = ["development"] * 20 + ["safety"] * 10 + ["neither"] * 10
        plans.append(plan)
    ids = plans[0].loc[plans[0].level == "action", "unit_id"].iloc[::2]  # 20 reviewed units of "mine"
    review = pd.DataFrame({"unit_id": ids.to_numpy(), "orientation": "development", **dict.fromkeys(THEME_IDS, 0)})
    table = compare.balance(pd.concat(plans), review=review, rates=_side_counts(0.8, 0.9, 0.6, 0.95),
                            n_boot=200).set_index("plan_id")
    assert table.loc["mine", "basis"] == "tagger+review (n=20)" and table.loc["theirs", "basis"] == BASIS
    development, safety = 40 * (0.5 + 0.9 - 1) / 0.7, 40 * (0.25 + 0.95 - 1) / 0.55
    assert table.loc["theirs", "balance"] == pytest.approx(np.log((development + 0.5) / (safety + 0.5)))


def test_predictive_intervals_cover_the_gold_share_when_the_rates_transfer():
    """Property: rates from 4 gold plans (15 sections each) that err as the user's plan does;
    the intervals with a new plan's rates drawn from them hold the plan's gold share."""
    from policylab.rates import COUNTS, Rates

    rng = np.random.default_rng(1)
    themes = THEME_IDS[:5]
    prevalence = np.array([0.05, 0.1, 0.2, 0.3, 0.5])
    sensitivity, specificity = np.array([0.6, 0.7, 0.8, 0.9, 0.75]), np.array([0.95, 0.9, 0.97, 0.85, 0.9])
    sections = np.repeat(np.arange(15), 10)

    def plan():
        truth = rng.random((150, 5)) < prevalence
        noise = rng.random(truth.shape)
        return truth, np.where(truth, noise < sensitivity, noise > specificity)

    covered = []
    for draw in range(150):
        frames = []
        for g in range(4):
            truth, tagged = plan()
            cells = np.stack([truth & tagged, truth & ~tagged, ~truth & tagged, ~truth & ~tagged], axis=2)
            counts = cluster_sums(cells.reshape(150, -1).astype(float), sections).reshape(15, 5, 4)
            section, theme = np.indices((15, 5)).reshape(2, -1)
            frames.append(pd.DataFrame({"theme": np.array(themes)[theme], "plan_id": f"g{g}", "section": section,
                                        **dict(zip(COUNTS, counts.reshape(-1, 4).T))}))
        truth, tagged = plan()
        shares = Rates(pd.concat(frames), themes).shares(tagged.astype(float), sections, rng, 300, seed=draw)
        gold = truth.mean(axis=0)
        covered.append((shares["ci_low"] <= gold) & (gold <= shares["ci_high"]))
    coverage = np.mean(covered, axis=0)
    assert coverage.mean() >= 0.93 and coverage.min() >= 0.88


def test_predictive_intervals_cover_when_the_rates_vary_between_plans_and_pooled_rates_do_not():
    """Property: every plan, the user's and 5 gold plans (150 provisions in 15 sections each),
    has its own tagger sensitivity and specificity around 0.75 and 0.92 (logit-scale sd 0.5 and
    0.5, 1 and 0, 1 and 0.5 for three themes). The intervals with a new plan's rates drawn
    predictively hold the plan's gold share at least 90% of the time per theme; those with the
    pooled rates redrawn (how well their mean is known) do not, for any theme."""
    from scipy.special import expit, logit

    from policylab.rates import COUNTS, Rates

    rng = np.random.default_rng(4)
    themes, prevalence = THEME_IDS[:3], np.array([0.2, 0.3, 0.25])
    sd_sensitivity, sd_specificity = np.array([0.5, 1.0, 1.0]), np.array([0.5, 0.0, 0.5])
    sections = np.repeat(np.arange(15), 10)

    def plan():
        sensitivity = expit(logit(0.75) + sd_sensitivity * rng.standard_normal(3))
        specificity = expit(logit(0.92) + sd_specificity * rng.standard_normal(3))
        truth, noise = rng.random((150, 3)) < prevalence, rng.random((150, 3))
        return truth, np.where(truth, noise < sensitivity, noise > specificity)

    covered = {"predictive": [], "pooled": []}
    for draw in range(200):
        frames = []
        for g in range(5):
            truth, tagged = plan()
            cells = np.stack([truth & tagged, truth & ~tagged, ~truth & tagged, ~truth & ~tagged], axis=2)
            counts = cluster_sums(cells.reshape(150, -1).astype(float), sections).reshape(-1, 4)
            section, theme = np.indices((15, 3)).reshape(2, -1)
            frames.append(pd.DataFrame({"theme": np.array(themes)[theme], "plan_id": f"g{g}", "section": section,
                                        **dict(zip(COUNTS, counts.T))}))
        table = pd.concat(frames)
        tp, fn, fp, tn = (table.groupby("theme", sort=False)[c].sum().to_numpy() for c in COUNTS)
        pooled = pd.DataFrame({"theme": themes, "sensitivity": tp / (tp + fn), "specificity": tn / (tn + fp),
                               "n_positive": tp + fn, "n_negative": tn + fp})
        truth, tagged = plan()
        gold = truth.mean(axis=0)
        for name, rates in (("predictive", table), ("pooled", pooled)):
            shares = Rates(rates, themes).shares(tagged.astype(float), sections, rng, 300, seed=draw)
            covered[name].append((shares["ci_low"] <= gold) & (gold <= shares["ci_high"]))
    predictive, pooled = (np.mean(covered[name], axis=0) for name in ("predictive", "pooled"))
    assert predictive.min() >= 0.9 and pooled.max() < 0.9


def test_a_theme_the_tagger_never_flags_gets_an_interval_that_holds_a_small_true_share():
    """Property: rare themes (1-3% of 150 provisions) that the tagger (Se 0.6, Sp 0.995) often
    flags on no unit at all; rates redrawn each time. Where a plan has a true positive but no
    flag, the corrected interval still has width and holds the true share (the section
    bootstrap gave [0, 0] there), and coverage over all plans stays at 95%."""
    from policylab.rates import Rates

    rng = np.random.default_rng(2)
    themes, prevalence = THEME_IDS[:3], np.array([0.01, 0.02, 0.03])
    clusters = np.repeat(np.arange(15), 10)
    covered, width, missed = [], [], []
    for draw in range(300):
        truth = rng.random((150, 3)) < prevalence
        noise = rng.random(truth.shape)
        tagger = np.where(truth, noise < 0.6, noise > 0.995).astype(float)
        rates = Rates(pd.DataFrame({"theme": themes, "sensitivity": rng.binomial(40, 0.6) / 40,
                                    "specificity": rng.binomial(600, 0.995) / 600, "n_positive": 40,
                                    "n_negative": 600}), themes)
        shares = rates.shares(tagger, clusters, rng, 400, seed=draw)
        gold = truth.mean(axis=0)
        covered.append((shares["ci_low"] <= gold) & (gold <= shares["ci_high"]))
        width.append(shares["ci_high"] - shares["ci_low"])
        missed.append((tagger.sum(axis=0) == 0) & (gold > 0))
        if missed[-1].any():
            assert all("Jeffreys posterior" in m and "x = 0 of n = 150" in m for m in shares["ci_method"][missed[-1]])
    covered, width, missed = map(np.array, (covered, width, missed))
    assert missed.sum() >= 30  # the case this is about happens often enough to measure
    assert covered[missed].mean() >= 0.8 and width.min() > 0
    assert covered.mean(axis=0).min() >= 0.93


def test_corrected_intervals_of_small_random_plans_never_have_zero_width():
    """Property: small plans (8-60 provisions, 1-12 sections, any count of flags) and rates
    from a few gold units (some with no error at all): every usable theme's interval lies in
    [0, 1] and has width; themes, balance sides alike."""
    from policylab.rates import COUNTS, Rates

    rng = np.random.default_rng(3)
    themes = THEME_IDS[:4]
    for draw in range(150):
        n = int(rng.integers(8, 61))
        clusters = np.sort(rng.integers(0, int(rng.integers(1, 13)), n))
        tagger = (rng.random((n, 4)) < rng.choice([0, 0.02, 0.3, 0.98, 1], 4)).astype(float)
        sections = rng.integers(1, 6)
        positives, negatives = rng.integers(0, 8, (sections, 4)), rng.integers(5, 40, (sections, 4))
        true_positive = rng.binomial(positives, rng.uniform(0.6, 1, 4))
        false_positive = rng.binomial(negatives, rng.choice([0, 0.01, 0.1], 4))
        counts = np.stack([true_positive, positives - true_positive, false_positive, negatives - false_positive], axis=2)
        section, theme = np.indices((sections, 4)).reshape(2, -1)
        table = pd.DataFrame({"theme": np.array(themes)[theme], "plan_id": "g", "section": section,
                              **dict(zip(COUNTS, counts.reshape(-1, 4).T))})
        rates = Rates(table, themes)
        shares = rates.shares(tagger, clusters, rng, 200, seed=draw)
        usable = rates.usable
        assert (shares["ci_high"][usable] > shares["ci_low"][usable]).all(), (draw, shares)
        assert (shares["ci_low"][usable] >= 0).all() and (shares["ci_high"][usable] <= 1).all()


def test_the_conservative_bound_where_every_corrected_replicate_is_zero():
    """A plan that flags no unit while the rates expect 10% false positives: every replicate
    corrects to 0, and the interval is [0, Jeffreys 97.5% bound / 2.5% quantile of Se]
    (independently: scipy.stats.beta); the mirror near 1 with specificity."""
    from scipy import stats

    from policylab.rates import Rates

    rates = Rates(_rates(), ["data"])
    clusters = np.repeat(np.arange(15), 10)
    none, every = np.zeros((150, 1)), np.ones((150, 1))
    low = rates.shares(none, clusters, np.random.default_rng(0), 1000, seed=4)
    sensitivity, specificity = rates.draws(1000, seed=4)
    assert low["ci_low"][0] == 0 and low["ci_high"][0] == pytest.approx(
        stats.beta.ppf(0.975, 0.5, 150.5) / np.percentile(sensitivity[:, 0], 2.5))
    assert low["ci_method"][0].startswith("conservative bound: upper") and "corrected to 0" in low["ci_method"][0]
    high = rates.shares(every, clusters, np.random.default_rng(0), 1000, seed=4)
    assert high["ci_high"][0] == 1 and high["ci_low"][0] == pytest.approx(
        1 - (1 - stats.beta.ppf(0.025, 150.5, 0.5)) / np.percentile(specificity[:, 0], 2.5))
    assert "x = 150 of n = 150 units; fewer than 5 unflagged" in high["ci_method"][0]
    # A theme with enough flags in enough sections keeps the section bootstrap.
    some = (np.arange(150) % 4 == 0)[:, None].astype(float)
    assert rates.shares(some, clusters, np.random.default_rng(0), 400, seed=4)["ci_method"][0].startswith("section bootstrap")


def test_jeffreys_draws_of_the_plan_share_and_of_a_rate_without_errors():
    """The Jeffreys steps draw from Beta(k + 1/2, m - k + 1/2): their spread is that of
    scipy.stats.beta, for the plan's share (2 of 150 flagged) and for a specificity
    measured on gold units with no false positive (which the bootstrap left at exactly 1)."""
    from scipy import stats

    from policylab.rates import Rates

    table = _two_plans((0.8, 0.8))
    table["false_positive"], table["true_negative"] = 0, 30  # 600 negatives, none flagged
    rates = Rates(table, ["data"])
    _, specificity = rates.draws(4000, seed=1)
    # each gold plan: 300 negatives, none flagged; a new plan's specificity from either plan's posterior
    assert np.percentile(specificity[:, 0], [2.5, 50]) == pytest.approx(stats.beta.ppf([0.025, 0.5], 300.5, 0.5), rel=2e-3)
    tagger = np.zeros((150, 1))
    tagger[[3, 70]] = 1
    observed, why, _, _ = rates.observed(tagger, np.repeat(np.arange(15), 10), np.random.default_rng(0), 4000)
    assert why[0] == "fewer than 5 flagged"
    assert np.percentile(observed[:, 0], [2.5, 97.5]) == pytest.approx(stats.beta.ppf([0.025, 0.975], 2.5, 148.5), rel=0.05)
    shares = rates.shares(tagger, np.repeat(np.arange(15), 10), np.random.default_rng(0), 400, seed=1)
    assert "specificity of 2 of them drawn from its Jeffreys posterior (fewer than 5 true negatives or false positives" \
        in shares["ci_method"][0]
    # 2 of 10 flagged in every section: no section resample moves the share (0.2), so Jeffreys draws too
    even = (np.arange(150) % 5 == 0)[:, None].astype(float)
    observed, why, _, _ = rates.observed(even, np.repeat(np.arange(15), 10), np.random.default_rng(0), 400)
    assert why[0] == "no section resample moves it" and observed[:, 0].std() > 0.01


def test_balance_of_a_plan_without_oriented_provisions_has_an_interval_with_width():
    # 40 provisions in 8 sections, none oriented: D = S = 0 in every section resample
    plan = _tagged("mine", [""] * 40, [i % 8 for i in range(40)])
    row = compare.balance(plan, rates=_side_counts(0.8, 0.9, 0.6, 0.95), n_boot=500).iloc[0]
    assert row.balance == 0 and row.ci_low < 0 < row.ci_high
    assert row.ci_method.startswith("the sides' intervals combined") and "conservative bound" in row.ci_method

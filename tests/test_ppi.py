"""Prediction-powered shares: the formula against a worked example and the reference
implementation (ppi_py), the compare functions with a review, and the coverage of the
intervals when the hand-coded plans are treated as users' plans."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import policylab as pl
from policylab import compare, ppi, simulation
from policylab.review import FewReviewedWarning
from policylab.themes import THEME_IDS

CODED_COLUMNS = ["actors", "instruments", "themes", "orientation", "basis", "confidence"]


def test_worked_example_by_hand():
    # ten units tagged; units 0, 2, 4 and 6 reviewed by hand
    tagger = np.array([1, 1, 0, 0, 1, 0, 0, 0, 1, 0], dtype=float)
    reviewed = [0, 2, 4, 6]
    hand = np.array([1, 1, 1, 0], dtype=float)  # the tagger missed unit 2
    # tagger share 4/10 = 0.4; differences hand - tagger = (0, 1, 0, 0), mean 0.25
    mean, se = ppi.ppi_mean_se(tagger, tagger[reviewed], hand)
    assert mean == pytest.approx(0.65)
    # var(t) = 0.4 * 0.6 = 0.24 over N = 10; var(difference) = 0.25 * 0.75 = 0.1875 over n = 4
    assert se == pytest.approx(math.sqrt(0.24 / 10 + 0.1875 / 4))
    weight = np.zeros(10)
    weight[reviewed] = 10 / 4
    full_hand = np.full(10, np.nan)
    full_hand[reviewed] = hand
    assert ppi.pseudo_outcomes(tagger[:, None], full_hand[:, None], weight).mean() == pytest.approx(0.65)
    # weights: unit 2 (the miss) counts double -> differences weighted (0, 2, 0, 0) / mean weight 1.25
    mean, _ = ppi.ppi_mean_se(tagger, tagger[reviewed], hand, weight=np.array([1, 2, 1, 1.0]))
    assert mean == pytest.approx(0.4 + 2 / 5)


def test_mean_and_interval_agree_with_ppi_py():
    ppi_py = pytest.importorskip("ppi_py")
    rng = np.random.default_rng(7)
    truth = rng.random((400, 3)) < [0.1, 0.3, 0.6]
    tagger = np.where(rng.random((400, 3)) < 0.8, truth, ~truth).astype(float)
    labelled = rng.choice(400, size=60, replace=False)
    weight = rng.uniform(0.5, 2, size=60)
    for w in (None, weight):
        mean, se = ppi.ppi_mean_se(tagger, tagger[labelled], truth[labelled].astype(float), weight=w)
        low, high = ppi_py.ppi_mean_ci(truth[labelled].astype(float), tagger[labelled], tagger, alpha=0.05, lam=1, w=w)
        np.testing.assert_allclose(mean - compare.Z95 * se, low, rtol=1e-6)
        np.testing.assert_allclose(mean + compare.Z95 * se, high, rtol=1e-6)


@pytest.fixture(scope="module")
def plans():
    """The US and UK hand-coded plans, and the same plans coded by the dictionary tagger
    (from our summaries, the text the coded edition holds)."""
    gold = pl.load_corpus(["us-aap-2025", "gb-aiop-2025"], source="coded")
    tagged = pl.code_plan(gold.drop(columns=CODED_COLUMNS)).assign(plan_id=lambda d: "mine-" + d["plan_id"])
    tagged["unit_id"] = "mine-" + tagged["unit_id"]
    tagged["parent_id"] = "mine-" + tagged["parent_id"].astype("string")
    return gold, tagged


def _review(gold, tagged, plan, n, seed=0):
    """A review sample of the tagged plan, 'coded' from the gold codes."""
    sample = pl.review_sample(tagged[tagged.plan_id == plan], n=n, seed=seed)
    codes = gold.set_index("unit_id").loc[sample["unit_id"].str.removeprefix("mine-")]
    frame = pd.DataFrame({"unit_id": sample["unit_id"],
                          **{t: [int(t in (s or "").split(";")) for s in codes["themes"]] for t in THEME_IDS},
                          "orientation": codes["orientation"].to_numpy(), "weight": sample["weight"]})
    return frame


def test_a_full_review_gives_the_hand_codes_and_gold_rows_do_not_change(plans):
    gold, tagged = plans
    mine = tagged[tagged.plan_id == "mine-gb-aiop-2025"]
    review = _review(gold, tagged, "mine-gb-aiop-2025", n=10_000)
    both = pd.concat([gold[gold.plan_id == "us-aap-2025"], mine])
    shares = compare.theme_shares(both, review=review, n_boot=300)
    corrected = shares[shares.plan_id == "mine-gb-aiop-2025"].set_index("theme")
    hand = compare.theme_shares(gold[gold.plan_id == "gb-aiop-2025"], n_boot=300).set_index("theme")
    np.testing.assert_allclose(corrected["share"], hand["share"])
    assert set(corrected["basis"]) == {"tagger+review (n=147)"} and set(corrected["n_reviewed"]) == {147}
    before = compare.theme_shares(both, n_boot=300, correct=False)
    pd.testing.assert_frame_equal(shares[shares.plan_id == "us-aap-2025"].drop(columns="n_reviewed"),
                                  before[before.plan_id == "us-aap-2025"])
    assert set(before[before.plan_id == "mine-gb-aiop-2025"]["basis"]) == {"tagger uncorrected"}
    corrected_balance = compare.balance(both, review=review, n_boot=300).set_index("plan_id")
    assert corrected_balance.loc["mine-gb-aiop-2025", "balance"] == pytest.approx(
        compare.balance(gold[gold.plan_id == "gb-aiop-2025"], n_boot=300)["balance"].iloc[0])
    assert corrected_balance.loc["mine-gb-aiop-2025", "basis"] == "tagger+review (n=147)"


def test_contrast_and_balance_use_the_corrected_values(plans):
    gold, tagged = plans
    review = _review(gold, tagged, "mine-gb-aiop-2025", n=60, seed=2)
    both = pd.concat([gold[gold.plan_id == "us-aap-2025"], tagged[tagged.plan_id == "mine-gb-aiop-2025"]])
    shares = compare.theme_shares(both, review=review, n_boot=300).set_index(["plan_id", "theme"])
    table = compare.contrast(both, "mine-gb-aiop-2025", "us-aap-2025", review=review, n_boot=300, n_perm=300)
    np.testing.assert_allclose(table["share_a"], shares.loc["mine-gb-aiop-2025", "share"].loc[list(THEME_IDS)])
    assert set(table["basis_a"]) == {"tagger+review (n=60)"} and set(table["basis_b"]) == {"gold"}
    uncorrected = compare.contrast(both, "mine-gb-aiop-2025", "us-aap-2025", n_boot=300, n_perm=300)
    assert not np.allclose(table["p_value"], uncorrected["p_value"])
    assert not np.allclose(table["share_a"], uncorrected["share_a"])


def test_bad_reviews_are_refused_and_a_small_one_warns(plans):
    gold, tagged = plans
    both = pd.concat([gold[gold.plan_id == "us-aap-2025"], tagged[tagged.plan_id == "mine-gb-aiop-2025"]])
    review = _review(gold, tagged, "mine-gb-aiop-2025", n=60)
    gold_review = review.assign(unit_id=review["unit_id"].str.replace("mine-gb-aiop-2025", "us-aap-2025"))
    gold_review = gold_review[gold_review["unit_id"].isin(gold["unit_id"])]
    with pytest.raises(ppi.ReviewMismatchError, match="coded by hand"):
        compare.theme_shares(both, review=gold_review)
    with pytest.raises(ppi.ReviewMismatchError, match="orientation"):
        compare.balance(both, review=review.drop(columns="orientation"))
    with pytest.raises(compare.CompareError, match="measure='attention'"):
        compare.theme_shares(both, review=review, measure="attention")
    with pytest.raises(ppi.ReviewMismatchError, match="group by plan_id"):
        compare.theme_shares(both, review=review.head(30), by=("plan_id", "part"))
    with pytest.raises(ppi.ReviewMismatchError, match="no coded unit"):
        compare.theme_shares(both, review=review.head(0))
    with pytest.warns(FewReviewedWarning, match="12 coded units.*intervals are wide"):
        small = compare.theme_shares(both, review=review.head(12), n_boot=300)
    assert set(small[small.plan_id == "mine-gb-aiop-2025"]["basis"]) == {"tagger+review (n=12)"}


def _simulated(plans, n, draws):
    gold, tagged = plans
    tables = []
    for plan in ("us-aap-2025", "gb-aiop-2025"):
        truth = compare.provisions(gold[gold.plan_id == plan])
        mine = compare.provisions(tagged[tagged.plan_id == f"mine-{plan}"])
        tables.append(simulation.simulate(mine[list(THEME_IDS)].to_numpy(float), truth[list(THEME_IDS)].to_numpy(float),
                                   truth["cluster"].to_numpy(), n=n, draws=draws, seed=1, n_boot=500))
    return pd.concat(tables)


def test_prediction_powered_intervals_cover_the_hand_coded_share_and_beat_the_sample_alone(plans):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = _simulated(plans, n=60, draws=300)
    summary = table.groupby("method")[["covered", "width"]].mean()
    assert summary.loc["tagger+review", "covered"] >= 0.93
    assert summary.loc["tagger+review", "width"] < summary.loc["review sample alone", "width"]
    # the corrected estimate is unbiased: its mean over draws sits near the hand-coded share
    corrected = table[table.method == "tagger+review"].groupby("theme")[["share", "truth"]].mean()
    np.testing.assert_allclose(corrected["share"], corrected["truth"], atol=0.02)


def test_charts_mark_corrected_plans(plans):
    import matplotlib

    matplotlib.use("Agg")
    from policylab import plotting

    gold, tagged = plans
    review = _review(gold, tagged, "mine-gb-aiop-2025", n=60)
    both = pd.concat([gold[gold.plan_id == "us-aap-2025"], tagged[tagged.plan_id == "mine-gb-aiop-2025"]])
    ax = plotting.plot_theme_shares(compare.theme_shares(both, review=review, n_boot=200))
    markers = {line.get_marker() for line in ax.lines}
    assert {"D", "o"} <= markers and "s" not in markers
    assert any("hand-coded review sample" in t.get_text() for t in ax.figure.texts)
    matplotlib.pyplot.close(ax.figure)

"""The repeated-draw coverage of the Rogan-Gladen intervals (``policylab.simulation.rogan_gladen``,
printed by ``benchmarks/coverage_rates.py``): users' plans drawn as section resamples of one
plan get the intervals ``theme_shares`` would give them, and the coverage it reports sees
whether that plan's tagger errs as the rates say."""

import numpy as np
import pandas as pd
import pytest

import policylab as pl
from policylab import compare, simulation
from policylab.comparing.provisions import PROVISION_LEVELS
from policylab.rates import COUNTS, Rates, default_rates
from policylab.resampling import cluster_sums
from policylab.themes import THEME_IDS

CODED = ["actors", "instruments", "themes", "orientation", "basis", "confidence"]


def _drawn_plan(rows: pd.DataFrame, positions, sections, plan_id: str) -> pd.DataFrame:
    """A unit table of the drawn plan: the provisions at ``positions`` under new section headings."""
    heads = [f"{plan_id}/s{s:03d}" for s in sections]
    units = rows.iloc[positions].assign(plan_id=plan_id, parent_id=heads, part=pd.NA,
                                        unit_id=[f"{h}/u{i:04d}" for i, h in enumerate(heads)])
    headings = pd.DataFrame({"plan_id": plan_id, "unit_id": sorted(set(heads)), "parent_id": f"{plan_id}/title",
                             "level": "section", "themes": pd.NA})
    return pd.concat([headings, units], ignore_index=True)


def test_repeated_draws_give_each_drawn_plan_the_intervals_theme_shares_gives_it():
    """The benchmark's vectorised path against theme_shares on the drawn plans written out as
    unit tables: the UK plan tagged by default, corrected with the other plans' rates."""
    gold = pl.load_plan("gb-aiop-2025", source="coded")
    tagged = pl.code_plan(gold.drop(columns=CODED))
    units, truth = compare.provisions(tagged), compare.provisions(gold)
    rates = default_rates(tagged)
    assert "gb-aiop-2025" not in set(rates["plan_id"])  # out of plan
    tagger_codes = units[list(THEME_IDS)].to_numpy(dtype=float)
    table = simulation.rogan_gladen(tagger_codes, truth[list(THEME_IDS)].to_numpy(dtype=float), units["cluster"],
                                    Rates(rates, THEME_IDS), draws=3, label="uk", n_boot=300)
    draws = simulation.section_draws(units["cluster"], 3, "uk")
    for draw, (positions, sections) in enumerate(draws):
        plan_id = f"uk~{draw:04d}"
        mine = _drawn_plan(tagged[tagged["level"].isin(PROVISION_LEVELS)], positions, sections, plan_id)
        hand = _drawn_plan(gold[gold["level"].isin(PROVISION_LEVELS)], positions, sections, plan_id)
        rows = table[table["draw"] == draw].set_index("method")
        for method, options in zip(simulation.RATES_METHODS, ({"rates": rates}, {"correct": False})):
            shares = compare.theme_shares(mine, n_boot=300, **options)
            assert (shares["basis"] == method).all()
            expected = rows.loc[method]
            for column in ("share", "ci_low", "ci_high"):
                np.testing.assert_allclose(shares[column].to_numpy(dtype=float), expected[column], rtol=1e-12)
            np.testing.assert_allclose(compare.theme_shares(hand, n_boot=50)["share"], expected["truth"], rtol=1e-12)
    assert len(set(table["truth"].round(12))) > 13  # the draws differ, so does their truth


def _exact_errors(truth: np.ndarray, sensitivity, specificity, rng) -> np.ndarray:
    """Tagger codes that err at exactly these rates, per theme (units flagged at random)."""
    tagged = np.zeros_like(truth)
    for j in range(truth.shape[1]):
        for value, flag_share in ((True, sensitivity[j]), (False, 1 - specificity[j])):
            rows = np.flatnonzero(truth[:, j] == value)
            tagged[rng.choice(rows, round(flag_share * len(rows)), replace=False), j] = True
    return tagged


def test_repeated_draws_cover_where_the_plans_rates_transfer_and_not_where_its_recall_differs():
    """Property: a plan of 200 provisions in 20 sections and 4 gold plans whose tagger errs at
    the same rates: the corrected intervals of its section resamples hold their gold share
    per theme, where the uncorrected interval of an over-flagging tagger does not; a theme whose
    recall in the plan (0.4) is far below the gold plans' (0.9) is reported as not covered."""
    rng = np.random.default_rng(3)
    themes = THEME_IDS[:3]
    prevalence = np.array([0.1, 0.3, 0.3])
    sensitivity, specificity = np.array([0.9, 0.6, 0.9]), np.array([0.8, 0.95, 0.95])
    frames = []
    for g in range(4):
        truth = rng.random((150, 3)) < prevalence
        tagged = _exact_errors(truth, sensitivity, specificity, rng)
        cells = np.stack([truth & tagged, truth & ~tagged, ~truth & tagged, ~truth & ~tagged], axis=2)
        counts = cluster_sums(cells.reshape(150, -1).astype(float), np.repeat(np.arange(15), 10)).reshape(-1, 4)
        section, theme = np.indices((15, 3)).reshape(2, -1)
        frames.append(pd.DataFrame({"theme": np.array(themes)[theme], "plan_id": f"g{g}", "section": section,
                                    **dict(zip(COUNTS, counts.T))}))
    truth = rng.random((200, 3)) < prevalence
    own_recall = np.array([0.9, 0.6, 0.4])  # the third theme's recall does not transfer
    tagged = _exact_errors(truth, own_recall, specificity, rng)
    table = simulation.rogan_gladen(tagged, truth, np.repeat(np.arange(20), 10), Rates(pd.concat(frames), themes),
                                    draws=200, label="simulated", n_boot=500)
    coverage = table.groupby(["method", "theme"])["covered"].mean()
    corrected, uncorrected = coverage[simulation.RATES_METHODS[0]], coverage[simulation.RATES_METHODS[1]]
    assert corrected[0] >= 0.9 and corrected[1] >= 0.9
    assert uncorrected[0] < 0.5  # flags 0.09 + 0.18 of units where 0.1 are about it: the baseline misses
    assert corrected[2] < 0.5  # the correction cannot know this plan's recall: the measurement says so


@pytest.mark.parametrize("clusters", [np.repeat(["b", "a", "c"], [2, 3, 1]), np.arange(5)])
def test_section_draws_keep_a_sections_units_together(clusters):
    for positions, sections in simulation.section_draws(clusters, 20, "x"):
        assert sections.max() + 1 == len(set(clusters))  # as many sections as the plan has
        for s in range(sections.max() + 1):
            drawn = positions[sections == s]
            assert len(set(clusters[drawn])) == 1 and len(drawn) == (clusters == clusters[drawn[0]]).sum()

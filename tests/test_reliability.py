"""Agreement statistics: hand-worked examples and the `krippendorff` package as an independent check."""

import math

import krippendorff
import numpy as np
import pandas as pd
import pytest

from policylab.coded import agreement
from policylab.reliability import (
    agreement_table,
    alpha_interval,
    gwet_ac1,
    krippendorff_alpha,
    masi_distance,
)
from policylab.themes import THEME_IDS


def test_alpha_matches_a_hand_computed_example():
    # Coincidences: 2x(1,1), 4x(0,0), 1x(1,0)+(0,1); n=8, n1=3, n0=5 -> 1 - 7*2/30.
    assert krippendorff_alpha([1, 0, 1, 0], [1, 0, 0, 0]) == pytest.approx(1 - 14 / 30)


def test_alpha_is_one_for_perfect_agreement_and_below_zero_for_systematic_disagreement():
    assert krippendorff_alpha(["a", "b", "c"], ["a", "b", "c"]) == 1
    assert krippendorff_alpha([1, 0, 1, 0], [0, 1, 0, 1]) < 0
    assert math.isnan(krippendorff_alpha([1, 1], [1, 1]))


@pytest.mark.parametrize("seed", range(5))
def test_nominal_alpha_agrees_with_the_krippendorff_package(seed):
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 4, 60)
    second = np.where(rng.random(60) < 0.7, first, rng.integers(0, 4, 60))
    expected = krippendorff.alpha(reliability_data=[first, second], level_of_measurement="nominal")
    assert krippendorff_alpha(first.tolist(), second.tolist()) == pytest.approx(expected)


def test_masi_distance_on_hand_worked_pairs():
    a, b = frozenset({"nist", "doe"}), frozenset({"nist"})
    assert masi_distance(a, a) == 0 and masi_distance(frozenset(), frozenset()) == 0
    assert masi_distance(a, b) == pytest.approx(1 - 0.5 * 2 / 3)  # subset: Jaccard 1/2, monotonicity 2/3
    assert masi_distance(a, frozenset({"nist", "nsf"})) == pytest.approx(1 - (1 / 3) * (1 / 3))  # overlap
    assert masi_distance(a, frozenset({"nsf"})) == 1


def test_masi_alpha_agrees_with_the_krippendorff_package_given_the_same_distance():
    sets = [frozenset(), frozenset({"nist"}), frozenset({"nist", "doe"}), frozenset({"doe"}), frozenset({"nsf"})]
    rng = np.random.default_rng(4)
    first = rng.integers(0, len(sets), 50)
    second = np.where(rng.random(50) < 0.6, first, rng.integers(0, len(sets), 50))
    table = np.array([[masi_distance(x, y) for y in sets] for x in sets])
    expected = krippendorff.alpha(reliability_data=[first, second], value_domain=list(range(len(sets))),
                                  level_of_measurement=lambda v1, v2, i1, i2, n_v, dtype=float: table[i1, i2])
    ours = krippendorff_alpha([sets[i] for i in first], [sets[i] for i in second], masi_distance)
    assert ours == pytest.approx(expected)
    # On single-name sets MASI is the nominal distance, so alpha is the nominal alpha.
    singles = [frozenset({i}) for i in first], [frozenset({i}) for i in second]
    assert krippendorff_alpha(*singles, masi_distance) == pytest.approx(krippendorff_alpha(first.tolist(), second.tolist()))


def test_gwet_ac1_matches_a_hand_worked_example():
    # Pa = 3/4; category shares over both coders: 3/8 and 5/8; Pe = 2 * (3/8)(5/8) / (2 - 1) = 15/32.
    assert gwet_ac1([1, 0, 1, 0], [1, 0, 0, 0]) == pytest.approx((3 / 4 - 15 / 32) / (1 - 15 / 32))
    # A rare theme: one disagreement in 40 units leaves alpha near 0 but AC1 high.
    first, second = [0] * 39 + [1], [0] * 40
    assert krippendorff_alpha(first, second) < 0.05 and gwet_ac1(first, second) > 0.95


def test_alpha_interval_resamples_units_and_brackets_alpha():
    rng = np.random.default_rng(2)
    first = rng.integers(0, 2, 200).tolist()
    second = [a if rng.random() < 0.85 else 1 - a for a in first]
    low, high = alpha_interval(first, second, label="t")
    assert low < krippendorff_alpha(first, second) < high and high - low < 0.3
    assert alpha_interval(first, second, label="t") == (low, high)


def test_agreement_table_joins_on_unit_id():
    a = pd.DataFrame({"unit_id": ["u1", "u2", "u3", "u4"], "t": [1, 0, 1, 0]})
    b = pd.DataFrame({"unit_id": ["u4", "u3", "u2", "u1"], "t": [0, 0, 0, 1]})
    row = agreement_table(a, b, ["t"], round_label="r1").iloc[0]
    assert (row.field, row["round"], row.n_units, row.percent_agreement) == ("t", "r1", 4, 75.0)
    assert row.alpha == round(1 - 14 / 30, 3)


def test_instruments_and_actors_agreement_from_a_second_pass():
    """A small invented second pass: per-instrument alpha and a MASI alpha for the actor lists."""
    ids = [f"us-aap-2025/p1/s01/a{i:02d}" for i in range(1, 9)]
    codes = pd.DataFrame({"unit_id": ids, **{t: 0 for t in THEME_IDS}, "orientation": "neither"})
    editors = pd.DataFrame({"unit_id": ids, "instruments": ["funding", "funding;research", "", "guidance"] * 2,
                            "actors": ["NIST", "NIST;DOE", "", "OSTP"] * 2})
    second = editors.assign(instruments=["funding", "research", "", "guidance"] * 2,
                            actors=["nist", "NIST", "", "NSF"] * 2)
    table = agreement(codes, codes, "1", (editors, second)).query("plan_id == 'all'").set_index("field")
    assert table.loc["guidance", "alpha"] == 1 and table.loc["guidance", "kind"] == "instrument"
    assert table.loc["funding", "percent_agreement"] == 75.0
    actors = table.loc["actors"]
    assert actors.kind == "actors" and 0 < actors.alpha < 1 and math.isnan(actors.ac1)
    assert actors.percent_agreement == 50.0  # names are compared case-blind

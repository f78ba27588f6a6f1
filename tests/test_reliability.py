"""Agreement statistics on hand-worked examples."""

import math

import pandas as pd
import pytest

from policylab.reliability import agreement_table, krippendorff_alpha


def test_alpha_matches_a_hand_computed_example():
    # Coincidences: 2x(1,1), 4x(0,0), 1x(1,0)+(0,1); n=8, n1=3, n0=5 -> 1 - 7*2/30.
    assert krippendorff_alpha([1, 0, 1, 0], [1, 0, 0, 0]) == pytest.approx(1 - 14 / 30)


def test_alpha_is_one_for_perfect_agreement_and_below_zero_for_systematic_disagreement():
    assert krippendorff_alpha(["a", "b", "c"], ["a", "b", "c"]) == 1
    assert krippendorff_alpha([1, 0, 1, 0], [0, 1, 0, 1]) < 0
    assert math.isnan(krippendorff_alpha([1, 1], [1, 1]))


def test_agreement_table_joins_on_unit_id():
    a = pd.DataFrame({"unit_id": ["u1", "u2", "u3", "u4"], "t": [1, 0, 1, 0]})
    b = pd.DataFrame({"unit_id": ["u4", "u3", "u2", "u1"], "t": [0, 0, 0, 1]})
    table = agreement_table(a, b, ["t"], round_label="r1")
    assert table.to_dict("records") == [
        {"theme": "t", "round": "r1", "n_units": 4, "percent_agreement": 75.0, "alpha": round(1 - 14 / 30, 3)}]

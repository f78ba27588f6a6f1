"""Agreement between two independent coding passes.

- Krippendorff's alpha (nominal values, or any distance such as MASI for set-valued codes),
  with a percentile bootstrap interval that resamples units;
- Gwet's AC1, which stays informative for rare categories: where one value dominates,
  alpha's expected disagreement is tiny and a single slip moves it a lot (the "paradox"
  of high agreement and low alpha), while AC1 does not collapse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .resampling import group_rng, resample_counts

N_BOOT = 1000
SEED = 20250723


def krippendorff_alpha(first: Sequence, second: Sequence, distance: Callable | None = None) -> float:
    """Krippendorff's alpha for two coders and no missing data: 1 - D_o / D_e, D_o the mean
    distance between the two values of a unit, D_e the mean distance between all pairs of
    the 2N values. Nominal by default (distance 0 for equal values, else 1); pass
    ``distance=masi_distance`` for set-valued codes. NaN when every value is the same.
    """
    return float(_alphas(first, second, distance)[0])


def _alphas(first: Sequence, second: Sequence, distance: Callable | None = None,
            weights: np.ndarray | None = None) -> np.ndarray:
    """Alpha for each row of unit ``weights`` (how often each unit is drawn; default once)."""
    if len(first) != len(second):
        raise ValueError(f"coders rated different numbers of units: {len(first)} and {len(second)}")
    values = sorted(set(first) | set(second), key=str)
    code = {v: i for i, v in enumerate(values)}
    if distance is None:
        between = 1 - np.eye(len(values))
    else:
        between = np.array([[distance(a, b) for b in values] for a in values], dtype=float)
    in_a = np.array([code[v] for v in first], dtype=int)
    in_b = np.array([code[v] for v in second], dtype=int)
    membership = np.zeros((len(in_a), len(values)))
    np.add.at(membership, (np.arange(len(in_a)), in_a), 1)
    np.add.at(membership, (np.arange(len(in_b)), in_b), 1)
    weights = np.ones((1, len(in_a))) if weights is None else weights
    n = 2 * weights.sum(axis=1)
    counts = weights @ membership
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = 2 * (weights @ between[in_a, in_b]) / n
        expected = ((counts @ between) * counts).sum(axis=1) / (n * (n - 1))
        return np.where(expected > 0, 1 - observed / expected, np.nan)


def gwet_ac1(first: Sequence, second: Sequence, categories: Sequence | None = None) -> float:
    """Gwet's AC1 for two coders: (Pa - Pe) / (1 - Pe), with Pa the observed agreement and
    Pe = sum over the q categories of pi_k (1 - pi_k) / (q - 1), pi_k the mean of the two
    coders' proportions in category k (Gwet 2008). ``categories``: all possible values
    (default: the values seen)."""
    if len(first) != len(second):
        raise ValueError(f"coders rated different numbers of units: {len(first)} and {len(second)}")
    categories = sorted(set(first) | set(second), key=str) if categories is None else list(categories)
    q = len(categories)
    if q < 2 or not len(first):
        return float("nan")
    observed = float(np.mean([a == b for a, b in zip(first, second)]))
    count_a, count_b = Counter(first), Counter(second)
    pi = np.array([(count_a[k] + count_b[k]) / (2 * len(first)) for k in categories])
    chance = float((pi * (1 - pi)).sum() / (q - 1))
    return (observed - chance) / (1 - chance)


def masi_distance(a: frozenset, b: frozenset) -> float:
    """MASI distance between two sets (Passonneau 2006): 1 - Jaccard x monotonicity, where
    monotonicity is 1 for equal sets, 2/3 when one contains the other, 1/3 when they
    overlap, 0 when disjoint. Two empty sets are equal (distance 0)."""
    if a == b:
        return 0.0
    union = len(a | b)
    jaccard = len(a & b) / union
    monotonicity = 2 / 3 if (a <= b or b <= a) else (1 / 3 if a & b else 0.0)
    return 1 - jaccard * monotonicity


def alpha_interval(first: Sequence, second: Sequence, *, distance: Callable | None = None, label: str = "",
                   n_boot: int = N_BOOT, seed: int = SEED) -> tuple[float, float]:
    """95% percentile bootstrap interval of alpha, resampling units (the stream is derived
    from ``seed`` and ``label``). Resamples showing one value only are skipped; NaN when
    alpha itself is undefined."""
    n = len(first)
    if n == 0:
        return float("nan"), float("nan")
    weights = resample_counts(n, group_rng(seed, ["agreement", label]), n_boot).astype(float)
    boot = _alphas(first, second, distance, weights)
    if np.isnan(boot).all() or np.isnan(krippendorff_alpha(first, second, distance)):
        return float("nan"), float("nan")
    low, high = np.nanpercentile(boot, [2.5, 97.5])
    return float(low), float(high)


def agreement_row(first: Sequence, second: Sequence, *, label: str, categories: Sequence | None = None,
                  distance: Callable | None = None, n_boot: int = N_BOOT, seed: int = SEED) -> dict:
    """n_units, percent agreement, alpha with its bootstrap interval, and AC1 (categorical
    codes only: NaN with a ``distance``)."""
    low, high = alpha_interval(first, second, distance=distance, label=label, n_boot=n_boot, seed=seed)
    ac1 = gwet_ac1(first, second, categories) if distance is None else float("nan")
    return {"n_units": len(first),
            "percent_agreement": round(100 * float(np.mean([a == b for a, b in zip(first, second)])), 1),
            "alpha": round(krippendorff_alpha(first, second, distance), 3), "alpha_low": round(low, 3),
            "alpha_high": round(high, 3), "ac1": round(ac1, 3)}


def agreement_table(first: pd.DataFrame, second: pd.DataFrame, columns: Sequence[str], *,
                    round_label: str, stream: str = "", categories: dict | None = None,
                    distance: Callable | None = None, n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """Per column: units coded by both, percent agreement, alpha with interval and AC1
    (rows joined on unit_id; ``categories`` maps a column to its possible values; each
    column's bootstrap stream comes from ``seed``, ``stream``, the round and the column)."""
    joined = first.merge(second, on="unit_id", suffixes=("_a", "_b"), validate="one_to_one")
    rows = []
    for column in columns:
        a, b = joined[f"{column}_a"].tolist(), joined[f"{column}_b"].tolist()
        rows.append({"field": column, "round": round_label,
                     **agreement_row(a, b, label=f"{stream}|{round_label}|{column}", distance=distance,
                                     categories=(categories or {}).get(column), n_boot=n_boot, seed=seed)})
    return pd.DataFrame(rows)

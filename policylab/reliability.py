"""Agreement between independent coding passes: percent agreement and Krippendorff's alpha."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd


def krippendorff_alpha(first: Sequence, second: Sequence) -> float:
    """Krippendorff's alpha for two coders, nominal values, no missing data.

    alpha = 1 - (n - 1) * disagreeing pairs / expected disagreeing pairs, from the
    coincidence matrix. NaN when every value is the same (no variation to agree on).
    """
    if len(first) != len(second):
        raise ValueError(f"coders rated different numbers of units: {len(first)} and {len(second)}")
    pairs = Counter()
    for a, b in zip(first, second):
        pairs[a, b] += 1
        pairs[b, a] += 1
    n = 2 * len(first)
    totals = Counter()
    for (a, _), count in pairs.items():
        totals[a] += count
    observed = sum(count for (a, b), count in pairs.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b)
    if expected == 0:
        return float("nan")
    return 1 - (n - 1) * observed / expected


def agreement_table(first: pd.DataFrame, second: pd.DataFrame, columns: Sequence[str], *,
                    round_label: str) -> pd.DataFrame:
    """Per column: units coded by both, percent agreement and alpha (rows joined on unit_id)."""
    joined = first.merge(second, on="unit_id", suffixes=("_a", "_b"), validate="one_to_one")
    rows = []
    for column in columns:
        a, b = joined[f"{column}_a"].tolist(), joined[f"{column}_b"].tolist()
        rows.append({
            "theme": column,
            "round": round_label,
            "n_units": len(joined),
            "percent_agreement": round(100 * sum(x == y for x, y in zip(a, b)) / len(joined), 1),
            "alpha": round(krippendorff_alpha(a, b), 3),
        })
    return pd.DataFrame(rows)

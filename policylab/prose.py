"""Sentences for notebook conclusions, built from the statistics so that every number in
the prose is computed, and hedged where an interval includes zero."""

from __future__ import annotations

import pandas as pd


def pct(value: float) -> str:
    """A share as a whole-number percentage: 0.2564 -> "26%"."""
    return f"{100 * value:.0f}%"


def interval(low: float, high: float, *, percent: bool = True) -> str:
    """ "[12%, 31%]" or "[-0.07, 1.24]"."""
    return f"[{pct(low)}, {pct(high)}]" if percent else f"[{low:.2f}, {high:.2f}]"


def includes_zero(low: float, high: float) -> bool:
    return low <= 0 <= high


def share_sentence(row: pd.Series, label: str) -> str:
    """ "US 2025: 3% of 156 provisions [1%, 7%]"."""
    return f"{label}: {pct(row['share'])} of {int(row['n_units'])} provisions {interval(row['ci_low'], row['ci_high'])}"


def contrast_sentence(row: pd.Series, label_a: str, label_b: str) -> str:
    """One theme of compare.contrast in words, hedged when the difference's interval includes zero."""
    points = 100 * row["difference"]
    gap = (f"{label_a} {pct(row['share_a'])} (n={int(row['n_a'])}) against {label_b} {pct(row['share_b'])} "
           f"(n={int(row['n_b'])}): a difference of {points:+.1f} percentage points, 95% interval "
           f"[{100 * row['ci_low']:+.1f}, {100 * row['ci_high']:+.1f}], permutation p = {row['p_value']:.3f} "
           f"(BH-adjusted {row['p_adjusted']:.3f})")
    if includes_zero(row["ci_low"], row["ci_high"]):
        return gap + "; the interval includes zero, so these data do not show a difference."
    return gap + "; the interval excludes zero."


def balance_sentence(row: pd.Series, label: str) -> str:
    """One row of compare.balance in words, hedged when its interval includes zero."""
    lean = "development" if row["balance"] > 0 else "safety"
    text = (f"{label} (n={int(row['n_units'])}): balance {row['balance']:+.2f}, 95% interval "
            f"{interval(row['ci_low'], row['ci_high'], percent=False)} ({row['ci_method']})")
    if includes_zero(row["ci_low"], row["ci_high"]):
        return text + f"; it leans to {lean}, but the interval includes zero, so the lean is not established."
    return text + f"; it leans to {lean}, and the interval excludes zero."

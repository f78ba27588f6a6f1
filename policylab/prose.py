"""Sentences and tables for notebook conclusions, built from the statistics so that every
number in the prose is computed, and hedged where an interval includes zero."""

from __future__ import annotations

import math

import pandas as pd

from .compare import MEASURES
from .comparing.provisions import GOLD
from .plotting import PLAN_SHORT, theme_labels

ALPHA = 0.05  # the false discovery rate below which a BH-adjusted p-value counts


def pct(value: float) -> str:
    """A share as a whole-number percentage: 0.2564 -> "26%"."""
    return f"{100 * value:.0f}%"


def interval(low: float, high: float, *, percent: bool = True) -> str:
    """ "[12%, 31%]" or "[-0.07, 1.24]"."""
    return f"[{pct(low)}, {pct(high)}]" if percent else f"[{low:.2f}, {high:.2f}]"


def p_text(p: float, name: str = "p") -> str:
    """A p-value as written in a sentence: "p = 0.048", and "p < 0.001" (never "p = 0.000")."""
    return f"{name} < 0.001" if p < 0.001 else f"{name} = {p:.3f}"


def number(value: float) -> str:
    """A float in a table, in fixed notation so a column never mixes 3.689e-03 with 0.048: three
    decimals, four below 0.001, and "<0.0001" (or "> -0.0001") below that (the notebooks'
    pandas ``display.float_format``)."""
    size = abs(value)
    if size >= 0.001 or size == 0 or math.isnan(value):
        return f"{value:.3f}"
    if size >= 0.0001:
        return f"{value:.4f}"
    return "<0.0001" if value > 0 else "> -0.0001"


def includes_zero(low: float, high: float) -> bool:
    return low <= 0 <= high


def share_sentence(row: pd.Series, label: str) -> str:
    """ "US 2025: 3% of 156 provisions [1%, 7%]"."""
    return f"{label}: {pct(row['share'])} of {int(row['n_units'])} provisions {interval(row['ci_low'], row['ci_high'])}"


def contrast_sentence(row: pd.Series, label_a: str, label_b: str) -> str:
    """One theme of compare.contrast in words: hedged when the difference's interval includes zero,
    tentative when it excludes zero but the BH-adjusted p-value is not below :data:`ALPHA`."""
    points = 100 * row["difference"]
    gap = (f"{label_a} {pct(row['share_a'])} (n={int(row['n_a'])}) against {label_b} {pct(row['share_b'])} "
           f"(n={int(row['n_b'])}): a difference of {points:+.1f} percentage points, 95% interval "
           f"[{100 * row['ci_low']:+.1f}, {100 * row['ci_high']:+.1f}], permutation {p_text(row['p_value'])} "
           f"({p_text(row['p_adjusted'], 'BH-adjusted p')})")
    if includes_zero(row["ci_low"], row["ci_high"]):
        return gap + "; the interval includes zero, so these data do not show a difference."
    if row["p_adjusted"] >= ALPHA:
        return (gap + f"; the interval excludes zero, but the adjusted p-value is not below {ALPHA:g} once every "
                "theme tested is taken into account, so the difference is tentative.")
    return gap + "; the interval excludes zero."


def balance_sentence(row: pd.Series, label: str) -> str:
    """One row of compare.balance in words, hedged when its interval includes zero; n, and the
    basis where the codes are not hand-coded ("tagger corrected (out-of-plan rates)", ...)."""
    basis = row.get("basis")
    sized = f"n={int(row['n_units'])}" + (f", {basis}" if isinstance(basis, str) and basis != GOLD else "")
    if pd.isna(row["balance"]) or pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
        shown = "NA" if pd.isna(row["balance"]) else f"{row['balance']:+.2f}"
        return f"{label} ({sized}): balance {shown}, no interval ({row['ci_method']})."
    lean = "development" if row["balance"] > 0 else "safety"
    text = (f"{label} ({sized}): balance {row['balance']:+.2f}, 95% interval "
            f"{interval(row['ci_low'], row['ci_high'], percent=False)} ({row['ci_method']})")
    if includes_zero(row["ci_low"], row["ci_high"]):
        return text + f"; it leans to {lean}, but the interval includes zero, so the lean is not established."
    return text + f"; it leans to {lean}, and the interval excludes zero."


def share_table(shares: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """compare.theme_shares (or theme_attention) as one row per theme and one column per plan,
    each cell "23% [17%, 30%]"; a column's name carries the plan, its n and basis, with the
    source where hand codes rest on other than the official text ("US 2025 (n=156, gold)",
    "China 2025 (n=14, gold, secondary)"), the index name the measure."""
    labels = {**PLAN_SHORT, **(labels or {})}
    columns = {}
    for plan_id, rows in shares.groupby("plan_id", sort=False):
        first = rows.iloc[0]
        basis = first.get("basis") or "basis unknown"
        if basis == GOLD and first.get("source_basis") not in (None, "primary"):
            basis += f", {first['source_basis']}"
        name = f"{labels.get(plan_id, plan_id)} (n={int(first['n_units'])}, {basis})"
        columns[name] = pd.Series([f"{pct(s)} {interval(lo, hi)}" for s, lo, hi in
                                   zip(rows["share"], rows["ci_low"], rows["ci_high"])], index=rows["theme"].to_numpy())
    table = pd.DataFrame(columns)
    names = theme_labels()
    table.index = [names.get(t, t) for t in table.index]
    measure = shares["measure"].iloc[0]
    table.index.name = f"{MEASURES.get(measure, measure).split(' (')[0]}, 95% interval"
    return table


def contrast_summary(table: pd.DataFrame, label_a: str, label_b: str) -> str:
    """compare.contrast in a few sentences: each theme whose difference interval excludes
    zero in full (largest gap first; tentative where the BH-adjusted p is not below
    :data:`ALPHA`), then how many themes show no difference."""
    names = theme_labels()
    clear = table[(table["ci_low"] > 0) | (table["ci_high"] < 0)]
    clear = clear.reindex(clear["difference"].abs().sort_values(ascending=False).index)
    lines = [f"- {names.get(row['theme'], row['theme'])}: {contrast_sentence(row, label_a, label_b)}"
             for _, row in clear.iterrows()]
    rest = len(table) - len(clear)
    head = (f"{len(clear)} of {_themes(len(table))} {'differs' if len(clear) == 1 else 'differ'} with an interval "
            "that excludes zero" if len(clear) else
            f"No theme's difference has an interval that excludes zero ({_themes(len(table))})")
    tail = (f"For the other {_themes(rest)} the interval includes zero: these data do not show a difference."
            if len(clear) and rest else "")
    return "\n".join([head + (":" if lines else "."), *lines, tail]).strip()


def _themes(n: int) -> str:
    return f"{n} theme{'' if n == 1 else 's'}"

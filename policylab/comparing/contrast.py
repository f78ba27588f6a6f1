"""One plan against another on every theme: both shares, the difference with a 95% interval
(Newcombe's square-and-add), and a permutation test that reassigns whole clusters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..rates import rates_to_use
from ..readquality import warn_if_misread
from ..resampling import cluster_sums, group_rng
from ..themes import THEME_IDS
from .provisions import N_BOOT, SEED, CompareError
from .shares import Weighted, shares_table, weighted_provisions
from .significance import benjamini_hochberg

N_PERM = 5000


def contrast(coded: pd.DataFrame, plan_a: str, plan_b: str, *, measure: str = "share", themes=THEME_IDS,
             texts: pd.DataFrame | None = None, min_confidence: str | None = None,
             review: pd.DataFrame | None = None, rates: pd.DataFrame | None = None, correct: bool = True,
             n_boot: int = N_BOOT, n_perm: int = N_PERM, seed: int = SEED) -> pd.DataFrame:
    """Plan a against plan b on every theme, in one table.

    Per theme: both shares (``measure`` as in :func:`theme_shares`) with n per plan, basis
    and source basis; the difference a - b with a 95% interval combined from the two plans' own
    intervals (Newcombe's square-and-add method, MOVER), so it never has zero width; a
    two-sided p-value from a permutation test that reassigns whole clusters (sections, or
    units where a plan has none) between the plans; and ``p_adjusted``, the
    Benjamini-Hochberg adjustment across the themes tested.

    A small p says the gap is larger than reshuffling the plans' sections would usually
    produce; with fully coded plans it is a yardstick, not evidence about a population.
    With ``review`` or ``rates`` (as in :func:`theme_shares`; tagger-coded plans are corrected
    by default, ``correct=False`` not), a corrected plan enters both the intervals and the
    permutation test with its corrected values.
    """
    if plan_a == plan_b:
        raise CompareError(f"contrast: plan_a and plan_b are both {plan_a!r}; name two different plans.")
    warn_if_misread(coded, "contrast", plans=(plan_a, plan_b))
    two_plans = coded[coded["plan_id"].isin([plan_a, plan_b])]
    rates = rates_to_use(coded, themes, measure, rates, correct)
    weighted = weighted_provisions(two_plans, themes, measure, texts, min_confidence, review, rates)
    shares = shares_table(weighted, ("plan_id",), n_boot, seed)
    side = {}
    for plan in (plan_a, plan_b):
        table = shares[shares["plan_id"] == plan].set_index("theme")
        if table.empty or table["n_units"].iloc[0] == 0:
            raise CompareError(f"contrast: no coded provisions for plan {plan!r}; plans in the table: "
                               f"{', '.join(sorted(coded['plan_id'].unique()))}.")
        side[plan] = table.loc[list(themes)]
    a, b = side[plan_a], side[plan_b]
    difference = a["share"].to_numpy() - b["share"].to_numpy()
    low = difference - np.hypot(a["share"] - a["ci_low"], b["ci_high"] - b["share"]).to_numpy()
    high = difference + np.hypot(a["ci_high"] - a["share"], b["share"] - b["ci_low"]).to_numpy()
    p_value = np.where(np.isnan(difference), np.nan, _permutation_p(weighted, plan_a, plan_b, n_perm, seed))
    return pd.DataFrame({
        "theme": list(themes), "measure": measure,
        **_side("a", plan_a, a), **_side("b", plan_b, b),
        "difference": difference, "ci_low": low, "ci_high": high,
        "p_value": p_value, "p_adjusted": benjamini_hochberg(p_value)})


def _side(name: str, plan: str, table: pd.DataFrame) -> dict:
    """One plan's columns of the contrast: plan, share, n, basis and source basis."""
    return {f"plan_{name}": plan, f"share_{name}": table["share"].to_numpy(), f"n_{name}": table["n_units"].to_numpy(),
            f"basis_{name}": table["basis"].to_numpy(), f"source_basis_{name}": table["source_basis"].to_numpy()}


def share_difference(coded: pd.DataFrame, plan_a: str, plan_b: str, **options) -> pd.DataFrame:
    """Share in plan_a minus share in plan_b per theme: the difference columns of :func:`contrast`."""
    table = contrast(coded, plan_a, plan_b, **options)
    return table[["theme", "measure", "plan_a", "plan_b", "difference", "ci_low", "ci_high", "p_value", "p_adjusted"]]


def _permutation_p(weighted: Weighted, plan_a, plan_b, n_perm, seed) -> np.ndarray:
    """Two-sided permutation p-value per theme, reassigning whole clusters between plans."""
    known = weighted.units["known"].to_numpy()
    kept = weighted.units[known]
    keys = kept["plan_id"].astype(str) + "\x1f" + kept["cluster"]
    values = np.column_stack([weighted.contribution, weighted.denominator])[known]
    sums = cluster_sums(values, keys.to_numpy())
    in_a = np.array([k.split("\x1f")[0] == plan_a for k in np.unique(keys.to_numpy())])
    k, k_a = len(sums), int(in_a.sum())
    rng = group_rng(seed, ["permutation", plan_a, plan_b])
    picks = np.argsort(rng.random((n_perm, k)), axis=1)[:, :k_a]
    chosen = np.zeros((n_perm, k))
    np.put_along_axis(chosen, picks, 1.0, axis=1)
    total = sums.sum(axis=0)
    sums_a = np.vstack([in_a.astype(float) @ sums, chosen @ sums])
    sums_b = total - sums_a
    with np.errstate(invalid="ignore", divide="ignore"):
        diffs = sums_a[:, :-1] / sums_a[:, -1:] - sums_b[:, :-1] / sums_b[:, -1:]
    observed, permuted = np.abs(diffs[0]), np.abs(diffs[1:])
    extreme = (permuted >= observed - 1e-12).sum(axis=0)
    return (1 + extreme) / (1 + n_perm)

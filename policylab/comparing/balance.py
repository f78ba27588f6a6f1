"""The safety-versus-development balance per plan (or part): the logit scale of Lowe et al.
(2011), with a 95% interval from resampling whole sections."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from ..ppi import Review
from ..rates import BASIS as RATES_BASIS
from ..rates import Rates, plan_methods, rates_to_use
from ..readquality import warn_if_misread
from ..resampling import Z95, bootstrap_method, cluster_sums, group_rng, resampled_sums
from .provisions import (
    MIN_CELL,
    N_BOOT,
    SEED,
    UNCORRECTED,
    CompareError,
    known_groups,
    provisions,
)

SIDES = ("development", "safety")  # the orientation's two sides, corrected like themes


def _log_odds(development, safety):
    """log((D + 0.5) / (S + 0.5)); a prediction-powered count below 0 counts as 0."""
    return np.log((np.maximum(development, 0) + 0.5) / (np.maximum(safety, 0) + 0.5))


def balance(coded: pd.DataFrame, *, by=("plan_id",), min_confidence: str | None = None,
            review: pd.DataFrame | None = None, rates: pd.DataFrame | None = None, correct: bool = True,
            n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """Safety-versus-development balance per group, with a 95% interval.

    The balance is the logit scale of Lowe, Benoit, Mikhaylov and Laver (2011, "Scaling
    policy preferences from coded political texts", Legislative Studies Quarterly 36(1),
    123-155): log((D + 0.5) / (S + 0.5)), where D counts provisions oriented to
    development (or both) and S those oriented to safety (or both). Positive: the group
    leans to development; negative: to safety; a step of 1 is a factor of e in the ratio.
    The interval resamples whole sections (units where there are none); with fewer than 5
    clusters, or where resampling cannot move the figure, it is the normal interval of the
    empirical logit, variance 1/(D + 0.5) + 1/(S + 0.5). Like every interval here it
    measures within-plan variation: the plan itself is coded in full. With ``review`` (its
    ``orientation`` column coded), a reviewed plan's D and S are prediction-powered counts.
    Without one, a tagger-coded group's D and S are corrected by default (Rogan-Gladen, as in
    ``theme_shares``) with the tagger's out-of-plan rates for the two sides of the orientation
    (``rates`` with themes ``development`` and ``safety``, default :func:`policylab.rates.default_rates`):
    D = n x the corrected share of units oriented to development (or both), S likewise; the
    interval resamples the group's sections and the rates' gold units together (Jeffreys draws
    where a side's counts are small; where a side's interval is a conservative bound, the two
    sides' intervals combined: :mod:`policylab.rates`). Where either
    side's sensitivity + specificity - 1 < 0.2 the balance is NA with the reason in
    ``ci_method``; ``correct=False`` leaves tagger codes uncorrected.
    """
    warn_if_misread(coded, "balance")
    units = provisions(coded, min_confidence=min_confidence)
    if "orientation" not in units:
        raise CompareError("balance needs the 'orientation' column of the coded edition.")
    known = units["known"].to_numpy() & units["orientation"].notna().to_numpy()
    orientation = units["orientation"].astype(object).to_numpy()
    votes = np.column_stack([units["orientation"].isin(("development", "both")).to_numpy(dtype=bool),
                             units["orientation"].isin(("safety", "both")).to_numpy(dtype=bool)]).astype(float)
    clusters = units["cluster"].to_numpy()
    if review is not None:
        review = Review(units.assign(known=known), review, ("development", "safety"))
        votes = review.corrected(votes * known[:, None])
    rates = rates_to_use(coded, SIDES, "share", rates, correct)  # for the tagger-coded plans not reviewed
    rates = Rates(rates, SIDES) if rates is not None else None
    rows = []
    for labels, keep, sizes in known_groups(units, by, known):
        if review is not None:
            sizes["basis"] = review.basis(keep, sizes["basis"])
        counts = Counter(orientation[keep])
        if rates is not None and sizes["basis"] == UNCORRECTED["tagger"]:
            sizes["basis"] = RATES_BASIS
            rows.append({**labels, **sizes, **_counts(counts, clusters[keep]),
                         **_corrected(votes[keep], clusters[keep], rates, group_rng(seed, labels.values()), n_boot, seed)})
            continue
        development, safety = votes[keep].sum(axis=0)
        value = float(_log_odds(development, safety))
        sums = cluster_sums(votes[keep], clusters[keep])
        low = high = value
        if len(sums) >= MIN_CELL:
            boot = resampled_sums(sums, group_rng(seed, labels.values()), n_boot)
            low, high = np.percentile(_log_odds(boot[:, 0], boot[:, 1]), [2.5, 97.5])
            method = bootstrap_method(clusters[keep], len(keep))
        if high <= low:
            half = Z95 * math.sqrt(1 / (development + 0.5) + 1 / (safety + 0.5))
            low, high, method = value - half, value + half, "empirical logit (normal)"
        rows.append({**labels, **sizes, **_counts(counts, clusters[keep]),
                     "balance": value, "ci_low": float(low), "ci_high": float(high), "ci_method": method})
    return pd.DataFrame(rows)


def _counts(counts: Counter, clusters: np.ndarray) -> dict:
    return {"n_clusters": len(np.unique(clusters)),
            **{f"n_{o}": counts.get(o, 0) for o in ("development", "safety", "both", "neither")}}


def _corrected(votes, clusters, rates: Rates, rng, n_boot, seed) -> dict:
    """A tagger-coded group's balance from its Rogan-Gladen corrected D and S, with the
    percentile interval of resampling its sections (Jeffreys draws for a side with small
    counts: :meth:`Rates.observed`) and the rates' gold units together; where a side's
    interval is a conservative bound, the balance's is the two sides' bounds combined."""
    n = len(votes)
    share = np.clip(rates.corrected(votes).mean(axis=0), 0, 1)
    value = float(_log_odds(*(share * n)))
    observed, why, units, _ = rates.observed(votes, clusters, rng, n_boot)
    count = votes.sum(axis=0)
    method = rates.methods(plan_methods(why, count, n, clusters))
    if not rates.usable.all():
        return {"balance": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                "ci_method": "; ".join(f"{side}: {m}" for side, m, use in zip(SIDES, method, rates.usable) if not use)}
    replicates, low, high, at = rates.interval(observed, why, count, n, seed)
    if (at >= 0).any():
        low, high = _log_odds(low[0] * n, high[1] * n), _log_odds(high[0] * n, low[1] * n)
        sides = rates.methods(plan_methods(why, count, n, clusters), at)
        method = ["the sides' intervals combined (development low against safety high, and the reverse; "
                  + "; ".join(f"{side}: {m}" for side, m in zip(SIDES, sides)) + ")"]
    else:
        corrected = replicates * np.where(why == "", units[:, None], n)
        low, high = np.nanpercentile(_log_odds(corrected[:, 0], corrected[:, 1]), [2.5, 97.5])
        if method[0] != method[1]:
            method = ["; ".join(f"{side}: {m}" for side, m in zip(SIDES, method))]
    return {"balance": value, "ci_low": float(low), "ci_high": float(high), "ci_method": method[0]}

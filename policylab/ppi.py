"""Prediction-powered shares: a tagger-coded plan corrected with a hand-coded review sample.

Angelopoulos, Bates, Fannjiang, Jordan and Zrnic (2023), "Prediction-powered inference",
*Science* 382(6671), 669-674. For a theme, with the tagger's code t on all N provisions of
a plan and the analyst's code h on a review sample with weights w::

    share = mean(t over all N) + sum(w (h - t)) / sum(w)   (over the reviewed units)

unbiased whatever the tagger's errors. Written as a mean of one value per provision,

    y_i = t_i + r_i w_i (h_i - t_i) N / sum(r w)           (r_i = 1 if reviewed, else 0)

so that the section bootstrap of :mod:`policylab.compare` resamples the reviewed and the
unreviewed units together, whole sections at a time: the interval holds the variation of
the tagger's codes and of the correction, and respects the plan's clustering. Where the
bootstrap cannot move a share (fewer than 5 sections, or no resample changes it), the
interval is the Wilson score interval of the review sample alone: honest, and wide. Shares
and bounds are clipped to [0, 1] (a correction can push a rare theme's estimate below 0).

:func:`ppi_mean_se` gives the normal-approximation standard error of the paper, for
checks and simulations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import PolicyLabError
from .resampling import (
    bootstrap_method,
    cluster_sums,
    percentiles,
    resampled_sums,
    wilson_interval,
)
from .review import check_review, warn_if_few

MIN_CLUSTERS = 5


class ReviewMismatchError(PolicyLabError, ValueError):
    """A review sample that does not fit the plans compared."""


def pseudo_outcomes(tagger, hand, weight) -> np.ndarray:
    """y (units x columns) whose mean is the prediction-powered estimate (module notes).

    ``tagger``: 0/1 codes of all N units (N x m); ``hand``: codes of the reviewed units,
    anything (NaN) elsewhere; ``weight``: sampling weight of reviewed units, 0 elsewhere
    (N, or N x m for one review draw per column)."""
    tagger = np.asarray(tagger, dtype=float)
    weight = np.asarray(weight, dtype=float)
    weight = weight[:, None] if weight.ndim == 1 else weight
    scale = len(tagger) / weight.sum(axis=0)
    return tagger + np.where(weight > 0, weight * (np.nan_to_num(hand) - tagger), 0.0) * scale


def ppi_mean_se(tagger_all, tagger_reviewed, hand, weight=None) -> tuple[np.ndarray, np.ndarray]:
    """Prediction-powered mean and its standard error (normal approximation, no power tuning):
    SE^2 = var(t over all N) / N + var(w (h - t) over the n reviewed) / n, weights scaled to
    mean 1, variances with divisor N and n (as ``ppi_py.ppi_mean_ci`` with ``lam=1``)."""
    tagger_all = np.asarray(tagger_all, dtype=float)
    difference = np.asarray(hand, dtype=float) - np.asarray(tagger_reviewed, dtype=float)
    n = len(difference)
    weight = np.ones(n) if weight is None else np.asarray(weight, dtype=float) / np.sum(weight) * n
    weight = weight.reshape((n,) + (1,) * (difference.ndim - 1))
    correction = weight * difference
    mean = tagger_all.mean(axis=0) + correction.mean(axis=0)
    se = np.sqrt(tagger_all.var(axis=0) / len(tagger_all) + correction.var(axis=0) / n)
    return mean, se


class Review:
    """A review sample matched to the provisions compared: per unit, the hand codes and the
    sampling weight (0 where not reviewed); per reviewed plan, its number of reviewed units."""

    def __init__(self, units: pd.DataFrame, review: pd.DataFrame, columns):
        review = _checked(review)
        if review.empty:
            raise ReviewMismatchError("review: no coded unit in it; code the sheet (pl.read_review names the rows "
                                      "not yet coded) before correcting with it.")
        if not set(columns) <= set(review):
            raise ReviewMismatchError(f"review: no {', '.join(sorted(set(columns) - set(review)))} column(s); the "
                                      "balance needs each reviewed unit's orientation (the sheet's orientation column).")
        known = units["known"].to_numpy()
        position = pd.Series(np.arange(len(units)), index=units["unit_id"].astype(str).to_numpy())
        position = position[~position.index.duplicated()]
        at = review["unit_id"].map(position)
        absent = review.loc[at.isna(), "unit_id"]
        if len(absent):
            raise ReviewMismatchError(f"review, column unit_id: {absent.iloc[0]} is not a provision of the plans "
                                      "compared; pass the review of a plan in the table.")
        at = at.to_numpy(dtype=int)
        basis = units["basis"].astype("string").fillna("").to_numpy(dtype=object) if "basis" in units else None
        gold = [u for u, b in zip(review["unit_id"], basis[at]) if b != "tagger"] if basis is not None else []
        if gold:
            raise ReviewMismatchError(f"review: unit {gold[0]} belongs to a plan coded by hand (basis not 'tagger'); "
                                      "a review corrects tagger-coded plans only: drop its rows.")
        if not known[at].all():
            raise ReviewMismatchError(f"review: unit {review['unit_id'][~known[at]].iloc[0]} has unknown content in "
                                      "the coded table; it cannot be reviewed.")
        self.weight = np.zeros(len(units))
        self.weight[at] = review["weight"].to_numpy(dtype=float)
        self.hand = np.full((len(units), len(columns)), np.nan)
        self.hand[at] = review[list(columns)].to_numpy(dtype=float)
        plans = units["plan_id"].astype(str).to_numpy()
        self._plan, names = pd.factorize(plans)
        counts = np.bincount(self._plan[at], minlength=len(names))
        self.plans = {names[i]: int(counts[i]) for i in np.flatnonzero(counts)}
        for plan, n in self.plans.items():
            warn_if_few(n, plan)
        # per unit: N / sum(w) of its plan where the plan is reviewed, else 0 (no correction)
        n_known = np.bincount(self._plan, weights=known, minlength=len(names))
        weight_sum = np.bincount(self._plan, weights=self.weight, minlength=len(names))
        with np.errstate(invalid="ignore", divide="ignore"):
            self._scale = np.where(weight_sum > 0, n_known / weight_sum, 0.0)[self._plan]
        self._names = names
        self.reviewed = self._scale > 0  # units of reviewed plans

    def corrected(self, tagger: np.ndarray) -> np.ndarray:
        """The tagger's values (units x columns), each reviewed unit's value moved by its
        correction: the pseudo-outcomes of :func:`pseudo_outcomes`, plan by plan."""
        tagger = np.asarray(tagger, dtype=float)
        shift = (self.weight * self._scale)[:, None] * (np.nan_to_num(self.hand) - tagger)
        return tagger + np.where(self.weight[:, None] > 0, shift, 0.0)

    def basis(self, rows: np.ndarray, default):
        """The basis of a group: "tagger+review (n=60)" for a reviewed plan's units, else ``default``.
        A group of a reviewed plan without a reviewed unit is refused (it would go uncorrected)."""
        plans = set(self._names[np.unique(self._plan[rows])]) & set(self.plans)
        if not plans:
            return default
        if len(plans) > 1 or not self.weight[rows].any():
            problem = "no reviewed unit" if len(plans) == 1 else "several reviewed plans"
            raise ReviewMismatchError(f"a group of plan(s) {', '.join(sorted(plans))} has {problem}; with a review, "
                                      "group by plan_id (the default).")
        return f"tagger+review (n={self.plans[plans.pop()]})"

    def shares(self, values, tagger, rows, clusters, rng, n_boot) -> dict:
        """:func:`group_shares` of one reviewed group's ``rows``."""
        return group_shares(values, tagger, self.hand[rows], self.weight[rows], clusters, rng, n_boot)


def _checked(review) -> pd.DataFrame:
    """A review table (one plan's or several plans') checked as read_review checks a sheet,
    with the balance's development and safety votes where it has orientations."""
    if not isinstance(review, pd.DataFrame) or "unit_id" not in review:
        raise ReviewMismatchError(f"review=: expected the table read_review returns (unit_id, one 0/1 column per "
                                  f"theme, weight); got {type(review).__name__} without that shape.")
    review = review.reset_index(drop=True)
    review = check_review(review, where="review", one_plan=False)
    if "orientation" in review:  # the votes of compare.balance
        review["development"] = review["orientation"].isin(("development", "both")).astype(float)
        review["safety"] = review["orientation"].isin(("safety", "both")).astype(float)
    return review


def group_shares(values, tagger, hand, weight, clusters, rng, n_boot) -> dict:
    """One reviewed plan's shares: prediction-powered point estimates and section-bootstrap
    intervals (Wilson on the review sample where the bootstrap cannot move a share)."""
    share = values.mean(axis=0)
    reviewed = weight > 0
    n_reviewed = int(reviewed.sum())
    hand_share = (weight[reviewed, None] * hand[reviewed]).sum(axis=0) / weight[reviewed].sum()
    low, high = wilson_interval(hand_share * n_reviewed, n_reviewed)
    method = np.full(len(share), f"Wilson score (review sample, n={n_reviewed})", dtype=object)
    sums = cluster_sums(np.column_stack([values, np.ones(len(values))]), clusters)
    if len(sums) >= MIN_CLUSTERS:
        boot = resampled_sums(sums, rng, n_boot)
        b_low, b_high = percentiles(boot[:, :-1] / boot[:, -1:])
        use = b_high > b_low
        low, high = np.where(use, b_low, low), np.where(use, b_high, high)
        method[use] = bootstrap_method(len(sums), len(values))
    return {"n_clusters": len(sums), "n_coded": tagger.sum(axis=0).astype(int), "share": np.clip(share, 0, 1),
            "ci_low": np.clip(low, 0, 1), "ci_high": np.clip(high, 0, 1), "ci_method": method,
            "n_reviewed": n_reviewed}


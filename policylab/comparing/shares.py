"""Theme shares and attention per plan (or part, or section), with 95% intervals: each
provision's weight under the measure, its contribution to each theme, and the interval per
group (cluster bootstrap, Wilson score where counts are small; corrected by a review or by
the tagger's rates where one is given). See :mod:`policylab.compare` for what an interval means."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..ppi import Review
from ..rates import BASIS as RATES_BASIS
from ..rates import Rates, rates_to_use
from ..readquality import warn_if_misread
from ..resampling import (
    bootstrap_method,
    cluster_sums,
    group_rng,
    percentiles,
    resampled_sums,
    wilson_interval,
)
from ..themes import THEME_IDS
from .provisions import (
    MIN_CELL,
    N_BOOT,
    SEED,
    UNCORRECTED,
    CompareError,
    known_groups,
    provisions,
)
from .words import words

MEASURES = {"share": "share of provisions carrying the theme",
            "attention": "attention share (each provision's weight split evenly over its themes)",
            "words": "word-weighted attention share (each provision weighted by its words in the official text)"}


def _unit_weights(units: pd.DataFrame, measure: str, texts: pd.DataFrame | None) -> np.ndarray:
    """Weight of each provision under ``measure`` (before it is split over the unit's themes)."""
    if measure not in MEASURES:
        raise CompareError(f"measure={measure!r}: expected one of {', '.join(MEASURES)}.")
    if measure != "words":
        return np.ones(len(units))
    if texts is None:
        raise CompareError("measure='words' needs the official texts: pass texts=load_corpus([...]) "
                           "(full text, fetched first with `policylab fetch`).")
    lengths = pd.Series([len(words(t, lang)) for t, lang in zip(texts["text"], texts["language"])],
                        index=texts["unit_id"].to_numpy())
    lengths = lengths[~lengths.index.duplicated()]
    weights = units["unit_id"].map(lengths)
    absent = units.loc[weights.isna() & units["known"], "unit_id"]
    if len(absent):
        raise CompareError(f"measure='words': {len(absent)} coded unit(s) have no official text, e.g. "
                           f"{absent.iloc[0]}; load the full text of plan {absent.iloc[0].split('/')[0]}.")
    return weights.fillna(0).to_numpy(dtype=float)


def _contributions(units, indicators, columns, measure, texts) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's contribution to the numerator of each theme in ``columns`` and to the
    denominator under ``measure`` (units of unknown content contribute nothing)."""
    weights = _unit_weights(units, measure, texts) * units["known"].to_numpy()
    if measure == "share":
        return indicators[:, columns] * weights[:, None], weights
    n_themes = indicators.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        split = np.where(n_themes[:, None] > 0, indicators / n_themes[:, None], 0.0)
    return (split * weights[:, None])[:, columns], weights * (n_themes > 0)


def theme_shares(coded: pd.DataFrame, *, by=("plan_id",), themes=THEME_IDS, measure: str = "share",
                 texts: pd.DataFrame | None = None, min_confidence: str | None = None,
                 review: pd.DataFrame | None = None, rates: pd.DataFrame | None = None, correct: bool = True,
                 n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """Per group and theme, how much of the plan is about the theme, with a 95% interval.

    ``measure``: "share" (share of provisions carrying the theme; a provision with three
    themes counts for each), "attention" (each provision's weight of 1 is split evenly
    over its themes, so a plan's shares sum to 1, as in the Manifesto Project and the
    Comparative Agendas Project; provisions without a theme carry no attention), or
    "words" (attention weighted by the provision's words in ``texts``, the official text).
    The interval (see the module notes) is a yardstick of within-plan variation, not an
    error margin: the plan is coded in full.

    ``review`` (``read_review``'s table for a tagger-coded plan): that plan's shares are
    prediction-powered estimates corrected by the hand-coded sample, basis "tagger+review
    (n=...)", with a column n_reviewed (see :mod:`policylab.ppi`; measure "share" only).
    ``rates`` (the tagger's out-of-plan sensitivity and specificity per theme, as
    ``policylab.rates.tagger_rates`` gives them): the other tagger-coded plans' shares are
    corrected with them, basis "tagger corrected (out-of-plan rates)" (:mod:`policylab.rates`).
    Without ``rates``, shares of provisions of tagger-coded plans are corrected by default with
    the out-of-plan rates of the tagger that coded them (``rates.default_rates``; NA with the
    reason where none exist); ``correct=False`` leaves them "tagger uncorrected".

    Columns: the ``by`` columns, theme, measure, basis, n_units (known provisions),
    n_missing (content unknown or below ``min_confidence``), n_clusters, n_coded (units
    with the theme), share, ci_low, ci_high, ci_method.
    """
    warn_if_misread(coded, "theme_shares")
    rates = rates_to_use(coded, themes, measure, rates, correct)
    weighted = weighted_provisions(coded, themes, measure, texts, min_confidence, review, rates)
    return shares_table(weighted, by, n_boot, seed)


class Weighted(NamedTuple):
    """The provisions and what :func:`theme_shares` and :func:`contrast` compute from them."""

    units: pd.DataFrame
    themes: list[str]
    measure: str
    indicators: np.ndarray  # 0/1, units x the themes asked
    contribution: np.ndarray  # to the numerator of each theme asked
    denominator: np.ndarray
    review: Review | None = None
    rates: Rates | None = None


def weighted_provisions(coded, themes, measure, texts, min_confidence, review=None, rates=None) -> Weighted:
    """Provisions of ``coded`` with their theme indicators and contributions under ``measure``
    (prediction-powered values for the plans a ``review`` covers)."""
    units = provisions(coded, min_confidence=min_confidence)
    themes = list(themes)
    columns = [THEME_IDS.index(t) for t in themes]
    indicators = units[list(THEME_IDS)].fillna(0).to_numpy(dtype=float)
    contribution, denominator = _contributions(units, indicators, columns, measure, texts)
    if (review is not None or rates is not None) and measure != "share":
        raise CompareError(f"review= and rates= correct shares of provisions; measure={measure!r} is not corrected.")
    if review is not None:
        review = Review(units, review, themes)
        contribution = review.corrected(contribution)
    if rates is not None:
        rates = Rates(rates, themes)
        rows = units["known"].to_numpy() & (units["basis"].eq("tagger").to_numpy(dtype=bool) if "basis" in units else False)
        rows = rows & (~review.reviewed if review is not None else True)
        contribution[rows] = rates.corrected(contribution[rows])
    return Weighted(units, themes, measure, indicators[:, columns], contribution, denominator, review, rates)


def shares_table(weighted: Weighted, by, n_boot: int, seed: int) -> pd.DataFrame:
    """theme_shares from :func:`weighted_provisions`."""
    units, themes, measure, indicators, contribution, denominator, review, rates = weighted
    known = units["known"].to_numpy()
    clusters = units["cluster"].to_numpy()
    parts = []
    for labels, keep, sizes in known_groups(units, by, known):
        rng = group_rng(seed, labels.values())
        basis = review.basis(keep, sizes["basis"]) if review is not None else sizes["basis"]
        if basis != sizes["basis"]:
            sizes["basis"] = basis
            stats = review.shares(contribution[keep], indicators[keep], keep, clusters[keep], rng, n_boot)
        elif rates is not None and basis == UNCORRECTED["tagger"]:
            sizes["basis"] = RATES_BASIS
            stats = rates.shares(indicators[keep], clusters[keep], rng, n_boot, seed)
        else:
            stats = _group_shares(contribution[keep], denominator[keep], indicators[keep], clusters[keep], rng, n_boot)
        parts.append({**labels, "theme": themes, "measure": measure, **sizes, **stats})
    if not parts:
        raise CompareError("No coded provisions to compare (the table has no preamble, paragraph, action or point).")
    if review is not None:
        parts = [{**part, "n_reviewed": part.get("n_reviewed", 0)} for part in parts]
    return _stack(parts, len(themes))


def _stack(parts: list[dict], rows: int) -> pd.DataFrame:
    """One table from per-group dicts of scalars (repeated) and arrays of ``rows`` values."""
    def column(value):
        return np.full(rows, value, dtype=object) if np.ndim(value) == 0 else np.asarray(value, dtype=object)

    return pd.DataFrame({name: np.concatenate([column(p[name]) for p in parts]) for name in parts[0]}).infer_objects()


def theme_attention(coded: pd.DataFrame, **options) -> pd.DataFrame:
    """Attention shares (``theme_shares(..., measure="attention")``): each provision's
    weight split evenly over its themes, so each plan's shares sum to 1."""
    options.setdefault("measure", "attention")
    return theme_shares(coded, **options)


def _group_shares(contribution, denominator, indicators, clusters, rng, n_boot) -> dict:
    """One group's shares with intervals: cluster bootstrap, Wilson where counts are small."""
    n_units = len(denominator)
    total = denominator.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = contribution.sum(axis=0) / total
    n_coded = indicators.sum(axis=0).astype(int)
    n_with = np.count_nonzero(denominator)  # units that enter the denominator
    sums = cluster_sums(np.column_stack([contribution, denominator]), clusters)
    k = len(sums)
    low, high = wilson_interval(share * n_with, n_with)
    method = np.full(len(share), "Wilson score", dtype=object)
    if k >= MIN_CELL:
        boot = resampled_sums(sums, rng, n_boot)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios = boot[:, :-1] / boot[:, -1:]
        b_low, b_high = percentiles(ratios)
        use = (n_coded >= MIN_CELL) & (n_units - n_coded >= MIN_CELL) & (b_high > b_low)
        low, high = np.where(use, b_low, low), np.where(use, b_high, high)
        method[use] = bootstrap_method(clusters, n_units)
    return {"n_clusters": k, "n_coded": n_coded, "share": share, "ci_low": low, "ci_high": high, "ci_method": method}

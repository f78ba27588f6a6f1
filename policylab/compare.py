"""Statistics that compare plans: theme shares and attention, safety-development balance,
contrasts between two plans, instruments, actors, and word counts with keyness on full texts.

What an interval means here. A coded plan is not a sample: every provision of the
document is coded, so a plan's share is a fact about the text, not an estimate of it. The
95% intervals answer a different question: how much would the figure move if the plan had
been drafted with a different mix of sections of the same kind? They are a yardstick for
telling a gap between plans (or parts) from the variation within a plan, not an error
margin on the count. Every table names how its interval was made (``ci_method``):

- a percentile **cluster bootstrap**: whole sections (units sharing a parent part or
  section) are resampled where a plan has them; single units where its only divisions are
  numbered points; and blocks of consecutive units where it was read flat (no parts,
  sections or numbered points: see :mod:`policylab.resampling`);
- a **Wilson score interval** on the units where a theme is rare or near-universal (fewer
  than 5 units with, or without, it) or the plan has fewer than 5 clusters: the bootstrap
  cannot see beyond the units observed, so it would give a zero-width interval for a theme
  that no unit carries. It treats units as independent (so it can be somewhat narrow for a
  plan whose themes cluster in sections), and for the attention and word-weighted measures
  it is applied to the fractional count share × n, an approximation (Wilson is exact only
  for whole counts).

Each group's random stream is derived from ``seed`` and the group's labels (the plan id),
so a plan's interval is the same whether it is computed alone or with other plans.

Units whose content is unknown (``themes`` is NA, as for point 13 of cn-gaigap-2025) are
left out of every denominator and counted in ``n_missing``.

``theme_shares``, ``contrast`` and ``balance`` warn (:class:`policylab.readquality.ReadingWarning`),
naming the plan, when a plan they are given was read flat or still holds site chrome.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from typing import NamedTuple

import numpy as np
import pandas as pd

from .errors import PolicyLabError
from .ppi import Review
from .rates import BASIS as RATES_BASIS
from .rates import Rates, default_rates
from .readquality import warn_if_misread
from .resampling import (
    Z95,
    bootstrap_method,
    cluster_sums,
    group_rng,
    percentiles,
    resampled_sums,
    section_clusters,
    wilson_interval,
)
from .tagging import zh_words
from .themes import THEME_IDS

PROVISION_LEVELS = ("preamble", "paragraph", "action", "point")
MEASURES = {"share": "share of provisions carrying the theme",
            "attention": "attention share (each provision's weight split evenly over its themes)",
            "words": "word-weighted attention share (each provision weighted by its words in the official text)"}
CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}
UNCORRECTED = {"tagger": "tagger uncorrected"}  # the basis of tagger codes in a table of results
N_BOOT = 2000
N_PERM = 5000
SEED = 20250723
MIN_CELL = 5  # fewer units with (or without) a theme, or fewer clusters: Wilson score interval
# A word, or a dotted abbreviation ("U.S.", "e.g.", "U.S.-led"), which would otherwise count
# as one-letter words; abbreviations are kept as "u.s", "e.g", "u.s-led" (see words()).
_WORD = re.compile(r"[a-z](?:\.[a-z])+\b(?:\.?-[a-z0-9]+(?:'[a-z]+)?)*"
                   r"|[a-z0-9]+(?:'[a-z]+)?(?:-[a-z0-9]+(?:'[a-z]+)?)*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class CompareError(PolicyLabError, ValueError):
    """A comparison asked of data that cannot answer it."""


# --- coded units -------------------------------------------------------------------------


def provisions(coded: pd.DataFrame, levels=PROVISION_LEVELS, *, min_confidence: str | None = None) -> pd.DataFrame:
    """Coded units that carry content (not titles, headings or footnotes), with one 0/1
    column per theme expanded from ``themes`` (NA where the unit's content is unknown),
    a ``known`` flag and a ``cluster`` id (the parent part or section, else the unit).

    ``min_confidence`` ("medium" or "high") marks units whose ``confidence`` is lower as
    not known, for a sensitivity check; units without a confidence mark are kept.
    """
    missing = {"plan_id", "unit_id", "level", "themes"} - set(coded.columns)
    if missing:
        raise CompareError(f"Expected a coded unit table (load_plan(..., source='coded')); missing "
                           f"column(s): {', '.join(sorted(missing))}.")
    units = coded[coded["level"].isin(levels)].reset_index(drop=True)
    known = units["themes"].notna().to_numpy(dtype=bool, copy=True)
    if min_confidence is not None:
        if min_confidence not in CONFIDENCE_RANK:
            raise CompareError(f"min_confidence={min_confidence!r}: expected one of {', '.join(CONFIDENCE_RANK)}.")
        if "confidence" in units:
            rank = units["confidence"].map(CONFIDENCE_RANK)
            known &= ~(rank < CONFIDENCE_RANK[min_confidence]).to_numpy(dtype=bool)
    indicators = _theme_matrix(units["themes"], THEME_IDS)
    for j, theme in enumerate(THEME_IDS):
        units[theme] = pd.arrays.IntegerArray(indicators[:, j].copy(), mask=~known)  # Int8, NA where not known
    units["known"] = known
    units["cluster"] = section_clusters(coded, units)
    return units


def _theme_matrix(themes: pd.Series, theme_ids) -> np.ndarray:
    """0/1 matrix (units x themes) from ';'-separated theme ids."""
    column = {t: j for j, t in enumerate(theme_ids)}
    matrix = np.zeros((len(themes), len(column)), dtype=np.int8)
    items = themes.fillna("").astype(str).str.split(";").explode()
    cols = items.map(column)
    hit = cols.notna().to_numpy()
    matrix[items.index.to_numpy()[hit], cols.to_numpy()[hit].astype(int)] = 1
    return matrix


def provisions_with(coded: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The provisions coded with ``theme``: plan, unit, heading, page and our summary."""
    if theme not in THEME_IDS:
        raise CompareError(f"Unknown theme {theme!r}; themes: {', '.join(THEME_IDS)}.")
    units = provisions(coded)
    chosen = units[units[theme].eq(1).fillna(False).to_numpy(dtype=bool)]
    return chosen[["plan_id", "unit_id", "part", "section", "page", "text", "instruments", "actors"]].rename(
        columns={"text": "summary"}).reset_index(drop=True)


# --- random streams, groups and intervals ---------------------------------------------------


def _groups(units: pd.DataFrame, by) -> list[tuple[dict, np.ndarray]]:
    """(labels, row positions) per group of ``by`` columns, in order of first appearance."""
    by = [by] if isinstance(by, str) else list(by)
    absent = [c for c in by if c not in units]
    if absent:
        raise CompareError(f"No column(s) {', '.join(absent)} to group by; columns: {', '.join(units.columns)}.")
    codes = units.groupby(by, sort=False, dropna=False).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    columns = {c: units[c].to_numpy() for c in by}
    return [({c: values[rows[0]] for c, values in columns.items()}, rows)
            for rows in (np.split(order, bounds) if len(order) else [])]


def _known_groups(units: pd.DataFrame, by, known: np.ndarray):
    """Per group of ``by``: its labels, the positions of its ``known`` units, and its basis,
    n_units (known) and n_missing."""
    basis = _basis_values(units)
    for labels, idx in _groups(units, by):
        keep = idx[known[idx]]
        yield labels, keep, {"basis": _basis(basis, idx), "n_units": len(keep), "n_missing": len(idx) - len(keep)}


def _basis_values(units: pd.DataFrame) -> np.ndarray | None:
    return units["basis"].astype("string").fillna("").to_numpy(dtype=object) if "basis" in units else None


def _basis(values: np.ndarray | None, rows: np.ndarray) -> str | None:
    """The basis of a group's units ("primary", "secondary" - hand-coded -, "tagger uncorrected";
    several joined by ";"); a review makes it "tagger+review (n=...)" (see _shares)."""
    if values is None:
        return None
    return ";".join(sorted({UNCORRECTED.get(v, v) for v in set(values[rows]) - {""}})) or None


# --- shares and attention ------------------------------------------------------------------------


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
    rates = _default_rates(coded, themes, measure, rates, correct)
    return _shares(_weighted(coded, themes, measure, texts, min_confidence, review, rates), by, n_boot, seed)


def _default_rates(coded, themes, measure, rates, correct) -> pd.DataFrame | None:
    """``rates`` as given, else the coding tagger's out-of-plan rates where tagger-coded shares
    of provisions are asked for and ``correct`` is true."""
    if rates is not None or not correct or measure != "share" or "basis" not in coded:
        return rates
    return default_rates(coded, themes) if coded["basis"].eq("tagger").any() else None


class _Weighted(NamedTuple):
    """The provisions and what :func:`theme_shares` and :func:`contrast` compute from them."""

    units: pd.DataFrame
    themes: list[str]
    measure: str
    indicators: np.ndarray  # 0/1, units x the themes asked
    contribution: np.ndarray  # to the numerator of each theme asked
    denominator: np.ndarray
    review: Review | None = None
    rates: Rates | None = None


def _weighted(coded, themes, measure, texts, min_confidence, review=None, rates=None) -> _Weighted:
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
    return _Weighted(units, themes, measure, indicators[:, columns], contribution, denominator, review, rates)


def _shares(weighted: _Weighted, by, n_boot: int, seed: int) -> pd.DataFrame:
    """theme_shares from :func:`_weighted`."""
    units, themes, measure, indicators, contribution, denominator, review, rates = weighted
    known = units["known"].to_numpy()
    clusters = units["cluster"].to_numpy()
    parts = []
    for labels, keep, sizes in _known_groups(units, by, known):
        rng = group_rng(seed, labels.values())
        basis = review.basis(keep, sizes["basis"]) if review is not None else sizes["basis"]
        if basis != sizes["basis"]:
            sizes["basis"] = basis
            stats = review.shares(contribution[keep], indicators[keep], keep, clusters[keep], rng, n_boot)
        elif rates is not None and basis == UNCORRECTED["tagger"]:
            sizes["basis"] = RATES_BASIS
            stats = rates.shares(indicators[keep], clusters[keep], rng, n_boot)
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


# --- contrasts between two plans ------------------------------------------------------------------------


def contrast(coded: pd.DataFrame, plan_a: str, plan_b: str, *, measure: str = "share", themes=THEME_IDS,
             texts: pd.DataFrame | None = None, min_confidence: str | None = None,
             review: pd.DataFrame | None = None, rates: pd.DataFrame | None = None, correct: bool = True,
             n_boot: int = N_BOOT, n_perm: int = N_PERM, seed: int = SEED) -> pd.DataFrame:
    """Plan a against plan b on every theme, in one table.

    Per theme: both shares (``measure`` as in :func:`theme_shares`) with n per plan and
    basis; the difference a - b with a 95% interval combined from the two plans' own
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
    pair = coded[coded["plan_id"].isin([plan_a, plan_b])]
    weighted = _weighted(pair, themes, measure, texts, min_confidence, review,
                         _default_rates(coded, themes, measure, rates, correct))
    shares = _shares(weighted, ("plan_id",), n_boot, seed)
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
        "plan_a": plan_a, "share_a": a["share"].to_numpy(), "n_a": a["n_units"].to_numpy(), "basis_a": a["basis"].to_numpy(),
        "plan_b": plan_b, "share_b": b["share"].to_numpy(), "n_b": b["n_units"].to_numpy(), "basis_b": b["basis"].to_numpy(),
        "difference": difference, "ci_low": low, "ci_high": high,
        "p_value": p_value, "p_adjusted": benjamini_hochberg(p_value)})


def share_difference(coded: pd.DataFrame, plan_a: str, plan_b: str, **options) -> pd.DataFrame:
    """Share in plan_a minus share in plan_b per theme: the difference columns of :func:`contrast`."""
    table = contrast(coded, plan_a, plan_b, **options)
    return table[["theme", "measure", "plan_a", "plan_b", "difference", "ci_low", "ci_high", "p_value", "p_adjusted"]]


def _permutation_p(weighted: _Weighted, plan_a, plan_b, n_perm, seed) -> np.ndarray:
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


# --- balance -------------------------------------------------------------------------


def _log_odds(development, safety):
    """log((D + 0.5) / (S + 0.5)); a prediction-powered count below 0 counts as 0."""
    return np.log((np.maximum(development, 0) + 0.5) / (np.maximum(safety, 0) + 0.5))


def balance(coded: pd.DataFrame, *, by=("plan_id",), min_confidence: str | None = None,
            review: pd.DataFrame | None = None, n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
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
    rows = []
    for labels, keep, sizes in _known_groups(units, by, known):
        if review is not None:
            sizes["basis"] = review.basis(keep, sizes["basis"])
        counts = Counter(orientation[keep])
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
        rows.append({**labels, **sizes, "n_clusters": len(sums),
                     **{f"n_{o}": counts.get(o, 0) for o in ("development", "safety", "both", "neither")},
                     "balance": value, "ci_low": float(low), "ci_high": float(high), "ci_method": method})
    return pd.DataFrame(rows)


def cooccurrence(coded: pd.DataFrame, plan_id: str | None = None) -> pd.DataFrame:
    """Theme by theme: number of provisions coded with both (diagonal: with the theme)."""
    units = provisions(coded)
    if plan_id is not None:
        units = units[units["plan_id"] == plan_id]
    values = units[list(THEME_IDS)].fillna(0).to_numpy(dtype=int)
    return pd.DataFrame(values.T @ values, index=list(THEME_IDS), columns=list(THEME_IDS))


# --- instruments and actors -------------------------------------------------------------------------


def _exploded(units: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    items = units[["plan_id", "unit_id", column]].assign(
        **{name: units[column].fillna("").str.split(";")}).explode(name)
    return items[items[name].str.strip() != ""]


def instrument_mix(coded: pd.DataFrame, *, theme: str | None = None) -> pd.DataFrame:
    """Provisions per plan and instrument, and their share of the plan's known provisions
    (with ``theme``: of the plan's provisions coded with that theme), with a 95% Wilson score
    interval (instruments are coded per provision and rarely cluster into a few sections, so
    the interval treats provisions as independent; with few provisions it is wide, never of
    zero width). Every instrument that any plan uses is listed for every plan, zeros included.
    Provisions whose instruments were not coded (NA: a plan coded by the tagger) are left out,
    so such a plan is not listed rather than shown as using no instrument.

    Columns: plan_id, instrument, n_units (provisions using it), n_base (the denominator),
    share, ci_low, ci_high, ci_method, basis.
    """
    units = provisions(coded)
    units = units[units["known"] & units["instruments"].notna()]
    if theme is not None:
        if theme not in THEME_IDS:
            raise CompareError(f"Unknown theme {theme!r}; themes: {', '.join(THEME_IDS)}.")
        units = units[units[theme].eq(1).to_numpy(dtype=bool)]
    items = _exploded(units, "instruments", "instrument")
    plans = list(dict.fromkeys(units["plan_id"]))
    grid = pd.MultiIndex.from_product([plans, sorted(set(items["instrument"]))], names=["plan_id", "instrument"])
    counts = items.groupby(["plan_id", "instrument"]).size().reindex(grid, fill_value=0).rename("n_units").reset_index()
    counts["n_base"] = counts["plan_id"].map(units.groupby("plan_id").size())
    counts["share"] = counts["n_units"] / counts["n_base"]
    counts["ci_low"], counts["ci_high"] = wilson_interval(counts["n_units"].to_numpy(), counts["n_base"].to_numpy())
    counts["ci_method"] = "Wilson score"
    values = _basis_values(units)
    counts["basis"] = counts["plan_id"].map({plan: _basis(values, rows) for plan, rows in
                                             units.groupby("plan_id", sort=False).indices.items()})
    counts.attrs["denominator"] = f"provisions coded with {theme}" if theme else "provisions"
    return counts.sort_values(["plan_id", "n_units", "instrument"], ascending=[True, False, True], ignore_index=True)


def lead_actors(coded: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The bodies named first (leading) in provisions, counted per plan; with the themes they lead on."""
    units = provisions(coded)
    items = _exploded(units, "actors", "actor")
    first = items.groupby("unit_id", sort=False).head(1)
    themes = units.set_index("unit_id")["themes"]
    first = first.assign(themes=first["unit_id"].map(themes))
    rows = []
    for (plan_id, actor), group in first.groupby(["plan_id", "actor"], sort=False):
        theme_counts = Counter(t for ts in group["themes"].fillna("") for t in ts.split(";") if t)
        rows.append({"plan_id": plan_id, "actor": actor, "n_led": len(group),
                     "main_themes": ", ".join(t for t, _ in theme_counts.most_common(3))})
    table = pd.DataFrame(rows).sort_values(["plan_id", "n_led", "actor"], ascending=[True, False, True])
    return table.groupby("plan_id", sort=False).head(top).reset_index(drop=True)


# --- full texts -------------------------------------------------------------------------


def words(text: str, language: str = "en") -> list[str]:
    """Case-folded word tokens; Chinese text is segmented with jieba."""
    text = unicodedata.normalize("NFKC", text)
    if language.startswith("zh"):
        return [w for w in zh_words(text) if _CJK.search(w) or w.isalnum()]
    found = _WORD.findall(text.lower().replace("’", "'"))
    if "." not in text:
        return found
    return [word.replace(".-", "-") if ".-" in word else word for word in found]


def term_counts(units: pd.DataFrame, terms=None, *, by: str = "plan_id") -> pd.DataFrame:
    """Occurrences of terms per group: ``by``, term, count, per_1000 (of the group's words).

    Words are case-folded; a hyphenated word also counts for each of its parts
    ("safety-critical" counts once for "safety"), while per_1000 is per 1,000 words as
    written (a hyphenated word is one word). With ``terms``, every term is reported for
    every group, zero counts included; without, every word that occurs.
    """
    if by not in units.columns:
        raise CompareError(f"term_counts: no column {by!r} in the unit table.")
    rows = []
    for key, group in units.groupby(by, sort=False):
        counts, total = _word_counts(group)
        for word in [w for w in counts if "-" in w]:
            counts.update({part: counts[word] for part in word.split("-") if part})
        wanted = [t.lower() for t in terms] if terms is not None else sorted(counts)
        for term in wanted:
            count = counts.get(term, 0)
            rows.append({by: key, "term": term, "count": count,
                         "per_1000": 1000 * count / total if total else 0.0})
    return pd.DataFrame(rows, columns=[by, "term", "count", "per_1000"])


def _word_counts(units: pd.DataFrame) -> tuple[Counter, int]:
    """Counts of whole word tokens and their total (every token counted once)."""
    counts: Counter = Counter()
    for text, language in zip(units["text"], units["language"]):
        counts.update(words(text, language))
    return counts, sum(counts.values())


def log_likelihood(a, b, total_a, total_b):
    """G² of the full 2x2 table (this word / other words x corpus A / corpus B), Dunning (1993).

    Arrays allowed. Equals scipy.stats.chi2_contingency(table, correction=False,
    lambda_="log-likelihood")'s statistic.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = np.stack([a, b, total_a - a, total_b - b])
    column = np.stack([a + b, a + b, total_a + total_b - a - b, total_a + total_b - a - b])
    row = np.array([total_a, total_b, total_a, total_b], dtype=float).reshape((4,) + (1,) * a.ndim)
    expected = column * row / (total_a + total_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    return 2 * terms.sum(axis=0)


def chi2_1_sf(statistic) -> np.ndarray:
    """Upper tail of the chi-square distribution with one degree of freedom, P(X > x) =
    erfc(sqrt(x / 2)); what scipy.stats.chi2.sf(x, 1) gives, without scipy's import time."""
    return np.array([math.erfc(math.sqrt(x / 2)) for x in np.asarray(statistic, dtype=float).ravel()])


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate); NaN (not tested) stays NaN."""
    p_values = np.asarray(p_values, dtype=float)
    if np.isnan(p_values).any():
        result = np.full(len(p_values), np.nan)
        result[~np.isnan(p_values)] = benjamini_hochberg(p_values[~np.isnan(p_values)])
        return result
    n = len(p_values)
    if n == 0:
        return p_values
    order = np.argsort(p_values, kind="stable")
    ranked = p_values[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    result = np.empty(n)
    result[order] = np.minimum(adjusted, 1.0)
    return result


# Our own short list of Chinese function words (particles, conjunctions, prepositions,
# pronouns and measure words) that carry no policy content.
_ZH_FUNCTION_WORDS = """
    的 地 得 了 着 过 和 与 及 以及 并 并且 或 或者 而 而且 但 但是 在 于 对 对于 为 为了 以 将 把 被 从 向 由
    到 给 按照 根据 通过 关于 其 之 此 这 那 这些 那些 该 各 每 等 等等 是 也 都 就 还 又 更 最 很 所 所有
    一个 一些 有关 方面 进行 加以 予以 之间 以上 以下 我们 他们 它们 中
"""
ZH_STOP_WORDS = frozenset(_ZH_FUNCTION_WORDS.split())


def default_stop_words(language: str) -> frozenset:
    """Stop words left out of keyness by default: scikit-learn's English list, or ours for Chinese."""
    if language.startswith("zh"):
        return ZH_STOP_WORDS
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def keyness(units: pd.DataFrame, plan_a: str, plan_b: str, *, min_count: int = 5, by: str = "plan_id",
            stop_words=None, parts: str | None = None) -> pd.DataFrame:
    """Words over-used in one group (plan_a or plan_b, values of ``by``) relative to the other.

    The statistic is Dunning's log-likelihood G² of the full 2x2 table (the word against all
    other words, in A and in B), with 1 degree of freedom; ``p_adjusted`` is the
    Benjamini-Hochberg adjustment over the terms tested (at least ``min_count`` uses in
    A and B together). ``key_for`` is the group where the word's relative frequency
    (count / words of the group) is higher. ``log_ratio`` is the binary log of the ratio
    of relative frequencies, each smoothed by 1 / (T_a + T_b), so its sign always agrees
    with ``key_for``. Totals T_a, T_b count every word token once (stop words included,
    a hyphenated word as one word); stop words are not tested (default: scikit-learn's
    English list, or our Chinese function-word list; pass a set to override, ``()`` for
    none). Both groups must be in the same language.

    With ``parts`` (a column such as "section"), dp_a and dp_b give Gries's DP dispersion
    over those parts: 0 when the word is spread in proportion to the parts' sizes, near 1
    when it is confined to one part.

    Columns: term, count_a, count_b, per_1000_a, per_1000_b, g2, log_ratio, p_value,
    p_adjusted, key_for (and dp_a, dp_b).
    """
    groups, languages = {}, {}
    for plan in (plan_a, plan_b):
        group = units[units[by] == plan]
        if group.empty:
            raise CompareError(f"keyness: no units for {plan!r} in column {by!r}.")
        found = sorted(set(group["language"].astype(str)))
        if len(found) != 1:
            raise CompareError(f"keyness: {plan!r} mixes languages {', '.join(found)}; select one language edition.")
        groups[plan], languages[plan] = group, found[0]
    if languages[plan_a] != languages[plan_b]:
        raise CompareError(f"keyness: {plan_a!r} is in {languages[plan_a]!r} and {plan_b!r} in {languages[plan_b]!r}; "
                           f"word frequencies are only comparable within one language: load both in the same "
                           f"language (load_plan(..., language=...)).")
    stop = default_stop_words(languages[plan_a]) if stop_words is None else frozenset(stop_words)
    (counts_a, total_a), (counts_b, total_b) = (_word_counts(groups[p]) for p in (plan_a, plan_b))
    terms = sorted(t for t in set(counts_a) | set(counts_b)
                   if t not in stop and counts_a.get(t, 0) + counts_b.get(t, 0) >= min_count)
    a = np.array([counts_a.get(t, 0) for t in terms], dtype=float)
    b = np.array([counts_b.get(t, 0) for t in terms], dtype=float)
    g2 = log_likelihood(a, b, total_a, total_b) if terms else np.array([])
    pseudo = 1 / (total_a + total_b)
    rate_a, rate_b = a / total_a, b / total_b
    table = pd.DataFrame({"term": terms, "count_a": a.astype(int), "count_b": b.astype(int),
                          "per_1000_a": 1000 * rate_a, "per_1000_b": 1000 * rate_b, "g2": g2,
                          "log_ratio": np.log2((rate_a + pseudo) / (rate_b + pseudo)),
                          "p_value": chi2_1_sf(g2)})
    table["p_adjusted"] = benjamini_hochberg(table["p_value"].to_numpy())
    table["key_for"] = np.where(rate_a > rate_b, plan_a, np.where(rate_b > rate_a, plan_b, None))
    if parts is not None:
        table["dp_a"] = gries_dp(groups[plan_a], terms, parts)
        table["dp_b"] = gries_dp(groups[plan_b], terms, parts)
    table.attrs.update({"total_a": total_a, "total_b": total_b, "statistic": "G2 (2x2 table, Dunning 1993)"})
    return table.sort_values(["g2", "term"], ascending=[False, True], ignore_index=True)


def gries_dp(units: pd.DataFrame, terms, parts: str) -> np.ndarray:
    """Gries's (2008) DP of each term over the ``parts`` of the units: half the sum over parts
    of |share of the term's uses in the part - share of all words in the part|. NaN where
    the term does not occur."""
    if parts not in units:
        raise CompareError(f"gries_dp: no column {parts!r} to split the text into parts.")
    per_part = [_word_counts(group) for _, group in units.groupby(parts, sort=False, dropna=False)]
    sizes = np.array([total for _, total in per_part], dtype=float)
    uses = np.array([[counts.get(t, 0) for counts, _ in per_part] for t in terms], dtype=float).reshape(len(terms), -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = uses / uses.sum(axis=1, keepdims=True)
    return 0.5 * np.abs(observed - sizes / sizes.sum()).sum(axis=1) * np.where(uses.sum(axis=1) > 0, 1, np.nan)


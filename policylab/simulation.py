"""How often do 95% intervals of a tagger-coded plan's shares hold the hand-coded share?

A hand-coded plan treated as a user's plan: its units tagged, seeded review samples drawn
from it and "coded" from its gold codes, and each method's interval set against the gold
share (:func:`simulate`; ``benchmarks/coverage.py`` prints the table; ``tests/test_ppi.py``
checks it). Without a review (:func:`rogan_gladen`): users' plans drawn as section resamples
of the hand-coded plan, each corrected with out-of-plan rates and set against its own gold
share (``benchmarks/coverage_rates.py``; ``tests/test_simulation.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import ppi
from .comparing.provisions import N_BOOT, SEED
from .comparing.shares import _group_shares
from .rates import BASIS, Rates
from .resampling import Z95, group_rng
from .review import sample_positions

METHODS = ("tagger uncorrected", "tagger+review", "review sample alone", "tagger+review, normal (paper)",
           "review sample alone, normal")
RATES_METHODS = (BASIS, "tagger uncorrected")


def simulate(tagger, gold, clusters, *, n: int, draws: int, seed: int = 0, n_boot: int = 1000) -> pd.DataFrame:
    """Coverage of a gold-coded plan's shares by each method's 95% interval, with the plan
    treated as a user's plan: its units tagged (``tagger``, units x themes), ``draws``
    seeded review samples of ``n`` units (:func:`policylab.review.sample_positions`, strata =
    ``clusters``) "coded" from the ``gold`` codes. The review sample alone is the same
    estimator with the tagger's codes set to 0. The "normal" methods are the paper's interval,
    mean ± 1.96 SE (:func:`policylab.ppi.ppi_mean_se`), which treats units as independent.

    Columns: draw, theme (column index), method, share, ci_low, ci_high, truth, covered, width.
    """
    tagger, gold = np.asarray(tagger, dtype=float), np.asarray(gold, dtype=float)
    clusters = np.asarray(clusters)
    size, themes = tagger.shape
    ones = np.ones(size)
    uncorrected = _group_shares(tagger, ones, tagger, clusters, group_rng(seed, ["uncorrected"]), n_boot)
    rows = [{"draw": -1, "method": METHODS[0], **{k: uncorrected[k] for k in ("share", "ci_low", "ci_high")}}]
    rng = np.random.default_rng(seed)
    for draw in range(draws):
        weight = np.zeros(size)
        weight[sample_positions(clusters, min(n, size), rng)] = size / min(n, size)
        for method, base in ((METHODS[1], tagger), (METHODS[2], np.zeros_like(tagger))):
            values = ppi.pseudo_outcomes(base, gold, weight)
            stats = ppi.group_shares(values, base, gold, weight, clusters, rng, n_boot)
            rows.append({"draw": draw, "method": method, **{k: stats[k] for k in ("share", "ci_low", "ci_high")}})
        reviewed = weight > 0
        for method, base in ((METHODS[3], tagger), (METHODS[4], np.zeros_like(tagger))):
            mean, se = ppi.ppi_mean_se(base, base[reviewed], gold[reviewed], weight[reviewed])
            rows.append({"draw": draw, "method": method, "share": mean,
                         "ci_low": np.clip(mean - Z95 * se, 0, 1), "ci_high": np.clip(mean + Z95 * se, 0, 1)})
    table = pd.DataFrame(rows).explode(["share", "ci_low", "ci_high"], ignore_index=True)
    table.insert(1, "theme", np.tile(np.arange(themes), len(rows)))
    table = table.astype({"share": float, "ci_low": float, "ci_high": float})
    table["truth"] = gold.mean(axis=0)[table["theme"].to_numpy()]
    table["covered"] = (table["ci_low"] <= table["truth"] + 1e-12) & (table["truth"] - 1e-12 <= table["ci_high"])
    table["width"] = table["ci_high"] - table["ci_low"]
    return table


def section_draws(clusters, draws: int, label: str, seed: int = 0):
    """``draws`` plans drawn from one plan's sections (``clusters``: a label per unit), each as
    many sections as it has, with replacement, from the random stream of ``seed`` and
    ``label``: per draw, the positions of the drawn units (section by section, in the order
    drawn) and their sections in the drawn plan (0, 1, ...: a section drawn twice is two)."""
    rng = group_rng(seed, ["sections", label])
    labels, section = np.unique(np.asarray(clusters), return_inverse=True)
    members = [np.flatnonzero(section == c) for c in range(len(labels))]
    for _ in range(draws):
        picked = rng.integers(0, len(labels), len(labels))
        yield (np.concatenate([members[c] for c in picked]),
               np.repeat(np.arange(len(picked)), [len(members[c]) for c in picked]))


def rogan_gladen(tagger, gold, clusters, rates: Rates, *, draws: int, label: str, seed: int = 0,
                 n_boot: int = N_BOOT) -> pd.DataFrame:
    """Coverage of the gold share by the out-of-plan-rate corrected (Rogan-Gladen) and the
    uncorrected 95% intervals, over ``draws`` users' plans drawn as section resamples of one
    hand-coded plan (:func:`section_draws`, with ``label`` and ``seed``): its tagger
    codes ``tagger`` and gold codes ``gold`` (units x themes; NaN where the gold content is
    unknown) travel together; the truth of a draw is its own gold share. Each draw's intervals
    are those ``theme_shares`` gives a plan with id ``f"{label}~{draw:04d}"`` (its random
    stream) and these sections, with ``rates=`` ``rates`` (corrected) or ``correct=False``.

    Columns: draw, theme (column index), method, share, ci_low, ci_high, truth, covered
    (NaN where the corrected share is NA), width.
    """
    tagger, gold = np.asarray(tagger, dtype=float), np.asarray(gold, dtype=float)
    rows = []
    for draw, (units, sections) in enumerate(section_draws(clusters, draws, label, seed)):
        labels = [f"{label}~{draw:04d}"]
        values = tagger[units]
        truth = np.nanmean(gold[units], axis=0)
        corrected = rates.shares(values, sections, group_rng(SEED, labels), n_boot, SEED)
        uncorrected = _group_shares(values, np.ones(len(units)), values, sections, group_rng(SEED, labels), n_boot)
        for method, stats in ((RATES_METHODS[0], corrected), (RATES_METHODS[1], uncorrected)):
            rows.append({"draw": draw, "method": method, "truth": truth,
                         **{k: np.asarray(stats[k], dtype=float) for k in ("share", "ci_low", "ci_high")}})
    table = pd.DataFrame(rows).explode(["truth", "share", "ci_low", "ci_high"], ignore_index=True)
    table.insert(1, "theme", np.tile(np.arange(tagger.shape[1]), len(rows)))
    table = table.astype({"truth": float, "share": float, "ci_low": float, "ci_high": float})
    covered = (table["ci_low"] <= table["truth"] + 1e-12) & (table["truth"] - 1e-12 <= table["ci_high"])
    table["covered"] = covered.astype(float).where(table["ci_low"].notna())
    table["width"] = table["ci_high"] - table["ci_low"]
    return table

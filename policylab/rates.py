"""Shares of a tagger-coded plan corrected with the tagger's out-of-plan error rates, for a
plan nobody has reviewed (Rogan and Gladen 1978, "Estimating prevalence from the results of
a screening test", *American Journal of Epidemiology* 107(1), 71-76).

With sensitivity Se and specificity Sp of the tagger for a theme, measured on a hand-coded
plan it was not tuned to, the tagger's share p corrects to

    share = (p + Sp - 1) / (Se + Sp - 1),

a mean of one value per provision, (t_i + Sp - 1) / (Se + Sp - 1), so contrasts and their
permutation tests use it as they use 0/1 codes. The interval resamples the plan's sections
and, in the same replicate, the gold units the rates were measured on (a binomial draw of
the true and false positives among ``n_positive`` and ``n_negative`` units). Where Se + Sp - 1
(Youden's J) is below 0.2 the tagger barely tells the theme apart and the correction would
divide by almost nothing: the share is NA, with the reason in ``ci_method``. The rates come
as a plain table (:func:`tagger_rates` reads them from the validation table); they hold
only as far as the user's plan resembles the plan they were measured on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .datafiles import DATA_DIR
from .errors import PolicyLabError
from .resampling import bootstrap_method, cluster_sums, percentiles, resampled_sums
from .themes import THEME_IDS

BASIS = "tagger corrected (out-of-plan rates)"
MIN_YOUDEN = 0.2
MIN_CLUSTERS = 5
VALIDATION = DATA_DIR / "coded" / "tagger_validation.csv"
COLUMNS = ("theme", "sensitivity", "specificity", "n_positive", "n_negative")


class RatesError(PolicyLabError, ValueError):
    """A table of tagger error rates that cannot correct the shares asked for."""


def tagger_rates(validation: pd.DataFrame | None = None, *, codebook_version: str = "1.0") -> pd.DataFrame:
    """The dictionary tagger's out-of-plan sensitivity and specificity per theme, from the
    validation table (default ``data/coded/tagger_validation.csv``): columns theme,
    sensitivity, specificity, n_positive, n_negative, plan_id (where they were measured)."""
    table = pd.read_csv(VALIDATION) if validation is None else validation
    rows = table[(table["method"] == "dictionary") & table["theme"].isin(THEME_IDS)
                 & table["sample"].astype(str).str.startswith("out-of")  # "out-of-plan" (older: "out-of-sample")
                 & (table["codebook_version"].astype(str) == str(codebook_version))]
    if rows.empty:
        raise RatesError(f"no out-of-plan rates of the dictionary tagger for codebook {codebook_version} in the "
                         "validation table; pass rates measured on a plan coded after that codebook was frozen.")
    positives = rows["n_positive"].to_numpy(dtype=float)
    negatives = rows["n_units"].to_numpy(dtype=float) - positives
    true_positives = np.rint(rows["recall"].fillna(0).to_numpy(dtype=float) * positives)
    false_positives = rows["n_predicted"].to_numpy(dtype=float) - true_positives
    with np.errstate(invalid="ignore", divide="ignore"):
        sensitivity = np.where(positives > 0, true_positives / positives, np.nan)
    return pd.DataFrame({"theme": rows["theme"].to_numpy(), "sensitivity": sensitivity,
                         "specificity": 1 - false_positives / negatives, "n_positive": positives.astype(int),
                         "n_negative": negatives.astype(int), "plan_id": rows["plan_id"].to_numpy()})


class Rates:
    """Per theme asked: sensitivity, specificity and the gold counts they come from."""

    def __init__(self, rates: pd.DataFrame, themes):
        missing = [c for c in COLUMNS if c not in rates]
        if missing:
            raise RatesError(f"rates=: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)} "
                             "(see policylab.rates.tagger_rates).")
        table = rates.drop_duplicates("theme").set_index("theme")
        absent = [t for t in themes if t not in table.index]
        if absent:
            raise RatesError(f"rates=: no rates for theme(s) {', '.join(absent)}; give one row per theme.")
        table = table.loc[list(themes)]
        self.sensitivity = table["sensitivity"].to_numpy(dtype=float)
        self.specificity = table["specificity"].to_numpy(dtype=float)
        self.n_positive = table["n_positive"].to_numpy(dtype=int)
        self.n_negative = table["n_negative"].to_numpy(dtype=int)
        self.youden = self.sensitivity + self.specificity - 1
        self.usable = self.youden >= MIN_YOUDEN  # False where NaN too

    def corrected(self, tagger: np.ndarray) -> np.ndarray:
        """Per-unit values whose mean is the corrected share (NaN for themes not usable)."""
        youden = np.where(self.usable, self.youden, np.nan)
        return (np.asarray(tagger, dtype=float) + self.specificity - 1) / youden

    def shares(self, tagger, clusters, rng, n_boot) -> dict:
        """One plan's corrected shares, with intervals that resample its sections and the
        gold units behind the rates together; NA (reason in ci_method) where J < 0.2."""
        share = self.corrected(tagger).mean(axis=0)
        sums = cluster_sums(np.column_stack([tagger, np.ones(len(tagger))]), clusters)
        method = np.array([f"NA: sensitivity + specificity - 1 = {j:.2f} < {MIN_YOUDEN} (out-of-plan rates)"
                           if not np.isnan(j) else "NA: sensitivity unknown (no gold positives where the rates were measured)"
                           for j in self.youden], dtype=object)
        low, high = np.full(len(share), np.nan), np.full(len(share), np.nan)
        if len(sums) >= MIN_CLUSTERS:
            boot = resampled_sums(sums, rng, n_boot)
            observed = boot[:, :-1] / boot[:, -1:]
            draws = (n_boot, len(share))
            sensitivity = rng.binomial(self.n_positive, np.nan_to_num(self.sensitivity), size=draws) / np.maximum(
                self.n_positive, 1)
            specificity = rng.binomial(self.n_negative, np.nan_to_num(self.specificity), size=draws) / np.maximum(
                self.n_negative, 1)
            youden = sensitivity + specificity - 1
            with np.errstate(invalid="ignore", divide="ignore"):
                replicates = np.clip((observed + specificity - 1) / np.where(youden > 0, youden, np.nan), 0, 1)
            if self.usable.any():
                low[self.usable], high[self.usable] = percentiles(replicates[:, self.usable])
            method[self.usable] = bootstrap_method(len(sums), len(tagger)) + " and rates' gold units"
        else:
            method[self.usable] = f"NA: fewer than {MIN_CLUSTERS} sections to resample"
        return {"n_clusters": len(sums), "n_coded": tagger.sum(axis=0).astype(int),
                "share": np.where(self.usable, np.clip(share, 0, 1), np.nan), "ci_low": low, "ci_high": high,
                "ci_method": method}

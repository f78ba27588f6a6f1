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


def tagger_rates(validation: pd.DataFrame | None = None, *, codebook_version: str = "1.0",
                 method: str = "dictionary") -> pd.DataFrame:
    """A tagger's out-of-plan sensitivity and specificity per theme, from the validation table
    (default ``data/coded/tagger_validation.csv``), its rows for ``method`` and the codebook
    pooled over the plans they were measured on: columns theme, sensitivity, specificity,
    n_positive, n_negative, plan_id (';'-joined)."""
    table = pd.read_csv(VALIDATION) if validation is None else validation
    rows = table[(table["method"] == method) & table["theme"].isin(THEME_IDS)
                 & table["sample"].astype(str).str.startswith("out-of")  # "out-of-plan" (older: "out-of-sample")
                 & (table["codebook_version"].astype(str) == str(codebook_version))]
    if rows.empty:
        raise RatesError(f"no out-of-plan rates of the {method} tagger for codebook {codebook_version} in the "
                         "validation table; pass rates measured on a plan coded after that codebook was frozen.")
    positives = rows["n_positive"].to_numpy(dtype=float)
    true_positives = np.rint(rows["recall"].fillna(0).to_numpy(dtype=float) * positives)
    counts = pd.DataFrame({"theme": rows["theme"].to_numpy(), "positive": positives, "true_positive": true_positives,
                           "negative": rows["n_units"].to_numpy(dtype=float) - positives,
                           "false_positive": rows["n_predicted"].to_numpy(dtype=float) - true_positives,
                           "plan_id": rows["plan_id"].astype(str).to_numpy()})
    pooled = counts.groupby("theme", sort=False).agg(
        positive=("positive", "sum"), true_positive=("true_positive", "sum"), negative=("negative", "sum"),
        false_positive=("false_positive", "sum"), plan_id=("plan_id", lambda p: ";".join(sorted(set(p))))).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        sensitivity = np.where(pooled["positive"] > 0, pooled["true_positive"] / pooled["positive"], np.nan)
    return pd.DataFrame({"theme": pooled["theme"], "sensitivity": sensitivity,
                         "specificity": 1 - pooled["false_positive"] / pooled["negative"],
                         "n_positive": pooled["positive"].astype(int), "n_negative": pooled["negative"].astype(int),
                         "plan_id": pooled["plan_id"]})


def default_rates(coded: pd.DataFrame, themes=THEME_IDS, validation: pd.DataFrame | None = None) -> pd.DataFrame:
    """The out-of-plan rates of the tagger that coded ``coded``, theme by theme: the method
    ``code_plan`` chose for the theme (``attrs["theme_taggers"]``) under its codebook version.
    Where ``attrs`` were lost (``pd.concat`` drops them), the choice ``code_plan`` makes by
    default for the shipped codebook. A theme without such rates gets NaN rates and a
    ``reason`` column saying so (its corrected share is then NA, never uncorrected)."""
    from .coding import (  # coding imports the tagging stack: load it only here
        default_tagger,
        load_model,
    )

    chosen, version = coded.attrs.get("theme_taggers"), coded.attrs.get("codebook_version")
    if not chosen or version is None:
        version = default_tagger().codebook.version
        chosen = dict(zip(default_tagger().codebook.theme_ids, load_model().choice))
    table = pd.read_csv(VALIDATION) if validation is None else validation
    rows, by_method = [], {}
    for theme in themes:
        method = chosen.get(theme, "dictionary")
        if method not in by_method:
            try:
                by_method[method] = tagger_rates(table, codebook_version=version, method=method).set_index("theme")
            except RatesError:
                by_method[method] = None
        found = by_method[method]
        if found is not None and theme in found.index:
            rows.append({"theme": theme, **found.loc[theme].to_dict(), "reason": ""})
        else:
            rows.append({"theme": theme, "sensitivity": np.nan, "specificity": np.nan, "n_positive": 0,
                         "n_negative": 0, "plan_id": "", "reason": f"NA: no out-of-plan rates of the {method} "
                         f"tagger for codebook {version} in the validation table"})
    return pd.DataFrame(rows)


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
        self.reason = table["reason"].fillna("").astype(str).to_numpy() if "reason" in table else [""] * len(table)
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
        method = np.array([reason or (f"NA: sensitivity + specificity - 1 = {j:.2f} < {MIN_YOUDEN} (out-of-plan rates)"
                           if not np.isnan(j) else "NA: sensitivity unknown (no gold positives where the rates were measured)")
                           for j, reason in zip(self.youden, self.reason)], dtype=object)
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
            method[self.usable] = bootstrap_method(clusters, len(tagger)) + " and rates' gold units"
        else:
            method[self.usable] = f"NA: fewer than {MIN_CLUSTERS} sections to resample"
        return {"n_clusters": len(sums), "n_coded": tagger.sum(axis=0).astype(int),
                "share": np.where(self.usable, np.clip(share, 0, 1), np.nan), "ci_low": low, "ci_high": high,
                "ci_method": method}


def rates_to_use(coded: pd.DataFrame, themes, measure: str, rates: pd.DataFrame | None, correct: bool):
    """``rates`` as given; else, where tagger-coded shares of provisions are asked for and
    ``correct`` is true, the coding tagger's out-of-plan rates (:func:`default_rates`)."""
    if rates is not None or not correct or measure != "share" or "basis" not in coded:
        return rates
    return default_rates(coded, themes) if coded["basis"].eq("tagger").any() else None

"""Shares of a tagger-coded plan corrected with the tagger's out-of-plan error rates, for a
plan nobody has reviewed (Rogan and Gladen 1978, "Estimating prevalence from the results of
a screening test", *American Journal of Epidemiology* 107(1), 71-76).

With sensitivity Se and specificity Sp of the tagger for a theme, measured on a hand-coded
plan it was not tuned to, the tagger's share p corrects to

    share = (p + Sp - 1) / (Se + Sp - 1),

a mean of one value per provision, (t_i + Sp - 1) / (Se + Sp - 1), so contrasts and their
permutation tests use it as they use 0/1 codes. The point estimate uses Se and Sp pooled over
the gold plans. The interval resamples the plan's sections and, in the same replicate, draws
the rates the tagger has in the user's plan: what the correction needs is that plan's own Se
and Sp, one draw from the population of plans' rates (a tagger's recall differs from plan to
plan), not the pooled mean, so the draws are predictive (as a meta-analysis prediction
interval is, Higgins, Thompson and Spiegelhalter 2009, *JRSS A* 172(1)): per replicate one
gold plan, each equally likely (each is one plan from that population; weighting by size
would make long plans more typical of a new plan than short ones, which nothing says), then
its sections with replacement, Se and Sp recomputed from per-section counts
(``data/coded/tagger_validation_units.csv``, written with the validation table). The spread
is then the plans' own rates plus their sampling error. With rates from one gold plan there
is no information on how rates vary between plans: a rate measured on fewer than two gold
plans (with positives, for sensitivity; negatives, for specificity) gives NA, with the reason. Rates given only as a summary
(``tagger_rates``) are redrawn binomially from their counts. Where Se + Sp - 1
(Youden's J) is below 0.2 the tagger barely tells the theme apart and the correction would
divide by almost nothing: the share is NA, with the reason in ``ci_method``. The rates come
as a plain table (:func:`gold_sections`: counts per gold section; :func:`tagger_rates`: a
summary); they hold only as far as the user's plan resembles the plans they were measured
on (``benchmarks/coverage.py`` and ``benchmarks/coverage_rates.py`` measure how far).

Small counts. Resampling cannot move a proportion resting on no event: a theme the tagger
flags on no unit of the plan is 0 in every section resample, gold units without a false
positive give a specificity of 1 in every replicate, and the interval would have zero width.
So where a count is below MIN_CELL (5) -- the plan's units flagged with the theme or left
unflagged; the true or false positives or negatives behind a gold plan's rate -- or the plan
has fewer than 5 sections (with units of that rate), or no section resample moves its share,
that proportion (k of m) is drawn from its Jeffreys posterior Beta(k + 1/2, m - k + 1/2)
instead: the counterpart, as replicates to combine with the other side's, of the Wilson
score interval the uncorrected shares use there (Brown, Cai and DasGupta 2001, *Statistical
Science* 16(2), recommend both for small counts; such draws treat units as independent). If every corrected replicate is still 0, the plan's flags are fewer than the rates'
false-positive rate would give (at the 2.5% level): their specificity does not hold for this
plan, and the interval becomes the bound that holds whatever it is: as the corrected share
(p - f) / (Se - f) falls with the false-positive rate f while p < Se, it is at most p / Se,
so the interval is [0, U], U = (Jeffreys 97.5% bound of p) / (2.5% quantile of Se); near 1,
mirrored: [1 - (1 - Jeffreys 2.5% bound of p) / (2.5% quantile of Sp), 1]. ``ci_method``
says which of these steps an interval took.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaincinv

from .comparing.provisions import MIN_CELL  # the settings every comparison shares
from .datafiles import DATA_DIR
from .errors import PolicyLabError
from .resampling import (
    bootstrap_method,
    cluster_sums,
    group_rng,
    percentiles,
    resampled_sums,
)
from .themes import THEME_IDS

BASIS = "tagger corrected (out-of-plan rates)"
MIN_YOUDEN = 0.2
MIN_RATE_PLANS = 2  # gold plans a rate is measured on, at the least, to draw a new plan's rate
MIN_CLUSTERS = 5
VALIDATION = DATA_DIR / "coded" / "tagger_validation.csv"
UNITS = DATA_DIR / "coded" / "tagger_validation_units.csv"
#: The orientation's two sides as pseudo-themes: the categories that count for each.
ORIENTATION_SIDES = {"development": ("development", "both"), "safety": ("safety", "both")}
COLUMNS = ("theme", "sensitivity", "specificity", "n_positive", "n_negative")
COUNTS = ("true_positive", "false_negative", "false_positive", "true_negative")
#: The cells (positions in COUNTS) each rate is right and wrong on: sensitivity TP of TP + FN, specificity TN of TN + FP.
RATE_CELLS = {"sensitivity": (0, 1), "specificity": (3, 2)}
#: ``ci_method`` of the conservative bounds, by the value every corrected replicate took (module notes).
BOUNDS = {0: "conservative bound: upper = Jeffreys 97.5% bound of the tagger share / 2.5% quantile of "
             "sensitivity, false positives taken as 0",
          1: "conservative bound: lower = 1 - (1 - Jeffreys 2.5% bound of the tagger share) / 2.5% quantile of "
             "specificity, false negatives taken as 0"}


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


def gold_sections(units: pd.DataFrame | None = None, *, codebook_version: str = "1.2", method: str = "default",
                  themes=THEME_IDS, leave_out=()) -> pd.DataFrame:
    """The gold units a tagger's out-of-plan rates rest on, counted per theme, gold plan and
    section (columns theme, plan_id, section, true_positive, false_negative, false_positive,
    true_negative): from ``units`` (default ``data/coded/tagger_validation_units.csv``, the
    units behind the out-of-plan rows of the validation table), its rows for ``method`` and the
    codebook, without the plans in ``leave_out``. Besides the themes, ``development`` and
    ``safety`` are the two sides of the orientation (a unit oriented to that side or both)."""
    table = read_units() if units is None else units
    rows = table[(table["method"] == method) & (table["codebook_version"].astype(str) == str(codebook_version))
                 & ~table["plan_id"].isin(list(leave_out))]
    frames = []
    for theme in themes:
        gold, tagged = (_sides(rows, theme, kind) for kind in ("gold", "tagged"))
        cells = pd.DataFrame({"plan_id": rows["plan_id"].to_numpy(), "section": rows["section"].to_numpy(),
                              COUNTS[0]: gold & tagged, COUNTS[1]: gold & ~tagged,
                              COUNTS[2]: ~gold & tagged, COUNTS[3]: ~gold & ~tagged})
        counts = cells.groupby(["plan_id", "section"], sort=True).sum().astype(int).reset_index()
        frames.append(counts.assign(theme=theme))
    columns = ["theme", "plan_id", "section", *COUNTS]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def read_units(path=UNITS) -> pd.DataFrame:
    """The validation's unit table (see :func:`gold_sections`)."""
    return pd.read_csv(path, dtype={"codebook_version": str, "gold_themes": str, "tagged_themes": str},
                       keep_default_na=False)


def _sides(rows: pd.DataFrame, theme: str, kind: str) -> np.ndarray:
    """0/1 per unit: ``theme`` among its ``kind`` (gold or tagged) themes, or its orientation on that side."""
    if theme in ORIENTATION_SIDES:
        return rows[f"{kind}_orientation"].isin(ORIENTATION_SIDES[theme]).to_numpy()
    return rows[f"{kind}_themes"].str.split(";").map(lambda found: theme in found).to_numpy(dtype=bool)


def default_rates(coded: pd.DataFrame, themes=THEME_IDS, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The out-of-plan rates of the tagger that coded ``coded``, theme by theme, as counts per
    gold section (:func:`gold_sections`): the method ``code_plan`` chose for the theme
    (``attrs["theme_taggers"]``; for the orientation sides ``development`` and ``safety``,
    ``attrs["tagger"]``) under its codebook version. Where ``attrs`` were lost (``pd.concat``
    drops them), the choice ``code_plan`` makes by default for the shipped codebook. The gold
    units of a plan ``coded`` holds tagger codes of (a gold plan re-tagged) are left out: its
    rates stay out of plan. A theme without such rates gets one row of NaN counts and a
    ``reason`` (its corrected share is then NA, never uncorrected)."""
    from .coding import (  # coding imports the tagging stack: load it only here
        default_tagger,
        load_model,
    )

    chosen, version = coded.attrs.get("theme_taggers"), coded.attrs.get("codebook_version")
    tagger = coded.attrs.get("tagger", "default")
    if not chosen or version is None:
        version, tagger = default_tagger().codebook.version, "default"
        chosen = dict(zip(default_tagger().codebook.theme_ids, load_model().choice))
    table = read_units() if units is None else units
    own = set(coded.loc[coded["basis"].eq("tagger").fillna(False).to_numpy(dtype=bool), "plan_id"]) if "basis" in coded else set()
    frames = []
    for theme in themes:
        method = tagger if theme in ORIENTATION_SIDES else chosen.get(theme, "dictionary")
        found = gold_sections(table, codebook_version=version, method=method, themes=[theme], leave_out=own)
        if found.empty:
            reason = f"NA: no out-of-plan rates of the {method} tagger for codebook {version} in the validation table"
            found = pd.DataFrame({"theme": theme, "plan_id": np.nan, "section": np.nan,
                                  **dict.fromkeys(COUNTS, np.nan), "reason": reason}, index=[0])
        frames.append(found.assign(reason=found.get("reason", "")))
    return pd.concat(frames, ignore_index=True)


class Rates:
    """Per theme asked: sensitivity, specificity and the gold units they come from, either as
    counts per gold section (``COUNTS``, with ``plan_id`` and ``section``: :func:`gold_sections`,
    :func:`default_rates`) or as a summary (``COLUMNS``: :func:`tagger_rates`)."""

    def __init__(self, rates: pd.DataFrame, themes):
        themes = list(themes)
        by_section = all(c in rates for c in COUNTS)
        needed = (*COUNTS, "plan_id", "section") if by_section else COLUMNS
        missing = [c for c in needed if c not in rates]
        if missing:
            raise RatesError(f"rates=: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)} "
                             f"or, per gold section, theme, plan_id, section, {', '.join(COUNTS)} "
                             "(see policylab.rates.tagger_rates and gold_sections).")
        absent = [t for t in themes if t not in set(rates["theme"])]
        if absent:
            raise RatesError(f"rates=: no rates for theme(s) {', '.join(absent)}; give one row per theme.")
        first = rates.drop_duplicates("theme").set_index("theme").loc[themes]
        self.reason = first["reason"].fillna("").astype(str).to_numpy() if "reason" in first else [""] * len(themes)
        self.sections = _SectionCounts(rates, themes) if by_section else None
        if by_section:
            positive, true_positive, negative, false_positive = self.sections.pooled()
            with np.errstate(invalid="ignore", divide="ignore"):
                self.sensitivity = np.where(positive > 0, true_positive / positive, np.nan)
                self.specificity = np.where(negative > 0, 1 - false_positive / negative, np.nan)
            self.n_positive, self.n_negative = positive.astype(int), negative.astype(int)
        else:
            self.sensitivity = first["sensitivity"].to_numpy(dtype=float)
            self.specificity = first["specificity"].to_numpy(dtype=float)
            self.n_positive = first["n_positive"].to_numpy(dtype=int)
            self.n_negative = first["n_negative"].to_numpy(dtype=int)
        self.youden = self.sensitivity + self.specificity - 1
        self.usable = self.youden >= MIN_YOUDEN  # False where NaN too
        if by_section:
            self._need_plans()
        self._draws = {}

    def _need_plans(self) -> None:
        """NA (with the reason) where a rate is measured on fewer than MIN_RATE_PLANS gold plans:
        one plan says nothing of how a tagger's rates vary between plans, so a new plan's rates
        cannot be drawn (see the module notes)."""
        plans = np.minimum(*(self.sections.measured(*cells).sum(axis=0) for cells in RATE_CELLS.values()))
        few = self.usable & (plans < MIN_RATE_PLANS)
        self.reason = np.array([f"NA: the out-of-plan rates rest on {int(k)} gold plan{'' if k == 1 else 's'} "
                                f"(fewer than {MIN_RATE_PLANS}): how the tagger's rates vary from plan to plan is "
                                "unknown; code a review sample (pl.review_sample)" if short else reason
                                for k, short, reason in zip(plans, few, self.reason)], dtype=object)
        self.usable = self.usable & ~few

    def corrected(self, tagger: np.ndarray) -> np.ndarray:
        """Per-unit values whose mean is the corrected share (NaN for themes not usable)."""
        youden = np.where(self.usable, self.youden, np.nan)
        return (np.asarray(tagger, dtype=float) + self.specificity - 1) / youden

    def draws(self, n_boot: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """Sensitivity and specificity (n_boot x themes): where the rates come per gold section,
        ``n_boot`` draws of a new plan's own rates (predictive: one gold plan per replicate, then
        its sections; :meth:`_SectionCounts.resampled`), else a binomial redraw of the summary
        counts, from the Jeffreys posterior where a rate rests on fewer than MIN_CELL errors (or
        correct codes; :meth:`small_rates`). One random stream per ``seed``
        (not per plan corrected), drawn once: every plan corrected with these rates shares the
        rates' replicates, as they share the rates."""
        if (n_boot, seed) not in self._draws:
            rng = group_rng(seed, ["rates"])
            if self.sections is not None:
                sensitivity, specificity = self.sections.resampled(rng, n_boot, self.usable)
            else:
                size = (n_boot, len(self.youden))
                sensitivity = rng.binomial(self.n_positive, np.nan_to_num(self.sensitivity), size=size) / np.maximum(self.n_positive, 1)
                specificity = rng.binomial(self.n_negative, np.nan_to_num(self.specificity), size=size) / np.maximum(self.n_negative, 1)
                for draws, (right, wrong) in zip((sensitivity, specificity), self.small_rates()):
                    small = np.flatnonzero(self.usable & (np.minimum(right, wrong) < MIN_CELL))
                    draws[:, small] = rng.beta(right[small] + 0.5, wrong[small] + 0.5, size=(n_boot, len(small)))
            self._draws[(n_boot, seed)] = (sensitivity, specificity)
        return self._draws[(n_boot, seed)]

    def small_rates(self) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """(true positives, false negatives) and (true negatives, false positives) per theme,
        pooled over the gold units: a rate is drawn from Beta(right + 1/2, wrong + 1/2) where
        either count is below MIN_CELL (resampling sections cannot move a rate of 0 errors)."""
        true_positive = np.rint(np.nan_to_num(self.sensitivity) * self.n_positive)
        false_positive = np.rint((1 - np.nan_to_num(self.specificity)) * self.n_negative)
        return ((true_positive, self.n_positive - true_positive),
                (self.n_negative - false_positive, false_positive))

    def replicates(self, observed: np.ndarray, seed: int) -> np.ndarray:
        """Corrected shares (clipped to [0, 1]; NaN where a replicate's J <= 0) of the tagger
        shares ``observed`` (n_boot x themes, one replicate of the plan's shares each: see
        :meth:`observed`), each with the rates of one resample of their gold units."""
        sensitivity, specificity = self.draws(len(observed), seed)
        youden = sensitivity + specificity - 1
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.clip((observed + specificity - 1) / np.where(youden > 0, youden, np.nan), 0, 1)

    def observed(self, tagger, clusters, rng, n_boot) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Replicates (n_boot x themes) of one plan's tagger shares: its sections resampled
        (``rng``); for a theme the tagger flags on fewer than MIN_CELL units (or leaves fewer
        unflagged), in a plan of fewer than MIN_CLUSTERS sections, or whose share no resample
        moves, draws from the Jeffreys posterior Beta(x + 1/2, n - x + 1/2) of x flagged of n
        units instead. Also: why a theme's replicates are Jeffreys draws ("" where they are
        the bootstrap's), the units in each replicate (n_boot) and the number of sections."""
        n, count = len(tagger), tagger.sum(axis=0)
        sums = cluster_sums(np.column_stack([tagger, np.ones(n)]), clusters)
        why = np.select([count < MIN_CELL, n - count < MIN_CELL],
                        [f"fewer than {MIN_CELL} flagged", f"fewer than {MIN_CELL} unflagged"], "").astype(object)
        shares, units = np.empty((n_boot, len(count))), np.full(n_boot, float(n))
        if len(sums) >= MIN_CLUSTERS:
            boot = resampled_sums(sums, rng, n_boot)
            shares, units = boot[:, :-1] / boot[:, -1:], boot[:, -1]
            check = np.flatnonzero(why == "")
            low, high = percentiles(shares[:, check])
            why[check[high <= low]] = "no section resample moves it"
        else:
            why[:] = f"fewer than {MIN_CLUSTERS} sections"
        jeffreys = why != ""
        if jeffreys.any():
            shares[:, jeffreys] = rng.beta(count[jeffreys] + 0.5, n - count[jeffreys] + 0.5,
                                           size=(n_boot, int(jeffreys.sum())))
        return shares, why, units, len(sums)

    def interval(self, observed: np.ndarray, why: np.ndarray, count, n: int, seed: int):
        """Corrected replicates of the tagger shares ``observed`` (of ``count`` flagged units
        of ``n``; ``why`` from :meth:`observed`), their 95% percentile interval per theme (NaN
        where the theme is not usable) and where the module notes' conservative bound replaced
        it: 0 where every replicate was corrected to 0, 1 where to 1, else -1. The bound takes
        the Jeffreys bound of the tagger share, or the bootstrap's percentile where wider."""
        replicates = self.replicates(observed, seed)
        low, high = np.full(len(self.youden), np.nan), np.full(len(self.youden), np.nan)
        use = self.usable
        low[use], high[use] = percentiles(replicates[:, use])
        at = np.where(use & (high <= low), np.where(high <= 0, 0, np.where(low >= 1, 1, -1)), -1)
        if (at >= 0).any():
            flat = at >= 0
            count = np.asarray(count, dtype=float)[flat]
            sensitivity, specificity = (np.nanpercentile(d[:, flat], 2.5, axis=0) for d in self.draws(len(observed), seed))
            boot_low, boot_high = np.where(why[flat] == "", percentiles(observed[:, flat]), np.array([[1], [0]]))
            p_high = np.maximum(betaincinv(count + 0.5, n - count + 0.5, 0.975), boot_high)
            p_low = np.minimum(betaincinv(count + 0.5, n - count + 0.5, 0.025), boot_low)
            with np.errstate(divide="ignore"):
                high[flat] = np.where(at[flat] == 0, np.minimum(1, p_high / sensitivity), 1)
                low[flat] = np.where(at[flat] == 1, np.maximum(0, 1 - (1 - p_low) / specificity), 0)
        return replicates, low, high, at

    def methods(self, plan, at=None) -> np.ndarray:
        """``ci_method`` per theme: the reason a theme is NA, else how the plan's tagger shares
        were resampled (``plan``: one text, or one per theme) and the rates' gold units were;
        where ``at`` (from :meth:`interval`) is 0 or 1, the conservative bound that replaced it."""
        gold = (self.sections.described() if self.sections is not None
                else ["the rates' gold counts (binomial)"] * len(self.youden))
        method = np.array([reason or (f"NA: sensitivity + specificity - 1 = {j:.2f} < {MIN_YOUDEN} (out-of-plan rates)"
                           if not np.isnan(j) else "NA: sensitivity unknown (no gold positives where the rates were measured)")
                           for j, reason in zip(self.youden, self.reason)], dtype=object)
        plan = np.broadcast_to(np.asarray(plan, dtype=object), method.shape)
        at = np.full(len(method), -1) if at is None else at
        (tp, fn), (tn, fp) = self.small_rates()
        for j in np.flatnonzero(self.usable):
            method[j] = f"{plan[j]} and {gold[j]}"
            for rate, counts in (("sensitivity", (tp[j], fn[j], "true positives", "false negatives")),
                                 ("specificity", (tn[j], fp[j], "true negatives", "false positives"))):
                if self.sections is None and min(counts[:2]) < MIN_CELL:  # per gold plan: in ``gold``
                    method[j] += (f", {rate} drawn from its Jeffreys posterior ({int(counts[0])} {counts[2]}, "
                                  f"{int(counts[1])} {counts[3]})")
            if at[j] >= 0:
                method[j] = f"{BOUNDS[at[j]]} (every replicate of {method[j]} corrected to {at[j]})"
        return method

    def shares(self, tagger, clusters, rng, n_boot, seed) -> dict:
        """One plan's corrected shares, with intervals that resample its sections (``rng``;
        Jeffreys draws where its counts are small) and the gold units behind the rates
        (:meth:`draws`) together; NA (reason in ci_method) where J < 0.2."""
        share = self.corrected(tagger).mean(axis=0)
        observed, why, _, n_clusters = self.observed(tagger, clusters, rng, n_boot)
        count = tagger.sum(axis=0)
        _, low, high, at = self.interval(observed, why, count, len(tagger), seed)
        return {"n_clusters": n_clusters, "n_coded": count.astype(int),
                "share": np.where(self.usable, np.clip(share, 0, 1), np.nan), "ci_low": low, "ci_high": high,
                "ci_method": self.methods(plan_methods(why, count, len(tagger), clusters), at)}


def plan_methods(why: np.ndarray, count, n: int, clusters) -> np.ndarray:
    """How each theme's tagger shares were resampled (see :meth:`Rates.observed`)."""
    bootstrap = bootstrap_method(clusters, n)
    return np.array([f"Jeffreys posterior Beta(x + 1/2, n - x + 1/2) of the tagger share (x = {int(x)} of n = {n} units; {reason})"
                     if reason else bootstrap for reason, x in zip(why, count)], dtype=object)


class _SectionCounts:
    """The gold units behind the rates, as TP, FN, FP, TN counts per gold section and theme."""

    def __init__(self, rates: pd.DataFrame, themes: list[str]):
        rows = rates[rates["theme"].isin(themes) & rates["plan_id"].notna() & rates["section"].notna()]
        keys = rows[["plan_id", "section"]].astype(str).agg("\x1f".join, axis=1).to_numpy()
        labels, section = np.unique(keys, return_inverse=True)
        self.plan_of = np.array([label.split("\x1f")[0] for label in labels], dtype=object)
        self.counts = np.zeros((len(labels), len(themes), len(COUNTS)))
        column = {t: j for j, t in enumerate(themes)}
        np.add.at(self.counts, (section, rows["theme"].map(column).to_numpy()),
                  rows[list(COUNTS)].to_numpy(dtype=float))
        self.plan_ids = sorted(set(self.plan_of))
        self.rows = [np.flatnonzero(self.plan_of == plan) for plan in self.plan_ids]
        self.per_plan = np.stack([self.counts[rows].sum(axis=0) for rows in self.rows]) if self.rows \
            else np.zeros((0, len(themes), len(COUNTS)))  # plans x themes x COUNTS
        self.jeffreys = {rate: self._small(*cells) for rate, cells in RATE_CELLS.items()}

    def _small(self, right: int, wrong: int) -> np.ndarray:
        """Plans x themes: the rate (``right`` of ``right`` + ``wrong``) is drawn from its Jeffreys
        posterior, not resampled: fewer than MIN_CELL either way, or its units in fewer than
        MIN_CLUSTERS of the plan's sections (a section resample would often hold none)."""
        spread = np.stack([((self.counts[rows][..., right] + self.counts[rows][..., wrong]) > 0).sum(axis=0)
                           for rows in self.rows]) if self.rows else np.zeros(self.per_plan.shape[:2])
        return (np.minimum(self.per_plan[..., right], self.per_plan[..., wrong]) < MIN_CELL) | (spread < MIN_CLUSTERS)

    def pooled(self):
        """Positives, true positives, negatives, false positives per theme, over all gold units."""
        tp, fn, fp, tn = self.counts.sum(axis=0).T
        return tp + fn, tp, fp + tn, fp

    def measured(self, right: int, wrong: int) -> np.ndarray:
        """Plans x themes: the plan has units to measure the rate on (a positive, or a negative)."""
        return self.per_plan[..., right] + self.per_plan[..., wrong] > 0

    def described(self) -> list[str]:
        """Per theme, how the rates of a new plan were drawn (see :meth:`resampled`)."""
        texts = []
        for j in range(self.per_plan.shape[1]):
            plans = int(self.measured(*RATE_CELLS["sensitivity"])[:, j].sum())
            text = f"the rates of a new plan (predictive: one of {plans} gold plans drawn per replicate, then its sections"
            for rate, cells in RATE_CELLS.items():
                small = int((self.jeffreys[rate][:, j] & self.measured(*cells)[:, j]).sum())
                if small:
                    text += (f"; {rate} of {small} of them drawn from its Jeffreys posterior (fewer than {MIN_CELL} "
                             f"{COUNTS[cells[0]].replace('_', ' ')}s or {COUNTS[cells[1]].replace('_', ' ')}s, or in "
                             f"fewer than {MIN_CLUSTERS} sections)")
            texts.append(text + ")")
        return texts

    def resampled(self, rng: np.random.Generator, n_boot: int, usable: np.ndarray):
        """Sensitivity and specificity (n_boot x themes) of a new plan, predictive: per replicate
        one gold plan drawn (each equally likely: each is one plan from the population of plans
        a new plan comes from), then its sections with replacement, or, where the plan's rate
        rests on few units (:meth:`_small`), a draw from its Jeffreys posterior. A rate is drawn
        among the plans that measure it (a positive for sensitivity); one uniform draw per
        replicate picks the plan, so where the same plans measure them, themes and both rates
        come from the same plan. NaN where a section resample holds no positive (or negative)."""
        n_themes = self.per_plan.shape[1]
        if not self.plan_ids:
            return np.full((n_boot, n_themes), np.nan), np.full((n_boot, n_themes), np.nan)
        boot = np.empty((len(self.plan_ids), n_boot, n_themes, len(COUNTS)))
        for i, rows in enumerate(self.rows):
            weights = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)), size=n_boot)
            boot[i] = (weights @ self.counts[rows].reshape(len(rows), -1)).reshape(n_boot, n_themes, len(COUNTS))
        pick = rng.random(n_boot)[:, None]
        replicate, theme = np.arange(n_boot)[:, None], np.arange(n_themes)[None, :]
        drawn = []
        for rate, (right, wrong) in RATE_CELLS.items():
            measured = self.measured(right, wrong)
            order = np.argsort(~measured, axis=0, kind="stable")  # the plans measuring the rate first
            k = np.minimum((pick * measured.sum(axis=0)).astype(int), len(self.plan_ids) - 1)
            plan = np.take_along_axis(order, k, axis=0)  # n_boot x themes
            cells, counts = boot[plan, replicate, theme], self.per_plan[plan, theme]
            with np.errstate(invalid="ignore", divide="ignore"):
                values = cells[..., right] / (cells[..., right] + cells[..., wrong])
            small = self.jeffreys[rate][plan, theme]
            values[small] = rng.beta(counts[..., right][small] + 0.5, counts[..., wrong][small] + 0.5)
            values[:, ~(measured.any(axis=0) & usable)] = np.nan
            drawn.append(values)
        return tuple(drawn)


def rates_to_use(coded: pd.DataFrame, themes, measure: str, rates: pd.DataFrame | None, correct: bool):
    """``rates`` as given; else, where tagger-coded shares of provisions are asked for and
    ``correct`` is true, the coding tagger's out-of-plan rates (:func:`default_rates`)."""
    if rates is not None or not correct or measure != "share" or "basis" not in coded:
        return rates
    return default_rates(coded, themes) if coded["basis"].eq("tagger").any() else None

"""Do the intervals of tagger-coded shares cover the truth? And how fast are corrected shares?

    python benchmarks/coverage.py [--draws 500] [--sizes 30 60 120] [--plans 1000]

Coverage: each hand-coded plan (US, UK; China 2023 has too few provisions for a sample of
60 to leave much unreviewed) is treated as a user's plan: its units are coded by the
dictionary tagger (from the coded edition's summaries, the text it holds), and ``--draws``
seeded review samples of n units (stratified by section, as ``pl.review_sample`` draws)
are "coded" from the gold codes. For each method the table gives the share of (draw,
theme) intervals that hold the gold share, on average over the themes and plans, the
lowest per-theme coverage among themes with at least 10 gold positives, and the mean
width. Methods: the tagger uncorrected, prediction-powered (tagger+review) and the review
sample alone, all with 95% section-bootstrap intervals (``policylab.simulation.simulate``).

Rogan-Gladen: codebook v1.0's rates, measured on the plans it was frozen before (the UK,
China AI+ and Singapore plans; ``policylab.rates.tagger_rates``, a summary: binomial redraws), correct the US plan tagged with the frozen v1.0 lexicons: the
table lists each theme's gold share, the uncorrected and corrected shares and whether the
corrected interval holds the gold share. Then as ``theme_shares`` corrects by default: every
gold plan with out-of-plan units tagged by ``code_plan``'s default tagger and corrected with
the other plans' gold units (a new plan's rates drawn predictively: one gold plan per
replicate, then its sections; one interval per pair; ``benchmarks/coverage_rates.py`` gives each pair a coverage rate over repeated draws); and on simulated
plans whose tagger recall differs from plan to plan, predictive draws against binomial redraws
of the pooled rates.

Speed: ``theme_shares(corpus, review=...)`` on ``--plans`` copies of the tagger-coded UK
plan (147 provisions each, a review of 60 per plan) with 1,000 bootstrap replicates,
against the same call corrected with the out-of-plan rates and uncorrected, medians of 3.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from scipy.special import expit, logit
from timing import medians

import policylab as pl
from policylab import compare, simulation
from policylab.datafiles import DATA_DIR
from policylab.rates import COUNTS, Rates, read_units, tagger_rates
from policylab.themes import THEME_IDS

PLANS = ("us-aap-2025", "gb-aiop-2025")
CODED = ["actors", "instruments", "themes", "orientation", "basis", "confidence"]


def coverage(sizes, draws: int) -> pd.DataFrame:
    rows = []
    for plan in PLANS:
        gold = pl.load_plan(plan, source="coded")
        truth = compare.provisions(gold)
        tagged = compare.provisions(pl.code_plan(gold.drop(columns=CODED)))
        positives = truth[list(THEME_IDS)].sum().to_numpy()
        for n in sizes:
            table = simulation.simulate(tagged[list(THEME_IDS)].to_numpy(float), truth[list(THEME_IDS)].to_numpy(float),
                                 truth["cluster"].to_numpy(), n=n, draws=draws, seed=n)
            rows.append(table.assign(plan=plan, n=n, positives=positives[table["theme"].to_numpy()]))
    table = pd.concat(rows, ignore_index=True)
    per_theme = table.groupby(["n", "method", "plan", "theme"], sort=False).agg(covered=("covered", "mean"),
                                                                   width=("width", "mean"),
                                                                   positives=("positives", "first"))
    common = per_theme[per_theme["positives"] >= 10]
    return pd.DataFrame({"coverage": per_theme.groupby(["n", "method"], sort=False)["covered"].mean(),
                         "lowest (themes >= 10 pos.)": common.groupby(["n", "method"], sort=False)["covered"].min(),
                         "mean width": per_theme.groupby(["n", "method"], sort=False)["width"].mean()})


def rogan_gladen() -> pd.DataFrame:
    """The US plan tagged with the frozen v1.0 lexicons, corrected with the v1.0 rates measured out of plan."""
    gold = pl.load_plan("us-aap-2025", source="coded")
    frozen = pl.load_codebook(DATA_DIR / "codebooks" / "v1.0.yaml")
    tagged = pl.code_plan(gold.drop(columns=CODED), codebook=frozen)
    truth = compare.theme_shares(gold).set_index("theme")["share"]
    uncorrected = compare.theme_shares(tagged, correct=False).set_index("theme")
    corrected = compare.theme_shares(tagged, rates=tagger_rates(codebook_version="1.0")).set_index("theme")
    covered = (corrected["ci_low"] <= truth) & (truth <= corrected["ci_high"])
    return pd.DataFrame({"gold": truth, "uncorrected": uncorrected["share"],
                         "uncorrected covers": (uncorrected["ci_low"] <= truth) & (truth <= uncorrected["ci_high"]),
                         "corrected": corrected["share"], "ci_low": corrected["ci_low"],
                         "ci_high": corrected["ci_high"], "corrected covers": covered.where(corrected["share"].notna())})


def rogan_gladen_by_default() -> pd.DataFrame:
    """Each gold plan with out-of-plan rows tagged as ``code_plan`` does by default and corrected
    as ``theme_shares`` does by default, with the rates of the other plans only (leave it out)."""
    rows = []
    for plan in sorted(set(read_units()["plan_id"])):
        gold = pl.load_plan(plan, source="coded")
        tagged = pl.code_plan(gold.drop(columns=CODED))
        truth = compare.theme_shares(gold).set_index("theme")
        shares = compare.theme_shares(tagged).set_index("theme")  # default rates: this plan's gold units left out
        rows.append(pd.DataFrame({"plan": plan, "gold": truth["share"], "positives": truth["n_coded"],
                                  "corrected": shares["share"], "ci_low": shares["ci_low"], "ci_high": shares["ci_high"],
                                  "covers": ((shares["ci_low"] <= truth["share"]) & (truth["share"] <= shares["ci_high"]))
                                  .where(shares["share"].notna())}))
    return pd.concat(rows)


def rogan_gladen_when_recall_differs(draws: int = 300, n_gold: int = 4) -> pd.DataFrame:
    """Simulated: ``n_gold`` gold plans and the user's plan (150 units in 15 sections each,
    prevalence 0.2, specificity 0.92) whose tagger recall varies from plan to plan around 0.75
    (logit scale, sd tau); coverage and width of the corrected share's interval with a new
    plan's rates drawn predictively (one gold plan, then its sections) or the pooled rates
    redrawn binomially from their totals."""
    rng = np.random.default_rng(0)

    def plan(sensitivity):
        truth = rng.random(150) < 0.2
        return truth, np.where(truth, rng.random(150) < sensitivity, rng.random(150) > 0.92), np.repeat(np.arange(15), 10)

    rows = []
    for tau in (0.0, 0.5, 1.0):
        for draw in range(draws):
            cells = []
            for g in range(n_gold):
                truth, tagged, sections = plan(expit(logit(0.75) + tau * rng.standard_normal()))
                for kind, hit in zip(COUNTS, (truth & tagged, truth & ~tagged, ~truth & tagged, ~truth & ~tagged)):
                    cells.append(pd.DataFrame({"theme": "data", "plan_id": f"g{g}", "section": sections, "kind": kind,
                                               "n": hit.astype(int)}))
            table = pd.concat(cells).pivot_table(index=["theme", "plan_id", "section"], columns="kind", values="n",
                                                 aggfunc="sum").reset_index()
            tp, fn, fp, tn = table[list(COUNTS)].sum()
            summary = pd.DataFrame({"theme": ["data"], "sensitivity": [tp / (tp + fn)], "specificity": [tn / (tn + fp)],
                                    "n_positive": [tp + fn], "n_negative": [tn + fp]})
            truth, tagged, sections = plan(expit(logit(0.75) + tau * rng.standard_normal()))
            for method, rates in (("predictive (a plan, its sections)", table), ("binomial", summary)):
                shares = Rates(rates, ["data"]).shares(tagged[:, None].astype(float), sections, rng, 400, seed=draw)
                rows.append({"tau": tau, "method": method, "covered": shares["ci_low"][0] <= truth.mean() <= shares["ci_high"][0],
                             "width": shares["ci_high"][0] - shares["ci_low"][0]})
    return pd.DataFrame(rows).groupby(["tau", "method"]).agg(coverage=("covered", "mean"), width=("width", "mean"))


def corpus_with_reviews(n_plans: int, n_review: int = 60):
    """``n_plans`` copies of the tagger-coded UK plan, each with a review "coded" from the gold codes."""
    gold = pl.load_plan("gb-aiop-2025", source="coded")
    tagged = pl.code_plan(gold.drop(columns=CODED))
    sample = pl.review_sample(tagged, n=n_review, seed=0)
    codes = gold.set_index("unit_id").loc[sample["unit_id"], "themes"].fillna("")
    review = pd.DataFrame({"unit_id": sample["unit_id"], **{t: [int(t in c.split(";")) for c in codes]
                                                            for t in THEME_IDS}, "weight": sample["weight"]})
    copies, reviews = [], []
    for i in range(n_plans):
        plan = f"mine-{i:04d}"
        copy = tagged.assign(plan_id=plan, unit_id=plan + tagged["unit_id"].str.removeprefix("gb-aiop-2025"),
                             parent_id=plan + tagged["parent_id"].astype("string").str.removeprefix("gb-aiop-2025"))
        copies.append(copy)
        reviews.append(review.assign(unit_id=plan + review["unit_id"].str.removeprefix("gb-aiop-2025")))
    corpus = pd.concat(copies, ignore_index=True)
    corpus.attrs = {}
    return corpus, pd.concat(reviews, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 60, 120])
    parser.add_argument("--plans", type=int, default=1000)
    args = parser.parse_args()
    start = time.perf_counter()
    table = coverage(args.sizes, args.draws)
    with pd.option_context("display.width", 120, "display.float_format", "{:.3f}".format):
        print(f"95% intervals of theme shares, {', '.join(PLANS)} treated as users' plans, {args.draws} review "
              f"samples per n ({time.perf_counter() - start:.1f} s)\n")
        print(table.to_string())
        table = rogan_gladen()
        print("\nRogan-Gladen: us-aap-2025 tagged with codebook v1.0, corrected with v1.0 rates measured on "
              f"{tagger_rates(codebook_version='1.0')['plan_id'].iloc[0]} (NaN: sensitivity + specificity - 1 < 0.2 "
              "or unknown)\n")
        print(table.to_string())
        covered = table["corrected covers"].dropna().astype(bool)
        print(f"corrected intervals holding the gold share: {covered.sum()} of {len(covered)} themes "
              f"(uncorrected: {int(table['uncorrected covers'].sum())} of {len(table)})")
        table = rogan_gladen_by_default()
        print("\nRogan-Gladen as theme_shares gives it by default: each plan tagged by code_plan's default "
              "tagger, corrected with the out-of-plan rates of the other plans (NaN: no such rates or J < 0.2)\n")
        print(table.dropna(subset=["corrected"]).to_string())
        rated = table.dropna(subset=["covers"])
        covered, common = rated["covers"].astype(bool), rated["positives"] >= 10
        print(f"intervals holding the gold share: {covered.sum()} of {len(covered)} (plan, theme) pairs with rates, "
              f"{covered[common].sum()} of {common.sum()} with >= 10 gold positives; mean width "
              f"{(rated['ci_high'] - rated['ci_low']).mean():.3f}; {int((rated['ci_high'] <= rated['ci_low']).sum())} of zero "
              f"width; {table['corrected'].isna().sum()} of {len(table)} pairs NA")
        print("\nRogan-Gladen on simulated plans whose tagger recall differs between plans (sd tau on the logit "
              "scale), rates from 4 gold plans, 300 plans per tau:\n")
        print(rogan_gladen_when_recall_differs().to_string())
    corpus, reviews = corpus_with_reviews(args.plans)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        times = medians({"corrected": lambda: compare.theme_shares(corpus, review=reviews, n_boot=1000),
                         "rates": lambda: compare.theme_shares(corpus, n_boot=1000),
                         "uncorrected": lambda: compare.theme_shares(corpus, n_boot=1000, correct=False)}, repeat=3)
    units = int(corpus["level"].isin(compare.PROVISION_LEVELS).sum())
    print(f"\ntheme_shares on {args.plans:,} plans ({units:,} provisions), 1,000 bootstrap replicates: "
          f"corrected (review of 60 per plan) {times['corrected']:.2f} s, corrected with out-of-plan rates "
          f"(Rogan-Gladen, predictive rates) {times['rates']:.2f} s, uncorrected {times['uncorrected']:.2f} s "
          "(medians of 3)")


if __name__ == "__main__":
    main()

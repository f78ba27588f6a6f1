"""How well the automatic taggers agree with the adjudicated hand coding, in sample and out of it.

``scripts/validate_taggers.py`` reads the full texts of the hand-coded English plans from the
reference copies (``../shared/corpus``), tags them with every frozen codebook
(``data/codebooks/v*.yaml``) and writes ``data/coded/tagger_validation.csv``: one row per
codebook version, plan, method and theme, plus a ``macro`` and a ``micro`` row, with the
codebook's version and the sha256 of its file, so every score can be reproduced.

Methods:

- ``dictionary``: the codebook's lexicons (a theme is tagged on one match that counts);
- ``model``: TF-IDF and logistic regression (:mod:`policylab.model`), scored
  leave-one-plan-out (:func:`leave_one_plan_out`): fitted on the gold of every other plan,
  never on the plan it scores. It reads no lexicon (only the theme list), so its rows
  repeat across codebook versions;
- ``every_theme``: the baseline that tags every theme on every unit. A tagger whose F1 is
  near it has learnt little.

The ``sample`` column says whether the scored plan was seen when the method was made, in
one of three words, and ``sample_note`` says how:

- ``out-of-plan``: the plan played no part in making the method: a codebook frozen before
  the plan was coded (v1.0 on the UK plan), or a model fitted to the other plans' gold;
- ``in-sample``: the lexicons were drafted or revised on this plan (the US plan for every
  version; the UK plan from v1.1 on). Optimistic: never a headline figure;
- ``baseline``: no fitting at all (``every_theme``).

Per theme, beside each other, ``prevalence`` (share of units coded with the theme) and
``flag_rate`` (share of units the method tags), and ``flag_ratio`` = flag rate / prevalence:
a tagger that flags twice what is there (ratio 2) is visibly wrong even at a decent F1. On the
``macro`` row prevalence and flag rate are means over the themes and the ratio is the median
of the themes' ratios (the typical theme; themes with prevalence 0 left out, and a mean would
be ruled by the rarest theme); on ``micro`` the ratio pools all tags over all codes.

Scores: precision, recall and F1 = 2TP / (2TP + FP + FN) per theme, each NA where it is
undefined (no prediction, no coded unit, or neither); ``macro`` is the mean over the themes
where the measure is defined, ``micro`` pools the counts of all themes. The 95% intervals
are percentile intervals from resampling whole sections (the clusters of
:func:`policylab.resampling.section_clusters`, as in :mod:`policylab.compare`), with one
random stream per plan, so all methods and versions are scored on the same resamples.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .coded import CODED_DIR, read_codes
from .coding import tag_themes
from .datafiles import REFERENCE_FILES, sha256_file
from .errors import PolicyLabError
from .resampling import cluster_sums, group_rng, resampled_sums, section_clusters
from .themes import FROZEN_DIR, Codebook, load_codebook

VALIDATION_PATH = CODED_DIR / "tagger_validation.csv"
PLANS = {plan_id: REFERENCE_FILES[plan_id] for plan_id in ("us-aap-2025", "gb-aiop-2025")}  # the English ones
OUT_OF_PLAN, IN_SAMPLE, BASELINE = "out-of-plan", "in-sample", "baseline"  # the sample column
DRAFTED = "lexicon drafted on this plan"
REVISED = "lexicon revised on this plan"
FROZEN_BEFORE = "codebook frozen before this plan was coded"
# The plans each frozen version's lexicons were drafted or revised on (the rest are out of plan).
LEXICON_SEEN = {"1.0": {"us-aap-2025": DRAFTED},
                "1.1": {"us-aap-2025": DRAFTED, "gb-aiop-2025": REVISED},
                "1.2": {"us-aap-2025": DRAFTED, "gb-aiop-2025": REVISED}}
N_BOOT = 2000
SEED = 20250123
COLUMNS = ["codebook_version", "codebook_sha256", "plan_id", "sample", "sample_note", "method", "theme",
           "prevalence", "flag_rate", "flag_ratio", "precision", "precision_low", "precision_high", "recall", "recall_low", "recall_high",
           "f1", "f1_low", "f1_high", "kappa", "n_units", "n_clusters", "n_positive", "n_predicted"]


class ValidationError(PolicyLabError):
    """The tagger validation cannot be computed as asked."""


def _measures(totals: np.ndarray, n_themes: int) -> dict[str, np.ndarray]:
    """Precision, recall and F1 per theme, macro and micro (columns) from TP, FP, FN totals
    (rows: the observed totals or one resample each; columns: TP per theme, FP, FN)."""
    tp, fp, fn = (totals[:, i * n_themes:(i + 1) * n_themes] for i in range(3))
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mean of a row with no defined theme
        result = {}
        for name, numerator, denominator in (("precision", tp, tp + fp), ("recall", tp, tp + fn),
                                             ("f1", 2 * tp, 2 * tp + fp + fn)):
            per_theme = np.where(denominator > 0, numerator / denominator, np.nan)
            pooled = numerator.sum(axis=1) / denominator.sum(axis=1)
            result[name] = np.column_stack([per_theme, np.nanmean(per_theme, axis=1), pooled])
    return result


def scores(truth: np.ndarray, predicted: np.ndarray, themes: list[str], clusters: np.ndarray, *,
           rng: np.random.Generator, n_boot: int = N_BOOT) -> pd.DataFrame:
    """Scores of 0/1 predictions against 0/1 truth (units x themes), per theme, macro and micro,
    with 95% intervals from resampling the clusters with ``rng``."""
    # scikit-learn takes about a second to import: loaded only when something is scored
    from sklearn.metrics import cohen_kappa_score

    truth, predicted = truth.astype(bool), predicted.astype(bool)
    counts = np.hstack([truth & predicted, predicted & ~truth, truth & ~predicted]).astype(float)
    sums = cluster_sums(counts, clusters)
    point = _measures(sums.sum(axis=0, keepdims=True), len(themes))
    boot = _measures(resampled_sums(sums, rng, n_boot), len(themes))
    table = pd.DataFrame({"theme": [*themes, "macro", "micro"]})
    for name in ("precision", "recall", "f1"):
        table[name] = point[name][0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a theme no resample defines
            table[f"{name}_low"], table[f"{name}_high"] = np.nanpercentile(boot[name], [2.5, 97.5], axis=0)
        table.loc[table[name].isna(), [f"{name}_low", f"{name}_high"]] = np.nan
    kappas = [cohen_kappa_score(truth[:, j], predicted[:, j]) if len(np.union1d(truth[:, j], predicted[:, j])) > 1
              else 1.0 for j in range(len(themes))]  # one value everywhere, the same on both sides: 1
    table["kappa"] = [*kappas, float(np.mean(kappas)), np.nan]
    prevalence, flag_rate = truth.mean(axis=0), predicted.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(prevalence > 0, flag_rate / prevalence, np.nan)
        pooled_ratio = predicted.sum() / truth.sum() if truth.sum() else np.nan
    table["prevalence"] = [*prevalence, prevalence.mean(), prevalence.mean()]
    table["flag_rate"] = [*flag_rate, flag_rate.mean(), flag_rate.mean()]
    table["flag_ratio"] = [*ratio, np.nanmedian(ratio) if (prevalence > 0).any() else np.nan, pooled_ratio]
    table["n_units"] = len(truth)
    table["n_clusters"] = len(sums)
    table["n_positive"] = [*truth.sum(axis=0), truth.sum(), truth.sum()]
    table["n_predicted"] = [*predicted.sum(axis=0), predicted.sum(), predicted.sum()]
    return table


def dictionary_predictions(units: pd.DataFrame, codebook: Codebook) -> np.ndarray:
    """0/1 (units x themes): the themes with at least one lexicon match."""
    tags = tag_themes(units, codebook)
    wide = tags.pivot(index="unit_id", columns="theme", values="score").loc[units["unit_id"], codebook.theme_ids]
    return wide.gt(0).to_numpy(dtype=int)


FitPredict = Callable[[pd.DataFrame, pd.DataFrame, pd.DataFrame], np.ndarray]


def leave_one_plan_out(units: dict[str, pd.DataFrame], truth: dict[str, pd.DataFrame],
                       fit_predict: FitPredict) -> dict[str, tuple[str, np.ndarray]]:
    """Score anything fitted to gold out of plan: for every plan, ``fit_predict(train_units,
    train_truth, units)`` is fitted on the units and gold of all the OTHER plans and predicts
    this one (0/1, units x themes). Returns plan id -> (sample note, predictions)."""
    if len(units) < 2:
        raise ValidationError(f"Leave-one-plan-out needs gold for at least two plans; found {', '.join(units) or 'none'}.")
    result = {}
    for plan_id, frame in units.items():
        others = [other for other in units if other != plan_id]
        predicted = fit_predict(pd.concat([units[o] for o in others], ignore_index=True),
                                pd.concat([truth[o] for o in others], ignore_index=True), frame)
        result[plan_id] = (f"leave-one-plan-out: fitted on {', '.join(others)}", np.asarray(predicted, dtype=int))
    return result


def _model_fit_predict(train_units: pd.DataFrame, train_truth: pd.DataFrame, units: pd.DataFrame) -> np.ndarray:
    """The TF-IDF model fitted on the training gold, its 0/1 predictions for ``units``."""
    from .model import THRESHOLD, ModelTagger

    tags = ModelTagger.fit(train_units, train_truth).tag(units).pivot(index="unit_id", columns="theme", values="score")
    return tags.loc[units["unit_id"], list(train_truth.columns)].ge(THRESHOLD).to_numpy(dtype=int)


def frozen_codebooks(directory: Path = FROZEN_DIR) -> list[Path]:
    """The frozen codebook files, oldest version first."""
    paths = sorted(directory.glob("v*.yaml"), key=lambda p: tuple(int(x) for x in p.stem[1:].split(".")))
    if not paths:
        raise ValidationError(f"No frozen codebook (v*.yaml) in {directory}; restore data/codebooks/.")
    return paths


def validation_table(codebooks: list[Path] | None = None, plans: dict[str, Path] | None = None,
                     *, n_boot: int = N_BOOT) -> pd.DataFrame:
    """Every tagger's scores on every hand-coded plan, for every frozen codebook."""
    from .parse import read_document

    plans = plans or PLANS
    gold = read_codes(CODED_DIR / "gold.csv").set_index("unit_id")
    units = {plan_id: read_document(path, plan_id=plan_id).reset_index(drop=True) for plan_id, path in plans.items()}
    clusters = {plan_id: section_clusters(frame, frame).to_numpy() for plan_id, frame in units.items()}
    tables, model_runs = [], {}  # the model learns from the gold codes only: one run per theme set
    for path in codebooks or frozen_codebooks():
        codebook = load_codebook(path)
        if codebook.version not in LEXICON_SEEN:
            raise ValidationError(f"{path}: record in policylab/validation.py LEXICON_SEEN which plans "
                                  f"codebook {codebook.version}'s lexicons were drafted or revised on.")
        sha256 = sha256_file(path)
        themes = list(codebook.theme_ids)
        truth = {plan_id: gold.loc[frame["unit_id"], themes].reset_index(drop=True) for plan_id, frame in units.items()}
        if tuple(themes) not in model_runs:
            model_runs[tuple(themes)] = leave_one_plan_out(units, truth, _model_fit_predict)
        for plan_id, frame in units.items():
            y = truth[plan_id].to_numpy()
            seen = LEXICON_SEEN[codebook.version].get(plan_id)
            model_note, model = model_runs[tuple(themes)][plan_id]
            for method, sample, note, predicted in (
                    ("dictionary", IN_SAMPLE if seen else OUT_OF_PLAN, seen or FROZEN_BEFORE,
                     dictionary_predictions(frame, codebook)),
                    ("model", OUT_OF_PLAN, model_note, model),
                    ("every_theme", BASELINE, "tags every theme on every unit; no fitting", np.ones_like(y))):
                table = scores(y, predicted, themes, clusters[plan_id], rng=group_rng(SEED, [plan_id]),
                               n_boot=n_boot)
                tables.append(table.assign(codebook_version=codebook.version, codebook_sha256=sha256,
                                           plan_id=plan_id, sample=sample, sample_note=note, method=method))
    table = pd.concat(tables, ignore_index=True)[COLUMNS]
    return table.round({c: 3 for c in COLUMNS if c.startswith(("prevalence", "flag", "precision", "recall", "f1", "kappa"))})

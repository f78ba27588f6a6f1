"""How well the automatic taggers agree with the adjudicated hand coding, in sample and out of it.

``scripts/validate_taggers.py`` reads the full texts of the hand-coded plans from the
reference copies (``../shared/corpus``; every plan of ``data/coded/gold.csv`` with an official
text there, see :func:`policylab.model.gold_plans`), tags them with every frozen codebook
(``data/codebooks/v*.yaml``) and writes ``data/coded/tagger_validation.csv``: one row per
codebook version, plan, method and theme, plus a ``macro`` and a ``micro`` row, with the
codebook's version and the sha256 of its file, so every score can be reproduced. Beside it,
``data/coded/tagger_validation_units.csv`` keeps the units behind every out-of-plan row: unit
id, section number within the plan, gold and tagged themes and orientation (ids and codes, no
text), so that the Rogan-Gladen intervals (:mod:`policylab.rates`) can resample them.

Methods:

- ``dictionary``: the codebook's lexicons (a theme is tagged on one match that counts);
- ``model``: the supervised tagger (:mod:`policylab.model`), scored leave-one-plan-out
  (:func:`leave_one_plan_out`): fitted, calibrated and thresholded on the gold of every other
  plan, never on the plan it scores. Its features include the working codebook's lexicon
  hits (said in ``sample_note``), whatever version a row names: its rows repeat across
  codebook versions;
- ``default``: what ``code_plan`` does, per theme the model or the working codebook's
  dictionary, the choice made on the other plans only. Labelled like that codebook's
  dictionary on the plan (in sample where the lexicons were drafted or revised on it), and
  given for the working codebook's version only;
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
from .coding import tag_themes, tagged_orientation, theme_lists
from .datafiles import sha256_file
from .errors import PolicyLabError
from .resampling import cluster_sums, group_rng, resampled_sums, section_clusters
from .themes import CODEBOOK_PATH, FROZEN_DIR, Codebook, load_codebook

VALIDATION_PATH = CODED_DIR / "tagger_validation.csv"
UNITS_PATH = CODED_DIR / "tagger_validation_units.csv"
UNIT_COLUMNS = ["codebook_version", "method", "plan_id", "unit_id", "section", "gold_themes", "tagged_themes",
                "gold_orientation", "tagged_orientation"]
OUT_OF_PLAN, IN_SAMPLE, BASELINE = "out-of-plan", "in-sample", "baseline"  # the sample column
DRAFTED = "lexicon drafted on this plan"
REVISED = "lexicon revised on this plan"
FROZEN_BEFORE = "codebook frozen before this plan was coded"
# The plans each frozen version's lexicons were drafted or revised on (the rest are out of plan).
LEXICON_SEEN = {"1.0": {"us-aap-2025": DRAFTED, "cn-gaigi-2023": DRAFTED},
                "1.1": {"us-aap-2025": DRAFTED, "cn-gaigi-2023": DRAFTED, "gb-aiop-2025": REVISED},
                "1.2": {"us-aap-2025": DRAFTED, "cn-gaigi-2023": DRAFTED, "gb-aiop-2025": REVISED}}
N_BOOT = 2000
SEED = 20250123
REPORT_METHODS = ("model", "default", "dictionary", "every_theme")
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


def dictionary_predictions(units: pd.DataFrame, codebook: Codebook, tags: pd.DataFrame | None = None) -> np.ndarray:
    """0/1 (units x themes): the themes with at least one lexicon match (``tags``: the
    codebook's :func:`tag_themes` of ``units``, computed when not given)."""
    tags = tag_themes(units, codebook) if tags is None else tags
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


def frozen_codebooks(directory: Path = FROZEN_DIR) -> list[Path]:
    """The frozen codebook files, oldest version first."""
    paths = sorted(directory.glob("v*.yaml"), key=lambda p: tuple(int(x) for x in p.stem[1:].split(".")))
    if not paths:
        raise ValidationError(f"No frozen codebook (v*.yaml) in {directory}; restore data/codebooks/.")
    return paths


def validation_table(codebooks: list[Path] | None = None, *, n_boot: int = N_BOOT) -> pd.DataFrame:
    """Every tagger's scores on every gold plan with an official text, for every frozen codebook."""
    return validation_tables(codebooks, n_boot=n_boot)[0]


def validation_tables(codebooks: list[Path] | None = None, *,
                      n_boot: int = N_BOOT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`validation_table` and, for its out-of-plan rows of the dictionary, model and
    default taggers, the units they were scored on (``UNIT_COLUMNS``: ids, the plan's section
    number, the gold and the tagged themes and orientation; no text): what the Rogan-Gladen
    intervals of :mod:`policylab.rates` resample."""
    from .model import LeaveOnePlanOut, gold_plans

    units, _, _ = gold_plans()
    gold = read_codes(CODED_DIR / "gold.csv").set_index("unit_id")
    clusters = {plan_id: section_clusters(frame, frame).to_numpy() for plan_id, frame in units.items()}
    working = load_codebook(CODEBOOK_PATH)
    model_themes = list(working.theme_ids)
    model_truth = {plan_id: gold.loc[frame["unit_id"], model_themes].reset_index(drop=True)
                   for plan_id, frame in units.items()}
    fits = LeaveOnePlanOut()
    runs = {method: leave_one_plan_out(units, model_truth, getattr(fits, method)) for method in ("model", "default")}
    features = f"; features include codebook {working.version}'s lexicon hits"
    sections = {plan_id: np.unique(cluster, return_inverse=True)[1] for plan_id, cluster in clusters.items()}
    working_tags = {plan_id: tag_themes(frame, working) for plan_id, frame in units.items()}
    tables, unit_rows = [], []
    for path in codebooks or frozen_codebooks():
        codebook = load_codebook(path)
        if codebook.version not in LEXICON_SEEN:
            raise ValidationError(f"{path}: record in policylab/validation.py LEXICON_SEEN which plans "
                                  f"codebook {codebook.version}'s lexicons were drafted or revised on.")
        if list(codebook.theme_ids) != model_themes:
            raise ValidationError(f"{path}: its themes are not the working codebook's; the model rows need the same themes.")
        sha256 = sha256_file(path)
        for plan_id, frame in units.items():
            y = model_truth[plan_id].to_numpy()
            seen = LEXICON_SEEN[codebook.version].get(plan_id)
            dictionary_sample = (IN_SAMPLE if seen else OUT_OF_PLAN, seen or FROZEN_BEFORE)
            tags = tag_themes(frame, codebook)
            methods = [("dictionary", *dictionary_sample, dictionary_predictions(frame, codebook, tags)),
                       ("model", OUT_OF_PLAN, runs["model"][plan_id][0] + features, runs["model"][plan_id][1])]
            if sha256 == sha256_file(CODEBOOK_PATH):
                sample, note = dictionary_sample
                note = f"{runs['default'][plan_id][0]}; per-theme choice made on those plans; dictionary themes: {note}"
                methods.append(("default", sample, note, runs["default"][plan_id][1]))
            methods.append(("every_theme", BASELINE, "tags every theme on every unit; no fitting", np.ones_like(y)))
            for method, sample, note, predicted in methods:
                table = scores(y, predicted, model_themes, clusters[plan_id], rng=group_rng(SEED, [plan_id]),
                               n_boot=n_boot)
                tables.append(table.assign(codebook_version=codebook.version, codebook_sha256=sha256,
                                           plan_id=plan_id, sample=sample, sample_note=note, method=method))
                if sample == OUT_OF_PLAN:
                    plan_tags = tags if method == "dictionary" else working_tags[plan_id]
                    unit_rows.append(pd.DataFrame({
                        "codebook_version": codebook.version, "method": method, "plan_id": plan_id,
                        "unit_id": frame["unit_id"].to_numpy(), "section": sections[plan_id],
                        "gold_themes": theme_lists(y.astype(bool), model_themes),
                        "tagged_themes": theme_lists(predicted.astype(bool), model_themes),
                        "gold_orientation": gold.loc[frame["unit_id"], "orientation"].to_numpy(),
                        "tagged_orientation": tagged_orientation(plan_tags, predicted.astype(bool), model_themes,
                                                                 frame["level"])}))
    table = pd.concat(tables, ignore_index=True)[COLUMNS]
    table = table.round({c: 3 for c in COLUMNS if c.startswith(("prevalence", "flag", "precision", "recall", "f1", "kappa"))})
    return table, pd.concat(unit_rows, ignore_index=True)[UNIT_COLUMNS]


def tagger_report(path: Path = VALIDATION_PATH) -> pd.DataFrame:
    """The supervised tagger out of plan beside the working codebook's dictionary and the
    every-theme baseline: one row per held-out plan, method and theme (with macro and micro),
    from ``data/coded/tagger_validation.csv`` (rebuilt by ``scripts/validate_taggers.py``)."""
    try:
        table = pd.read_csv(path, dtype={"codebook_version": str})
    except FileNotFoundError:
        raise ValidationError(f"{path} is missing; run `python scripts/validate_taggers.py` to rebuild it.") from None
    version = load_codebook(CODEBOOK_PATH).version
    rows = table[(table.codebook_version == version) & table.method.isin(REPORT_METHODS)].copy()
    rows["method"] = pd.Categorical(rows.method, categories=REPORT_METHODS, ordered=True)
    columns = ["plan_id", "method", "sample", "theme", "prevalence", "flag_rate", "flag_ratio", "precision", "recall",
               "f1", "f1_low", "f1_high", "n_units", "n_positive", "n_predicted"]
    return rows.sort_values(["plan_id", "method"], kind="stable")[columns].reset_index(drop=True)

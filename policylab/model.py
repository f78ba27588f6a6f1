"""Fitting the supervised tagger with scikit-learn, scored and chosen only out of plan.

Per theme, a logistic regression (``class_weight="balanced"``: the rare themes weigh as
much as the common ones) over the features of :mod:`policylab.features`, then

- its *out-of-plan decision values* on the training units: each training plan's units
  scored by a model fitted on the other training plans (folds grouped by plan; by section
  when there is one training plan only);
- *Platt calibration* fitted to those values (a one-feature logistic regression: what
  ``CalibratedClassifierCV(method="sigmoid", ensemble=False)`` does, here on the
  leave-one-plan-out folds);
- a *threshold* on the calibrated probability that maximises F1 on those values (ties: the
  flag count nearest the number of coded units);
- the choice, per theme, of the tagger ``code_plan`` uses: the model where its out-of-plan
  F1 on the training plans beats the dictionary's, else the dictionary.

So the threshold, the calibration and the choice are made by nested cross-validation: when
a plan is scored (:func:`fit_predict` in :func:`policylab.validation.leave_one_plan_out`),
all of them are fitted on the other plans only.

Training data: every plan of ``data/coded/gold.csv`` whose official text is among the
reference copies (``../shared/corpus``), read with the plan's reader and joined to the gold
codes by unit id. Plans coded from secondary sources (``cn-gaigap-2025``: our own summaries,
written by coders who knew the codes) are left out: their text is not a plan's text.

``make model`` (``scripts/build_model.py``) fits it on all of them and writes
``policylab/models/tagger.npz`` (:mod:`policylab.supervised`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from .coded import SECONDARY, read_codes
from .datafiles import REFERENCE_CORPUS, REFERENCE_FILES, sha256_file
from .errors import PolicyLabError
from .features import base_language, dictionary_counts, unit_terms, unit_tuples
from .resampling import section_clusters
from .supervised import FORMAT, GOLD_PATH, SupervisedTagger
from .tagging import default_tagger
from .themes import CODEBOOK_PATH

C = 4.0  # inverse regularisation of each theme's logistic regression
MIN_DF = 2  # a term counts when at least two training units hold it
MIN_PLAN_FOLDS = 3  # training plans needed for folds grouped by plan
NEVER = np.inf  # the threshold of a theme with no coded unit to learn from


class TrainingError(PolicyLabError):
    """The supervised tagger cannot be fitted as asked."""


def reference_text(plan_id: str) -> Path | None:
    """The reference copy of a plan's official text: REFERENCE_FILES, else the only file of the
    corpus folder named after the plan (``cn-aiplus-2025-en`` for ``cn-aiplus-2025``)."""
    if plan_id in REFERENCE_FILES:
        return REFERENCE_FILES[plan_id] if REFERENCE_FILES[plan_id].exists() else None
    files = [p for folder in sorted(REFERENCE_CORPUS.glob(f"{plan_id}*")) if folder.is_dir()
             for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix != ".md"]
    return files[0] if len(files) == 1 else None


def gold_plans() -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict[str, Path]]:
    """Units, gold theme codes (0/1, codebook order) and reference file of every gold plan
    that can be trained and scored on; a plan that cannot is named in a warning."""
    from .parse import read_document

    gold = read_codes(GOLD_PATH).set_index("unit_id")
    themes = list(default_tagger().theme_ids)
    units, truth, files = {}, {}, {}
    for plan_id in dict.fromkeys(gold.index.str.split("/").str[0]):
        if plan_id in SECONDARY:
            continue  # our own summaries, not the plan's text
        path = reference_text(plan_id)
        if path is None:
            warnings.warn(f"{plan_id}: gold codes but no reference text in {REFERENCE_CORPUS}; left out.", stacklevel=2)
            continue
        frame = read_document(path, plan_id=plan_id).reset_index(drop=True)
        coded = gold.index[gold.index.str.startswith(f"{plan_id}/")]
        if set(coded) != set(frame["unit_id"]):
            warnings.warn(f"{plan_id}: the reader's {len(frame)} units are not the {len(coded)} gold units "
                          f"(e.g. {sorted(set(coded) ^ set(frame['unit_id']))[:3]}); left out.", stacklevel=2)
            continue
        units[plan_id], files[plan_id] = frame, path
        truth[plan_id] = gold.loc[frame["unit_id"], themes].reset_index(drop=True)
    return units, truth, files


@dataclass
class FittedModel:
    """The scikit-learn objects of one fit: vectorizer, per theme a classifier (None: no
    unit of one class to learn from) and a Platt calibrator, and the thresholds."""

    vectorizer: TfidfVectorizer
    classifiers: list
    calibrators: list
    threshold: np.ndarray
    themes: list[str]
    oof_flags: np.ndarray  # training units x themes: out-of-plan 0/1 at the chosen thresholds

    def decision(self, units: pd.DataFrame, counts: np.ndarray) -> np.ndarray:
        return _decisions(self.vectorizer, self.classifiers, units, counts)

    def predict_proba(self, units: pd.DataFrame, counts: np.ndarray) -> np.ndarray:
        """Units x themes: calibrated probabilities, computed by scikit-learn."""
        d = self.decision(units, counts)
        return np.column_stack([c.predict_proba(d[:, [j]])[:, 1] for j, c in enumerate(self.calibrators)])

    def flags(self, units: pd.DataFrame, counts: np.ndarray) -> np.ndarray:
        return (self.predict_proba(units, counts) >= self.threshold).astype(int)

    def to_tagger(self, choice: list[str], languages: list[str], meta: dict) -> SupervisedTagger:
        """The plain arrays of this fit, as the numpy tagger."""
        n_features = len(self.vectorizer.vocabulary_) + len(self.themes)
        coef = np.zeros((len(self.themes), n_features))
        intercept = np.zeros(len(self.themes))
        for j, classifier in enumerate(self.classifiers):
            if isinstance(classifier, LogisticRegression):
                coef[j], intercept[j] = classifier.coef_[0], classifier.intercept_[0]
            else:
                intercept[j] = classifier
        return SupervisedTagger(
            vocabulary=dict(self.vectorizer.vocabulary_), idf=self.vectorizer.idf_.astype(float), coef=coef,
            intercept=intercept, platt_a=np.array([c.coef_[0, 0] for c in self.calibrators]),
            platt_b=np.array([c.intercept_[0] for c in self.calibrators]), threshold=self.threshold,
            themes=tuple(self.themes), choice=tuple(choice), languages=tuple(languages), meta=meta)


def _fit_linear(units: pd.DataFrame, labels: np.ndarray, counts: np.ndarray):
    """Vectorizer and one balanced logistic regression per theme (or a constant decision)."""
    vectorizer = TfidfVectorizer(analyzer=unit_terms, sublinear_tf=True, min_df=MIN_DF, norm="l2")
    x = sp.hstack([vectorizer.fit_transform(unit_tuples(units)), sp.csr_matrix(np.log1p(counts))]).tocsr()
    classifiers = []
    for j in range(labels.shape[1]):
        y = labels[:, j]
        if y.min() == y.max():  # one class only: a constant decision, far on that side
            classifiers.append(10.0 if y.max() else -10.0)
            continue
        classifiers.append(LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=0)
                           .fit(x, y))
    return vectorizer, classifiers


def _decisions(vectorizer, classifiers, units: pd.DataFrame, counts: np.ndarray) -> np.ndarray:
    x = sp.hstack([vectorizer.transform(unit_tuples(units)), sp.csr_matrix(np.log1p(counts))]).tocsr()
    return np.column_stack([c.decision_function(x) if isinstance(c, LogisticRegression) else np.full(len(units), c)
                            for c in classifiers])


def _folds(units: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index pairs: one per plan with three plans or more; else five folds of whole
    sections (with two plans, one held out leaves one plan to learn from: too little)."""
    plans = units["plan_id"].to_numpy(dtype=object)
    if len(set(plans)) >= MIN_PLAN_FOLDS:
        return [(np.flatnonzero(plans != p), np.flatnonzero(plans == p)) for p in dict.fromkeys(plans)]
    groups = section_clusters(units, units).to_numpy()
    return list(GroupKFold(n_splits=min(5, len(set(groups)))).split(units, groups=groups))


def best_threshold(probability: np.ndarray, y: np.ndarray) -> float:
    """The probability cut that maximises F1 of ``probability >= cut`` against ``y`` (ties: the
    flag count nearest the positives), halfway to the next lower probability."""
    positives = int(y.sum())
    if positives == 0:
        return NEVER
    values = np.unique(probability)[::-1]  # candidate cuts, highest first
    flagged = np.array([(probability >= v).sum() for v in values])
    hits = np.array([y[probability >= v].sum() for v in values])
    f1 = 2 * hits / (flagged + positives)
    best = np.flatnonzero(np.isclose(f1, f1.max()))
    k = best[np.argmin(np.abs(flagged[best] - positives))]
    return float((values[k] + values[k + 1]) / 2) if k + 1 < len(values) else float(values[k] / 2)


def fit(units: pd.DataFrame, labels: pd.DataFrame, counts: np.ndarray) -> FittedModel:
    """Fit on ``units`` (with ``plan_id``), their 0/1 ``labels`` and dictionary ``counts``:
    out-of-plan decision values, calibration and thresholds from them, then the final fit."""
    y = labels.to_numpy(dtype=int)
    oof = np.zeros(y.shape)
    for train, test in _folds(units):
        vectorizer, classifiers = _fit_linear(units.iloc[train], y[train], counts[train])
        oof[test] = _decisions(vectorizer, classifiers, units.iloc[test], counts[test])
    vectorizer, classifiers = _fit_linear(units, y, counts)
    calibrators, thresholds, oof_flags = [], [], np.zeros(y.shape, dtype=int)
    for j in range(y.shape[1]):
        both = y[:, j].min() < y[:, j].max()
        calibrator = LogisticRegression(C=1e4).fit(oof[:, [j]], y[:, j]) if both else _constant_calibrator(y[:, j])
        probability = calibrator.predict_proba(oof[:, [j]])[:, 1]
        calibrators.append(calibrator)
        thresholds.append(best_threshold(probability, y[:, j]))
        oof_flags[:, j] = probability >= thresholds[-1]
    return FittedModel(vectorizer, classifiers, calibrators, np.array(thresholds), list(labels.columns), oof_flags)


def _constant_calibrator(y: np.ndarray) -> LogisticRegression:
    """A calibrator for a theme every unit or no unit has: the identity on the decision value."""
    calibrator = LogisticRegression()
    calibrator.classes_, calibrator.coef_, calibrator.intercept_ = np.array([0, 1]), np.ones((1, 1)), np.zeros(1)
    return calibrator


def f1_scores(flags: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per theme F1 = 2TP / (2TP + FP + FN) of pooled counts (NaN where undefined)."""
    tp = (flags & truth).sum(axis=0)
    denominator = flags.sum(axis=0) + truth.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, 2 * tp / denominator, np.nan)


def choose(model_flags: np.ndarray, dictionary_flags: np.ndarray, truth: np.ndarray) -> list[str]:
    """Per theme, ``model`` where its F1 beats the dictionary's, else ``dictionary``."""
    model, dictionary = f1_scores(model_flags, truth), f1_scores(dictionary_flags, truth)
    return ["model" if m > np.nan_to_num(d) else "dictionary" for m, d in zip(model, dictionary)]


def combined(choice: list[str], model_flags: np.ndarray, dictionary_flags: np.ndarray) -> np.ndarray:
    """Each theme's column from the tagger chosen for it."""
    use_model = np.array([c == "model" for c in choice])
    return np.where(use_model, model_flags, dictionary_flags)


class LeaveOnePlanOut:
    """``fit_predict`` callables for :func:`policylab.validation.leave_one_plan_out`: the model's
    and the per-theme choice's 0/1 predictions, from one fit per held-out plan."""

    def __init__(self):
        self._fits: dict[str, tuple] = {}

    def _fit(self, train_units: pd.DataFrame, train_truth: pd.DataFrame, units: pd.DataFrame):
        key = units["plan_id"].iloc[0]
        if key not in self._fits:
            tagger = default_tagger()
            counts = dictionary_counts(train_units, tagger)
            fitted = fit(train_units, train_truth, counts)
            y = train_truth.to_numpy(dtype=int)
            choice = choose(fitted.oof_flags, (counts > 0).astype(int), y)
            target_counts = dictionary_counts(units, tagger)
            model = fitted.flags(units, target_counts)
            self._fits[key] = model, combined(choice, model, (target_counts > 0).astype(int))
        return self._fits[key]

    def model(self, train_units, train_truth, units) -> np.ndarray:
        return self._fit(train_units, train_truth, units)[0]

    def default(self, train_units, train_truth, units) -> np.ndarray:
        return self._fit(train_units, train_truth, units)[1]


def build_model() -> tuple[SupervisedTagger, FittedModel, pd.DataFrame, np.ndarray]:
    """The tagger fitted on every gold plan, its scikit-learn fit, the training units and
    their dictionary counts (``make model`` saves the first)."""
    units, truth, files = gold_plans()
    if not units:
        raise TrainingError(f"No gold plan has its reference text in {REFERENCE_CORPUS}; cannot fit the tagger "
                            "(the reference copies sit beside developer checkouts; the shipped model stays as it is).")
    all_units = pd.concat(units.values(), ignore_index=True)
    labels = pd.concat(truth.values(), ignore_index=True)
    counts = dictionary_counts(all_units, default_tagger())
    fitted = fit(all_units, labels, counts)
    y = labels.to_numpy(dtype=int)
    choice = choose(fitted.oof_flags, (counts > 0).astype(int), y)
    languages = sorted({base_language(language) for language in all_units["language"]})
    meta = {"format": FORMAT, "gold_sha256": sha256_file(GOLD_PATH), "codebook_sha256": sha256_file(CODEBOOK_PATH),
            "codebook_version": default_tagger().codebook.version,
            "texts": {plan_id: sha256_file(path) for plan_id, path in files.items()},
            "units": {plan_id: len(frame) for plan_id, frame in units.items()},
            "sklearn_version": sklearn.__version__, "C": C, "min_df": MIN_DF,
            "oof_f1_model": _rounded(f1_scores(fitted.oof_flags, y)),
            "f1_dictionary": _rounded(f1_scores((counts > 0).astype(int), y))}
    return fitted.to_tagger(choice, languages, meta), fitted, all_units, counts


def _rounded(values: np.ndarray) -> list:
    return [None if np.isnan(v) else round(float(v), 3) for v in values]

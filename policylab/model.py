"""A supervised theme classifier: TF-IDF features and one logistic regression per theme.

Kept as a comparison for the dictionary tagger, not as a tagger: scored leave-one-plan-out
(fitted on the other plan's gold), its macro-F1 (0.15 on the US plan, 0.17 on the UK plan)
stays near the 0.19 and 0.14 of tagging every theme on every unit
(``data/coded/tagger_validation.csv``, :func:`policylab.validation.leave_one_plan_out`).

Trained on the adjudicated gold coding (``data/coded/gold.csv``) joined to the unit
texts it codes.
"""

from __future__ import annotations

import itertools

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline

from .coded import CODED_DIR, read_codes
from .errors import PolicyLabError
from .loaders import load_plan
from .tagging import TAG_COLUMNS, en_tokens
from .themes import Codebook, load_codebook

THRESHOLD = 0.5


def make_pipeline_for(seed: int = 0):
    """TF-IDF over word uni- and bigrams, then a balanced linear classifier per theme."""
    return make_pipeline(
        TfidfVectorizer(analyzer=lambda text: _ngrams(en_tokens(text)), sublinear_tf=True, min_df=2),
        OneVsRestClassifier(LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=seed)),
    )


def _ngrams(tokens: list[str]) -> list[str]:
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def trainable(labels: pd.DataFrame) -> list[str]:
    """Themes with both positive and negative examples (a classifier needs both)."""
    return [c for c in labels.columns if 0 < labels[c].sum() < len(labels)]


def gold_training_set(codebook: Codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """US plan units (full text from the data home) and their gold theme labels."""
    units = load_plan("us-aap-2025")
    gold = read_codes(CODED_DIR / "gold.csv").set_index("unit_id")
    labels = gold.loc[units["unit_id"], list(codebook.theme_ids)].reset_index(drop=True)
    return units.reset_index(drop=True), labels


class ModelTagger:
    """A fitted pipeline and the themes it predicts."""

    def __init__(self, pipeline, themes: list[str], all_themes: list[str]):
        self.pipeline, self.themes, self.all_themes = pipeline, themes, all_themes

    @classmethod
    def fit(cls, units: pd.DataFrame, labels: pd.DataFrame, *, seed: int = 0) -> ModelTagger:
        themes = trainable(labels)
        if not themes:
            raise PolicyLabError("The gold coding has no theme with both coded and uncoded units; cannot train.")
        pipeline = make_pipeline_for(seed).fit(units["text"], labels[themes].to_numpy())
        return cls(pipeline, themes, list(labels.columns))

    @classmethod
    def from_gold(cls, codebook: Codebook | None = None) -> ModelTagger:
        """Train on the shipped gold coding of the US plan (needs the plan in the data home)."""
        units, labels = gold_training_set(codebook or load_codebook())
        return cls.fit(units, labels)

    def tag(self, units: pd.DataFrame) -> pd.DataFrame:
        """One row per unit and theme; score = predicted probability (0 for untrained themes)."""
        probabilities = pd.DataFrame(0.0, index=range(len(units)), columns=self.all_themes)
        if len(units):
            probabilities[self.themes] = self.pipeline.predict_proba(units["text"])
        probabilities.index = units["unit_id"].to_numpy()
        frame = probabilities.rename_axis(index="unit_id", columns="theme").stack().rename("score").reset_index()
        frame["matched_terms"] = ""
        return frame.astype(TAG_COLUMNS)

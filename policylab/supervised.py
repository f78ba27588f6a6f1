"""The fitted supervised tagger, read from plain arrays and applied with numpy.

``policylab/models/tagger.npz`` (written by ``make model``, see :mod:`policylab.model`) holds
the vocabulary and idf of the terms (:mod:`policylab.features`), one logistic regression per
theme (coefficients over the terms' tf-idf and the dictionary features, intercept), its
Platt calibration (probability = 1 / (1 + exp(-(a * decision + b)))), the threshold on that
probability, and per theme which tagger ``code_plan`` uses (``model`` or ``dictionary``:
whichever scored better out of plan). Loaded with ``allow_pickle=False``: reading it runs no
code, and it does not depend on the scikit-learn version that fitted it.

The file records the sha256 of the gold codes, of the codebook and of every training text;
when the gold codes or the codebook change, loading it raises :class:`ModelError` saying to
run ``make model``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .coded import CODED_DIR
from .datafiles import sha256_file, write_atomic
from .errors import PolicyLabError
from .features import base_languages, term_counts, tfidf
from .themes import CODEBOOK_PATH

MODEL_PATH = Path(__file__).resolve().parent / "models" / "tagger.npz"
GOLD_PATH = CODED_DIR / "gold.csv"
FORMAT = 1
REBUILD = "run `make model` in the policylab checkout to rebuild it"
ARRAYS = ("vocabulary", "idf", "coef", "intercept", "platt_a", "platt_b", "threshold", "themes", "choice",
          "languages", "meta")


class ModelError(PolicyLabError):
    """The supervised tagger's model file is missing, unreadable or stale."""


@dataclass(frozen=True)
class SupervisedTagger:
    """One logistic regression per theme over tf-idf terms and dictionary features, calibrated."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # themes x (terms + dictionary features)
    intercept: np.ndarray
    platt_a: np.ndarray
    platt_b: np.ndarray
    threshold: np.ndarray
    themes: tuple[str, ...]
    choice: tuple[str, ...]  # per theme: "model" or "dictionary"
    languages: tuple[str, ...]  # base languages it was trained on
    meta: dict

    @classmethod
    def from_arrays(cls, arrays) -> SupervisedTagger:
        terms = [str(term) for term in arrays["vocabulary"]]
        return cls(vocabulary={term: i for i, term in enumerate(terms)}, idf=np.asarray(arrays["idf"], float),
                   coef=np.asarray(arrays["coef"], float), intercept=np.asarray(arrays["intercept"], float),
                   platt_a=np.asarray(arrays["platt_a"], float), platt_b=np.asarray(arrays["platt_b"], float),
                   threshold=np.asarray(arrays["threshold"], float),
                   themes=tuple(map(str, arrays["themes"])), choice=tuple(map(str, arrays["choice"])),
                   languages=tuple(map(str, arrays["languages"])), meta=json.loads(str(arrays["meta"])))

    def arrays(self) -> dict[str, np.ndarray]:
        """The plain arrays the model file holds."""
        return {"vocabulary": np.array(sorted(self.vocabulary, key=self.vocabulary.get), dtype=str),
                "idf": self.idf, "coef": self.coef, "intercept": self.intercept, "platt_a": self.platt_a,
                "platt_b": self.platt_b, "threshold": self.threshold, "themes": np.array(self.themes, dtype=str),
                "choice": np.array(self.choice, dtype=str), "languages": np.array(self.languages, dtype=str),
                "meta": np.array(json.dumps(self.meta, sort_keys=True))}

    def save(self, path: Path) -> None:
        """Write the arrays to ``path`` (.npz) in one step."""
        def write(tmp: Path) -> None:
            with open(tmp, "wb") as handle:  # a file object: savez would add ".npz" to a name
                np.savez_compressed(handle, **self.arrays())

        write_atomic(path, write)

    def knows(self, languages) -> np.ndarray:
        """Per unit language: True where the model had training units in that language."""
        return np.isin(base_languages(languages), list(self.languages))

    def decision(self, units: pd.DataFrame, dictionary_scores: np.ndarray) -> np.ndarray:
        """Units x themes: each theme's linear decision value (``dictionary_scores``: units x
        themes, the dictionary tagger's match counts)."""
        n_terms = len(self.idf)
        terms = tfidf(term_counts(units, self.vocabulary), self.idf)
        return (terms @ self.coef[:, :n_terms].T + np.log1p(dictionary_scores) @ self.coef[:, n_terms:].T
                + self.intercept)

    def probabilities(self, units: pd.DataFrame, dictionary_scores: np.ndarray) -> np.ndarray:
        """Units x themes: the calibrated probability of each theme."""
        return 1.0 / (1.0 + np.exp(-(self.platt_a * self.decision(units, dictionary_scores) + self.platt_b)))

    def flags(self, units: pd.DataFrame, dictionary_scores: np.ndarray) -> np.ndarray:
        """Units x themes, 0/1: probability at or above the theme's threshold."""
        return (self.probabilities(units, dictionary_scores) >= self.threshold).astype(int)


def stale_reasons(meta: dict, *, texts: dict[str, Path] | None = None) -> list[str]:
    """What changed since the model was fitted: the format, the gold codes, the codebook and
    (when ``texts`` maps plan ids to their reference files) the training texts."""
    reasons = []
    if meta.get("format") != FORMAT:
        reasons.append(f"it has format {meta.get('format')}, this policylab reads format {FORMAT}")
    for what, path, key in (("gold codes", GOLD_PATH, "gold_sha256"), ("codebook", CODEBOOK_PATH, "codebook_sha256")):
        if sha256_file(path) != meta.get(key):
            reasons.append(f"the {what} ({path.name}) changed since it was fitted")
    for plan_id, path in (texts or {}).items():
        recorded = meta.get("texts", {}).get(plan_id)
        if recorded != sha256_file(path):
            reasons.append(f"the training text of {plan_id} ({path.name}) is not the one it was fitted on")
    return reasons


def load_model(path: Path = MODEL_PATH) -> SupervisedTagger:
    """The supervised tagger from its model file, checked against the gold codes and the codebook."""
    return _load(Path(path), sha256_file(GOLD_PATH), sha256_file(CODEBOOK_PATH))


@lru_cache(maxsize=4)
def _load(path: Path, gold_sha256: str, codebook_sha256: str) -> SupervisedTagger:
    """Cached per file and per gold and codebook contents."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in ARRAYS}
    except FileNotFoundError:
        raise ModelError(f"The supervised tagger's model file {path} is missing; {REBUILD}.") from None
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"The supervised tagger's model file {path} cannot be read ({exc}); {REBUILD}.") from None
    model = SupervisedTagger.from_arrays(arrays)
    reasons = stale_reasons(model.meta)
    if reasons:
        raise ModelError(f"The supervised tagger's model file {path} is stale: {'; '.join(reasons)}; {REBUILD}.")
    return model

"""How well the automatic taggers agree with the adjudicated hand coding.

``scripts/validate_taggers.py`` reads the US plan's full text from the reference copy
(``../shared/corpus``), compares the dictionary tagger and the model (cross-validated,
grouped by section) with ``data/coded/gold.csv`` and writes
``data/coded/tagger_validation.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from .coded import CODED_DIR, read_codes
from .coding import tag_themes
from .datafiles import REFERENCE_CORPUS
from .model import grouped_cv_predictions
from .themes import Codebook, load_codebook

VALIDATION_PATH = CODED_DIR / "tagger_validation.csv"
US_PDF = REFERENCE_CORPUS / "us-aap-2025" / "Americas-AI-Action-Plan.pdf"


def scores(method: str, truth: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall, F1 and Cohen's kappa per theme, plus their macro average."""
    rows = []
    for theme in truth.columns:
        y, p = truth[theme].to_numpy(), predicted[theme].to_numpy()
        precision, recall, f1, _ = precision_recall_fscore_support(y, p, average="binary", zero_division=0)
        kappa = cohen_kappa_score(y, p) if len(set(y) | set(p)) > 1 else 1.0
        rows.append({"method": method, "theme": theme, "precision": precision, "recall": recall,
                     "f1": f1, "kappa": kappa, "n_units": len(y), "n_positive": int(y.sum())})
    table = pd.DataFrame(rows)
    macro = table[["precision", "recall", "f1", "kappa"]].mean().to_dict()
    macro.update(method=method, theme="macro", n_units=len(truth), n_positive=int(truth.to_numpy().sum()))
    table = pd.concat([table, pd.DataFrame([macro])], ignore_index=True)
    return table.round({"precision": 3, "recall": 3, "f1": 3, "kappa": 3})


def validate_taggers(units: pd.DataFrame, gold: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Scores of the dictionary tagger and the grouped-CV model against the gold codes."""
    codebook = codebook or load_codebook()
    themes = list(codebook.theme_ids)
    units = units.reset_index(drop=True)
    truth = gold.set_index("unit_id").loc[units["unit_id"], themes].reset_index(drop=True)
    tags = tag_themes(units, codebook)
    dictionary = (tags.pivot(index="unit_id", columns="theme", values="score")
                  .loc[units["unit_id"], themes].gt(0).astype(int).reset_index(drop=True))
    model = grouped_cv_predictions(units, truth)
    return pd.concat([scores("dictionary", truth, dictionary), scores("model", truth, model)], ignore_index=True)


def us_validation(pdf: Path = US_PDF) -> pd.DataFrame:
    """The validation table for the US plan read from ``pdf``."""
    from .parse import read_document

    return validate_taggers(read_document(pdf), read_codes(CODED_DIR / "gold.csv"))


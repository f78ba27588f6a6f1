"""Coding units with the codebook's themes, automatically.

``tag_themes(units)`` returns a tidy frame with one row per unit and theme: ``unit_id``,
``theme``, ``score`` (matches, or the model's probability) and ``matched_terms``. The
dictionary tagger lives in :mod:`policylab.tagging`, the model in :mod:`policylab.model`;
this module is the one door to both.
"""

from __future__ import annotations

import pandas as pd

from .errors import PolicyLabError
from .tagging import DictionaryTagger, default_tagger
from .themes import Codebook


def tag_themes(units: pd.DataFrame, codebook: Codebook | None = None, *, method: str = "dictionary") -> pd.DataFrame:
    """Tag each unit with the codebook's themes (see the module docstring).

    ``method="dictionary"`` matches lexicon terms; ``method="model"`` applies a TF-IDF and
    logistic-regression model trained on the adjudicated gold coding.
    """
    missing = {"unit_id", "text", "language"} - set(units.columns)
    if missing:
        raise PolicyLabError(f"tag_themes needs a unit table with columns unit_id, text, language; "
                             f"missing: {', '.join(sorted(missing))}.")
    if method == "dictionary":
        tagger = DictionaryTagger(codebook) if codebook is not None else default_tagger()
        return tagger.tag(units)
    if method == "model":
        from .model import (
            ModelTagger,  # scikit-learn is loaded only when the model is asked for
        )

        return ModelTagger.from_gold(codebook).tag(units)
    raise PolicyLabError(f"Unknown tagging method {method!r}; use 'dictionary' or 'model'.")

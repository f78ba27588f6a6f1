"""Coding units with the codebook's themes and orientation, automatically.

``tag_themes(units)`` returns a tidy frame with one row per unit and theme: ``plan_id``,
``unit_id``, ``theme``, ``score`` (matches, or the model's probability) and
``matched_terms``. The dictionary tagger lives in :mod:`policylab.tagging`; the model in
:mod:`policylab.model` is kept for method comparisons, not as a tagger: its macro-F1
stays near that of tagging every theme on every unit (``data/coded/tagger_validation.csv``).
This module is the one door to both.

``code_plan(units)`` turns the dictionary tagger's output into the columns of the coded
edition (``themes``, ``orientation``, ``basis="tagger"``), so that a plan nobody coded by
hand, such as one a user added, goes through ``compare.theme_shares`` and
``compare.balance`` beside the hand-coded plans.

**Themes**: every theme with at least one lexicon match (the codebook's ``matching.threshold``).

**Orientation** follows the codebook's orientation categories and tie rules
(``data/codebook.yaml``, ``orientation``), read from the tagged themes:

- *development evidence* D: the matches of the themes the ``development`` category names
  (:data:`DEVELOPMENT_THEMES`: research and adoption, infrastructure build-out, skills -
  tie rule 3 -, open source, helping other countries use AI - tie rule 5 -, adoption in
  government);
- *safety evidence* S: the matches of ``safety_security``, and the terms of other themes
  that the ``safety`` category or the tie rules name as protective (:data:`SAFETY_TERMS`:
  export controls and their enforcement - the DECIDED note and tie rule 5 -; requirements
  on AI behaviour such as no bias, no censorship, non-discrimination - tie rule 4 -;
  privacy and data protection), each distinct term counted once. The rest of those themes
  (rivalry rhetoric, declarations of values, data in general) and the themes neither
  category names (standards, international cooperation, environment) are evidence for
  neither side;
- no evidence: ``neither``; evidence on one side only: that side;
- evidence on both sides: tie rule 2, one word of one side attached to an action of the
  other (exactly one match against two or more) does not make it ``both``, the unit keeps
  the stronger side; otherwise the two sides cannot be told apart and tie rule 6 codes
  ``both``;
- the document's title is ``neither`` (decision rule ``preamble_and_signatures``).

Tie rule 1 (the main clause and the stated purpose outweigh the means) needs a reading of
the sentence that a lexicon cannot give: tagger-coded orientation weighs every match
alike, and ``basis="tagger"`` says so wherever the codes are used.
"""

from __future__ import annotations

import pandas as pd

from .errors import PolicyLabError
from .tagging import DictionaryTagger, default_tagger
from .themes import Codebook
from .units import STRING, validate_units

DEVELOPMENT_THEMES = ("development_innovation", "infrastructure_energy", "workforce_education",
                      "open_source", "global_south_access", "public_sector")
SAFETY_THEMES = ("safety_security",)
#: Terms of themes with no side that the codebook's orientation rules name as protective.
SAFETY_TERMS = {
    "competition_sovereignty": ("export control", "export controls", "export control enforcement",
                                "foreign direct product rule", "technology protection", "protection measures",
                                "diversion"),
    "values_rights": ("bias", "biases", "ideological bias", "censorship", "discrimination",
                      "non-discrimination", "偏见", "歧视"),
    "data": ("privacy", "data protection", "隐私"),
}
#: Columns the coded edition adds to the unit table (policylab.load_plan(..., source="coded")).
CODED_COLUMNS = ("actors", "instruments", "themes", "orientation", "basis")
TAGGERS = ("dictionary",)


def tag_themes(units: pd.DataFrame, codebook: Codebook | None = None, *, method: str = "dictionary") -> pd.DataFrame:
    """Tag each unit with the codebook's themes (see the module docstring).

    ``method="dictionary"`` matches lexicon terms. ``method="model"`` applies a TF-IDF and
    logistic-regression model trained on the US gold coding, kept for method comparisons only:
    it scores close to the every-theme baseline, so do not code plans with it. ``plan_id`` is taken
    from the units (NA when they have no ``plan_id`` column).
    """
    missing = {"unit_id", "text", "language"} - set(units.columns)
    if missing:
        raise PolicyLabError(f"tag_themes needs a unit table with columns unit_id, text, language; "
                             f"missing: {', '.join(sorted(missing))}.")
    _require_texts(units)
    if method == "dictionary":
        tagger = DictionaryTagger(codebook) if codebook is not None else default_tagger()
        tags = tagger.tag(units)
    elif method == "model":
        # scikit-learn is loaded only when the model is asked for
        from .model import ModelTagger

        tags = ModelTagger.from_gold(codebook).tag(units)
    else:
        raise PolicyLabError(f"Unknown tagging method {method!r}; use 'dictionary' or 'model'.")
    plans = dict(zip(units["unit_id"], units["plan_id"])) if "plan_id" in units.columns else {}
    tags.insert(0, "plan_id", tags["unit_id"].map(plans).astype(STRING))
    return tags


def _require_texts(units: pd.DataFrame) -> None:
    """Every unit's text and language are strings (checked in C unless one is not)."""
    columns = [units["text"], units["language"]]
    if all(pd.api.types.infer_dtype(column, skipna=False) in ("string", "empty") for column in columns):
        return
    bad = ~columns[0].map(lambda value: isinstance(value, str)) | ~columns[1].map(lambda value: isinstance(value, str))
    first = ", ".join(map(str, units.loc[bad, "unit_id"].head(3)))
    raise PolicyLabError(f"tag_themes: {int(bad.sum())} unit(s) have no text or no language as a string "
                         f"(first: {first}); give each unit its text and its language ('en', 'zh-Hans'), "
                         "or drop those rows.")


def code_plan(units: pd.DataFrame, *, tagger: str = "dictionary", codebook: Codebook | None = None) -> pd.DataFrame:
    """The unit table with the coded edition's columns, coded by the tagger (see the module docstring).

    ``themes`` (';'-separated ids in codebook order, "" for none), ``orientation`` and
    ``basis="tagger"``; ``actors`` and ``instruments`` are NA (only hand coding records
    them). Works for one plan or several; mix the result with hand-coded plans with
    ``pd.concat`` and pass it to ``compare.theme_shares`` or ``compare.balance``.
    """
    if tagger not in TAGGERS:
        raise PolicyLabError(f"code_plan(tagger={tagger!r}): only the dictionary tagger codes plans; the model "
                             "tagger scores too close to its every-theme baseline to stand in for hand coding.")
    validate_units(units)
    tags = tag_themes(units, codebook)
    found = tags[tags["score"] > 0]
    coded = units.copy()
    themes = found.groupby("unit_id", sort=False)["theme"].agg(";".join)
    coded["actors"] = coded["instruments"] = pd.NA
    coded["themes"] = coded["unit_id"].map(themes).fillna("")
    evidence = _evidence(found)
    coded["orientation"] = [
        "neither" if level == "title" else orientation(*evidence.get(unit_id, (0, 0)))
        for unit_id, level in zip(coded["unit_id"], coded["level"])]
    coded["basis"] = "tagger"
    coded = coded.astype(dict.fromkeys(CODED_COLUMNS, STRING))
    coded.attrs = {**units.attrs, "source": "tagger", "basis": ["tagger"], "tagger": tagger,
                   "codebook_version": (codebook or default_tagger().codebook).version}
    return coded


def _evidence(found: pd.DataFrame) -> dict[str, list[int]]:
    """unit_id -> [development evidence D, safety evidence S] from the themes found."""
    evidence: dict[str, list[int]] = {}
    for unit_id, theme, score, terms in zip(found["unit_id"], found["theme"], found["score"], found["matched_terms"]):
        counts = evidence.setdefault(unit_id, [0, 0])
        if theme in DEVELOPMENT_THEMES:
            counts[0] += int(score)
        elif theme in SAFETY_THEMES:
            counts[1] += int(score)
        elif theme in SAFETY_TERMS:
            counts[1] += len(set(terms.split("; ")) & set(SAFETY_TERMS[theme]))
    return evidence


def orientation(development: int, safety: int) -> str:
    """The orientation category for D development and S safety matches (tie rules 2 and 6)."""
    if not development and not safety:
        return "neither"
    if not safety or (safety == 1 and development >= 2):
        return "development"
    if not development or (development == 1 and safety >= 2):
        return "safety"
    return "both"

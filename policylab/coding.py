"""Coding units with the codebook's themes and orientation, automatically.

``tag_themes(units)`` returns a tidy frame with one row per unit and theme: ``plan_id``,
``unit_id``, ``theme``, ``score`` (matches, or the supervised model's probability) and
``matched_terms``. The dictionary tagger lives in :mod:`policylab.tagging`, the supervised
tagger in :mod:`policylab.supervised` (fitted by :mod:`policylab.model`). This module is the
one door to both.

``code_plan(units)`` turns the taggers' output into the columns of the coded edition
(``themes``, ``orientation``, ``basis="tagger"``), so that a plan nobody coded by hand,
such as one a user added, goes through ``compare.theme_shares`` and ``compare.balance``
beside the hand-coded plans.

**Themes**: with ``tagger="default"``, per theme the tagger that scored better out of plan
(the choice is stored with the model, listed in the output's ``attrs["theme_taggers"]``):
the dictionary (at least one lexicon match, the codebook's ``matching.threshold``) or the
supervised model (its calibrated probability at or above the theme's threshold).
``tagger="dictionary"`` or ``"model"`` uses one of them for every theme; with another
codebook than the shipped one (a frozen version), the default is its dictionary alone. Units in a language
the taggers have no lexicon or training units for get NA themes and orientation, with a
warning (never silent zeros).

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

The evidence is the dictionary's matches of the themes found: a theme the model found
with no lexicon match weighs for neither side.

Tie rule 1 (the main clause and the stated purpose outweigh the means) needs a reading of
the sentence that a lexicon cannot give: tagger-coded orientation weighs every match
alike, and ``basis="tagger"`` says so wherever the codes are used.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from .errors import PolicyLabError
from .features import base_languages
from .readquality import warn_if_misread
from .supervised import load_model
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
# A URL, or the target of a Markdown link: words in addresses are not content ("/ai-safety-institute").
_ADDRESS = re.compile(r"\]\([^)\s]*\)|(?:\bhttps?://|\bwww\.)[^\s<>()\[\]]+", re.IGNORECASE)
#: Columns the coded edition adds to the unit table (policylab.load_plan(..., source="coded")).
CODED_COLUMNS = ("actors", "instruments", "themes", "orientation", "basis")
TAGGERS = ("default", "dictionary", "model")
#: The base languages the dictionary has lexicons for.
LEXICON_LANGUAGES = ("en", "zh")


class UnknownLanguageWarning(UserWarning):
    """Units in a language no tagger can code: their themes are NA."""


def tag_themes(units: pd.DataFrame, codebook: Codebook | None = None, *, method: str = "dictionary") -> pd.DataFrame:
    """Tag each unit with the codebook's themes (see the module docstring).

    ``method="dictionary"`` matches lexicon terms (score: the number of matches), never inside
    a URL or a link's target. ``method="model"`` gives the supervised model's calibrated
    probability of each theme (``matched_terms`` empty; NaN for units in a language it has no
    training units for). ``plan_id`` is taken from the units (NA when they have no ``plan_id`` column).
    """
    missing = {"unit_id", "text", "language"} - set(units.columns)
    if missing:
        raise PolicyLabError(f"tag_themes needs a unit table with columns unit_id, text, language; "
                             f"missing: {', '.join(sorted(missing))}.")
    _require_texts(units)
    units = without_addresses(units)
    if method not in ("dictionary", "model"):
        raise PolicyLabError(f"Unknown tagging method {method!r}; use 'dictionary' or 'model'.")
    if method == "model":
        _model_codebook(codebook)
    tagger = DictionaryTagger(codebook) if codebook is not None else default_tagger()
    tags = tagger.tag(units)
    if method == "model":
        model = load_model()
        probability = model.probabilities(units, tags["score"].to_numpy().reshape(len(units), -1))
        known = model.knows(units["language"])
        probability[~known] = np.nan
        _warn_unknown(units, known, "tag_themes(method='model')", "NaN scores")
        tags["score"] = probability.ravel()
        tags["matched_terms"] = pd.array([""] * len(tags), dtype=STRING)
    plans = dict(zip(units["unit_id"], units["plan_id"])) if "plan_id" in units.columns else {}
    tags.insert(0, "plan_id", tags["unit_id"].map(plans).astype(STRING))
    return tags


def without_addresses(units: pd.DataFrame) -> pd.DataFrame:
    """``units`` with URLs and Markdown link targets in ``text`` replaced by a space (the table
    itself when there are none), so that no theme term is matched inside an address."""
    texts = units["text"].tolist()
    hits = [i for i, text in enumerate(texts) if "/" in text or "](" in text or "www." in text or "WWW." in text]
    if not hits:
        return units
    for i in hits:
        texts[i] = _ADDRESS.sub(" ", texts[i])
    return units.assign(text=texts)


def _warn_unknown(units: pd.DataFrame, known: np.ndarray, who: str, what: str) -> None:
    """Warn, naming the languages, when some units are in a language no tagger knows."""
    if not known.all():
        languages = sorted(set(units["language"][~known]))
        warnings.warn(f"{who}: {int((~known).sum())} unit(s) in {', '.join(map(repr, languages))}, a language "
                      f"the taggers have no lexicon or training units for, get {what} "
                      f"(they know {', '.join(LEXICON_LANGUAGES)}).", UnknownLanguageWarning, stacklevel=3)


def _model_codebook(codebook: Codebook | None) -> None:
    """The model reads the shipped codebook's lexicons as features: no other codebook."""
    if codebook is not None and codebook.version != default_tagger().codebook.version:
        raise PolicyLabError(f"The supervised model was fitted with codebook {default_tagger().codebook.version}'s "
                             f"lexicons, not {codebook.version}'s; code with tagger='dictionary' to use another codebook.")


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


def code_plan(units: pd.DataFrame, *, tagger: str = "default", codebook: Codebook | None = None) -> pd.DataFrame:
    """The unit table with the coded edition's columns, coded by the taggers (see the module docstring).

    ``themes`` (';'-separated ids in codebook order, "" for none, NA for a language no tagger
    knows), ``orientation`` and ``basis="tagger"``; ``actors`` and ``instruments`` are NA
    (only hand coding records them). ``attrs["theme_taggers"]`` says which tagger coded each
    theme. Works for one plan or several; mix the result with hand-coded plans with
    ``pd.concat`` and pass it to ``compare.theme_shares`` or ``compare.balance``. Warns
    (:class:`policylab.readquality.ReadingWarning`), naming the plan, when it was read flat or
    still holds site chrome: its codes then rest on paragraphs, or on menus and links.
    """
    if tagger not in TAGGERS:
        raise PolicyLabError(f"code_plan(tagger={tagger!r}): use one of {', '.join(TAGGERS)}.")
    validate_units(units)
    warn_if_misread(units, "code_plan")
    tags = tag_themes(units, codebook)
    dictionary = codebook or default_tagger().codebook
    themes = list(dictionary.theme_ids)
    scores = tags["score"].to_numpy().reshape(len(units), len(themes))
    flags = scores > 0
    chosen = ["dictionary"] * len(themes)
    known = np.isin(base_languages(units["language"]), LEXICON_LANGUAGES)
    if tagger == "default" and codebook is not None and codebook.version != default_tagger().codebook.version:
        tagger = "dictionary"  # the model exists for the shipped codebook only: another one's lexicons alone
    if tagger != "dictionary":
        _model_codebook(codebook)
        model = load_model()
        chosen = list(model.choice) if tagger == "default" else ["model"] * len(themes)
        use = np.array([c == "model" for c in chosen])
        if use.any():
            flags[:, use] = model.flags(units, scores)[:, use].astype(bool)
        known &= model.knows(units["language"])
    flags[~known] = False
    _warn_unknown(units, known, "code_plan", "NA themes and orientation")
    coded = units.copy()
    coded["actors"] = coded["instruments"] = pd.NA
    coded["themes"] = theme_lists(flags, themes)
    coded["orientation"] = tagged_orientation(tags, flags, themes, coded["level"])
    coded.loc[~known, ["themes", "orientation"]] = pd.NA
    coded["basis"] = "tagger"
    coded = coded.astype(dict.fromkeys(CODED_COLUMNS, STRING))
    coded.attrs = {**units.attrs, "source": "tagger", "basis": ["tagger"], "tagger": tagger,
                   "theme_taggers": dict(zip(themes, chosen)), "codebook_version": dictionary.version}
    return coded


def theme_lists(flags: np.ndarray, themes: list[str]) -> np.ndarray:
    """Each row's flagged themes joined with ';' (each distinct pattern of flags joined once)."""
    bits = flags.astype(np.int64) @ (1 << np.arange(len(themes), dtype=np.int64))  # one number per pattern
    patterns, inverse = np.unique(bits, return_inverse=True)
    names = np.array(themes, dtype=object)
    joined = [";".join(names[(pattern >> np.arange(len(themes))) & 1 == 1]) for pattern in patterns]
    return np.array(joined, dtype=object)[inverse]


def tagged_orientation(tags: pd.DataFrame, flags: np.ndarray, themes: list[str], levels) -> np.ndarray:
    """Each unit's orientation from the dictionary's ``tags`` (:func:`tag_themes`, units in
    order, themes in codebook order) and the themes flagged (units x themes); a title is
    ``neither``."""
    scores = tags["score"].to_numpy().reshape(flags.shape)
    development, safety = _evidence(tags, scores * flags, themes)
    return np.where(np.asarray(levels == "title", dtype=bool), "neither", orientations(development, safety))


def _evidence(tags: pd.DataFrame, found: np.ndarray, themes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Development evidence D and safety evidence S per unit, from ``found`` (units x themes:
    the dictionary's matches of the themes found, 0 elsewhere) and the matched terms."""
    column = {theme: j for j, theme in enumerate(themes)}
    development = found[:, [column[t] for t in DEVELOPMENT_THEMES]].sum(axis=1)
    safety = found[:, [column[t] for t in SAFETY_THEMES]].sum(axis=1)
    terms = tags["matched_terms"].to_numpy(dtype=object).reshape(found.shape)
    for theme, protective in SAFETY_TERMS.items():
        j = column[theme]
        for row in np.flatnonzero(found[:, j] > 0):
            safety[row] += len(set(terms[row, j].split("; ")) & set(protective))
    return development.astype(int), safety.astype(int)


def orientations(development: np.ndarray, safety: np.ndarray) -> np.ndarray:
    """The orientation categories for arrays of D development and S safety matches: none,
    ``neither``; one side only, or a single word of one side against two or more of the
    other (tie rule 2), the stronger side; else ``both`` (tie rule 6)."""
    development, safety = np.asarray(development), np.asarray(safety)
    return np.select([(development == 0) & (safety == 0), (safety == 0) | ((safety == 1) & (development >= 2)),
                      (development == 0) | ((development == 1) & (safety >= 2))],
                     ["neither", "development", "safety"], "both").astype(object)


def orientation(development: int, safety: int) -> str:
    """The orientation category for D development and S safety matches (tie rules 2 and 6)."""
    return str(orientations(development, safety))

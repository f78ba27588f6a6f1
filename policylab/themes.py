"""The codebook: themes, orientation categories and policy instruments.

The codebook lives in ``data/codebook.yaml``. It is what human coders read and what the
dictionary tagger matches: each theme has a definition, inclusion and exclusion rules,
short examples in our own words and a bilingual lexicon. It is validated when loaded::

    from policylab.themes import load_codebook
    cb = load_codebook()
    cb.to_frame()            # one row per theme
    cb.theme("open_source").lexicon_zh
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .datafiles import DATA_DIR, read_yaml
from .errors import PolicyLabError
from .units import STRING

CODEBOOK_PATH = DATA_DIR / "codebook.yaml"
FROZEN_DIR = DATA_DIR / "codebooks"  # frozen versions, v<version>.yaml, hashes in FROZEN.md

THEME_IDS = (
    "open_source",
    "global_south_access",
    "safety_security",
    "development_innovation",
    "infrastructure_energy",
    "data",
    "workforce_education",
    "standards_norms",
    "international_cooperation",
    "competition_sovereignty",
    "values_rights",
    "environment_sustainability",
    "public_sector",
)
ORIENTATIONS = ("development", "safety", "both", "neither")

_REQUIRED_THEME_FIELDS = ("id", "label", "definition", "include", "exclude", "examples", "lexicon")
_REQUIRED_TOP_FIELDS = ("version", "themes", "orientation", "instruments", "decision_rules")
# Lexicon terms are literals: letters, digits, CJK, space, hyphen, apostrophe, period,
# ampersand and the "+" of 人工智能+ are allowed; regex metacharacters are not.
_FORBIDDEN = re.compile(r"[*?\[\](){}|\\^$]")
_MAX_EXAMPLE_WORDS = 40
_WORD = re.compile(r"[a-z0-9&']+")


class CodebookError(PolicyLabError):
    """The codebook file (data/codebook.yaml) is malformed."""


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook."""

    id: str
    label: str
    definition: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    examples: tuple[str, ...]
    lexicon_en: tuple[str, ...]
    lexicon_zh: tuple[str, ...]
    shared_terms: tuple[str, ...] = ()

    def lexicon(self, language: str) -> tuple[str, ...]:
        """The terms for ``"en"`` or ``"zh"`` (``"zh-Hans"`` is accepted too)."""
        if language == "en":
            return self.lexicon_en
        if language in ("zh", "zh-Hans"):
            return self.lexicon_zh
        raise ValueError(f"language must be 'en' or 'zh', not {language!r}")


@dataclass(frozen=True)
class ContextRule:
    """Where a too-broad lexicon term counts (``matching.context_rules`` of the codebook).

    A term of ``terms`` counts in a unit only when one of ``only_with`` also occurs in the
    unit (whole words, like any term; leave it empty for no such condition), and never inside
    one of the ``not_in`` phrases, which are matched like stop phrases.
    """

    terms: tuple[str, ...]
    only_with: tuple[str, ...] = ()
    not_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """The validated codebook: themes, orientation axis, instruments and decision rules."""

    version: str
    themes: list[Theme]
    orientation: dict[str, str]
    instruments: dict[str, str]
    decision_rules: dict[str, str]
    orientation_examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tie_rules: tuple[str, ...] = ()
    matching: dict[str, str] = field(default_factory=dict)
    stop_phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    context_rules: dict[str, tuple[ContextRule, ...]] = field(default_factory=dict)
    path: Path | None = None

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id; CodebookError listing the known ids otherwise."""
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise CodebookError(f"Codebook {self.path}: no theme {theme_id!r}; known themes: {', '.join(self.theme_ids)}.")

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: id, label, definition, rule and example counts, lexicon sizes."""
        rows = [
            {
                "id": t.id,
                "label": t.label,
                "definition": t.definition,
                "n_include": len(t.include),
                "n_exclude": len(t.exclude),
                "n_examples": len(t.examples),
                "n_terms_en": len(t.lexicon_en),
                "n_terms_zh": len(t.lexicon_zh),
                "shared_terms": ", ".join(t.shared_terms),
            }
            for t in self.themes
        ]
        df = pd.DataFrame(rows).astype(dict.fromkeys(["id", "label", "definition", "shared_terms"], STRING))
        df.attrs["codebook_version"] = self.version
        df.attrs["codebook_path"] = str(self.path) if self.path else None
        return df


def _str_list(value, where: str, what: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise CodebookError(f"{where}: '{what}' must be a non-empty list of strings; found {value!r}.")
    out = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise CodebookError(f"{where}: '{what}' has an item that is not a non-empty string: {item!r}; fix or remove it.")
        out.append(item.strip())
    return tuple(out)


def _check_terms(terms: tuple[str, ...], where: str, language: str) -> None:
    seen = set()
    for term in terms:
        if _FORBIDDEN.search(term):
            raise CodebookError(
                f"{where}: lexicon.{language} term {term!r} contains a regex metacharacter; "
                "terms are plain literals (write each variant out, e.g. 'open-weight', 'open weight')."
            )
        if language == "en" and term != term.lower():
            raise CodebookError(f"{where}: lexicon.en term {term!r} must be lower-case; write {term.lower()!r}.")
        if term in seen:
            raise CodebookError(f"{where}: lexicon.{language} lists {term!r} twice; remove the duplicate.")
        seen.add(term)


def _parse_theme(entry, index: int, path: Path) -> Theme:
    if not isinstance(entry, dict):
        raise CodebookError(f"Codebook {path}, theme {index + 1}: expected a mapping of fields, found {type(entry).__name__}.")
    where = f"Codebook {path}, theme {entry.get('id') or index + 1}"
    missing = [name for name in _REQUIRED_THEME_FIELDS if entry.get(name) in (None, "", [], {})]
    if missing:
        raise CodebookError(f"{where}: missing field(s) {', '.join(missing)}; add them and reload.")
    unknown = set(entry) - set(_REQUIRED_THEME_FIELDS) - {"shared_terms"}
    if unknown:
        raise CodebookError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    for name in ("id", "label", "definition"):
        if not isinstance(entry[name], str):
            raise CodebookError(f"{where}: '{name}' must be a string, found {entry[name]!r}.")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", entry["id"]):
        raise CodebookError(f"{where}: id {entry['id']!r} must be lower_snake_case.")
    include = _str_list(entry["include"], where, "include")
    exclude = _str_list(entry["exclude"], where, "exclude")
    examples = _str_list(entry["examples"], where, "examples")
    if not 1 <= len(examples) <= 3:
        raise CodebookError(f"{where}: give 1 to 3 examples, found {len(examples)}.")
    lexicon = entry["lexicon"]
    if not isinstance(lexicon, dict):
        raise CodebookError(f"{where}: 'lexicon' must be a mapping with keys en and zh.")
    for language in ("en", "zh"):
        if not lexicon.get(language):
            raise CodebookError(f"{where}: lexicon.{language} is missing or empty; every theme needs terms in both languages.")
    extra = set(lexicon) - {"en", "zh"}
    if extra:
        raise CodebookError(f"{where}: lexicon has unknown language key(s) {', '.join(sorted(extra))}; use en and zh.")
    en = _str_list(lexicon["en"], where, "lexicon.en")
    zh = _str_list(lexicon["zh"], where, "lexicon.zh")
    _check_terms(en, where, "en")
    _check_terms(zh, where, "zh")
    shared = _str_list(entry.get("shared_terms") or [], where, "shared_terms", allow_empty=True)
    not_in_lexicon = [t for t in shared if t not in en and t not in zh]
    if not_in_lexicon:
        raise CodebookError(f"{where}: shared_terms {not_in_lexicon} are not in this theme's lexicon; add them to lexicon or drop them.")
    return Theme(
        id=entry["id"],
        label=entry["label"].strip(),
        definition=" ".join(entry["definition"].split()),
        include=include,
        exclude=exclude,
        examples=examples,
        lexicon_en=en,
        lexicon_zh=zh,
        shared_terms=shared,
    )


def _check_overlaps(themes: list[Theme], path: Path) -> None:
    owners: dict[str, list[Theme]] = {}
    for t in themes:
        for term in (*t.lexicon_en, *t.lexicon_zh):
            owners.setdefault(term, []).append(t)
    for term, ts in owners.items():
        if len(ts) < 2:
            continue
        undeclared = [t.id for t in ts if term not in t.shared_terms]
        if undeclared:
            raise CodebookError(
                f"Codebook {path}: term {term!r} is in the lexicons of {', '.join(t.id for t in ts)} "
                f"but not declared in shared_terms of theme {', '.join(undeclared)}; "
                "remove it from all but one theme or list it under shared_terms in each."
            )


def _parse_orientation(value, path: Path):
    where = f"Codebook {path}, orientation"
    if not isinstance(value, dict) or not isinstance(value.get("categories"), list):
        raise CodebookError(f"{where}: expected a mapping with a 'categories' list.")
    definitions, examples = {}, {}
    for cat in value["categories"]:
        if not isinstance(cat, dict) or not cat.get("id") or not cat.get("definition"):
            raise CodebookError(f"{where}: each category needs an id and a definition; found {cat!r}.")
        definitions[cat["id"]] = " ".join(str(cat["definition"]).split())
        examples[cat["id"]] = _str_list(cat.get("examples") or [], f"{where} {cat['id']}", "examples", allow_empty=True)
    if tuple(definitions) != ORIENTATIONS:
        raise CodebookError(f"{where}: categories must be {', '.join(ORIENTATIONS)} in that order; found {', '.join(definitions)}.")
    tie_rules = _str_list(value.get("tie_rules") or [], where, "tie_rules", allow_empty=True)
    return definitions, examples, tie_rules


def _parse_stop_phrases(value, themes: list[Theme], path: Path) -> dict[str, tuple[str, ...]]:
    where = f"Codebook {path}, matching.stop_phrases"
    if not isinstance(value, dict):
        raise CodebookError(f"{where}: expected a mapping with keys en and zh.")
    out = {}
    for language in ("en", "zh"):
        terms = _str_list(value.get(language) or [], where, language, allow_empty=True)
        _check_terms(terms, where, language)
        out[language] = terms
    lexicon = {term: t.id for t in themes for term in (*t.lexicon_en, *t.lexicon_zh)}
    clash = [f"{term!r} ({lexicon[term]})" for terms in out.values() for term in terms if term in lexicon]
    if clash:
        raise CodebookError(f"{where}: {', '.join(clash)} are also lexicon terms; a stop phrase must fire no theme, remove one of them.")
    return out


def _contains(phrase: str, term: str, language: str) -> bool:
    """Whether ``phrase`` holds ``term`` (as whole words in English)."""
    if language != "en":
        return term in phrase
    def words(text: str) -> str:
        return " " + " ".join(_WORD.findall(text)) + " "

    return words(term) in words(phrase)


def _parse_context_rules(value, themes: list[Theme], stop_phrases: dict, path: Path) -> dict[str, tuple[ContextRule, ...]]:
    where = f"Codebook {path}, matching.context_rules"
    if not isinstance(value, dict) or set(value) - {"en", "zh"}:
        raise CodebookError(f"{where}: expected a mapping with keys en and/or zh.")
    out = {}
    for language in ("en", "zh"):
        lexicon = {term for t in themes for term in t.lexicon(language)}
        rules, ruled = [], set()
        for i, entry in enumerate(value.get(language) or []):
            at = f"{where}.{language}[{i + 1}]"
            if not isinstance(entry, dict) or set(entry) - {"terms", "only_with", "not_in", "why"} or not entry.get("why"):
                raise CodebookError(f"{at}: expected a mapping with terms, why, and only_with and/or not_in.")
            rule = ContextRule(*(_str_list(entry.get(name) or [], at, name, allow_empty=name != "terms")
                                 for name in ("terms", "only_with", "not_in")))
            if not rule.only_with and not rule.not_in:
                raise CodebookError(f"{at}: give only_with or not_in (or both); a rule with neither changes nothing.")
            for name in ("terms", "only_with", "not_in"):
                _check_terms(getattr(rule, name), at, language)
            unknown = [term for term in rule.terms if term not in lexicon]
            twice = [term for term in rule.terms if term in ruled]
            if unknown or twice:
                raise CodebookError(f"{at}: {', '.join(map(repr, unknown + twice))} "
                                    f"{'is no lexicon term' if unknown else 'has a rule already'}; "
                                    "a context rule narrows lexicon terms, one rule per term.")
            ruled.update(rule.terms)
            bad = [phrase for phrase in rule.not_in if phrase in lexicon or phrase in stop_phrases.get(language, ())
                   or not any(_contains(phrase, term, language) for term in rule.terms)]
            if bad:
                raise CodebookError(f"{at}: not_in phrase(s) {', '.join(map(repr, bad))} must hold one of the rule's "
                                    "terms and be neither a lexicon term nor a stop phrase.")
            rules.append(rule)
        out[language] = tuple(rules)
    return out


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate the codebook (default: the ``data/codebook.yaml`` shipped with policylab).

    Raises :class:`CodebookError` naming the file, the theme and what to fix when the file
    is missing, is not YAML, lacks a required field, repeats a theme id, has an empty
    lexicon, uses a regex metacharacter in a term, or puts one term in two themes without
    declaring it in ``shared_terms``.
    """
    path = Path(path) if path is not None else CODEBOOK_PATH
    document = read_yaml(path, CodebookError, "Codebook", "restore data/codebook.yaml or pass the right path")
    if not isinstance(document, dict):
        raise CodebookError(f"Codebook file {path}: expected a mapping with {', '.join(_REQUIRED_TOP_FIELDS)}.")
    missing = [name for name in _REQUIRED_TOP_FIELDS if document.get(name) in (None, "", [], {})]
    if missing:
        raise CodebookError(f"Codebook file {path}: missing top-level field(s) {', '.join(missing)}.")
    if not isinstance(document["themes"], list):
        raise CodebookError(f"Codebook file {path}: 'themes' must be a list of theme mappings.")
    themes = [_parse_theme(entry, i, path) for i, entry in enumerate(document["themes"])]
    ids = [t.id for t in themes]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise CodebookError(f"Codebook file {path}: theme id(s) {', '.join(duplicated)} appear more than once; ids must be unique.")
    _check_overlaps(themes, path)
    orientation, orientation_examples, tie_rules = _parse_orientation(document["orientation"], path)
    instruments = {}
    for item in document["instruments"]:
        if not isinstance(item, dict) or not item.get("id") or not item.get("definition"):
            raise CodebookError(f"Codebook file {path}: each instrument needs an id and a definition; found {item!r}.")
        instruments[item["id"]] = str(item["definition"])
    rules = document["decision_rules"]
    if not isinstance(rules, dict):
        raise CodebookError(f"Codebook file {path}: 'decision_rules' must be a mapping of rule name to text.")
    matching = document.get("matching") or {}
    if not isinstance(matching, dict):
        raise CodebookError(f"Codebook file {path}: 'matching' must be a mapping.")
    stop_phrases = _parse_stop_phrases(matching.get("stop_phrases") or {}, themes, path)
    context_rules = _parse_context_rules(matching.get("context_rules") or {}, themes, stop_phrases, path)
    return Codebook(
        version=str(document["version"]),
        themes=themes,
        orientation=orientation,
        instruments=instruments,
        decision_rules={k: " ".join(str(v).split()) for k, v in rules.items()},
        orientation_examples=orientation_examples,
        tie_rules=tie_rules,
        matching={k: " ".join(str(v).split()) for k, v in matching.items() if k not in ("stop_phrases", "context_rules")},
        stop_phrases=stop_phrases,
        context_rules=context_rules,
        path=path,
    )

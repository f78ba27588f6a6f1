"""The dictionary tagger: the codebook's lexicons matched against unit texts.

``DictionaryTagger().tag(units)`` returns a tidy frame with one row per unit and theme:
``unit_id``, ``theme``, ``score`` (number of matches) and ``matched_terms``. Use it
through :func:`policylab.coding.tag_themes`, which also offers the model tagger.

Dictionary matching follows the codebook's ``matching`` contract. English: whole words
and phrases on normalised tokens (case, curly apostrophes, hyphens and spaces folded, so
"open-weight" and "open weight" are one term), leftmost-longest, agency names in
``stop_phrases`` matched first and counted for no theme; all terms are found in one pass
of one compiled regex over the normalised text, shaped as a trie of the terms with the
tokeniser's own word boundaries. Chinese: plain substring matching on the text, as the
contract says, leftmost-longest in one pass of one trie-shaped regex (so 全球南方 counts
once, not also as 南方, and 安全 counts inside 网络安全 unless that is a term itself); no
segmentation. Terms are literals, never regular expressions.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

import numpy as np
import pandas as pd

from .themes import Codebook, load_codebook

_EN_TOKEN = re.compile(r"[a-z0-9]+(?:[&'][a-z0-9]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
STOP = None  # marks a stop phrase in the term index

TAG_COLUMNS = {"unit_id": "string", "theme": "string", "score": "float64", "matched_terms": "string"}


def _fold(text: str) -> str:
    """NFKC, lower case, straight apostrophes (plain ASCII text only needs lower-casing)."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)


def en_tokens(text: str) -> list[str]:
    """Lower-case word tokens; hyphens, dashes and slashes separate words."""
    return _EN_TOKEN.findall(_fold(text))


# Where findall(_EN_TOKEN) starts and ends a token, and what lies between two tokens, so
# that a term can be matched on the text itself with the tokens' exact boundaries.
_TOKEN_START = r"(?<![a-z0-9])(?<![a-z0-9][&'])"
_TOKEN_END = r"(?![a-z0-9])(?![&'][a-z0-9])"
_SEPARATOR = r"(?:[^a-z0-9&'][^a-z0-9]*|[&'][^a-z0-9]+)"


def _trie_pattern(atoms_of: list[list[str]]) -> str:
    """One regex alternation for many literals, shaped as a trie (each atom a regex piece).

    Longer continuations are tried first, so with a boundary check after it the pattern
    finds the longest literal that fits; shared prefixes keep the work per position short.
    """
    trie: dict = {}
    for atoms in atoms_of:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [atom + pattern(child) for atom, child in sorted(node.items()) if atom]
        if "" not in node and len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return pattern(trie)


class DictionaryTagger:
    """Tags units with the themes whose lexicon terms they contain."""

    def __init__(self, codebook: Codebook | None = None):
        self.codebook = codebook or load_codebook()
        self.theme_ids = self.codebook.theme_ids
        self._en_terms = self._terms("en")
        atoms = [[piece for i, token in enumerate(key) for piece in [_SEPARATOR] * (i > 0) + list(map(re.escape, token))]
                 for key in self._en_terms]
        self._en = re.compile(_TOKEN_START + _trie_pattern(atoms) + _TOKEN_END)
        self._zh_terms = self._terms("zh")
        self._zh = re.compile(_trie_pattern([[re.escape(c) for c in term] for term in self._zh_terms]))

    def _terms(self, language: str) -> dict:
        """Term key -> (themes, term); stop phrases first, and the first term listed wins a key.

        English keys are token tuples (so spelling variants of one phrase meet), Chinese
        keys the terms themselves.
        """
        def key(term: str):
            return tuple(en_tokens(term)) if language == "en" else term

        entries: dict = {}
        for term in self.codebook.stop_phrases.get(language, ()):
            entries.setdefault(key(term), (STOP, term))
        themes_of: dict[str, list[str]] = defaultdict(list)
        for theme in self.codebook.themes:
            for term in theme.lexicon(language):
                themes_of[term].append(theme.id)
        for term, ids in themes_of.items():
            entries.setdefault(key(term), (tuple(ids), term))
        entries.pop((), None)
        entries.pop("", None)
        return entries

    def _en_matches(self, text: str) -> list:
        """(themes, term) per leftmost-longest match on the normalised text, stop phrases included."""
        terms = self._en_terms
        return [terms[tuple(_EN_TOKEN.findall(matched))] for matched in self._en.findall(_fold(text))]

    def _zh_matches(self, text: str) -> list:
        """(themes, term) per leftmost-longest substring match, stop phrases included."""
        terms = self._zh_terms
        return [terms[matched] for matched in self._zh.findall(text)]

    def match(self, text: str, language: str) -> dict[str, list[str]]:
        """Theme id -> matched terms (with repeats) for one text."""
        found: dict[str, list[str]] = defaultdict(list)
        matches = self._zh_matches(text) if language.startswith("zh") else self._en_matches(text)
        for themes, term in matches:
            if themes is not STOP:
                for theme in themes:
                    found[theme].append(term)
        return found

    def tag(self, units: pd.DataFrame) -> pd.DataFrame:
        """One row per unit and theme; score = number of term matches."""
        n_themes = len(self.theme_ids)
        position = {theme: i for i, theme in enumerate(self.theme_ids)}
        scores = np.zeros(len(units) * n_themes)
        matched = np.full(len(units) * n_themes, "", dtype=object)
        for row, (text, language) in enumerate(zip(units["text"], units["language"])):
            for theme, terms in self.match(text, language).items():
                cell = row * n_themes + position[theme]
                scores[cell] = len(terms)
                matched[cell] = "; ".join(sorted(set(terms)))
        frame = pd.DataFrame({"unit_id": np.repeat(np.asarray(units["unit_id"], dtype=object), n_themes),
                              "theme": np.tile(np.asarray(self.theme_ids, dtype=object), len(units)),
                              "score": scores, "matched_terms": matched})
        return frame.astype(TAG_COLUMNS)


@lru_cache(maxsize=1)
def default_tagger() -> DictionaryTagger:
    """The tagger for the shipped codebook, built once per process."""
    return DictionaryTagger()


@lru_cache(maxsize=1)
def _zh_segmenter():
    """jieba with the shipped codebook's Chinese terms and stop phrases as words (built on first use)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    codebook = default_tagger().codebook
    segmenter = jieba.Tokenizer()
    words = list(dict.fromkeys(term for theme in codebook.themes for term in theme.lexicon("zh")))
    words += codebook.stop_phrases.get("zh", ())
    for word in words:
        segmenter.add_word(word)
    for word in words:
        segmenter.suggest_freq(word, tune=True)
    return segmenter


def zh_words(text: str) -> list[str]:
    """Chinese text segmented by jieba (for word counts and keyness; the tagger itself matches
    substrings), the codebook's Chinese terms kept whole."""
    return [w for w in _zh_segmenter().lcut(text, HMM=False) if w.strip()]

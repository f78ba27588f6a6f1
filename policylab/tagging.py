"""The dictionary tagger: the codebook's lexicons matched against unit texts.

``DictionaryTagger().tag(units)`` returns a tidy frame with one row per unit and theme:
``unit_id``, ``theme``, ``score`` (number of matches) and ``matched_terms``. Use it
through :func:`policylab.coding.tag_themes`, which also offers the model tagger.

Dictionary matching follows the codebook's ``matching`` contract. English: whole words
and phrases on normalised tokens (case, curly apostrophes, hyphens and spaces folded, so
"open-weight" and "open weight" are one term), leftmost-longest, agency names in
``stop_phrases`` matched first and counted for no theme. Chinese: jieba segmentation with
the lexicon as user dictionary, so 全球南方 or 能力建设 stay whole; a term also counts
inside a single segment that is not itself a term (网络安全 contains 安全). Terms are
literals, never regular expressions.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

import pandas as pd

from .themes import Codebook, load_codebook

_EN_TOKEN = re.compile(r"[a-z0-9]+(?:[&'][a-z0-9]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
STOP = None  # marks a stop phrase in the term index

TAG_COLUMNS = {"unit_id": "string", "theme": "string", "score": "float64", "matched_terms": "string"}


def en_tokens(text: str) -> list[str]:
    """Lower-case word tokens; hyphens, dashes and slashes separate words."""
    return _EN_TOKEN.findall(unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES))


class _TermIndex:
    """Terms as token tuples, indexed by first token, longest first."""

    def __init__(self):
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...] | None, str]]] = defaultdict(list)
        self.whole_terms: set[str] = set()

    def add(self, tokens: tuple[str, ...], themes: tuple[str, ...] | None, term: str) -> None:
        if tokens:
            self._by_first[tokens[0]].append((tokens, themes, term))
            self.whole_terms.add("".join(tokens))

    def freeze(self) -> None:
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def scan(self, tokens: list[str]):
        """Yield (themes, term) for leftmost-longest matches; unmatched tokens as (None, token)."""
        i, n = 0, len(tokens)
        while i < n:
            for candidate, themes, term in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i:i + len(candidate)]) == candidate:
                    if themes is not STOP:
                        yield themes, term
                    i += len(candidate)
                    break
            else:
                yield None, tokens[i]
                i += 1


class DictionaryTagger:
    """Tags units with the themes whose lexicon terms they contain."""

    def __init__(self, codebook: Codebook | None = None):
        self.codebook = codebook or load_codebook()
        self.theme_ids = self.codebook.theme_ids
        self._en = self._index("en", en_tokens)
        self._zh_terms = self._terms("zh")
        self._zh_segmenter = None
        self._zh: _TermIndex | None = None

    def _terms(self, language: str) -> dict[str, tuple[str, ...]]:
        themes_of: dict[str, list[str]] = defaultdict(list)
        for theme in self.codebook.themes:
            for term in theme.lexicon(language):
                themes_of[term].append(theme.id)
        return {term: tuple(ids) for term, ids in themes_of.items()}

    def _index(self, language: str, tokenize) -> _TermIndex:
        index = _TermIndex()
        for term in self.codebook.stop_phrases.get(language, ()):
            index.add(tuple(tokenize(term)), STOP, term)
        for term, themes in self._terms(language).items():
            index.add(tuple(tokenize(term)), themes, term)
        index.freeze()
        return index

    def zh_tokens(self, text: str) -> list[str]:
        """jieba segments of ``text``, the lexicon's Chinese terms kept whole (built on first use)."""
        if self._zh_segmenter is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            segmenter = jieba.Tokenizer()
            words = list(self._zh_terms) + list(self.codebook.stop_phrases.get("zh", ()))
            for word in words:
                segmenter.add_word(word)
            for word in words:
                segmenter.suggest_freq(word, tune=True)
            self._zh_segmenter = segmenter
            self._zh = self._index("zh", lambda t: [w for w in segmenter.lcut(t, HMM=False) if w.strip()])
        return [w for w in self._zh_segmenter.lcut(text, HMM=False) if w.strip()]

    def match(self, text: str, language: str) -> dict[str, list[str]]:
        """Theme id -> matched terms (with repeats) for one text."""
        found: dict[str, list[str]] = defaultdict(list)
        if language.startswith("zh"):
            tokens = self.zh_tokens(text)
            for themes, term in self._zh.scan(tokens):
                if themes is not None:
                    for theme in themes:
                        found[theme].append(term)
                elif len(term) > 1 and term not in self._zh.whole_terms:
                    for inner, inner_themes in self._zh_terms.items():
                        if len(inner) < len(term) and inner in term:
                            for theme in inner_themes:
                                found[theme].append(inner)
        else:
            for themes, term in self._en.scan(en_tokens(text)):
                if themes is not None:
                    for theme in themes:
                        found[theme].append(term)
        return found

    def tag(self, units: pd.DataFrame) -> pd.DataFrame:
        """One row per unit and theme; score = number of term matches."""
        unit_ids, themes, scores, matched = [], [], [], []
        for unit_id, text, language in zip(units["unit_id"], units["text"], units["language"]):
            found = self.match(text, language)
            for theme in self.theme_ids:
                terms = found.get(theme, ())
                unit_ids.append(unit_id)
                themes.append(theme)
                scores.append(float(len(terms)))
                matched.append("; ".join(sorted(set(terms))))
        frame = pd.DataFrame({"unit_id": unit_ids, "theme": themes, "score": scores, "matched_terms": matched})
        return frame.astype(TAG_COLUMNS)


@lru_cache(maxsize=1)
def default_tagger() -> DictionaryTagger:
    """The tagger for the shipped codebook, built once per process."""
    return DictionaryTagger()


def zh_words(text: str) -> list[str]:
    """Chinese text segmented by jieba, the codebook's Chinese terms kept whole."""
    return default_tagger().zh_tokens(text)

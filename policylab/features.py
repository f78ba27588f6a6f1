"""The supervised tagger's features, for fitting (one unit at a time) and for tagging (many at once).

A unit's *terms* are

- its words and word pairs (English: the dictionary tagger's tokens, URLs blanked), or for
  Chinese its characters and character pairs (no segmenter: a feature must mean the same
  thing on every plan), each as it is;
- the words of the heading it sits under (its ``part`` and ``section``), prefixed ``h:``;
- and, beside the terms, one column per theme: log(1 + the v1.2 dictionary's matches), the
  feature that carries across plans and languages best.

``unit_terms`` lists one unit's terms (what scikit-learn's ``TfidfVectorizer`` counts when
the model is fitted); ``term_counts`` counts the terms of a vocabulary over many units with
array operations (what tagging uses); tests check that both count the same.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .tagging import _ragged, _token_stream

HEADING = "h:"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def base_language(language: str) -> str:
    """``en`` for "en", "en-GB"; ``zh`` for "zh-Hans"; the first subtag, lower case."""
    return language.split("-", 1)[0].lower()


def base_languages(languages) -> np.ndarray:
    """:func:`base_language` of each value (each distinct value worked out once)."""
    codes, distinct = pd.factorize(np.asarray(languages, dtype=object))
    return np.array([base_language(language) for language in distinct] + [""], dtype=object)[codes]


def _words(text: str) -> list[str]:
    """The dictionary tagger's English tokens (its token stream, URLs blanked)."""
    return _token_stream([text]).decode("ascii").split()


def _words_of_each(texts: list[str]) -> list[list[str]]:
    """:func:`_words` of each text, from one token stream."""
    if not texts:
        return []
    return [chunk.decode("ascii").split() for chunk in _token_stream(texts).split(b"\x00")]


def _pairs(items: list[str], sep: str) -> list[str]:
    return [f"{a}{sep}{b}" for a, b in itertools.pairwise(items)]


def text_terms(text: str, language: str) -> list[str]:
    """Words and word pairs (English), characters and character pairs of each CJK run (Chinese)."""
    if base_language(language) == "zh":
        terms = []
        for run in _CJK.findall(text):
            chars = list(run)
            terms += chars + _pairs(chars, "")
        return terms + _words(_CJK.sub(" ", text))
    words = _words(text)
    return words + _pairs(words, " ")


def _heading(part, section) -> str:
    return " ".join(value for value in (part, section) if isinstance(value, str))


def heading_terms(part, section, words: list[str] | None = None) -> list[str]:
    """The heading words of a unit's part and section, prefixed ``h:`` (``words``: its English
    words, when already tokenised)."""
    heading = _heading(part, section)
    words = _words(heading) if words is None else words
    return [HEADING + word for word in words + _CJK.findall(heading)]


def unit_terms(unit: tuple) -> list[str]:
    """Every term of one unit given as (text, language, part, section)."""
    text, language, part, section = unit
    return text_terms(text, language) + heading_terms(part, section)


def unit_tuples(units: pd.DataFrame) -> list[tuple]:
    """(text, language, part, section) per unit, as ``unit_terms`` takes them."""
    columns = [units[c] if c in units.columns else pd.Series([None] * len(units), index=units.index)
               for c in ("part", "section")]
    return list(zip(units["text"], units["language"], *[c.astype(object).where(c.notna(), None) for c in columns]))


def term_counts(units: pd.DataFrame, vocabulary: dict[str, int]) -> sp.csr_matrix:
    """Units x vocabulary counts, as ``unit_terms`` would give them, computed in batches:
    English words and word pairs from one token stream (pairs as pairs of word ids: a pair in
    the vocabulary is made of words in it, both being at least as frequent), Chinese units
    and headings unit by unit (distinct headings once)."""
    n = len(units)
    rows, cols = [], []
    chinese = base_languages(units["language"]) == "zh"
    english = np.flatnonzero(~chinese)
    if len(english):
        r, c = _english_counts(units["text"].to_numpy(dtype=object)[english].tolist(), vocabulary)
        rows.append(english[r])
        cols.append(c)
    for row, (text, language) in zip(np.flatnonzero(chinese).tolist(),
                                     zip(units["text"].to_numpy(dtype=object)[chinese], units["language"][chinese])):
        ids = [vocabulary[t] for t in text_terms(text, language) if t in vocabulary]
        rows.append(np.full(len(ids), row))
        cols.append(np.asarray(ids, dtype=np.int64))
    # each distinct (part, section) pair once: NA is code -1 in factorize, so shift codes by one
    (part_code, part_names), (section_code, section_names) = (
        pd.factorize(units[c]) if c in units.columns else (np.full(n, -1), np.array([], dtype=object))
        for c in ("part", "section"))
    heading, pairs = pd.factorize((part_code + 1) * (len(section_names) + 1) + section_code + 1)
    parts = np.array([None, *part_names], dtype=object)[pairs // (len(section_names) + 1)]
    sections = np.array([None, *section_names], dtype=object)[pairs % (len(section_names) + 1)]
    keys = list(zip(parts, sections))
    words = _words_of_each([_heading(*key) for key in keys])
    ids = [[vocabulary[t] for t in heading_terms(*key, words=w) if t in vocabulary] for key, w in zip(keys, words)]
    count = np.array([len(i) for i in ids], dtype=np.int64)
    unit, term = _ragged(heading, count, np.cumsum(count) - count, np.array([i for k in ids for i in k], dtype=np.int64))
    rows.append(unit)
    cols.append(term)
    rows_all = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols_all = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    counts = sp.csr_matrix((np.ones(len(rows_all)), (rows_all, cols_all)), shape=(n, len(vocabulary)))
    counts.sum_duplicates()
    return counts


def _english_counts(texts: list[str], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, term id) for every word and word pair of ``texts`` in the vocabulary."""
    tokens = _token_stream(texts).split()  # units separated by a b"\x00" token
    codes, distinct = pd.factorize(np.array(tokens, dtype=object), sort=False)
    distinct_ids = np.array([-1 if token == b"\x00" else vocabulary.get(token.decode("ascii"), -1)
                             for token in distinct], dtype=np.int64)
    ids = distinct_ids[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    unit_break = codes == (list(distinct).index(b"\x00") if b"\x00" in set(distinct) else -2)
    text = np.cumsum(unit_break)
    keep = ids >= 0
    rows, cols = [text[keep]], [ids[keep]]
    pair_ids = {(vocabulary[a], vocabulary[b]): i for term, i in vocabulary.items() if " " in term
                for a, b in [term.split(" ", 1)] if a in vocabulary and b in vocabulary}
    if pair_ids and len(ids) > 1:
        size = len(vocabulary)
        keys = np.array(sorted(a * size + b for a, b in pair_ids), dtype=np.int64)
        values = np.array([pair_ids[divmod(int(k), size)] for k in keys], dtype=np.int64)
        first, second = ids[:-1], ids[1:]
        both = (first >= 0) & (second >= 0)
        key = first[both] * size + second[both]
        at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
        found = keys[at] == key
        rows.append(text[:-1][both][found])
        cols.append(values[at[found]])
    return np.concatenate(rows), np.concatenate(cols)


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf (1 + log count) times idf, each row scaled to unit length (TfidfVectorizer's
    ``sublinear_tf=True, norm="l2"``)."""
    weights = counts.astype(np.float64, copy=True)
    weights.data = (1.0 + np.log(weights.data)) * idf[weights.indices]
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ weights)


def dictionary_counts(units: pd.DataFrame, tagger) -> np.ndarray:
    """Units x themes: the dictionary tagger's matches (the model's features are their log(1 + n))."""
    return tagger.tag(units)["score"].to_numpy().reshape(len(units), len(tagger.theme_ids))

"""The dictionary tagger: the codebook's lexicons matched against unit texts.

``DictionaryTagger().tag(units)`` returns a tidy frame with one row per unit and theme:
``unit_id``, ``theme``, ``score`` (number of matches) and ``matched_terms``. Use it
through :func:`policylab.coding.tag_themes`, which also offers the model tagger.

Dictionary matching follows the codebook's ``matching`` contract. English: whole words
and phrases on normalised tokens (case, curly apostrophes, hyphens and spaces folded, so
"open-weight" and "open weight" are one term), leftmost-longest, agency names in
``stop_phrases`` matched first and counted for no theme. Chinese: plain substring matching
on the text, as the contract says, leftmost-longest (so 全球南方 counts once, not also as
南方, and 安全 counts inside 网络安全 unless that is a term itself); no segmentation.
Terms are literals, never regular expressions. English URLs are blanked before matching
(a term never fires inside a web address).

Context rules (the codebook's ``matching.context_rules``) narrow terms too broad on their
own: a ruled term counts in a unit only when one of its ``only_with`` words also occurs in
that unit, and its ``not_in`` phrases are matched like stop phrases (leftmost-longest, so the
term inside them counts for nothing). The ``only_with`` check is a second, overlapping
search, run only over the units where a ruled term matched.

Both run as one leftmost-longest Aho–Corasick search (ahocorasick-rs) over all units at
once: English over the units' token stream, rebuilt with C-level bytes operations (tokens
two spaces apart, terms as their tokens between single spaces, so a match can only start
and end at token boundaries); Chinese over the texts themselves. Units are joined with a
NUL, which no term holds, so no match runs from one unit into the next.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

import ahocorasick_rs
import numpy as np
import pandas as pd

from .themes import Codebook, load_codebook
from .units import STRING

_EN_TOKEN = re.compile(r"[a-z0-9]+(?:[&'][a-z0-9]+)*")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s\x00]*")  # on folded (lower-case) text
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
STOP = None  # marks a stop phrase in the term index
UNIT_BREAK = "\x00"  # joins the units of one search
BATCH_UNITS = 20_000  # units per search: bounds the memory of the joined text, costs no speed

TAG_COLUMNS = {"unit_id": STRING, "theme": STRING, "score": "float64", "matched_terms": STRING}


def _fold(text: str) -> str:
    """NFKC, lower case, straight apostrophes, NUL as a space (plain ASCII text only needs
    lower-casing, and the NUL check)."""
    if UNIT_BREAK in text:
        text = text.replace(UNIT_BREAK, " ")
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)


def en_tokens(text: str) -> list[str]:
    """Lower-case word tokens; hyphens, dashes and slashes separate words."""
    return _EN_TOKEN.findall(_fold(text))


_TOKEN_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
# Every byte that can be neither in a token nor a unit break becomes a space.
_TO_SPACE = bytes(b if b in _TOKEN_BYTES or b in b"&'\x00" else 0x20 for b in range(256))


def _token_stream(texts: list[str]) -> bytes:
    """en_tokens of every text as one byte string, tokens two spaces apart: "  tok  tok  NUL  tok  ".

    No regex runs over the text (but one that blanks URLs, where there is one): fold and join, map every non-token byte (non-ASCII
    characters included, as "?") to a space, blank the ``&`` and ``'`` that en_tokens does
    not keep inside a word (those without a letter or digit on both sides), then, as array
    operations, collapse each run of spaces to one and widen it to two.
    """
    joined = f" {f' {UNIT_BREAK} '.join(map(_fold, texts))} "
    if "://" in joined or "www." in joined:
        joined = _URL.sub(" ", joined)
    data = bytearray(joined.encode("ascii", "replace").translate(_TO_SPACE))
    for joiner in b"&'":
        for at in _positions(data, joiner):
            if not (data[at - 1] in _TOKEN_BYTES and data[at + 1] in _TOKEN_BYTES):
                data[at] = 0x20
    chars = np.frombuffer(data, dtype=np.uint8)
    space = chars == 0x20
    kept = chars[np.concatenate(([True], ~(space[1:] & space[:-1])))]
    return np.repeat(kept, np.where(kept == 0x20, 2, 1)).tobytes()


def _positions(data: bytearray, byte: int) -> list[int]:
    """Every index of ``byte`` in ``data`` (found with bytes.find, which scans in C)."""
    found, at = [], data.find(byte)
    while at != -1:
        found.append(at)
        at = data.find(byte, at + 1)
    return found


# Leftmost-longest is the codebook's rule; a DFA searches ≈ 20% faster than the default NFA here.
_AUTOMATON = {"matchkind": ahocorasick_rs.MatchKind.LeftmostLongest, "implementation": ahocorasick_rs.Implementation.DFA}
_OVERLAPPING = {"matchkind": ahocorasick_rs.MatchKind.Standard, "implementation": ahocorasick_rs.Implementation.DFA}


def _automaton(patterns: list[str], language: str, options: dict):
    """An Aho–Corasick automaton over token streams (English) or texts (Chinese); None for no patterns."""
    if not patterns:
        return None
    if language == "en":
        return ahocorasick_rs.BytesAhoCorasick([(" " + "  ".join(key) + " ").encode("ascii") for key in patterns],
                                               **options)
    return ahocorasick_rs.AhoCorasick(patterns, **options)


def _haystack(texts: list[str], language: str) -> tuple:
    """What an automaton searches for ``texts`` and where each text ends in it."""
    if language == "en":
        haystack = _token_stream(texts)
        return haystack, np.flatnonzero(np.frombuffer(haystack, dtype=np.uint8) == 0)
    texts = [text.replace(UNIT_BREAK, " ") if UNIT_BREAK in text else text for text in texts]
    return UNIT_BREAK.join(texts), np.cumsum([len(text) + 1 for text in texts]) - 1


class _Matcher:
    """One language's terms in a leftmost-longest automaton, with each term's themes as arrays,
    and the words its context rules ask for in a second, overlapping one."""

    def __init__(self, entries: dict, language: str, theme_ids: tuple[str, ...], rules: tuple = ()):
        self.language = language
        self.entries = list(entries.values())  # (themes or STOP, term), by pattern index
        self._automaton = _automaton(list(entries), language, _AUTOMATON)
        # Per entry: its themes' positions in theme_ids (none for a stop phrase), laid end to end
        # from theme_start, and its term's position in the sorted term names.
        position = {theme: i for i, theme in enumerate(theme_ids)}
        themes = [() if ids is STOP else [position[theme] for theme in ids] for ids, _ in self.entries]
        self.theme_count = np.array([len(ids) for ids in themes], dtype=np.int64)
        self.theme_start = np.cumsum(self.theme_count) - self.theme_count
        self.theme_positions = np.array([p for ids in themes for p in ids], dtype=np.int64)
        self.names = np.array(sorted({term for _, term in self.entries}), dtype=object)
        rank = {term: i for i, term in enumerate(self.names)}
        self.term_rank = np.array([rank[term] for _, term in self.entries], dtype=np.int64)
        # Context rules with only_with words: each entry's rule (-1: none), and per context
        # word (pattern of the second automaton) the rules it satisfies.
        conditional = [rule for rule in rules if rule.only_with]
        rule_of = {term: i for i, rule in enumerate(conditional) for term in rule.terms}
        self.rule_of = np.array([-1 if ids is STOP else rule_of.get(term, -1) for ids, term in self.entries],
                                dtype=np.int64)
        key = (lambda word: tuple(en_tokens(word))) if language == "en" else (lambda word: word)
        words: dict = defaultdict(list)
        for i, rule in enumerate(conditional):
            for word in rule.only_with:
                words[key(word)].append(i)
        self.n_rules = len(conditional)
        self._context = _automaton(list(words), language, _OVERLAPPING)
        self.word_rule_count = np.array([len(ids) for ids in words.values()], dtype=np.int64)
        self.word_rule_start = np.cumsum(self.word_rule_count) - self.word_rule_count
        self.word_rules = np.array([i for ids in words.values() for i in ids], dtype=np.int64)

    def find(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Text index and entry index of every match in ``texts`` that counts, in order."""
        haystack, breaks = _haystack(texts, self.language)
        found = self._automaton.find_matches_as_indexes(haystack) if self._automaton else []
        entry = np.fromiter((match[0] for match in found), dtype=np.int64, count=len(found))
        start = np.fromiter((match[1] for match in found), dtype=np.int64, count=len(found))
        text = np.searchsorted(breaks, start)
        rule = self.rule_of[entry]
        if (rule >= 0).any():
            satisfied = self._satisfied(haystack, breaks, np.unique(text[rule >= 0]))
            keep = (rule < 0) | np.isin(text * self.n_rules + rule, satisfied)
            text, entry = text[keep], entry[keep]
        return text, entry

    def _satisfied(self, haystack, breaks: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """text * n_rules + rule for each rule whose only_with words occur in a candidate text
        (the candidates' stretches of the searched haystack, cut out and searched again)."""
        starts = np.concatenate(([0], breaks + 1))[candidates].tolist()
        ends = np.concatenate((breaks, [len(haystack)]))[candidates].tolist()
        unit_break = UNIT_BREAK.encode() if isinstance(haystack, bytes) else UNIT_BREAK
        haystack = unit_break.join([haystack[a:b] for a, b in zip(starts, ends)])
        breaks = np.cumsum([b - a + 1 for a, b in zip(starts, ends)]) - 1
        found = self._context.find_matches_as_indexes(haystack, overlapping=True)
        word = np.fromiter((match[0] for match in found), dtype=np.int64, count=len(found))
        start = np.fromiter((match[1] for match in found), dtype=np.int64, count=len(found))
        match, rule = _ragged(word, self.word_rule_count, self.word_rule_start, self.word_rules)
        return np.unique(candidates[np.searchsorted(breaks, start[match])] * self.n_rules + rule)


class DictionaryTagger:
    """Tags units with the themes whose lexicon terms they contain."""

    def __init__(self, codebook: Codebook | None = None):
        self.codebook = codebook or load_codebook()
        self.theme_ids = self.codebook.theme_ids
        self._matchers = {language: _Matcher(self._terms(language), language, self.theme_ids,
                                             self.codebook.context_rules.get(language, ()))
                          for language in ("en", "zh")}

    def _terms(self, language: str) -> dict:
        """Term key -> (themes, term); stop phrases and the not_in phrases of context rules first,
        and the first term listed wins a key.

        English keys are token tuples (so spelling variants of one phrase meet), Chinese
        keys the terms themselves.
        """
        def key(term: str):
            return tuple(en_tokens(term)) if language == "en" else term

        entries: dict = {}
        not_in = [phrase for rule in self.codebook.context_rules.get(language, ()) for phrase in rule.not_in]
        for term in (*self.codebook.stop_phrases.get(language, ()), *not_in):
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

    def match(self, text: str, language: str) -> dict[str, list[str]]:
        """Theme id -> matched terms (with repeats, in order) for one text."""
        matcher = self._matchers["zh" if language.startswith("zh") else "en"]
        found: dict[str, list[str]] = defaultdict(list)
        for entry in matcher.find([text])[1].tolist():
            themes, term = matcher.entries[entry]
            if themes is not STOP:
                for theme in themes:
                    found[theme].append(term)
        return found

    def tag(self, units: pd.DataFrame) -> pd.DataFrame:
        """One row per unit and theme; score = number of term matches."""
        n_themes = len(self.theme_ids)
        n_cells = len(units) * n_themes  # cell = row * n_themes + theme position
        scores = np.zeros(n_cells)
        matched = np.full(n_cells, "", dtype=object)
        chinese = np.asarray(units["language"].str.startswith("zh"), dtype=bool)
        texts = np.asarray(units["text"], dtype=object)
        for language, rows in (("en", np.flatnonzero(~chinese)), ("zh", np.flatnonzero(chinese))):
            matcher = self._matchers[language]
            for start in range(0, len(rows), BATCH_UNITS):
                batch = rows[start:start + BATCH_UNITS]
                found_in, entries = matcher.find(texts[batch].tolist())
                # one (cell, term) pair per theme of each match; a stop phrase has no theme
                match, theme = _ragged(entries, matcher.theme_count, matcher.theme_start, matcher.theme_positions)
                cells = batch[found_in[match]] * n_themes + theme
                scores += np.bincount(cells, minlength=n_cells)
                _join_terms(matched, cells, matcher.term_rank[entries[match]], matcher.names)
        ids, themes = np.asarray(units["unit_id"], dtype=object), np.asarray(self.theme_ids, dtype=object)
        return pd.DataFrame({  # each column made and converted in turn: less memory at a time
            "unit_id": pd.array(np.repeat(ids, n_themes), dtype=TAG_COLUMNS["unit_id"]),
            "theme": pd.array(np.tile(themes, len(units)), dtype=TAG_COLUMNS["theme"]),
            "score": scores, "matched_terms": pd.array(matched, dtype=TAG_COLUMNS["matched_terms"])})


def _ragged(keys: np.ndarray, count: np.ndarray, start: np.ndarray, values: np.ndarray):
    """Each key's values (``values[start[key]:start[key] + count[key]]``, laid end to end) as
    two arrays: the position in ``keys`` each value belongs to, and the value."""
    n = count[keys]
    match = np.repeat(np.arange(len(keys)), n)
    nth = np.arange(len(match)) - np.repeat(np.cumsum(n) - n, n)
    return match, values[start[keys[match]] + nth]


def _join_terms(matched: np.ndarray, cells: np.ndarray, ranks: np.ndarray, names: np.ndarray) -> None:
    """Write into ``matched`` each cell's distinct term names, sorted and joined with "; "."""
    pairs = np.unique(cells * len(names) + ranks)  # distinct (cell, term), in cell then name order
    pair_cell, pair_rank = np.divmod(pairs, len(names))
    first = np.flatnonzero(np.diff(pair_cell, prepend=-1))  # each cell's first pair
    size = np.diff(first, append=len(pairs))
    matched[pair_cell[first]] = names[pair_rank[first]]
    for at, n in zip(first[size > 1].tolist(), size[size > 1].tolist()):  # cells with several terms
        matched[pair_cell[at]] = "; ".join(names[pair_rank[at:at + n]])


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

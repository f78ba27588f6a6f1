"""Words of the full texts: case-folded tokens (Chinese segmented with jieba), counts of
terms per plan, keyness of one plan's words against another's, and Gries's dispersion."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd

from ..tagging import zh_words
from .provisions import CompareError
from .significance import benjamini_hochberg, chi2_1_sf, log_likelihood

# A word, or a dotted abbreviation ("U.S.", "e.g.", "U.S.-led"), which would otherwise count
# as one-letter words; abbreviations are kept as "u.s", "e.g", "u.s-led" (see words()).
_WORD = re.compile(r"[a-z](?:\.[a-z])+\b(?:\.?-[a-z0-9]+(?:'[a-z]+)?)*"
                   r"|[a-z0-9]+(?:'[a-z]+)?(?:-[a-z0-9]+(?:'[a-z]+)?)*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def words(text: str, language: str = "en") -> list[str]:
    """Case-folded word tokens; Chinese text is segmented with jieba."""
    text = unicodedata.normalize("NFKC", text)
    if language.startswith("zh"):
        return [w for w in zh_words(text) if _CJK.search(w) or w.isalnum()]
    found = _WORD.findall(text.lower().replace("’", "'"))
    if "." not in text:
        return found
    return [word.replace(".-", "-") if ".-" in word else word for word in found]


def term_counts(units: pd.DataFrame, terms=None, *, by: str = "plan_id") -> pd.DataFrame:
    """Occurrences of terms per group: ``by``, term, count, per_1000 (of the group's words).

    Words are case-folded; a hyphenated word also counts for each of its parts
    ("safety-critical" counts once for "safety"), while per_1000 is per 1,000 words as
    written (a hyphenated word is one word). With ``terms``, every term is reported for
    every group, zero counts included; without, every word that occurs.
    """
    if by not in units.columns:
        raise CompareError(f"term_counts: no column {by!r} in the unit table.")
    rows = []
    for key, group in units.groupby(by, sort=False):
        counts, total = _word_counts(group)
        for word in [w for w in counts if "-" in w]:
            counts.update({part: counts[word] for part in word.split("-") if part})
        wanted = [t.lower() for t in terms] if terms is not None else sorted(counts)
        for term in wanted:
            count = counts.get(term, 0)
            rows.append({by: key, "term": term, "count": count,
                         "per_1000": 1000 * count / total if total else 0.0})
    return pd.DataFrame(rows, columns=[by, "term", "count", "per_1000"])


def _word_counts(units: pd.DataFrame) -> tuple[Counter, int]:
    """Counts of whole word tokens and their total (every token counted once)."""
    counts: Counter = Counter()
    for text, language in zip(units["text"], units["language"]):
        counts.update(words(text, language))
    return counts, sum(counts.values())


# Our own short list of Chinese function words (particles, conjunctions, prepositions,
# pronouns and measure words) that carry no policy content.
_ZH_FUNCTION_WORDS = """
    的 地 得 了 着 过 和 与 及 以及 并 并且 或 或者 而 而且 但 但是 在 于 对 对于 为 为了 以 将 把 被 从 向 由
    到 给 按照 根据 通过 关于 其 之 此 这 那 这些 那些 该 各 每 等 等等 是 也 都 就 还 又 更 最 很 所 所有
    一个 一些 有关 方面 进行 加以 予以 之间 以上 以下 我们 他们 它们 中
"""
ZH_STOP_WORDS = frozenset(_ZH_FUNCTION_WORDS.split())


def default_stop_words(language: str) -> frozenset:
    """Stop words left out of keyness by default: scikit-learn's English list, or ours for Chinese."""
    if language.startswith("zh"):
        return ZH_STOP_WORDS
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def keyness(units: pd.DataFrame, plan_a: str, plan_b: str, *, min_count: int = 5, by: str = "plan_id",
            stop_words=None, parts: str | None = None) -> pd.DataFrame:
    """Words over-used in one group (plan_a or plan_b, values of ``by``) relative to the other.

    The statistic is Dunning's log-likelihood G² of the full 2x2 table (the word against all
    other words, in A and in B), with 1 degree of freedom; ``p_adjusted`` is the
    Benjamini-Hochberg adjustment over the terms tested (at least ``min_count`` uses in
    A and B together). ``key_for`` is the group where the word's relative frequency
    (count / words of the group) is higher. ``log_ratio`` is the binary log of the ratio
    of relative frequencies, each smoothed by 1 / (T_a + T_b), so its sign always agrees
    with ``key_for``. Totals T_a, T_b count every word token once (stop words included,
    a hyphenated word as one word); stop words are not tested (default: scikit-learn's
    English list, or our Chinese function-word list; pass a set to override, ``()`` for
    none). Both groups must be in the same language.

    With ``parts`` (a column such as "section"), dp_a and dp_b give Gries's DP dispersion
    over those parts: 0 when the word is spread in proportion to the parts' sizes, near 1
    when it is confined to one part.

    Columns: term, count_a, count_b, per_1000_a, per_1000_b, g2, log_ratio, p_value,
    p_adjusted, key_for (and dp_a, dp_b).
    """
    groups, languages = {}, {}
    for plan in (plan_a, plan_b):
        group = units[units[by] == plan]
        if group.empty:
            raise CompareError(f"keyness: no units for {plan!r} in column {by!r}.")
        found = sorted(set(group["language"].astype(str)))
        if len(found) != 1:
            raise CompareError(f"keyness: {plan!r} mixes languages {', '.join(found)}; select one language edition.")
        groups[plan], languages[plan] = group, found[0]
    if languages[plan_a] != languages[plan_b]:
        raise CompareError(f"keyness: {plan_a!r} is in {languages[plan_a]!r} and {plan_b!r} in {languages[plan_b]!r}; "
                           f"word frequencies are only comparable within one language: load both in the same "
                           f"language (load_plan(..., language=...)).")
    stop = default_stop_words(languages[plan_a]) if stop_words is None else frozenset(stop_words)
    (counts_a, total_a), (counts_b, total_b) = (_word_counts(groups[p]) for p in (plan_a, plan_b))
    terms = sorted(t for t in set(counts_a) | set(counts_b)
                   if t not in stop and counts_a.get(t, 0) + counts_b.get(t, 0) >= min_count)
    a = np.array([counts_a.get(t, 0) for t in terms], dtype=float)
    b = np.array([counts_b.get(t, 0) for t in terms], dtype=float)
    g2 = log_likelihood(a, b, total_a, total_b) if terms else np.array([])
    pseudo = 1 / (total_a + total_b)
    rate_a, rate_b = a / total_a, b / total_b
    table = pd.DataFrame({"term": terms, "count_a": a.astype(int), "count_b": b.astype(int),
                          "per_1000_a": 1000 * rate_a, "per_1000_b": 1000 * rate_b, "g2": g2,
                          "log_ratio": np.log2((rate_a + pseudo) / (rate_b + pseudo)),
                          "p_value": chi2_1_sf(g2)})
    table["p_adjusted"] = benjamini_hochberg(table["p_value"].to_numpy())
    table["key_for"] = np.where(rate_a > rate_b, plan_a, np.where(rate_b > rate_a, plan_b, None))
    if parts is not None:
        table["dp_a"] = gries_dp(groups[plan_a], terms, parts)
        table["dp_b"] = gries_dp(groups[plan_b], terms, parts)
    table.attrs.update({"total_a": total_a, "total_b": total_b, "statistic": "G2 (2x2 table, Dunning 1993)"})
    return table.sort_values(["g2", "term"], ascending=[False, True], ignore_index=True)


def gries_dp(units: pd.DataFrame, terms, parts: str) -> np.ndarray:
    """Gries's (2008) DP of each term over the ``parts`` of the units: half the sum over parts
    of |share of the term's uses in the part - share of all words in the part|. NaN where
    the term does not occur."""
    if parts not in units:
        raise CompareError(f"gries_dp: no column {parts!r} to split the text into parts.")
    per_part = [_word_counts(group) for _, group in units.groupby(parts, sort=False, dropna=False)]
    sizes = np.array([total for _, total in per_part], dtype=float)
    uses = np.array([[counts.get(t, 0) for counts, _ in per_part] for t in terms], dtype=float).reshape(len(terms), -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = uses / uses.sum(axis=1, keepdims=True)
    return 0.5 * np.abs(observed - sizes / sizes.sum()).sum(axis=1) * np.where(uses.sum(axis=1) > 0, 1, np.nan)

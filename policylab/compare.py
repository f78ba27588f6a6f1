"""Statistics that compare plans: theme shares, safety-development balance, instruments,
actors, and word counts with keyness on full texts.

Interval estimates are percentile bootstraps that resample units within each plan with a
fixed seed, so the same input always gives the same numbers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd
from scipy.stats import chi2

from .errors import PolicyLabError
from .tagging import zh_words
from .themes import THEME_IDS

PROVISION_LEVELS = ("preamble", "paragraph", "action", "point")
N_BOOT = 2000
SEED = 20250723
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?(?:-[a-z0-9]+(?:['’][a-z]+)?)*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


# --- coded units -------------------------------------------------------------------------


def provisions(coded: pd.DataFrame, levels=PROVISION_LEVELS) -> pd.DataFrame:
    """Coded units that carry content (not titles, headings or footnotes), with one 0/1
    column per theme expanded from the ``themes`` column."""
    missing = {"plan_id", "level", "themes", "orientation"} - set(coded.columns)
    if missing:
        raise PolicyLabError(f"Expected the coded edition (load_plan(..., source='coded')); missing "
                             f"column(s): {', '.join(sorted(missing))}.")
    units = coded[coded["level"].isin(levels)].reset_index(drop=True)
    coded_themes = units["themes"].fillna("").str.split(";")
    for theme in THEME_IDS:
        units[theme] = coded_themes.apply(lambda ts, t=theme: int(t in ts))
    return units


def provisions_with(coded: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The provisions coded with ``theme``: plan, unit, heading, page and our summary."""
    if theme not in THEME_IDS:
        raise PolicyLabError(f"Unknown theme {theme!r}; themes: {', '.join(THEME_IDS)}.")
    units = provisions(coded)
    chosen = units[units[theme] == 1]
    return chosen[["plan_id", "unit_id", "part", "section", "page", "text", "instruments", "actors"]].rename(
        columns={"text": "summary"}).reset_index(drop=True)


def _boot_indices(n: int, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    return rng.integers(0, n, size=(n_boot, n))


def _provision_groups(coded: pd.DataFrame, by):
    """(group labels as a dict, the group's provisions) for each group, in order of appearance."""
    units = provisions(coded)
    by = [by] if isinstance(by, str) else list(by)
    for key, group in units.groupby(by, sort=False, dropna=False):
        yield dict(zip(by, key if isinstance(key, tuple) else (key,))), group


def theme_shares(coded: pd.DataFrame, *, by=("plan_id",), themes=THEME_IDS, n_boot: int = N_BOOT,
                 seed: int = SEED) -> pd.DataFrame:
    """Share of provisions coded with each theme per group, with a 95% bootstrap interval.

    Columns: the ``by`` columns, theme, n_units, n_coded, share, ci_low, ci_high.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for labels, group in _provision_groups(coded, by):
        values = group[list(themes)].to_numpy(dtype=float)
        boot = values[_boot_indices(len(group), rng, n_boot)].mean(axis=1)
        low, high = np.percentile(boot, [2.5, 97.5], axis=0)
        for j, theme in enumerate(themes):
            rows.append({**labels, "theme": theme, "n_units": len(group),
                         "n_coded": int(values[:, j].sum()), "share": values[:, j].mean(),
                         "ci_low": low[j], "ci_high": high[j]})
    return pd.DataFrame(rows)


def share_difference(coded: pd.DataFrame, plan_a: str, plan_b: str, *, themes=THEME_IDS,
                     n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """Share in plan_a minus share in plan_b per theme, with a 95% bootstrap interval."""
    units = provisions(coded)
    rng = np.random.default_rng(seed)
    samples = {}
    for plan in (plan_a, plan_b):
        values = units.loc[units["plan_id"] == plan, list(themes)].to_numpy(dtype=float)
        if not len(values):
            raise PolicyLabError(f"No coded provisions for plan {plan!r}.")
        samples[plan] = (values.mean(axis=0), values[_boot_indices(len(values), rng, n_boot)].mean(axis=1))
    difference = samples[plan_a][0] - samples[plan_b][0]
    boot = samples[plan_a][1] - samples[plan_b][1]
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    return pd.DataFrame({"theme": list(themes), "plan_a": plan_a, "plan_b": plan_b,
                         "difference": difference, "ci_low": low, "ci_high": high})


def _balance(orientation: np.ndarray) -> float:
    development = np.isin(orientation, ("development", "both")).sum()
    safety = np.isin(orientation, ("safety", "both")).sum()
    return math.log((development + 0.5) / (safety + 0.5))


def balance(coded: pd.DataFrame, *, by=("plan_id",), n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """Safety-versus-development balance log((D + 0.5) / (S + 0.5)) per group, with a 95% interval.

    D counts provisions oriented to development (or both), S those oriented to safety (or
    both). Positive: the group leans to development; negative: to safety.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for labels, group in _provision_groups(coded, by):
        orientation = group["orientation"].to_numpy(dtype=object)
        boot = [_balance(orientation[i]) for i in _boot_indices(len(group), rng, n_boot)]
        low, high = np.percentile(boot, [2.5, 97.5])
        counts = Counter(orientation)
        rows.append({**labels, "n_units": len(group),
                     **{f"n_{o}": counts.get(o, 0) for o in ("development", "safety", "both", "neither")},
                     "balance": _balance(orientation), "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def cooccurrence(coded: pd.DataFrame, plan_id: str | None = None) -> pd.DataFrame:
    """Theme by theme: number of provisions coded with both (diagonal: with the theme)."""
    units = provisions(coded)
    if plan_id is not None:
        units = units[units["plan_id"] == plan_id]
    values = units[list(THEME_IDS)].to_numpy(dtype=int)
    return pd.DataFrame(values.T @ values, index=list(THEME_IDS), columns=list(THEME_IDS))


def _exploded(coded: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    units = provisions(coded)
    items = units[["plan_id", "unit_id", column]].assign(
        **{name: units[column].fillna("").str.split(";")}).explode(name)
    return items[items[name].str.strip() != ""]


def instrument_mix(coded: pd.DataFrame) -> pd.DataFrame:
    """Provisions per plan and instrument, and their share of the plan's provisions."""
    items = _exploded(coded, "instruments", "instrument")
    counts = items.groupby(["plan_id", "instrument"], sort=False).size().rename("n_units").reset_index()
    totals = provisions(coded).groupby("plan_id").size()
    counts["share"] = counts["n_units"] / counts["plan_id"].map(totals)
    return counts.sort_values(["plan_id", "n_units", "instrument"], ascending=[True, False, True], ignore_index=True)


def lead_actors(coded: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The bodies named first (leading) in provisions, counted per plan; with the themes they lead on."""
    items = _exploded(coded, "actors", "actor")
    first = items.groupby("unit_id", sort=False).head(1)
    themes = provisions(coded).set_index("unit_id")["themes"]
    first = first.assign(themes=first["unit_id"].map(themes))
    rows = []
    for (plan_id, actor), group in first.groupby(["plan_id", "actor"], sort=False):
        theme_counts = Counter(t for ts in group["themes"].fillna("") for t in ts.split(";") if t)
        rows.append({"plan_id": plan_id, "actor": actor, "n_led": len(group),
                     "main_themes": ", ".join(t for t, _ in theme_counts.most_common(3))})
    table = pd.DataFrame(rows).sort_values(["plan_id", "n_led", "actor"], ascending=[True, False, True])
    return table.groupby("plan_id", sort=False).head(top).reset_index(drop=True)


# --- full texts -------------------------------------------------------------------------


def words(text: str, language: str = "en") -> list[str]:
    """Case-folded word tokens; Chinese text is segmented with jieba."""
    text = unicodedata.normalize("NFKC", text)
    if language.startswith("zh"):
        return [w for w in zh_words(text) if _CJK.search(w) or w.isalnum()]
    return _WORD.findall(text.lower().replace("’", "'"))


def _counts(texts, languages) -> tuple[Counter, int]:
    counts: Counter = Counter()
    total = 0
    for text, language in zip(texts, languages):
        for word in words(text, language):
            total += 1
            counts[word] += 1
            if "-" in word:
                counts.update(part for part in word.split("-") if part)
    return counts, total


def term_counts(units: pd.DataFrame, terms=None, *, by: str = "plan_id") -> pd.DataFrame:
    """Occurrences of terms per group: ``by``, term, count, per_1000 (of the group's words).

    Words are case-folded; a hyphenated word also counts for each of its parts
    ("safety-critical" counts once for "safety"). With ``terms``, every term is reported
    for every group, zero counts included; without, every word that occurs.
    """
    if by not in units.columns:
        raise PolicyLabError(f"term_counts: no column {by!r} in the unit table.")
    rows = []
    for key, group in units.groupby(by, sort=False):
        counts, total = _counts(group["text"], group["language"])
        wanted = [t.lower() for t in terms] if terms is not None else sorted(counts)
        for term in wanted:
            count = counts.get(term, 0)
            rows.append({by: key, "term": term, "count": count,
                         "per_1000": 1000 * count / total if total else 0.0})
    return pd.DataFrame(rows, columns=[by, "term", "count", "per_1000"])


def log_likelihood(a: int, b: int, total_a: int, total_b: int) -> float:
    """Dunning's G² for a word seen a times in corpus A and b times in corpus B."""
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    g2 = 0.0
    for observed, expected in ((a, expected_a), (b, expected_b)):
        if observed > 0:
            g2 += observed * math.log(observed / expected)
    return 2 * g2


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate)."""
    p_values = np.asarray(p_values, dtype=float)
    n = len(p_values)
    if n == 0:
        return p_values
    order = np.argsort(p_values)
    ranked = p_values[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    result = np.empty(n)
    result[order] = np.minimum(adjusted, 1.0)
    return result


def keyness(units: pd.DataFrame, plan_a: str, plan_b: str, *, min_count: int = 5, by: str = "plan_id") -> pd.DataFrame:
    """Words over-used in one plan relative to the other.

    Columns: term, count_a, count_b, per_1000_a, per_1000_b, g2 (log-likelihood),
    log_ratio (binary log of the ratio of relative frequencies, 0.5 added to zero counts),
    p_value, p_adjusted (Benjamini-Hochberg over the terms tested), key_for. Only terms
    with at least ``min_count`` occurrences in the two plans together are tested.
    """
    texts = {}
    for plan in (plan_a, plan_b):
        group = units[units[by] == plan]
        if group.empty:
            raise PolicyLabError(f"keyness: no units for {plan!r} in column {by!r}.")
        texts[plan] = _counts(group["text"], group["language"])
    (counts_a, total_a), (counts_b, total_b) = texts[plan_a], texts[plan_b]
    rows = []
    for term in sorted(set(counts_a) | set(counts_b)):
        a, b = counts_a.get(term, 0), counts_b.get(term, 0)
        if a + b < min_count:
            continue
        g2 = log_likelihood(a, b, total_a, total_b)
        ratio = math.log2(((a or 0.5) / total_a) / ((b or 0.5) / total_b))
        rows.append({"term": term, "count_a": a, "count_b": b, "per_1000_a": 1000 * a / total_a,
                     "per_1000_b": 1000 * b / total_b, "g2": g2, "log_ratio": ratio,
                     "p_value": float(chi2.sf(g2, 1)), "key_for": plan_a if ratio > 0 else plan_b})
    table = pd.DataFrame(rows, columns=["term", "count_a", "count_b", "per_1000_a", "per_1000_b", "g2",
                                        "log_ratio", "p_value", "key_for"])
    table.insert(8, "p_adjusted", benjamini_hochberg(table["p_value"].to_numpy()))
    return table.sort_values(["g2", "term"], ascending=[False, True], ignore_index=True)


def kwic(units: pd.DataFrame, term: str, *, width: int = 6) -> pd.DataFrame:
    """Keyword in context: unit_id, left context, the match, right context (``width`` words)."""
    wanted = term.lower().split()
    rows = []
    for unit_id, text, language in zip(units["unit_id"], units["text"], units["language"]):
        tokens = words(text, language)
        for i in range(len(tokens) - len(wanted) + 1):
            if tokens[i:i + len(wanted)] == wanted or (len(wanted) == 1 and wanted[0] in tokens[i].split("-")):
                end = i + len(wanted)
                rows.append({"unit_id": unit_id, "left": " ".join(tokens[max(0, i - width):i]),
                             "match": " ".join(tokens[i:end]), "right": " ".join(tokens[end:end + width])})
    return pd.DataFrame(rows, columns=["unit_id", "left", "match", "right"])

"""The provisions compared: coded units that carry content, with one 0/1 column per theme;
how they are grouped (per plan, part or section) and what basis a group's codes have; and the
settings every comparison shares (levels, resamples, seed, smallest cell)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PolicyLabError
from ..resampling import section_clusters
from ..themes import THEME_IDS

PROVISION_LEVELS = ("preamble", "paragraph", "action", "point")
CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}
UNCORRECTED = {"tagger": "tagger uncorrected"}  # the basis of tagger codes in a table of results
GOLD = "gold"  # the basis of hand-coded units in a table of results (source_basis: primary, secondary, ...)
N_BOOT = 2000
SEED = 20250723
MIN_CELL = 5  # fewer units with (or without) a theme, or fewer clusters: Wilson score interval


class CompareError(PolicyLabError, ValueError):
    """A comparison asked of data that cannot answer it."""


def provisions(coded: pd.DataFrame, levels=PROVISION_LEVELS, *, min_confidence: str | None = None) -> pd.DataFrame:
    """Coded units that carry content (not titles, headings or footnotes), with one 0/1
    column per theme expanded from ``themes`` (NA where the unit's content is unknown),
    a ``known`` flag and a ``cluster`` id (the parent part or section, else the unit).

    ``min_confidence`` ("medium" or "high") marks units whose ``confidence`` is lower as
    not known, for a sensitivity check; units without a confidence mark are kept.
    """
    missing = {"plan_id", "unit_id", "level", "themes"} - set(coded.columns)
    if missing:
        raise CompareError(f"Expected a coded unit table (load_plan(..., source='coded')); missing "
                           f"column(s): {', '.join(sorted(missing))}.")
    units = coded[coded["level"].isin(levels)].reset_index(drop=True)
    known = units["themes"].notna().to_numpy(dtype=bool, copy=True)
    if min_confidence is not None:
        if min_confidence not in CONFIDENCE_RANK:
            raise CompareError(f"min_confidence={min_confidence!r}: expected one of {', '.join(CONFIDENCE_RANK)}.")
        if "confidence" in units:
            rank = units["confidence"].map(CONFIDENCE_RANK)
            known &= ~(rank < CONFIDENCE_RANK[min_confidence]).to_numpy(dtype=bool)
    indicators = _theme_matrix(units["themes"], THEME_IDS)
    for j, theme in enumerate(THEME_IDS):
        units[theme] = pd.arrays.IntegerArray(indicators[:, j].copy(), mask=~known)  # Int8, NA where not known
    units["known"] = known
    units["cluster"] = section_clusters(coded, units)
    return units


def _theme_matrix(themes: pd.Series, theme_ids) -> np.ndarray:
    """0/1 matrix (units x themes) from ';'-separated theme ids."""
    column = {t: j for j, t in enumerate(theme_ids)}
    matrix = np.zeros((len(themes), len(column)), dtype=np.int8)
    items = themes.fillna("").astype(str).str.split(";").explode()
    cols = items.map(column)
    hit = cols.notna().to_numpy()
    matrix[items.index.to_numpy()[hit], cols.to_numpy()[hit].astype(int)] = 1
    return matrix


def provisions_with(coded: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The provisions coded with ``theme``: plan, unit, heading, page and our summary."""
    if theme not in THEME_IDS:
        raise CompareError(f"Unknown theme {theme!r}; themes: {', '.join(THEME_IDS)}.")
    units = provisions(coded)
    chosen = units[units[theme].eq(1).fillna(False).to_numpy(dtype=bool)]
    return chosen[["plan_id", "unit_id", "part", "section", "page", "text", "instruments", "actors"]].rename(
        columns={"text": "summary"}).reset_index(drop=True)


def cooccurrence(coded: pd.DataFrame, plan_id: str | None = None) -> pd.DataFrame:
    """Theme by theme: number of provisions coded with both (diagonal: with the theme)."""
    units = provisions(coded)
    if plan_id is not None:
        units = units[units["plan_id"] == plan_id]
    values = units[list(THEME_IDS)].fillna(0).to_numpy(dtype=int)
    return pd.DataFrame(values.T @ values, index=list(THEME_IDS), columns=list(THEME_IDS))


def _groups(units: pd.DataFrame, by) -> list[tuple[dict, np.ndarray]]:
    """(labels, row positions) per group of ``by`` columns, in order of first appearance."""
    by = [by] if isinstance(by, str) else list(by)
    absent = [c for c in by if c not in units]
    if absent:
        raise CompareError(f"No column(s) {', '.join(absent)} to group by; columns: {', '.join(units.columns)}.")
    codes = units.groupby(by, sort=False, dropna=False).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    columns = {c: units[c].to_numpy() for c in by}
    return [({c: values[rows[0]] for c, values in columns.items()}, rows)
            for rows in (np.split(order, bounds) if len(order) else [])]


def known_groups(units: pd.DataFrame, by, known: np.ndarray):
    """Per group of ``by``: its labels, the positions of its ``known`` units, and its basis,
    source_basis, n_units (known) and n_missing."""
    basis = basis_values(units)
    for labels, idx in _groups(units, by):
        keep = idx[known[idx]]
        yield labels, keep, {"basis": basis_of(basis, idx), "source_basis": source_basis_of(basis, idx),
                             "n_units": len(keep), "n_missing": len(idx) - len(keep)}


def basis_values(units: pd.DataFrame) -> np.ndarray | None:
    return units["basis"].astype("string").fillna("").to_numpy(dtype=object) if "basis" in units else None


def basis_of(values: np.ndarray | None, rows: np.ndarray) -> str | None:
    """The basis of a group's units in a table of results: "gold" (coded by hand, whatever the
    source) or "tagger uncorrected" (several joined by ";"); a review makes it "tagger+review
    (n=...)", out-of-plan rates "tagger corrected (out-of-plan rates)" (see shares_table)."""
    if values is None:
        return None
    return ";".join(sorted({UNCORRECTED.get(v, GOLD) for v in set(values[rows]) - {""}})) or None


def source_basis_of(values: np.ndarray | None, rows: np.ndarray) -> str | None:
    """What a group's codes were read from, as the coded edition's ``basis`` says: "primary"
    (the official text), "secondary", "translation", "tagger" (several joined by ";")."""
    if values is None:
        return None
    return ";".join(sorted(set(values[rows]) - {""})) or None

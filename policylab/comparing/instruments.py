"""Instruments and actors: how often each plan uses each instrument (with a Wilson score
interval), and the bodies its provisions name first."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..resampling import wilson_interval
from ..themes import THEME_IDS
from .provisions import (
    CompareError,
    basis_of,
    basis_values,
    provisions,
    source_basis_of,
)


def _exploded(units: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    items = units[["plan_id", "unit_id", column]].assign(
        **{name: units[column].fillna("").str.split(";")}).explode(name)
    return items[items[name].str.strip() != ""]


def instrument_mix(coded: pd.DataFrame, *, theme: str | None = None) -> pd.DataFrame:
    """Provisions per plan and instrument, and their share of the plan's known provisions
    (with ``theme``: of the plan's provisions coded with that theme), with a 95% Wilson score
    interval (instruments are coded per provision and rarely cluster into a few sections, so
    the interval treats provisions as independent; with few provisions it is wide, never of
    zero width). Every instrument that any plan uses is listed for every plan, zeros included.
    Provisions whose instruments were not coded (NA: a plan coded by the tagger) are left out,
    so such a plan is not listed rather than shown as using no instrument.

    Columns: plan_id, instrument, n_units (provisions using it), n_base (the denominator),
    share, ci_low, ci_high, ci_method, basis (gold: coded by hand), source_basis (primary, secondary, ...).
    """
    units = provisions(coded)
    units = units[units["known"] & units["instruments"].notna()]
    if theme is not None:
        if theme not in THEME_IDS:
            raise CompareError(f"Unknown theme {theme!r}; themes: {', '.join(THEME_IDS)}.")
        units = units[units[theme].eq(1).to_numpy(dtype=bool)]
    items = _exploded(units, "instruments", "instrument")
    plans = list(dict.fromkeys(units["plan_id"]))
    grid = pd.MultiIndex.from_product([plans, sorted(set(items["instrument"]))], names=["plan_id", "instrument"])
    counts = items.groupby(["plan_id", "instrument"]).size().reindex(grid, fill_value=0).rename("n_units").reset_index()
    counts["n_base"] = counts["plan_id"].map(units.groupby("plan_id").size())
    counts["share"] = counts["n_units"] / counts["n_base"]
    counts["ci_low"], counts["ci_high"] = wilson_interval(counts["n_units"].to_numpy(), counts["n_base"].to_numpy())
    counts["ci_method"] = "Wilson score"
    values = basis_values(units)
    groups = units.groupby("plan_id", sort=False).indices.items()
    counts["basis"] = counts["plan_id"].map({plan: basis_of(values, rows) for plan, rows in groups})
    counts["source_basis"] = counts["plan_id"].map({plan: source_basis_of(values, rows) for plan, rows in groups})
    counts.attrs["denominator"] = f"provisions coded with {theme}" if theme else "provisions"
    return counts.sort_values(["plan_id", "n_units", "instrument"], ascending=[True, False, True], ignore_index=True)


def lead_actors(coded: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The bodies named first (leading) in provisions, counted per plan; with the themes they lead on."""
    units = provisions(coded)
    items = _exploded(units, "actors", "actor")
    first = items.groupby("unit_id", sort=False).head(1)
    themes = units.set_index("unit_id")["themes"]
    first = first.assign(themes=first["unit_id"].map(themes))
    rows = []
    for (plan_id, actor), group in first.groupby(["plan_id", "actor"], sort=False):
        theme_counts = Counter(t for ts in group["themes"].fillna("") for t in ts.split(";") if t)
        rows.append({"plan_id": plan_id, "actor": actor, "n_led": len(group),
                     "main_themes": ", ".join(t for t, _ in theme_counts.most_common(3))})
    table = pd.DataFrame(rows).sort_values(["plan_id", "n_led", "actor"], ascending=[True, False, True])
    return table.groupby("plan_id", sort=False).head(top).reset_index(drop=True)

"""A review sample an analyst codes by hand, so that shares of a tagger-coded plan can be
corrected for the tagger's errors (see :mod:`policylab.ppi`).

::

    sample = pl.review_sample(units, n=60, seed=0)   # random provisions, stratified by section
    pl.write_review(sample, "review.xlsx")           # a sheet to code blind (no tagger codes shown)
    review = pl.read_review("review.xlsx", units=units)   # checked; unit_id + one 0/1 column per theme
    compare.theme_shares(coded, review=review)        # prediction-powered shares

The sample is drawn with equal probability n/N for every provision: the plan's provisions,
shuffled within each section and laid out section by section, are taken at every (N/n)th
position from a random start. So each section gets its share of the sample (rounded up or
down at random) and no long section can fill it; every unit's sampling weight is N/n.

A row is coded once its ``orientation`` is filled (or, in a table without that column, once
any theme cell is); in a coded row an empty theme cell counts as 0. A review table built
by hand needs only ``unit_id`` and the theme columns (``weight`` is 1 where absent).
"""

from __future__ import annotations

import io
import warnings
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .datafiles import fixed_zip_times, write_atomic
from .errors import PolicyLabError
from .resampling import section_clusters
from .themes import ORIENTATIONS, THEME_IDS, load_codebook

PROVISION_LEVELS = ("preamble", "paragraph", "action", "point")  # as compare.PROVISION_LEVELS
SHEET, CODEBOOK_SHEET, ABOUT_SHEET = "review", "codebook", "about"
INSTRUCTIONS = ("Code each unit blind, from its text and the codebook sheet: type 1 in each theme the unit is "
                "about, and choose its orientation. Empty theme cells of a row with an orientation count as 0. "
                "Do not change unit_id or weight.")
FIXED_TIME = datetime(2000, 1, 1)  # the workbook's dates, for byte-identical sheets
MIN_REVIEWED = 20  # fewer coded units: estimates carry a warning that the interval is wide


class ReviewError(PolicyLabError, ValueError):
    """A review sample or sheet that cannot be used: unknown units, bad values, another codebook."""


class FewReviewedWarning(UserWarning):
    """A review with few coded units: the corrected estimates' intervals are wide."""


def review_sample(units: pd.DataFrame, n: int = 60, *, seed: int = 0) -> pd.DataFrame:
    """A random sample of ``n`` of one plan's provisions, stratified by section (see the module notes).

    Columns: plan_id, unit_id, section (the heading it sits under), text, weight (N/n).
    ``attrs``: plan_id, codebook_version, seed, n_population.
    """
    missing = {"plan_id", "unit_id", "level", "text"} - set(units.columns)
    if missing:
        raise ReviewError(f"review_sample needs a unit table (load_plan or code_plan); missing column(s): "
                          f"{', '.join(sorted(missing))}.")
    plans = units["plan_id"].dropna().unique()
    if len(plans) != 1:
        raise ReviewError(f"review_sample draws from one plan; the table holds {len(plans)} "
                          f"({', '.join(map(str, plans[:5]))}); select one with units[units.plan_id == ...].")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ReviewError(f"review_sample(n={n!r}): give a positive whole number of units to review.")
    population = units[units["level"].isin(PROVISION_LEVELS)].reset_index(drop=True)
    if "themes" in population:  # units whose content is unknown are not in any share
        population = population[population["themes"].notna()].reset_index(drop=True)
    if population.empty:
        raise ReviewError(f"plan {plans[0]}: no provisions (preamble, paragraph, action or point) to review.")
    chosen = sample_positions(section_clusters(units, population).to_numpy(), min(int(n), len(population)),
                         np.random.default_rng(seed))
    sample = population.iloc[chosen]
    heading = sample["section"].fillna(sample["part"]) if {"section", "part"} <= set(sample) else pd.Series("", index=sample.index)
    frame = pd.DataFrame({"plan_id": sample["plan_id"].astype(str), "unit_id": sample["unit_id"].astype(str),
                          "section": heading.fillna("").astype(str), "text": sample["text"].fillna("").astype(str),
                          "weight": len(population) / len(sample)}).reset_index(drop=True)
    frame.attrs = {"plan_id": str(plans[0]), "codebook_version": load_codebook().version, "seed": int(seed),
                   "n_population": len(population)}
    return frame


def sample_positions(strata: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Positions of n of the units: shuffled within strata, strata in order of first
    appearance, every (N/n)th from a random start; returned in document order."""
    order_of = {s: i for i, s in enumerate(dict.fromkeys(strata))}
    layout = np.lexsort((rng.random(len(strata)), [order_of[s] for s in strata]))
    step = len(strata) / n
    picks = np.floor(rng.uniform(0, step) + step * np.arange(n)).astype(int)
    return np.sort(layout[np.minimum(picks, len(strata) - 1)])


# --- writing --------------------------------------------------------------------------------


def write_review(sample: pd.DataFrame, path) -> Path:
    """Write the sheet an analyst codes: ``.xlsx`` (data validation, the codebook on a second
    sheet, the codebook version recorded) or ``.csv``. Written atomically; returns the path."""
    path = Path(path)
    missing = {"unit_id", "text"} - set(sample.columns)
    if missing:
        raise ReviewError(f"write_review needs review_sample's table; missing column(s) {', '.join(sorted(missing))}.")
    table = pd.DataFrame({"unit_id": sample["unit_id"], "section": sample.get("section", ""), "text": sample["text"],
                          **{theme: pd.NA for theme in THEME_IDS}, "orientation": pd.NA,
                          "weight": sample.get("weight", 1.0)})
    version = sample.attrs.get("codebook_version") or load_codebook().version
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            write_atomic(path, lambda p: table.assign(codebook_version=version).to_csv(
                p, index=False, lineterminator="\n", encoding="utf-8"))
        elif suffix == ".xlsx":
            data = _workbook(table, {**sample.attrs, "codebook_version": version})
            write_atomic(path, lambda p: p.write_bytes(data))
        else:
            raise ReviewError(f"write_review({path}): give a file name ending in .xlsx or .csv.")
    except OSError as exc:
        raise ReviewError(f"{path}: cannot be written ({exc.strerror or exc}); check the folder and free space.") from None
    return path


def _workbook(table: pd.DataFrame, about: dict) -> bytes:
    """The review workbook's bytes: the sheet to code, the codebook, and what the sample is."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation
    except ImportError:
        raise ReviewError("an .xlsx review sheet needs openpyxl: pip install 'policylab[export]' "
                          "(or write a .csv sheet).") from None
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append([None if pd.isna(value) else value for value in row])
    last, n_rows = len(table.columns), len(table) + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for j, name in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        head = sheet.cell(row=1, column=j)
        head.font = Font(bold=True)
        head.alignment = Alignment(text_rotation=90 if name in THEME_IDS else 0, vertical="bottom", wrap_text=True)
        sheet.column_dimensions[letter].width = {"unit_id": 26, "section": 24, "text": 70, "orientation": 13}.get(
            name, 4.5)
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
    sheet.column_dimensions[get_column_letter(last)].hidden = True  # the weight: not for the analyst
    sheet.freeze_panes = "D2"
    themes = DataValidation(type="list", formula1='"0,1"', allow_blank=True, showErrorMessage=True,
                            errorTitle="0 or 1", error="Type 1 if the unit is about this theme, 0 or nothing if not.")
    themes.add(f"D2:{get_column_letter(3 + len(THEME_IDS))}{n_rows}")
    orientation = DataValidation(type="list", formula1=f'"{",".join(ORIENTATIONS)}"', allow_blank=True,
                                 showErrorMessage=True, error=f"One of {', '.join(ORIENTATIONS)}.")
    orientation.add(f"{get_column_letter(last - 1)}2:{get_column_letter(last - 1)}{n_rows}")
    sheet.add_data_validation(themes)
    sheet.add_data_validation(orientation)

    codebook = load_codebook()
    guide = book.create_sheet(CODEBOOK_SHEET)
    guide.append(["theme", "label", "definition", "include", "exclude", "examples"])
    for theme in codebook.themes:
        guide.append([theme.id, theme.label, theme.definition, *("\n".join(items) for items in
                                                                (theme.include, theme.exclude, theme.examples))])
    for category, definition in codebook.orientation.items():
        guide.append([f"orientation: {category}", category, definition, "", "", ""])
    for j, width in enumerate((26, 22, 60, 60, 60, 50), start=1):
        guide.column_dimensions[get_column_letter(j)].width = width
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = wrap
            cell.font = Font(bold=cell.row == 1)
    guide.freeze_panes = "B2"

    info = book.create_sheet(ABOUT_SHEET)
    info.append(["key", "value"])
    for key in ("plan_id", "codebook_version", "seed", "n_population"):
        if about.get(key) is not None:
            info.append([key, str(about[key])])
    info.append(["n_sample", str(len(table))])
    info.append(["instructions", INSTRUCTIONS])
    info.column_dimensions["B"].width = 90
    book.properties.creator = "policylab"
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip_times(buffer.getvalue(), FIXED_TIME)


# --- reading --------------------------------------------------------------------------------


def read_review(path, *, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read a coded review sheet (``.xlsx`` from :func:`write_review`, or ``.csv``) and check it.

    With ``units`` (the plan's unit table), every unit id must be one of its provisions.
    Unknown ids, a unit of another plan, values other than 0, 1 or empty, repeated rows,
    themes without an orientation, or a sheet written for another codebook version raise
    :class:`ReviewError` naming the row and column. Rows not yet coded are left out, with a
    warning naming them (``attrs["not_coded"]``).

    Result: unit_id, one 0/1 column per theme, orientation (when coded), weight.
    """
    path = Path(path)
    if not path.is_file():
        raise ReviewError(f"review sheet {path} not found; write one with write_review(review_sample(units), ...).")
    about: dict = {}
    if path.suffix.lower() == ".xlsx":
        try:
            sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
        except ImportError:
            raise ReviewError("reading an .xlsx review sheet needs openpyxl: pip install 'policylab[export]'.") from None
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook
            raise ReviewError(f"{path}: not a readable workbook ({exc}); save it again as .xlsx or .csv.") from None
        if SHEET not in sheets:
            raise ReviewError(f"{path}: no sheet named {SHEET!r}; the review must be on the sheet write_review made.")
        table = sheets[SHEET]
        if ABOUT_SHEET in sheets and {"key", "value"} <= set(sheets[ABOUT_SHEET].columns):
            about = dict(zip(sheets[ABOUT_SHEET]["key"], sheets[ABOUT_SHEET]["value"]))
    elif path.suffix.lower() == ".csv":
        try:
            table = pd.read_csv(path, dtype=object, keep_default_na=False, na_values=[""])
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise ReviewError(f"{path}: not a readable CSV file ({exc}).") from None
        if "codebook_version" in table:
            versions = table["codebook_version"].dropna().unique()
            about["codebook_version"] = str(versions[0]) if len(versions) else None
    else:
        raise ReviewError(f"read_review({path}): give an .xlsx or .csv file.")
    return check_review(table, where=str(path), codebook_version=about.get("codebook_version"),
                        plan_id=about.get("plan_id"), units=units)


def check_review(table: pd.DataFrame, *, where: str = "review", codebook_version=None, plan_id=None,
                 units: pd.DataFrame | None = None, one_plan: bool = True) -> pd.DataFrame:
    """Check a review table (as :func:`read_review` does) and return its coded rows.

    Rows are numbered as in a spreadsheet: the header is row 1. ``one_plan=False`` accepts
    the reviews of several plans in one table (as ``compare`` does).
    """
    current = load_codebook().version
    if codebook_version is not None and str(codebook_version) != current:
        raise ReviewError(f"{where}: written for codebook version {codebook_version}, but policylab uses "
                          f"{current}; draw and code a new sample with this codebook (pl.review_sample).")
    missing = [c for c in ("unit_id", *THEME_IDS) if c not in table]
    if missing:
        raise ReviewError(f"{where}: missing column(s) {', '.join(missing)}; a review needs unit_id and one "
                          f"0/1 column per theme ({', '.join(THEME_IDS)}).")
    rows = pd.RangeIndex(2, len(table) + 2)  # spreadsheet row numbers
    ids = table["unit_id"].astype("string").str.strip().replace("", pd.NA).set_axis(rows)
    if ids.isna().any():
        raise ReviewError(f"{where}, row {ids.isna().idxmax()}, column unit_id: empty; fill in the unit's id or "
                          "delete the row.")
    plans = ids.str.split("/").str[0]
    if one_plan:
        plan_id = plan_id if plan_id is not None else (plans.mode().iloc[0] if len(plans) else None)
        other = plans != plan_id
        if other.any():
            row = other.idxmax()
            raise ReviewError(f"{where}, row {row}, column unit_id: {ids[row]} is a unit of plan {plans[row]}, not "
                              f"of {plan_id}; a review covers one plan: remove the row.")
    if units is not None:
        provisions = units[units["level"].isin(PROVISION_LEVELS)] if "level" in units else units
        unknown = ~ids.isin(set(provisions["unit_id"].astype(str)))
        if unknown.any():
            row = unknown.idxmax()
            raise ReviewError(f"{where}, row {row}, column unit_id: {ids[row]} is not a provision of plan "
                              f"{plans[row]}; check the id (or the plan's units you passed).")
    repeated = ids[ids.duplicated()]
    if len(repeated):
        first = ids[ids == repeated.iloc[0]].index
        raise ReviewError(f"{where}, rows {first[0]} and {first[1]}, column unit_id: {repeated.iloc[0]} appears twice; "
                          "keep one row per unit.")
    codes = {theme: _zero_one(table[theme].set_axis(rows), where, theme) for theme in THEME_IDS}
    codes = pd.DataFrame(codes, index=rows)
    orientation = None
    if "orientation" in table:
        orientation = table["orientation"].astype("string").str.strip().str.lower().replace("", pd.NA).set_axis(rows)
        bad = orientation.notna() & ~orientation.isin(ORIENTATIONS)
        if bad.any():
            row = bad.idxmax()
            raise ReviewError(f"{where}, row {row}, column orientation: {table['orientation'].iloc[row - 2]!r} is not "
                              f"one of {', '.join(ORIENTATIONS)}.")
        coded = orientation.notna()
        half = ~coded & codes.notna().any(axis=1)
        if half.any():
            raise ReviewError(f"{where}, row {half.idxmax()}, column orientation: themes are coded but the "
                              f"orientation is empty; choose one of {', '.join(ORIENTATIONS)}.")
    else:
        coded = codes.notna().any(axis=1)
    weight = _weights(table, rows, where)
    not_coded = ids[~coded].tolist()
    if not_coded:
        warnings.warn(f"{where}: {len(not_coded)} of {len(ids)} rows are not yet coded (first: rows "
                      f"{', '.join(map(str, ids[~coded].index[:5]))}); they are left out.", stacklevel=3)
    result = pd.concat([pd.DataFrame({"unit_id": ids.astype(str)}), codes.fillna(0).astype("int8")], axis=1)
    if orientation is not None:
        result["orientation"] = orientation.astype("string")
    result["weight"] = weight
    result = result[coded.to_numpy()].reset_index(drop=True)
    result.attrs = {"plan_id": plan_id, "codebook_version": current, "not_coded": not_coded, "source": where}
    return result


def _zero_one(column: pd.Series, where: str, name: str) -> pd.Series:
    """0/1 floats (NaN where empty); anything else raises, naming the first bad row."""
    text = column.astype("string").str.strip().replace("", pd.NA)
    number = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & ~number.isin((0, 1))
    if bad.any():
        row = bad.idxmax()
        raise ReviewError(f"{where}, row {row}, column {name}: {text[row]!r} is not 0, 1 or empty; type 1 if the "
                          "unit is about the theme, 0 or nothing if not.")
    return number.astype(float)


def _weights(table: pd.DataFrame, rows: pd.Index, where: str) -> np.ndarray:
    if "weight" not in table:
        return np.ones(len(table))
    weight = pd.to_numeric(table["weight"].set_axis(rows), errors="coerce")
    bad = table["weight"].set_axis(rows).notna() & ~(weight > 0)
    if bad.any():
        raise ReviewError(f"{where}, row {bad.idxmax()}, column weight: {table['weight'].iloc[bad.idxmax() - 2]!r} "
                          "is not a positive number; restore the weight write_review wrote (or leave it empty for 1).")
    return weight.fillna(1.0).to_numpy(dtype=float)


def warn_if_few(n: int, plan_id: str) -> None:
    """Warn when a plan's review has fewer than MIN_REVIEWED coded units."""
    if n < MIN_REVIEWED:
        warnings.warn(f"plan {plan_id}: the review has {n} coded units (fewer than {MIN_REVIEWED}); "
                      "the corrected estimates stand, but their intervals are wide: code more of the sample.",
                      FewReviewedWarning, stacklevel=4)

"""The unit table: one row per unit of text, the same columns for every document.

A *unit* is a title, preamble paragraph, part, section, subsection, narrative paragraph,
recommended action, numbered point or footnote. Unit ids are derived from position
(``us-aap-2025/p2/s05/a03``), so two language editions of one plan share them; ``label``
is the number the document prints for the unit ("23", "1.2", "一", "（三）"), if any, so
that a unit can be cited as the document numbers it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import SchemaError

LEVELS = ("title", "preamble", "part", "section", "subsection", "paragraph", "action", "point", "footnote")
LEVEL_DTYPE = pd.CategoricalDtype(list(LEVELS), ordered=False)
_LEVEL_CODES = {level: code for code, level in enumerate(LEVELS)}
#: The string dtype of policylab's tables: pandas' "string" with Python storage, fixed, because
#: pandas 3 would otherwise switch it to pyarrow storage whenever pyarrow is installed (whose
#: string methods and missing values behave differently, e.g. ``map`` then keeps NA).
STRING = pd.StringDtype("python")

COLUMNS = {
    "plan_id": STRING,
    "unit_id": STRING,
    "parent_id": STRING,
    "order": "Int64",
    "level": LEVEL_DTYPE,
    "label": STRING,
    "part": STRING,
    "section": STRING,
    "text": STRING,
    "page": "Int64",
    "language": STRING,
}


@dataclass
class Unit:
    """One unit as a reader finds it, before it becomes a row."""

    unit_id: str
    level: str
    text: str
    parent_id: str | None = None
    part: str | None = None
    section: str | None = None
    page: int | None = None
    label: str | None = None


def to_frame(units: list[Unit], *, plan_id: str, language: str) -> pd.DataFrame:
    """Build the typed unit table from units listed in reading order."""
    n = len(units)
    values = {
        "plan_id": [plan_id] * n,
        "unit_id": [u.unit_id for u in units],
        "parent_id": [u.parent_id for u in units],
        "order": list(range(n)),
        "level": [u.level for u in units],
        "label": [u.label for u in units],
        "part": [u.part for u in units],
        "section": [u.section for u in units],
        "text": [u.text for u in units],
        "page": [u.page for u in units],
        "language": [language] * n,
    }
    columns = {name: pd.array(values[name], dtype=dtype) for name, dtype in COLUMNS.items() if name != "level"}
    # from codes: a fifth of the time of inferring the categories from the strings (an unknown level is NA)
    columns["level"] = pd.Categorical.from_codes([_LEVEL_CODES.get(level, -1) for level in values["level"]],
                                                 dtype=LEVEL_DTYPE)
    # copy=False: the arrays were made here and belong to no one else
    return pd.DataFrame({name: columns[name] for name in COLUMNS}, copy=False)


def empty_frame() -> pd.DataFrame:
    """A unit table with no rows and the right dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in COLUMNS.items()})


def validate_units(df: pd.DataFrame, *, name: str | None = None) -> pd.DataFrame:
    """Check schema and invariants of a unit table; return it unchanged or raise SchemaError.

    ``name`` names the table in the error (default: its ``source_path`` or ``plan_id`` attr).

    Checks: the columns and dtypes of :data:`COLUMNS`; unique, non-empty unit ids; every
    parent exists; ``order`` is 0..n-1 within each plan; levels are known; text is not
    empty.
    """
    name = name or df.attrs.get("source_path") or df.attrs.get("plan_id") or "unit table"
    problems = []
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise SchemaError(f"{name}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}.")
    dtypes = df.dtypes  # one call: reading each column would copy the table's attrs eleven times
    for column, dtype in COLUMNS.items():
        actual = dtypes[column]
        if column == "level":
            if not isinstance(actual, pd.CategoricalDtype) or set(actual.categories) - set(LEVELS):
                problems.append(f"column 'level' must be categorical over {LEVELS}, found {actual}")
        elif str(actual) != dtype:
            problems.append(f"column {column!r} must have dtype {dtype}, found {actual}")
    if problems:
        raise SchemaError(f"{name}: " + "; ".join(problems) + ".")

    # Plain lists: on tables of a few hundred rows, pandas' per-call overhead is most of the cost.
    # With the dtypes checked, a missing value in them is pd.NA (compared by identity: no call per value).
    ids = df["unit_id"].tolist()
    if any(i is pd.NA or i == "" for i in ids):
        problems.append("some unit_id values are empty")
    seen: set[str] = set()
    duplicated: list[str] = []
    for unit_id in ids:
        if unit_id is not pd.NA:
            if unit_id in seen and unit_id not in duplicated:
                duplicated.append(unit_id)
            seen.add(unit_id)
    if duplicated:
        problems.append(f"duplicate unit_id(s): {', '.join(duplicated[:5])}")
    if (df["level"].array.codes == -1).any():  # a categorical's missing values have code -1
        problems.append("some rows have no level")
    orphans = sorted({p for p in df["parent_id"].tolist() if p is not pd.NA} - seen)
    if orphans:
        problems.append(f"parent_id(s) not found among unit ids: {', '.join(orphans[:5])}")
    orders: dict[str, list] = {}
    for plan_id, order in zip(df["plan_id"].tolist(), df["order"].tolist()):
        if plan_id is not pd.NA:
            orders.setdefault(plan_id, []).append(order)
    for plan_id, order in orders.items():
        if any(o is pd.NA for o in order) or sorted(order) != list(range(len(order))):
            problems.append(f"order of plan {plan_id} is not 0..{len(order) - 1} without gaps")
    empty_text = [u for u, text in zip(ids, df["text"].tolist()) if text is pd.NA or text.strip() == ""]
    if empty_text:
        problems.append(f"unit(s) with empty text: {', '.join(map(str, empty_text[:5]))}")
    if problems:
        raise SchemaError(f"{name}: " + "; ".join(problems) + ".")
    return df

"""The unit table: one row per unit of text, the same columns for every document.

A *unit* is a title, preamble paragraph, part, section, subsection, narrative paragraph,
recommended action, numbered point or footnote. Unit ids are derived from position
(``us-aap-2025/p2/s05/a03``), so two language editions of one plan share them; ``label``
is the number the document prints for the unit ("23", "1.2", "一", "（三）"), if any, so
that a unit can be cited as the document numbers it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import SchemaError

LEVELS = ("title", "preamble", "part", "section", "subsection", "paragraph", "action", "point", "footnote")
LEVEL_DTYPE = pd.CategoricalDtype(list(LEVELS), ordered=False)
_LEVEL_CODES = {level: code for code, level in enumerate(LEVELS)}
#: The string dtype of policylab's tables: pandas' "string" with Python storage, fixed, because
#: pandas 3 would otherwise switch it to pyarrow storage whenever pyarrow is installed (whose
#: string methods and missing values behave differently, e.g. ``map`` then keeps NA).
STRING = pd.StringDtype("python")

_STRING_ARRAY = STRING.construct_array_type()

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


def unit_columns(units: list[Unit], *, plan_id: str, language: str) -> dict[str, list]:
    """The columns of the unit table of ``units`` (listed in reading order) as plain lists, None where
    missing: what :func:`check_columns` and :func:`policylab.readquality.describe_columns` read
    without pandas' per-call overhead, and :func:`columns_frame` types."""
    n = len(units)
    return {
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


def _int_array(values: list) -> pd.api.extensions.ExtensionArray:
    """``pd.array(values, dtype="Int64")``, without its checks of every value when all are ints or all missing."""
    data = np.array(values)
    if data.dtype == np.int64:
        return pd.arrays.IntegerArray(data, np.zeros(len(values), dtype=bool))
    if values.count(None) == len(values):  # 1 under the mask, as pandas fills it
        return pd.arrays.IntegerArray(np.ones(len(values), dtype=np.int64), np.ones(len(values), dtype=bool))
    return pd.array(values, dtype="Int64")


def columns_frame(values: dict[str, list]) -> pd.DataFrame:
    """The typed unit table of columns from :func:`unit_columns`."""
    # the array types' own constructors: pd.array's dispatch costs more than building the arrays
    columns = {name: _STRING_ARRAY._from_sequence(values[name], dtype=STRING) for name, dtype in COLUMNS.items()
               if dtype is STRING}
    columns["order"], columns["page"] = _int_array(values["order"]), _int_array(values["page"])
    # from codes: a fifth of the time of inferring the categories from the strings (an unknown level is NA)
    columns["level"] = pd.Categorical.from_codes([_LEVEL_CODES.get(level, -1) for level in values["level"]],
                                                 dtype=LEVEL_DTYPE)
    # copy=False: the arrays were made here and belong to no one else
    return pd.DataFrame({name: columns[name] for name in COLUMNS}, copy=False)


def to_frame(units: list[Unit], *, plan_id: str, language: str) -> pd.DataFrame:
    """Build the typed unit table from units listed in reading order."""
    return columns_frame(unit_columns(units, plan_id=plan_id, language=language))


def level_list(frame: pd.DataFrame) -> list:
    """The level column as a plain list (NaN where missing); a categorical one read from its codes
    (``tolist`` of a categorical takes its values through a pyarrow call, most of the cost on small tables)."""
    column = frame["level"].array
    if not isinstance(column, pd.Categorical):
        return column.tolist()
    categories = column.categories.tolist()
    return [categories[code] if code >= 0 else np.nan for code in column.codes.tolist()]


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
    columns = {column: df[column].tolist() for column in ("plan_id", "unit_id", "parent_id", "order", "text")}
    check_columns(columns | {"level": level_list(df)}, name=name)
    return df


def check_columns(columns: dict[str, list], *, name: str) -> None:
    """The invariants :func:`validate_units` checks beyond the dtypes, on the columns as plain lists
    (missing values None or pd.NA, levels by name): raise SchemaError naming ``name``."""
    na = pd.NA  # missing values are compared by identity, inline: no call per value
    problems = []
    ids = columns["unit_id"]
    if any(i is None or i is na or i == "" for i in ids):
        problems.append("some unit_id values are empty")
    present = [i for i in ids if i is not None and i is not na]
    seen: set[str] = set(present)
    if len(seen) < len(present):  # duplicates: name them in the order they come
        duplicated: list[str] = []
        counted: set[str] = set()
        for unit_id in present:
            if unit_id in counted and unit_id not in duplicated:
                duplicated.append(unit_id)
            counted.add(unit_id)
        problems.append(f"duplicate unit_id(s): {', '.join(duplicated[:5])}")
    if not set(columns["level"]).issubset(_LEVEL_CODES):
        problems.append("some rows have no level")
    orphans = sorted({p for p in columns["parent_id"] if p is not None and p is not na} - seen)
    if orphans:
        problems.append(f"parent_id(s) not found among unit ids: {', '.join(orphans[:5])}")
    orders: dict[str, list] = {}
    for plan_id, order in zip(columns["plan_id"], columns["order"]):
        if plan_id is not None and plan_id is not na:
            orders.setdefault(plan_id, []).append(order)
    for plan_id, order in orders.items():
        if any(o is None or o is na for o in order) or sorted(order) != list(range(len(order))):
            problems.append(f"order of plan {plan_id} is not 0..{len(order) - 1} without gaps")
    empty_text = [u for u, text in zip(ids, columns["text"]) if text is None or text is na or text.strip() == ""]
    if empty_text:
        problems.append(f"unit(s) with empty text: {', '.join(map(str, empty_text[:5]))}")
    if problems:
        raise SchemaError(f"{name}: " + "; ".join(problems) + ".")

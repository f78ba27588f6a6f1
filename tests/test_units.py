"""The unit-table schema and its invariants."""

import pandas as pd
import pytest

from policylab.errors import SchemaError
from policylab.units import COLUMNS, Unit, to_frame, validate_units


def _frame():
    units = [Unit("x/title", "title", "A title"), Unit("x/p1", "part", "Part", "x/title", "Part"),
             Unit("x/p1/s01", "section", "Sec", "x/p1", "Part", "Sec", 3),
             Unit("x/p1/s01/a01", "action", "Do a thing.", "x/p1/s01", "Part", "Sec", 3)]
    return to_frame(units, plan_id="x", language="en")


def test_frame_has_the_declared_dtypes():
    frame = validate_units(_frame())
    assert list(frame.columns) == list(COLUMNS)
    assert str(frame["page"].dtype) == "Int64" and isinstance(frame["level"].dtype, pd.CategoricalDtype)
    assert frame["order"].tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("breakage, message", [
    (lambda f: f.assign(unit_id=f.unit_id.where(f.index != 3, "x/p1")), "duplicate unit_id"),
    (lambda f: f.assign(parent_id=f.parent_id.where(f.index != 3, "x/missing")), "x/missing"),
    (lambda f: f.assign(order=f.order.where(f.index != 3, 7)), "order"),
    (lambda f: f.assign(text=f.text.where(f.index != 2, " ")), "empty text"),
    (lambda f: f.assign(text=f.text.where(f.index != 3, " "), unit_id=f.unit_id.where(f.index != 3, pd.NA)),
     "unit_id values are empty.*empty text: <NA>"),
    (lambda f: f.astype({"page": "float64"}), "page"),
    (lambda f: f.drop(columns="language"), "missing column"),
])
def test_broken_tables_are_rejected_with_the_reason(breakage, message):
    with pytest.raises(SchemaError, match=message):
        validate_units(breakage(_frame()))

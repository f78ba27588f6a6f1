"""policylab's tables keep their dtypes whether pyarrow is installed or not.

With pyarrow installed (it is, for Parquet exports), pandas 3 gives the "string" dtype
pyarrow storage, whose methods behave differently (``map`` keeps NA, comparisons give
NA): policylab pins Python storage for its own tables.
"""

import pandas as pd
import pytest

import policylab as pl
from policylab import compare

FILLER = """# Invented Plan for Testing

An invented preamble sentence about nothing in particular, for a reader test.

## First part

- An invented action about building things in many places.
- Another invented action about training people for new work.

## Second part

- A third invented action about testing systems before use.
"""


def _string_storages(frame: pd.DataFrame) -> set[str]:
    return {dtype.storage for dtype in frame.dtypes if isinstance(dtype, pd.StringDtype)}


def test_string_columns_keep_python_storage_with_pyarrow_installed(tmp_path):
    pytest.importorskip("pyarrow")
    assert pd.StringDtype().storage == "pyarrow"  # what pandas picks by default here
    path = tmp_path / "plan.md"
    path.write_text(FILLER, encoding="utf-8")
    coded = pl.load_plan("us-aap-2025", source="coded")
    frames = {"read_document": pl.read_document(path), "coded edition": coded, "list_plans": pl.list_plans(),
              "tag_themes": pl.tag_themes(coded.head(20)), "code_plan": pl.code_plan(pl.read_document(path)),
              "list_fetched": pl.list_fetched(tmp_path / "home")}
    assert {name: _string_storages(frame) for name, frame in frames.items()} == {name: {"python"} for name in frames}


def test_confidence_filter_works_with_pyarrow_installed():
    coded = pl.load_plan("cn-gaigap-2025", source="coded")
    known = compare.provisions(coded, min_confidence="medium")
    assert 0 < len(known) <= len(compare.provisions(coded))

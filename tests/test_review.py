"""The review workflow: a stratified sample, a sheet an analyst codes blind, and reading it
back with every bad cell named by row and column."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import policylab as pl
from policylab import review as rv
from policylab.cli import main
from policylab.resampling import section_clusters
from policylab.themes import ORIENTATIONS, THEME_IDS, load_codebook

openpyxl = pytest.importorskip("openpyxl")
PLAN = "gb-aiop-2025"


@pytest.fixture(scope="module")
def gold():
    return pl.load_plan(PLAN, source="coded")


@pytest.fixture(scope="module")
def tagged(gold):
    units = gold.drop(columns=["actors", "instruments", "themes", "orientation", "basis", "confidence"])
    return pl.code_plan(units)


def _fill(path, gold, rows=None):
    """Code the sheet from the gold codes, as an analyst would (only ``rows``, if given)."""
    book = openpyxl.load_workbook(path)
    sheet = book[rv.SHEET]
    header = [cell.value for cell in sheet[1]]
    codes = gold.set_index("unit_id")
    for row in sheet.iter_rows(min_row=2):
        if rows is not None and row[0].row not in rows:
            continue
        themes = set((codes.loc[row[0].value, "themes"] or "").split(";"))
        for cell, name in zip(row, header):
            if name in THEME_IDS and name in themes:
                cell.value = 1
            elif name == "orientation":
                cell.value = codes.loc[row[0].value, "orientation"]
    book.save(path)
    return book


def test_the_sample_is_stratified_by_section_with_equal_weights_and_is_reproducible(tagged):
    sample = pl.review_sample(tagged, n=60, seed=3)
    provisions = tagged[tagged["level"].isin(rv.PROVISION_LEVELS)]
    assert len(sample) == 60 and sample["unit_id"].is_unique and sample["unit_id"].isin(provisions["unit_id"]).all()
    assert np.allclose(sample["weight"], len(provisions) / 60) and sample.attrs["n_population"] == len(provisions)
    # every section gets its proportional share, rounded down or up: no section fills the sample
    strata = pd.Series(section_clusters(tagged, provisions.reset_index(drop=True)).to_numpy(), index=provisions["unit_id"])
    expected = strata.value_counts() * 60 / len(provisions)
    got = strata[sample["unit_id"]].value_counts().reindex(expected.index, fill_value=0)
    assert ((got >= np.floor(expected)) & (got <= np.ceil(expected))).all()
    pd.testing.assert_frame_equal(sample, pl.review_sample(tagged, n=60, seed=3))
    assert set(sample["unit_id"]) != set(pl.review_sample(tagged, n=60, seed=4)["unit_id"])
    assert len(pl.review_sample(tagged, n=10_000)) == len(provisions)
    with pytest.raises(rv.ReviewError, match="one plan"):
        pl.review_sample(pd.concat([tagged, tagged.assign(plan_id="other")]))


def test_the_sheet_is_coded_blind_with_validation_and_the_codebook_beside_it(tmp_path, tagged):
    path = pl.write_review(pl.review_sample(tagged, n=20), tmp_path / "review.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[rv.SHEET]
    header = [cell.value for cell in sheet[1]]
    assert header == ["unit_id", "section", "text", *THEME_IDS, "orientation", "weight"]  # no tagger codes
    assert all(sheet.cell(row=r, column=c).value is None for r in range(2, 22) for c in range(4, 4 + len(THEME_IDS) + 1))
    assert sheet.freeze_panes == "D2" and sheet["C2"].alignment.wrap_text
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert formulas == {'"0,1"', f'"{",".join(ORIENTATIONS)}"'}
    guide = pd.read_excel(path, sheet_name=rv.CODEBOOK_SHEET)
    codebook = load_codebook()
    assert guide["theme"].head(len(THEME_IDS)).tolist() == list(THEME_IDS)
    assert guide["definition"].iloc[0] == codebook.themes[0].definition
    assert guide["include"].iloc[0].split("\n") == list(codebook.themes[0].include)
    about = pd.read_excel(path, sheet_name=rv.ABOUT_SHEET).set_index("key")["value"]
    assert str(about["codebook_version"]) == codebook.version and about["plan_id"] == PLAN
    assert path.read_bytes() == pl.write_review(pl.review_sample(tagged, n=20), tmp_path / "again.xlsx").read_bytes()


def test_a_coded_sheet_reads_back_as_the_codes_typed_in_xlsx_and_csv(tmp_path, tagged, gold):
    sample = pl.review_sample(tagged, n=30, seed=1)
    path = pl.write_review(sample, tmp_path / "review.xlsx")
    _fill(path, gold)
    review = pl.read_review(path, units=tagged)
    codes = gold.set_index("unit_id").loc[review["unit_id"]]
    for theme in THEME_IDS:
        assert review[theme].tolist() == [int(theme in (t or "").split(";")) for t in codes["themes"]], theme
    assert review["orientation"].tolist() == codes["orientation"].tolist()
    assert np.allclose(review["weight"], sample["weight"]) and review.attrs["not_coded"] == []
    csv = tmp_path / "review.csv"
    pd.read_excel(path, sheet_name=rv.SHEET).assign(codebook_version=load_codebook().version).to_csv(csv, index=False)
    pd.testing.assert_frame_equal(pl.read_review(csv, units=tagged), review, check_dtype=False)
    # a table built by hand: unit_id and the themes, nothing else (weight 1)
    hand = review[["unit_id", *THEME_IDS]]
    hand.to_csv(tmp_path / "hand.csv", index=False)
    assert (pl.read_review(tmp_path / "hand.csv")["weight"] == 1).all()


def test_rows_not_yet_coded_are_named_and_left_out(tmp_path, tagged, gold):
    path = pl.write_review(pl.review_sample(tagged, n=30), tmp_path / "review.xlsx")
    _fill(path, gold, rows=set(range(2, 12)))
    with pytest.warns(UserWarning, match=r"20 of 30 rows are not yet coded \(first: rows 12, 13"):
        review = pl.read_review(path)
    assert len(review) == 10 and len(review.attrs["not_coded"]) == 20


@pytest.mark.parametrize("edit, message", [
    (lambda s: s.cell(row=4, column=1, value="gb-aiop-2025/p9/zz"), r"row 4, column unit_id: .*not a provision"),
    (lambda s: s.cell(row=5, column=1, value="us-aap-2025/pre05"), r"row 5, column unit_id: .*plan us-aap-2025"),
    (lambda s: s.cell(row=6, column=5, value=2), r"row 6, column global_south_access: '2' is not 0, 1 or empty"),
    (lambda s: s.cell(row=7, column=4, value="yes"), r"row 7, column open_source: 'yes'"),
    (lambda s: s.cell(row=8, column=1, value=s.cell(row=3, column=1).value), r"rows 3 and 8, column unit_id: .* twice"),
    (lambda s: s.cell(row=9, column=4 + len(THEME_IDS), value="pro"), r"row 9, column orientation: 'pro'"),
    (lambda s: setattr(s.cell(row=2, column=4 + len(THEME_IDS)), "value", None),
     r"row 2, column orientation: themes are coded"),
])
def test_bad_cells_are_refused_naming_row_and_column(tmp_path, tagged, gold, edit, message):
    path = pl.write_review(pl.review_sample(tagged, n=30), tmp_path / "review.xlsx")
    book = _fill(path, gold)
    sheet = book[rv.SHEET]
    sheet.cell(row=2, column=4, value=1)  # row 2 carries a theme, so blanking its orientation is half-coded
    edit(sheet)
    book.save(path)
    with pytest.raises(rv.ReviewError, match=message), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pl.read_review(path, units=tagged)


def test_a_sheet_for_another_codebook_version_is_refused(tmp_path, tagged):
    path = pl.write_review(pl.review_sample(tagged, n=20), tmp_path / "review.xlsx")
    book = openpyxl.load_workbook(path)
    about = book[rv.ABOUT_SHEET]
    for row in about.iter_rows():
        if row[0].value == "codebook_version":
            row[1].value = "0.9"
    book.save(path)
    with pytest.raises(rv.ReviewError, match="codebook version 0.9"):
        pl.read_review(path)
    with pytest.raises(rv.ReviewError, match="missing column"):
        pd.DataFrame({"unit_id": ["gb-aiop-2025/pre02"], "data": [1]}).to_csv(tmp_path / "x.csv", index=False)
        pl.read_review(tmp_path / "x.csv")


def test_a_failed_write_leaves_the_old_sheet_whole(tmp_path, tagged, monkeypatch):
    path = tmp_path / "review.xlsx"
    path.write_bytes(b"the analyst's coded sheet")
    real = Path.write_bytes

    def half_then_full_disk(self, data):
        real(self, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", half_then_full_disk)
    with pytest.raises(rv.ReviewError, match="cannot be written"):
        pl.write_review(pl.review_sample(tagged, n=20), path)
    monkeypatch.undo()
    assert path.read_bytes() == b"the analyst's coded sheet" and [p.name for p in tmp_path.iterdir()] == ["review.xlsx"]


def test_the_review_command_writes_the_sheet(tmp_path, capsys):
    out = tmp_path / "review.xlsx"
    assert main(["review", PLAN, "--source", "coded", "--n", "25", "--out", str(out)]) == 0
    assert "25 of 147 provisions" in capsys.readouterr().out
    assert len(pd.read_excel(out, sheet_name=rv.SHEET)) == 25
    assert main(["review", PLAN, "--source", "coded", "--out", str(tmp_path / "r.txt")]) == 1

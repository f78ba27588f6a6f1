"""policylab export: tables other tools can open, with the provenance kept; same table, same bytes."""

import json
import os
import stat
import warnings
from importlib import import_module

import pandas as pd
import pytest

import policylab as pl
from policylab import load_plan
from policylab.cli import main
from policylab.errors import ExportError
from policylab.export import export_frame


@pytest.fixture(scope="module")
def coded():
    return load_plan("us-aap-2025", source="coded")


def _same_values(read: pd.DataFrame, frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(read.astype(str), frame.astype(str).reset_index(drop=True), check_dtype=False)


def test_csv_with_provenance_sidecar(tmp_path, coded, capsys):
    assert main(["export", "us-aap-2025", "--source", "coded", "--format", "csv", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["us-aap-2025-coded.csv", "us-aap-2025-coded.provenance.json"]
    _same_values(pd.read_csv(tmp_path / written[0], dtype=str, keep_default_na=False),
                 coded.astype(object).where(coded.notna(), ""))
    assert json.loads((tmp_path / written[1]).read_text())["plan_id"] == "us-aap-2025"
    assert "us-aap-2025-coded.csv" in capsys.readouterr().out


def test_parquet_keeps_attrs_and_dtypes_without_a_warning(tmp_path, coded):
    pytest.importorskip("pyarrow")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        [path] = export_frame(coded, tmp_path, "plan", "parquet")
        read = pd.read_parquet(path)
    assert read.attrs == json.loads(json.dumps(coded.attrs))
    assert read.dtypes.astype(str).to_dict() == coded.dtypes.astype(str).to_dict()  # string, Int64, category
    assert list(read["level"].cat.categories) == list(coded["level"].cat.categories)
    pd.testing.assert_frame_equal(read, coded.reset_index(drop=True), check_dtype=False)


def test_xlsx_keeps_provenance_in_properties_and_a_sheet(tmp_path, coded):
    openpyxl = pytest.importorskip("openpyxl")
    [path] = export_frame(coded, tmp_path, "plan", "xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["units", "provenance"]
    assert book.properties.creator == "policylab"
    assert json.loads(book.properties.description)["plan_id"] == "us-aap-2025"
    provenance = dict(book["provenance"].iter_rows(min_row=2, values_only=True))
    assert provenance["plan_id"] == "us-aap-2025"
    units = pd.read_excel(path, sheet_name="units", dtype=str, keep_default_na=False)
    _same_values(units, coded.astype(object).where(coded.notna(), ""))


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_same_table_same_bytes(tmp_path, coded, fmt):
    pytest.importorskip({"csv": "pandas", "parquet": "pyarrow", "xlsx": "openpyxl"}[fmt])
    first = export_frame(coded, tmp_path / "a", "plan", fmt)
    second = export_frame(coded, tmp_path / "b", "plan", fmt)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert not list((tmp_path / "a").glob(".*"))  # no temporary file left


def test_a_workbook_records_no_time_of_saving(tmp_path, coded):
    pytest.importorskip("openpyxl")
    import zipfile

    (path,) = export_frame(coded, tmp_path, "plan", "xlsx")
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core  # else two exports a second apart differ


def test_exported_files_get_the_umask_mode_so_they_can_be_handed_on(tmp_path, coded):
    previous = os.umask(0o022)
    try:
        written = export_frame(coded, tmp_path, "plan", "csv")
    finally:
        os.umask(previous)
    assert [stat.S_IMODE(p.stat().st_mode) for p in written] == [0o644, 0o644]


def test_missing_engine_says_what_to_install(tmp_path, coded, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ExportError, match=r"pip install 'policylab\[export\]'"):
        export_frame(coded, tmp_path, "plan", "parquet")
    assert not any(tmp_path.iterdir())


def test_export_of_a_plan_not_fetched_is_a_clear_error(tmp_path, capsys):
    code = main(["export", "us-aap-2025", "--format", "csv", "--out", str(tmp_path / "out"),
                 "--data-home", str(tmp_path / "home")])
    assert code == 1
    assert "policylab: error:" in capsys.readouterr().err


def test_full_text_export_carries_the_file_hash(tmp_path, us_units):
    openpyxl = pytest.importorskip("openpyxl")
    [path] = export_frame(us_units, tmp_path, "us", "xlsx")
    assert openpyxl.load_workbook(path).properties.identifier == us_units.attrs["sha256"]


def test_a_workbook_is_laid_out_for_reading(tmp_path, coded):
    openpyxl = pytest.importorskip("openpyxl")
    [path] = export_frame(coded, tmp_path, "plan", "xlsx")
    sheet = openpyxl.load_workbook(path)["units"]
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert sheet.auto_filter.ref == sheet.dimensions  # a filter on every column
    header = [cell.value for cell in sheet[1]]
    widths = {name: sheet.column_dimensions[cell.column_letter].width for name, cell in zip(header, sheet[1], strict=True)}
    assert widths["text"] == max(widths.values()) >= 80
    assert widths["order"] < 15 and widths["plan_id"] >= len("us-aap-2025")
    text_cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=header.index("text") + 1,
                                                     max_col=header.index("text") + 1)]
    assert all(cell.alignment.wrap_text for cell in text_cells)


def _export(tmp_path, *argv):
    return main(["export", *argv, "--format", "xlsx", "--out", str(tmp_path / "out"),
                 "--data-home", str(tmp_path / "home")])


def test_a_multi_plan_export_writes_all_or_nothing(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    code = _export(tmp_path, "us-aap-2025", "xx-none-2025", "--source", "coded")
    assert code == 1 and "'xx-none-2025'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # the US plan, which loads, was not written either
    assert _export(tmp_path, "us-aap-2025", "cn-gaigap-2025", "--source", "coded") == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cn-gaigap-2025-coded.xlsx", "us-aap-2025-coded.xlsx"]


def test_keep_going_exports_what_it_can_and_says_what_failed(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    code = _export(tmp_path, "us-aap-2025", "xx-none-2025", "--source", "coded", "--keep-going")
    out, err = capsys.readouterr()
    assert code == 1
    assert out == f"us-aap-2025\t{tmp_path / 'out' / 'us-aap-2025-coded.xlsx'}\n"
    assert "xx-none-2025 not exported" in err and "exported 1 of 2 plans (us-aap-2025); not exported: xx-none-2025" in err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["us-aap-2025-coded.xlsx"]


def test_an_output_folder_that_cannot_be_made_is_named_and_nothing_is_written(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["export", "us-aap-2025", "--source", "coded", "--format", "csv", "--out", str(blocker / "out")])
    assert code == 1 and f"--out {blocker / 'out'}: cannot create the folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_write_that_fails_midway_leaves_nothing(tmp_path, coded, monkeypatch):
    export_module = import_module("policylab.export")  # the module; `policylab.export` is the function

    def full_disk(frame, path, meta):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(export_module, "_write_sidecar", full_disk)  # the CSV is written, its sidecar fails
    with pytest.raises(ExportError, match=r"plan\.provenance\.json: cannot be written \(No space left on device\); nothing was exported"):
        export_frame(coded, tmp_path / "new" / "out", "plan", "csv")
    assert not (tmp_path / "new").exists()  # no file, temporary or not, and no folder it made


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_pl_export_writes_the_format_its_suffix_names(tmp_path, coded, suffix):
    pytest.importorskip({".csv": "pandas", ".parquet": "pyarrow", ".xlsx": "openpyxl"}[suffix])
    written = pl.export(coded, tmp_path / f"us{suffix}")
    assert written[0] == tmp_path / f"us{suffix}"
    read = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".xlsx": pd.read_excel}[suffix](written[0])
    assert read["unit_id"].tolist() == coded["unit_id"].tolist()


def test_pl_export_refuses_an_unknown_suffix_and_writes_nothing(tmp_path, coded):
    with pytest.raises(ExportError, match=r"us\.json: cannot tell the format from the suffix '\.json'"):
        pl.export(coded, tmp_path / "us.json")
    assert not any(tmp_path.iterdir())

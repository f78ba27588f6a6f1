"""policylab export: tables other tools can open, with the provenance kept; same table, same bytes."""

import json
import os
import stat

import pandas as pd
import pytest

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


def test_parquet_keeps_attrs(tmp_path, coded):
    fastparquet = pytest.importorskip("fastparquet")
    [path] = export_frame(coded, tmp_path, "plan", "parquet")
    parquet = fastparquet.ParquetFile(str(path))
    assert json.loads(parquet.key_value_metadata["PANDAS_ATTRS"]) == json.loads(json.dumps(coded.attrs))
    _same_values(parquet.to_pandas(), coded)


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
    pytest.importorskip({"csv": "pandas", "parquet": "fastparquet", "xlsx": "openpyxl"}[fmt])
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

    def no_fastparquet(name, *args, **kwargs):
        if name == "fastparquet":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fastparquet)
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

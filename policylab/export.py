"""Write unit tables for other tools: CSV, Parquet or Excel, with their provenance.

``df.attrs`` (URL, sha256, fetch date ...) travels with the table: as Parquet key-value
metadata under pandas' own key ``PANDAS_ATTRS`` (so ``pandas.read_parquet`` with pyarrow
restores it), as the workbook's document properties
and a ``provenance`` sheet in Excel, and as a JSON file beside a CSV. Files are written
to a temporary name and moved into place, so a failed export leaves nothing half-written;
the same table gives the same bytes.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pandas as pd

from .datafiles import fixed_zip_times, write_atomic, write_text_atomic
from .errors import ExportError

FORMATS = ("csv", "parquet", "xlsx")
# fastparquet rather than pyarrow: with pyarrow installed, pandas 3 infers pyarrow-backed
# dtypes everywhere, which would change tables and notebook outputs for everyone with the extra.
_ENGINES = {"parquet": "fastparquet", "xlsx": "openpyxl"}
_FIXED_TIME = datetime(2000, 1, 1)  # document and zip entry dates, for byte-identical files


def provenance(frame: pd.DataFrame) -> dict:
    """``frame.attrs`` as plain JSON values (dates and other objects as strings)."""
    return json.loads(json.dumps(frame.attrs, default=str, sort_keys=True))


def _engine(fmt: str) -> None:
    name = _ENGINES.get(fmt)
    if name is None:
        return
    try:
        __import__(name)
    except ImportError:
        raise ExportError(f"--format {fmt} needs {name}, which is not installed; install the export "
                          "extra: pip install 'policylab[export]' (or use --format csv).") from None


def _write_parquet(frame: pd.DataFrame, path: Path, meta: dict) -> None:
    import fastparquet

    categorical = frame.select_dtypes("category").columns
    table = frame.astype({column: "string" for column in categorical})  # categories as their labels
    fastparquet.write(str(path), table, write_index=False,
                      custom_metadata={"PANDAS_ATTRS": json.dumps(meta, ensure_ascii=False, sort_keys=True)})


def _write_xlsx(frame: pd.DataFrame, path: Path, meta: dict) -> None:
    workbook = io.BytesIO()  # built in memory, written once with fixed dates
    with pd.ExcelWriter(workbook, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="units", index=False)
        pd.DataFrame({"key": list(meta), "value": [json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
                                                   for v in meta.values()]}).to_excel(
            writer, sheet_name="provenance", index=False)
        properties = writer.book.properties
        properties.creator = "policylab"
        properties.title = str(meta.get("title") or meta.get("plan_id") or "")
        properties.identifier = str(meta.get("sha256") or "")
        properties.description = json.dumps(meta, ensure_ascii=False, sort_keys=True)
        properties.created = properties.modified = _FIXED_TIME
    path.write_bytes(fixed_zip_times(workbook.getvalue(), _FIXED_TIME))


def export_frame(frame: pd.DataFrame, folder, name: str, fmt: str) -> list[Path]:
    """Write ``frame`` as ``folder/name.<fmt>`` (plus ``name.provenance.json`` for CSV); return the paths."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    _engine(fmt)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"--out {folder}: cannot create the folder ({exc.strerror or exc}); "
                          "give a folder you can write to.") from None
    meta = provenance(frame)
    path = folder / f"{name}.{fmt}"
    written = [path]
    try:
        if fmt == "csv":
            write_atomic(path, lambda p: frame.to_csv(p, index=False, lineterminator="\n", encoding="utf-8"))
            sidecar = folder / f"{name}.provenance.json"
            write_text_atomic(sidecar, json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
            written.append(sidecar)
        elif fmt == "parquet":
            write_atomic(path, lambda p: _write_parquet(frame, p, meta))
        else:
            write_atomic(path, lambda p: _write_xlsx(frame, p, meta))
    except OSError as exc:
        raise ExportError(f"{path}: cannot be written ({exc.strerror or exc}); check the folder and free "
                          "space.") from None
    return written

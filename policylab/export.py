"""Write unit tables for other tools: CSV, Parquet or Excel, with their provenance.

``df.attrs`` (URL, sha256, fetch date ...) travels with the table: as Parquet key-value
metadata under pandas' own key ``PANDAS_ATTRS`` (written by pyarrow, restored by
``pandas.read_parquet``), as the workbook's document properties and a ``provenance``
sheet in Excel, and as a JSON file beside a CSV. Every file is written to a temporary
name first, and only when all the files of an export are written are they moved into
place: a failed export leaves nothing half-written. The same table gives the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
from datetime import datetime
from pathlib import Path

import pandas as pd

from .datafiles import fixed_zip_times
from .errors import ExportError

FORMATS = ("csv", "parquet", "xlsx")
_ENGINES = {"parquet": "pyarrow", "xlsx": "openpyxl"}
_FIXED_TIME = datetime(2000, 1, 1)  # document and zip entry dates, for byte-identical files
#: Excel column widths (characters): the text column, and the cap of every other column.
TEXT_WIDTH, MAX_WIDTH = 90, 40


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
    table = frame.copy(deep=False)
    table.attrs = meta  # pandas stores attrs in the file's metadata as PANDAS_ATTRS
    table.to_parquet(path, engine="pyarrow", index=False)


def _lay_out(sheet, frame: pd.DataFrame) -> None:
    """A sheet one can read: header frozen, a filter on it, columns as wide as their content
    (up to :data:`MAX_WIDTH`), the text column :data:`TEXT_WIDTH` wide, long cells wrapped."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, name in enumerate(frame.columns, start=1):
        longest = max([len(str(name)) + 3, *(len(str(v)) for v in frame[name].dropna())])  # +3: filter button
        width = TEXT_WIDTH if name == "text" else min(longest + 1, MAX_WIDTH)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if longest > width:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = wrap


def _write_xlsx(frame: pd.DataFrame, path: Path, meta: dict) -> None:
    workbook = io.BytesIO()  # built in memory, written once with fixed dates
    values = [json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v for v in meta.values()]
    sheets = {"units": frame, "provenance": pd.DataFrame({"key": list(meta), "value": values})}
    with pd.ExcelWriter(workbook, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name, index=False)
            _lay_out(writer.sheets[name], table)
        properties = writer.book.properties
        properties.creator = "policylab"
        properties.title = str(meta.get("title") or meta.get("plan_id") or "")
        properties.identifier = str(meta.get("sha256") or "")
        properties.description = json.dumps(meta, ensure_ascii=False, sort_keys=True)
        properties.created = properties.modified = _FIXED_TIME
    path.write_bytes(fixed_zip_times(workbook.getvalue(), _FIXED_TIME))


def _write_csv(frame: pd.DataFrame, path: Path, meta: dict) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _write_sidecar(frame: pd.DataFrame, path: Path, meta: dict) -> None:
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


_WRITERS = {"csv": _write_csv, "parquet": _write_parquet, "xlsx": _write_xlsx}


def _files(name: str, fmt: str) -> list[tuple[str, object]]:
    """The files of one exported table: (file name, writer)."""
    files = [(f"{name}.{fmt}", _WRITERS[fmt])]
    if fmt == "csv":
        files.append((f"{name}.provenance.json", _write_sidecar))
    return files


def _make_folder(folder: Path) -> Path | None:
    """Create ``folder``; return the highest folder created (to remove again on failure), or None."""
    created = next((p for p in [*reversed(folder.parents), folder] if not p.exists()), None)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"--out {folder}: cannot create the folder ({exc.strerror or exc}); "
                          "give a folder you can write to.") from None
    return created


def export_frames(frames: dict[str, pd.DataFrame], folder, fmt: str) -> dict[str, list[Path]]:
    """Write each table as ``folder/<name>.<fmt>`` (plus ``<name>.provenance.json`` for CSV),
    all or nothing; return ``{name: [paths]}``.

    Every file is written to a temporary name first; only when all are written are they
    moved into place. On failure the temporary files (and a folder this call created) are
    removed, and an ExportError names the file that could not be written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    _engine(fmt)
    folder = Path(folder)
    created = _make_folder(folder)
    staged: list[tuple[Path, Path]] = []  # (temporary file, final path)
    written: dict[str, list[Path]] = {name: [] for name in frames}
    current, moved, done = folder, 0, False
    try:
        for name, frame in frames.items():
            meta = provenance(frame)
            for file_name, write in _files(name, fmt):
                current = folder / file_name
                tmp = folder / f".{file_name}.{secrets.token_hex(8)}.tmp"
                open(tmp, "x").close()  # the umask's mode, not mkstemp's 0600
                staged.append((tmp, current))
                write(frame, tmp, meta)
                written[name].append(current)
        for tmp, current in staged:
            os.replace(tmp, current)
            moved += 1
        done = True
    except OSError as exc:
        what = "nothing was exported" if not moved else f"only the {moved} file(s) before it were moved into place"
        raise ExportError(f"{current}: cannot be written ({exc.strerror or exc}); {what}. Check the folder's "
                          "permissions and free space, or choose another --out.") from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if not done and created is not None:
            _remove_empty(folder, created)
    return written


def _remove_empty(folder: Path, top: Path) -> None:
    """Remove ``folder`` and its parents up to ``top`` while they are empty."""
    while True:
        with contextlib.suppress(OSError):
            folder.rmdir()
        if folder == top or top not in folder.parents:
            return
        folder = folder.parent


def export_frame(frame: pd.DataFrame, folder, name: str, fmt: str) -> list[Path]:
    """Write one table as ``folder/name.<fmt>`` (plus ``name.provenance.json`` for CSV); return the paths."""
    return export_frames({name: frame}, folder, fmt)[name]


def export(frame: pd.DataFrame, path) -> list[Path]:
    """Write one table to ``path``, in the format its suffix names (``.csv``, ``.parquet``,
    ``.xlsx``), with its provenance (``df.attrs``); return the files written.

    A CSV gets ``<stem>.provenance.json`` beside it. Nothing is half-written on failure.
    """
    path = Path(path).expanduser()
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(f"{path}: cannot tell the format from the suffix {path.suffix or '(none)'!r}; "
                          f"name the file .{', .'.join(FORMATS)}.")
    if not isinstance(frame, pd.DataFrame):
        raise ExportError(f"{path}: expected a pandas DataFrame to export, got {type(frame).__name__}.")
    return export_frame(frame, path.parent, path.stem, fmt)

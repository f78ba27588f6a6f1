"""The report's own pages: the summary table of the shipped plans and ``index.html``.

The report is the same for everyone: it lists the plans policylab ships, never plans a
user added, and everything in it comes from the coded edition except the full-text parts,
which read the official files when they are in the data home and say so when they are not.
``make report`` writes ``reports/summary.csv``, ``reports/summary.html``, the charts in
``reports/figures`` and the notebooks in ``reports/html``, then ``reports/index.html``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from .errors import PolicyLabError

__all__ = ["summarise", "summary_table", "write_index", "write_summary"]

NOT_IN_HOME = "not in the data home"


def summarise(frame: pd.DataFrame, name: str) -> dict:
    """One summary row: plan, language, file, units per level, units, pages that carry units."""
    from .units import LEVELS

    row = {"plan_id": frame.attrs.get("plan_id") or (frame["plan_id"].iloc[0] if len(frame) else None),
           "language": frame["language"].iloc[0] if len(frame) else None, "file": name}
    counts = frame["level"].value_counts()
    row.update({level: int(counts.get(level, 0)) for level in LEVELS})
    row["units"] = len(frame)
    row["pages"] = int(frame["page"].nunique()) if frame["page"].notna().any() else None
    return row


def summary_table(data_home=None) -> tuple[pd.DataFrame, list[PolicyLabError]]:
    """Units per level of every shipped plan: one row per coded edition (our summaries, the same
    for everyone), then one per language edition of each plan, read from its official file when
    that is in the data home and marked ``not in the data home`` when it is not. Returns the
    table and the errors of official files that could not be read (their rows say so)."""
    from .coded import CODED_PLANS, load_plan_coded
    from .fetch import list_fetched
    from .loaders import load_plan
    from .sources import registry

    rows = [{**summarise(load_plan_coded(plan_id), "coded edition"), "text": "coded edition"}
            for plan_id in CODED_PLANS]
    status = list_fetched(data_home).set_index(["plan_id", "language"])["status"]
    errors = []
    for source in registry():
        empty = {"plan_id": source.plan_id, "language": source.language, "file": source.filename}
        if status.get((source.plan_id, source.language), "missing") == "missing":
            rows.append({**empty, "text": NOT_IN_HOME})
            continue
        try:
            frame = load_plan(source.plan_id, language=source.language, data_home=data_home)
        except PolicyLabError as exc:
            errors.append(exc)
            rows.append({**empty, "text": "official file, unreadable (see the error)"})
        else:
            rows.append({**summarise(frame, source.filename), "text": "official file"})
    table = pd.DataFrame(rows, dtype=object)
    return table[["plan_id", "language", "text", *[c for c in table.columns if c not in ("plan_id", "language", "text")]]], errors


def write_summary(table: pd.DataFrame, out_dir) -> list[Path]:
    """``summary.csv`` and ``summary.html`` in ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out_dir / "summary.csv", out_dir / "summary.html"
    table.to_csv(csv_path, index=False, lineterminator="\n")
    body = table.astype(object).where(table.notna(), "–").to_html(index=False, border=0, classes="summary")
    intro = ("<p>One row per coded edition (our summaries, shipped with policylab), then one per language edition "
             "of each shipped plan, counted from its official file when that is in the data home "
             "(<code>policylab fetch PLAN_ID</code>); rows marked “not in the data home” have no counts.</p>")
    html_path.write_text(_page("Summary: units per level of each plan", [
        intro, body, '<p><a href="index.html">Back to the report</a> · <a href="summary.csv">summary.csv</a></p>']),
        encoding="utf-8")
    return [csv_path, html_path]


STYLE = ("body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
         "table{border-collapse:collapse;font-size:.85rem}td,th{padding:.2rem .5rem;border-bottom:1px solid #ddd}"
         "img{max-width:22rem;border:1px solid #ddd;display:block;margin:.3rem 0 1rem}li{margin:.3rem 0}")


def _page(title: str, parts: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n" + "\n".join(parts) + "\n</body></html>\n")


def _notebook_line(path: Path) -> tuple[str, str]:
    """A notebook's title (its first heading) and question (the first line of its first cell
    that starts with **Question.**)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = "".join(cells[0]["source"]).splitlines() if cells else []
    title = next((line.lstrip("# ").strip() for line in lines if line.startswith("#")), path.stem)
    question = next((line.replace("**Question.**", "").strip() for line in lines if line.startswith("**Question.**")), "")
    return title, question


def write_index(out_dir, *, notebooks_dir="notebooks") -> Path:
    """``index.html``: one line on every table, chart and notebook of the report in ``out_dir``;
    a full-text chart that was not drawn is listed with what it needs. Notebooks are listed
    from ``out_dir/html``, titled from their sources in ``notebooks_dir``."""
    from .figures import FIGURE_NOTES, NEEDS_FULL_TEXT

    out_dir = Path(out_dir)
    intro = ("<p>policylab's comparison of the shipped national AI plans. Everything here comes from the "
             "coded edition shipped with policylab, except the parts marked <em>full text</em>, which read "
             "the official files when they are in the data home.</p>")
    summary = ('<li><a href="summary.html">Summary</a> (<a href="summary.csv">CSV</a>): units per level of each '
               "coded edition and of each official file in the data home.</li>")
    parts = [intro, "<h2>Tables</h2>", "<ul>", summary, "</ul>", "<h2>Charts</h2>", "<ul>"]
    for name, note in FIGURE_NOTES.items():
        png, svg = out_dir / "figures" / f"{name}.png", out_dir / "figures" / f"{name}.svg"
        if not png.is_file():
            why = NEEDS_FULL_TEXT.get(name, "run `make figures`")
            parts.append(f"<li>{html.escape(note)} — <em>not drawn: {html.escape(why)}</em></li>")
            continue
        parts.append(f'<li><a href="figures/{png.name}">{html.escape(note)}</a>'
                     + (f' (<a href="figures/{svg.name}">SVG</a>)' if svg.is_file() else "")
                     + f'<img src="figures/{png.name}" alt="{html.escape(note)}"></li>')
    parts += ["</ul>", "<h2>Notebooks</h2>", "<ul>"]
    for page in sorted((out_dir / "html").glob("*.html")):
        source = Path(notebooks_dir) / f"{page.stem}.ipynb"
        title, question = _notebook_line(source) if source.is_file() else (page.stem, "")
        parts.append(f'<li><a href="html/{page.name}">{html.escape(title)}</a>'
                     + (f": {html.escape(question)}" if question else "") + "</li>")
    parts.append("</ul>")
    path = out_dir / "index.html"
    path.write_text(_page("policylab report", parts), encoding="utf-8")
    return path


if __name__ == "__main__":  # make report's last step: python -m policylab.report REPORTS_DIR NOTEBOOKS_DIR
    import sys

    print(f"report: {write_index(sys.argv[1], notebooks_dir=sys.argv[2])}")

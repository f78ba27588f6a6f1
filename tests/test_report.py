"""`make report`: the same report for everyone, whatever the data home holds; an index page
whose every link and image resolves, checked in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import policylab as pl
from policylab.coded import CODED_PLANS
from policylab.report import summary_table

ROOT = Path(__file__).resolve().parents[1]
# The notebooks that list plans (01) or are about a plan of one's own (06); the others read only the
# coded edition and the official files, which both data homes below lack alike.
NOTEBOOKS = ["notebooks/01-overview.ipynb", "notebooks/06-plans-and-yours.ipynb"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _user_plan_home(home: Path) -> Path:
    plan = home.parent / "my-plan.md"
    plan.write_text("# An invented plan\n\n" + "\n\n".join(
        f"Point {i} asks every agency to publish open data on compute and skills." for i in range(8)) + "\n",
        encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the note about the hash recorded on first use
        pl.add_plan(plan, plan_id="my-own-plan", title="My own plan", country="GBR", data_home=home)
    return home


def _make_report(out: Path, home: Path) -> Path:
    """`make report` into ``out`` with data home ``home``, on this Python and its own kernel."""
    if shutil.which("make") is None:
        pytest.skip("`make` is not installed")
    command = ["make", "--no-print-directory", "report", f"REPORTS={out}", f"PY={sys.executable}", "STAMP=",
               "KERNEL=", "KERNEL_NAME=python3", f"NOTEBOOKS={' '.join(NOTEBOOKS)}"]
    env = {**os.environ, "POLICYLAB_DATA": str(home)}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The report made twice: with an empty data home, and with one holding a plan a user added."""
    base = tmp_path_factory.mktemp("report")
    empty = _make_report(base / "empty", base / "home-empty")
    mine = _make_report(base / "mine", _user_plan_home(base / "home-mine"))
    return empty, mine


def test_the_report_is_the_same_whatever_plans_the_user_added(reports):
    empty, mine = reports
    files = sorted(p.relative_to(empty) for p in empty.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(mine) for p in mine.rglob("*") if p.is_file())
    assert {"index.html", "summary.csv", "summary.html"} <= {str(f) for f in files}
    different = [str(f) for f in files if (empty / f).read_bytes() != (mine / f).read_bytes()]
    assert different == []
    for page in files:
        if page.suffix in (".html", ".csv"):
            assert "my-own-plan" not in (mine / page).read_text(encoding="utf-8"), page


def test_the_summary_lists_the_shipped_plans_and_says_which_files_are_absent(reports):
    table = pd.read_csv(reports[0] / "summary.csv")
    coded = list(CODED_PLANS)
    assert table.plan_id.tolist()[:len(coded)] == coded
    assert (table.text.iloc[:len(coded)] == "coded edition").all() and table.units.iloc[0] > 100
    official = table.iloc[len(coded):]
    assert set(official.plan_id) == set(pl.list_plans(origin="shipped").plan_id)
    assert (official.text == "not in the data home").all() and official.units.isna().all()


def test_the_summary_reads_an_official_file_in_the_data_home(tmp_path):
    from conftest import US_PDF

    if not US_PDF.exists():
        pytest.skip(f"reference copy {US_PDF} is absent")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pl.add(US_PDF, plan_id="us-aap-2025", data_home=tmp_path)
    table, errors = summary_table(tmp_path)
    row = table[(table.plan_id == "us-aap-2025") & (table.text == "official file")].iloc[0]
    assert errors == [] and row.file == US_PDF.name and row.section == 30 and row.action == 103


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs.get("src"))


def test_the_index_links_every_table_chart_and_notebook(reports):
    report = reports[0]
    refs = _Refs()
    refs.feed((report / "index.html").read_text(encoding="utf-8"))
    assert all((report / ref).is_file() for ref in refs.links + refs.images), refs.links + refs.images
    made = {str(p.relative_to(report)) for p in report.rglob("*") if p.is_file()} - {"index.html"}
    assert made == set(refs.links), "every file of the report is linked from the index"
    assert len(refs.images) == len(list((report / "figures").glob("*.png")))
    assert "not drawn: needs the official texts" in (report / "index.html").read_text(encoding="utf-8")


# Recorded in the page itself (the first script of its head), so the check reads the result from
# the DOM that Chromium prints: console errors, uncaught errors, resources that failed to load,
# and images that did not decode.
PROBE = """<script>
window.__problems = [];
const note = (what) => window.__problems.push(String(what));
const consoleError = console.error;
console.error = (...args) => { note("console.error: " + args.join(" ")); consoleError(...args); };
window.addEventListener("error", (e) => note(e.target && e.target !== window
  ? "failed to load: " + (e.target.src || e.target.href) : "error: " + e.message), true);
window.addEventListener("load", () => {
  for (const img of document.images) if (!img.complete || img.naturalWidth === 0) note("broken image: " + img.src);
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({images: document.images.length, problems: window.__problems});
  document.body.appendChild(out);
});
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)")
def test_the_index_opens_in_chromium_without_errors(reports, tmp_path):
    report = reports[0]
    page = report / "index-probe.html"
    page.write_text((report / "index.html").read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1),
                    encoding="utf-8")
    try:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
             "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120, check=False)
    finally:
        page.unlink()
    dom = result.stdout
    assert '<pre id="probe">' in dom, result.stderr[-2000:]
    probe = json.loads(dom.split('<pre id="probe">', 1)[1].split("</pre>", 1)[0].replace("&quot;", '"'))
    assert probe["problems"] == []
    assert probe["images"] == len(list((report / "figures").glob("*.png"))) > 0
    assert "CONSOLE" not in "\n".join(line for line in result.stderr.splitlines() if ":ERROR:" in line)

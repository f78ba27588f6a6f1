"""Plans a user brings: `policylab add FILE --plan ID --title ... --country ...`, then load_plan."""

# ruff: noqa: F811 - pytest fixtures imported from fetch_server are redefined as arguments

from __future__ import annotations

import os
import warnings
import zipfile
from importlib import import_module

import pandas as pd
import pytest

import policylab as pl
from fetch_server import data_home, files_in  # noqa: F401 - pytest fixtures
from policylab import cli, compare
from policylab.errors import RegistryError, UnknownPlanError, UnsupportedFormatError
from policylab.loaders import (
    MissingPlansWarning,
    SourceNotAvailableError,
    UserPlansLeftOutWarning,
)
from policylab.sources import USER_REGISTRY_NAME, registry
from policylab.userplans import add_plan
from test_coding import with_basis

pf = import_module("policylab.fetch")  # the module; `policylab.fetch` is the function fetch

# Invented filler in the shape of a plan: a title, a preamble, two parts of bullet actions.
PLAN = """# Northwind Plan for Artificial Intelligence

Northwind will grow its research base and train workers for new jobs in every region.

## Build the foundations

- Invest in new data centres and expand the power grid for computing.
- Fund research and innovation in universities and start-ups.

## Manage the risks

- Require safety testing and risk assessment before deployment of high-risk systems.
- Protect critical systems against cyberattacks and misuse by malicious actors.
"""


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "northwind.md"
    path.write_text(PLAN, encoding="utf-8")
    return path


def add_northwind(plan_file, plan_id="northwind-2026", **options):
    with pytest.warns(pf.FetchNotice, match=f"Added your plan {plan_id}: copied {plan_file} to "):
        return add_plan(plan_file, plan_id=plan_id, title="Northwind AI Plan", country="gbr", **options)


def test_a_registered_plan_is_listed_and_loads_like_a_shipped_one(data_home, plan_file):
    target = add_northwind(plan_file, date="2026-01-02", url="https://example.invalid/northwind")
    assert target == data_home / "northwind-2026" / "en" / "northwind-2026.md"
    assert target.read_bytes() == plan_file.read_bytes()
    plans = pl.list_plans()
    assert plans.groupby("origin").size().to_dict() == {"shipped": len(registry()), "user": 1}
    mine = plans[plans.plan_id == "northwind-2026"].iloc[0]
    assert (mine.country, mine.title_en, mine.format, str(mine.date_published.date())) == (
        "GBR", "Northwind AI Plan", "markdown", "2026-01-02")
    units = pl.load_plan("northwind-2026")
    assert units.attrs["origin"] == "user" and units.attrs["url"] == "https://example.invalid/northwind"
    assert units["level"].value_counts()["action"] == 4 and set(units.plan_id) == {"northwind-2026"}
    listed = pl.list_fetched().set_index("plan_id")
    assert listed.loc["northwind-2026", "status"] == "ok"


@pytest.mark.parametrize("plan_id, why", [
    ("../escape", "looks like a path"), ("a/b", "looks like a path"), (".hidden", "looks like a path"),
    ("~home", "looks like a path"), ("My_Plan", "not a lowercase slug"), ("two--hyphens", "not a lowercase slug"),
    ("", "not a lowercase slug"), ("x" * 65, "not a lowercase slug"),
])
def test_a_malformed_or_path_like_id_is_refused_and_nothing_is_written(data_home, plan_file, plan_id, why):
    with pytest.raises(RegistryError, match=why):
        add_plan(plan_file, plan_id=plan_id, title="T", country="GBR")
    assert files_in(data_home) == []


def test_a_clashing_id_is_refused(data_home, plan_file):
    with pytest.raises(RegistryError, match="shipped with policylab"):
        add_plan(plan_file, plan_id="us-aap-2025", title="T", country="GBR")
    add_northwind(plan_file)
    registry = (data_home / USER_REGISTRY_NAME).read_bytes()
    with pytest.raises(RegistryError, match="already registered"):
        add_plan(plan_file, plan_id="northwind-2026", title="Other", country="FRA")
    assert (data_home / USER_REGISTRY_NAME).read_bytes() == registry


def test_an_invalid_entry_is_refused_with_the_field_named(data_home, plan_file):
    with pytest.raises(RegistryError, match="country 'UK' is not an ISO 3166 alpha-3 code.*date_published"):
        add_plan(plan_file, plan_id="northwind-2026", title="T", country="UK", date="2 Jan 2026")
    with pytest.raises(RegistryError, match=r"^policylab add \(northwind-2026\): language 'english'"):
        add_plan(plan_file, plan_id="northwind-2026", title="T", country="GBR", language="english")
    assert files_in(data_home) == []


def test_a_file_that_cannot_be_added_leaves_no_entry(data_home, tmp_path, plan_file):
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(pl.PolicyLabError, match="empty.md"):
        add_plan(empty, plan_id="empty-plan", title="T", country="GBR")
    assert not data_home.exists()  # the data home this attempt created goes again
    add_northwind(plan_file)
    before = (data_home / USER_REGISTRY_NAME).read_bytes()
    with pytest.raises(pl.PolicyLabError, match="empty.md"):
        add_plan(empty, plan_id="empty-plan", title="T", country="GBR")
    assert (data_home / USER_REGISTRY_NAME).read_bytes() == before


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux's /proc/self/mem (a file that cannot be read)")
def test_an_unreadable_file_is_a_policylab_error_naming_it(data_home):
    with pytest.raises(pl.PolicyLabError, match="/proc/self/mem cannot be read"):
        add_plan("/proc/self/mem", plan_id="unreadable-plan", title="T", country="GBR")
    assert not data_home.exists()


def test_a_user_plan_changed_after_it_was_added_says_to_add_it_again(data_home, plan_file):
    stored = add_northwind(plan_file)
    stored.write_text(PLAN + "\nA line added later.\n", encoding="utf-8")
    with pytest.raises(pf.ChecksumError, match=r"policylab add PATH --plan northwind-2026 --update") as info:
        pl.load_plan("northwind-2026")
    assert "policylab fetch" not in str(info.value)  # a plan you added has no URL to fetch it from


def test_a_file_too_short_for_a_plan_is_refused_with_advice_for_a_file_of_your_own(data_home, tmp_path):
    short = tmp_path / "short.md"
    short.write_text("# Invented title\n\nOne invented line.\n", encoding="utf-8")
    with pytest.raises(pf.NotThePlanError, match="short.md does not look like short-plan") as info:
        add_plan(short, plan_id="short-plan", title="Short", country="GBR")
    assert "full text of your plan" in str(info.value)
    assert "None" not in str(info.value) and "captive portal" not in str(info.value)  # nothing was downloaded


def test_the_registry_write_is_atomic(data_home, plan_file, monkeypatch):
    add_northwind(plan_file)
    before = (data_home / USER_REGISTRY_NAME).read_bytes()

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        add_plan(plan_file, plan_id="second-plan", title="T", country="GBR")
    assert (data_home / USER_REGISTRY_NAME).read_bytes() == before
    assert not [name for name in files_in(data_home) if name.endswith(".tmp")]


def test_a_damaged_user_registry_is_named_and_never_blocks_shipped_plans(data_home, plan_file):
    add_northwind(plan_file)
    path = data_home / USER_REGISTRY_NAME
    path.write_text(path.read_text(encoding="utf-8").replace("plan_id: northwind-2026", "plan_id: ../x"))
    with pytest.raises(RegistryError, match=f"{USER_REGISTRY_NAME}.*looks like a path"):
        pl.load_plan("northwind-2026")
    with pytest.raises(RegistryError, match="policylab-plans.yaml"):
        add_plan(plan_file, plan_id="other-plan", title="T", country="GBR")
    assert pl.get_source("us-aap-2025").origin == "shipped"
    path.write_text(path.read_text(encoding="utf-8").replace("plan_id: ../x", "plan_id: us-aap-2025"))
    with pytest.raises(RegistryError, match="also shipped"):
        pl.list_plans()


@pytest.mark.parametrize("url", [None, "https://example.invalid/northwind"])
def test_user_plans_are_not_fetched_and_have_no_coded_edition(data_home, plan_file, url):
    """A user plan's URL is provenance only: it is never downloaded, and no message advises fetching it."""
    add_northwind(plan_file, url=url)
    with pytest.raises(pf.FetchError, match="policylab does not download it") as info:
        pl.fetch("northwind-2026")
    assert "policylab add FILE --plan northwind-2026 --update" in str(info.value)
    with pytest.raises(SourceNotAvailableError, match="code_plan"):
        pl.load_plan("northwind-2026", source="coded")
    stored = data_home / "northwind-2026" / "en" / "northwind-2026.md"
    stored.write_text(PLAN + "\nA line added later.\n", encoding="utf-8")
    with pytest.raises(pf.ChecksumError, match="Add your file again") as changed:
        pl.load_plan("northwind-2026")
    stored.unlink()
    with pytest.raises(pf.NotFetchedError, match="add its file again") as missing:
        pl.load_plan("northwind-2026")
    for error in (info, changed, missing):
        assert "policylab fetch" not in str(error.value) and "fetch the file" not in str(error.value)
    with pytest.raises(UnknownPlanError, match="your plans: northwind-2026.*--title"):
        pl.load_plan("southwind-2026")


def test_load_corpus_can_skip_missing_plans_and_names_them(data_home, plan_file):
    add_northwind(plan_file)
    with pytest.raises(pf.NotFetchedError, match="us-aap-2025.*missing='skip'"):
        pl.load_corpus(["northwind-2026", "us-aap-2025"])
    with pytest.warns(MissingPlansWarning, match=r"Skipped 1 of 2 plans, whose files are not in the data home .*: "
                      r"us-aap-2025\. Run `policylab fetch"):
        corpus = pl.load_corpus(["northwind-2026", "us-aap-2025"], missing="skip")
    assert set(corpus.plan_id) == {"northwind-2026"} and list(corpus.attrs["plans"]) == ["northwind-2026"]
    with pytest.raises(SourceNotAvailableError, match="missing='ignore'"):
        pl.load_corpus(["northwind-2026"], missing="ignore")


def test_load_corpus_of_the_shipped_plans_says_it_leaves_yours_out(data_home, plan_file):
    add_northwind(plan_file)
    with pytest.warns(UserPlansLeftOutWarning, match=r"plans you added \(northwind-2026\) are left out"), \
            pytest.warns(MissingPlansWarning):
        pl.load_corpus(missing="skip")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserPlansLeftOutWarning)
        pl.load_corpus(source="coded")  # plans you added have no coded edition: nothing to say


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_add_and_plans_on_the_command_line(capsys, data_home, plan_file):
    code, out, err = run(capsys, "add", str(plan_file), "--plan", "northwind-2026", "--title", "Northwind AI Plan",
                         "--country", "GBR", "--date", "2026-01-02")
    assert code == 0 and out.startswith("northwind-2026\t") and "Added your plan northwind-2026: copied" in err
    code, out, _ = run(capsys, "plans")
    line = next(row for row in out.splitlines() if row.strip().startswith("northwind-2026"))
    assert code == 0 and line.split()[:4] == ["northwind-2026", "en", "yes", "user"]
    assert out.splitlines()[0].split()[:4] == ["plan_id", "language", "in_data_home", "origin"]
    us = next(row for row in out.splitlines() if row.strip().startswith("us-aap-2025"))
    assert us.split()[2] == "no"  # a shipped plan not fetched into this data home
    code, _, err = run(capsys, "add", str(plan_file), "--plan", "../up", "--title", "T", "--country", "GBR")
    assert code == 1 and "looks like a path" in err
    with pytest.raises(SystemExit) as usage:
        cli.main(["add", str(plan_file), "--plan", "other", "--title", "T"])
    assert usage.value.code == 2 and "both --title and --country" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main(["add", str(plan_file), "--plan", "us-aap-2025", "--url", "https://example.invalid/x"])
    assert usage.value.code == 2


def test_end_to_end_a_plan_of_your_own_beside_the_coded_us_plan(data_home, plan_file):
    """The path notebook 06 will show: add, load, code with the tagger, compare with a hand-coded plan."""
    add_northwind(plan_file)
    mine = pl.code_plan(pl.load_plan("northwind-2026"))
    corpus = pd.concat([pl.load_plan("us-aap-2025", source="coded"), mine], ignore_index=True)
    shares = with_basis(compare.theme_shares, corpus, n_boot=200)
    assert shares.groupby("plan_id", sort=False)["basis"].first().to_dict() == {
        "us-aap-2025": "gold", "northwind-2026": "tagger corrected (out-of-plan rates)"}
    northwind = shares[shares.plan_id == "northwind-2026"].set_index("theme")
    assert northwind["n_units"].iloc[0] == 5  # the preamble and the four actions
    assert northwind.loc["safety_security", "n_coded"] == 2 and northwind.loc["infrastructure_energy", "n_coded"] == 1
    balance = compare.balance(corpus, n_boot=200).set_index("plan_id")
    assert balance.loc["northwind-2026", ["n_development", "n_safety"]].tolist() == [3, 2]


def _register_many(plan_file, plan_ids: list[str]) -> None:
    """A worker process: register one user plan per id, each a read-modify-write of the registry."""
    import warnings

    warnings.simplefilter("ignore")
    for plan_id in plan_ids:
        add_plan(plan_file, plan_id=plan_id, title="Northwind AI Plan", country="GBR")


def test_concurrent_registrations_lose_no_entry(data_home, plan_file):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    batches = [[f"northwind-w{worker}-n{n}" for n in range(6)] for worker in range(3)]
    workers = [context.Process(target=_register_many, args=(plan_file, batch)) for batch in batches]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    users = pl.list_plans().query("origin == 'user'")
    assert sorted(users["plan_id"]) == sorted(p for batch in batches for p in batch)


def test_a_text_file_is_recorded_as_text_and_a_markdown_file_as_markdown(data_home, tmp_path, plan_file):
    plain = tmp_path / "northwind.txt"
    plain.write_text(PLAN, encoding="utf-8")
    add_northwind(plain, plan_id="plain-2026")
    add_northwind(plan_file, plan_id="marked-2026")
    formats = pl.list_plans().set_index("plan_id")["format"]
    assert (formats["plain-2026"], formats["marked-2026"]) == ("text", "markdown")
    assert pl.load_plan("marked-2026")["text"].str.contains("data centres").any()


def _office_zip(path, member: str):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document>Invented filler for a test.</document>")
    return path


@pytest.mark.parametrize(("name", "member", "kind"), [
    ("plan.docx", "word/document.xml", "a Word document"),
    ("plan.xlsx", "xl/workbook.xml", "an Excel workbook"),
    ("plan.doc", None, "an Office document in the older binary format"),
])
def test_an_office_file_is_named_as_such_and_nothing_is_registered(data_home, tmp_path, name, member, kind):
    path = tmp_path / name
    if member is None:
        path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(range(256)) * 8)
    else:
        _office_zip(path, member)
    with pytest.raises(UnsupportedFormatError) as info:
        add_plan(path, plan_id="office-plan", title="T", country="GBR")
    assert str(info.value).startswith(f"{path}: this is {kind}")
    assert "Save it as PDF or text" in str(info.value) and "\\x" not in str(info.value)  # no raw bytes
    assert not data_home.exists()

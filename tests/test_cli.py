"""The policylab command: output, messages and exit codes, never a traceback."""

# ruff: noqa: F811 - pytest fixtures imported from fetch_server are redefined as arguments

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import import_module
from typing import NamedTuple

import pytest

from fetch_server import (  # noqa: F401 - pytest fixtures
    US_PDF,
    closed_port,
    data_home,
    fake_registry,
    make_plan_pdf,
    needs_corpus,
    plan_pdfs,
    server,
    sha256,
)
from policylab import cli

pf = import_module("policylab.fetch")  # the module; `policylab.fetch` is the function fetch
dl = import_module("policylab.fetching.download")  # downloads: timeouts, retries, temporary files


@pytest.fixture
def fast(monkeypatch):
    """Short timeouts and no waiting between retries, for the command line too."""
    monkeypatch.setattr(dl, "TIMEOUT", (1.0, 1.0))
    monkeypatch.setattr(dl, "RETRIES", 0)
    monkeypatch.setattr(dl, "BACKOFF", 0.01)


class Result(NamedTuple):
    code: int
    out: str
    err: str


def run(capsys, *argv) -> Result:
    """Run the command line in-process; check it printed no traceback."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return Result(code, out, err)


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "exit codes:" in out and "usage error" in out and "POLICYLAB_MIRROR" in out


@pytest.mark.parametrize("argv", [["nonsense"], ["fetch", "--list", "xx-known-2025"], ["add", "file.pdf"],
                                  ["summary", "a.pdf", "--corpus", "."]])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_fetch_then_list(capsys, fake_registry, data_home, server, plan_pdfs, fast):
    server.serve("plan-a.pdf", plan_pdfs["a"])
    r = run(capsys, "fetch", "xx-known-2025", "--mirror", server.url)
    assert r.code == 0
    assert r.out == f"xx-known-2025\t{data_home / 'xx-known-2025' / 'en' / 'plan-a.pdf'}\n"
    r = run(capsys, "fetch", "--list")
    assert r.code == 0
    line = next(l for l in r.out.splitlines() if l.strip().startswith("xx-known-2025"))
    assert " ok " in line and sha256(plan_pdfs["a"]) in line and "https://example.invalid/files/plan-a.pdf" in line
    assert any(l.strip().startswith("xx-tofu-2025") and "missing" in l for l in r.out.splitlines())


def test_fetch_trust_on_first_use_is_told(capsys, fake_registry, data_home, server, plan_pdfs, fast):
    server.serve("plan-b.pdf", plan_pdfs["b"])
    r = run(capsys, "fetch", "xx-tofu-2025", "--mirror", server.url, "--data-home",
               str(data_home.parent / "other"))
    assert r.code == 0
    assert "policylab: note: xx-tofu-2025 (en): policylab ships no hash for this file" in r.err
    assert sha256(plan_pdfs["b"]) in r.err


def test_fetch_offline_is_a_one_line_error_with_exit_1(capsys, fake_registry, data_home, closed_port, fast):
    r = run(capsys, "fetch", "xx-known-2025", "--mirror", f"http://127.0.0.1:{closed_port}")
    assert r.code == 1
    error = [l for l in r.err.splitlines() if l.startswith("policylab: error:")]
    assert len(error) == 1 and f"127.0.0.1:{closed_port}" in error[0] and "policylab add" in error[0]
    assert not (data_home / "xx-known-2025").exists()


def test_fetch_hash_mismatch_and_update(capsys, fake_registry, data_home, server, plan_pdfs, fast):
    server.serve("plan-b.pdf", plan_pdfs["c"])
    assert run(capsys, "fetch", "xx-tofu-2025", "--mirror", server.url).code == 0
    server.serve("plan-b.pdf", plan_pdfs["b"])
    r = run(capsys, "fetch", "xx-tofu-2025", "--force", "--mirror", server.url)
    assert r.code == 1 and "sha256 mismatch" in r.err and "--update" in r.err
    r = run(capsys, "fetch", "xx-tofu-2025", "--update", "--mirror", server.url)
    assert r.code == 0 and "policylab: note:" in r.err and "has changed" in r.err


def test_add_from_the_command_line(capsys, fake_registry, data_home, tmp_path, plan_pdfs):
    good, bad = tmp_path / "good.pdf", tmp_path / "notes.txt"
    good.write_bytes(plan_pdfs["a"])
    bad.write_text("Just a note, not a plan.\n")
    r = run(capsys, "add", str(bad), "--plan", "xx-known-2025")
    assert r.code == 1 and r.err.startswith("policylab: error:") and "is a text file" in r.err
    r = run(capsys, "add", str(good), "--plan", "xx-known-2025")
    assert r.code == 0 and (data_home / "xx-known-2025" / "en" / "plan-a.pdf").read_bytes() == plan_pdfs["a"]
    r = run(capsys, "add", str(good), "--plan", "xx-nope-2025")
    assert r.code == 1 and "Unknown plan_id 'xx-nope-2025'" in r.err


def test_plans_lists_the_registry(capsys):
    r = run(capsys, "plans")
    assert r.code == 0
    assert "us-aap-2025" in r.out and "cn-gaigap-2025" in r.out and "2025-07-23" in r.out


def test_summary_of_the_data_home(capsys, fake_registry, data_home, server, plan_pdfs, fast):
    r = run(capsys, "summary")
    assert r.code == 0 and "no official files in the data home" in r.err
    coded_rows = r.out.splitlines()[1:]
    assert [line.split()[0] for line in coded_rows] == ["us-aap-2025", "cn-gaigi-2023", "cn-gaigap-2025", "gb-aiop-2025",
                                                         "cn-aiplus-2025", "sg-nais-2023"]
    assert all("coded edition" in line for line in coded_rows)
    server.serve("plan-a.pdf", plan_pdfs["a"])
    run(capsys, "fetch", "xx-known-2025", "--mirror", server.url)
    r = run(capsys, "summary")
    header, row = r.out.splitlines()
    assert header.split()[:4] == ["plan_id", "language", "file", "title"] and "pages" in header
    assert row.split()[:5] == ["xx-known-2025", "en", "plan-a.pdf", "1", "0"]  # one title, no preamble


def test_summary_of_files_and_of_a_corpus_folder(capsys, tmp_path):
    folder = tmp_path / "corpus"
    (folder / "xx-one-2025").mkdir(parents=True)
    make_plan_pdf(folder / "xx-one-2025" / "one.pdf")
    make_plan_pdf(folder / "two.pdf")
    (folder / "README.md").write_text("not a document")
    r = run(capsys, "summary", "--corpus", str(folder))
    assert r.code == 0
    assert [l.split()[0] for l in r.out.splitlines()[1:]] == ["two", "one"]
    r = run(capsys, "summary", str(folder / "two.pdf"), str(folder / "missing.pdf"))
    assert r.code == 1 and "two" in r.out and "policylab: error:" in r.err and "missing.pdf" in r.err


NOTES = "\n\n".join(f"The board will publish a short note on item {i} of the work each season." for i in range(5))


def test_summary_shows_depth_words_kept_and_a_verdict_for_files_and_plans(capsys, data_home, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    r = run(capsys, "summary", str(notes))
    header, row = r.out.splitlines()
    assert r.code == 0 and header.split()[-3:] == ["depth", "kept", "verdict"]
    assert row.split("  ")[-1].startswith("flat: ") and row.endswith("no numbering found")
    assert row[:header.index("verdict")].split()[-2] == "1"  # depth
    assert run(capsys, "add", str(notes), "--plan", "my-notes", "--title", "Notes", "--country", "GBR").code == 0
    r = run(capsys, "summary", "my-notes")
    assert r.code == 0 and r.out.splitlines()[1].split()[:3] == ["my-notes", "en", "my-notes.txt"]  # the file as stored in the data home
    assert "no numbering found" in r.out
    r = run(capsys, "summary", "my-nothing")
    assert r.code == 1 and "my-nothing: no such file, and no plan with that id" in r.err


def test_summary_gives_the_share_of_the_files_words_kept():
    from policylab.report import summarise
    from policylab.units import Unit, to_frame

    table = to_frame([Unit("x/pre01", "preamble", "one two three four")], plan_id="x", language="en")
    table.attrs["words_in_file"] = 16  # as a reader reports it: the file's words before anything was dropped
    row = summarise(table, "x.txt")
    assert (row["kept"], row["verdict"]) == ("25%", "flat: 1 paragraph, no numbering found")


@needs_corpus
def test_summary_of_the_reference_plan(capsys, tmp_path):
    (tmp_path / "us-aap-2025").mkdir()
    shutil.copy(US_PDF, tmp_path / "us-aap-2025" / US_PDF.name)
    r = run(capsys, "summary", "--corpus", str(tmp_path))
    assert r.code == 0
    row = dict(zip(r.out.splitlines()[0].split(), r.out.splitlines()[1].split()))
    assert row["plan_id"] == "us-aap-2025" and row["title"] == "1" and row["part"] == "3"
    assert row["section"] == "30" and row["footnote"] == "30"
    assert r.out.splitlines()[1].split("  ")[-1].startswith("structured: 16 preamble paragraphs, 3 parts, 30 sections")


def test_an_internal_error_is_reported_without_traceback(capsys, monkeypatch):
    def broken(args, parser):
        raise RuntimeError("boom")

    monkeypatch.setitem(cli.COMMANDS, "plans", broken)
    r = run(capsys, "plans")
    assert r.code == 3 and "internal error: RuntimeError: boom" in r.err


def test_console_script_module_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "policylab.cli", "summary", str(tmp_path / "none.pdf")],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("policylab: error:") and "Traceback" not in result.stderr

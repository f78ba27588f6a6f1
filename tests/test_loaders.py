"""load_plan / load_corpus read fetched files with provenance; the real plan through a loopback mirror."""

# ruff: noqa: F811 - pytest fixtures imported from fetch_server are redefined as arguments

from __future__ import annotations

from importlib import import_module

import pandas as pd
import pytest

from fetch_server import (  # noqa: F401 - pytest fixtures
    CORPUS,
    FAST,
    US_PDF,
    data_home,
    fake_registry,
    needs_corpus,
    plan_pdfs,
    server,
    sha256,
)
from policylab import read_document
from policylab.errors import PolicyLabError
from policylab.loaders import SourceNotAvailableError, load_corpus, load_plan

pf = import_module("policylab.fetch")  # the module; `policylab.fetch` is the function fetch


@pytest.fixture
def fetched(fake_registry, data_home, server, plan_pdfs):
    """xx-known-2025 and both editions of xx-multi-2025 fetched into the data home."""
    server.serve("plan-a.pdf", plan_pdfs["a"])
    server.serve("multi-zh.pdf", plan_pdfs["c"])
    server.serve("multi-en.pdf", plan_pdfs["b"])
    with pytest.warns(pf.FetchNotice):
        pf.fetch(["xx-known-2025", "xx-multi-2025"], mirror=server.url, **FAST)
    with pytest.warns(pf.FetchNotice):
        pf.fetch("xx-multi-2025", language="en", mirror=server.url, **FAST)
    return data_home


def test_load_plan_is_the_reader_table_with_provenance(fetched, server):
    frame = load_plan("xx-known-2025")
    path = fetched / "xx-known-2025" / "en" / "plan-a.pdf"
    pd.testing.assert_frame_equal(frame, read_document(path, plan_id="xx-known-2025"))
    assert frame.attrs["url"] == "https://example.invalid/files/plan-a.pdf"
    assert frame.attrs["sha256"] == sha256(path.read_bytes())
    assert frame.attrs["fetched_from"] == f"{server.url}/plan-a.pdf"
    assert frame.attrs["fetched_at"].startswith("20") and frame.attrs["source"] == "fulltext"
    assert frame.attrs["language"] == "en"


def test_load_plan_reads_the_original_edition_unless_asked(fetched):
    assert load_plan("xx-multi-2025").attrs["path"].endswith("zh-Hans/multi-zh.pdf")
    english = load_plan("xx-multi-2025", language="en")
    assert english.attrs["path"].endswith("en/multi-en.pdf") and english.attrs["language"] == "en"


def test_load_plan_missing_file_says_how_to_get_it(fake_registry, data_home):
    with pytest.raises(pf.NotFetchedError) as info:
        load_plan("xx-known-2025")
    assert "policylab fetch xx-known-2025" in str(info.value) and "policylab add" in str(info.value)
    with pytest.raises(pf.NotFetchedError, match="--language en"):
        load_plan("xx-multi-2025", language="en")


def test_load_plan_detects_a_file_changed_after_fetch(fetched):
    (fetched / "xx-known-2025" / "en" / "plan-a.pdf").write_bytes(b"%PDF-1.7 edited")
    with pytest.raises(pf.ChecksumError, match="policylab fetch xx-known-2025 --force"):
        load_plan("xx-known-2025")


def test_unknown_source_and_uncoded_plan_are_explained(fetched):
    with pytest.raises(SourceNotAvailableError, match="unknown source.*'fulltext', 'coded'") as info:
        load_plan("xx-known-2025", source="codebook")
    assert isinstance(info.value, PolicyLabError)
    with pytest.raises(PolicyLabError, match="No coded edition for 'xx-known-2025'"):
        load_plan("xx-known-2025", source="coded")


def test_load_corpus_concatenates_plans_with_their_provenance(fetched):
    corpus = load_corpus(["xx-known-2025", "xx-multi-2025"])
    assert list(corpus["plan_id"].unique()) == ["xx-known-2025", "xx-multi-2025"]
    assert len(corpus) == len(load_plan("xx-known-2025")) + len(load_plan("xx-multi-2025"))
    assert set(corpus.attrs["plans"]) == {"xx-known-2025", "xx-multi-2025"}
    assert corpus.attrs["plans"]["xx-known-2025"]["sha256"] == load_plan("xx-known-2025").attrs["sha256"]


def test_load_corpus_names_every_missing_plan(fetched):
    with pytest.raises(pf.NotFetchedError) as info:
        load_corpus()  # every registry plan; xx-tofu-2025 was not fetched
    assert "policylab fetch xx-tofu-2025" in str(info.value)


@needs_corpus
def test_real_plan_through_a_loopback_mirror_loads_as_the_original(server, data_home, monkeypatch):
    server.serve(US_PDF.name, US_PDF.read_bytes())
    monkeypatch.setenv("POLICYLAB_MIRROR", server.url)
    pf.fetch("us-aap-2025", **FAST)
    frame = load_plan("us-aap-2025")
    pd.testing.assert_frame_equal(frame, read_document(US_PDF), check_like=False)
    assert frame.attrs["sha256"] == pf.get_source("us-aap-2025").sha256
    assert frame.attrs["url"].startswith("https://www.whitehouse.gov/")


@pytest.mark.skipif(not (CORPUS / "cn-gaigi-2023-zh").is_dir(), reason=f"reference corpus not present at {CORPUS}")
def test_a_saved_html_page_added_by_hand_loads_as_the_original(data_home, tmp_path):
    page = next((CORPUS / "cn-gaigi-2023-zh").glob("*.html"))
    with pytest.warns(pf.FetchNotice, match="ships no hash for this file"):  # the registry has no hash for this page yet
        target = pf.add(page, plan_id="cn-gaigi-2023")
    assert target.name == pf.get_source("cn-gaigi-2023").filename
    frame = load_plan("cn-gaigi-2023")
    pd.testing.assert_frame_equal(frame, read_document(page, plan_id="cn-gaigi-2023"))
    assert frame.attrs["language"] == "zh-Hans" and frame.attrs["fetched_from"].startswith("added from ")

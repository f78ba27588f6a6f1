"""A document the readers cannot structure reads as paragraphs, with a warning that names the file and
says what was not found, whatever its format; a structured one reads without it."""

import re
import warnings

import pytest

from conftest import (
    AIPLUS_TEXT,
    CN_2023_HTML,
    NAIS_TEXT,
    UK_HTML,
    US_PDF,
    needs_aiplus_text,
    needs_cn_2023,
    needs_nais_text,
    needs_uk_html,
    needs_us_pdf,
)
from policylab import read_document
from policylab.errors import FlatDocumentWarning, StructureWarning

PARAGRAPHS = ("Filler words about lanterns and harbour stones, nothing numbered in them at all.",
              "A second filler paragraph about kelp, moonlight and the quiet northern tides.",
              "A third one about gravel paths by the fjord and the copper kites above them.")

FLAT = {
    "notes.md": ("\n\n".join(PARAGRAPHS), r"no headings \(# lines\) and no lists"),
    "notes.html": ("<html><head><title>Invented Notes</title></head><body>"
                   + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</body></html>",
                   r"no headings \(<h1> to <h6>\) and no lists"),
    "notes.txt": ("\n".join(PARAGRAPHS), "no heading lines and no list items"),
}

STRUCTURED = {
    "plan.md": "# Invented Plan\n\n## 1. Harbours\n\n" + "\n\n".join(PARAGRAPHS) + "\n\n## 2. Paths\n\nMore filler.\n",
    "plan.html": ("<html><head><title>Invented Plan</title></head><body><main><h1>Invented Plan</h1><h2>Harbours</h2>"
                  + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "<h2>Paths</h2><p>More filler words.</p></main>"
                  "</body></html>"),
    "plan.txt": "Invented Plan\n\n1. Harbours\n\n" + "\n\n".join(PARAGRAPHS) + "\n\n2. Paths\n\nMore filler words.\n",
    "list.md": "Filler before a list of steps.\n\n- a first filler step\n- a second filler step\n",
}


@pytest.mark.parametrize("name", FLAT)
def test_a_document_without_structure_warns_naming_the_file(tmp_path, name):
    content, not_found = FLAT[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.warns(FlatDocumentWarning) as caught:
        units = read_document(path)
    message = str(caught[0].message)
    assert str(path) in message and "no numbering" in message
    assert re.search(not_found, message), message
    assert message.endswith("read as 3 paragraphs.")
    assert units.attrs["structure"] == "flat"
    assert units.level.isin(["title", "paragraph"]).all()


def _read_without_flat_warning(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", FlatDocumentWarning)
        warnings.simplefilter("error", StructureWarning)  # what the PDF reader says instead
        return read_document(path)


@pytest.mark.parametrize("name", STRUCTURED)
def test_a_structured_document_reads_without_the_warning(tmp_path, name):
    path = tmp_path / name
    path.write_text(STRUCTURED[name], encoding="utf-8")
    assert _read_without_flat_warning(path).attrs["structure"] == "structured"


@pytest.mark.parametrize("path", [
    pytest.param(CN_2023_HTML, marks=needs_cn_2023, id="cn-gaigi-2023"),
    pytest.param(UK_HTML, marks=needs_uk_html, id="gb-aiop-2025"),
    pytest.param(US_PDF, marks=needs_us_pdf, id="us-aap-2025"),
    pytest.param(AIPLUS_TEXT, marks=needs_aiplus_text, id="cn-aiplus-2025-en"),
    pytest.param(NAIS_TEXT, marks=needs_nais_text, id="sg-nais-2023"),
])
def test_reference_documents_read_without_the_warning(path):
    assert _read_without_flat_warning(path).attrs["structure"] == "structured"


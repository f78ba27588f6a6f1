"""Shared test fixtures: where the reference copies of the official documents are."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
US_PDF = CORPUS / "us-aap-2025" / "Americas-AI-Action-Plan.pdf"
CN_2023_HTML = CORPUS / "cn-gaigi-2023-zh" / "mfa_t20231020_11164831.html"
SHINGLES = SHARED / "tools" / "source-shingles.txt"


def _need(path: Path):
    return pytest.mark.skipif(
        not path.exists(),
        reason=f"reference copy {path} is absent (../shared/corpus is only beside developer and CI checkouts)")


needs_us_pdf = _need(US_PDF)
needs_cn_2023 = _need(CN_2023_HTML)
needs_shingles = _need(SHINGLES)


@pytest.fixture(scope="session")
def us_units():
    """The US plan's unit table, read once per test session."""
    if not US_PDF.exists():
        pytest.skip(f"reference copy {US_PDF} is absent")
    from policylab import read_document

    return read_document(US_PDF)

"""Shared test fixtures: where the reference copies of the official documents are."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
US_PDF = CORPUS / "us-aap-2025" / "Americas-AI-Action-Plan.pdf"
CN_2023_HTML = CORPUS / "cn-gaigi-2023-zh" / "mfa_t20231020_11164831.html"
UK_HTML = CORPUS / "gb-aiop-2025" / "ai-opportunities-action-plan.html"
AIPLUS_TEXT = CORPUS / "cn-aiplus-2025-en" / "ai-plus-opinions-en.txt"
NAIS_TEXT = CORPUS / "sg-nais-2023" / "nais-2.0.txt"
UK_HTML_SHA256 = "1a0f98a3b21f1b30bfa3704f07281965e0200b9fc3afb2c24de73c82536ab81d"  # the corpus README's
SHINGLES = SHARED / "tools" / "source-shingles.txt"


def _need(path: Path):
    return pytest.mark.skipif(
        not path.exists(),
        reason=f"reference copy {path} is absent (../shared/corpus is only beside developer and CI checkouts)")


needs_us_pdf = _need(US_PDF)
needs_cn_2023 = _need(CN_2023_HTML)
needs_uk_html = _need(UK_HTML)
needs_shingles = _need(SHINGLES)
needs_aiplus_text = _need(AIPLUS_TEXT)
needs_nais_text = _need(NAIS_TEXT)


def confirmed_body_share(units) -> tuple[int, int]:
    """(confirmed, total) tokens of the body units (preamble, paragraphs, actions) by the shingles."""
    from policylab.parse.fidelity import confirmed_tokens, load_shingles

    body = units[units.level.isin(["preamble", "paragraph", "action"])]
    return confirmed_tokens(body.text, load_shingles(SHINGLES))


@pytest.fixture(scope="session")
def us_units():
    """The US plan's unit table, read once per test session."""
    if not US_PDF.exists():
        pytest.skip(f"reference copy {US_PDF} is absent")
    from policylab import read_document

    return read_document(US_PDF)


@pytest.fixture(scope="session")
def uk_units():
    """The UK plan's unit table (the bare govspeak body), read once per test session.

    The registry cannot recognise this file by hash (the gov.uk page's bytes differ), so the
    plan id is given.
    """
    if not UK_HTML.exists():
        pytest.skip(f"reference copy {UK_HTML} is absent")
    from policylab import read_document

    return read_document(UK_HTML, plan_id="gb-aiop-2025")

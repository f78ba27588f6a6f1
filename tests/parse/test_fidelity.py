"""Readers reproduce the official wording: body tokens confirmed by the official text's shingles."""

import pytest

from conftest import confirmed_body_share, needs_shingles


@needs_shingles
@pytest.mark.parametrize(("units", "min_tokens"), [("us_units", 8000), ("uk_units", 7500)])
def test_body_text_reads_as_the_official_wording(request, units, min_tokens):
    """At least 99.5% of body tokens sit in a 10-word window of the official text."""
    confirmed, total = confirmed_body_share(request.getfixturevalue(units))
    assert total > min_tokens
    assert confirmed / total >= 0.995, f"{confirmed}/{total} tokens confirmed"

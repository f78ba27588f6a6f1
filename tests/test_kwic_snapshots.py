"""Keyword-in-context snapshots of each theme's most frequent terms in the US plan.

The contexts are the plan's own words, which the repository must not hold, so the
snapshot stores, for each hit, the unit id and a hash of the context. Refresh after a
deliberate change with:  POLICYLAB_UPDATE_SNAPSHOTS=1 pytest tests/test_kwic_snapshots.py

Refreshed when kwic moved to policylab.kwic (issue 19): contexts now keep the text's own
case and punctuation (they were lower-cased word tokens), and a term's words match across
hyphens, spaces and line breaks, so every hash changed and terms written with a hyphen or
a space now also find the other spelling.
"""

import hashlib
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from conftest import needs_us_pdf
from policylab import kwic, tag_themes
from policylab.themes import THEME_IDS

SNAPSHOT = Path(__file__).parent / "snapshots" / "kwic-us-aap-2025.json"
TOP_TERMS = 3


def _snapshot(units):
    tags = tag_themes(units)
    result = {}
    for theme in THEME_IDS:
        terms = Counter(t for cell in tags.loc[tags.theme == theme, "matched_terms"] for t in cell.split("; ") if t)
        top = sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS]
        result[theme] = {}
        for term, _ in top:
            hits = kwic(units, term, window=4)
            result[theme][term] = [
                [row.unit_id, hashlib.blake2b(f"{row.left}|{row.match}|{row.right}".encode(), digest_size=6).hexdigest()]
                for row in hits.itertuples()]
    return result


@needs_us_pdf
def test_top_terms_and_their_contexts_are_unchanged(us_units):
    current = _snapshot(us_units)
    if os.environ.get("POLICYLAB_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.skip("snapshot rewritten")
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for theme in THEME_IDS:
        assert list(current[theme]) == list(stored[theme]), f"top terms of {theme} changed"
        for term, hits in stored[theme].items():
            assert current[theme][term] == hits, f"contexts of {term!r} ({theme}) changed"

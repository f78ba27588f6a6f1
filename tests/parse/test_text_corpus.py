"""Two plans kept as plain text by document collections, read as their numbering says (../shared/corpus)."""

import pytest

from conftest import CORPUS
from policylab import read_document

SG = CORPUS / "sg-nais-2023" / "nais-2.0.txt"
CN_AIPLUS = CORPUS / "cn-aiplus-2025-en" / "ai-plus-opinions-en.txt"


def _need(path):
    return pytest.mark.skipif(not path.exists(), reason=f"reference copy {path} is absent "
                              "(../shared/corpus is only beside developer and CI checkouts)")


@_need(SG)
def test_singapore_systems_hold_enablers_which_hold_the_numbered_actions():
    units = read_document(SG).set_index("unit_id")
    systems = units[units.label.fillna("").str.startswith("SYSTEM")]
    enablers = units[units.label.fillna("").str.startswith("ENABLER")]
    actions = units[units.level == "action"]
    assert (systems.level == "part").all() and len(systems) == 3
    assert (enablers.level == "section").all() and len(enablers) == 10
    assert set(enablers.parent_id) == set(systems.index)
    assert actions.label.tolist() == [f"Action {n}" for n in range(1, 16)]  # the 15 numbered actions, no bullet
    assert set(actions.parent_id) <= set(enablers.index)
    assert not actions.text.str.match(r"Action \d").any()  # the number is the label; the text is the short title
    assert (units.level == "preamble").sum() <= 3


@_need(CN_AIPLUS)
def test_ai_plus_fields_numbered_across_the_document_hold_their_restarting_items():
    units = read_document(CN_AIPLUS).set_index("unit_id")
    parts = units[units.level == "part"]
    assert parts.label.tolist()[:3] == ["I", "II", "III"]
    fields = units[units.label.fillna("").str.match(r"\(\d+\)$")]
    holding = fields[fields.level == "section"]
    assert len(holding) >= 2 and (holding.label.tolist() == [f"({n})" for n in range(1, len(holding) + 1)])
    for field_id in holding.index:
        items = units[units.parent_id == field_id]
        points = items[items.level == "point"]
        assert points.label.tolist()[:2] == ["1", "2"], field_id  # items restart in every field
    assert (fields[fields.level == "point"].parent_id.isin(parts.index)).all()  # later "(N)" are items of a part

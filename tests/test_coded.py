"""The coded edition, its reliability files and the tagger validation."""

import subprocess
import sys

import pandas as pd
import pytest

from conftest import (
    CN_2023_HTML,
    SHARED,
    UK_HTML,
    US_PDF,
    needs_aiplus_text,
    needs_cn_2023,
    needs_nais_text,
    needs_uk_html,
    needs_us_pdf,
)
from policylab import load_codes, load_plan, read_document
from policylab.coded import (
    CODED_DIR,
    CODED_PLANS,
    THEME_IDS,
    adjudicate,
    apply_recode,
    build,
    current_agreement,
    read_codes,
    read_recode,
)
from policylab.errors import PolicyLabError
from policylab.resampling import section_clusters


@pytest.fixture(scope="module")
def editions():
    return {plan_id: load_plan(plan_id, source="coded") for plan_id in CODED_PLANS}


def test_every_unit_has_a_short_summary_an_orientation_a_basis_and_a_confidence(editions):
    for plan_id, edition in editions.items():
        assert edition.text.str.strip().ne("").all(), plan_id
        assert edition.text.str.split().str.len().max() <= 30, plan_id
        known = edition.confidence != "unknown"
        assert edition.orientation[known].isin(["development", "safety", "both", "neither"]).all()
        expected = {"cn-gaigap-2025": "secondary", "cn-aiplus-2025": "translation"}.get(plan_id, "primary")
        assert set(edition.basis) == {expected}, plan_id
        assert set(edition.confidence) <= {"high", "medium", "low", "unknown"}
        assert edition.language.eq("en").all()
    assert set(editions["us-aap-2025"].confidence) == {"high"}


def test_content_unknown_units_carry_missing_codes_not_no_theme(editions):
    """Point 13 of the 2025 Action Plan: no source describes it (FACTS.md), so its codes are NA."""
    plan = editions["cn-gaigap-2025"].set_index("unit_id")
    assert plan.loc["cn-gaigap-2025/pt13", "confidence"] == "unknown"
    assert pd.isna(plan.loc["cn-gaigap-2025/pt13", "themes"]) and pd.isna(plan.loc["cn-gaigap-2025/pt13", "orientation"])
    assert plan.loc["cn-gaigap-2025/pt01", "confidence"] == "high" and plan.loc["cn-gaigap-2025/pt10", "confidence"] == "medium"
    assert plan.themes.drop("cn-gaigap-2025/pt13").notna().all()
    codes = load_codes("cn-gaigap-2025")
    assert codes[codes.unit_id == "cn-gaigap-2025/pt13"].value.isna().all() and codes.value.notna().sum() == 15 * len(THEME_IDS)


def test_secondary_plan_uses_the_ids_the_page_reader_will_give(editions, tmp_path):
    from html_factory import action_plan_zh

    page = tmp_path / "plan.html"
    page.write_text(action_plan_zh(), encoding="utf-8")
    assert editions["cn-gaigap-2025"].unit_id.tolist() == read_document(page, plan_id="cn-gaigap-2025").unit_id.tolist()


@needs_us_pdf
def test_us_edition_covers_exactly_the_units_of_the_official_pdf(editions):
    units = read_document(US_PDF)
    edition = editions["us-aap-2025"]
    assert edition.unit_id.tolist() == units.unit_id.tolist()
    pd.testing.assert_frame_equal(edition[["level", "part", "section", "page"]], units[["level", "part", "section", "page"]])


@needs_cn_2023
def test_initiative_edition_covers_exactly_the_units_of_the_mfa_page(editions):
    assert editions["cn-gaigi-2023"].unit_id.tolist() == read_document(CN_2023_HTML).unit_id.tolist()


@needs_uk_html
def test_uk_edition_covers_exactly_the_units_of_the_gov_uk_page_with_their_labels(editions):
    units = read_document(UK_HTML, plan_id="gb-aiop-2025")
    edition = editions["gb-aiop-2025"]
    columns = ["unit_id", "level", "label", "part", "section", "page"]
    pd.testing.assert_frame_equal(edition[columns], units[columns])
    actions = edition[edition.level == "action"]
    assert actions.label.tolist() == [str(n) for n in range(1, 51)]
    headings = pd.read_csv(CODED_DIR / "gb-aiop-2025.csv", dtype=str).set_index("unit_id").heading
    assert headings["gb-aiop-2025/p2/s02/ss01"] == "Scan" and headings["gb-aiop-2025/pre02"].startswith("Foreword")


@needs_uk_html
def test_uk_edition_and_the_read_page_resample_the_same_clusters(editions, uk_units):
    edition = editions["gb-aiop-2025"]
    coded_clusters = section_clusters(edition, edition)
    pd.testing.assert_series_equal(coded_clusters, section_clusters(uk_units, uk_units))
    front = coded_clusters[edition.unit_id.str.contains("/pre") & edition.part.notna()]
    conclusion = coded_clusters[edition.unit_id.str.contains("/post")]
    assert front.nunique() == 2 and conclusion.nunique() == 1  # a division is one cluster, not one per paragraph


def test_codes_in_long_form_join_the_edition(editions):
    codes = load_codes("us-aap-2025")
    assert list(codes.columns) == ["plan_id", "unit_id", "theme", "value"]
    assert len(codes) == len(editions["us-aap-2025"]) * len(THEME_IDS)
    coded = codes[codes.value == 1].groupby("unit_id").theme.apply(lambda s: ";".join(sorted(s)))
    themes = editions["us-aap-2025"].set_index("unit_id").themes
    assert all(";".join(sorted(themes[u].split(";"))) == coded[u] for u in coded.index)
    with pytest.raises(PolicyLabError, match="xx-none"):
        load_codes(["xx-none"])


def test_gold_resolves_every_disagreement_to_one_of_the_coders():
    first, second = read_codes(CODED_DIR / "round1" / "coder_a.csv"), read_codes(CODED_DIR / "round1" / "coder_b.csv")
    decisions = pd.read_csv(CODED_DIR / "adjudication.csv", dtype=str)
    decisions = decisions[~decisions.field.isin(["instruments", "actors"])]
    disagreements = sum(int((first[c] != second[c]).sum()) for c in [*THEME_IDS, "orientation"])
    assert len(decisions) == disagreements
    assert (decisions.resolved.eq(decisions.coder_a) | decisions.resolved.eq(decisions.coder_b)).all()
    assert decisions.reason.str.strip().ne("").all()
    gold = adjudicate(first, second, decisions)
    # the UK themes recoded in round 2 under codebook v1.2 replace round 1's values
    recode = [read_recode(CODED_DIR / "round2" / f"coder_{side}.csv") for side in "ab"]
    again = pd.read_csv(CODED_DIR / "adjudication_round2.csv", dtype=str)
    fields = [c for c in recode[0].columns if c != "unit_id"]
    assert len(again) == sum(int((recode[0][c] != recode[1][c]).sum()) for c in fields)
    assert (again.resolved.eq(again.coder_a) | again.resolved.eq(again.coder_b)).all()
    stored = read_codes(CODED_DIR / "gold.csv")
    pd.testing.assert_frame_equal(apply_recode(gold, *recode, again), stored)
    recoded = stored.unit_id.isin(recode[0].unit_id)
    pd.testing.assert_frame_equal(stored[~recoded], gold[~recoded])  # nothing else changes


@pytest.mark.parametrize("plan_id", ["gb-aiop-2025", "cn-aiplus-2025", "sg-nais-2023"])
def test_instruments_and_actors_are_adjudicated_and_the_edition_holds_the_resolution(editions, plan_id):
    def lists(frame):
        frame = frame.fillna("")
        return {(u, f): v for f in ("instruments", "actors") for u, v in zip(frame.unit_id, frame[f])
                if u.startswith(f"{plan_id}/")}

    first = lists(pd.concat([pd.read_csv(p, dtype=str) for p in (CODED_DIR / "edition").glob("*.csv")]))
    second = lists(pd.read_csv(CODED_DIR / "round1" / "instruments_actors_b.csv", dtype=str))
    decisions = pd.read_csv(CODED_DIR / "adjudication.csv", dtype=str, keep_default_na=False)
    decisions = decisions[decisions.field.isin(["instruments", "actors"])]
    resolved = {(u, f): v for u, f, v in zip(decisions.unit_id, decisions.field, decisions.resolved)
                if u.startswith(f"{plan_id}/")}
    def differ(x, y):  # the same items in another order is agreement
        return {i.strip().lower() for i in x.split(";")} != {i.strip().lower() for i in y.split(";")}

    assert {key for key in first if differ(first[key], second[key])} == set(resolved)
    assert decisions.reason.str.strip().ne("").all()
    edition = lists(editions[plan_id][["unit_id", "instruments", "actors"]])
    assert edition == {**first, **resolved}
    assert edition != first  # the resolutions changed something a user sees


def test_agreement_file_is_current():
    stored = pd.read_csv(CODED_DIR / "agreement.csv", dtype={"round": str})
    pd.testing.assert_frame_equal(stored, current_agreement(), check_dtype=False)


def test_agreement_file_has_intervals_and_ac1_for_every_theme():
    stored = pd.read_csv(CODED_DIR / "agreement.csv", dtype={"round": str})
    themes = stored[(stored.kind == "theme") & (stored.plan_id == "all") & (stored["round"] == "1")].set_index("field")
    assert list(themes.index) == list(THEME_IDS)
    assert ((themes.alpha_low <= themes.alpha) & (themes.alpha <= themes.alpha_high)).all()
    assert themes.ac1.between(-1, 1).all()


@needs_us_pdf
@needs_cn_2023
@needs_uk_html
@needs_aiplus_text
@needs_nais_text
def test_derived_files_rebuild_byte_identically(tmp_path):
    out = tmp_path / "coded"
    for name in ("round1", "round2", "edition"):
        (out / name).mkdir(parents=True)
        for path in (CODED_DIR / name).glob("*.csv"):
            (out / name / path.name).write_bytes(path.read_bytes())
    for name in ("adjudication.csv", "adjudication_round2.csv", "confidence.csv"):
        (out / name).write_bytes((CODED_DIR / name).read_bytes())
    build(out)
    for name in ["gold.csv", "agreement.csv", *(f"{p}.csv" for p in CODED_PLANS)]:
        assert (out / name).read_bytes() == (CODED_DIR / name).read_bytes(), name


@needs_us_pdf
@needs_uk_html
def test_tagger_validation_files_are_current():
    from policylab.rates import read_units
    from policylab.validation import VALIDATION_PATH, validation_tables

    table, units = validation_tables()
    stored = pd.read_csv(VALIDATION_PATH, dtype={"codebook_version": str})
    pd.testing.assert_frame_equal(stored, table, check_dtype=False)
    pd.testing.assert_frame_equal(read_units(), units.fillna(""), check_dtype=False)


@pytest.mark.skipif(not (SHARED / "tools" / "verbatim_check.py").exists(), reason="../shared/tools is absent")
def test_repository_holds_no_copied_source_text():
    repo = CODED_DIR.parent.parent
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "verbatim_check.py"), str(repo)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout[-2000:]


def test_a_recode_replaces_only_the_recoded_themes_of_the_recoded_units():
    gold = pd.DataFrame({"unit_id": ["x/pre01", "x/pre02", "y/pre01"], **{t: [0, 0, 0] for t in THEME_IDS},
                         "orientation": ["neither"] * 3})
    gold.loc[1, "values_rights"] = 1
    first = pd.DataFrame({"unit_id": ["x/pre01", "x/pre02"], "values_rights": [1, 0], "competition_sovereignty": [1, 1]})
    second = first.assign(competition_sovereignty=[1, 0])  # the coders split on one cell
    decisions = pd.DataFrame({"unit_id": ["x/pre02"], "field": ["competition_sovereignty"], "resolved": ["0"]})
    recoded = apply_recode(gold, first, second, decisions).set_index("unit_id")
    assert recoded.loc["x/pre01", "values_rights"] == 1 and recoded.loc["x/pre02", "values_rights"] == 0
    assert recoded.loc["x/pre01", "competition_sovereignty"] == 1  # agreed
    assert recoded.loc["x/pre02", "competition_sovereignty"] == 0  # as resolved
    assert recoded.loc["y/pre01"].equals(gold.set_index("unit_id").loc["y/pre01"])  # not recoded: untouched
    assert (recoded[[t for t in THEME_IDS if t not in first.columns]] == 0).all(axis=None)
    with pytest.raises(PolicyLabError, match="competition_sovereignty of x/pre02 has no resolution in adjudication_round2"):
        apply_recode(gold, first, second, decisions.iloc[:0])

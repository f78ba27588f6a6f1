"""Tagger-coded plans: tag_themes carries plan_id; code_plan gives the coded edition's columns."""

import pandas as pd
import pytest

import policylab as pl
from policylab import compare
from policylab.coding import (
    DEVELOPMENT_THEMES,
    SAFETY_TERMS,
    SAFETY_THEMES,
    code_plan,
    orientation,
)
from policylab.errors import PolicyLabError, SchemaError
from policylab.themes import load_codebook
from policylab.units import Unit, to_frame

# The Northwind plan is a list of units without sections, read flat on purpose: the warning that
# says so is tested in test_readquality.py.
pytestmark = pytest.mark.filterwarnings("ignore::policylab.readquality.ReadingWarning")

# Invented filler: one unit per rule the orientation mapping implements.
UNITS = [
    ("title", "Northwind Plan for Safe Innovation"),
    ("preamble", "Northwind will fund research and innovation and build new data centres."),
    ("action", "Tighten export controls on advanced chips and stop their diversion to rivals."),
    ("action", "Our rivals seek dominance and we must win the race."),
    ("action", "Require that public chatbots are free from ideological bias and censorship."),
    ("action", "Celebrate the shared values and dignity of every citizen."),
    ("action", "Expand apprenticeships so that workers gain skills for new jobs."),
    ("action", "Support research that tests frontier systems for risks, threats and misuse."),
    ("action", "Deploy trustworthy chatbots faster in every ministry."),
    ("action", "Join the summit and sign the treaty."),
]


def northwind(plan_id="northwind-2026"):
    title = f"{plan_id}/title"
    units = [Unit(title if level == "title" else f"{plan_id}/a{i:02d}", level, text,
                  parent_id=None if level == "title" else title) for i, (level, text) in enumerate(UNITS)]
    return to_frame(units, plan_id=plan_id, language="en")


def test_tag_themes_carries_plan_id():
    tags = pl.tag_themes(northwind())
    assert list(tags.columns[:2]) == ["plan_id", "unit_id"] and set(tags.plan_id) == {"northwind-2026"}
    bare = pl.tag_themes(pd.DataFrame({"unit_id": ["u"], "text": ["Open source."], "language": ["en"]}))
    assert bare.plan_id.isna().all() and str(bare.plan_id.dtype) == "string"


@pytest.mark.parametrize("development, safety, expected", [
    (0, 0, "neither"), (3, 0, "development"), (0, 2, "safety"),
    (3, 1, "development"), (1, 3, "safety"),  # tie rule 2: one word of the other side does not make it both
    (1, 1, "both"), (2, 2, "both"), (2, 5, "both"),  # tie rule 6: cannot choose between the two -> both
])
def test_orientation_follows_the_tie_rules(development, safety, expected):
    assert orientation(development, safety) == expected


def test_code_plan_codes_themes_and_orientation_by_the_codebook_rules():
    coded = code_plan(northwind()).set_index("unit_id")
    got = dict(zip(coded.index.str.rsplit("/", n=1).str[-1], coded.orientation))
    assert got == {
        "title": "neither",       # the document's title (rule preamble_and_signatures), though it names themes
        "a01": "development",     # research, innovation, data centres
        "a02": "safety",          # export controls: a protective measure (the DECIDED note, tie rule 5)
        "a03": "neither",         # rivalry rhetoric without a measure
        "a04": "safety",          # requirements on AI behaviour (tie rule 4)
        "a05": "neither",         # a declaration of values (tie rule 4)
        "a06": "development",     # workforce (tie rule 3)
        "a07": "safety",          # one development word ("research") against several safety matches (tie rule 2)
        "a08": "both",            # one match on each side: cannot choose (tie rule 6)
        "a09": "neither",         # international cooperation names no side
    }
    assert coded.loc["northwind-2026/title", "themes"] != ""
    assert coded.loc["northwind-2026/a02", "themes"].split(";") == ["infrastructure_energy", "competition_sovereignty"]
    assert coded.loc["northwind-2026/a09", "themes"] == "international_cooperation"
    assert (coded.basis == "tagger").all() and coded.actors.isna().all()


def test_code_plan_has_the_columns_and_dtypes_of_the_coded_edition():
    hand = pl.load_plan("us-aap-2025", source="coded")
    coded = code_plan(northwind())
    shared = [c for c in hand.columns if c in coded.columns]
    assert shared == list(coded.columns)
    assert {c: str(hand[c].dtype) for c in shared} == {c: str(coded[c].dtype) for c in shared}
    assert coded.attrs["basis"] == ["tagger"] and coded.attrs["codebook_version"] == load_codebook().version


def with_basis(table_of, corpus, **options):
    """compare's table with a basis column: its own where compare reports the basis, else by grouping."""
    table = table_of(corpus, **options)
    return table if "basis" in table else table_of(corpus, by=["plan_id", "basis"], **options)


def test_tagger_and_hand_coded_plans_compare_together_and_keep_their_basis():
    hand = pl.load_plan("us-aap-2025", source="coded")
    tagged = code_plan(northwind())
    mixed = pd.concat([hand, tagged], ignore_index=True)
    assert mixed.groupby("plan_id", sort=False)["basis"].unique().map(list).to_dict() == {
        "us-aap-2025": ["primary"], "northwind-2026": ["tagger"]}
    shares = with_basis(compare.theme_shares, mixed, n_boot=200, correct=False)
    mine = shares[shares.plan_id == "northwind-2026"].set_index("theme")
    us = shares[shares.plan_id == "us-aap-2025"]
    assert set(mine.basis) == {"tagger uncorrected"} and set(us.basis) == {"gold"} and set(us.source_basis) == {"primary"}
    corrected = compare.theme_shares(mixed, n_boot=200)  # by default, with the out-of-plan rates
    assert set(corrected[corrected.plan_id == "northwind-2026"].basis) == {"tagger corrected (out-of-plan rates)"}
    provisions = tagged[tagged.level.isin(compare.PROVISION_LEVELS)]
    for theme in ("safety_security", "competition_sovereignty", "workforce_education"):
        expected = provisions.themes.str.split(";").map(lambda ts, t=theme: t in ts).sum()
        assert mine.loc[theme, "n_coded"] == expected > 0
    alone = compare.theme_shares(hand, n_boot=200).set_index("theme")
    together = shares[shares.plan_id == "us-aap-2025"].set_index("theme")
    assert (together["share"] == alone["share"]).all()  # adding a tagger-coded plan changes nothing for the US
    balance = with_basis(compare.balance, mixed, n_boot=200).set_index("plan_id")
    counts = provisions.orientation.value_counts()
    assert balance.loc["northwind-2026", "basis"] == "tagger corrected (out-of-plan rates)"  # by default
    assert balance.loc["northwind-2026", ["n_development", "n_safety", "n_both", "n_neither"]].tolist() == [
        counts.get(o, 0) for o in ("development", "safety", "both", "neither")]


def test_the_orientation_mapping_names_only_codebook_themes_and_terms():
    codebook = load_codebook()
    assert set(DEVELOPMENT_THEMES + SAFETY_THEMES) | set(SAFETY_TERMS) <= set(codebook.theme_ids)
    for theme, terms in SAFETY_TERMS.items():
        lexicon = set(codebook.theme(theme).lexicon_en) | set(codebook.theme(theme).lexicon_zh)
        assert set(terms) <= lexicon, f"{theme}: {sorted(set(terms) - lexicon)} are not in its lexicon"
    assert set(code_plan(northwind()).orientation) <= set(codebook.orientation)


def test_code_plan_refuses_what_it_cannot_code():
    with pytest.raises(PolicyLabError, match="use one of default, dictionary, model"):
        code_plan(northwind(), tagger="regex")
    with pytest.raises(SchemaError, match="missing column"):
        code_plan(pd.DataFrame({"unit_id": ["u"], "text": ["x"], "language": ["en"]}))


def test_no_theme_term_is_matched_inside_a_url_or_a_links_target():
    units = to_frame([Unit("x/pre01", "preamble", "Read [the note](/open-source/ai-safety-institute) and "
                           "https://example.org/data-centres/export-controls or www.example.org/open-source."),
                      Unit("x/pre02", "preamble", "Release open source models.")], plan_id="x", language="en")
    tags = pl.tag_themes(units)
    found = tags[tags.score > 0]
    assert found.unit_id.tolist() == ["x/pre02"] and found.theme.tolist() == ["open_source"]

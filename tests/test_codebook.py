"""The codebook shipped in data/codebook.yaml and the validation of bad codebooks."""

from __future__ import annotations

import copy

import pytest
import yaml

from policylab.datafiles import YAML_LOADER
from policylab.errors import PolicyLabError
from policylab.themes import (
    CODEBOOK_PATH,
    ORIENTATIONS,
    THEME_IDS,
    Codebook,
    CodebookError,
    load_codebook,
)

YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook()


@pytest.fixture(scope="module")
def shipped() -> dict:
    return yaml.load(CODEBOOK_PATH.read_text(encoding="utf-8"), Loader=YAML_LOADER)


@pytest.fixture()
def raw(shipped) -> dict:
    """A fresh copy of the shipped codebook's YAML document, for one test to alter."""
    return copy.deepcopy(shipped)


def write(tmp_path, document) -> object:
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.dump(document, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def theme_entry(document: dict, theme_id: str) -> dict:
    return next(t for t in document["themes"] if t["id"] == theme_id)


# --- the shipped codebook -------------------------------------------------------------------


def test_shipped_codebook_is_versioned_and_has_all_thirteen_themes(codebook):
    assert codebook.version == "1.2"
    assert sorted(codebook.theme_ids) == sorted(THEME_IDS)
    assert len(codebook.theme_ids) == len(set(codebook.theme_ids)) == 13


def test_every_theme_has_rules_examples_and_both_lexicons(codebook):
    for theme in codebook.themes:
        assert theme.definition and theme.include and theme.exclude, theme.id
        assert 1 <= len(theme.examples) <= 3, theme.id
        assert theme.lexicon_en and theme.lexicon_zh, theme.id
        assert all(term == term.lower() for term in theme.lexicon_en), theme.id


def test_examples_are_short(codebook):
    for theme in codebook.themes:
        for example in theme.examples:
            # Chinese examples have no spaces: count characters, at most 40 "words" of ~1.5 chars
            n = len(example.split()) if " " in example else len(example) / 1.5
            assert n <= 40, f"{theme.id}: example too long: {example!r}"
    for cat, examples in codebook.orientation_examples.items():
        assert len(examples) == 2, cat
        assert all(len(e.split()) <= 40 for e in examples), cat


def test_no_term_is_in_two_themes_unless_declared(codebook):
    owners: dict[str, list] = {}
    for theme in codebook.themes:
        for term in (*theme.lexicon_en, *theme.lexicon_zh):
            owners.setdefault(term, []).append(theme)
    for term, themes in owners.items():
        if len(themes) > 1:
            assert all(term in t.shared_terms for t in themes), term


def test_key_vocabulary_is_where_coders_expect_it(codebook):
    lex = {t.id: set(t.lexicon_en) | set(t.lexicon_zh) for t in codebook.themes}
    assert {"open-weight", "open weight", "open-weights", "open-source", "开源"} <= lex["open_source"]
    assert {"全球南方", "发展中国家", "能力建设", "数字鸿沟", "global south"} <= lex["global_south_access"]
    assert {"安全", "风险", "biosecurity", "cybersecurity"} <= lex["safety_security"]
    assert {"workforce", "apprenticeship", "retraining", "人才", "教育"} <= lex["workforce_education"]
    assert {"export controls", "主权"} <= lex["competition_sovereignty"]
    assert "work" not in lex["workforce_education"]  # too broad: would tag half the plan


def test_orientation_instruments_and_decision_rules(codebook):
    assert tuple(codebook.orientation) == ORIENTATIONS
    assert "export control" in codebook.orientation["safety"]  # the decision is written down
    assert {"deregulation", "regulation", "funding", "export_control", "guidance"} <= set(codebook.instruments)
    assert len(codebook.instruments) == 12
    for rule in ("substantive_vs_mention", "anquan_safety_vs_security", "open_source_stance", "headings", "footnotes", "preamble_and_signatures"):
        assert codebook.decision_rules.get(rule), rule
    assert "安全" in codebook.decision_rules["anquan_safety_vs_security"]


def test_stop_phrases_fire_no_theme(codebook):
    assert "national institute of standards and technology" in codebook.stop_phrases["en"]


def test_to_frame_has_one_row_per_theme(codebook):
    df = codebook.to_frame()
    assert len(df) == 13
    assert list(df["id"]) == codebook.theme_ids
    assert {"id", "label", "definition", "n_terms_en", "n_terms_zh"} <= set(df.columns)
    assert (df["n_terms_en"] > 0).all() and (df["n_terms_zh"] > 0).all()
    assert df.attrs["codebook_version"] == "1.2"


def test_theme_lookup(codebook):
    assert codebook.theme("data").lexicon("zh-Hans") == codebook.theme("data").lexicon_zh
    with pytest.raises(CodebookError, match="no theme 'dat'"):
        codebook.theme("dat")


# --- bad codebooks --------------------------------------------------------------------------


def test_valid_copy_loads_from_any_path(tmp_path, raw):
    cb = load_codebook(write(tmp_path, raw))
    assert cb.path == tmp_path / "codebook.yaml"
    assert len(cb.themes) == 13


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "nope.yaml")
    bad = tmp_path / "codebook.yaml"
    bad.write_text("themes: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid YAML"):
        load_codebook(bad)


def test_duplicate_theme_id(tmp_path, raw):
    raw["themes"].append(copy.deepcopy(theme_entry(raw, "data")))
    with pytest.raises(CodebookError, match=r"theme id\(s\) data appear more than once"):
        load_codebook(write(tmp_path, raw))


def test_missing_field_names_theme(tmp_path, raw):
    del theme_entry(raw, "public_sector")["definition"]
    with pytest.raises(CodebookError, match=r"theme public_sector: missing field\(s\) definition") as info:
        load_codebook(write(tmp_path, raw))
    assert str(tmp_path) in str(info.value)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_empty_lexicon_names_theme_and_language(tmp_path, raw, language):
    theme_entry(raw, "values_rights")["lexicon"][language] = []
    with pytest.raises(CodebookError, match=rf"theme values_rights: lexicon\.{language} is missing or empty"):
        load_codebook(write(tmp_path, raw))


def test_undeclared_overlap_names_term_and_themes(tmp_path, raw):
    theme_entry(raw, "data")["lexicon"]["en"].append("workforce")
    with pytest.raises(CodebookError, match=r"'workforce'.*workforce_education.*data|'workforce'.*data.*workforce_education"):
        load_codebook(write(tmp_path, raw))


def test_declared_overlap_is_allowed(tmp_path, raw):
    for theme_id in ("data", "workforce_education"):
        entry = theme_entry(raw, theme_id)
        if "workforce" not in entry["lexicon"]["en"]:
            entry["lexicon"]["en"].append("workforce")
        entry.setdefault("shared_terms", []).append("workforce")
    cb = load_codebook(write(tmp_path, raw))
    assert "workforce" in cb.theme("data").shared_terms


@pytest.mark.parametrize("term", ["open.*source", "data (centre|center)", "risk?", "[开]源", "a|b", "^grid$"])
def test_regex_metacharacters_are_rejected(tmp_path, raw, term):
    theme_entry(raw, "open_source")["lexicon"]["en" if term.isascii() else "zh"].append(term)
    with pytest.raises(CodebookError, match=r"theme open_source: lexicon\.(en|zh) term .* regex metacharacter"):
        load_codebook(write(tmp_path, raw))


def test_plain_punctuation_is_allowed(tmp_path, raw):
    theme_entry(raw, "open_source")["lexicon"]["en"] += ["r. & d.'s open-weight"]
    load_codebook(write(tmp_path, raw))


def test_upper_case_english_term_is_rejected(tmp_path, raw):
    theme_entry(raw, "data")["lexicon"]["en"].append("Datasets")
    with pytest.raises(CodebookError, match="theme data: lexicon.en term 'Datasets' must be lower-case"):
        load_codebook(write(tmp_path, raw))


def test_too_many_examples(tmp_path, raw):
    theme_entry(raw, "data")["examples"] = ["one", "two", "three", "four"]
    with pytest.raises(CodebookError, match="theme data: give 1 to 3 examples"):
        load_codebook(write(tmp_path, raw))


def test_codebook_error_is_a_policylab_error():
    assert issubclass(CodebookError, PolicyLabError)


# --- frozen codebooks -----------------------------------------------------------------------


def test_frozen_codebooks_match_the_sha256_recorded_for_them_and_the_working_copy_is_not_a_changed_frozen_one(codebook):
    import hashlib
    import re

    frozen_dir = CODEBOOK_PATH.parent / "codebooks"
    recorded = dict(re.findall(r"^\| ([\d.]+) \| `v[\d.]+\.yaml` \| ([0-9a-f]{64}) \|", (frozen_dir / "FROZEN.md").read_text(),
                               flags=re.MULTILINE))
    files = {p.stem[1:]: hashlib.sha256(p.read_bytes()).hexdigest() for p in frozen_dir.glob("v*.yaml")}
    assert files == recorded and {"1.0", "1.1", "1.2"} <= set(files)
    assert all(load_codebook(frozen_dir / f"v{v}.yaml").version == v for v in files)
    if codebook.version in files:  # a frozen version is never edited: bump the version instead
        assert hashlib.sha256(CODEBOOK_PATH.read_bytes()).hexdigest() == files[codebook.version]


def test_the_agora_mapping_names_our_themes_and_argues_each_pair(codebook):
    import csv

    from conftest import SHARED
    from policylab.datafiles import read_yaml

    mapping = read_yaml(CODEBOOK_PATH.parent / "codebooks" / "agora-mapping.yaml", CodebookError, "Mapping", "restore it")
    assert set(mapping["themes"]) <= set(codebook.theme_ids)
    assert all(entry["tags"] and entry["reason"].strip() and entry["fit"] in ("close", "partial")
               for entry in mapping["themes"].values())
    documents = SHARED / "corpus" / "texts-dev" / "documents.csv"
    if documents.exists():  # every mapped tag is a column AGORA's annotators filled
        with documents.open(encoding="utf-8") as handle:
            columns = set(next(csv.reader(handle)))
        assert {tag for entry in mapping["themes"].values() for tag in entry["tags"]} <= columns

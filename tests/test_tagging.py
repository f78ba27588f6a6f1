"""The dictionary tagger: what it matches, what it must not, and the shape of its output."""

import pandas as pd
import pytest

from policylab import tagging
from policylab.coding import tag_themes
from policylab.errors import PolicyLabError
from policylab.tagging import en_tokens
from policylab.themes import THEME_IDS


def _units(*texts, language="en"):
    return pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(texts))], "text": list(texts),
                         "language": language})


def _tagged(frame):
    hits = frame[frame.score > 0]
    return {u: set(hits[hits.unit_id == u].theme) for u in frame.unit_id.unique()}


def test_hyphen_and_space_variants_are_one_term():
    tags = tag_themes(_units("Release open-weight models.", "Release open weight models.", "Opening weights."))
    assert _tagged(tags) == {"u0": {"open_source"}, "u1": {"open_source"}, "u2": set()}
    assert tags[(tags.unit_id == "u0") & (tags.theme == "open_source")].matched_terms.item() == "open-weight"


def test_longest_match_and_agency_names_fire_no_shorter_theme():
    tags = _tagged(tag_themes(_units(
        "Build a data center in Ohio.",
        "The National Institute of Standards and Technology will lead.",
        "Publish technical standards.")))
    assert tags["u0"] == {"infrastructure_energy"}
    assert tags["u1"] == set()
    assert tags["u2"] == {"standards_norms"}


def test_whole_words_only():
    assert _tagged(tag_themes(_units("Unsafely safeness innovativeness datum.")))["u0"] == set()


def test_chinese_terms_stay_whole_and_compounds_still_count():
    tags = tag_themes(_units("支持全球南方国家加强能力建设。", "加强网络安全防护。", "南方地区的天气。", language="zh-Hans"))
    found = _tagged(tags)
    assert "global_south_access" in found["u0"]
    assert "safety_security" in found["u1"]
    assert "global_south_access" not in found["u2"]


def test_output_is_tidy_complete_and_stable():
    units = _units("Train workers for data centers.", "No themes here at all.")
    first, second = tag_themes(units), tag_themes(units)
    pd.testing.assert_frame_equal(first, second)
    assert list(first.columns) == ["plan_id", "unit_id", "theme", "score", "matched_terms"]
    assert len(first) == 2 * len(THEME_IDS)
    assert (first[first.unit_id == "u1"].score == 0).all()


def test_bad_input_is_explained():
    with pytest.raises(PolicyLabError, match="missing: language"):
        tag_themes(pd.DataFrame({"unit_id": ["a"], "text": ["x"]}))
    with pytest.raises(PolicyLabError, match="Unknown tagging method 'regex'"):
        tag_themes(_units("x"), method="regex")
    with pytest.raises(PolicyLabError, match=r"2 unit\(s\) have no text or no language.*first: u1, u2"):
        tag_themes(pd.DataFrame({"unit_id": ["u0", "u1", "u2"], "text": ["Open source.", None, 3.0],
                                 "language": ["en", "en", "en"]}))
    with pytest.raises(PolicyLabError, match=r"1 unit\(s\).*first: u0"):
        tag_themes(pd.DataFrame({"unit_id": ["u0"], "text": ["x"], "language": [pd.NA]}))


def test_tokens_fold_case_apostrophes_and_hyphens():
    assert en_tokens("America’s Open-Weight R&D") == ["america's", "open", "weight", "r&d"]


def _token_scan(text, codebook):
    """The English contract stated plainly: URLs blanked, leftmost-longest over en_tokens, stop
    phrases (and context rules' not_in phrases) first; a term with only_with words counts
    only if one of them is among the text's tokens."""
    import re

    text = re.sub(r"(?:https?://|www\.)\S*", " ", text, flags=re.IGNORECASE)
    rules = codebook.context_rules["en"]
    entries = {}
    for term in [*codebook.stop_phrases["en"], *(phrase for rule in rules for phrase in rule.not_in)]:
        entries.setdefault(tuple(en_tokens(term)), None)
    for theme in codebook.themes:
        for term in theme.lexicon_en:
            entries.setdefault(tuple(en_tokens(term)), term)
    themes_of = {}
    for theme in codebook.themes:
        for term in theme.lexicon_en:
            themes_of.setdefault(term, []).append(theme.id)
    longest = max(map(len, entries))
    tokens, found, i = en_tokens(text), {}, 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            key = tuple(tokens[i:i + size])
            if key in entries:
                if entries[key] is not None:
                    for theme in themes_of[entries[key]]:
                        found.setdefault(theme, []).append(entries[key])
                i += size
                break
        else:
            i += 1
    padded = f" {' '.join(tokens)} "
    for rule in rules:
        if rule.only_with and not any(f" {' '.join(en_tokens(word))} " in padded for word in rule.only_with):
            found = {theme: kept for theme, terms in found.items()
                     if (kept := [term for term in terms if term not in rule.terms])}
    return found


def test_english_matching_equals_a_plain_token_scan_on_awkward_spellings():
    import random

    from policylab.tagging import default_tagger

    tagger = default_tagger()
    terms = [t for theme in tagger.codebook.themes for t in theme.lexicon_en] + list(tagger.codebook.stop_phrases["en"])
    rng = random.Random(11)
    for _ in range(400):
        words = [rng.choice(["the", "plan", "and", "x", "r", "d", "'", "&", "-", "—", "/"]) for _ in range(12)]
        for _ in range(4):
            term = rng.choice(terms).replace(" ", rng.choice([" ", "-", " & ", "/", "’", " - "]))
            words.insert(rng.randrange(len(words) + 1), rng.choice(["", "Non", "co-"]) + term.upper()
                         + rng.choice(["", "s", "'s", "&d", "-led", "’"]))
        text = rng.choice([" ", "", "-", "'", "&"]).join(words)
        assert tagger.match(text, "en") == _token_scan(text, tagger.codebook), text


def _substring_scan(text: str, terms: dict) -> dict:
    """The codebook's Chinese contract done by hand: at each position the longest term that
    starts there counts and the scan moves past it; stop phrases count for no theme."""
    found, i = {}, 0
    while i < len(text):
        term = max((t for t in terms if text.startswith(t, i)), key=len, default=None)
        if term is None:
            i += 1
            continue
        for theme in terms[term]:
            found.setdefault(theme, []).append(term)
        i += len(term)
    return found


def test_chinese_matching_is_leftmost_longest_substring_matching():
    import random

    from policylab.tagging import default_tagger

    tagger = default_tagger()
    terms = {stop: [] for stop in tagger.codebook.stop_phrases["zh"]}
    for theme in tagger.codebook.themes:
        for term in theme.lexicon_zh:
            terms.setdefault(term, []).append(theme.id)
    rng = random.Random(5)
    pieces = [*terms, "各方", "推进", "相关", "工作", "网络", "大", "的", "，", "。", " ", "AI", "、"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(3, 30)))
        assert tagger.match(text, "zh-Hans") == _substring_scan(text, terms), text


def _scores(found: dict) -> dict:
    return {theme: (len(terms), "; ".join(sorted(set(terms)))) for theme, terms in found.items()}


def test_tagging_many_units_at_once_equals_scanning_each_alone(monkeypatch):
    """tag() searches all units in one pass; no term may run from one unit into the next, and
    non-ASCII letters, dashes, apostrophes, NULs and full-width forms fold as en_tokens does."""
    import random

    from policylab.tagging import default_tagger

    tagger = default_tagger()
    codebook = tagger.codebook
    terms = [t for theme in codebook.themes for t in theme.lexicon_en]
    rng = random.Random(3)
    pieces = ["the", "plan", "Ｏｐｅｎ", "café", "naïve", "‐", "—", "’", "'", "&", "\x00", " ", "\n", "İ", "ß", "？", "ﬁ"]
    texts = []
    for _ in range(300):
        words = [rng.choice(pieces) for _ in range(rng.randint(0, 10))]
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(terms).replace(" ", rng.choice([" ", "‐", "\x00", "’"])))
        texts.append(rng.choice([" ", "", "-"]).join(words))
    texts += ["We back open", "source models.", "national security", ""]  # phrase halves at unit edges
    zh = ["支持全球", "南方国家", "网络安全"]
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(texts) + len(zh))], "text": texts + zh,
                          "language": ["en"] * len(texts) + ["zh-Hans"] * len(zh)})
    tags = tagger.tag(units)
    hits = tags[tags.score > 0]
    for unit_id, text, language in zip(units.unit_id, units.text, units.language):
        found = hits[hits.unit_id == unit_id]
        expected = _token_scan(text, codebook) if language == "en" else tagger.match(text, language)
        assert dict(zip(found.theme, zip(found.score.astype(int), found.matched_terms))) == _scores(expected), repr(text)
    assert "open_source" not in set(hits[hits.unit_id.isin(["u300", "u301"])].theme)
    monkeypatch.setattr(tagging, "BATCH_UNITS", 7)  # searched 7 units at a time: the same table
    pd.testing.assert_frame_equal(tagger.tag(units), tags)
    assert "global_south_access" not in set(hits[hits.unit_id.isin(["u304", "u305"])].theme)


def test_no_term_fires_inside_a_url():
    tags = _tagged(tag_themes(_units(
        "See https://example.org/open-source/energy-policy.pdf for the report.",
        "Details at WWW.Example.gov/cybersecurity/open-source and in the annex.",
        "We back open source; see http://example.org/x.")))
    assert tags == {"u0": set(), "u1": set(), "u2": {"open_source"}}


def _codebook_with(tmp_path, rules_yaml):
    """The shipped codebook with matching.context_rules replaced by ``rules_yaml``."""
    import yaml

    from policylab.themes import CODEBOOK_PATH, load_codebook

    document = yaml.safe_load(CODEBOOK_PATH.read_text(encoding="utf-8"))
    document["matching"]["context_rules"] = yaml.safe_load(rules_yaml)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return load_codebook(path)


def test_context_rules_count_a_broad_term_only_in_company_and_never_inside_given_phrases(tmp_path):
    from policylab.tagging import DictionaryTagger

    codebook = _codebook_with(tmp_path, """
        en:
          - terms: [data]
            only_with: [privacy, share]
            not_in: [data point]
            why: invented for the test
        zh:
          - terms: [数据]
            only_with: [共享]
            why: invented for the test
    """)
    tagger = DictionaryTagger(codebook)
    units = _units("Report data on wages.", "Share data with labs.", "Protect data and privacy.",
                   "Share one data point.", "Report data. Share it.")
    assert _tagged(tagger.tag(units)) == {"u0": set(), "u1": {"data"}, "u2": {"data"}, "u3": set(), "u4": {"data"}}
    zh = _tagged(tagger.tag(_units("统计数据。", "推动数据共享。", language="zh-Hans")))
    assert zh == {"u0": set(), "u1": {"data"}}
    # the same in one search over many units as unit by unit, whatever sits next to a unit
    many = _units(*(["Report data on wages.", "Share data with labs."] * 50))
    tags = _tagged(tagger.tag(many))
    assert all(tags[f"u{i}"] == ({"data"} if i % 2 else set()) for i in range(100))


@pytest.mark.parametrize("rules, message", [
    ("en: [{terms: [nonexistent term], only_with: [x], why: y}]", "no lexicon term"),
    ("en: [{terms: [data], why: y}]", "give only_with or not_in"),
    ("en: [{terms: [data], only_with: [x]}]", "expected a mapping with terms, why"),
    ("en: [{terms: [data], not_in: [big numbers], why: y}]", "must hold one of the rule's terms"),
    ("en: [{terms: [data], only_with: [x], why: y}, {terms: [data], only_with: [z], why: y}]", "has a rule already"),
])
def test_bad_context_rules_are_explained(tmp_path, rules, message):
    from policylab.themes import CodebookError

    with pytest.raises(CodebookError, match=message):
        _codebook_with(tmp_path, rules)

"""The supervised tagger: fitted with scikit-learn, stored as plain arrays, applied with numpy."""

import random
import warnings

import numpy as np
import pandas as pd
import pytest

import policylab as pl
from conftest import CORPUS
from policylab import model, supervised
from policylab.coding import UnknownLanguageWarning, code_plan
from policylab.features import dictionary_counts, term_counts, unit_terms, unit_tuples
from policylab.supervised import (
    MODEL_PATH,
    ModelError,
    SupervisedTagger,
    load_model,
    stale_reasons,
)
from policylab.tagging import default_tagger
from policylab.themes import FROZEN_DIR
from policylab.units import STRING
from test_coding import northwind

THEMES = list(default_tagger().theme_ids)
# Invented filler: each theme's words, and words of no theme.
CUES = {"infrastructure_energy": ["grid", "power"], "workforce_education": ["teachers"],
        "safety_security": ["hazard"], "data": ["datasets"]}
FILLER = ["the", "council", "will", "review", "each", "year", "with", "partners", "and", "report", "on", "progress"]
ZH_CUES = {"infrastructure_energy": "电网", "workforce_education": "教师", "safety_security": "隐患", "data": "数据集"}
ZH_FILLER = ["各方", "将", "继续", "推进", "相关", "工作"]


def synthetic_plans(seed=3):
    """Three invented plans (two English, one Chinese), units labelled by the cue words they hold."""
    rng = random.Random(seed)
    rows = []
    for plan_id, language, n in (("alpha", "en", 60), ("beta", "en", 50), ("gamma", "zh-Hans", 30)):
        for i in range(n):
            themes = rng.sample(sorted(CUES), rng.randint(0, 2))
            if language == "en":
                words = [rng.choice(FILLER) for _ in range(rng.randint(8, 20))]
                words += [rng.choice(CUES[t]) for t in themes] + (["https://example.org/grid"] if i % 7 == 0 else [])
                rng.shuffle(words)
                text = " ".join(words).capitalize() + "."
            else:
                words = [rng.choice(ZH_FILLER) for _ in range(rng.randint(6, 12))] + [ZH_CUES[t] for t in themes]
                rng.shuffle(words)
                text = "".join(words) + "。"
            rows.append({"plan_id": plan_id, "unit_id": f"{plan_id}/u{i:03d}", "text": text, "language": language,
                         "part": f"Part {i % 3} grid" if language == "en" else f"第{i % 3}部分",
                         "section": f"Section {i % 4}" if i % 2 else None,
                         **{t: int(t in themes) for t in THEMES}})
    frame = pd.DataFrame(rows).astype({"part": STRING, "section": STRING})  # NA where a unit has no section
    return frame[["plan_id", "unit_id", "text", "language", "part", "section"]], frame[THEMES]


@pytest.fixture(scope="module")
def fitted():
    units, labels = synthetic_plans()
    counts = dictionary_counts(units, default_tagger())
    return units, labels, counts, model.fit(units, labels, counts)


def test_the_numpy_tagger_from_the_saved_arrays_equals_scikit_learn(fitted, tmp_path):
    units, _, counts, fit = fitted
    path = tmp_path / "tagger.npz"
    fit.to_tagger(["model"] * len(THEMES), ["en", "zh"], {"format": supervised.FORMAT}).save(path)
    with np.load(path, allow_pickle=False) as data:  # plain arrays: loading runs no code
        tagger = SupervisedTagger.from_arrays({name: data[name] for name in supervised.ARRAYS})
    new_units, _ = synthetic_plans(seed=11)  # units it was not fitted on, terms it never saw among them
    new_counts = dictionary_counts(new_units, default_tagger())
    for frame, scores in ((units, counts), (new_units, new_counts)):
        np.testing.assert_allclose(tagger.probabilities(frame, scores), fit.predict_proba(frame, scores), rtol=0, atol=1e-9)
        assert (tagger.flags(frame, scores) == fit.flags(frame, scores)).all()


def test_batch_term_counts_equal_counting_each_unit(fitted):
    units, _, _, fit = fitted
    vocabulary = fit.vectorizer.vocabulary_
    expected = np.zeros((len(units), len(vocabulary)))
    for row, unit in enumerate(unit_tuples(units)):
        for term in unit_terms(unit):
            if term in vocabulary:
                expected[row, vocabulary[term]] += 1
    assert (term_counts(units, vocabulary).toarray() == expected).all()
    assert {"h:grid", "h:section", "电网"} <= set(vocabulary) and "example" not in vocabulary  # headings; no URL words


def test_the_model_learns_the_cues_out_of_plan(fitted):
    units, labels, _, fit = fitted
    cue_themes = [THEMES.index(t) for t in CUES]
    y = labels.to_numpy()
    english = (units.language == "en").to_numpy()  # the Chinese cue words are in no other plan
    f1 = model.f1_scores(fit.oof_flags[english].astype(bool), y[english].astype(bool))
    prevalence = y[english][:, cue_themes].mean(axis=0)
    every_theme = 2 * prevalence / (1 + prevalence)  # the F1 of flagging every unit
    # each plan's units predicted by a model fitted on the other plans
    assert (f1[cue_themes] > every_theme + 0.1).all() and f1[cue_themes].mean() > 0.6
    never = [j for j in range(len(THEMES)) if y[:, j].sum() == 0]
    assert np.isinf(fit.threshold[never]).all() and fit.oof_flags[:, never].sum() == 0


@pytest.mark.parametrize("probability, truth, expected", [
    ([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0], 0.55),  # between the positives and the rest
    ([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0], 0.2),   # flag three: F1 0.8 beats flagging one (0.67)
    ([0.9, 0.8], [0, 0], np.inf),                # nothing to find: never flag
])
def test_the_threshold_maximises_f1(probability, truth, expected):
    assert model.best_threshold(np.array(probability), np.array(truth)) == pytest.approx(expected)


def test_per_theme_choice_takes_the_better_tagger():
    truth = np.array([[1, 1], [1, 0], [0, 0], [0, 1]], dtype=bool)
    model_flags = np.array([[1, 1], [1, 0], [0, 0], [0, 0]], dtype=bool)
    dictionary_flags = np.array([[1, 1], [0, 0], [0, 0], [0, 1]], dtype=bool)
    assert model.choose(model_flags, dictionary_flags, truth) == ["model", "dictionary"]
    assert model.combined(["model", "dictionary"], model_flags, dictionary_flags).tolist() == [
        [1, 1], [1, 0], [0, 0], [0, 1]]


def test_the_shipped_model_is_current():
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        meta = SupervisedTagger.from_arrays({name: data[name] for name in supervised.ARRAYS}).meta
    texts = {plan_id: model.reference_text(plan_id) for plan_id in meta["texts"]} if CORPUS.is_dir() else None
    reasons = stale_reasons(meta, texts=texts)
    assert not reasons, f"policylab/models/tagger.npz is stale ({'; '.join(reasons)}): run make model"


def test_a_missing_unreadable_or_stale_model_file_says_how_to_rebuild_it(tmp_path):
    with pytest.raises(ModelError, match=r"missing\.npz is missing; run `make model`"):
        load_model(tmp_path / "missing.npz")
    (tmp_path / "broken.npz").write_bytes(b"not an npz file")
    with pytest.raises(ModelError, match=r"broken\.npz cannot be read .*make model"):
        load_model(tmp_path / "broken.npz")
    shipped = load_model()
    old = SupervisedTagger(**{**shipped.__dict__, "meta": {**shipped.meta, "gold_sha256": "0" * 64}})
    old.save(tmp_path / "old.npz")
    with pytest.raises(ModelError, match=r"old\.npz is stale: the gold codes \(gold\.csv\) changed.*make model"):
        load_model(tmp_path / "old.npz")


def test_code_plan_takes_each_theme_from_the_tagger_chosen_for_it():
    units = northwind()
    coded = code_plan(units)
    shipped = load_model()
    assert coded.attrs["tagger"] == "default" and coded.attrs["theme_taggers"] == dict(zip(THEMES, shipped.choice))
    scores = dictionary_counts(units, default_tagger())
    model_flags, dictionary_flags = shipped.flags(units, scores), scores > 0
    for j, theme in enumerate(THEMES):
        expected = model_flags[:, j] if shipped.choice[j] == "model" else dictionary_flags[:, j]
        assert (coded.themes.str.split(";").map(lambda ts, t=theme: t in ts) == expected.astype(bool)).all(), theme
    everything = code_plan(units, tagger="model")
    assert set(everything.attrs["theme_taggers"].values()) == {"model"}
    frozen = pl.load_codebook(FROZEN_DIR / "v1.0.yaml")  # the model reads the shipped codebook only
    older = code_plan(units, codebook=frozen)
    assert older.attrs["tagger"] == "dictionary" and set(older.attrs["theme_taggers"].values()) == {"dictionary"}
    with pytest.raises(pl.PolicyLabError, match="fitted with codebook 1.2's lexicons, not 1.0's"):
        code_plan(units, tagger="model", codebook=frozen)


def test_units_in_a_language_no_tagger_knows_get_na_themes_and_a_warning():
    units = pd.concat([northwind(), northwind("nordvind-2026").assign(language="da")], ignore_index=True)
    with pytest.warns(UnknownLanguageWarning, match=r"10 unit\(s\) in 'da'.*NA themes"):
        coded = code_plan(units)
    danish = coded.plan_id == "nordvind-2026"
    assert coded[danish].themes.isna().all() and coded[danish].orientation.isna().all()
    assert coded[~danish].themes.notna().all() and (coded[~danish].themes != "").any()
    with pytest.warns(UnknownLanguageWarning, match=r"tag_themes\(method='model'\): 10 unit\(s\) in 'da'.*NaN"):
        tags = pl.tag_themes(units, method="model")
    assert tags[tags.unit_id.str.startswith("nordvind")].score.isna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownLanguageWarning)  # none when every language is known
        code_plan(northwind())  # (it is read flat, which code_plan says with a ReadingWarning of its own)


def test_fitting_without_the_reference_texts_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "REFERENCE_CORPUS", tmp_path)
    monkeypatch.setattr(model, "REFERENCE_FILES", {})
    with pytest.warns(UserWarning, match="no reference text"), \
            pytest.raises(model.TrainingError, match="No gold plan has its reference text"):
        model.build_model()

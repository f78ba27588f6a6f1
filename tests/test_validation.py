"""Tagger validation: the scores, their section-resampled intervals and the committed table."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from policylab.resampling import group_rng
from policylab.themes import FROZEN_DIR
from policylab.validation import (
    BASELINE,
    IN_SAMPLE,
    OUT_OF_PLAN,
    VALIDATION_PATH,
    ValidationError,
    frozen_codebooks,
    leave_one_plan_out,
    scores,
)

THEMES = ["a", "b", "c"]


def _score(truth, predicted, clusters=None, n_boot=200):
    truth, predicted = np.array(truth), np.array(predicted)
    clusters = np.arange(len(truth)) if clusters is None else np.array(clusters)
    return scores(truth, predicted, THEMES, clusters, rng=group_rng(1, ["test"]), n_boot=n_boot).set_index("theme")


def test_the_every_theme_baseline_scores_its_prevalence():
    truth = np.zeros((10, 3), dtype=int)
    truth[:2, 0] = 1
    truth[:5, 1] = 1
    table = _score(truth, np.ones_like(truth))
    assert table.loc["a", "precision"] == pytest.approx(0.2) and table.loc["a", "recall"] == 1
    assert table.loc["b", "f1"] == pytest.approx(2 * 0.5 / 1.5)
    assert table.loc["c", "f1"] == 0 and pd.isna(table.loc["c", "recall"])  # false alarms on an uncoded theme
    assert table.loc["macro", "f1"] == pytest.approx(np.mean([2 * 0.2 / 1.2, 2 * 0.5 / 1.5, 0]))
    assert table.loc["micro", "precision"] == pytest.approx(7 / 30) and table.loc["micro", "n_predicted"] == 30
    # prevalence and flag rate side by side: flagging everything is 5x what theme a holds
    assert list(table.loc[["a", "b", "c"], "prevalence"]) == [0.2, 0.5, 0.0]
    assert (table.flag_rate == 1).all()
    assert table.loc["a", "flag_ratio"] == pytest.approx(5) and pd.isna(table.loc["c", "flag_ratio"])
    assert table.loc["macro", "flag_ratio"] == pytest.approx(3.5)  # median of 5 and 2; c has nothing to flag
    assert table.loc["micro", "flag_ratio"] == pytest.approx(30 / 7)


def test_a_tagger_that_flags_what_is_there_has_flag_ratio_one_even_when_wrong():
    truth = np.zeros((10, 3), dtype=int)
    truth[:2, 0] = 1
    predicted = np.zeros_like(truth)
    predicted[5:7, 0] = 1  # as many flags as codes, on the wrong units
    table = _score(truth, predicted)
    assert table.loc["a", "flag_ratio"] == 1 and table.loc["a", "f1"] == 0


def test_a_theme_nobody_coded_and_nothing_tagged_is_left_out_of_the_macro_average():
    truth = np.zeros((8, 3), dtype=int)
    truth[:4, 0] = 1
    truth[:2, 1] = 1
    predicted = truth.copy()
    predicted[4, 0] = 1  # one false alarm on theme a
    table = _score(truth, predicted)
    assert table.loc["c", ["precision", "recall", "f1", "f1_low", "f1_high"]].isna().all()
    assert table.loc["macro", "f1"] == pytest.approx(np.mean([8 / 9, 1.0]))
    assert table.loc["b", "f1"] == 1 and table.loc["b", "f1_low"] == 1  # right in every resample


def test_intervals_resample_whole_clusters_and_hold_the_estimate():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, size=(60, 3))
    sections = np.repeat(np.arange(6), 10)
    predicted = np.where((sections < 4)[:, None], truth, 1 - truth)  # errors come by section
    by_unit = _score(truth, predicted, n_boot=500)
    by_section = _score(truth, predicted, clusters=sections, n_boot=500)
    assert by_unit.n_clusters.iloc[0] == 60 and by_section.n_clusters.iloc[0] == 6
    for table in (by_unit, by_section):
        assert ((table.f1_low <= table.f1) & (table.f1 <= table.f1_high)).all()
    # when errors come by section, resampling sections shows more variation than resampling units
    assert (by_section.f1_high - by_section.f1_low)["micro"] > (by_unit.f1_high - by_unit.f1_low)["micro"]


def test_frozen_codebooks_are_listed_by_version_and_their_absence_is_reported(tmp_path):
    for name in ("v1.10.yaml", "v1.2.yaml", "v1.0.yaml"):
        (tmp_path / name).write_text("")
    assert [p.name for p in frozen_codebooks(tmp_path)] == ["v1.0.yaml", "v1.2.yaml", "v1.10.yaml"]
    with pytest.raises(ValidationError, match="No frozen codebook"):
        frozen_codebooks(tmp_path / "empty")


def _plans(*texts_by_plan):
    units = {f"p{i}": pd.DataFrame({"unit_id": [f"p{i}/{j}" for j in range(len(texts))], "text": texts})
             for i, texts in enumerate(texts_by_plan)}
    truth = {plan: pd.DataFrame({"a": [1] * len(frame), "b": [0] * len(frame)}) for plan, frame in units.items()}
    return units, truth


def test_leave_one_plan_out_never_fits_on_the_plan_it_scores():
    units, truth = _plans(["x", "y"], ["z"], ["w", "v", "u"])
    seen = {}

    def memorise(train_units, train_truth, scored):  # tags a unit only if its text was in training
        seen[tuple(sorted(scored.unit_id))] = set(train_units.unit_id)
        known = set(train_units.text)
        return np.column_stack([scored.text.isin(known), np.zeros(len(scored))])

    result = leave_one_plan_out(units, truth, memorise)
    for plan, frame in units.items():
        trained_on = seen[tuple(sorted(frame.unit_id))]
        assert trained_on == {u for other, f in units.items() if other != plan for u in f.unit_id}
        note, predicted = result[plan]
        assert predicted.shape == (len(frame), 2) and predicted.sum() == 0  # nothing of the plan was learnt
        assert note == f"leave-one-plan-out: fitted on {', '.join(p for p in units if p != plan)}"
    with pytest.raises(ValidationError, match="at least two plans"):
        leave_one_plan_out(*_plans(["x"]), memorise)


def test_the_committed_table_names_each_codebook_by_its_frozen_file_and_says_what_is_out_of_sample():
    table = pd.read_csv(VALIDATION_PATH, dtype={"codebook_version": str})
    frozen = {p.stem[1:]: hashlib.sha256(p.read_bytes()).hexdigest() for p in FROZEN_DIR.glob("v*.yaml")}
    assert dict(zip(table.codebook_version, table.codebook_sha256)) == frozen
    dictionary = table[table.method == "dictionary"].groupby(["codebook_version", "plan_id"])["sample"].unique()
    assert list(dictionary["1.0", "gb-aiop-2025"]) == [OUT_OF_PLAN]  # coded after v1.0 was frozen
    for version in ("1.0", "1.1", "1.2"):
        assert list(dictionary[version, "us-aap-2025"]) == [IN_SAMPLE]
    for version in ("1.1", "1.2"):
        assert list(dictionary[version, "gb-aiop-2025"]) == [IN_SAMPLE]
    for version in ("1.0", "1.1", "1.2"):  # the Chinese lexicons were drafted on the 2023 Initiative
        assert list(dictionary[version, "cn-gaigi-2023"]) == [IN_SAMPLE]
    assert set(table.method) == {"dictionary", "model", "default", "every_theme"}
    default = table[table.method == "default"]
    assert set(default.codebook_version) == {"1.2"}  # the codebook the model reads
    labels = table[table.method == "dictionary"].set_index(["codebook_version", "plan_id"])["sample"]
    assert all(labels[("1.2", plan)].iloc[0] == sample for plan, sample in zip(default.plan_id, default["sample"]))
    assert set(table[table.method == "model"]["sample"]) == {OUT_OF_PLAN}  # fitted to gold: leave-one-plan-out
    assert set(table[table.method == "every_theme"]["sample"]) == {BASELINE}
    model = table[table.method == "model"]
    assert all(plan not in note for plan, note in zip(model.plan_id, model.sample_note))
    defined = table.dropna(subset=["f1"])
    assert ((defined.f1_low <= defined.f1 + 1e-9) & (defined.f1 <= defined.f1_high + 1e-9)).all()

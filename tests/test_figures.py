"""Charts: drawn from the coded edition, byte-identical on every run, Chinese glyphs available."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from policylab import plotting
from policylab.figures import make_figures


def test_figures_regenerate_byte_identically(tmp_path, monkeypatch):
    # At a third of the resolution the PNGs take a third of the time; what makes files differ
    # between runs (metadata, SVG ids, drawing order) does not depend on it.
    monkeypatch.setitem(plotting.STYLE, "savefig.dpi", 50)
    first = make_figures(tmp_path / "a", data_home=tmp_path / "empty-home")
    second = make_figures(tmp_path / "b", data_home=tmp_path / "empty-home")
    drawn = {name: paths for name, paths in first.items() if paths}
    assert {"theme-shares", "theme-attention", "safety-development-balance", "us-themes-by-pillar",
            "instrument-mix"} <= set(drawn)
    assert first["keyness-2025"] == []  # needs full texts, which the empty data home lacks
    for name, paths in drawn.items():
        assert [p.suffix for p in paths] == [".png", ".svg"]
        for path, again in zip(paths, second[name]):
            assert path.read_bytes() == again.read_bytes(), path.name


def test_chinese_labels_render_with_the_shipped_font():
    assert ord("人") in FT2Font(str(plotting.FONT_PATH)).get_charmap()
    with plotting.style(), warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would fail here
        found = font_manager.findfont(font_manager.FontProperties(family=plotting.CJK_FAMILY), fallback_to_default=False)
        fig, ax = plt.subplots()
        ax.set_title("人工智能全球治理 · AI governance")
        fig.canvas.draw()
        plt.close(fig)
    assert found == str(plotting.FONT_PATH)


def _lab(colour: str):
    """CIELAB coordinates of an sRGB colour (D65)."""
    import numpy as np

    rgb = np.array(matplotlib.colors.to_rgb(colour))
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    f = np.cbrt(xyz / [0.95047, 1.0, 1.08883])
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _distance(a: str, b: str) -> float:
    return float(((_lab(a) - _lab(b)) ** 2).sum() ** 0.5)


def test_every_shipped_plan_has_its_own_colour_and_user_plans_look_different():
    from policylab.sources import plan_ids

    shipped = [plotting.plan_colour(p) for p in plan_ids()]
    assert len(set(shipped)) == len(shipped) and set(plan_ids()) == set(plotting.PLAN_COLOURS)
    users = {plotting.plan_colour(f"my-plan-{i}") for i in range(40)}
    assert users == set(plotting.USER_COLOURS)  # the id picks one of them, the same one every time
    assert plotting.plan_colour("my-plan-1") == plotting.plan_colour("my-plan-1")
    # The US plan's blue and a user plan must not be told apart by a shade (the sky blue they once
    # shared differs from it by 26): every user colour is far from every shipped plan's colour.
    assert min(_distance(u, s) for u in users for s in shipped) >= 28


def _coded_corpus():
    from policylab import load_corpus

    return load_corpus(source="coded")


def _figure_texts(ax):
    return [t.get_text() for t in ax.figure.texts] + [t.get_text() for t in ax.figure.legends[0].get_texts()]


def test_theme_chart_names_its_measure_n_per_plan_and_marks_secondary_data():
    from policylab import compare

    with plotting.style():
        ax = plotting.plot_theme_shares(compare.theme_attention(_coded_corpus(), n_boot=100))
    texts = _figure_texts(ax)
    assert ax.get_title() and "Attention share" in ax.get_xlabel()
    assert {"US 2025 (n=156, gold)", "China 2025 (n=14, gold)", "China 2023 (n=15, gold)", "UK 2025 (n=147, gold)",
            "China AI+ 2025, translated (n=33, gold)", "Singapore 2023 (n=153, gold)"} <= set(texts)
    assert any("secondary sources" in t for t in texts)
    faces = {line.get_color(): line.get_markerfacecolor() for line in ax.get_lines() if line.get_marker() == "o"}
    assert list(faces.values()).count("white") == 1 and len(faces) == 6  # only China 2025 (secondary) is hollow
    assert "Open source and open models" in [t.get_text() for t in ax.get_yticklabels()]
    plt.close(ax.figure)


def test_instrument_chart_has_readable_labels_hatched_secondary_bars_and_its_denominator():
    from policylab import compare

    with plotting.style():
        ax = plotting.plot_instrument_mix(compare.instrument_mix(_coded_corpus(), theme="global_south_access"))
    assert "Standards and evaluation" in [t.get_text() for t in ax.get_yticklabels()] or \
        "Diplomacy and cooperation" in [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_xlabel() == ("Share of the plan's provisions coded with global_south_access using the instrument "
                               "(95% Wilson interval)")
    assert ax.containers and all(bar.errorbar is not None for bar in ax.containers if hasattr(bar, "errorbar"))
    assert any(patch.get_hatch() for patch in ax.patches)
    assert any(t.startswith("China 2025 (n=") for t in _figure_texts(ax))
    plt.close(ax.figure)


def test_balance_chart_labels_carry_n():
    from policylab import compare

    with plotting.style():
        ax = plotting.plot_balance(compare.balance(_coded_corpus(), n_boot=100))
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "US 2025 (n=156, gold)", "China 2025 (n=14, gold)", "China 2023 (n=15, gold)", "UK 2025 (n=147, gold)",
        "China AI+ 2025, translated (n=33, gold)", "Singapore 2023 (n=153, gold)"]
    assert "Lowe" in ax.get_xlabel() and ax.get_title()
    plt.close(ax.figure)


def test_keyness_chart_with_nothing_significant_says_so():
    import pandas as pd

    from policylab import compare

    units = pd.DataFrame({"plan_id": ["a", "b"], "unit_id": ["a/1", "b/1"], "language": "en",
                          "text": ["alpha beta gamma " * 5, "alpha beta gamma " * 5]})
    with plotting.style():
        ax = plotting.plot_keyness(compare.keyness(units, "a", "b"), plan_a="a", plan_b="b")
    assert any("No word is key" in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_keyness_chart_shows_both_sides_with_raw_counts():
    import pandas as pd

    from policylab import compare

    units = pd.DataFrame({"plan_id": ["a", "b"], "unit_id": ["a/1", "b/1"], "language": "en",
                          "text": [" ".join(["alpha"] * 30 + ["shared"] * 200), " ".join(["beta"] * 30 + ["shared"] * 200)]})
    table = compare.keyness(units, "a", "b")
    with plotting.style():
        ax = plotting.plot_keyness(table, plan_a="a", plan_b="b")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    plt.close(ax.figure)
    assert labels == ["beta (0:30)", "alpha (30:0)"]
    assert "(n=230 words)" in ax.get_xlabel() and ax.get_title()


def _with_tagger_plan():
    """The coded corpus plus an invented plan coded by the dictionary tagger (basis tagger)."""
    import pandas as pd

    from policylab import code_plan
    from test_coding import northwind

    return pd.concat([_coded_corpus(), code_plan(northwind())], ignore_index=True)


@pytest.mark.filterwarnings("ignore::policylab.readquality.ReadingWarning")  # Northwind is flat on purpose
def test_charts_mark_tagger_coded_plans_with_squares_and_a_caption():
    from policylab import compare

    corpus = _with_tagger_plan()
    with plotting.style():
        shares_ax = plotting.plot_theme_shares(compare.theme_shares(corpus, n_boot=100, correct=False))
        balance_ax = plotting.plot_balance(compare.balance(corpus, n_boot=100, correct=False))
        corrected_ax = plotting.plot_theme_shares(compare.theme_shares(corpus, n_boot=100))
        corrected_balance_ax = plotting.plot_balance(compare.balance(corpus, n_boot=100))
    for ax in (corrected_ax, corrected_balance_ax):
        assert {line.get_color() for line in ax.get_lines() if line.get_marker() == "^"} == {
            plotting.plan_colour("northwind-2026")}
    plt.close(corrected_balance_ax.figure)
    assert any("out-of-plan error rates" in t.get_text() for t in corrected_ax.figure.texts)
    plt.close(corrected_ax.figure)
    for ax in (shares_ax, balance_ax):
        markers = {line.get_color(): line.get_marker() for line in ax.get_lines() if line.get_marker() in ("o", "s")}
        assert list(markers.values()).count("s") == 1 and len(markers) == 7  # only the tagger-coded plan is square
        assert any("dictionary tagger (basis = tagger uncorrected)" in t.get_text() for t in ax.figure.texts)
        assert any("secondary sources" in t.get_text() for t in ax.figure.texts)
        plt.close(ax.figure)
    assert "northwind-2026 (n=9, tagger)" in _figure_texts(shares_ax)
    assert {t.get_text() for t in balance_ax.get_yticklabels()} >= {"northwind-2026 (n=9, tagger)", "US 2025 (n=156, gold)"}
    assert "northwind-2026 (n=9, tagger, corrected)" in _figure_texts(corrected_ax)


def test_a_plan_you_added_keeps_its_colour_in_every_chart_and_is_named_by_its_title():
    from policylab import compare

    corpus = _with_tagger_plan()
    names = {"northwind-2026": "Northwind AI Plan"}
    colour = plotting.plan_colour("northwind-2026")
    with plotting.style():
        shares_ax = plotting.plot_theme_shares(compare.theme_shares(corpus, n_boot=100, correct=False), labels=names)
        balance_ax = plotting.plot_balance(compare.balance(corpus, n_boot=100, correct=False), labels=names)
        mix_ax = plotting.plot_instrument_mix(compare.instrument_mix(corpus), labels=names)
    assert "Northwind AI Plan [northwind-2026] (n=9, tagger)" in _figure_texts(shares_ax)
    assert "Northwind AI Plan [northwind-2026] (n=9, tagger)" in [t.get_text() for t in balance_ax.get_yticklabels()]
    for ax in (shares_ax, balance_ax):
        squares = {line.get_color() for line in ax.get_lines() if line.get_marker() == "s"}
        assert squares == {colour}
    # The tagger codes no instruments: the plan is left out, not drawn as using none.
    assert not any("northwind" in t for t in _figure_texts(mix_ax)) and len(_figure_texts(mix_ax)) >= 4
    for ax in (shares_ax, balance_ax, mix_ax):
        plt.close(ax.figure)


def test_a_plan_added_to_the_data_home_is_named_by_its_registered_title(tmp_path, monkeypatch):
    import policylab as pl

    plan = tmp_path / "plan.md"
    plan.write_text("# Filler\n\n" + "\n\n".join(f"Point {i} is filler text of a plan." for i in range(8)) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pl.add_plan(plan, plan_id="my-filler-plan", title="My Filler Plan", country="GBR", data_home=tmp_path / "home")
    monkeypatch.setenv("POLICYLAB_DATA", str(tmp_path / "home"))
    assert plotting.plan_n_label("my-filler-plan", 8) == "My Filler Plan [my-filler-plan] (n=8)"
    assert plotting.plan_n_label("never-added", 3) == "never-added (n=3)"


def test_each_whisker_says_how_its_interval_was_made():
    from policylab import compare

    shares = compare.theme_shares(_coded_corpus(), n_boot=100)
    with plotting.style():
        ax = plotting.plot_theme_shares(shares)
    caption = " ".join(t.get_text() for t in ax.figure.texts)
    assert "dotted, Wilson score interval" in caption and "solid, bootstrap resampling whole sections" in caption
    styles = {plotting.INTERVAL_STYLES[plotting._method(m)][0] for m in shares.ci_method}
    drawn = {"-" if collection.get_linestyle()[0][1] is None else "other" for collection in ax.collections}
    assert len(styles) > 1 and drawn == {"-", "other"}
    plt.close(ax.figure)


def test_whiskers_of_instrument_bars_are_in_their_plans_colour():
    from policylab import compare

    mix = compare.instrument_mix(_coded_corpus())
    with plotting.style():
        ax = plotting.plot_instrument_mix(mix)
    whiskers = {matplotlib.colors.to_hex(c) for collection in ax.collections for c in collection.get_colors()}
    assert whiskers == {plotting.plan_colour(p).lower() for p in set(mix.plan_id)}
    plt.close(ax.figure)


def test_hand_coded_charts_carry_no_tagger_caption():
    from policylab import compare

    with plotting.style():
        ax = plotting.plot_theme_shares(compare.theme_shares(_coded_corpus(), n_boot=100))
    assert not any("tagger" in t.get_text() for t in ax.figure.texts)
    assert "s" not in [line.get_marker() for line in ax.get_lines()]
    plt.close(ax.figure)

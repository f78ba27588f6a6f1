"""Charts: drawn from the coded edition, byte-identical on every run, Chinese glyphs available."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
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


def test_each_plan_keeps_its_colour():
    assert plotting.plan_colour("us-aap-2025") != plotting.plan_colour("cn-gaigap-2025")
    assert plotting.plan_colour("xx-new-2026") == plotting.plan_colour("xx-new-2026")
    assert plotting.plan_colour("xx-new-2026") not in plotting.PLAN_COLOURS.values()


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
    assert {"US 2025 (n=156)", "China 2025 (n=14)", "China 2023 (n=15)", "UK 2025 (n=147)"} <= set(texts)
    assert any("secondary sources" in t for t in texts)
    faces = [line.get_markerfacecolor() for line in ax.get_lines() if line.get_marker() == "o"]
    assert faces.count("white") == 1 and len(faces) == 4  # only China 2025 (secondary) is hollow
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
    assert [t.get_text() for t in ax.get_yticklabels()] == ["US 2025 (n=156)", "China 2025 (n=14)", "China 2023 (n=15)",
                                                          "UK 2025 (n=147)"]
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


def test_charts_mark_tagger_coded_plans_with_squares_and_a_caption():
    from policylab import compare

    corpus = _with_tagger_plan()
    with plotting.style():
        shares_ax = plotting.plot_theme_shares(compare.theme_shares(corpus, n_boot=100))
        balance_ax = plotting.plot_balance(compare.balance(corpus, n_boot=100))
    for ax in (shares_ax, balance_ax):
        markers = [line.get_marker() for line in ax.get_lines() if line.get_marker() in ("o", "s")]
        assert markers.count("s") == 1 and markers.count("o") == 4  # only the tagger-coded plan is square
        assert any("dictionary tagger (basis = tagger uncorrected)" in t.get_text() for t in ax.figure.texts)
        assert any("secondary sources" in t.get_text() for t in ax.figure.texts)
        plt.close(ax.figure)
    assert "northwind-2026 (n=9)" in _figure_texts(shares_ax)


def test_hand_coded_charts_carry_no_tagger_caption():
    from policylab import compare

    with plotting.style():
        ax = plotting.plot_theme_shares(compare.theme_shares(_coded_corpus(), n_boot=100))
    assert not any("tagger" in t.get_text() for t in ax.figure.texts)
    assert "s" not in [line.get_marker() for line in ax.get_lines()]
    plt.close(ax.figure)

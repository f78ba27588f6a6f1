"""The report's charts, regenerated from the coded edition (and full texts when fetched).

``make_figures(out_dir)`` writes every chart as PNG and SVG; the same inputs give
byte-identical files. Charts that need full texts (keyness) are drawn only when both
English texts are in the data home, and are otherwise listed as skipped.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

from . import compare, plotting
from .errors import PolicyLabError
from .loaders import load_corpus, load_plan

DEFAULT_OUT = Path("reports") / "figures"
KEYNESS_PAIR = ("us-aap-2025", "cn-gaigap-2025")  # English texts of both 2025 plans


def _coded_charts(coded):
    us = coded[coded["plan_id"] == "us-aap-2025"]
    two_plans = coded[coded["plan_id"].isin(KEYNESS_PAIR)]
    focus = ["open_source", "global_south_access", "safety_security", "development_innovation",
             "international_cooperation", "competition_sovereignty"]
    return {
        "theme-shares": lambda ax: plotting.plot_theme_shares(compare.theme_shares(coded), ax=ax),
        "theme-attention": lambda ax: plotting.plot_theme_shares(compare.theme_attention(coded), ax=ax),
        "focus-themes-2025": lambda ax: plotting.plot_theme_shares(compare.theme_shares(two_plans), themes=focus, ax=ax),
        "safety-development-balance": lambda ax: plotting.plot_balance(compare.balance(coded), ax=ax),
        "us-balance-by-pillar": lambda ax: plotting.plot_balance(compare.balance(us, by=["plan_id", "part"]), by="part", ax=ax),
        "us-themes-by-pillar": lambda ax: plotting.plot_theme_heatmap(compare.theme_shares(us, by=["plan_id", "part"]), ax=ax),
        "instrument-mix": lambda ax: plotting.plot_instrument_mix(compare.instrument_mix(coded), ax=ax),
    }


def _draw(name, draw, out_dir: Path) -> list[Path]:
    import matplotlib.pyplot as plt

    ax = draw(None)
    try:
        return plotting.save_figure(ax.figure, out_dir / name)
    finally:
        plt.close(ax.figure)


def make_figures(out_dir: str | Path = DEFAULT_OUT, *, data_home=None) -> dict[str, list[Path]]:
    """Draw every chart into ``out_dir``; returns chart name -> files (empty when skipped)."""
    matplotlib.use("Agg", force=False)
    out_dir = Path(out_dir)
    coded = load_corpus(source="coded")
    written: dict[str, list[Path]] = {}
    with plotting.style():
        for name, draw in _coded_charts(coded).items():
            written[name] = _draw(name, draw, out_dir)
        try:
            texts = [load_plan("us-aap-2025", data_home=data_home),
                     load_plan("cn-gaigap-2025", language="en", data_home=data_home)]
        except PolicyLabError:
            written["keyness-2025"] = []
        else:
            import pandas as pd

            units = pd.concat(texts, ignore_index=True)
            table = compare.keyness(units, *KEYNESS_PAIR)
            written["keyness-2025"] = _draw(
                "keyness-2025", lambda ax: plotting.plot_keyness(table, plan_a=KEYNESS_PAIR[0], plan_b=KEYNESS_PAIR[1], ax=ax),
                out_dir)
    return written

"""The report's charts, regenerated from the coded edition (and full texts when fetched).

``make_figures(out_dir)`` writes every chart as PNG and SVG; the same inputs give
byte-identical files. Charts that need full texts (keyness) are drawn only when both
official texts are in the data home, and are otherwise listed as skipped (and any stale
copy removed, so the report never shows a chart from another data home).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

from . import compare, plotting
from .errors import PolicyLabError
from .loaders import load_corpus, load_plan

DEFAULT_OUT = Path("reports") / "figures"
KEYNESS_PAIR = ("us-aap-2025", "gb-aiop-2025")  # two 2025 plans whose official English texts can be fetched
CODED_PAIR = ("us-aap-2025", "cn-gaigap-2025")  # the two 2025 plans of July, compared on the coded edition
#: One line on each chart, for the report's index (keys: file names without extension).
FIGURE_NOTES = {
    "theme-shares": "Share of each plan's provisions carrying each theme, with 95% intervals",
    "theme-attention": "Attention share per theme: each provision split over its themes, so a plan's shares sum to 1",
    "focus-themes-2025": "US and China 2025 on the themes they are most often compared on",
    "safety-development-balance": "Safety-versus-development balance of each plan (log odds, above zero leans to development)",
    "us-balance-by-pillar": "The balance by pillar of the US plan",
    "us-themes-by-pillar": "Theme shares by pillar of the US plan (heat map)",
    "instrument-mix": "Policy instruments each plan uses, as a share of its provisions",
    "keyness-2025": "Full text: words key for the US or the UK 2025 plan (log ratio, G² with Benjamini-Hochberg)",
}
#: Why a full-text chart is missing when it is (the report says so in its place).
NEEDS_FULL_TEXT = {"keyness-2025": "needs the official texts of us-aap-2025 and gb-aiop-2025 in the data home "
                                   "(policylab fetch us-aap-2025 gb-aiop-2025)"}


def _coded_charts(coded):
    us = coded[coded["plan_id"] == "us-aap-2025"]
    two_plans = coded[coded["plan_id"].isin(CODED_PAIR)]
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
            texts = [load_plan(plan_id, data_home=data_home) for plan_id in KEYNESS_PAIR]
        except PolicyLabError:
            written["keyness-2025"] = []
            for stale in ("png", "svg"):
                (out_dir / f"keyness-2025.{stale}").unlink(missing_ok=True)
        else:
            import pandas as pd

            units = pd.concat(texts, ignore_index=True)
            table = compare.keyness(units, *KEYNESS_PAIR)
            written["keyness-2025"] = _draw(
                "keyness-2025", lambda ax: plotting.plot_keyness(table, plan_a=KEYNESS_PAIR[0], plan_b=KEYNESS_PAIR[1], ax=ax),
                out_dir)
    return written

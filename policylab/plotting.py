"""Charts that compare plans, in one house style.

Each ``plot_*`` function takes a tidy frame from :mod:`policylab.compare` first, options
as keywords, draws on ``ax`` (a new figure when omitted) and returns the Axes. Colours:
one fixed colour per plan across all charts (Okabe-Ito, colour-blind safe, for the hand-coded
plans); plans you added take colours far from every shipped plan's and are labelled by title
with their id.
Chinese text is drawn with the Noto Sans CJK SC subset shipped in ``policylab/fonts``.
Nothing changes matplotlib's global settings on import: wrap drawing in :func:`style`,
and save with :func:`save_figure` for byte-identical PNG and SVG files.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager

from .themes import THEME_IDS, load_codebook

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Regular-subset.otf"
CJK_FAMILY = "Noto Sans CJK SC"
#: Every shipped plan's fixed colour: the first four hand-coded plans first (Okabe-Ito, colour-blind safe),
#: then the plans whose official files read into the same table.
PLAN_COLOURS = {"us-aap-2025": "#0072B2", "cn-gaigap-2025": "#D55E00", "cn-gaigi-2023": "#E69F00", "gb-aiop-2025": "#009E73",
                "cn-aiplus-2025": "#882255", "cn-aidp-2017": "#000000", "eu-aica-2025": "#332288",
                "us-eo14179-2025": "#7F7F7F", "sg-nais-2023": "#661100"}
#: Colours of plans a user added (picked by a hash of the plan id), each at least 28 CIELAB units
#: (ΔE*ab) from every shipped plan's colour and 32 from each other (tests/test_figures.py).
USER_COLOURS = ["#17BECF", "#E377C2", "#DDCC77", "#CC6677"]
PLAN_LABELS = {"us-aap-2025": "US AI Action Plan (2025)", "cn-gaigap-2025": "China Global AI Governance Action Plan (2025)",
               "cn-gaigi-2023": "China Global AI Governance Initiative (2023)",
               "gb-aiop-2025": "UK AI Opportunities Action Plan (2025)",
               "cn-aiplus-2025": "China AI+ Opinions (2025)", "sg-nais-2023": "Singapore National AI Strategy 2.0 (2023)"}
PLAN_SHORT = {"us-aap-2025": "US 2025", "cn-gaigap-2025": "China 2025", "cn-gaigi-2023": "China 2023", "gb-aiop-2025": "UK 2025",
              # coded from CSET's English translation (basis = translation): the name says so on every chart
              "cn-aiplus-2025": "China AI+ 2025, translated", "sg-nais-2023": "Singapore 2023"}
INSTRUMENT_LABELS = {"deregulation": "Deregulation", "regulation": "Regulation", "funding": "Funding",
                     "procurement": "Procurement", "standards_evaluation": "Standards and evaluation",
                     "research": "Research", "convening_coordination": "Convening and coordination",
                     "workforce_education": "Workforce and education",
                     "infrastructure_permitting": "Infrastructure and permitting", "export_control": "Export control",
                     "diplomacy_cooperation": "Diplomacy and cooperation", "guidance": "Guidance"}
SECONDARY_NOTE = ("Hollow markers / hatched bars: coded by hand from secondary sources (basis = gold, "
                  "source_basis = secondary), not the official text.")
TAGGER_NOTE = ("Square markers: coded by the dictionary tagger (basis = tagger uncorrected), not by hand; "
               "expect its errors.")
REVIEW_NOTE = ("Diamond markers: tagger codes corrected with a hand-coded review sample "
               "(basis = tagger+review, n = units reviewed; prediction-powered).")
CORRECTED_NOTE = ("Triangle markers: tagger codes corrected with the tagger's out-of-plan error rates "
                  "(basis = tagger corrected; Rogan-Gladen); themes without usable rates are left out.")
AXIS_LABELS = {"share": "Share of provisions coded with the theme",
               "attention": "Attention share (each provision split evenly over its themes)",
               "words": "Word-weighted attention share (official text)"}
STYLE = {
    "font.family": ["DejaVu Sans", CJK_FAMILY],
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "svg.fonttype": "path",
    "path.simplify": True,
}


def plan_colour(plan_id: str) -> str:
    """The plan's colour, the same in every chart: fixed for shipped plans; for a plan you added,
    one of USER_COLOURS picked by its id (so it does not depend on the other plans drawn)."""
    if plan_id in PLAN_COLOURS:
        return PLAN_COLOURS[plan_id]
    digest = hashlib.blake2b(plan_id.encode("utf-8"), digest_size=4).digest()
    return USER_COLOURS[int.from_bytes(digest, "big") % len(USER_COLOURS)]


def plan_order(plan_ids) -> list[str]:
    """Plans in registry order (the US plan first), unknown plans after them by name."""
    from .sources import plan_ids as registry_order

    known = registry_order()
    return sorted(dict.fromkeys(plan_ids), key=lambda p: (known.index(p) if p in known else len(known), p))


def _title(plan_id: str, labels) -> str | None:
    """The title of a plan that policylab has no short name for: from ``labels``, else from the
    registry (plans added to the default data home), else None."""
    if labels and plan_id in labels:
        return labels[plan_id]
    from .errors import PolicyLabError
    from .sources import get_source

    try:
        return get_source(plan_id).title_en
    except PolicyLabError:
        return None


def plan_label(plan_id: str, labels=None) -> str:
    """The plan's full name; a plan you added by its title with its id: "My plan [my-plan]"."""
    if plan_id in PLAN_LABELS:
        return PLAN_LABELS[plan_id]
    title = _title(plan_id, labels)
    return f"{title} [{plan_id}]" if title else plan_id


def plan_n_label(plan_id: str, n, labels=None, basis=None) -> str:
    """Short plan name with its number of units and, given a result row's basis, what its codes
    rest on: "US 2025 (n=156, gold)"; a plan you added by its title and id, e.g.
    "My plan [my-plan] (n=40, tagger)"."""
    name = PLAN_SHORT[plan_id] if plan_id in PLAN_SHORT else plan_label(plan_id, labels)
    word = basis_word(basis)
    return f"{name} (n={int(n)}{', ' + word if word else ''})"


def basis_word(basis) -> str | None:
    """The legend's word for a row basis (see :func:`row_basis`): gold, tagger+review,
    corrected (out-of-plan rates) or tagger (uncorrected)."""
    if is_reviewed(basis):
        return "tagger+review"
    if is_corrected(basis):
        return "tagger, corrected"
    if is_tagger(basis):
        return "tagger"
    if isinstance(basis, str) and "gold" in basis.split(";"):
        return "gold"
    return None


def instrument_label(instrument: str) -> str:
    return INSTRUMENT_LABELS.get(instrument, instrument.replace("_", " ").capitalize())


def row_basis(row) -> str | None:
    """A result row's ``basis`` and ``source_basis`` in one ';'-joined string, what the
    ``is_*`` tests below read (e.g. "gold;secondary", "tagger corrected (out-of-plan rates);tagger")."""
    parts = [row.get(column) for column in ("basis", "source_basis")]
    return ";".join(part for part in parts if isinstance(part, str)) or None


def is_secondary(basis) -> bool:
    """True when a table's basis says the data (or part of it) is coded from secondary sources."""
    return isinstance(basis, str) and "secondary" in basis.split(";")


def is_tagger(basis) -> bool:
    """True when a table's basis says the data (or part of it) is coded by a tagger, not by hand."""
    return isinstance(basis, str) and "tagger uncorrected" in basis.split(";")


def is_reviewed(basis) -> bool:
    """True when a table's basis says tagger codes were corrected with a review sample."""
    return isinstance(basis, str) and any(part.startswith("tagger+review") for part in basis.split(";"))


def is_corrected(basis) -> bool:
    """True when a table's basis says tagger codes were corrected with out-of-plan error rates."""
    return isinstance(basis, str) and any(part.startswith("tagger corrected") for part in basis.split(";"))


def _marker(basis, colour: str) -> dict:
    """errorbar() marker options that show the basis: squares for tagger codes, diamonds for
    tagger codes corrected with a review, hollow for secondary sources."""
    return {"fmt": "s" if is_tagger(basis) else "D" if is_reviewed(basis) else "^" if is_corrected(basis) else "o", "color": colour,
            "mfc": "white" if is_secondary(basis) else colour}


def _basis_notes(bases) -> list[str | None]:
    """Caption lines for the bases drawn (secondary sources, tagger codes)."""
    bases = list(bases)
    return [SECONDARY_NOTE if any(map(is_secondary, bases)) else None,
            TAGGER_NOTE if any(map(is_tagger, bases)) else None,
            REVIEW_NOTE if any(map(is_reviewed, bases)) else None,
            CORRECTED_NOTE if any(map(is_corrected, bases)) else None]


def _caption(ax, lines) -> None:
    """Notes under the chart (basis, interval method), one per line."""
    lines = [line for line in lines if line]
    if lines:
        ax.figure.text(0.01, 0.0, "\n".join(lines), ha="left", va="top", fontsize=8, color="#333333",
                       transform=ax.figure.transFigure)


def group_label(value) -> str:
    """A part or section name for an axis; units outside any (quote page, signatures) say so."""
    return "Front matter" if pd.isna(value) else str(value)


def theme_labels() -> dict[str, str]:
    """Readable English label of each theme id, from the codebook."""
    return {t.id: t.label for t in load_codebook().themes}


def register_font() -> None:
    """Make the shipped Chinese font known to matplotlib (once per process)."""
    if CJK_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(FONT_PATH))


@contextlib.contextmanager
def style():
    """The house style (fonts with Chinese fallback, palette, grid) for the enclosed drawing."""
    register_font()
    with mpl.rc_context(STYLE):
        yield


def _axes(ax, size):
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def plot_theme_shares(shares: pd.DataFrame, *, themes=None, title: str | None = None, labels=None, ax=None):
    """Theme shares per plan, dots with 95% intervals (from compare.theme_shares or
    theme_attention); the axis names the measure, the legend each plan's n; plans coded
    from secondary sources get hollow markers, plans coded by the tagger square ones, each
    with a caption line; the whisker's line says how its interval was made (caption).
    ``labels`` names plans you added (plan id -> title) when the registry does not."""
    names = theme_labels()
    themes = list(themes or THEME_IDS)
    plans = plan_order(shares["plan_id"])
    measure = shares["measure"].iloc[0] if "measure" in shares else "share"
    ax = _axes(ax, (7.5, 0.45 * len(themes) + 1.6))
    offsets = np.linspace(0.25, -0.25, len(plans)) if len(plans) > 1 else [0.0]
    bases, methods = [], set()
    for offset, plan in zip(offsets, plans):
        rows = shares[shares["plan_id"] == plan].set_index("theme").loc[themes]
        bases.append(row_basis(rows.iloc[0]))
        rows = rows.assign(y=np.arange(len(themes))[::-1] + offset)
        label = plan_n_label(plan, rows["n_units"].iloc[0], labels, bases[-1])
        for method, points in _by_method(rows):
            methods.add(method)
            drawn = ax.errorbar(points["share"], points["y"], xerr=[points["share"] - points["ci_low"],
                                points["ci_high"] - points["share"]], ms=5, capsize=2, lw=1.2,
                                **_marker(bases[-1], plan_colour(plan)), label=label)
            _whisker_style(drawn, method)
            label = None
    ax.set_yticks(np.arange(len(themes))[::-1], [names.get(t, t) for t in themes])
    ax.set_xlabel(f"{AXIS_LABELS.get(measure, measure)} (95% interval)")
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_title(title or f"Themes per plan: {AXIS_LABELS.get(measure, measure).lower()}")
    _legend_above(ax)
    _caption(ax, [*_basis_notes(bases), _interval_note(methods)])
    return ax


#: How an interval was made (the start of compare's ci_method) -> whisker line style and caption words.
INTERVAL_STYLES = {"section bootstrap": ("-", "solid, bootstrap resampling whole sections"),
                   "unit bootstrap": ("--", "dashed, bootstrap resampling single units"),
                   "Wilson score": (":", "dotted, Wilson score interval (few units or clusters)"),
                   "empirical logit": ("-.", "dash-dot, normal interval of the empirical logit (few units)")}


def _method(ci_method) -> str:
    text = str(ci_method)
    return next((name for name in INTERVAL_STYLES if text.startswith(name)), text.split(" (")[0])


def _by_method(rows: pd.DataFrame):
    """The rows grouped by interval method (all in one group when the table names none)."""
    if "ci_method" not in rows:
        return [(None, rows)]
    kinds = rows["ci_method"].map(_method)
    return [(kind, rows[kinds == kind]) for kind in sorted(set(kinds), key=_method_rank)]


def _method_rank(method) -> tuple:
    """Bootstraps first, so a plan's legend entry shows the solid whisker where it has one."""
    order = list(INTERVAL_STYLES)
    return (order.index(method) if method in order else len(order), str(method))


def _whisker_style(container, method) -> None:
    for lines in container.lines[2]:
        lines.set_linestyle(INTERVAL_STYLES.get(method, ("-",))[0])


def _interval_note(methods) -> str | None:
    methods = sorted((m for m in methods if m is not None), key=_method_rank)
    if not methods:
        return None
    return "Whiskers: " + "; ".join(INTERVAL_STYLES[m][1] if m in INTERVAL_STYLES else m for m in methods) + "."


LEGEND_COLUMNS = 3  # plans per legend row: wider rows would widen the figure beyond the chart


def _legend_above(ax):
    """Plan legend in rows of up to three plans above the chart (outside the axes, with constrained layout),
    leaving the space under the chart to the caption."""
    handles, labels = ax.get_legend_handles_labels()
    if ax.figure.get_layout_engine() is not None:
        ax.figure.legend(handles, labels, loc="outside upper center", ncols=min(len(labels), LEGEND_COLUMNS), fontsize=9)
    else:
        ax.legend(loc="best")


def plot_balance(balance: pd.DataFrame, *, by: str = "plan_id", title: str | None = None, labels=None, ax=None):
    """Safety-development balance with 95% intervals (from compare.balance); > 0 leans to development.
    Labels carry n; secondary-basis rows get hollow markers, tagger-coded rows square ones,
    each with a caption line; the whisker's line says how its interval was made (caption)."""
    ax = _axes(ax, (7.5, 0.5 * len(balance) + 1.6))
    y = np.arange(len(balance))[::-1]
    bases = [row_basis(row) for _, row in balance.iterrows()]
    methods = balance["ci_method"].map(_method) if "ci_method" in balance else [None] * len(balance)
    for yi, (_, row), basis, method in zip(y, balance.iterrows(), bases, methods):
        drawn = ax.errorbar(row["balance"], yi, xerr=[[row["balance"] - row["ci_low"]], [row["ci_high"] - row["balance"]]],
                            ms=6, capsize=3, lw=1.4, **_marker(basis, plan_colour(row["plan_id"])))
        _whisker_style(drawn, method)
    if by == "plan_id":
        names = [plan_n_label(p, n, labels, basis) for p, n, basis in zip(balance["plan_id"], balance["n_units"], bases)]
    else:
        names = [f"{group_label(v)} (n={n})" for v, n in zip(balance[by], balance["n_units"])]
    ax.set_yticks(y, names)
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_xlabel("Balance log((D + 0.5) / (S + 0.5)), Lowe et al. 2011   ← safety   |   development →")
    ax.set_title(title or "Safety-development balance (95% interval)")
    _caption(ax, [*_basis_notes(bases), _interval_note(set(methods))])
    return ax


def plot_theme_heatmap(shares: pd.DataFrame, *, column: str = "part", ax=None):
    """Theme shares by part or section of one plan (from compare.theme_shares(by=[..., column]))."""
    labels = theme_labels()
    shares = shares.assign(**{column: shares[column].map(group_label)})
    table = shares.pivot_table(index="theme", columns=column, values="share", sort=False).loc[list(THEME_IDS)]
    ax = _axes(ax, (1.6 * table.shape[1] + 3.5, 0.42 * len(table) + 1.5))
    image = ax.imshow(table.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_yticks(range(len(table)), [labels.get(t, t) for t in table.index])
    ax.grid(False)
    for (i, j), value in np.ndenumerate(table.to_numpy()):
        ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=8, color="white" if value > 0.5 else "#222222")
    ax.figure.colorbar(image, ax=ax, label="Share of the column's provisions coded with the theme", shrink=0.8,
                       format=mpl.ticker.PercentFormatter(1.0))
    sizes = shares.groupby(column, sort=False)["n_units"].first()
    ax.set_xticks(range(table.shape[1]), [f"{c} (n={sizes[c]})" for c in table.columns], rotation=20, ha="right")
    plan = shares["plan_id"].iloc[0] if "plan_id" in shares else ""
    ax.set_title(f"Themes by {column}: {PLAN_SHORT.get(plan, plan)}".rstrip(": "))
    if is_secondary(row_basis(shares.iloc[0])):
        _caption(ax, ["Coded from secondary sources (source_basis = secondary), not the official text."])
    return ax


def plot_instrument_mix(mix: pd.DataFrame, *, title: str | None = None, labels=None, ax=None):
    """Share of each plan's provisions using each instrument (from compare.instrument_mix), with
    its interval in the plan's colour (so the whisker of a 0% bar says whose it is); the axis
    names the denominator, the legend each plan's n, secondary-basis bars are hatched."""
    instruments = sorted(set(mix["instrument"]), key=instrument_label)
    plans = plan_order(mix["plan_id"])
    ax = _axes(ax, (7.5, 0.4 * len(instruments) + 1.6))
    height = 0.8 / max(len(plans), 1)
    secondary = False
    for k, plan in enumerate(plans):
        rows = mix[mix["plan_id"] == plan]
        hatched = is_secondary(row_basis(rows.iloc[0]))
        secondary |= hatched
        rows = rows.set_index("instrument").reindex(instruments)
        y = np.arange(len(instruments))[::-1] + 0.4 - height * (k + 0.5)
        errors = [rows["share"] - rows["ci_low"], rows["ci_high"] - rows["share"]]
        ax.barh(y, rows["share"].to_numpy(), height=height, color=plan_colour(plan), hatch="///" if hatched else None,
                edgecolor="white" if hatched else None, label=plan_n_label(plan, rows["n_base"].iloc[0], labels, row_basis(rows.iloc[0])),
                xerr=errors, error_kw={"ecolor": plan_colour(plan), "elinewidth": 0.9, "capsize": 2})
    ax.set_yticks(np.arange(len(instruments))[::-1], [instrument_label(i) for i in instruments])
    denominator = mix.attrs.get("denominator", "provisions")
    ax.set_xlabel(f"Share of the plan's {denominator} using the instrument (95% Wilson interval)")
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_title(title or f"Policy instruments: share of each plan's {denominator}")
    _legend_above(ax)
    _caption(ax, [SECONDARY_NOTE if secondary else None])
    return ax


def plot_keyness(keyness: pd.DataFrame, *, plan_a: str, plan_b: str, top: int = 12, alpha: float = 0.05, ax=None):
    """The words most over-used by each side (from compare.keyness), as log-ratio bars with
    raw counts; when no word passes BH-adjusted p < ``alpha`` the axes say so."""
    significant = keyness[keyness["p_adjusted"] < alpha]
    side_a = significant[significant["key_for"] == plan_a].nlargest(top, "g2")
    side_b = significant[significant["key_for"] == plan_b].nlargest(top, "g2")
    rows = pd.concat([side_a, side_b]).sort_values(["log_ratio", "term"])  # plan_a's words on top
    ax = _axes(ax, (7.5, 0.32 * max(len(rows), 4) + 1.5))
    colours = [plan_colour(plan_a) if k == plan_a else plan_colour(plan_b) for k in rows["key_for"]]
    ax.barh(range(len(rows)), rows["log_ratio"], color=colours)
    ax.set_yticks(range(len(rows)), [f"{t} ({a}:{b})" for t, a, b in zip(rows["term"], rows["count_a"], rows["count_b"])])
    ax.axvline(0, color="#555555", lw=0.8)
    words = {side: f" (n={keyness.attrs[f'total_{side}']:,} words)" if f"total_{side}" in keyness.attrs else ""
             for side in ("a", "b")}
    ax.set_xlabel(f"log2 ratio of relative frequency   ← {plan_label(plan_b)}{words['b']}   |   "
                  f"{plan_label(plan_a)}{words['a']} →")
    ax.set_title(f"Key words, G² with BH-adjusted p < {alpha} ({len(keyness)} words tested)")
    if rows.empty:
        ax.set_xlim(-1, 1)
        ax.text(0.5, 0.5, f"No word is key at BH-adjusted p < {alpha}\n({len(keyness)} words tested)",
                transform=ax.transAxes, ha="center", va="center", fontsize=10, color="#333333")
    return ax


def save_figure(figure, stem: Path) -> list[Path]:
    """Write ``stem``.png and ``stem``.svg without timestamps or version stamps."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, metadata in ((".png", {"Software": None}), (".svg", {"Date": None, "Creator": None})):
        path = stem.with_suffix(suffix)
        with mpl.rc_context({"svg.hashsalt": "policylab"}):
            figure.savefig(path, metadata=metadata)
        paths.append(path)
    return paths

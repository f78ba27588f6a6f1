"""One call at the top of every notebook, so that outputs are the same on every run."""

from __future__ import annotations

import numpy as np
import pandas as pd


def setup() -> None:
    """Fixed display options, seed, inline figures in the house style, no warnings noise."""
    import warnings

    import matplotlib as mpl
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    from . import plotting

    np.random.seed(0)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.precision", 3)
    mpl.use("module://matplotlib_inline.backend_inline")
    set_matplotlib_formats("png", metadata={"Software": None})
    plotting.register_font()
    mpl.rcParams.update(plotting.STYLE)
    warnings.filterwarnings("ignore", category=FutureWarning)

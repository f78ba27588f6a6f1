"""Notebook helpers: one call at the top of every notebook, so that outputs are the same on
every run, and the stand-in file of the "a plan of your own" sections."""

from __future__ import annotations

import tempfile

import numpy as np
import pandas as pd


def setup() -> None:
    """Fixed display options, seed, inline figures in the house style, no warnings noise."""
    import warnings

    import matplotlib as mpl
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    from . import FetchNotice, plotting, prose

    np.random.seed(0)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.precision", 3)
    pd.set_option("display.float_format", prose.number)  # fixed notation: no 3.689e-03 beside 0.048
    mpl.use("module://matplotlib_inline.backend_inline")
    set_matplotlib_formats("png", metadata={"Software": None})
    plotting.register_font()
    mpl.rcParams.update(plotting.STYLE)
    warnings.filterwarnings("ignore", category=FutureWarning)
    # Notebooks fetch nothing; a note about a hash recorded on first use would name a scratch folder.
    warnings.filterwarnings("ignore", category=FetchNotice)


class StandIn:
    """The official file of a shipped plan standing in for a reader's own plan, and a scratch data
    home to register it in (removed by :meth:`cleanup`), so that a notebook's "your plan" section
    runs wherever that file is in the data home and leaves the reader's data home as it was.

    ``file`` is None when the plan's file is not in the data home; :meth:`ready` then says how
    to get it. With a plan of your own, use your file's path and no ``data_home`` instead."""

    def __init__(self, plan_id: str, *, language: str = "en", data_home=None):
        from . import list_fetched

        fetched = list_fetched(data_home).set_index(["plan_id", "language"])
        path = fetched["path"].get((plan_id, language))
        self.plan_id = plan_id
        self.file = None if pd.isna(path) else path
        self._scratch = tempfile.TemporaryDirectory(prefix="policylab-")
        self.home = self._scratch.name

    def ready(self) -> bool:
        """True when the stand-in file is at hand; otherwise print what to do, and False."""
        if self.file is None:
            print(f"The official file of {self.plan_id} is not in your data home: run `policylab fetch "
                  f"{self.plan_id}` (or use a file of your own) to see this section.")
        return self.file is not None

    def cleanup(self) -> None:
        """Remove the scratch data home and the plan registered in it."""
        self._scratch.cleanup()

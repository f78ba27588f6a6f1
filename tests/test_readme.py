"""The README's Python code runs as written (the tour cannot drift from the library).

Every code block tagged ``python`` (or ``py``) runs, in order, in one namespace, in a scratch
folder holding the US plan's PDF (the tour reads it by file name) and with a scratch data home
filled from ../shared/corpus, as a user's would be after `policylab fetch`. Blocks tagged
otherwise (``sh``, ``shell``, ``console``, ``text``, ``output``) or untagged are shell commands
or printed output and are not run.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import matplotlib
import pytest

from conftest import UK_HTML, US_PDF

README = Path(__file__).resolve().parents[1] / "README.md"
RUN = ("python", "py")
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[str]:
    return [body for info, body in FENCE.findall(text) if info.strip().split(" ")[0].lower() in RUN]


def test_the_fence_parser_runs_python_blocks_only():
    text = "```python\na = 1\n```\n\n```\nmake report\n```\n\n```sh\nls\n```\n\n```py\nb = 2\n```\n"
    assert python_blocks(text) == ["a = 1\n", "b = 2\n"]
    assert python_blocks(README.read_text(encoding="utf-8")), "the README has a Python tour"


@pytest.mark.skipif(not (US_PDF.exists() and UK_HTML.exists()),
                    reason="the reference copies in ../shared/corpus are absent (only beside developer and CI checkouts)")
def test_every_python_block_of_the_readme_runs(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    import policylab as pl

    home = tmp_path / "data-home"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # notes about hashes recorded on first use
        pl.add(US_PDF, plan_id="us-aap-2025", data_home=home)
        pl.add(UK_HTML, plan_id="gb-aiop-2025", data_home=home)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(US_PDF, work / US_PDF.name)
    monkeypatch.setenv("POLICYLAB_DATA", str(home))
    monkeypatch.delenv("POLICYLAB_MIRROR", raising=False)
    monkeypatch.chdir(work)
    matplotlib.use("Agg")
    namespace: dict = {"__name__": "__readme__"}
    try:
        for number, block in enumerate(python_blocks(README.read_text(encoding="utf-8")), 1):
            exec(compile(block, f"README.md, Python block {number}", "exec"), namespace)  # noqa: S102
    finally:
        plt.close("all")

"""A new user's first commands: `make lab` as root, plain `pytest --nbval` without the lab kernel."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_allows_root_only_for_root():
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    lab_line = next(line for line in dry_run.splitlines() if "jupyter lab" in line)
    assert ("--allow-root" in lab_line) == (os.geteuid() == 0)


def test_plain_nbval_needs_no_policylab_kernel(tmp_path):
    pytest.importorskip("nbval")
    notebook = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["print(1 + 1)"],
                           "outputs": [{"name": "stdout", "output_type": "stream", "text": ["2\n"]}]}],
                "metadata": {"kernelspec": {"name": "kernel-nobody-installed", "display_name": "x",
                                            "language": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "probe.ipynb").write_text(json.dumps(notebook))
    shutil.copy(REPO / "conftest.py", tmp_path)  # the repository's pytest settings, as in notebooks/
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q", "probe.ipynb"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr

"""Bootstrap building blocks shared by the comparison statistics and the reliability figures.

Each group (a plan, a coder pair's label) draws from its own random stream, derived from the
seed and a stable hash of its labels, so its resamples do not depend on what else is computed.
"""

from __future__ import annotations

import hashlib

import numpy as np


def group_rng(seed: int, labels) -> np.random.Generator:
    """The random stream of one group: from ``seed`` and a stable hash of the group's labels."""
    digest = hashlib.sha256("\x1f".join(map(str, labels)).encode("utf-8")).digest()
    words = np.frombuffer(digest[:16], dtype="<u4").tolist()
    return np.random.default_rng(np.random.SeedSequence([seed, *words]))



def resample_counts(k: int, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """How often each of k items is drawn in each of ``n_boot`` bootstrap resamples (n_boot x k).

    Each resample draws k items with replacement; a product of this matrix with per-item
    sums gives every resample's totals at once, with no loop over resamples.
    """
    draws = rng.integers(0, k, size=(n_boot, k)) + (k * np.arange(n_boot))[:, None]
    return np.bincount(draws.ravel(), minlength=n_boot * k).reshape(n_boot, k)

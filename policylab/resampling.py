"""Bootstrap building blocks shared by the comparison statistics, the reliability figures and
the tagger validation.

Each group (a plan, a coder pair's label) draws from its own random stream, derived from the
seed and a stable hash of its labels, so its resamples do not depend on what else is computed.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

Z95 = 1.959963984540054  # the normal distribution's 97.5% quantile (scipy.special.ndtri(0.975))


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


def section_clusters(coded: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    """Resampling cluster of each of ``units`` (rows of the unit table ``coded``): the section
    it sits in (its nearest ancestor of level section, so subsections stay with their
    section); else the part (or front division, such as an introduction) of its plan; else
    the unit. A part's label ends with its plan, so plans pooled in one group never share a
    cluster (and the labels of one plan sort as the part names do)."""
    cluster = units["unit_id"].astype(str)
    if "part" in units:
        plan = "\x1f" + units["plan_id"].astype("string") if "plan_id" in units else ""
        cluster = ("part:" + units["part"].astype("string") + plan).fillna(cluster).astype(str)
    if "parent_id" not in units:
        return cluster
    index = coded["unit_id"].to_numpy()
    level_of = pd.Series(coded["level"].to_numpy(), index=index)
    parent_of = pd.Series(coded["parent_id"].to_numpy(), index=index)
    level_of, parent_of = level_of[~level_of.index.duplicated()], parent_of[~parent_of.index.duplicated()]
    section = pd.Series(pd.NA, index=units.index, dtype="object")
    ancestor = units["parent_id"]
    for _ in range(4):  # parent, grandparent, ...: deep enough for section > subsection > item > sub-item
        in_section = (ancestor.map(level_of) == "section").to_numpy(dtype=bool) & section.isna().to_numpy()
        section[in_section] = ancestor[in_section]
        ancestor = ancestor.map(parent_of)
    return section.fillna(cluster).astype(str)


def cluster_sums(values: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """Rows of ``values`` summed per cluster (clusters x columns)."""
    _, inverse = np.unique(clusters, return_inverse=True)
    sums = np.zeros((inverse.max() + 1 if len(inverse) else 0, values.shape[1]))
    np.add.at(sums, inverse, values)
    return sums


def resampled_sums(sums: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """Column sums of ``n_boot`` bootstrap resamples of the clusters (n_boot x columns)."""
    return resample_counts(len(sums), rng, n_boot) @ sums


def wilson_interval(count, n, z: float = Z95):
    """Wilson score interval for a proportion count / n (arrays allowed); never zero width."""
    count, n = np.asarray(count, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = count / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.where(count <= 0, 0.0, centre - half), np.where(count >= n, 1.0, centre + half)


def percentiles(boot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2.5th and 97.5th percentiles of each column (resamples in rows), NaN resamples skipped."""
    boot = np.ascontiguousarray(boot.T)  # one contiguous row per statistic: faster to partition
    percentile = np.nanpercentile if np.isnan(boot).any() else np.percentile
    low, high = percentile(boot, [2.5, 97.5], axis=1)
    return low, high


def bootstrap_method(clusters: int, units: int) -> str:
    """The ``ci_method`` of a cluster bootstrap: "section bootstrap (35 clusters)", or "unit
    bootstrap" when every cluster is a single unit."""
    return f"{'section' if clusters < units else 'unit'} bootstrap ({clusters} clusters)"

"""Tests of significance shared by keyness and contrasts: Dunning's log-likelihood G², the
upper tail of the chi-square distribution with one degree of freedom, and the
Benjamini-Hochberg adjustment for testing many terms or themes at once."""

from __future__ import annotations

import math

import numpy as np


def log_likelihood(a, b, total_a, total_b):
    """G² of the full 2x2 table (this word / other words x corpus A / corpus B), Dunning (1993).

    Arrays allowed. Equals scipy.stats.chi2_contingency(table, correction=False,
    lambda_="log-likelihood")'s statistic.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = np.stack([a, b, total_a - a, total_b - b])
    column = np.stack([a + b, a + b, total_a + total_b - a - b, total_a + total_b - a - b])
    row = np.array([total_a, total_b, total_a, total_b], dtype=float).reshape((4,) + (1,) * a.ndim)
    expected = column * row / (total_a + total_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    return 2 * terms.sum(axis=0)


def chi2_1_sf(statistic) -> np.ndarray:
    """Upper tail of the chi-square distribution with one degree of freedom, P(X > x) =
    erfc(sqrt(x / 2)); what scipy.stats.chi2.sf(x, 1) gives, without scipy's import time."""
    return np.array([math.erfc(math.sqrt(x / 2)) for x in np.asarray(statistic, dtype=float).ravel()])


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate); NaN (not tested) stays NaN."""
    p_values = np.asarray(p_values, dtype=float)
    if np.isnan(p_values).any():
        result = np.full(len(p_values), np.nan)
        result[~np.isnan(p_values)] = benjamini_hochberg(p_values[~np.isnan(p_values)])
        return result
    n = len(p_values)
    if n == 0:
        return p_values
    order = np.argsort(p_values, kind="stable")
    ranked = p_values[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    result = np.empty(n)
    result[order] = np.minimum(adjusted, 1.0)
    return result

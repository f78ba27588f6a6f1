"""Shared timing helpers for the benchmark scripts: interleaved medians and one table."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass


@dataclass
class Row:
    """One operation timed against a baseline measured in the same run."""

    operation: str
    seconds: float
    baseline: str
    baseline_seconds: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds


def medians(functions: dict, repeat: int) -> dict[str, float]:
    """Median seconds of each function, run in turn ``repeat`` times (after one warm-up each).

    Interleaving the runs means that load from other processes falls on the operation and
    its baseline alike, so their ratio stays meaningful on a busy machine.
    """
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def print_table(rows: list[Row]) -> None:
    """Operation, its median, the baseline's median and the ratio, one line each."""
    header = f"{'operation':34s} {'median':>10s}  {'baseline (same run)':38s} {'median':>10s} {'ratio':>6s}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row.operation:34s} {row.seconds * 1000:8.1f}ms  {row.baseline:38s} "
              f"{row.baseline_seconds * 1000:8.1f}ms {row.ratio:5.2f}x  {row.note}")

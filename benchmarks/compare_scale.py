"""Time the compare functions on a synthetic corpus of many plans with sections.

    python benchmarks/compare_scale.py [--plans 1000] [--provisions 150] [--repeat 3]

Each plan has 30 sections of 5 provisions, themes drawn from the US plan's coded mix
(fixed seed). Prints, per function, the median time, the peak memory traced while it
runs, and the ratio to a baseline measured in the same run: the point estimates alone
(a pandas group-by mean of the 0/1 theme matrix per plan), i.e. the cost of the intervals.
It also checks that a plan's intervals are the same when computed alone.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from policylab import compare
from policylab.loaders import load_plan

SECTION_SIZE = 5


def synthetic_corpus(n_plans: int, n_provisions: int, seed: int = 11) -> pd.DataFrame:
    """Copies of the US plan's theme and orientation codes, reshuffled per plan, in sections."""
    us = compare.provisions(load_plan("us-aap-2025", source="coded"))
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(us), size=(n_plans, n_provisions)).ravel()
    plan = np.repeat([f"syn-{i:04d}" for i in range(n_plans)], n_provisions)
    position = np.tile(np.arange(n_provisions), n_plans)
    section = np.char.add(np.char.add(plan, "/s"), (position // SECTION_SIZE).astype(str))
    provisions = pd.DataFrame({"plan_id": plan, "unit_id": np.char.add(np.char.add(plan, "/a"), position.astype(str)),
                               "parent_id": section, "level": "action", "part": pd.NA,
                               "themes": us["themes"].to_numpy()[picks], "orientation": us["orientation"].to_numpy()[picks],
                               "instruments": "", "actors": "", "basis": "primary"})
    sections = pd.DataFrame({"plan_id": plan[::SECTION_SIZE], "unit_id": section[::SECTION_SIZE],
                             "parent_id": pd.NA, "level": "section"})
    return pd.concat([sections, provisions], ignore_index=True)


def baseline(coded: pd.DataFrame) -> pd.DataFrame:
    units = compare.provisions(coded)
    return units.groupby("plan_id")[list(compare.THEME_IDS)].mean()


def measure(function, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--provisions", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    coded = synthetic_corpus(args.plans, args.provisions)
    pair = ("syn-0000", "syn-0001")
    operations = {
        "baseline (point estimates only)": lambda: baseline(coded),
        "theme_shares": lambda: compare.theme_shares(coded),
        "theme_attention": lambda: compare.theme_attention(coded),
        "balance": lambda: compare.balance(coded),
        "contrast (two plans of the corpus)": lambda: compare.contrast(coded, *pair),
    }
    print(f"{args.plans} plans x {args.provisions} provisions in sections of {SECTION_SIZE}; "
          f"median of {args.repeat}; peak = traced Python/numpy allocations")
    base = None
    for name, function in operations.items():
        seconds, peak = measure(function, args.repeat)
        base = base or seconds
        print(f"  {name:36s} {seconds:8.2f} s  peak {peak:7.0f} MiB  ratio {seconds / base:6.1f}x")
    one = coded[coded["plan_id"] == "syn-0007"]
    alone = compare.theme_shares(one)
    together = compare.theme_shares(coded).query("plan_id == 'syn-0007'").reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, together)
    print("  intervals of syn-0007 alone and in the full corpus: identical")


if __name__ == "__main__":
    main()

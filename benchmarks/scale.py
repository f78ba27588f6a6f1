"""How time and memory grow with the corpus: the tagger and the compare functions at 10, 100, 1,000 plans.

    python benchmarks/scale.py [--sizes 10 100 1000] [--ops tag theme_shares ...]

The synthetic corpus is N copies of the coded US plan (220 units, 156 provisions, with
parts and sections), each under its own plan id, its theme and orientation codes shuffled
over its provisions (fixed seed) so that plans differ. Each operation runs once per size for
its time and once more under tracemalloc for its peak of Python-allocated memory (numpy and
pandas buffers included); ``baseline`` is the point estimates alone (a group-by mean of the
0/1 theme matrix), so the other rows show what the intervals cost. Cost that grows linearly
shows as a constant "per plan" column. Last, it checks that a plan's intervals are the same
computed alone as in the largest corpus.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
import pandas as pd
from timing import Row, medians

import policylab
from policylab import compare
from policylab.coding import tag_themes
from policylab.tagging import default_tagger

OPERATIONS = {
    "tag": lambda corpus: tag_themes(corpus),
    "baseline": lambda corpus: compare.provisions(corpus).groupby("plan_id")[list(compare.THEME_IDS)].mean(),
    "theme_shares": compare.theme_shares,
    "theme_attention": compare.theme_attention,
    "balance": compare.balance,
    "contrast": lambda corpus: compare.contrast(corpus, *corpus["plan_id"].unique()[:2]),
}


def synthetic_corpus(n_plans: int, seed: int = 11) -> pd.DataFrame:
    """``n_plans`` copies of the coded US plan, each with its own ids and shuffled codes."""
    us = policylab.load_corpus(["us-aap-2025"], source="coded")
    provision = us["level"].isin(compare.PROVISION_LEVELS).to_numpy()
    rng = np.random.default_rng(seed)
    copies = []
    for i in range(n_plans):
        copy = us.copy()
        plan_id = f"syn-{i:04d}"
        copy["plan_id"] = plan_id
        copy["unit_id"] = plan_id + copy["unit_id"].str.removeprefix("us-aap-2025")
        copy["parent_id"] = plan_id + copy["parent_id"].str.removeprefix("us-aap-2025")
        order = rng.permutation(np.flatnonzero(provision))
        for column in ("themes", "orientation"):
            copy.loc[provision, column] = us[column].to_numpy()[order]
        copies.append(copy)
    corpus = pd.concat(copies, ignore_index=True)
    corpus.attrs = {}
    return corpus


def measure(function, corpus: pd.DataFrame) -> tuple[float, float]:
    """Seconds of one run, and peak MiB of a second run under tracemalloc."""
    start = time.perf_counter()
    function(corpus)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    function(corpus)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def rows(n_plans: int, repeat: int) -> list[Row]:
    """Each compare function on ``n_plans`` plans against the point estimates alone, for bench.py."""
    corpus = synthetic_corpus(n_plans)
    names = ["theme_shares", "theme_attention", "balance", "contrast"]
    times = medians({name: lambda name=name: OPERATIONS[name](corpus) for name in [*names, "baseline"]}, repeat)
    return [Row(f"{name} on {n_plans:,} plans", times[name], "point estimates alone (no intervals)",
                times["baseline"], f"median of {repeat}; {len(corpus):,} units") for name in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--ops", nargs="+", default=list(OPERATIONS), choices=list(OPERATIONS))
    args = parser.parse_args()
    default_tagger()  # built once per process (the term automata); not part of the per-size cost
    print(f"{'operation':16s} {'plans':>6s} {'units':>8s} {'seconds':>9s} {'ms/plan':>8s} {'peak MiB':>9s}")
    for size in args.sizes:
        corpus = synthetic_corpus(size)
        for name in args.ops:
            seconds, peak = measure(OPERATIONS[name], corpus)
            print(f"{name:16s} {size:6d} {len(corpus):8,d} {seconds:9.2f} {seconds / size * 1000:8.1f} {peak:9.1f}",
                  flush=True)
    alone = compare.theme_shares(corpus[corpus["plan_id"] == "syn-0001"])
    pooled = compare.theme_shares(corpus).query("plan_id == 'syn-0001'").reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, pooled)
    print(f"intervals of syn-0001 alone and among {size:,} plans: identical")


if __name__ == "__main__":
    main()

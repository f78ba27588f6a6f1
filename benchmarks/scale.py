"""How time and memory grow with the corpus: the tagger and the compare functions at 10, 100, 1,000 plans.

    python benchmarks/scale.py [--sizes 10 100 1000] [--ops tag theme_shares ...]

The synthetic corpus is N copies of the coded US plan (220 units, 156 provisions, with
parts and sections), each under its own plan id. Each operation runs once per size for
its time and once more under tracemalloc for its peak of Python-allocated memory (numpy
and pandas buffers included). Compare functions that a checkout does not have are skipped
with a note. benchmarks/compare_scale.py times the compare functions alone on plans with
reshuffled codes. Cost that grows linearly shows as a
constant "per plan" column.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import pandas as pd

import policylab
from policylab import compare
from policylab.coding import tag_themes
from policylab.tagging import default_tagger

# How each operation is called on a corpus; None means "from policylab.compare, if present"
# (contrast compares the first two plans).
OPERATIONS = {
    "tag": lambda corpus: tag_themes(corpus),
    "theme_shares": None,
    "theme_attention": None,
    "balance": None,
    "contrast": None,
}


def synthetic_corpus(n_plans: int) -> pd.DataFrame:
    """``n_plans`` copies of the coded US plan, each with its own plan id and unit ids."""
    us = policylab.load_corpus(["us-aap-2025"], source="coded")
    copies = []
    for i in range(n_plans):
        copy = us.copy()
        plan_id = f"syn-{i:04d}"
        copy["plan_id"] = plan_id
        copy["unit_id"] = plan_id + copy["unit_id"].str.removeprefix("us-aap-2025")
        copies.append(copy)
    corpus = pd.concat(copies, ignore_index=True)
    corpus.attrs = {}
    return corpus


def operation(name: str):
    """The callable for ``name``, or None when this checkout's compare module lacks it."""
    if OPERATIONS[name] is not None:
        return OPERATIONS[name]
    function = getattr(compare, name, None)
    if function is None:
        return None
    if name == "contrast":
        return lambda corpus: function(corpus, *corpus["plan_id"].unique()[:2])
    return lambda corpus: function(corpus)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--ops", nargs="+", default=list(OPERATIONS), choices=list(OPERATIONS))
    args = parser.parse_args()
    functions = {}
    for name in args.ops:
        function = operation(name)
        if function is None:
            print(f"note: compare.{name} is not in this checkout; skipped")
        else:
            functions[name] = function
    default_tagger()  # built once per process (the lexicon regex); not part of the per-size cost
    print(f"{'operation':16s} {'plans':>6s} {'units':>8s} {'seconds':>9s} {'ms/plan':>8s} {'peak MiB':>9s}")
    for size in args.sizes:
        corpus = synthetic_corpus(size)
        for name, function in functions.items():
            seconds, peak = measure(function, corpus)
            print(f"{name:16s} {size:6d} {len(corpus):8,d} {seconds:9.2f} {seconds / size * 1000:8.1f} {peak:9.1f}",
                  flush=True)


if __name__ == "__main__":
    main()

"""Time dictionary tagging of 10,000 synthetic English units against a naive term loop.

    python benchmarks/tagging.py [--units N] [--repeat R]

Units are built from the codebook's own English terms and neutral filler words (fixed
seed). The naive baseline checks every lexicon term against every unit with a
precompiled whole-word pattern. Prints medians, units per second and the ratio.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time

import pandas as pd

from policylab.tagging import DictionaryTagger
from policylab.themes import load_codebook

FILLER = ("the", "plan", "will", "support", "new", "federal", "efforts", "across", "agencies", "and",
          "with", "partners", "to", "ensure", "that", "over", "time", "for", "all", "americans")


def synthetic_units(n: int, seed: int = 7) -> pd.DataFrame:
    codebook = load_codebook()
    terms = [term for theme in codebook.themes for term in theme.lexicon_en]
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        words = [rng.choice(FILLER) for _ in range(rng.randint(25, 60))]
        for _ in range(rng.randint(1, 4)):
            words.insert(rng.randrange(len(words)), rng.choice(terms))
        texts.append(" ".join(words).capitalize() + ".")
    return pd.DataFrame({"unit_id": [f"syn/{i:05d}" for i in range(n)], "text": texts, "language": "en"})


def naive_tag(units: pd.DataFrame, patterns: list[tuple[str, re.Pattern]]) -> list[tuple[str, str]]:
    hits = []
    for unit_id, text in zip(units.unit_id, units.text):
        lowered = text.lower()
        for theme, pattern in patterns:
            if pattern.search(lowered):
                hits.append((unit_id, theme))
    return hits


def median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    units = synthetic_units(args.units)
    tagger = DictionaryTagger()
    patterns = [(theme.id, re.compile(rf"\b{re.escape(term)}\b"))
                for theme in tagger.codebook.themes for term in theme.lexicon_en]
    ours = median_seconds(lambda: tagger.tag(units), args.repeat)
    naive = median_seconds(lambda: naive_tag(units, patterns), max(1, args.repeat // 2))
    print(f"units: {len(units)}, English terms: {len(patterns)}")
    print(f"dictionary tagger  median {ours:.3f} s  = {len(units) / ours:,.0f} units/s")
    print(f"naive term loop    median {naive:.3f} s  = {len(units) / naive:,.0f} units/s")
    print(f"speed-up over the naive loop: {naive / ours:.1f}x")


if __name__ == "__main__":
    main()

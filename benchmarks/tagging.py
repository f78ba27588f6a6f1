"""Time dictionary tagging of synthetic English and Chinese units against tokenising them,
and coding many plans with ``code_plan`` (the default tagger: per theme the dictionary or the
supervised model) against tokenising and against the dictionary alone.

    python benchmarks/tagging.py [--units N] [--repeat R] [--plans P] [--plan-repeat R]

Units are built from the codebook's own terms and filler words that neither are nor
contain a term (fixed seed), of about the length of the US plan's units (median ≈ 250
characters) and of a Chinese plan's clauses. The baseline is the least any tagger must
do: lower-case each text and tokenise it with one regex (English words; Chinese
characters one by one). Prints the median of R interleaved runs, units per second, and
the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import random
import re
import warnings

import numpy as np
import pandas as pd
from timing import Row, medians, print_table

from policylab.coding import code_plan
from policylab.readquality import ReadingWarning
from policylab.tagging import DictionaryTagger
from policylab.themes import load_codebook
from policylab.units import COLUMNS

FILLER_EN = ("the", "plan", "will", "support", "new", "federal", "efforts", "across", "agencies", "and",
             "with", "partners", "to", "ensure", "that", "over", "time", "for", "all", "americans")
FILLER_ZH = ("各方", "将", "继续", "推进", "相关", "工作", "加强", "方面", "落实", "持续", "促进", "有关",
             "部门", "领域", "进一步", "完善", "机制", "支持", "鼓励", "提升", "水平", "的", "措施", "在")
PUNCTUATION_ZH = ("，", "，", "、", "；")
EN_BASELINE = re.compile(r"[a-z0-9]+(?:[&'][a-z0-9]+)*")
ZH_BASELINE = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]+")


def synthetic_units(n: int, language: str = "en", seed: int = 7) -> pd.DataFrame:
    """``n`` units of filler words with 1-4 lexicon terms each, in ``language`` ("en" or "zh")."""
    codebook = load_codebook()
    terms = [term for theme in codebook.themes for term in theme.lexicon(language)]
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        if language == "en":
            words = [rng.choice(FILLER_EN) for _ in range(rng.randint(25, 60))]
        else:
            words = [rng.choice(FILLER_ZH) + (rng.choice(PUNCTUATION_ZH) if rng.random() < 0.15 else "")
                     for _ in range(rng.randint(25, 60))]
        for _ in range(rng.randint(1, 4)):
            words.insert(rng.randrange(len(words)), rng.choice(terms))
        texts.append(" ".join(words).capitalize() + "." if language == "en" else "".join(words) + "。")
    return pd.DataFrame({"unit_id": [f"syn/{i:05d}" for i in range(n)], "text": texts,
                         "language": "en" if language == "en" else "zh-Hans"})


def rows(n_units: int, repeat: int) -> list[Row]:
    """English and Chinese tagging vs lower-casing and tokenising the same texts."""
    tagger = DictionaryTagger()
    result = []
    for language, label, baseline in (("en", "English", EN_BASELINE), ("zh", "Chinese", ZH_BASELINE)):
        units = synthetic_units(n_units, language)
        texts = list(units.text)
        times = medians({"tag": lambda units=units: tagger.tag(units),
                         "tokenise": lambda texts=texts, baseline=baseline: [baseline.findall(t.lower()) for t in texts]},
                        repeat)
        chars = sum(map(len, texts)) / len(texts)
        result.append(Row(f"tag {n_units:,} {label} units", times["tag"], "lower-case + one-regex tokenise",
                          times["tokenise"], f"{n_units / times['tag']:,.0f} units/s (mean {chars:.0f} chars)"))
    return result


def synthetic_plans(n_plans: int, units_per_plan: int = 150) -> pd.DataFrame:
    """``n_plans`` plans of ``units_per_plan`` English units each, as a full unit table."""
    units = synthetic_units(n_plans * units_per_plan, "en")
    units["plan_id"] = np.repeat([f"syn-{p:04d}" for p in range(n_plans)], units_per_plan)
    units["order"] = np.tile(np.arange(units_per_plan), n_plans)
    units["level"] = "paragraph"
    units["section"] = np.repeat([f"Section {s}" for s in range(n_plans * units_per_plan // 10 + 1)], 10)[:len(units)]
    for column in ("parent_id", "label", "part", "page"):
        units[column] = None
    return units[list(COLUMNS)].astype(COLUMNS)


def plan_rows(n_plans: int, repeat: int) -> list[Row]:
    """code_plan with the default tagger and with the dictionary alone, against tokenising."""
    units = synthetic_plans(n_plans)
    texts = list(units.text)
    with warnings.catch_warnings():  # the synthetic plans have no sections: code_plan says so, per plan
        warnings.simplefilter("ignore", ReadingWarning)
        times = medians({"default": lambda: code_plan(units), "dictionary": lambda: code_plan(units, tagger="dictionary"),
                         "tokenise": lambda: [EN_BASELINE.findall(t.lower()) for t in texts]}, repeat)
    what = f"{n_plans:,} plans x 150 units"
    return [Row(f"code_plan, {what}", times["default"], "lower-case + one-regex tokenise", times["tokenise"],
                f"{len(units) / times['default']:,.0f} units/s"),
            Row(f"code_plan, {what}", times["default"], "code_plan(tagger='dictionary')", times["dictionary"]),
            Row(f"code_plan dictionary, {what}", times["dictionary"], "lower-case + one-regex tokenise",
                times["tokenise"])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--plan-repeat", type=int, default=3)
    args = parser.parse_args()
    print_table(rows(args.units, args.repeat) + plan_rows(args.plans, args.plan_repeat))


if __name__ == "__main__":
    main()

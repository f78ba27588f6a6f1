"""All benchmarks in one table: each operation, its median, its baseline from the same run, the ratio.

    python benchmarks/bench.py [--repeat N] [--plans N] [--scale-repeat N]

Reading needs the US plan PDF and the texts-dev folder in ../shared/corpus; each is skipped
with a note without it. Reading a collection of 1,000 plain texts (texts-dev cycled, or
generated without ../shared), code_plan and the compare functions on synthetic corpora of
--plans plans (default 1,000; 150 units each for code_plan) take seconds each, so they are
timed --scale-repeat times (default 3) rather
than --repeat.
"""

from __future__ import annotations

import argparse

import read_collection
import read_pdf
import read_texts
import scale
import tagging
from timing import print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--scale-repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    if read_pdf.DEFAULT_PDF.exists():
        rows += read_pdf.rows(read_pdf.DEFAULT_PDF, args.repeat)
    else:
        print(f"reading skipped: {read_pdf.DEFAULT_PDF} not found")
    if read_texts.TEXTS.is_dir():
        rows += read_texts.rows(read_texts.TEXTS, max(3, args.repeat // 3))
    else:
        print(f"reading texts skipped: {read_texts.TEXTS} not found")
    rows += read_collection.rows(1000, args.scale_repeat)
    rows += tagging.rows(10_000, args.repeat)
    rows += tagging.plan_rows(args.plans, args.scale_repeat)
    rows += scale.rows(args.plans, args.scale_repeat)
    print_table(rows)


if __name__ == "__main__":
    main()

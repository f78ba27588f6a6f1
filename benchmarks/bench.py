"""All benchmarks in one table: each operation, its median, its baseline from the same run, the ratio.

    python benchmarks/bench.py [--repeat N]

Reading needs the US plan PDF in ../shared/corpus and is skipped with a note without it.
"""

from __future__ import annotations

import argparse

import read_pdf
import tagging
from timing import print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    rows = []
    if read_pdf.DEFAULT_PDF.exists():
        rows += read_pdf.rows(read_pdf.DEFAULT_PDF, args.repeat)
    else:
        print(f"reading skipped: {read_pdf.DEFAULT_PDF} not found")
    rows += tagging.rows(10_000, args.repeat)
    print_table(rows)


if __name__ == "__main__":
    main()

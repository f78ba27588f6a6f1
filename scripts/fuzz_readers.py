"""Fuzz the readers longer than the test suite does (``make fuzz``).

    python scripts/fuzz_readers.py --seed 1 --count 2000 [--out DIR] [--timeout 10]

Byte and structure mutations of synthetic PDFs, HTML pages and Markdown (and of the
reference copies in ../shared/corpus when present) are read one by one in a forked
process; any exception other than a PolicyLabError, an error that does not name its
file, or a read that outlasts the timeout is reported, and its file kept in DIR.
Exit status 1 when any case failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzzing import fuzz


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--count", type=int, default=2000, help="number of mutated files (default 2000)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds allowed per file (default 10)")
    parser.add_argument("--out", type=Path, help="folder for the failing files (default: a new temporary folder)")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="policylab-fuzz-"))
    folder.mkdir(parents=True, exist_ok=True)
    failures = fuzz(folder, seed=args.seed, count=args.count, timeout=args.timeout)
    for failure in failures:
        print(f"case {failure.case}: {failure.path}\n{failure.problem}\n")
    print(f"fuzz: seed {args.seed}, {args.count} files, {len(failures)} failures (files in {folder})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

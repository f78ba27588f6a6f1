"""Time reading a collection of 1,000 plain-text documents (the issue's target: under 3 s),
and check that reading grows linearly with a document's size.

    python benchmarks/read_collection.py [--count N] [--repeat N] [--generated]

The collection cycles the 100 texts of ../shared/corpus/texts-dev (real documents as a
document collection stores them) to --count files, or, without ../shared or with
--generated, is generated: invented filler in the same template (one paragraph per line,
tab bullets, roman and numbered headings, hard-wrapped paragraphs), of similar sizes.
Prints the median over --repeat interleaved runs of policylab.read_document on every file
and, as the baseline from the same run, of reading each file's bytes, decoding them and
splitting the lines, with the CPU time of one more run (on a busy machine, closer to what the
reading costs than the wall time) and the load average; then the time to read the largest
document copied 1, 2, 4 and 8 times.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from timing import Row, medians, print_table

import policylab

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEXTS_DEV = SHARED / "corpus" / "texts-dev"
TARGET_SECONDS = 3.0
WORDS = ("agency", "council", "programme", "review", "publish", "standard", "model", "system", "data",
         "public", "service", "report", "plan", "measure", "support", "develop", "network", "skills",
         "research", "partner", "annual", "national", "guidance", "risk", "access", "the", "of", "and",
         "to", "for", "each", "will", "with", "on", "its")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    return " ".join(words).capitalize() + "."


def generated_text(rng: random.Random, paragraphs: int) -> str:
    """One invented document: roman parts, numbered sections, paragraphs one per line, tab bullets,
    and now and then a paragraph hard-wrapped at 72 characters."""
    lines = ["A PLAN FOR " + " ".join(rng.choice(WORDS) for _ in range(3)).upper()]
    for part in range(1, paragraphs // 12 + 2):
        lines.append(f"{ROMAN[(part - 1) % len(ROMAN)]}. " + " ".join(rng.choice(WORDS) for _ in range(3)).title())
        for section in range(1, 4):
            lines.append(f"{section}. " + " ".join(rng.choice(WORDS) for _ in range(4)).title())
            for _ in range(rng.randint(1, 4)):
                paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
                if rng.random() < 0.2:
                    while len(paragraph) > 72:
                        cut = paragraph.rfind(" ", 0, 72)
                        lines.append(paragraph[:cut])
                        paragraph = paragraph[cut + 1:]
                lines.append(paragraph)
            lines += [f"\t- {_sentence(rng)}" for _ in range(rng.randint(0, 4))]
    return "\n".join(lines) + "\n"


def collection(count: int, folder: Path, *, generated: bool) -> list[Path]:
    """``count`` text files: texts-dev cycled, or generated into ``folder``."""
    if not generated and TEXTS_DEV.is_dir():
        texts = sorted(TEXTS_DEV.glob("*.txt"))
        return [texts[i % len(texts)] for i in range(count)]
    rng = random.Random(20251204)
    paths = []
    for i in range(min(count, 100)):
        path = folder / f"doc{i:03d}.txt"
        path.write_text(generated_text(rng, rng.choice([4, 8, 16, 32, 64, 128])), encoding="utf-8")
        paths.append(path)
    return [paths[i % len(paths)] for i in range(count)]


def read_all(paths: list[Path]) -> None:
    for path in paths:
        policylab.read_document(path)


def split_all(paths: list[Path]) -> None:
    for path in paths:
        path.read_bytes().decode("utf-8", errors="replace").splitlines()


def rows(count: int, repeat: int, *, generated: bool = False) -> list[Row]:
    """Reading ``count`` plain-text documents into validated unit tables vs splitting their lines."""
    with tempfile.TemporaryDirectory() as folder:
        paths = collection(count, Path(folder), generated=generated)
        size = sum(path.stat().st_size for path in paths)
        times = medians({"ours": lambda: read_all(paths), "raw": lambda: split_all(paths)}, repeat)
        start = time.process_time()
        read_all(paths)
        cpu = time.process_time() - start  # what the process itself used: less moved by other processes
    where = "generated" if generated or not TEXTS_DEV.is_dir() else "texts-dev cycled"
    return [Row(f"read {count:,} texts -> validated units", times["ours"], "read bytes, decode, split lines",
                times["raw"], f"CPU {cpu:.2f} s; {where}, {size / 1e6:.1f} MB" + (f"; target < {TARGET_SECONDS:.0f} s" if count == 1000 else ""))]


def growth(repeat: int, *, generated: bool = False) -> list[tuple[int, int, float]]:
    """(copies, bytes, median seconds) of reading the largest document copied 1, 2, 4 and 8 times
    (large, so that the fixed cost of a table does not hide how reading grows)."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if not generated and TEXTS_DEV.is_dir():
            texts = sorted(TEXTS_DEV.glob("*.txt"), key=lambda p: p.stat().st_size)
            text = texts[-1].read_text(encoding="utf-8")
        else:
            text = generated_text(random.Random(7), 256)
        paths = {}
        for copies in (1, 2, 4, 8):
            paths[copies] = folder / f"x{copies}.txt"
            paths[copies].write_text("\n".join([text] * copies), encoding="utf-8")
        times = medians({copies: (lambda p=path: policylab.read_document(p)) for copies, path in paths.items()}, repeat)
        return [(copies, paths[copies].stat().st_size, times[copies]) for copies in paths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--generated", action="store_true", help="generate the texts even when texts-dev is present")
    args = parser.parse_args()
    print_table(rows(args.count, args.repeat, generated=args.generated))
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("\none document copied n times (linear reading: time per kB stays flat, doubling ~2x):")
    previous = None
    for copies, size, seconds in growth(9, generated=args.generated):
        step = f"  x{seconds / previous:.2f} for twice the size" if previous else ""
        print(f"  {copies}x  {size / 1000:8.1f} kB  {seconds * 1000:8.1f} ms  {seconds * 1e9 / size:6.1f} ms/MB{step}")
        previous = seconds


if __name__ == "__main__":
    main()

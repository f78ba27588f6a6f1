"""Time reading a generated Federal Register-style PDF against raw text extraction.

    python benchmarks/read_gazette.py [--pages N] [--repeat N]

Builds an invented presidential document of N pages (default 40) in the gazette layout
(masthead, running heads, "Sec. N." sections with "(a)"/"(i)" items, line-end hyphens)
with the test PDF factory, then prints the median over interleaved runs of
policylab.read_document and of pypdfium2's page text extraction, and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from read_pdf import pypdfium2_text
from timing import Row, medians, print_table

import policylab

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pdf_factory import gazette_page, make_pdf

HEAD = "Federal Register / Vol. 99, No. 7 / Tuesday, January 12, 2100 / Presidential Documents"
FILLER = ["pretend", "widgets", "gadgets", "imaginary", "office", "town", "harbour", "square", "household",
          "quarterly", "report", "list", "colour", "handle", "spoon", "fork", "knife", "publish", "count"]


def body_lines(page: int, count: int = 50) -> list[str]:
    """Invented lines: a section every 25 lines, an item "(a)" to "(e)" every 5 lines within
    it, and a word broken at every fourth line end ("regu-" / "lation")."""
    lines = []
    for i in range(count):
        text = " ".join(FILLER[(page * 7 + i * 3 + k) % len(FILLER)] for k in range(9))
        if i % 4 == 1:
            text += " regu-"
        elif i % 4 == 2:
            text = "lation " + text
        if i % 25 == 0:
            text = f">Sec. {page * 2 + i // 25 + 1}. Pretend Heading. (a) {text}"
        elif i % 5 == 0:
            text = f">({'abcde'[i % 25 // 5]}) {text}"
        lines.append(text)
    return lines


def make_gazette(path: Path, pages: int) -> Path:
    first = gazette_page([("Federal Register", 54, 740, 18), ("Presidential Documents", 360, 740, 18),
                          ("Executive Order 99001 of January 7, 2100", 170, 680, 11),
                          ("Encouraging Pretend Widgets", 170, 660, 14)], body_lines(0, 45), top=630)
    rest = [gazette_page([(f"{4101 + n} {HEAD}", 54, 760, 8)], body_lines(n), top=730) for n in range(1, pages)]
    return make_pdf(path, [first, *rest])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdf = make_gazette(Path(folder) / "gazette.pdf", args.pages)
        units = policylab.read_document(pdf)
        times = medians({"ours": lambda: policylab.read_document(pdf), "raw": lambda: pypdfium2_text(pdf)},
                        args.repeat)
    print_table([Row(f"read {args.pages}-page gazette PDF -> units", times["ours"],
                     "pypdfium2 get_text_range, all pages", times["raw"])])
    print(f"{len(units)} units: " + ", ".join(f"{n} {level}" for level, n in units.level.value_counts().items() if n))


if __name__ == "__main__":
    main()

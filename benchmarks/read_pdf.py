"""Time reading the US plan into the validated unit table against raw text extraction.

    python benchmarks/read_pdf.py [PDF] [--repeat N]

Prints the median over N interleaved runs (default 9) of policylab.read_document and of
pypdfium2's page text extraction, their ratio, and the share of body tokens confirmed
against the official wording when ../shared is present.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium
from timing import Row, medians, print_table

import policylab
from policylab.parse.fidelity import confirmed_tokens, load_shingles

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_PDF = SHARED / "corpus" / "us-aap-2025" / "Americas-AI-Action-Plan.pdf"


def pypdfium2_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    return text


def rows(pdf: Path, repeat: int) -> list[Row]:
    """Reading the PDF into the validated unit table vs raw pypdfium2 page text."""
    times = medians({"ours": lambda: policylab.read_document(pdf), "raw": lambda: pypdfium2_text(pdf)}, repeat)
    return [Row("read US PDF -> validated units", times["ours"], "pypdfium2 get_text_range, all pages", times["raw"])]


def fidelity(pdf: Path) -> str | None:
    """Body tokens confirmed against the official wording (needs ../shared/tools)."""
    shingles = SHARED / "tools" / "source-shingles.txt"
    if not shingles.exists():
        return None
    units = policylab.read_document(pdf)
    body = units[units.level.isin(["preamble", "paragraph", "action"])]
    hashes = load_shingles(shingles)
    ours_ok, ours_total = confirmed_tokens(body.text, hashes)
    raw_ok, raw_total = confirmed_tokens(pypdfium2_text(pdf).split("\n \n"), hashes)
    return (f"body tokens confirmed against the official wording: {ours_ok}/{ours_total} = "
            f"{ours_ok / ours_total:.4%} (raw pypdfium2 page text: {raw_ok}/{raw_total} = {raw_ok / raw_total:.2%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    if not args.pdf.exists():
        parser.exit(1, f"{args.pdf} not found; give the path of the US plan PDF.\n")
    print_table(rows(args.pdf, args.repeat))
    line = fidelity(args.pdf)
    if line:
        print(line)


if __name__ == "__main__":
    main()

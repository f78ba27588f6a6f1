"""Time reading the US plan into the validated unit table against raw text extraction.

    python benchmarks/read_pdf.py [PDF] [--repeat N]

Prints medians over N runs (default 15) and the ratio to the fastest raw extraction
measured in the same run (pypdfium2; pypdf and pdfplumber too when installed), and the
share of body tokens confirmed against the official wording when ../shared is present.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from pathlib import Path

import pypdfium2 as pdfium

import policylab
from policylab.parse.fidelity import confirmed_tokens, load_shingles

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_PDF = SHARED / "corpus" / "us-aap-2025" / "Americas-AI-Action-Plan.pdf"


def pypdfium2_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    return text


def pypdf_text(path: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def median_seconds(function, path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if not args.pdf.exists():
        parser.exit(1, f"{args.pdf} not found; give the path of the US plan PDF.\n")
    baselines = {"pypdfium2 get_text_range": pypdfium2_text}
    for module, function in (("pypdf", pypdf_text), ("pdfplumber", pdfplumber_text)):
        if importlib.util.find_spec(module):
            baselines[f"{module} extract_text"] = function
    policylab.read_document(args.pdf)  # warm up imports
    results = {name: median_seconds(f, args.pdf, args.repeat if "pypdfium2" in name else 3)
               for name, f in baselines.items()}
    fastest = min(results.values())
    ours = median_seconds(policylab.read_document, args.pdf, args.repeat)
    for name, seconds in sorted(results.items(), key=lambda kv: kv[1]):
        print(f"{name:32s} median {seconds * 1000:8.1f} ms")
    print(f"{'policylab.read_document':32s} median {ours * 1000:8.1f} ms  ratio to fastest raw: {ours / fastest:.2f}")
    shingles = SHARED / "tools" / "source-shingles.txt"
    if shingles.exists():
        units = policylab.read_document(args.pdf)
        body = units[units.level.isin(["preamble", "paragraph", "action"])]
        hashes = load_shingles(shingles)
        ours_ok, ours_total = confirmed_tokens(body.text, hashes)
        raw_ok, raw_total = confirmed_tokens(pypdfium2_text(args.pdf).split("\n \n"), hashes)
        print(f"body tokens confirmed against the official wording: {ours_ok}/{ours_total} "
              f"= {ours_ok / ours_total:.4%} (raw pypdfium2 page text: {raw_ok}/{raw_total} = {raw_ok / raw_total:.2%})")


if __name__ == "__main__":
    main()

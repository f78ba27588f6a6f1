"""Reading plain-text documents: the 100 texts of ../shared/corpus/texts-dev, and one long text.

    python benchmarks/read_texts.py [--repeat N]

Baseline in the same run: decoding the same files and splitting them into lines, the
least any reader does. The long text (the development set's texts one after another,
once and four times) shows that reading time grows in proportion to the text.
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

from timing import Row, medians, print_table

from policylab import read_document

TEXTS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "texts-dev"


def _read_all(paths: list[Path]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # texts read flat say so; not what is timed
        for path in paths:
            read_document(path)


def rows(folder: Path, repeat: int) -> list[Row]:
    """The development set read vs decoded; one long text and four times it."""
    paths = sorted(folder.glob("*.txt"))
    times = medians({"read": lambda: _read_all(paths),
                     "decode": lambda: [p.read_bytes().decode("utf-8").splitlines() for p in paths]}, repeat)
    result = [Row(f"read {len(paths)} texts-dev texts", times["read"], "decode + split lines, same files",
                  times["decode"], f"{len(paths) / times['read']:,.0f} texts/s")]
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in paths)
    with tempfile.TemporaryDirectory() as folder_name:
        once, four = Path(folder_name) / "once.txt", Path(folder_name) / "four.txt"
        once.write_text(text, encoding="utf-8")
        four.write_text("\n\n".join([text] * 4), encoding="utf-8")
        times = medians({"four": lambda: _read_all([four]), "once": lambda: _read_all([once])}, max(3, repeat // 3))
    result.append(Row(f"read one text of {4 * len(text) // 1000:,} kB", times["four"],
                      f"the same text at {len(text) // 1000:,} kB", times["once"], "linear: ratio near 4"))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not TEXTS.is_dir():
        raise SystemExit(f"{TEXTS} not found: the development set is only beside developer and CI checkouts")
    print_table(rows(TEXTS, args.repeat))


if __name__ == "__main__":
    main()

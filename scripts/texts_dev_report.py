"""How the text reader copes with a folder of real plain-text documents (default ../shared/corpus/texts-dev).

Prints what a user would notice: texts over 5 kB read as one unit, files refused, the
longest unit, units per level, how many texts were read flat, and the time to read them all.

    python scripts/texts_dev_report.py [FOLDER]
"""

from __future__ import annotations

import sys
import time
import warnings
from collections import Counter
from pathlib import Path

from policylab import read_document
from policylab.errors import PolicyLabError

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "texts-dev"


def main(folder: Path) -> None:
    files = sorted(folder.glob("*.txt"))
    levels: Counter = Counter()
    one_unit, refused, flat, longest = [], [], [], (0, "")
    start = time.perf_counter()
    for path in files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                units = read_document(path)
        except PolicyLabError as exc:
            refused.append(f"{path.name}: {str(exc)[:100]}")
            continue
        body = units[units.level != "title"]
        if path.stat().st_size > 5000 and len(body) <= 1:
            one_unit.append(path.name)
        if units.attrs.get("structure") == "flat":
            flat.append(path.name)
        levels.update(units.level.astype(str))
        size, name = max(zip(units.text.str.len(), units.unit_id))
        longest = max(longest, (size, name))
    seconds = time.perf_counter() - start
    total = sum(levels.values())
    print(f"{len(files)} files read in {seconds:.2f} s")
    print(f"over 5 kB read as one unit: {len(one_unit)} {one_unit[:10]}")
    print(f"refused: {len(refused)} {refused[:5]}")
    print(f"read flat: {len(flat)}")
    print(f"longest unit: {longest[0]:,} characters ({longest[1]})")
    print(f"units: {total:,}; " + ", ".join(f"{level} {n / total:.0%}" for level, n in levels.most_common()))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)

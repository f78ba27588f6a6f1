"""Make the subset of Noto Sans CJK SC that policylab ships for Chinese labels in charts.

    python scripts/make_cjk_font.py NotoSansCJK-Regular.ttc

The source is the upstream Noto Sans CJK collection (Debian package fonts-noto-cjk,
1:20220127). The subset keeps Latin, general and CJK punctuation, full-width forms and
the 6,763 characters of GB 2312 (common simplified Chinese). SIL Open Font License 1.1;
see policylab/fonts/OFL.txt.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

OUT = Path(__file__).resolve().parents[1] / "policylab" / "fonts" / "NotoSansSC-Regular-subset.otf"


def gb2312_characters() -> str:
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def main(collection: str) -> None:
    fonts = TTCollection(collection).fonts
    font = next(f for f in fonts if "SC" in f["name"].getDebugName(1))
    keep = set(gb2312_characters())
    keep.update(chr(c) for c in range(0x20, 0x7F))
    keep.update(chr(c) for c in range(0xA0, 0x180))
    keep.update(chr(c) for c in range(0x2000, 0x2070))
    keep.update(chr(c) for c in range(0x3000, 0x3040))
    keep.update(chr(c) for c in range(0xFF00, 0xFFF0))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in keep])
    subsetter.subset(font)
    OUT.parent.mkdir(exist_ok=True)
    font.save(str(OUT))
    print(f"{OUT}: {OUT.stat().st_size / 1e6:.1f} MB, {len(keep)} characters requested")


if __name__ == "__main__":
    main(sys.argv[1])

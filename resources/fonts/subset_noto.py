"""Make the bundled fallback CJK font: Noto Sans CJK SC cut to GB 2312 + Latin, renamed.

Run by hand (needs fontTools, which the app itself does not):
    pip install fonttools
    python resources/fonts/subset_noto.py /usr/share/fonts/opentype/noto

It reads Debian's fonts-noto-cjk NotoSansCJK-{Regular,Bold}.ttc (face 2 = SC) and
writes CommandCenterSansSC-{Regular,Bold}.otf next to this file. The family is renamed
so it never shadows a full system Noto Sans CJK SC (OFL 1.1 allows modified versions
under a new name; see OFL.txt).
"""

from __future__ import annotations

import sys
from pathlib import Path

FAMILY = "Command Center Sans SC"
PS_FAMILY = "CommandCenterSansSC"
SC_FACE = 2  # index of "Noto Sans CJK SC" in the Debian .ttc collections
# Kerning and the CJK spacing features; locl and friends would drag in the JP/KR/TC
# alternates and triple the size.
FEATURES = ["kern", "palt", "halt", "vhal", "vpal", "ccmp"]


def codepoints() -> list[int]:
    """GB 2312 (every hanzi and symbol of it), ASCII, Latin-1, punctuation, CJK symbols."""
    cps: set[int] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    cps |= set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070))
    cps |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    cps |= {0x2190, 0x2191, 0x2192, 0x2193, 0x2713, 0x25B2, 0x25BC, 0x25CF, 0x25CB}
    return sorted(cps)


def make(src_dir: Path, out_dir: Path) -> list[Path]:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    written = []
    for style in ("Regular", "Bold"):
        src = src_dir / f"NotoSansCJK-{style}.ttc"
        font = TTFont(src, fontNumber=SC_FACE, lazy=False)
        options = subset.Options()
        options.layout_features = FEATURES
        options.hinting = False
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        sub = subset.Subsetter(options)
        sub.populate(unicodes=codepoints())
        sub.subset(font)
        names = font["name"]
        version = names.getDebugName(5) or ""
        for rec in list(names.names):
            if rec.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
                names.removeNames(nameID=rec.nameID)
        for name_id, value in (
            (1, FAMILY),
            (2, style),
            (3, f"{PS_FAMILY}-{style};{version}"),
            (4, f"{FAMILY} {style}" if style != "Regular" else FAMILY),
            (6, f"{PS_FAMILY}-{style}"),
        ):
            names.setName(value, name_id, 3, 1, 0x409)
            names.setName(value, name_id, 1, 0, 0)
        if "CFF " in font:
            cff = font["CFF "].cff
            cff.fontNames = [f"{PS_FAMILY}-{style}"]
        out = out_dir / f"{PS_FAMILY}-{style}.otf"
        font.save(out)
        written.append(out)
    return written


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto")
    for path in make(source, Path(__file__).resolve().parent):
        print(path, path.stat().st_size)

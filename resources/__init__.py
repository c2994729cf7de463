"""The app's resource files (styles, fonts, icons, translations) and one resolver for them.

``path("styles", "wall.qss")`` works from a source checkout, an installed package and a
PyInstaller one-folder bundle (where files live under ``sys._MEIPASS/resources``).
No Qt here: the CLI and the core can use the resolver without loading a GUI.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path, PurePath

#: Stylesheets in resources/styles: the desk theme and the high-contrast wall theme.
STYLES: tuple[str, ...] = ("normal", "wall")

_PX = re.compile(r"@px\(\s*(\d+(?:\.\d+)?)\s*\)")


def root() -> Path:
    """The resources folder: ``sys._MEIPASS/resources`` when frozen, else this package's folder."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """The file or folder ``parts`` under the resources root; FileNotFoundError if missing.

    Parts are relative names ("styles", "wall.qss"); absolute paths and ".." are refused
    with ValueError so a resource name can never reach outside the resources folder.
    """
    if not parts:
        return root()
    for part in parts:
        pure = PurePath(part)
        if pure.is_absolute() or ".." in pure.parts or part == "":
            raise ValueError(f"resource path parts must be relative names, got {part!r}")
    target = root().joinpath(*parts)
    if not target.exists():
        raise FileNotFoundError(f"resource {'/'.join(parts)!r} not found under {root()}")
    return target


def stylesheet(name: str, scale: float = 1.0) -> str:
    """The Qt stylesheet ``name`` ("normal" or "wall") with ``@px(N)`` sizes scaled.

    ``@px(24)`` becomes ``24px`` at scale 1.0 and ``48px`` at 2.0, so the wall's table
    text stays 24 px at 1080p and grows with the screen (see widgets.metrics.wall_scale).
    """
    if name not in STYLES:
        raise ValueError(f"unknown stylesheet {name!r}; expected one of {list(STYLES)}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    text = path("styles", f"{name}.qss").read_text(encoding="utf-8")
    return _PX.sub(lambda m: f"{max(1, round(float(m.group(1)) * scale))}px", text)

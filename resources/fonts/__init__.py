"""App fonts: load the bundled fonts and pick a family list that renders Chinese everywhere.

The system's CJK font is preferred (Noto Sans CJK SC on Linux, Microsoft YaHei on
Windows, PingFang SC on macOS); the bundled "Command Center Sans SC" (a GB 2312 subset
of Noto Sans CJK SC, OFL) is the fallback, so a wall PC without CJK fonts still shows
Chinese instead of boxes. Needs a QGuiApplication; imports Qt only when called.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

#: The family name of the bundled fallback font.
BUNDLED_FAMILY = "Command Center Sans SC"

#: Families in order of preference; the first that exists wins, later ones fill in
#: glyphs it lacks (Qt falls back along QFont.families()).
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans SC",
    BUNDLED_FAMILY,
)

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

# path -> families it registered; loading twice would register duplicates with Qt.
_loaded: dict[Path, list[str]] = {}


def font_files(directory: Path | None = None) -> list[Path]:
    """Every .ttf/.otf/.ttc under ``directory`` (default: resources/fonts), sorted."""
    import resources

    base = directory if directory is not None else resources.root() / "fonts"
    return sorted(p for p in base.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


def install_app_fonts(directory: Path | None = None) -> list[str]:
    """Register the font files of ``directory`` with Qt; return the families they provide.

    Idempotent per file. A file Qt cannot load is logged and skipped: a broken font must
    not stop the app, which still has the system fonts.
    """
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    if QGuiApplication.instance() is None:
        raise RuntimeError("install_app_fonts() needs a QGuiApplication; create the application first")
    families: list[str] = []
    for path in font_files(directory):
        key = path.resolve()
        if key not in _loaded:
            font_id = QFontDatabase.addApplicationFont(str(key))
            if font_id < 0:
                log.warning("could not load font file %s; skipped", key)
                _loaded[key] = []
            else:
                _loaded[key] = list(QFontDatabase.applicationFontFamilies(font_id))
        families.extend(f for f in _loaded[key] if f not in families)
    return families


def ui_families() -> list[str]:
    """The PREFERRED_FAMILIES that exist on this machine (bundled ones included), in order."""
    from PySide6.QtGui import QFontDatabase

    available = set(QFontDatabase.families())
    return [f for f in PREFERRED_FAMILIES if f in available]


def app_font(pixel_size: int | None = None, base: QFont | None = None) -> QFont:
    """A QFont using ``ui_families()`` (falls back to the platform's sans-serif if none exist)."""
    from PySide6.QtGui import QFont, QGuiApplication

    font = QFont(base) if base is not None else QFont(QGuiApplication.font())
    families = ui_families()
    if families:
        font.setFamilies(families)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    if pixel_size is not None:
        font.setPixelSize(pixel_size)
    return font


def apply_app_font(app: QApplication | None = None) -> QFont:
    """Load the bundled fonts and make the CJK-capable family list the application's font."""
    from PySide6.QtGui import QGuiApplication

    instance = app or QGuiApplication.instance()
    if instance is None:
        raise RuntimeError("apply_app_font() needs a QGuiApplication; create the application first")
    install_app_fonts()
    font = app_font()
    QGuiApplication.setFont(font)
    return font

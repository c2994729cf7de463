"""Application look: the CJK font (bundled, so Chinese never renders as boxes) and the
desk stylesheet, found from a source tree or a PyInstaller bundle.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

FALLBACK_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
                     "WenQuanYi Micro Hei"]


def resources_dir() -> Path:
    import resources

    return resources.root()


def load_fonts() -> list[str]:
    """Register the bundled fonts; returns their family names (first is the UI font)."""
    families: list[str] = []
    for font_file in sorted((resources_dir() / "fonts").glob("*.[ot]tf")):
        font_id = QFontDatabase.addApplicationFont(str(font_file))
        if font_id < 0:
            log.warning("could not load font %s", font_file)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    return families


def apply(app: QApplication) -> None:
    """Fonts (bundled CJK first, then the system's) and the desk stylesheet."""
    bundled = load_fonts()
    font = QFont(app.font())
    system = [f for f in FALLBACK_FAMILIES if f in QFontDatabase.families()]
    # Latin from the system UI font, CJK from the first family that has it
    font.setFamilies([app.font().family(), *bundled, *system])
    app.setFont(font)
    import resources

    try:
        app.setStyleSheet(resources.stylesheet("normal"))
    except FileNotFoundError as exc:  # a broken install: run unstyled rather than not at all
        log.warning("%s", exc)

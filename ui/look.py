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


def recoloured(text: str, theme: str) -> str:
    """A stylesheet written in the default palette's colours, in the palette in use."""
    from widgets.palette import current_palette, palette_colors

    palette = current_palette()
    if palette == "default":
        return text
    old, new = palette_colors("default", theme), palette_colors(palette, theme)
    for key, colour in old.items():
        if new[key] != colour:
            text = text.replace(colour, new[key]).replace(colour.lower(), new[key])
    return text


def desk_stylesheet() -> str:
    import resources

    return recoloured(resources.stylesheet("normal"), "normal")


def apply_palette(app: QApplication, name: str) -> None:
    """Switch every screen to palette ``name`` ("default" or "colorblind") at once: the
    widgets' themes, the tables' colours, the wall's mapping and the desk stylesheet."""
    from ui import palette, wall_rows
    from widgets.palette import current_palette, set_palette

    if name == current_palette():
        return
    set_palette(name)
    palette.refresh()
    wall_rows.refresh_colours()
    try:
        app.setStyleSheet(desk_stylesheet())
    except FileNotFoundError as exc:
        log.warning("%s", exc)
    from widgets.trend_chart import TrendChart

    for widget in app.allWidgets():
        if isinstance(widget, TrendChart):
            widget.restyle()
        widget.update()


def apply(app: QApplication, palette: str = "default") -> None:
    """Fonts (bundled CJK first, then the system's), the palette and the desk stylesheet."""
    bundled = load_fonts()
    font = QFont(app.font())
    system = [f for f in FALLBACK_FAMILIES if f in QFontDatabase.families()]
    # Latin from the system UI font, CJK from the first family that has it
    font.setFamilies([app.font().family(), *bundled, *system])
    app.setFont(font)
    if palette != "default":
        apply_palette(app, palette)
        return
    try:
        app.setStyleSheet(desk_stylesheet())
    except FileNotFoundError as exc:  # a broken install: run unstyled rather than not at all
        log.warning("%s", exc)

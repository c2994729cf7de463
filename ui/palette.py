"""Qt colours for table cells, taken from the widgets' palettes so tables and tiles agree.

Colour is never the only signal: every state also carries a symbol and a word.

The colours are objects the models hand to the views; ``refresh`` (after
``widgets.palette.set_palette``) changes them in place, so a switch to the colour-blind
palette reaches every table on its next repaint without the models knowing.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from widgets.palette import AGENT_STATE_COLORS, THEMES

_DESK = THEMES["normal"]
SLA_BG = {s: QColor(_DESK[f"{s}_bg"]) for s in ("ok", "warning", "breached")}
SLA_FG = {s: QColor(_DESK[f"on_{s}"]) for s in ("ok", "warning", "breached")}
SLA_TEXT = {s: QColor(_DESK[s]) for s in ("ok", "warning", "breached")}  # text on a plain cell
AGENT_STATE = {s: QColor(c) for s, c in AGENT_STATE_COLORS.items()}
OVERDUE_BG = QColor(_DESK["breached_bg"])
OVERDUE_FG = QColor(_DESK["on_breached"])
MARK_FG = QColor(_DESK["breached"])  # fraud report / card loss marks
VIP_FG = QColor("#9A6700")


def refresh() -> None:
    """Take the desk theme's current colours (the palette chosen) into the same QColor objects."""
    for s in ("ok", "warning", "breached"):
        SLA_BG[s].setRgba(QColor(_DESK[f"{s}_bg"]).rgba())
        SLA_FG[s].setRgba(QColor(_DESK[f"on_{s}"]).rgba())
        SLA_TEXT[s].setRgba(QColor(_DESK[s]).rgba())
    OVERDUE_BG.setRgba(QColor(_DESK["breached_bg"]).rgba())
    OVERDUE_FG.setRgba(QColor(_DESK["on_breached"]).rgba())
    MARK_FG.setRgba(QColor(_DESK["breached"]).rgba())

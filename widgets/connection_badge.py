"""ConnectionBadge: is the feed live, reconnecting, stale (and how old), refused or stopped.

UI.md: the data's age is always on screen. Each state differs by icon, text and fill, so
"live" and "stale" can't be mistaken for each other on a washed-out projector.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.format import format_age
from widgets.icons import paint_icon
from widgets.palette import CONNECTION_STATES, theme_colors
from widgets.strings import connection_text

# (fill key or None for outline-only, icon key, text key, bold)
_STYLE: dict[str, tuple[str | None, str, str, bool]] = {
    "live": (None, "live", "text", False),
    "reconnecting": ("warning_bg", "on_warning", "on_warning", True),
    "stale": ("stale_bg", "on_stale", "on_stale", True),
    "unauthorised": ("breached_bg", "on_breached", "on_breached", True),
    "stopped": ("neutral_bg", "text_muted", "text_muted", False),
}


class ConnectionBadge(QWidget):
    """A pill showing the connection state with an icon and text ("Stale 42 s").

    ``ConnectionBadge(state="stopped", age_s=None, theme="normal")``. States:
    "live" | "reconnecting" | "stale" | "unauthorised" | "stopped". ``age_s`` is the
    seconds since the last event: shown as "updated 4 s ago" when live and "Stale 1:12"
    when stale. Text size follows the widget's font.
    """

    def __init__(self, state: str = "stopped", *, age_s: float | None = None, theme: str = "normal",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = self._check(state)
        self._age = age_s
        self._colors = theme_colors(theme)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._changed()

    def state(self) -> str:
        return self._state

    def age_s(self) -> float | None:
        return self._age

    def text(self) -> str:
        """What the badge reads, e.g. "Live · updated 4 s ago"."""
        age = None if self._age is None else format_age(self._age)
        return connection_text(self._state, age)

    def set_state(self, state: str, age_s: float | None = None) -> None:
        """Set the state and the data age in seconds (None: unknown / not shown)."""
        state = self._check(state)
        if state != self._state or age_s != self._age:
            self._state, self._age = state, age_s
            self._changed()

    def set_age(self, age_s: float | None) -> None:
        """Update only the age (the 1 Hz tick)."""
        if age_s != self._age:
            self._age = age_s
            self._changed()

    def set_theme(self, theme: str) -> None:
        self._colors = theme_colors(theme)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        self.ensurePolished()  # a stylesheet's font size must count before the first show
        fm = QFontMetricsF(self._text_font())
        pad = fm.height() * 0.4
        # Room for a longer age ("Stale 10:00:00") so the badge doesn't jitter each second.
        width = pad + fm.height() * 0.9 + pad * 0.6 + fm.horizontalAdvance(self.text() + "00") + pad
        return QSize(round(width), round(fm.height() * 1.5))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        c = self._colors
        fill_key, icon_key, text_key, _bold = _STYLE[self._state]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = rect.height() / 2
        if fill_key is None:
            painter.setPen(QPen(QColor(c[self._state]), 1.5))
            painter.setBrush(QColor(c["surface"]))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c[fill_key]))
        painter.drawRoundedRect(rect, radius, radius)
        font = self._text_font()
        fm = QFontMetricsF(font)
        pad = fm.height() * 0.4
        icon = fm.height() * 0.9
        icon_color = c[self._state] if fill_key is None else c[icon_key]
        paint_icon(painter, QRectF(rect.left() + pad, rect.center().y() - icon / 2, icon, icon),
                   self._state, icon_color)
        painter.setFont(font)
        painter.setPen(QColor(c[text_key]))
        left = rect.left() + pad + icon + pad * 0.6
        text_rect = QRectF(left, rect.top(), max(0.0, rect.right() - pad - left), rect.height())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         fm.elidedText(self.text(), Qt.TextElideMode.ElideRight, text_rect.width()))
        painter.end()

    def _text_font(self) -> QFont:
        f = QFont(self.font())
        if _STYLE[self._state][3]:
            f.setWeight(QFont.Weight.Bold)
        return f

    def _changed(self) -> None:
        self.setAccessibleName(self.text())
        self.setToolTip(self.text())
        self.updateGeometry()
        self.update()

    @staticmethod
    def _check(state: str) -> str:
        if state not in CONNECTION_STATES:
            raise ValueError(f"unknown connection state {state!r}; expected one of {list(CONNECTION_STATES)}")
        return state

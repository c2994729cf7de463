"""PageIndicator: dots for the wall's rotating secondary pages, the current one filled.

Tells the room that the page will change and which of how many is showing; an optional
progress arc round the current dot shows how long until the next rotation.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.metrics import LABEL_PX, scaled_px
from widgets.palette import theme_colors
from widgets.strings import page_of_text


class PageIndicator(QWidget):
    """Row of ``count`` dots; dot ``current`` (0-based) is larger and filled.

    ``PageIndicator(count=1, current=0, theme="wall", scale=1.0)``. Dots are 0.5x the label
    size (14 px at 1080p). ``set_progress(0..1)`` draws the time to the next page as an
    arc round the current dot (None hides it). Tooltip/accessible name: "Page 2 of 4".
    """

    def __init__(self, count: int = 1, current: int = 0, *, theme: str = "wall", scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 1
        self._current = 0
        self._progress: float | None = None
        self._colors = theme_colors(theme)
        self._scale = scale
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_count(count)
        self.set_current(current)

    def count(self) -> int:
        return self._count

    def current(self) -> int:
        return self._current

    def set_count(self, count: int) -> None:
        """Number of pages (>= 1); the current page is clamped into range."""
        if count < 1:
            raise ValueError(f"page count must be at least 1, got {count}")
        self._count = int(count)
        self._current = min(self._current, self._count - 1)
        self._changed()

    def set_current(self, index: int) -> None:
        """Show page ``index`` (0-based) as current; out of range raises ValueError."""
        if not 0 <= index < self._count:
            raise ValueError(f"page {index} out of range 0..{self._count - 1}")
        self._current = int(index)
        self._changed()

    def set_progress(self, fraction: float | None) -> None:
        """Time elapsed on the current page, 0..1 (clamped), or None for no arc."""
        self._progress = None if fraction is None else min(1.0, max(0.0, float(fraction)))
        self.update()

    def set_theme(self, theme: str) -> None:
        self._colors = theme_colors(theme)
        self.update()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.updateGeometry()
        self.update()

    def dot_centers(self) -> list[QPointF]:
        """Centre of each dot in widget coordinates, left to right."""
        d = self._dot()
        gap = d * 1.6
        total = (self._count - 1) * gap
        x0 = self.width() / 2 - total / 2
        y = self.height() / 2
        return [QPointF(x0 + i * gap, y) for i in range(self._count)]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        d = self._dot()
        return QSize(round(d * 1.6 * (self._count - 1) + d * 2.4), round(d * 2.4))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        c = self._colors
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        d = self._dot()
        for i, center in enumerate(self.dot_centers()):
            if i == self._current:
                r = d * 0.5
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(c["text"]))
                painter.drawEllipse(center, r, r)
                if self._progress is not None:
                    ring = QRectF(center.x() - r * 1.55, center.y() - r * 1.55, r * 3.1, r * 3.1)
                    painter.setPen(QPen(QColor(c["accent"]), max(1.5, d * 0.14)))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawArc(ring, 90 * 16, -round(360 * 16 * self._progress))
            else:
                r = d * 0.32
                painter.setPen(QPen(QColor(c["text_muted"]), max(1.0, d * 0.1)))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(center, r, r)
        painter.end()

    def _dot(self) -> float:
        return float(scaled_px(LABEL_PX * 0.5, self._scale))

    def _changed(self) -> None:
        text = page_of_text(self._current + 1, self._count)
        self.setToolTip(text)
        self.setAccessibleName(text)
        self.updateGeometry()
        self.update()

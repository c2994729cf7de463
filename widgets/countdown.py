"""CountdownLabel: time left until a due time; overdue shows negative, red, labelled, heavy.

For escalations due soon on the wall and the duty lead's desk: "12:34" while there is
time, amber below the warning threshold, "✕ Overdue -1:05" once past due.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.format import format_countdown
from widgets.palette import theme_colors
from widgets.state_chip import chip_size, paint_state_chip
from widgets.strings import due_in_text, overdue_label, sla_state_label


class CountdownLabel(QWidget):
    """Shows ``seconds_left`` as m:ss / h:mm:ss, coloured and labelled by urgency.

    ``CountdownLabel(seconds_left=None, warn_below=600, theme="normal")``. Painted as an
    SLA chip: ✓ with time left, ! below ``warn_below`` s, ✕ "Overdue -1:05" when
    negative; "—" with no due time. Text size follows the widget's font.
    """

    def __init__(self, seconds_left: float | None = None, *, warn_below: float | None = 600,
                 theme: str = "normal", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._left = seconds_left
        self._warn = warn_below
        self._colors = theme_colors(theme)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._changed()

    def seconds_left(self) -> float | None:
        return self._left

    def state(self) -> str:
        """"ok" | "warning" | "breached" (overdue) | "neutral" (no due time)."""
        return format_countdown(self._left, self._warn)[1]

    def text(self) -> str:
        """The time text shown after the icon: "12:34", or "Overdue -1:05"."""
        time_text, state = format_countdown(self._left, self._warn)
        return f"{overdue_label()} {time_text}" if state == "breached" else time_text

    def set_seconds_left(self, seconds_left: float | None) -> None:
        """Seconds until due (negative once overdue), or None when there is no due time."""
        if seconds_left != self._left:
            self._left = seconds_left
            self._changed()

    def set_warn_below(self, seconds: float | None) -> None:
        """Turn amber when fewer than ``seconds`` are left (None: never)."""
        self._warn = seconds
        self._changed()

    def set_theme(self, theme: str) -> None:
        self._colors = theme_colors(theme)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        self.ensurePolished()  # a stylesheet's font size must count before the first show
        # Sized for the widest text it is likely to show, so it doesn't jump each second.
        wide = f"{overdue_label()} -00:00:00"
        return chip_size("breached", self.font(), wide, with_label=False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        state = self.state()
        # The chip draws its own state label; only breached gets "Overdue" instead of 超时.
        text = self.text()
        paint_state_chip(painter, QRectF(self.rect()), state, self._colors, QFont(self.font()), text,
                         with_label=False)
        painter.end()

    def accessible_text(self) -> str:
        """"Due in 8:20, Warning" / "Overdue -1:05": the time and, in words, its state."""
        state = self.state()
        if state == "neutral":
            return "—"
        if state == "breached":
            return self.text()
        return f"{due_in_text(self.text())}, {sla_state_label(state)}"

    def _changed(self) -> None:
        self.setAccessibleName(self.accessible_text())
        self.setToolTip(self.text())
        self.updateGeometry()
        self.update()

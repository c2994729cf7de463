"""AgentStateBar: how many agents are in each state, as one stacked bar and a legend.

Answers "is anyone free" at a glance; every segment also has its label and count in the
legend, so the colours (AGENT_STATE_COLORS) are never the only carrier of meaning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.metrics import LABEL_PX, scaled_px
from widgets.palette import AGENT_STATE_COLORS, AGENT_STATES, readable_text_on, theme_colors
from widgets.strings import agent_state_label, agent_states_text

_STALE_OPACITY = 0.35


class AgentStateBar(QWidget):
    """Stacked bar of agent counts per state, with a legend of label + count per state.

    ``AgentStateBar(counts=None, theme="normal", scale=1.0, show_legend=True,
    legend_columns=4)``. States are those of AGENT_STATES (PROTOCOL.md's agent states);
    the bar draws them in that order. ``scale`` as for KpiTile (legend text 28 px at 1.0);
    None sizes from the widget's height.
    """

    def __init__(
        self,
        counts: Mapping[str, int] | None = None,
        *,
        theme: str = "normal",
        scale: float | None = 1.0,
        show_legend: bool = True,
        legend_columns: int = 4,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if legend_columns < 1:
            raise ValueError("legend_columns must be at least 1")
        self._counts: dict[str, int] = dict.fromkeys(AGENT_STATES, 0)
        self._colors = theme_colors(theme)
        self._scale = scale
        self._show_legend = show_legend
        self._columns = legend_columns
        self._stale = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        if counts is not None:
            self.set_counts(counts)
        else:
            self._update_accessible()

    # -- reading -------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Count per state, every state present (0 when none)."""
        return dict(self._counts)

    def total(self) -> int:
        return sum(self._counts.values())

    def effective_scale(self) -> float:
        if self._scale is not None:
            return self._scale
        return max(0.05, self.height() / self._natural_height(1.0))

    def segment_rects(self) -> dict[str, QRectF]:
        """Where each non-empty state's segment is drawn (widget coordinates)."""
        return self._segments(self._bar_rect())

    # -- setting -------------------------------------------------------------------

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """Replace all counts; states left out count 0. Unknown states or negative counts raise ValueError."""
        unknown = set(counts) - set(AGENT_STATES)
        if unknown:
            raise ValueError(f"unknown agent state(s) {sorted(unknown)}; expected {list(AGENT_STATES)}")
        bad = {k: v for k, v in counts.items() if int(v) != v or v < 0}
        if bad:
            raise ValueError(f"counts must be whole numbers >= 0, got {bad}")
        new = dict.fromkeys(AGENT_STATES, 0)
        new.update({k: int(v) for k, v in counts.items()})
        if new != self._counts:
            self._counts = new
            self._update_accessible()
            self.update()

    def set_stale(self, stale: bool) -> None:
        """Dim the bar while the data is stale."""
        if bool(stale) != self._stale:
            self._stale = bool(stale)
            self.update()

    def set_theme(self, theme: str) -> None:
        self._colors = theme_colors(theme)
        self.update()

    def set_scale(self, scale: float | None) -> None:
        if scale is not None and not scale > 0:
            raise ValueError(f"scale must be positive or None, got {scale!r}")
        self._scale = scale
        self.updateGeometry()
        self.update()

    # -- geometry ------------------------------------------------------------------

    def _rows(self) -> int:
        return math.ceil(len(AGENT_STATES) / self._columns) if self._show_legend else 0

    def _natural_height(self, scale: float) -> float:
        label = LABEL_PX * scale
        return label * 1.7 + (label * 0.5 + self._rows() * label * 1.5 if self._show_legend else 0)

    def _label_px(self) -> int:
        return scaled_px(LABEL_PX, self.effective_scale())

    def _bar_rect(self) -> QRectF:
        label = self._label_px()
        return QRectF(0, 0, self.width(), label * 1.7)

    def _segments(self, bar: QRectF) -> dict[str, QRectF]:
        total = self.total()
        if total <= 0 or bar.width() <= 0:
            return {}
        out: dict[str, QRectF] = {}
        x = bar.left()
        for state in AGENT_STATES:
            n = self._counts[state]
            if n <= 0:
                continue
            w = bar.width() * n / total
            out[state] = QRectF(x, bar.top(), w, bar.height())
            x += w
        return out

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        s = self._scale if self._scale is not None else 1.0
        return QSize(round(LABEL_PX * s * 9 * self._columns), round(self._natural_height(s)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if self._scale is None:
            return QSize(80, 30)
        return QSize(round(LABEL_PX * self._scale * 4 * self._columns), round(self._natural_height(self._scale)))

    # -- painting --------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        c = self._colors
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), QColor(c["background"]))
        if self._stale:
            painter.setOpacity(_STALE_OPACITY)
        label = self._label_px()
        bar = self._bar_rect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(c["surface_alt"]))
        painter.drawRoundedRect(bar, label * 0.2, label * 0.2)
        count_font = QFont(self.font())
        count_font.setPixelSize(label)
        count_font.setWeight(QFont.Weight.Bold)
        fm = QFontMetricsF(count_font)
        painter.setFont(count_font)
        for state, rect in self._segments(bar).items():
            fill = AGENT_STATE_COLORS[state]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(fill))
            painter.drawRect(rect)
            # A thin separator in the background colour keeps neighbours apart.
            painter.setPen(QPen(QColor(c["background"]), 1.0))
            painter.drawLine(rect.topRight(), rect.bottomRight())
            text = str(self._counts[state])
            if fm.horizontalAdvance(text) + label * 0.4 <= rect.width():
                painter.setPen(QColor(readable_text_on(fill)))
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        if self._show_legend:
            self._paint_legend(painter, QRectF(0, bar.bottom() + label * 0.5, self.width(),
                                               self.height() - bar.bottom() - label * 0.5), label)
        painter.setOpacity(1.0)

    def _paint_legend(self, painter: QPainter, area: QRectF, label: int) -> None:
        c = self._colors
        col_w = area.width() / self._columns
        row_h = label * 1.5
        name_font = QFont(self.font())
        name_font.setPixelSize(label)
        count_font = QFont(name_font)
        count_font.setWeight(QFont.Weight.Bold)
        for i, state in enumerate(AGENT_STATES):
            row, col = divmod(i, self._columns)
            cell = QRectF(area.left() + col * col_w, area.top() + row * row_h, col_w, row_h)
            sw = label * 0.8
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(AGENT_STATE_COLORS[state]))
            painter.drawRoundedRect(QRectF(cell.left(), cell.center().y() - sw / 2, sw, sw), sw * 0.2, sw * 0.2)
            count = str(self._counts[state])
            cfm = QFontMetricsF(count_font)
            count_w = cfm.horizontalAdvance(count)
            text_left = cell.left() + sw + label * 0.35
            right = cell.right() - label * 0.5
            painter.setFont(count_font)
            painter.setPen(QColor(c["text"]))
            painter.drawText(QRectF(right - count_w, cell.top(), count_w, row_h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), count)
            painter.setFont(name_font)
            painter.setPen(QColor(c["text_muted"]))
            name_rect = QRectF(text_left, cell.top(), max(0.0, right - count_w - label * 0.3 - text_left), row_h)
            name = QFontMetricsF(name_font).elidedText(agent_state_label(state), Qt.TextElideMode.ElideRight,
                                                       name_rect.width())
            painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)

    def _update_accessible(self) -> None:
        text = ", ".join(f"{agent_state_label(s)} {n}" for s, n in self._counts.items())
        # the name says what the bar is and the states in use; the description every state
        busy = ", ".join(f"{agent_state_label(s)} {n}" for s, n in self._counts.items() if n)
        self.setAccessibleName(agent_states_text(busy or "0"))
        self.setAccessibleDescription(text)
        self.setToolTip(text)

"""The SLA state chip (icon + label + weight + colour) and the StateBadge widget showing one.

State is never colour alone: ok ✓ 正常 regular weight on a quiet fill; warning ! 预警
semi-bold on amber; breached ✕ 超时 black weight on red. The same painter serves the
table delegate and the badge, so a state looks the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.icons import paint_icon
from widgets.palette import check_sla_state, theme_colors
from widgets.strings import sla_state_label

_WEIGHTS: dict[str, QFont.Weight] = {
    "neutral": QFont.Weight.Normal,
    "ok": QFont.Weight.Normal,
    "warning": QFont.Weight.DemiBold,
    "breached": QFont.Weight.Black,
}


def state_weight(state: str) -> QFont.Weight:
    """Font weight that goes with an SLA state: heavier the worse it is."""
    return _WEIGHTS[check_sla_state(state)]


def state_colors(state: str, colors: Mapping[str, str]) -> tuple[QColor, QColor, QColor]:
    """(fill, icon, text) colours of an SLA state in a theme's colour dict."""
    check_sla_state(state)
    if state == "neutral":
        return QColor(colors["neutral_bg"]), QColor(colors["neutral"]), QColor(colors["text"])
    icon = colors[state] if state == "ok" else colors[f"on_{state}"]
    return QColor(colors[f"{state}_bg"]), QColor(icon), QColor(colors[f"on_{state}"])


def chip_text(state: str, text: str = "", with_label: bool = True) -> str:
    """What a chip shows besides its icon: "超时 12:41" (label, then the caller's text)."""
    label = sla_state_label(state) if with_label else ""
    return f"{label} {text}".strip() if label and text else (label or text)


def paint_state_chip(
    painter: QPainter,
    rect: QRectF,
    state: str,
    colors: Mapping[str, str],
    font: QFont,
    text: str = "",
    *,
    highlight: float = 0.0,
    with_label: bool = True,
) -> None:
    """Paint the chip of ``state`` filling ``rect``: rounded fill, icon, label and ``text``.

    ``font`` gives family and size; its weight is replaced by the state's weight.
    ``highlight`` (0..1, from a FlashController) paints a bright ring for the flash.
    ``with_label=False`` leaves out the 正常/预警/超时 label (the caller's text says it).
    """
    fill, icon_col, text_col = state_colors(state, colors)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    f = QFont(font)
    f.setWeight(state_weight(state))
    fm = QFontMetricsF(f)
    pad = max(2.0, fm.height() * 0.25)
    radius = min(rect.height() / 2, fm.height() * 0.35)
    if state != "neutral":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
    if highlight > 0:
        ring = QColor(colors["flash"])
        ring.setAlphaF(min(1.0, highlight))
        pen_w = max(2.0, fm.height() * 0.16)
        painter.setPen(QPen(ring, pen_w))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = pen_w / 2
        painter.drawRoundedRect(rect.adjusted(half, half, -half, -half), radius, radius)
    icon_side = min(rect.height() - 2 * pad * 0.5, fm.capHeight() * 1.35)
    x = rect.left() + pad
    if state != "neutral" or not text:
        icon_rect = QRectF(x, rect.center().y() - icon_side / 2, icon_side, icon_side)
        paint_icon(painter, icon_rect, state, icon_col)
        x += icon_side + pad * 0.8
    painter.setFont(f)
    painter.setPen(text_col)
    body = chip_text(state, text, with_label)
    text_rect = QRectF(x, rect.top(), max(0.0, rect.right() - pad - x), rect.height())
    elided = fm.elidedText(body, Qt.TextElideMode.ElideRight, text_rect.width())
    painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided)
    painter.restore()


def chip_size(state: str, font: QFont, text: str = "", with_label: bool = True) -> QSize:
    """The size a chip needs to show its icon, label and ``text`` without eliding."""
    f = QFont(font)
    f.setWeight(state_weight(state))
    fm = QFontMetricsF(f)
    pad = max(2.0, fm.height() * 0.25)
    icon_side = fm.capHeight() * 1.35
    width = pad + icon_side + pad * 0.8 + fm.horizontalAdvance(chip_text(state, text, with_label)) + pad
    return QSize(int(width + 1), int(fm.height() + pad + 1))


class StateBadge(QWidget):
    """A standalone SLA state chip: ✓ 正常 / ! 预警 / ✕ 超时 with an optional text after it.

    ``StateBadge(state="ok", text="", theme="normal")``; the text size comes from the
    widget's font (set it, or use ``setFont``/stylesheets as usual).
    """

    def __init__(self, state: str = "neutral", text: str = "", *, theme: str = "normal",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = check_sla_state(state)
        self._text = text
        self._colors = theme_colors(theme)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._update_accessible()

    def state(self) -> str:
        return self._state

    def text(self) -> str:
        """What the chip reads, label included ("超时 12:41")."""
        return chip_text(self._state, self._text)

    def set_state(self, state: str) -> None:
        """"neutral" | "ok" | "warning" | "breached"; anything else raises ValueError."""
        state = check_sla_state(state)
        if state != self._state:
            self._state = state
            self._changed()

    def set_text(self, text: str) -> None:
        """Extra text after the label, e.g. a wait time or countdown."""
        if text != self._text:
            self._text = text
            self._changed()

    def set_theme(self, theme: str) -> None:
        """"normal" (desk) or "wall"."""
        self._colors = theme_colors(theme)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        self.ensurePolished()  # a stylesheet's font size must count before the first show
        return chip_size(self._state, self.font(), self._text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        paint_state_chip(painter, QRectF(self.rect()), self._state, self._colors, self.font(), self._text)
        painter.end()

    def _changed(self) -> None:
        self._update_accessible()
        self.updateGeometry()
        self.update()

    def _update_accessible(self) -> None:
        self.setAccessibleName(self.text())
        self.setToolTip(self.text())

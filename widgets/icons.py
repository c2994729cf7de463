"""State icons painted with QPainter: ✓ ! ✕ for SLA states, and connection-state marks.

Painted rather than taken from a font so they never depend on which fonts a wall PC
has, and stay crisp at any size.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

#: Every kind ``paint_icon`` draws.
ICON_KINDS: tuple[str, ...] = (
    "ok", "warning", "breached", "neutral",
    "live", "reconnecting", "stale", "unauthorised", "stopped",
)


def _square(rect: QRectF) -> QRectF:
    side = min(rect.width(), rect.height())
    return QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)


def paint_icon(painter: QPainter, rect: QRectF, kind: str, color: QColor | str) -> None:
    """Paint icon ``kind`` (one of ICON_KINDS) centred in ``rect`` in ``color``.

    ok ✓, warning !, breached ✕, neutral –, live ●, reconnecting ↻, stale (clock),
    unauthorised (barred circle), stopped ■. Unknown kinds raise ValueError.
    """
    if kind not in ICON_KINDS:
        raise ValueError(f"unknown icon {kind!r}; expected one of {list(ICON_KINDS)}")
    box = _square(rect)
    s = box.width()
    if s <= 0:
        return
    col = QColor(color)
    x0, y0 = box.left(), box.top()

    def p(fx: float, fy: float) -> QPointF:
        return QPointF(x0 + fx * s, y0 + fy * s)

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    stroke = QPen(col, max(1.0, s * 0.16), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin)
    thin = QPen(col, max(1.0, s * 0.11), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin)
    painter.setBrush(Qt.BrushStyle.NoBrush)

    if kind == "ok":
        path = QPainterPath(p(0.14, 0.54))
        path.lineTo(p(0.40, 0.80))
        path.lineTo(p(0.88, 0.22))
        painter.setPen(stroke)
        painter.drawPath(path)
    elif kind == "warning":
        painter.setPen(stroke)
        painter.drawLine(p(0.5, 0.12), p(0.5, 0.62))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(col)
        painter.drawEllipse(p(0.5, 0.86), s * 0.10, s * 0.10)
    elif kind == "breached":
        painter.setPen(stroke)
        painter.drawLine(p(0.18, 0.18), p(0.82, 0.82))
        painter.drawLine(p(0.82, 0.18), p(0.18, 0.82))
    elif kind == "neutral":
        painter.setPen(stroke)
        painter.drawLine(p(0.22, 0.5), p(0.78, 0.5))
    elif kind == "live":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(col)
        painter.drawEllipse(p(0.5, 0.5), s * 0.36, s * 0.36)
    elif kind == "reconnecting":
        painter.setPen(thin)
        arc = QRectF(p(0.16, 0.16), p(0.84, 0.84))
        painter.drawArc(arc, 60 * 16, 270 * 16)
        # Arrow head at the arc's start (60°), pointing along the turn.
        head = QPainterPath(p(0.60, 0.06))
        head.lineTo(p(0.80, 0.24))
        head.lineTo(p(0.54, 0.32))
        painter.drawPath(head)
    elif kind == "stale":
        painter.setPen(thin)
        painter.drawEllipse(p(0.5, 0.5), s * 0.40, s * 0.40)
        painter.drawLine(p(0.5, 0.5), p(0.5, 0.24))
        painter.drawLine(p(0.5, 0.5), p(0.70, 0.62))
    elif kind == "unauthorised":
        painter.setPen(thin)
        painter.drawEllipse(p(0.5, 0.5), s * 0.40, s * 0.40)
        painter.drawLine(p(0.22, 0.78), p(0.78, 0.22))
    elif kind == "stopped":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(col)
        painter.drawRoundedRect(QRectF(p(0.2, 0.2), p(0.8, 0.8)), s * 0.06, s * 0.06)
    painter.restore()

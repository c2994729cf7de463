"""KpiTile: one headline figure with its title, a sub-line and its SLA state, painted.

Built for the wall (72/28/24 px at 1080p, scaled) and reused on the desk at a smaller
scale. State shows as colour + icon + label + weight; stale dims everything and says so.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.flash import FlashController
from widgets.icons import paint_icon
from widgets.metrics import HEADLINE_PX, LABEL_PX, SUB_PX, scaled_px
from widgets.palette import check_sla_state, theme_colors
from widgets.state_chip import chip_size, paint_state_chip, state_weight
from widgets.strings import sla_state_label, stale_mark

#: Opacity of a stale tile's content: clearly "not current", still legible up close.
STALE_OPACITY = 0.35


def _natural_height(scale: float) -> float:
    """Height a tile needs at ``scale``: padding, title line, value line, sub line."""
    pad = LABEL_PX * 0.45
    return scale * (2 * pad + LABEL_PX * 1.45 + HEADLINE_PX * 1.2 + SUB_PX * 1.4)


class KpiTile(QWidget):
    """A painted KPI tile: title and state chip on top, the big value, a sub-line below.

    ``KpiTile(title, value="—", sub="", state="neutral", theme="normal", scale=1.0)``.
    Texts are display-ready strings (format them with widgets.format). ``scale`` is the
    wall scale (1.0 = 72 px value / 28 px title / 24 px sub, as at 1080p; 2.0 at 2160p);
    ``scale=None`` sizes the fonts from the tile's own height instead. A value too wide
    for the tile shrinks to fit rather than being cut.
    """

    def __init__(
        self,
        title: str = "",
        *,
        value: str = "—",
        sub: str = "",
        state: str = "neutral",
        theme: str = "normal",
        scale: float | None = 1.0,
        flash_on_breach: bool = True,
        flash_s: float = 3.0,
        parent: QWidget | None = None,
    ) -> None:
        """``flash_on_breach``: flash once (for ``flash_s`` seconds) when the state turns "breached"."""
        super().__init__(parent)
        self._title = title
        self._value = value
        self._sub = sub
        self._note: tuple[str, ...] = ()  # small lines right of the value (e.g. last week's figures)
        self._spoken = ""  # the value as a screen reader says it ("14 位排队"); the value when empty
        self._state = check_sla_state(state)
        self._stale = False
        self._theme = theme
        self._colors = theme_colors(theme)
        self._scale = self._check_scale(scale)
        self._flash_on_breach = flash_on_breach
        self._flash = FlashController(self, duration_s=flash_s)
        self._flash.changed.connect(self.update)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._update_accessible()

    # -- reading -------------------------------------------------------------------

    def title(self) -> str:
        return self._title

    def value(self) -> str:
        return self._value

    def sub(self) -> str:
        return self._sub

    def state(self) -> str:
        return self._state

    def note(self) -> tuple[str, ...]:
        return self._note

    def is_stale(self) -> bool:
        return self._stale

    def is_flashing(self) -> bool:
        """True during the one-time flash after ``flash()`` or a turn to "breached"."""
        return self._flash.is_flashing(self)

    def effective_scale(self) -> float:
        """The scale in use: the one given, or the one derived from the tile's height."""
        if self._scale is not None:
            return self._scale
        return max(0.05, self.height() / _natural_height(1.0))

    def pixel_sizes(self) -> dict[str, int]:
        """Font pixel sizes at the effective scale: {"title", "value", "sub"} (value before fit)."""
        s = self.effective_scale()
        return {"title": scaled_px(LABEL_PX, s), "value": scaled_px(HEADLINE_PX, s), "sub": scaled_px(SUB_PX, s)}

    # -- setting -------------------------------------------------------------------

    def set_title(self, title: str) -> None:
        """The figure's name, e.g. "信用卡 服务水平"."""
        if title != self._title:
            self._title = title
            self._changed()

    def set_value(self, value: str) -> None:
        """The headline figure as display text, e.g. "84.1%" or "3:41"."""
        if value != self._value:
            self._value = value
            self._changed()

    def set_sub(self, sub: str) -> None:
        """The small line under the figure, e.g. "等待 12 · 最长 3:41"."""
        if sub != self._sub:
            self._sub = sub
            self._changed()

    def set_note(self, lines: tuple[str, ...]) -> None:
        """A few small lines right of the value, e.g. the same time last week
        ("上周同期", "服务水平 78.0% ↑", ...); () for none. The value keeps its size and
        shrinks only when the two would not fit side by side."""
        lines = tuple(lines)
        if lines != self._note:
            self._note = lines
            self._changed()

    def set_spoken_value(self, text: str) -> None:
        """The value in words for screen readers, e.g. "14 位排队" for "14" (the value
        itself when empty): the tile's accessible name is title, this, state."""
        if text != self._spoken:
            self._spoken = text
            self._update_accessible()

    def accessible_text(self) -> str:
        """What a screen reader says for the tile: "信用卡服务, 14 位排队, 预警"."""
        state = stale_mark() if self._stale else sla_state_label(self._state)
        return ", ".join(p for p in (self._title, self._spoken or self._value, state) if p)

    def set_state(self, state: str) -> None:
        """"neutral" | "ok" | "warning" | "breached" (ValueError otherwise).

        A turn to "breached" flashes once when ``flash_on_breach`` is set.
        """
        state = check_sla_state(state)
        if state == self._state:
            return
        turned_breached = state == "breached"
        self._state = state
        if turned_breached and self._flash_on_breach:
            self._flash.flash(self)
        self._changed()

    def update_values(self, *, value: str | None = None, sub: str | None = None,
                      state: str | None = None) -> None:
        """Set any of value, sub-line and state with one repaint (the 1 Hz update)."""
        if value is not None:
            self._value = value
        if sub is not None:
            self._sub = sub
        if state is not None:
            self.set_state(state)
        self._changed()  # repaints are coalesced by Qt: one paint for all three

    def set_stale(self, stale: bool) -> None:
        """Dim the whole tile and replace the state chip with a "Stale" mark (or undo)."""
        if bool(stale) != self._stale:
            self._stale = bool(stale)
            self._changed()

    def set_theme(self, theme: str) -> None:
        """"normal" (desk) or "wall" (dark, high contrast)."""
        self._colors = theme_colors(theme)
        self._theme = theme
        self.update()

    def set_scale(self, scale: float | None) -> None:
        """Wall scale (see the class doc), or None to size fonts from the tile's height."""
        self._scale = self._check_scale(scale)
        self.updateGeometry()
        self.update()

    def flash(self) -> None:
        """Blink the tile's border a few times to draw the eye once."""
        self._flash.flash(self)

    # -- Qt ------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        s = self._scale if self._scale is not None else 1.0
        h = _natural_height(s)
        return QSize(round(h * 1.9), round(h))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if self._scale is None:
            return QSize(60, 40)
        return QSize(round(_natural_height(self._scale) * 1.2), round(_natural_height(self._scale)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    # -- painting --------------------------------------------------------------------

    def _paint(self, painter: QPainter) -> None:
        c = self._colors
        rect = QRectF(self.rect())
        sizes = self.pixel_sizes()
        pad = sizes["title"] * 0.45
        shown_state = "neutral" if self._stale else self._state
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(rect, QColor(c["background"]))

        # Card: a breached figure tints the whole card so it reads from across the room.
        card = rect.adjusted(1, 1, -1, -1)
        radius = sizes["title"] * 0.3
        surface = QColor(c["surface"])
        if shown_state == "breached":
            surface = _mix(surface, QColor(c["breached_bg"]), 0.35)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(surface)
        painter.drawRoundedRect(card, radius, radius)
        if shown_state in ("ok", "warning", "breached"):
            bar_w = max(3.0, sizes["title"] * 0.18)
            painter.setBrush(QColor(c[shown_state] if shown_state != "breached" else c["breached_bg"]))
            painter.drawRoundedRect(QRectF(card.left(), card.top(), bar_w, card.height()), bar_w / 2, bar_w / 2)
        self._paint_border(painter, card, radius, sizes["title"])

        inner = card.adjusted(pad * 1.3, pad, -pad, -pad)
        title_h = sizes["title"] * 1.45
        sub_h = sizes["sub"] * 1.4 if self._sub else 0.0
        top = QRectF(inner.left(), inner.top(), inner.width(), title_h)

        # State chip (or the stale mark) at full opacity, right of the title.
        chip_font = self._font(sizes["title"] * 0.9, QFont.Weight.Normal)
        chip_w = 0.0
        if self._stale:
            chip_w = self._paint_stale_mark(painter, top, chip_font)
        elif shown_state != "neutral":
            chip_w = float(chip_size(shown_state, chip_font).width())
            chip_rect = QRectF(top.right() - chip_w, top.top(), chip_w, top.height())
            paint_state_chip(painter, chip_rect, shown_state, c, chip_font)

        if self._stale:
            painter.setOpacity(STALE_OPACITY)
        title_font = self._font(sizes["title"], QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(QColor(c["text_muted"]))
        title_rect = top.adjusted(0, 0, -(chip_w + pad * 0.5), 0)
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         QFontMetricsF(title_font).elidedText(self._title, Qt.TextElideMode.ElideRight,
                                                              max(0.0, title_rect.width())))

        value_rect = QRectF(inner.left(), top.bottom(), inner.width(),
                            max(1.0, inner.bottom() - sub_h - top.bottom()))
        if self._note:
            note_w = self._paint_note(painter, value_rect, sizes["sub"])
            value_rect.setWidth(max(1.0, value_rect.width() - note_w - pad))
        value_font = self._fitted_value_font(sizes["value"], value_rect.width(), shown_state)
        painter.setFont(value_font)
        value_color = QColor(c["text"]) if shown_state in ("neutral", "ok") else QColor(c[shown_state])
        painter.setPen(value_color)
        painter.drawText(value_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self._value)

        if self._sub:
            sub_font = self._font(sizes["sub"], QFont.Weight.Normal)
            painter.setFont(sub_font)
            painter.setPen(QColor(c["text_muted"]))
            sub_rect = QRectF(inner.left(), inner.bottom() - sub_h, inner.width(), sub_h)
            painter.drawText(sub_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             QFontMetricsF(sub_font).elidedText(self._sub, Qt.TextElideMode.ElideRight,
                                                                sub_rect.width()))
        painter.setOpacity(1.0)

    def _paint_note(self, painter: QPainter, area: QRectF, sub_px: int) -> float:
        """The note's lines, right-aligned and centred in ``area``; returns their width."""
        lines = self._note
        px = sub_px * 0.85
        line_h = px * 1.25
        if len(lines) * line_h > area.height():  # a short tile: smaller, never cut
            px = area.height() / (len(lines) * 1.25)
            line_h = px * 1.25
        font = self._font(px, QFont.Weight.Normal)
        fm = QFontMetricsF(font)
        width = min(area.width() * 0.66, max(fm.horizontalAdvance(line) for line in lines))
        painter.setFont(font)
        painter.setPen(QColor(self._colors["text_muted"]))
        y = area.center().y() - len(lines) * line_h / 2
        for line in lines:
            rect = QRectF(area.right() - width, y, width, line_h)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             fm.elidedText(line, Qt.TextElideMode.ElideRight, width))
            y += line_h
        return width

    def _paint_border(self, painter: QPainter, card: QRectF, radius: float, title_px: int) -> None:
        c = self._colors
        level = self._flash.level(self)
        if level > 0:
            pen = QPen(QColor(c["flash"]), max(3.0, title_px * 0.22))
        elif self._stale:
            pen = QPen(QColor(c["stale"]), max(2.0, title_px * 0.08), Qt.PenStyle.DashLine)
        elif self._state == "breached":
            pen = QPen(QColor(c["breached"]), max(2.0, title_px * 0.12))
        else:
            pen = QPen(QColor(c["border"]), 1.0)
        half = pen.widthF() / 2
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(card.adjusted(half, half, -half, -half), radius, radius)

    def _paint_stale_mark(self, painter: QPainter, top: QRectF, font: QFont) -> float:
        c = self._colors
        f = QFont(font)
        f.setWeight(QFont.Weight.Bold)
        fm = QFontMetricsF(f)
        text = stale_mark()
        pad = fm.height() * 0.25
        icon = fm.capHeight() * 1.35
        width = pad + icon + pad * 0.8 + fm.horizontalAdvance(text) + pad
        rect = QRectF(top.right() - width, top.top(), width, top.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(c["stale_bg"]))
        r = min(rect.height() / 2, fm.height() * 0.35)
        painter.drawRoundedRect(rect, r, r)
        on = QColor(c["on_stale"])
        paint_icon(painter, QRectF(rect.left() + pad, rect.center().y() - icon / 2, icon, icon), "stale", on)
        painter.setFont(f)
        painter.setPen(on)
        painter.drawText(QRectF(rect.left() + pad + icon + pad * 0.8, rect.top(), fm.horizontalAdvance(text) + pad,
                                rect.height()), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        return width

    def _font(self, pixel_size: float, weight: QFont.Weight) -> QFont:
        f = QFont(self.font())
        f.setPixelSize(max(1, round(pixel_size)))
        f.setWeight(weight)
        return f

    def _fitted_value_font(self, pixel_size: int, width: float, state: str) -> QFont:
        weight = QFont.Weight.Medium if state in ("neutral", "ok") else state_weight(state)
        f = self._font(pixel_size, weight)
        advance = QFontMetricsF(f).horizontalAdvance(self._value)
        if advance > width > 0:
            f.setPixelSize(max(1, int(pixel_size * width / advance)))
        return f

    def _changed(self) -> None:
        self._update_accessible()
        self.update()

    def _update_accessible(self) -> None:
        # name: what it is and its state; description: the sub-line (a reader says it after)
        name = self.accessible_text()
        if self.accessibleName() != name:
            self.setAccessibleName(name)
        description = ", ".join(p for p in (self._sub, *self._note) if p)
        if self.accessibleDescription() != description:
            self.setAccessibleDescription(description)
        parts = [self._title, self._value, stale_mark() if self._stale else sla_state_label(self._state), self._sub,
                 *self._note]
        self.setToolTip(" · ".join(p for p in parts if p))

    @staticmethod
    def _check_scale(scale: float | None) -> float | None:
        if scale is not None and not scale > 0:
            raise ValueError(f"scale must be positive or None, got {scale!r}")
        return None if scale is None else float(scale)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` toward ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )

"""Item delegates for the waiting-contacts table: the SLA state cell and the row flash.

The model supplies plain role data: a state string under ``state_role``, a row key under
``key_role``, and the cell's text (e.g. the wait "12:41") under DisplayRole. The app
calls ``flash.flash(key)`` when a contact crosses its SLA; every cell of that row blinks
a few times, and the state cell stays marked (red, ✕, 超时, heavy) afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable

from PySide6.QtCore import QMargins, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from widgets.flash import FlashController
from widgets.palette import SLA_STATES, theme_colors
from widgets.state_chip import chip_size, paint_state_chip

log = logging.getLogger(__name__)

#: Default role carrying the SLA state string ("ok" | "warning" | "breached" | "neutral").
STATE_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: Default role carrying the row's key (e.g. a contact id) for the flash.
KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 2

_Index = QModelIndex | QPersistentModelIndex


class FlashRowDelegate(QStyledItemDelegate):
    """Default cell painting plus a bright overlay while the row's key flashes.

    Set it as the view's delegate (``view.setItemDelegate``) so every cell of a flashing
    row blinks. When ``parent`` is a view, the flash repaints its viewport by itself;
    otherwise connect ``flash.changed`` to ``view.viewport().update``.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        flash: FlashController | None = None,
        key_role: int = KEY_ROLE,
        theme: str = "normal",
    ) -> None:
        super().__init__(parent)
        self._flash = flash
        self._key_role = key_role
        self._colors = theme_colors(theme)
        if flash is not None and isinstance(parent, QAbstractItemView):
            view = parent
            flash.changed.connect(lambda: view.viewport().update())

    def set_theme(self, theme: str) -> None:
        """"normal" or "wall"; the view repaints on its next update."""
        self._colors = theme_colors(theme)

    def flash_level(self, index: _Index) -> float:
        """Current flash level (0 or 1) of ``index``'s row."""
        if self._flash is None:
            return 0.0
        key = index.data(self._key_role)
        if key is None or not isinstance(key, Hashable):
            return 0.0
        return self._flash.level(key)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:  # noqa: D102
        super().paint(painter, option, index)
        self._paint_flash(painter, option, index)

    def _paint_flash(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        level = self.flash_level(index)
        if level <= 0:
            return
        color = QColor(self._colors["flash"])
        color.setAlphaF(0.55 * level)
        painter.save()
        painter.fillRect(option.rect, color)  # type: ignore[attr-defined]
        painter.restore()


class SlaStateDelegate(FlashRowDelegate):
    """Paints an SLA state cell: coloured chip, ✓ / ! / ✕ icon, 正常 / 预警 / 超时, weight.

    ``SlaStateDelegate(view, state_role=STATE_ROLE, key_role=KEY_ROLE, flash=controller,
    theme="wall")`` and ``view.setItemDelegateForColumn(col, delegate)``. DisplayRole text
    of the cell is drawn after the label ("✕ 超时 16:02"). A cell without a known state
    is painted as usual (an unknown state is logged once, never raised mid-paint).
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        state_role: int = STATE_ROLE,
        key_role: int = KEY_ROLE,
        flash: FlashController | None = None,
        theme: str = "normal",
    ) -> None:
        super().__init__(parent, flash=flash, key_role=key_role, theme=theme)
        self._state_role = state_role
        self._warned: set[str] = set()

    def state_of(self, index: _Index) -> str | None:
        """The valid SLA state of ``index``, or None (absent or unknown)."""
        state = index.data(self._state_role)
        if state is None:
            return None
        state = str(state)
        if state not in SLA_STATES:
            if state not in self._warned:
                self._warned.add(state)
                log.warning("SlaStateDelegate: unknown SLA state %r; expected one of %s", state, SLA_STATES)
            return None
        return state

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:  # noqa: D102
        state = self.state_of(index)
        if state is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:
            # Selection and hover backgrounds stay the style's, so the row still reads as selected.
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        rect = QRectF(opt.rect)  # type: ignore[attr-defined]
        margin = max(1.0, rect.height() * 0.08)
        chip = rect.adjusted(margin * 2, margin, -margin * 2, -margin)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        paint_state_chip(
            painter, chip, state, self._colors, opt.font,  # type: ignore[attr-defined]
            "" if text is None else str(text), highlight=self.flash_level(index),
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802 - Qt override
        state = self.state_of(index)
        if state is None:
            return super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        size = chip_size(state, option.font, "" if text is None else str(text))  # type: ignore[attr-defined]
        return size.grownBy(_margins(size.height()))


def _margins(height: int) -> QMargins:
    m = max(1, round(height * 0.08))
    return QMargins(2 * m, m, 2 * m, m)

"""The wall's tables: the first N rows of a sorted model, as many as fit without scrolling.

The wall never shows more than a screenful, so it does not proxy the whole 1,000-row
list: rows here are positions (1st, 2nd … Nth most urgent), refreshed in one coalesced
pass whenever the sorted source changes. Colours are mapped to the high-contrast theme,
and the VIP star moves in front of the customer to save a column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableView

from widgets.palette import THEMES

_DESK, _WALL = THEMES["normal"], THEMES["wall"]
_TO_WALL: dict[str, QColor] = {}


def refresh_colours() -> None:
    """Map the desk theme's colours to the wall's, for the palette in use (called again
    after ``widgets.palette.set_palette``: both themes changed)."""
    _TO_WALL.clear()
    _TO_WALL.update({
        QColor(_DESK[key]).name().lower(): QColor(_WALL[key])
        for key in ("ok", "warning", "breached", "ok_bg", "warning_bg", "breached_bg",
                    "on_ok", "on_warning", "on_breached", "text")
    })
    _TO_WALL[QColor("#9A6700").name()] = QColor(_WALL["warning"])  # the desk's VIP gold


refresh_colours()
_COLOUR_ROLES = (int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.BackgroundRole))
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # ui.models.base.ID_ROLE
_STATE_ROLE = int(Qt.ItemDataRole.UserRole) + 3  # ui.models.base.STATE_ROLE

Index = QModelIndex | QPersistentModelIndex


class TopRows(QAbstractTableModel):
    """Positions 0..limit-1 of ``source`` (a sorted proxy), showing only ``columns``."""

    def __init__(self, source: QAbstractItemModel, columns: Sequence[int], *, star: tuple[int, int] | None = None,
                 parent: QObject | None = None) -> None:
        """``star=(customer_column, vip_column)`` prefixes ★ to the customer of VIP rows."""
        super().__init__(parent)
        self._source = source
        self._columns = list(columns)
        self._star = star
        self._view: QTableView | None = None  # the view whose height sets the limit (fit_to)
        self._limit = 10
        self._rows = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_source_changed)
        self._shown: list[tuple[Any, ...]] = []  # what each row showed at the last refresh
        for signal in (source.rowsInserted, source.rowsRemoved, source.dataChanged, source.layoutChanged,
                       source.modelReset, source.rowsMoved):
            signal.connect(self._schedule)
        self.refresh()

    # ------------------------------------------------------------------ size

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        limit = max(0, limit)
        if limit != self._limit:
            self._limit = limit
            self.refresh()

    def fit_to(self, view: QTableView) -> None:
        """Show as many rows as the view holds whole (no half row, no scrolling)."""
        view.viewport().installEventFilter(self)
        self._view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self.refit()
        return False

    def refit(self) -> None:
        """Count the rows that fit again: after a resize, and after the row height changed
        (a new screen resolution scales the type before the view gets its new size)."""
        view = self._view
        if view is not None:
            row_h = max(1, view.verticalHeader().defaultSectionSize())
            self.set_limit(view.viewport().height() // row_h)

    # ------------------------------------------------------------------ updates

    def _schedule(self, *_args: Any) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _on_source_changed(self) -> None:
        """The sorted source changed somewhere in its 1,000 rows: only the shown rows whose
        text or state changed are repainted (every batch, 10 a second, repainted the
        whole table in large type: the wall's main paint cost)."""
        before = self._shown
        if self._resize():
            self._emit_all()
            return
        changed = [row for row, seen in enumerate(self._look()) if row >= len(before) or before[row] != seen]
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._columns) - 1))

    def _look(self) -> list[tuple[Any, ...]]:
        """Per shown row: its id, and each shown column's text and state (colours follow them)."""
        src = self._source
        columns = [*self._columns, *((self._star[1],) if self._star is not None else ())]
        self._shown = [
            tuple(src.index(row, 0).data(_ID_ROLE) if col is None else
                  (src.index(row, col).data(_DISPLAY), src.index(row, col).data(_STATE_ROLE))
                  for col in (None, *columns))
            for row in range(self._rows)
        ]
        return self._shown

    def _resize(self) -> bool:
        """Match the row count to the source (up to the limit); whether it changed."""
        want = min(self._limit, self._source.rowCount())
        if want == self._rows:
            return False
        if want > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, want - 1)
            self._rows = want
            self.endInsertRows()
        elif want < self._rows:
            self.beginRemoveRows(QModelIndex(), want, self._rows - 1)
            self._rows = want
            self.endRemoveRows()
        return True

    def refresh(self) -> None:
        """Match the row count to the source (up to the limit); everything shown may have changed."""
        self._resize()
        self._emit_all()

    def _emit_all(self) -> None:
        self._look()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(self._columns) - 1))

    # ------------------------------------------------------------------ Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._source.headerData(self._columns[section], orientation, role)
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if row < 0 or row >= self._rows or row >= self._source.rowCount():
            return None
        column = self._columns[index.column()]
        value = self._source.index(row, column).data(role)
        if role in _COLOUR_ROLES and isinstance(value, QColor):
            # the models speak the desk theme; the wall needs its high-contrast twin
            return _TO_WALL.get(value.name().lower(), value)
        if role == _DISPLAY and value and self._star is not None and column == self._star[0]:
            if self._source.index(row, self._star[1]).data(role):
                return f"★ {value}"
        return value


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending rows as (first, last) runs of consecutive ones."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out

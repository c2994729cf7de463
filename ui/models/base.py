"""A table model whose rows are kept by id: membership changes insert or remove row
ranges, updates emit one ranged ``dataChanged`` per batch, and only a snapshot resets.

Why not a reset per batch: a reset loses the selection, the scroll position and the
sort of every attached view, and costs O(n) in every proxy, 2,000 agents at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui import names

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # a comparable value behind each cell
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # the row's id (call / agent / escalation)
STATE_ROLE = int(Qt.ItemDataRole.UserRole) + 3  # a code word (sla state, agent state, "overdue")
CASE_ROLE = int(Qt.ItemDataRole.UserRole) + 4  # the case a row belongs to, for drill-down
FILTER_ROLE = int(Qt.ItemDataRole.UserRole) + 5  # searchable text; never emitted by the clock tick
# roles as plain ints: comparing against Qt's enum members costs more than the rest of data()
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
FONT = int(Qt.ItemDataRole.FontRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)  # what a screen reader says for a cell
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
RUN_GAP = 1  # only adjacent changed rows share a range: every row in a range is re-checked by the proxies

Index = QModelIndex | QPersistentModelIndex


T = TypeVar("T")  # what a row is: a wire record, a KPI list row


class KeyedTableModel(QAbstractTableModel, Generic[T]):
    """Rows in arrival order, looked up by id through ``_row_of``."""

    CLOCK_COLUMNS: Sequence[int] = ()  # columns that change with time alone
    #: roles this model answers; every other role is None at once
    ROLES: frozenset[int] = frozenset(
        int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                         Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.DecorationRole, SORT_ROLE, ID_ROLE, STATE_ROLE, CASE_ROLE, FILTER_ROLE,
                         ACCESSIBLE)
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] | None = None
        self._ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._items: dict[str, T] = {}

    # ------------------------------------------------------------------ Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        # proxies ask for every index they map: answer without building anything
        if parent.isValid():
            return 0
        if self._headers is None:
            self._headers = self.headers()
        return len(self._headers)

    def _header_texts(self) -> list[str]:
        # translated once: the language is fixed for a run, and views ask thousands of times
        if self._headers is None:
            self._headers = self.headers()
        return self._headers

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self._header_texts()
            if 0 <= section < len(headers):
                return headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # views ask ~10 roles per painted cell; most are never answered, so they stop here
        # before any other Python work (this runs ~3,000 times per repaint)
        if role not in self.ROLES:
            return None
        row = index.row()
        if row < 0 or row >= len(self._ids):
            return None
        return self.data_of(self._ids[row], index.column(), role)

    def data_of(self, key: str, column: int, role: int) -> Any:
        """``data`` of the row ``key`` (a sorting view asks by id, without an index)."""
        if role == ID_ROLE:
            return key
        if role == FILTER_ROLE:
            if column in self.CLOCK_COLUMNS:
                return None
            role = DISPLAY
        if role == ACCESSIBLE:
            return self._spoken(key, self._items[key], column)
        return self.cell(key, self._items[key], column, role)

    def sort_value(self, key: str, column: int) -> Any:
        """The sort role's value of a cell, straight from ``cell`` (no index, no QVariant)."""
        return self.cell(key, self._items[key], column, SORT_ROLE)

    def _spoken(self, key: str, item: T, column: int) -> str:
        """A cell as a screen reader says it: its text and, on a clock cell whose SLA state a
        delegate paints as a chip (colour and symbol), the state in words: "16:02, 超时"."""
        shown = self.cell(key, item, column, DISPLAY)
        text = "" if shown is None else str(shown)
        if column in self.CLOCK_COLUMNS:
            state = self.cell(key, item, column, STATE_ROLE)
            if state in ("ok", "warning", "breached"):
                word = names.sla_state(state)
                return f"{text}, {word}" if text else word
        return text

    # ------------------------------------------------------------------ subclass API

    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, key: str, item: T, column: int, role: int) -> Any:
        raise NotImplementedError

    # ------------------------------------------------------------------ updates

    def ids(self) -> list[str]:
        return list(self._ids)

    def iter_keys(self) -> Iterable[str]:
        """The ids in row order, without a copy (do not change the model while iterating)."""
        return iter(self._ids)

    def key_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def item(self, key: str) -> T | None:
        return self._items.get(key)

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def reset_to(self, items: Iterable[tuple[str, T]]) -> None:
        """Replace every row (a snapshot): the one place a reset is right."""
        self.beginResetModel()
        self._items = dict(items)
        self._ids = list(self._items)
        self._row_of = {k: i for i, k in enumerate(self._ids)}
        self.endResetModel()

    def sync(
        self,
        added: Iterable[str],
        removed: Iterable[str],
        changed: Iterable[str],
        lookup: Callable[[str], T | None],
    ) -> None:
        """Apply one batch: remove ranges, append new rows, one dataChanged over the changed.

        A changed id that ``lookup`` no longer finds left the state (the floor forgot it
        at the end of its day, ``Floor.prune``): its row is removed too.
        """
        changed = list(changed)
        row_of = self._row_of
        vanished = [k for k in changed if k in row_of and lookup(k) is None]
        gone = sorted({row_of[k] for k in (*removed, *vanished) if k in row_of}, reverse=True)
        if gone:
            for first, last in _ranges_desc(gone):
                self.beginRemoveRows(QModelIndex(), first, last)
                for key in self._ids[first : last + 1]:
                    del self._items[key]
                del self._ids[first : last + 1]
                self.endRemoveRows()
            self._row_of = {k: i for i, k in enumerate(self._ids)}
        new: list[tuple[str, T]] = []
        touched: list[int] = []
        for key in added:
            value = lookup(key)
            if value is None:
                continue
            if key in self._row_of:  # already shown: an update, not a second row
                self._items[key] = value
                touched.append(self._row_of[key])
            else:
                new.append((key, value))
        for key in changed:
            row = self._row_of.get(key)
            value = lookup(key)
            if value is None:
                continue
            if row is None:
                new.append((key, value))
            else:
                self._items[key] = value
                touched.append(row)
        if new:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for key, value in new:
                self._row_of[key] = len(self._ids)
                self._ids.append(key)
                self._items[key] = value
            self.endInsertRows()
        if touched:
            # one range per run of nearby rows: a single span from the first to the last
            # changed row of 2,000 would make every proxy re-filter and re-sort them all
            last_column = self.columnCount() - 1
            for first, last in _runs(sorted(set(touched)), RUN_GAP):
                self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))

    def emit_rows(self, rows: Iterable[int], columns: Iterable[int], roles: list[int]) -> None:
        """dataChanged over ``columns`` of the given rows (one range per run), these roles only."""
        rows = sorted(set(rows))
        columns = list(columns)
        if not rows or not columns:
            return
        for first, last in _runs(rows, RUN_GAP):
            self.dataChanged.emit(self.index(first, min(columns)), self.index(last, max(columns)), roles)


def emit_clock(view_model: QAbstractItemModel, clock_columns: Sequence[int]) -> None:
    """The 1 Hz clock: one dataChanged over the clock columns of a view's model, DisplayRole only.

    Emitted on the model the views show (the proxy), not on the source: a source
    dataChanged makes QSortFilterProxyModel (Qt 6.12) re-check the order of every row in
    the range, 4 Python data() calls a row, ~14,000 calls a second for 2,000 agents and
    1,000 contacts, although the sort keys (absolute times) never change with the clock.
    """
    rows = view_model.rowCount()
    if rows and clock_columns:
        view_model.dataChanged.emit(view_model.index(0, min(clock_columns)),
                                    view_model.index(rows - 1, max(clock_columns)),
                                    [int(Qt.ItemDataRole.DisplayRole)])


def _runs(rows: list[int], gap: int) -> list[tuple[int, int]]:
    """Ascending rows as (first, last) runs, joining rows less than ``gap`` apart."""
    out: list[tuple[int, int]] = []
    first = last = rows[0]
    for row in rows[1:]:
        if row - last < gap:
            last = row
        else:
            out.append((first, last))
            first = last = row
    out.append((first, last))
    return out


def _ranges_desc(rows_desc: list[int]) -> list[tuple[int, int]]:
    """Descending row numbers as (first, last) runs, highest run first."""
    out: list[tuple[int, int]] = []
    last = first = rows_desc[0]
    for row in rows_desc[1:]:
        if row == first - 1:
            first = row
        else:
            out.append((first, last))
            first = last = row
    out.append((first, last))
    return out

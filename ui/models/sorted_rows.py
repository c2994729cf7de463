"""A sorted, filtered view of a ``KeyedTableModel``, ordered in Python by sort keys.

Why not ``QSortFilterProxyModel``: it orders rows by calling ``data(SORT_ROLE)`` from C++
into Python for every comparison. Profiled at 2,000 agents, 1,000 waiting and 2,000
events/s, the waiting list's ``endInsertRows`` alone took 31 ms a batch (1,700 Python
``data()`` calls to binary-search ~50 new contacts into a 1,000-row order, each crossing
C++ -> Python -> QVariant), and every agent's state change re-checked its row the same
way. Here a row's sort key is computed once per change, straight from the source's
``cell`` (no index, no QVariant), and kept in a list that ``bisect`` searches.

Updates keep the views' selection and scroll as a ``QSortFilterProxyModel`` would:
source insertions become insertions at the rows' sorted places, removals removals, and
rows whose key changed move in one ``layoutChanged`` per batch (``settle``, called by
``LiveFloor`` after each batch, or a 0 ms timer for a model used on its own).
A change signalled without the sort role (the 1 Hz colour refresh) never moves a row.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer

from ui.models.base import DISPLAY, SORT_ROLE, KeyedTableModel

Index = QModelIndex | QPersistentModelIndex
_FILTER_CHANGING_ROLES = frozenset({DISPLAY})
REFILTER_RESET = 64  # rows shown or hidden by a filter change beyond which the view is rebuilt


class SortedRows(QAbstractTableModel):
    """The rows of ``source`` that ``accepts`` keeps, ordered by ``sort(column, order)``."""

    def __init__(self, source: KeyedTableModel | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source: Any = None
        self._column = -1  # no sort: source order
        self._order = Qt.SortOrder.AscendingOrder
        self._text = ""  # the fixed-string filter, case-folded
        self._scope: Callable[[Any], bool] | None = None  # my floor: which items may show at all
        self._asc: list[tuple[Any, ...]] = []  # (sort value, id) ascending: bisect searches it
        self._key_of: dict[str, tuple[Any, ...]] = {}  # id -> its entry in _asc
        self._dirty: set[str] = set()  # ids whose sort key or acceptance may have changed
        self._arrival = 0  # unsorted: rows keep the order they arrived in
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(0)
        self._settle_timer.timeout.connect(self.settle)
        if source is not None:
            self.setSourceModel(source)

    def setSourceModel(self, source: KeyedTableModel) -> None:  # noqa: N802
        if self._source is not None:
            raise RuntimeError("SortedRows follows one source for its life")
        self.beginResetModel()
        self._source = source
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._on_reset)
        source.layoutChanged.connect(self._rebuild)
        source.rowsAboutToBeRemoved.connect(self._on_rows_about_to_be_removed)
        source.rowsInserted.connect(self._on_rows_inserted)
        source.dataChanged.connect(self._on_data_changed)
        source.headerDataChanged.connect(self.headerDataChanged)
        self._fill()
        self.endResetModel()

    # ------------------------------------------------------------------ what subclasses decide

    def accepts(self, key: str, item: Any) -> bool:
        """Whether the row shows; the default: in scope, and the fixed string in any
        non-clock column."""
        if not self.in_scope(item):
            return False
        text = self._text
        if not text:
            return True
        src = self._source
        clock = src.CLOCK_COLUMNS
        for column in range(src.columnCount()):
            if column in clock:
                continue
            value = src.cell(key, item, column, DISPLAY)
            if value is not None and text in str(value).casefold():
                return True
        return False

    def filtering(self) -> bool:
        """Whether any filter is set (else every row shows, without asking ``accepts``)."""
        return bool(self._text) or self._scope is not None

    def set_scope(self, keep: Callable[[Any], bool] | None) -> None:
        """My floor (issue 12 point 2): only items ``keep`` accepts show, whatever else
        filters them (None: all). Subclasses with their own ``accepts`` ask ``in_scope``."""
        if keep is not self._scope:
            self._scope = keep
            if self._source is not None:
                self.refilter()

    def in_scope(self, item: Any) -> bool:
        return self._scope is None or self._scope(item)

    def refilter(self) -> None:
        """The filter changed: rows that stop matching leave, rows that match come in at
        their sorted places (a large change rebuilds this view, never the source)."""
        src = self._source
        filtering = self.filtering()
        change = sum(1 for k in src.iter_keys()
                     if (k in self._key_of) != (not filtering or self.accepts(k, src.item(k))))
        if change > REFILTER_RESET:
            self._rebuild()
            return
        self._dirty.update(src.iter_keys())
        self.settle()

    # ------------------------------------------------------------------ QSortFilterProxyModel's API

    def sourceModel(self) -> KeyedTableModel:  # noqa: N802
        return self._source

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column == self._column and order == self._order:
            return
        self.layoutAboutToBeChanged.emit()
        before = self._persistent_ids()
        before_keys = set(self._key_of)
        self._column, self._order = column, order
        self._settle_timer.stop()
        self._dirty.clear()
        if column < 0:
            self._key_of = {}  # back to arrival order
            self._asc = sorted(self._entry(k) for k in self._source.iter_keys() if k in before_keys)
        else:
            self._asc = sorted(self._entry(k) for k in self._key_of)
        self._key_of = {e[-1]: e for e in self._asc}
        self._move_persistent(before)
        self.layoutChanged.emit()

    def sortColumn(self) -> int:  # noqa: N802
        return self._column

    def sortOrder(self) -> Qt.SortOrder:  # noqa: N802
        return self._order

    def setFilterFixedString(self, text: str) -> None:  # noqa: N802
        text = text.casefold()
        if text != self._text:
            self._text = text
            self.refilter()

    def filterFixedString(self) -> str:  # noqa: N802
        return self._text

    def mapToSource(self, index: Index) -> QModelIndex:  # noqa: N802
        key = self.key_at(index.row()) if index.isValid() else None
        row = self._source.row_of(key) if key is not None else None
        return QModelIndex() if row is None else self._source.index(row, index.column())

    def mapFromSource(self, index: Index) -> QModelIndex:  # noqa: N802
        if not index.isValid():
            return QModelIndex()
        row = self.row_of(self._source.key_at(index.row()))
        return QModelIndex() if row is None else self.index(row, index.column())

    # ------------------------------------------------------------------ Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._asc)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._source is None else self._source.columnCount()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            return self._source.headerData(section, orientation, role)
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        row = index.row()
        n = len(self._asc)
        if row < 0 or row >= n:
            return None
        src = self._source
        if role not in src.ROLES:
            return None
        key = self._asc[row if self._order == Qt.SortOrder.AscendingOrder else n - 1 - row][-1]
        return src.data_of(key, index.column(), role)

    # ------------------------------------------------------------------ lookups

    def key_at(self, row: int) -> str | None:
        n = len(self._asc)
        if row < 0 or row >= n:
            return None
        return str(self._asc[row if self._order == Qt.SortOrder.AscendingOrder else n - 1 - row][-1])

    def row_of(self, key: str | None) -> int | None:
        entry = self._key_of.get(key) if key is not None else None
        if entry is None:
            return None
        return self._proxy_row(bisect_left(self._asc, entry))

    def keys(self) -> list[str]:
        """The ids in the order shown."""
        ids = [e[-1] for e in self._asc]
        return ids if self._order == Qt.SortOrder.AscendingOrder else ids[::-1]

    # ------------------------------------------------------------------ building

    def _entry(self, key: str) -> tuple[Any, ...]:
        if self._column < 0:
            known = self._key_of.get(key)
            if known is not None:
                return known
            self._arrival += 1
            return (self._arrival, key)
        value = self._source.sort_value(key, self._column)
        return (value is None, value, key)

    def _index_of(self, key: str) -> int | None:
        """Where ``key`` is in ``_asc`` (entries are unique: the id is their last part)."""
        entry = self._key_of.get(key)
        return None if entry is None else bisect_left(self._asc, entry)

    def _fill(self) -> None:
        src = self._source
        if src is None:
            return
        filtering = self.filtering()
        keys = [k for k in src.iter_keys() if not filtering or self.accepts(k, src.item(k))]
        self._key_of = {}
        self._asc = sorted(self._entry(k) for k in keys)
        self._key_of = {e[-1]: e for e in self._asc}
        self._dirty.clear()

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._fill()
        self.endResetModel()

    def _on_reset(self) -> None:
        self._fill()
        self.endResetModel()

    def _proxy_row(self, i: int) -> int:
        return i if self._order == Qt.SortOrder.AscendingOrder else len(self._asc) - 1 - i

    # ------------------------------------------------------------------ following the source

    def _on_rows_about_to_be_removed(self, parent: Index, first: int, last: int) -> None:
        if parent.isValid():
            return
        src = self._source
        found = (self._index_of(k) for k in (src.key_at(r) for r in range(first, last + 1)) if k is not None)
        gone = sorted((i for i in found if i is not None), reverse=True)
        for a, b in _runs_desc(gone):  # a >= b: indexes into _asc, highest run first
            lo, hi = sorted((self._proxy_row(a), self._proxy_row(b)))
            self.beginRemoveRows(QModelIndex(), lo, hi)
            for e in self._asc[b:a + 1]:
                del self._key_of[e[-1]]
                self._dirty.discard(e[-1])
            del self._asc[b:a + 1]
            self.endRemoveRows()

    def _on_rows_inserted(self, parent: Index, first: int, last: int) -> None:
        if parent.isValid():
            return
        src = self._source
        filtering = self.filtering()
        entries = sorted(self._entry(k) for k in (src.key_at(r) for r in range(first, last + 1))
                         if k is not None and k not in self._key_of
                         and (not filtering or self.accepts(k, src.item(k))))
        self._insert(entries)

    def _insert(self, entries: Sequence[tuple[Any, ...]]) -> None:
        """Insert ascending ``entries`` at their sorted places, one signal per run of places."""
        if not entries:
            return
        ascending = self._order == Qt.SortOrder.AscendingOrder
        # final indexes in _asc once all are in: merge positions
        places = [bisect_left(self._asc, e) + n for n, e in enumerate(entries)]
        runs: list[tuple[int, int]] = []  # (start index in entries, end) of consecutive places
        start = 0
        for n in range(1, len(entries) + 1):
            if n == len(entries) or places[n] != places[n - 1] + 1:
                runs.append((start, n))
                start = n
        for s, e in runs:
            at = places[s]
            count = e - s
            size = len(self._asc)
            if ascending:
                self.beginInsertRows(QModelIndex(), at, at + count - 1)
            else:
                # in _asc after insertion, index at..at+count-1; rows count from the end
                row = size + count - 1 - (at + count - 1)
                self.beginInsertRows(QModelIndex(), row, row + count - 1)
            self._asc[at:at] = entries[s:e]
            for entry in entries[s:e]:
                self._key_of[entry[-1]] = entry
            self.endInsertRows()

    def _on_data_changed(self, top_left: Index, bottom_right: Index, roles: Sequence[int] = ()) -> None:
        src = self._source
        first, last = top_left.row(), bottom_right.row()
        resort = self._column >= 0 and (not roles or SORT_ROLE in roles) \
            and top_left.column() <= self._column <= bottom_right.column()
        refilter = self.filtering() and (not roles or not _FILTER_CHANGING_ROLES.isdisjoint(roles))
        shown: list[int] = []
        for r in range(first, last + 1):
            key = src.key_at(r)
            if key is None:
                continue
            if resort or refilter:
                self._dirty.add(key)
            i = self._index_of(key)
            if i is not None:
                shown.append(self._proxy_row(i))
        if shown:
            shown.sort()
            for a, b in _runs_asc(shown):
                self.dataChanged.emit(self.index(a, top_left.column()), self.index(b, bottom_right.column()),
                                      list(roles))
        if self._dirty and not self._settle_timer.isActive():
            self._settle_timer.start()

    def settle(self) -> None:
        """Move the rows whose sort key changed, show or hide those whose filter result did:
        one layout change for the whole batch."""
        self._settle_timer.stop()
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        src = self._source
        filtering = self.filtering()
        moved: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []  # (old, new)
        hide: list[str] = []
        show: list[tuple[Any, ...]] = []
        for key in dirty:
            item = src.item(key)
            old = self._key_of.get(key)
            if item is None:
                continue  # leaving the source: its removal signal follows
            if filtering and not self.accepts(key, item):
                if old is not None:
                    hide.append(key)
                continue
            new = self._entry(key)
            if old is None:
                show.append(new)
            elif new != old:
                moved.append((old, new))
        if hide:  # rows that stop matching the filter leave as removals, by runs
            for a, b in _runs_desc(sorted((bisect_left(self._asc, self._key_of[k]) for k in hide), reverse=True)):
                lo, hi = sorted((self._proxy_row(a), self._proxy_row(b)))
                self.beginRemoveRows(QModelIndex(), lo, hi)
                for e in self._asc[b:a + 1]:
                    del self._key_of[e[-1]]
                del self._asc[b:a + 1]
                self.endRemoveRows()
        if moved:
            self.layoutAboutToBeChanged.emit()
            before = self._persistent_ids()
            if len(moved) > len(self._asc) // 8:
                for old, new in moved:
                    self._key_of[new[-1]] = new
                self._asc = sorted(self._key_of.values())
            else:
                for old, _new in moved:
                    del self._asc[bisect_left(self._asc, old)]
                for _old, new in moved:
                    insort(self._asc, new)
                    self._key_of[new[-1]] = new
            self._move_persistent(before)
            self.layoutChanged.emit()
        self._insert(sorted(show))

    def _persistent_ids(self) -> list[tuple[QModelIndex, str | None]]:
        return [(index, self.key_at(index.row())) for index in self.persistentIndexList()]

    def _move_persistent(self, before: list[tuple[QModelIndex, str | None]]) -> None:
        if not before:
            return
        old, new = [], []
        for index, key in before:
            row = self.row_of(key)
            old.append(index)
            new.append(QModelIndex() if row is None else self.index(row, index.column()))
        self.changePersistentIndexList(old, new)


def _runs_desc(desc: list[int]) -> list[tuple[int, int]]:
    """Descending indexes as (highest, lowest) runs of consecutive ones."""
    out: list[tuple[int, int]] = []
    if not desc:
        return out
    hi = lo = desc[0]
    for i in desc[1:]:
        if i == lo - 1:
            lo = i
        else:
            out.append((hi, lo))
            hi = lo = i
    out.append((hi, lo))
    return out


def _runs_asc(asc: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    first = last = asc[0]
    for i in asc[1:]:
        if i == last + 1:
            last = i
        elif i != last:
            out.append((first, last))
            first = last = i
    out.append((first, last))
    return out

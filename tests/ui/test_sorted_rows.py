"""SortedRows: the views' sorted, filtered rows, kept in order by sort keys in Python.

Random batches of insertions, removals and changes against a plain sorted() of the
source, in both orders and with a filter; Qt's model tester watches every signal.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from ui.models.base import DISPLAY, ID_ROLE, SORT_ROLE, KeyedTableModel
from ui.models.sorted_rows import SortedRows


class Scores(KeyedTableModel):
    NAME, SCORE = range(2)

    def headers(self) -> list[str]:
        return ["Name", "Score"]

    def cell(self, key: str, item: Any, column: int, role: int) -> Any:
        name, score = item
        if role == DISPLAY:
            return name if column == self.NAME else str(score)
        if role == SORT_ROLE:
            return name if column == self.NAME else score
        return None

    def batch(self, items: dict[str, tuple[str, int]], added: list[str], removed: list[str],
              changed: list[str]) -> None:
        self.sync(added, removed, changed, items.get)


def _ids(model: Any) -> list[str]:
    return [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]


def _expected(items: dict[str, tuple[str, int]], column: int, order: Qt.SortOrder, text: str = "") -> list[str]:
    keep = [k for k, (name, score) in items.items() if not text or text in name.casefold() or text in str(score)]
    value = (lambda k: items[k][0]) if column == Scores.NAME else (lambda k: items[k][1])
    ordered = sorted(keep, key=lambda k: (value(k), k))
    return ordered if order == Qt.SortOrder.AscendingOrder else ordered[::-1]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
@pytest.mark.parametrize("text", ["", "7"])
def test_random_batches_keep_the_order_of_a_plain_sort(qtbot, qtmodeltester, order, text):
    rng = random.Random(11)
    items = {f"k{i}": (f"name{rng.randrange(100)}", rng.randrange(50)) for i in range(60)}
    source = Scores()
    source.reset_to(items.items())
    view = SortedRows(source)
    view.sort(Scores.SCORE, order)
    view.setFilterFixedString(text)
    qtmodeltester.check(view)
    serial = 60
    for _ in range(40):
        added = [f"k{serial + i}" for i in range(rng.randrange(6))]
        serial += len(added)
        for key in added:
            items[key] = (f"name{rng.randrange(100)}", rng.randrange(50))
        removed = rng.sample(sorted(set(items) - set(added)), rng.randrange(5))
        for key in removed:
            del items[key]
        changed = rng.sample(sorted(set(items) - set(added)), rng.randrange(8))
        for key in changed:
            items[key] = (items[key][0], rng.randrange(50))
        source.batch(items, added, removed, changed)
        view.settle()
        assert _ids(view) == _expected(items, Scores.SCORE, order, text)
        assert [view.row_of(k) for k in _ids(view)] == list(range(view.rowCount()))
    view.sort(Scores.NAME, Qt.SortOrder.AscendingOrder)
    assert _ids(view) == _expected(items, Scores.NAME, Qt.SortOrder.AscendingOrder, text)
    view.setFilterFixedString("")
    assert _ids(view) == _expected(items, Scores.NAME, Qt.SortOrder.AscendingOrder)


def test_a_selected_row_follows_its_move_and_a_clock_change_moves_nothing(qtbot, qtmodeltester):
    items = {"a": ("ann", 1), "b": ("bob", 2), "c": ("cid", 3)}
    source = Scores()
    source.reset_to(items.items())
    view = SortedRows(source)
    view.sort(Scores.SCORE)
    qtmodeltester.check(view)
    held = QPersistentModelIndex(view.index(0, 1))  # "a", as a view's selection holds it
    moves: list[int] = []
    view.layoutChanged.connect(lambda *_: moves.append(1))
    items["a"] = ("ann", 9)
    source.batch(items, [], [], ["a"])
    # one changed row: signalled at once, moved when the batch settles
    assert _ids(view) == ["a", "b", "c"]
    view.settle()
    assert _ids(view) == ["b", "c", "a"]
    assert held.row() == 2 and held.column() == 1 and held.data(ID_ROLE) == "a"
    assert moves == [1]
    # a change signalled without the sort role (the clock's colours) never re-sorts
    items["b"] = ("bob", 99)
    source.emit_rows([source.row_of("b")], [Scores.SCORE], [DISPLAY])
    view.settle()
    assert _ids(view) == ["b", "c", "a"] and moves == [1]


def test_a_standalone_view_settles_on_the_next_turn_of_the_event_loop(qtbot):
    items = {"a": ("ann", 1), "b": ("bob", 2)}
    source = Scores()
    source.reset_to(items.items())
    view = SortedRows(source)
    view.sort(Scores.SCORE)
    items["a"] = ("ann", 5)
    source.batch(items, [], [], ["a"])
    qtbot.waitUntil(lambda: _ids(view) == ["b", "a"])


def test_the_walls_top_rows_repaint_only_rows_that_changed(qtbot):
    """TopRows over a sorted view: a change below the shown rows repaints nothing, a change
    in a shown row repaints that row only (the whole table was repainted every batch)."""
    from ui.wall_rows import TopRows

    items = {f"k{i}": (f"name{i}", i) for i in range(50)}
    source = Scores()
    source.reset_to(items.items())
    view = SortedRows(source)
    view.sort(Scores.SCORE)
    top = TopRows(view, (Scores.NAME, Scores.SCORE))
    top.set_limit(5)
    repainted: list[tuple[int, int]] = []
    top.dataChanged.connect(lambda a, b, *_: repainted.append((a.row(), b.row())))
    items["k40"] = ("renamed", 40)  # far below the five shown
    source.batch(items, [], [], ["k40"])
    qtbot.wait(20)
    assert repainted == []
    items["k2"] = ("ann", 2)  # the third row shown
    source.batch(items, [], [], ["k2"])
    qtbot.waitUntil(lambda: repainted == [(2, 2)])
    items["k0"] = ("first", 45)  # the first row moves away: every shown row changes
    source.batch(items, [], [], ["k0"])
    view.settle()
    qtbot.waitUntil(lambda: repainted[-1:] == [(0, 4)])
    assert [top.index(r, 0).data() for r in range(5)] == ["name1", "ann", "name3", "name4", "name5"]

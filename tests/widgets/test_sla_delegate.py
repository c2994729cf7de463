"""SLA state cells in a real QTableView, the row flash, and the FlashController's clock."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from tests.widgets.imaging import changed_share, pixels, share_near
from widgets.flash import FlashController
from widgets.palette import THEMES
from widgets.sla_delegate import KEY_ROLE, STATE_ROLE, FlashRowDelegate, SlaStateDelegate
from widgets.state_chip import StateBadge

WALL = THEMES["wall"]
ROWS = [("c-1", "张*三", "ok", "3:10"), ("c-2", "李*四", "warning", "11:02"),
        ("c-3", "王*五", "breached", "16:40"), ("c-4", "赵*六", None, "—")]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _model() -> QStandardItemModel:
    model = QStandardItemModel(0, 2)
    for key, name, state, wait in ROWS:
        name_item = QStandardItem(name)
        wait_item = QStandardItem(wait)
        for item in (name_item, wait_item):
            item.setData(key, KEY_ROLE)
        if state is not None:
            wait_item.setData(state, STATE_ROLE)
        model.appendRow([name_item, wait_item])
    return model


def _view(qtbot, flash: FlashController | None = None) -> QTableView:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(_model())
    view.setItemDelegate(FlashRowDelegate(view, flash=flash, theme="wall"))
    view.setItemDelegateForColumn(1, SlaStateDelegate(view, flash=flash, theme="wall"))
    view.setStyleSheet(f"QTableView {{ background: {WALL['surface']}; color: {WALL['text']}; font-size: 24px; }}")
    view.resize(520, 260)
    for row in range(len(ROWS)):
        view.setRowHeight(row, 44)
    view.setColumnWidth(0, 160)
    view.setColumnWidth(1, 300)
    return view


def _cell(view: QTableView, arr, row: int, col: int):
    rect = view.visualRect(view.model().index(row, col))
    off = view.viewport().mapTo(view, rect.topLeft())
    return arr[off.y(): off.y() + rect.height(), off.x(): off.x() + rect.width()]


def test_state_cells_show_fill_icon_and_label(qtbot, shots) -> None:
    view = _view(qtbot)
    arr = pixels(view, shots / "sla_delegate.png")
    ok, warn, breached, none = (_cell(view, arr, r, 1) for r in range(4))
    assert share_near(breached, WALL["breached_bg"], tol=12) > 0.3
    assert share_near(warn, WALL["warning_bg"], tol=12) > 0.3
    assert share_near(ok, WALL["ok_bg"], tol=12) > 0.3
    assert share_near(none, WALL["breached_bg"], tol=12) == 0.0
    # The label is in the cell: white text on the red chip.
    assert share_near(breached, WALL["on_breached"], tol=40) > 0.01


def test_size_hint_fits_label_and_text() -> None:
    from PySide6.QtGui import QFont

    from widgets.state_chip import chip_size

    font = QFont()
    font.setPixelSize(24)
    assert chip_size("breached", font, "16:40").width() > chip_size("breached", font).width()
    assert chip_size("breached", font, "1").height() >= 24


def test_unknown_state_is_painted_plain_and_logged_once(qtbot, caplog) -> None:
    view = _view(qtbot)
    view.model().item(0, 1).setData("red", STATE_ROLE)
    with caplog.at_level(logging.WARNING, logger="widgets.sla_delegate"):
        pixels(view)
        pixels(view)
    assert [r.getMessage() for r in caplog.records].count(
        caplog.records[0].getMessage()) == 1
    assert "'red'" in caplog.records[0].getMessage()


def test_a_flashing_row_blinks_in_every_cell_then_stays_marked(qtbot, shots) -> None:
    clock = FakeClock()
    flash = FlashController(duration_s=3.0, blinks=3, clock=clock)
    view = _view(qtbot, flash)
    before = pixels(view)
    flash.flash("c-3")
    assert flash.level("c-3") == 1.0
    on = pixels(view, shots / "sla_delegate_flash.png")
    # Both cells of row 2 changed; the other rows did not.
    assert changed_share(_cell(view, before, 2, 0), _cell(view, on, 2, 0)) > 0.5
    assert changed_share(_cell(view, before, 2, 1), _cell(view, on, 2, 1)) > 0.05
    assert changed_share(_cell(view, before, 0, 0), _cell(view, on, 0, 0)) == 0.0
    clock.now += 0.6  # the dark half of the first blink
    assert changed_share(before, pixels(view)) == 0.0
    clock.now += 3.0  # over: the row is back to its steady, still red, look
    assert not flash.is_flashing("c-3")
    after = pixels(view)
    assert changed_share(before, after) == 0.0
    assert share_near(_cell(view, after, 2, 1), WALL["breached_bg"], tol=12) > 0.3


def test_flash_controller_blinks_then_stops_its_timer(qtbot) -> None:
    clock = FakeClock()
    flash = FlashController(duration_s=3.0, blinks=3, tick_ms=10, clock=clock)
    assert not flash.is_ticking()
    with qtbot.waitSignal(flash.changed, timeout=1000):
        flash.flash("a")
    assert flash.is_ticking() and flash.active_keys() == {"a"}
    levels = []
    for _ in range(24):
        levels.append(flash.level("a"))
        clock.now += 0.125  # exact in binary: no drift across the blink edges
    assert levels[:4] == [1.0] * 4 and levels[4:8] == [0.0] * 4
    assert levels.count(1.0) == 12 and levels.count(0.0) == 12  # 3 blinks, half on
    assert flash.level("a") == 0.0 and not flash.is_flashing("a")
    qtbot.waitUntil(lambda: not flash.is_ticking(), timeout=1000)
    assert flash.active_keys() == frozenset()
    assert flash.level("never") == 0.0


def test_flash_restart_and_clear(qtbot) -> None:
    clock = FakeClock()
    flash = FlashController(duration_s=1.0, clock=clock)
    flash.flash("a")
    clock.now += 0.9
    flash.flash("a")  # restarts
    clock.now += 0.5
    assert flash.is_flashing("a")
    flash.flash("b")
    flash.clear("a")
    assert flash.active_keys() == {"b"}
    flash.clear()
    assert flash.active_keys() == frozenset() and not flash.is_ticking()
    with pytest.raises(ValueError):
        FlashController(duration_s=0)


def test_state_badge_reads_its_state(qtbot, shots) -> None:
    badge = StateBadge("warning", "11:02", theme="wall")
    qtbot.addWidget(badge)
    badge.resize(badge.sizeHint())
    assert badge.text() == "Warning 11:02"
    warn = pixels(badge, shots / "state_badge_warning.png")
    assert share_near(warn, WALL["warning_bg"], tol=12) > 0.3
    badge.set_state("breached")
    assert badge.text() == "Breached 11:02" and badge.toolTip() == "Breached 11:02"
    badge.resize(badge.sizeHint())
    assert share_near(pixels(badge), WALL["breached_bg"], tol=12) > 0.3
    with pytest.raises(ValueError):
        badge.set_state("amber")
    assert badge.state() == "breached"


def test_delegate_size_hint_grows_with_the_cell_text(qtbot) -> None:
    # DisplayRole text is drawn after the label: the chip of a long wait is wider.
    view = _view(qtbot)
    delegate = view.itemDelegateForColumn(1)
    from PySide6.QtWidgets import QStyleOptionViewItem

    opt = QStyleOptionViewItem()
    opt.font = view.font()
    idx = view.model().index(2, 1)
    short = delegate.sizeHint(opt, idx).width()
    view.model().item(2, 1).setText("1:16:40 long wait")
    assert delegate.sizeHint(opt, idx).width() > short
    assert view.model().index(2, 1).data(Qt.ItemDataRole.DisplayRole) == "1:16:40 long wait"

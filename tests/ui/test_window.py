"""The desk window: rows open cases, shortcuts, search, filters, dock layout kept between runs."""

from __future__ import annotations

import threading

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.scenes import Mono, Status, busy_floor
from ui.inbox import Inbox
from ui.main_window import MainWindow
from ui.models.base import ID_ROLE
from ui.models.waiting import WaitingModel
from ui.status import describe


def _window(qtbot, settings=None, mono=None):
    live, stream = busy_floor()
    window = MainWindow(live, settings, monotonic=mono)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # window shortcuts need the active window
        window.show()
        window.activateWindow()
    return window, live, stream


def test_enter_and_double_click_open_the_case(qtbot):
    window, live, _ = _window(qtbot)
    view = window.waiting_view
    first = view.model().index(0, 0)
    view.setCurrentIndex(first)
    view.setFocus()
    with qtbot.waitSignal(window.case_requested) as opened:
        qtbot.keyClick(view.viewport(), Qt.Key.Key_Return)
    key = opened.args[0]
    call_id = first.data(ID_ROLE)
    contact = live.floor.waiting[call_id]
    assert key == (contact.case_id or call_id)
    # escalation rows open their case too
    esc_view = window.escalations_view
    index = esc_view.model().index(0, 0)
    rect = esc_view.visualRect(index)
    with qtbot.waitSignal(window.case_requested) as opened:
        # QTest's double click needs the press that precedes it in real use
        qtbot.mousePress(esc_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(esc_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args[0].startswith("case-e-")


def test_waiting_list_is_most_urgent_first(qtbot):
    window, live, _ = _window(qtbot)
    model = window.waiting_view.model()
    order = [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]
    waits = [live.waiting.wait_of(live.floor.waiting[c]) for c in order]
    assert waits == sorted(waits, reverse=True)  # one SLA per queue here: longest wait first
    assert live.waiting.state_of(order[0]) == "breached"


def test_shortcuts_search_and_filters(qtbot):
    window, live, _ = _window(qtbot)
    window.waiting_view.setFocus()
    with qtbot.waitSignal(window.wall_requested):
        qtbot.keyClick(window.waiting_view, Qt.Key.Key_F11)
    with qtbot.waitSignal(window.export_requested):
        qtbot.keyClick(window.waiting_view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.waiting_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search
    window.search.setText("张*")  # QTest types ASCII only
    shown = window.waiting_view.model()
    assert 0 < shown.rowCount() < live.waiting.rowCount()
    for r in range(shown.rowCount()):
        assert "张*" in shown.index(r, WaitingModel.CUSTOMER).data()
    window.search.clear()
    window.team_filter.setCurrentIndex(window.team_filter.findData("二组"))
    agents = window.agents_view.model()
    assert agents.rowCount() == sum(1 for a in live.floor.agents.values() if a.team == "二组")
    window.state_filter.setCurrentIndex(window.state_filter.findData("on_call"))
    assert all(agents.index(r, 2).data() == "On call" for r in range(agents.rowCount()))


def test_dock_layout_is_remembered(qtbot, tmp_path):
    path = str(tmp_path / "settings.ini")
    window, _, _ = _window(qtbot, QSettings(path, QSettings.Format.IniFormat))
    assert window.trends_dock.isVisible()
    window.trends_dock.hide()
    window.close()  # saves geometry and dock state
    again, _, _ = _window(qtbot, QSettings(path, QSettings.Format.IniFormat))
    assert not again.trends_dock.isVisible()
    assert again.queues_dock.isVisible()


def test_connection_state_always_visible(qtbot):
    mono = Mono()
    window, live, _ = _window(qtbot, mono=mono)
    window._on_refresh_timeout()
    assert window.badge.state() == "stopped" and "Not connected" in window.connection.text()
    live.inbox.post_status(Status("live", mono()))
    qtbot.waitUntil(lambda: window.badge.state() == "live")
    assert window.connection.isHidden()  # the badge says it all
    live.inbox.post_status(Status("reconnecting", mono()))
    qtbot.waitUntil(lambda: window.badge.state() == "reconnecting")
    assert "Reconnecting" in window.connection.text() and not window.connection.isHidden()
    live.inbox.post_status(Status("stale", mono() - 75))
    qtbot.waitUntil(lambda: window.badge.state() == "stale")
    assert "1:15" in window.badge.text()
    live.inbox.post_status(Status("not_authorised", None))
    qtbot.waitUntil(lambda: window.badge.state() == "unauthorised")
    assert "Not authorised" in window.connection.text()


def test_status_descriptions():
    now = 1000.0
    assert describe(None).kind == "stopped"
    assert describe(Status("live", now - 3), now).text == "Live · updated 0:03 ago"
    assert describe(Status("live", now - 3), now).data_live
    stale = describe(Status("live", now - 20), now)  # beyond 3 x the default 5 s heartbeat: stale
    assert stale.kind == "stale" and not stale.data_live
    assert describe(Status("reconnecting", now - 40), now).kind == "stale"
    assert describe(Status("version_error", None), now).kind == "stopped"


def test_inbox_coalesces_a_burst_into_one_signal(qtbot):
    inbox = Inbox()
    signals: list[int] = []
    inbox.ready.connect(lambda: signals.append(1))

    def burst() -> None:
        for i in range(1000):
            inbox.post_events([i])
        inbox.post_status("s1")
        inbox.post_status("s2")

    worker = threading.Thread(target=burst)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: signals == [1])
    drained = inbox.drain()
    assert drained.events == list(range(1000))
    assert drained.status == "s2"  # only the newest status matters
    assert drained.first_posted is not None
    inbox.post_events([1])
    qtbot.waitUntil(lambda: len(signals) == 2)

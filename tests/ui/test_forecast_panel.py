"""The live forecast in real offscreen widgets: the desk's breach-risk column (checked
against breach.py called here with positions and free agents counted independently),
the forecast panel and the wall's line; nothing shown from stale data or an old forecast."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from supervisor.forecast import breach_probability
from supervisor.sla import wait_seconds
from tests.ui.events import T0
from tests.ui.forecast_scene import forecast_floor
from tests.ui.scenes import Mono, Status
from ui.forecast_panel import QUEUE_ROLE
from ui.i18n import fmt_percent
from ui.main_window import MainWindow
from ui.models.base import ID_ROLE, SORT_ROLE
from ui.models.waiting import WaitingModel
from ui.wall import WallDisplay


def _window(qtbot, live, mono):
    window = MainWindow(live, monotonic=mono)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window._on_refresh_timeout()
    return window


def test_breach_risk_column_matches_breach_py_and_sorts(qtbot, qtmodeltester):
    live, _, outlook = forecast_floor()
    mono = Mono()
    live.status = Status("live", mono() - 1)
    window = _window(qtbot, live, mono)
    model = live.waiting
    qtmodeltester.check(live.waiting_sorted)
    rates = outlook.queues["credit_card"].rates()
    assert rates is not None
    mu, theta, n = rates
    now = live.clock.now()
    free = sum(1 for a in live.floor.agents.values() if a.state == "available" and "credit_card" in a.skills)
    line = sorted((c.queued_at, k) for k, c in live.floor.waiting.items() if c.queue == "credit_card")
    assert len(line) >= 5
    for ahead, (queued, key) in enumerate(line):
        expected = breach_probability(wait_seconds(queued, now), ahead, 900.0, mu, theta, n, free)
        assert model.risk_of(key) == expected
        row = model.row_of(key)
        assert model.index(row, WaitingModel.BREACH_RISK).data() == fmt_percent(expected)
    assert any(model.risk_of(k) > 0.01 for _, k in line)
    # sorted by risk, highest first
    view = window.waiting_view
    view.sortByColumn(WaitingModel.BREACH_RISK, Qt.SortOrder.DescendingOrder)
    proxy = view.model()
    shown = [proxy.index(r, WaitingModel.BREACH_RISK).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert shown == sorted(shown, reverse=True) and shown[0] > 0
    # stale: no risk anywhere, and none sorts above another
    live.status = Status("stale", mono() - 90)
    window._on_refresh_timeout()
    assert all(proxy.index(r, WaitingModel.BREACH_RISK).data() == "—" for r in range(proxy.rowCount()))
    assert {proxy.index(r, WaitingModel.BREACH_RISK).data(SORT_ROLE) for r in range(proxy.rowCount())} == {-1.0}
    key = proxy.index(0, 0).data(ID_ROLE)
    assert "not live" in model.index(model.row_of(key), WaitingModel.BREACH_RISK).data(Qt.ItemDataRole.ToolTipRole)
    # live again: back
    live.status = Status("live", mono())
    window._on_refresh_timeout()
    assert proxy.index(0, WaitingModel.BREACH_RISK).data() != "—"
    # a forecast older than allowed is not current: the risks go
    stream_now = T0 + timedelta(minutes=3)
    live.clock._wall = lambda: stream_now  # type: ignore[attr-defined]
    live.tick()
    assert all(model.risk_of(k) is None for k in model.ids())


def test_panel_shows_each_queue_with_its_inputs_and_who_should_come_back(qtbot):
    live, _, outlook = forecast_floor()
    mono = Mono()
    live.status = Status("live", mono() - 1)
    window = _window(qtbot, live, mono)
    tree = window.forecast.tree
    items = {tree.topLevelItem(r).data(0, QUEUE_ROLE): tree.topLevelItem(r) for r in range(tree.topLevelItemCount())}
    assert set(items) == set(outlook.queues)
    assert tree.topLevelItem(0).data(0, QUEUE_ROLE) == "credit_card"  # below target comes first
    cc = items["credit_card"]
    o = outlook.queues["credit_card"]
    assert cc.text(1) == "✕ " + fmt_percent(o.service_level) and cc.text(4) == f"+{o.extra_agents}"
    assert cc.isExpanded()
    texts = _texts(cc)
    assert any(t.startswith("● 1. ") and o.comebacks[0].name in t for t in texts)
    assert sum(t.startswith(("● ", "○ ")) for t in texts) == len(o.comebacks) == 5
    i = o.inputs
    assert any(f"{i.arrivals_per_hour:.1f}/h" in t and str(i.recent_contacts) in t for t in texts)
    assert any(str(i.abandons) in t and "abandoned" in t for t in texts)
    assert any("split by the queues' load" in t and f"{i.agent_share:.2f}" in t for t in texts)
    # thin queue: a sentence, no number
    eb = items["e_banking"]
    assert eb.text(1) == "not enough data" and "%" not in eb.text(1)
    few = outlook.queues["e_banking"].inputs.recent_contacts
    assert few == 3  # 08:30, 08:40, 08:50
    assert any(f"{few} contacts in the last 30 minutes (20 needed)" in t for t in _texts(eb))
    # stale: nothing
    live.status = Status("stale", mono() - 90)
    window._on_refresh_timeout()
    assert tree.topLevelItemCount() == 0 and "not live" in window.forecast.caption.text()
    live.status = Status("live", mono())
    window._on_refresh_timeout()
    assert tree.topLevelItemCount() == 4


def test_wall_line_says_the_worst_queue_and_never_pretends(qtbot):
    live, _, outlook = forecast_floor()
    mono = Mono()
    live.status = Status("live", mono() - 1)
    wall = WallDisplay(live, beep=False, monotonic=mono)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    o = outlook.queues["credit_card"]
    text = wall.forecast_line.text()
    from ui import names

    assert text.startswith("✕ ") and names.queue("credit_card", "信用卡服务") in text and "09:30" in text
    assert fmt_percent(o.service_level) in text and f": {o.extra_agents}" in text
    assert wall.forecast_line.state == "breached"
    assert wall.forecast_line.fontMetrics().height() >= 40
    live.status = Status("stale", mono() - 90)
    wall.refresh()
    assert "%" not in wall.forecast_line.text() and wall.forecast_line.state == "neutral"
    # no forecast yet
    live.status = Status("live", mono())
    live.set_forecast(None)
    wall.refresh()
    assert "%" not in wall.forecast_line.text()


def _texts(item) -> list[str]:
    out = []
    for k in range(item.childCount()):
        child = item.child(k)
        out.append(child.text(0))
        out.extend(_texts(child))
    return out

"""Table models over a real Floor fed real protocol events, checked by Qt's model tester."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt

from supervisor.floor import Floor
from tests.ui.events import T0, Stream, agent, case, contact, escalation, queue
from ui.models.agents import AgentFilter, AgentModel
from ui.models.base import CASE_ROLE, ID_ROLE, SORT_ROLE, STATE_ROLE
from ui.models.escalations import EscalationModel
from ui.models.waiting import WaitingModel

QUEUES = [queue("credit_card", "信用卡服务"), queue("vip", "贵宾服务", sla=600, warn=300)]


def _floor_with(stream: Stream, events: list) -> Floor:
    floor = Floor()
    floor.apply_batch(events)
    return floor


def _ids(model) -> list[str]:
    return [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]


def test_waiting_model_updates_by_range_and_passes_model_tester(qtmodeltester, qtbot):
    s = Stream()
    floor = Floor()
    model = WaitingModel(floor)
    changes = floor.apply_batch([s.snapshot(QUEUES, waiting=[
        contact("c-1", "credit_card", T0 - timedelta(minutes=5)),
        contact("c-2", "vip", T0 - timedelta(minutes=6), vip=True, case_id="case-9"),
    ], cases=[case("case-9", "fraud_report", T0)])])
    model.apply(changes)
    qtmodeltester.check(model)  # stays attached: every update below is checked too
    assert _ids(model) == ["c-1", "c-2"]

    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _r=(): changed.append((a.row(), b.row())))

    batch = [s.queued(contact(f"c-{i}", "credit_card", s.now)) for i in range(3, 7)]
    model.apply(floor.apply_batch(batch))
    assert inserted == [(2, 5)]  # one insert for the whole batch
    model.apply(floor.apply_batch([s.answered("c-3", "a-1"), s.abandoned("c-4"),
                                   s.transferred("c-6", "vip")]))
    assert removed and sorted(_ids(model)) == ["c-1", "c-2", "c-5", "c-6"]
    assert changed[-1] == (model.row_of("c-6"), model.row_of("c-6"))
    assert resets == []  # never a reset for an update

    row = model.row_of("c-2")
    assert model.index(row, WaitingModel.CUSTOMER).data() == "张*丰"  # masked, always
    assert "13812345678" not in (model.index(row, WaitingModel.CUSTOMER).data(Qt.ItemDataRole.ToolTipRole) or "")
    assert "VIP" in model.index(row, WaitingModel.VIP).data()
    assert "Fraud report" in model.index(row, WaitingModel.CASE).data()
    assert model.index(row, 0).data(CASE_ROLE) == "case-9"


def test_waiting_tick_classifies_and_reports_each_crossing_once(qtbot):
    s = Stream()
    floor = Floor()
    model = WaitingModel(floor)
    model.apply(floor.apply_batch([s.snapshot(QUEUES, waiting=[
        contact("c-1", "credit_card", T0 - timedelta(seconds=890)),
        contact("c-2", "credit_card", T0 - timedelta(seconds=100)),
    ])]))
    seen: list[tuple[int, int, list[int]]] = []
    model.dataChanged.connect(lambda a, b, roles=(): seen.append((a.row(), b.row(), list(roles))))
    assert model.tick(T0) == []
    assert model.state_of("c-1") == "warning"
    with qtbot.waitSignal(model.sla_crossed) as crossed:
        model.tick(T0 + timedelta(seconds=11))
    assert crossed.args == [["c-1"]]
    assert model.state_of("c-1") == "breached"
    assert model.index(model.row_of("c-1"), WaitingModel.WAIT).data(STATE_ROLE) == "breached"
    assert "Breached" in model.index(model.row_of("c-1"), WaitingModel.SLA).data()
    # the crossing row alone was signalled, with the colour roles and never the sort role
    row = model.row_of("c-1")
    assert seen[-1][:2] == (row, row)
    assert int(Qt.ItemDataRole.BackgroundRole) in seen[-1][2] and SORT_ROLE not in seen[-1][2]
    seen.clear()
    assert model.tick(T0 + timedelta(seconds=12)) == []  # once, then it stays marked
    assert seen == []  # a quiet tick signals nothing on the source (the views' proxies get the clock)


def test_waiting_sort_puts_breached_first_then_nearest_breach(qtbot):
    s = Stream()
    floor = Floor()
    model = WaitingModel(floor)
    model.apply(floor.apply_batch([s.snapshot(QUEUES, waiting=[
        contact("new", "credit_card", T0 - timedelta(seconds=30)),
        contact("old", "credit_card", T0 - timedelta(seconds=1000)),
        contact("vip-near", "vip", T0 - timedelta(seconds=500), vip=True),  # T=600: 100 s left
        contact("mid", "credit_card", T0 - timedelta(seconds=700)),  # 200 s left
    ])]))
    model.tick(T0)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(WaitingModel.BREACH_IN)
    assert _ids(proxy) == ["old", "vip-near", "mid", "new"]


def test_agent_model_and_filters(qtmodeltester, qtbot):
    s = Stream()
    floor = Floor()
    model = AgentModel(floor)
    agents = [agent(f"a-{i}", st, T0 - timedelta(minutes=i), team=tm, skills=sk)
              for i, (st, tm, sk) in enumerate([
                  ("available", "一组", ("credit_card",)), ("on_call", "一组", ("credit_card", "vip")),
                  ("break", "二组", ("vip",)), ("available", "二组", ("vip",))])]
    model.apply(floor.apply_batch([s.snapshot(QUEUES, agents=agents)]))
    qtmodeltester.check(model)
    proxy = AgentFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 4
    proxy.set_team("二组")
    assert sorted(_ids(proxy)) == ["a-2", "a-3"]
    proxy.set_states(frozenset({"available"}))
    assert _ids(proxy) == ["a-3"]
    proxy.set_team(None)
    proxy.set_states(None)
    proxy.set_skill("credit_card")
    assert sorted(_ids(proxy)) == ["a-0", "a-1"]
    # an agent changes state: one row updates, the filter follows
    model.apply(floor.apply_batch([s.agent(agent("a-0", "break", s.now, team="一组", skills=("credit_card",),
                                                 reason="lunch"))]))
    proxy.set_skill(None)
    proxy.set_states(frozenset({"break"}))
    assert sorted(_ids(proxy)) == ["a-0", "a-2"]
    row = model.row_of("a-0")
    assert model.index(row, AgentModel.STATE).data() == "Break"
    assert model.index(row, AgentModel.REASON).data() == "Lunch"
    # a new agent is inserted, not reset
    with qtbot.waitSignal(model.rowsInserted):
        model.apply(floor.apply_batch([s.agent(agent("a-9", "available", s.now))]))
    assert model.rowCount() == 5
    model.tick(T0 + timedelta(minutes=1))
    assert model.index(model.row_of("a-9"), AgentModel.TIME).data() == "1:00"


def test_escalation_model_overdue_and_resolved(qtmodeltester, qtbot):
    s = Stream()
    floor = Floor()
    model = EscalationModel(floor)
    model.apply(floor.apply_batch([s.snapshot(QUEUES, escalations=[
        escalation("e-1", T0 + timedelta(minutes=10), T0 - timedelta(hours=1)),
        escalation("e-2", T0 + timedelta(hours=2), T0 - timedelta(hours=1), severity="low"),
        escalation("e-3", T0, T0 - timedelta(hours=3), status="resolved"),
    ])]))
    qtmodeltester.check(model)
    assert sorted(_ids(model)) == ["e-1", "e-2"]  # resolved ones are not shown
    model.tick(T0)
    assert model.index(model.row_of("e-1"), 0).data(STATE_ROLE) == "due_soon"
    model.tick(T0 + timedelta(minutes=11))
    row = model.row_of("e-1")
    assert model.index(row, 0).data(STATE_ROLE) == "overdue"
    assert model.index(row, EscalationModel.DUE).data() == "overdue 1:00"
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "*" in model.index(row, EscalationModel.SUMMARY).data()  # numbers in text masked
    with qtbot.waitSignal(model.rowsRemoved):
        model.apply(floor.apply_batch([s.resolved("e-1")]))
    assert _ids(model) == ["e-2"]
    model.apply(floor.apply_batch([s.escalation(escalation("e-4", T0, T0))]))
    assert sorted(_ids(model)) == ["e-2", "e-4"]


@pytest.mark.parametrize("rows", [[5, 4, 3, 1, 0], [7], [3, 2, 1]])
def test_descending_ranges(rows):
    from ui.models.base import _ranges_desc

    out = _ranges_desc(rows)
    covered = sorted(r for a, b in out for r in range(a, b + 1))
    assert covered == sorted(rows)
    assert all(a <= b for a, b in out)


def test_clock_tick_reaches_the_views_without_resorting(qtbot):
    """LiveFloor.tick: one DisplayRole dataChanged over the clock columns of each view's model."""
    from tests.ui.scenes import busy_floor

    live, _ = busy_floor()
    seen: list[tuple[int, int, int, int, list[int]]] = []
    live.waiting_sorted.dataChanged.connect(
        lambda a, b, roles=(): seen.append((a.row(), a.column(), b.row(), b.column(), list(roles))))
    sort_calls: list[int] = []
    original = live.waiting.cell

    def counting(key, item, column, role):  # type: ignore[no-untyped-def]
        if role == SORT_ROLE:
            sort_calls.append(1)
        return original(key, item, column, role)

    live.waiting.cell = counting  # type: ignore[method-assign]
    live.tick()
    rows = live.waiting_sorted.rowCount()
    assert (0, WaitingModel.WAIT, rows - 1, max(WaitingModel.CLOCK_COLUMNS), [int(Qt.ItemDataRole.DisplayRole)]) in seen
    assert sort_calls == []  # the order of a thousand rows is not re-checked every second


def test_view_proxies_pass_the_model_tester_under_live_updates(qtmodeltester, qtbot):
    from tests.ui.events import contact as make_contact
    from tests.ui.scenes import busy_floor
    from ui.wall import WallDisplay

    live, stream = busy_floor()
    wall = WallDisplay(live, beep=False)
    qtbot.addWidget(wall)
    for proxy in (live.waiting_sorted, live.escalations_sorted, live.agents_filtered,
                  wall.urgent_model, wall.esc_model):
        qtmodeltester.check(proxy)
    live.agents_filtered.set_team("二组")
    batch = [stream.queued(make_contact(f"n-{i}", "vip", stream.now)) for i in range(5)]
    batch += [stream.answered("c-000", "a-001"), stream.abandoned("c-003"), stream.resolved("e-0")]
    live.apply(batch)
    stream.advance(30)
    live.tick()
    live.agents_filtered.set_team(None)
    qtbot.waitUntil(lambda: wall.urgent_model.rowCount() == min(wall.urgent_model.limit, len(live.floor.waiting)))

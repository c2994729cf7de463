"""The desk's "SLA breaches today" panel: the model under live updates (Qt's model tester),
the panel against the real simulator equal to KPI.md's breach list computed independently
from the same journal, customers masked, and a row opening its call's case.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from supervisor.kpi.builder import KpiBuilder
from supervisor.masking import mask_name
from supervisor.sim.server import SimConfig, start_in_thread
from supervisor.store import open_journal
from supervisor.timeutil import CHINA, format_duration
from tests.ui.events import T0, Stream, agent, contact, queue
from tests.ui.scenes import NAMES, Mono, Status, with_kpi
from tests.ui.scenes import QUEUES as QUEUES_ALL
from ui.clock import ServerClock
from ui.inbox import Inbox
from ui.live import LiveFloor
from ui.bridge import FeedBridge
from ui.kpi_today import TodayKpi
from ui.main_window import MainWindow
from ui.models.base import ID_ROLE, SORT_ROLE, STATE_ROLE, TOOLTIP
from ui.models.breaches import BreachModel
from supervisor.floor import Floor
from ui.shell import Shell

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHANNELS = ["voice", "chat", "callback", "email"]
QUEUES = [queue("credit_card", "信用卡服务"), queue("vip", "贵宾服务", sla=600, warn=300)]
MONO = Mono()  # the desk's monotonic clock in the screenshots: the feed's age never grows


def _ids(model) -> list[str]:
    return [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]


def _cells(model, row: int, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(row, c).data(role) for c in range(model.columnCount())]


def test_model_updates_by_range_and_passes_the_model_tester(qtmodeltester, qtbot):
    s = Stream(T0 - timedelta(hours=1))
    builder = KpiBuilder()
    today = TodayKpi(builder)
    floor = Floor()  # the server's queue names come from the live floor
    floor.apply_batch([s.snapshot(QUEUES)])
    model = BreachModel(floor)
    qtmodeltester.check(model)  # stays attached: every update below is checked too
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda a, b, _r=(): changed.append((a.row(), b.row(), a.column(), b.column())))

    def post() -> None:
        kpi = today.compute()
        model.on_kpi(kpi)

    builder.feed_many([s.snapshot(QUEUES)])
    # late answer (20 min on T=15 min), on-time answer, late abandon on the VIP queue (T=10 min)
    events = [s.queued(contact("late", "credit_card", s.now, name="张三丰", phone="13812345678"))]
    s.advance(60)
    events += [s.queued(contact("quick", "credit_card", s.now)),
               s.queued(contact("gone", "vip", s.now, vip=True, channel="chat", name="欧阳小明"))]
    s.advance(30)
    events.append(s.answered("quick", "a-1"))
    s.advance(700)
    events.append(s.abandoned("gone"))
    s.advance(500)
    events.append(s.answered("late", "a-2"))
    builder.feed_many(events)
    post()
    assert resets == [] and inserted == [(0, 1)] and _ids(model) == ["late", "gone"]
    row = model.row_of("late")
    assert _cells(model, row) == ["08:00:00", "Credit cards", "Voice", "张*丰", "21:30", "✕ Answered late"]
    gone = model.row_of("gone")
    assert _cells(model, gone)[3:] == ["欧**明", "12:10", "✕ Abandoned"]
    assert model.index(gone, BreachModel.CHANNEL).data() == "Chat"
    assert model.index(gone, BreachModel.OUTCOME).data(STATE_ROLE) == "abandoned"
    assert model.index(row, BreachModel.CUSTOMER).data(TOOLTIP) == "138****5678"  # masked, always

    # a contact waits past T: it appears still waiting, its wait follows the clock between posts
    events = [s.queued(contact("slow", "vip", s.now, name="李娜", phone="13900001111"))]
    s.advance(601)
    events.append(s.queued(contact("fresh", "credit_card", s.now)))  # a minute in: no breach
    builder.feed_many(events)
    inserted.clear()
    changed.clear()
    post()
    assert inserted == [(2, 2)] and _ids(model) == ["late", "gone", "slow"]
    slow = model.row_of("slow")
    assert _cells(model, slow)[4:] == ["10:01", "✕ Still waiting"]
    assert changed == []  # nothing else moved: no signal for the settled rows
    model.tick(s.now + timedelta(seconds=9))
    assert model.index(slow, BreachModel.WAIT).data() == "10:10"
    assert changed == [(slow, slow, BreachModel.WAIT, BreachModel.WAIT)]  # that cell alone

    # it is answered: the same row changes (one ranged signal), no new row, no reset
    changed.clear()
    s.advance(20)
    builder.feed(s.answered("slow", "a-3"))
    post()
    assert _ids(model) == ["late", "gone", "slow"] and inserted == [(2, 2)]
    assert changed == [(slow, slow, 0, model.columnCount() - 1)]
    assert _cells(model, slow)[4:] == ["10:21", "✕ Answered late"]
    assert resets == []

    # a new day: yesterday's rows leave by range (the day's list starts empty)
    s.now = T0.replace(hour=0) + timedelta(days=1, minutes=1)
    builder.feed(s.queued(contact("tomorrow", "credit_card", s.now)))
    post()
    assert model.rowCount() == 0 and removed == [(0, 2)] and resets == []
    # sorted views: the newest first by the queued time, the longest wait by its seconds
    assert model.headerData(BreachModel.OUTCOME, Qt.Orientation.Horizontal) == "Outcome"


def test_sort_roles_order_by_time_and_wait(qtbot):
    s = Stream(T0 - timedelta(hours=2))
    builder = KpiBuilder()
    builder.feed(s.snapshot(QUEUES))
    for i, wait in enumerate((1000, 3700, 950)):
        builder.feed(s.queued(contact(f"c-{i}", "credit_card", s.now)))
        s.advance(wait)
        builder.feed(s.answered(f"c-{i}", "a-1"))
    model = BreachModel()
    model.on_kpi(TodayKpi(builder).compute())
    by_time = sorted(_ids(model), key=lambda k: -model.index(model.row_of(k), BreachModel.QUEUED).data(SORT_ROLE))
    assert by_time == ["c-2", "c-1", "c-0"]
    by_wait = sorted(_ids(model), key=lambda k: model.index(model.row_of(k), BreachModel.WAIT).data(SORT_ROLE))
    assert by_wait == ["c-2", "c-0", "c-1"]
    assert model.index(model.row_of("c-1"), BreachModel.WAIT).data() == "1:01:40"  # h:mm:ss past an hour


def test_panel_equals_the_kpi_breach_list_of_the_same_journal(qtbot, tmp_path):
    """Against the real simulator: the dock shows exactly KPI.md's breaches of today, masked,
    and a row opens its call's case (or says the call has none)."""
    # a Monday's afternoon peak (15:30-17:30): the floor is stretched and contacts breach
    sim = start_in_thread(SimConfig(seed=4242, speed=30.0, agents=60,
                                    start=datetime(2026, 11, 23, 15, 30, tzinfo=CHINA),
                                    prerun_hours=2.0, heartbeat_s=0.4))
    db = f"sqlite:///{tmp_path / 'journal.db'}"
    shell = Shell(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                  bridge_factory=lambda inbox: FeedBridge(inbox, sim.url, "demo-lead", db_url=db,
                                                         resume=(sim.epoch, 0)),
                  beep=False, db_url=db, lang="en")
    try:
        shell.start()
        live, window = shell.live, shell.window
        qtbot.waitUntil(lambda: live.status is not None and live.status.state == "live", timeout=15_000)
        sim.pause()
        seq = sim.state_at()[0]
        qtbot.waitUntil(lambda: live.floor.seq == seq, timeout=15_000)
        qtbot.waitUntil(lambda: shell.actions.store().last_position() == (sim.epoch, seq), timeout=15_000)
        last_ts = live.floor.last_ts
        # a KPI post drained with the last events may have been computed before them; the
        # next new post was computed after the feed thread had fed them all to its builder
        stale = live.kpi
        qtbot.waitUntil(lambda: live.kpi is not None and live.kpi is not stale
                        and live.kpi.server_now >= last_ts, timeout=15_000)
        # then no more posts: heartbeats keep moving the server's time while the simulator
        # is paused, and a later post would show waits of a later moment than the list below
        shell.bridge.stop()
        qtbot.waitUntil(lambda: not live.inbox.pending(), timeout=15_000)
        qtbot.waitUntil(lambda: window.breaches.rowCount() > 0, timeout=15_000)
        as_of = live.kpi.server_now

        # KPI.md's list, computed here from the journal on disk, at the same moment
        journal = open_journal(db)
        try:
            independent = KpiBuilder()
            independent.feed_many(journal.iter_events())
        finally:
            journal.close()
        day = as_of.replace(hour=0, minute=0, second=0, microsecond=0)
        want = independent.sla_breaches(day, day + timedelta(days=1), server_now=as_of)
        outcomes = {r.outcome for r in want}
        assert len(want) >= 5 and "answered" in outcomes, outcomes

        model, view = window.breaches, window.breaches_view
        qtbot.waitUntil(lambda: model.rowCount() == len(want), timeout=10_000)
        # one fixed server time on both sides: the desk's 1 Hz clock (local time + the
        # offset, still running while the simulator is paused) would otherwise advance the
        # waits of contacts still waiting past ``as_of`` between two reads ('29:29' vs
        # '29:28'). Stop it and put the panel's clock at the moment the list was computed.
        live.stop_clock()
        model.tick(as_of)
        assert set(_ids(model)) == {r.call_id for r in want}
        assert window.breaches_dock.windowTitle() == f"SLA breaches today: {len(want)}"
        for r in want:
            row = model.row_of(r.call_id)
            cells = _cells(model, row)
            assert cells[BreachModel.QUEUED] == r.queued_at.strftime("%H:%M:%S")
            assert cells[BreachModel.WAIT] == format_duration(r.wait_seconds)
            word = {"answered": "Answered late", "abandoned": "Abandoned", "waiting": "Still waiting"}[r.outcome]
            assert cells[BreachModel.OUTCOME] == f"✕ {word}"
            # the simulator masks on the wire (PROTOCOL.md); masking again changes nothing
            assert r.customer.masked
            assert cells[BreachModel.CUSTOMER] == mask_name(r.customer.name) == r.customer.name
            assert "*" in r.customer.phone  # the full records never reach the desk (tests/sim scans the wire)
        # the view shows the newest first
        proxy = view.model()
        times = [proxy.index(i, BreachModel.QUEUED).data(SORT_ROLE) for i in range(proxy.rowCount())]
        assert times == sorted(times, reverse=True)

        # drill-down: a double-click asks for the call's case; the desk opens it from the journal
        window.breaches_dock.raise_()
        qtbot.waitExposed(view)
        with_case = next((r for r in want if r.case_id), None)
        without = next((r for r in want if not r.case_id
                        and not any(r.call_id in c.call_ids for c in live.floor.cases.values())), None)
        assert with_case is not None, "a breached contact of the simulator should have a case"
        row = next(i for i in range(proxy.rowCount()) if proxy.index(i, 0).data(ID_ROLE) == with_case.call_id)
        view.scrollTo(proxy.index(row, 0))
        rect = view.visualRect(proxy.index(row, BreachModel.QUEUE))
        with qtbot.waitSignal(window.case_requested) as requested:
            # QTest's double click needs the press that precedes it in real use
            qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert requested.args == [with_case.call_id]
        dialog = shell.actions.dialogs[-1]
        assert dialog.case_id == with_case.case_id and dialog.isVisible()
        # Enter on a breached call that has no case: a plain message, no dialog
        assert without is not None, "some breached contacts of the simulator have no case"
        opened = len(shell.actions.dialogs)
        row = next(i for i in range(proxy.rowCount()) if proxy.index(i, 0).data(ID_ROLE) == without.call_id)
        view.setCurrentIndex(proxy.index(row, 0))
        view.setFocus()
        with qtbot.waitSignal(window.case_requested) as requested:
            qtbot.keyClick(view.viewport(), Qt.Key.Key_Return)
        assert requested.args == [without.call_id]
        assert window.statusBar().currentMessage() == "No case for this row yet."
        assert len(shell.actions.dialogs) == opened
        window.resize(1600, 1000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SHOTS / "sim_breaches_en.png"))
        shell.shutdown()
    finally:
        shell.dispose()
        sim.stop()


def _scene_with_breaches():
    """A morning in time order: most contacts answered in time, some late, some abandoned
    late, and the last ones still waiting at T0 (a few of them past T)."""
    s = Stream(T0 - timedelta(hours=3))
    agents = [agent(f"a-{i:03d}", "on_call", s.now, name=NAMES[i], team="一组",
                    skills=(QUEUES_ALL[i % 7]["id"],)) for i in range(len(NAMES))]
    actions: list[tuple[datetime, int, str, str]] = []
    for i in range(40):
        at = s.now + timedelta(minutes=4 * i + 1)
        wait = (120, 950, 300, 1400, 60)[i % 5] + 7 * i
        actions.append((at, 0, f"m-{i:03d}", QUEUES_ALL[i % 7]["id"]))
        actions.append((at + timedelta(seconds=wait), 1 if i % 4 else 2, f"m-{i:03d}", ""))
    events = [s.snapshot(QUEUES_ALL, agents)]
    for at, kind, call_id, q in sorted(actions):
        if at > T0:
            continue  # still waiting at T0
        s.now = at
        if kind == 0:
            i = int(call_id[2:])
            events.append(s.queued(contact(call_id, q, at, name=NAMES[(i + 3) % len(NAMES)],
                                           phone=f"1391234{i:04d}", channel=CHANNELS[i % 4],
                                           vip=q == "vip")))
        elif kind == 1:
            events.append(s.answered(call_id, "a-001"))
        else:
            events.append(s.abandoned(call_id))
    s.now = T0
    events.append(s.queued(contact("m-now", "credit_card", T0)))  # the feed's time is T0
    live = LiveFloor(Inbox(), clock=ServerClock(wall=lambda: s.now))
    live.apply(events)
    live.tick()
    with_kpi(live, events)
    live.status = Status("live", MONO() - 1)
    return live


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots_of_the_breach_dock(qtbot, language, lang):
    language(lang)
    live = _scene_with_breaches()
    window = MainWindow(live, monotonic=MONO)  # live however long the test takes
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.breaches_dock.raise_()
    window._on_refresh_timeout()
    model = window.breaches
    assert model.rowCount() >= 8
    outcomes = {model.index(r, BreachModel.OUTCOME).data() for r in range(model.rowCount())}
    english = {"✕ Answered late", "✕ Abandoned", "✕ Still waiting"}
    if lang == "zh":
        assert model.headerData(0, Qt.Orientation.Horizontal) != "Queued at"
        assert len(outcomes) == 3 and not outcomes & english and all(o.startswith("✕ ") for o in outcomes)
    else:
        assert outcomes == english
        # the desk's search box narrows this list too (by any text it shows but the clock)
        window.search.setText("Abandoned")
        proxy = window.breaches_view.model()
        assert 0 < proxy.rowCount() < model.rowCount()
        assert {proxy.index(r, BreachModel.OUTCOME).data() for r in range(proxy.rowCount())} == {"✕ Abandoned"}
        window.search.clear()
        assert proxy.rowCount() == model.rowCount()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / f"breaches_{lang}.png"))

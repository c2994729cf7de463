"""The desktop against the real simulator on loopback: what it shows is what the server holds,
and a broken feed shows reconnecting, then stale, then recovers to live.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from supervisor.sim.server import SimConfig, start_in_thread
from supervisor.timeutil import CHINA
from ui.bridge import FeedBridge
from ui.inbox import Inbox
from ui.live import LiveFloor
from ui.models.base import ID_ROLE
from ui.status import describe
from ui.wall import WallDisplay

SEED = 20261122


@pytest.fixture
def sim():
    start = datetime(2026, 11, 20, 9, 0, tzinfo=CHINA)  # a busy Friday morning
    server = start_in_thread(SimConfig(seed=SEED, speed=30.0, agents=40, start=start,
                                       prerun_hours=1.0, heartbeat_s=0.4))
    yield server
    server.stop()


@pytest.fixture
def desk(qtbot, sim, tmp_path):
    inbox = Inbox()
    live = LiveFloor(inbox)
    states: list[str] = []
    live.status_changed.connect(lambda s: states.append(s.state))
    bridge = FeedBridge(inbox, sim.url, "demo-lead", db_url=f"sqlite:///{tmp_path / 'journal.db'}",
                        resume=(sim.epoch, 0))
    bridge.start()
    yield live, bridge, states
    bridge.stop()
    assert not bridge.running  # joined: no thread left behind


def _rows(model) -> set[str]:
    return {model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())}


def test_shows_exactly_what_the_simulator_holds(qtbot, sim, desk):
    live, _bridge, _states = desk
    qtbot.waitUntil(lambda: live.status is not None and live.status.state == "live", timeout=15_000)
    # pause the simulator itself at a moment when contacts wait there (the desk lags it a
    # little, and the queue can empty between a look and the pause)
    for _attempt in range(100):
        qtbot.waitUntil(lambda: bool(sim.state()["waiting"]), timeout=15_000)
        sim.pause()
        seq, state = sim.state_at()
        if state["waiting"]:
            break
        sim.resume()
    else:
        pytest.fail("the simulator never held a waiting contact when paused")
    # the feed has settled (and a snapshot's models, rebuilt one per turn, are all in)
    qtbot.waitUntil(lambda: live.floor.seq == seq and not live.rebuilding(), timeout=15_000)
    live.tick()
    want_waiting = {c["call_id"] for c in state["waiting"]}
    want_agents = {a["agent_id"]: a["state"] for a in state["agents"]}
    assert want_waiting, "the simulator should have contacts waiting at this hour"
    assert _rows(live.waiting) == want_waiting
    assert _rows(live.waiting_sorted) == want_waiting
    assert {k: live.floor.agents[k].state for k in _rows(live.agents)} == want_agents
    want_open = {e["escalation_id"] for e in state["escalations"] if e["status"] != "resolved"}
    assert _rows(live.escalations) == want_open
    # the KPI figures of the day arrive from the feed thread
    qtbot.waitUntil(lambda: live.kpi is not None, timeout=15_000)
    assert live.kpi.report.total.offered > 0
    # what the simulator's Friday morning looks like on both screens (for people to look at)
    from pathlib import Path

    from ui.main_window import MainWindow

    shots = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    window = MainWindow(live)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window._on_refresh_timeout()
    window.trends.update_series()
    for chart in window.trends.charts():
        chart.redraw_now()
    assert window.grab().save(str(shots / "sim_desk_en.png"))
    wall = WallDisplay(live, beep=False)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    assert wall.grab().save(str(shots / "sim_wall_en.png"))


def test_broken_feed_reconnects_goes_stale_and_recovers(qtbot, sim, desk):
    live, _bridge, states = desk
    wall = WallDisplay(live, beep=False)
    qtbot.addWidget(wall)
    qtbot.waitUntil(lambda: live.status is not None and live.status.state == "live", timeout=15_000)
    wall.refresh()
    assert not wall.stale

    states.clear()
    sim.drop_connections()  # a network failure: no close frame
    qtbot.waitUntil(lambda: "reconnecting" in states, timeout=10_000)
    qtbot.waitUntil(lambda: live.status.state == "live", timeout=15_000)

    sim.pause()  # the server goes silent: no events, no heartbeats
    qtbot.waitUntil(lambda: live.status.state == "stale", timeout=10_000)
    shown = describe(live.status)
    assert shown.kind == "stale" and not shown.data_live
    wall.refresh()
    assert wall.stale and not wall.banner.isHidden()
    assert "STALE" in wall.banner.text()
    assert all(tile.is_stale() for tile in (wall.total_tile,))

    sim.resume()
    qtbot.waitUntil(lambda: live.status.state == "live", timeout=15_000)
    wall.refresh()
    assert not wall.stale and wall.banner.isHidden()


def test_restart_with_a_journal_rebuilds_the_floor_and_resumes(qtbot, tmp_path):
    """`command-center --db` a second time: today's journal rebuilds the floor, the stream resumes."""
    now = datetime.now(CHINA).replace(microsecond=0)
    start = max(now - timedelta(hours=1), now.replace(hour=0, minute=0, second=0))
    server = start_in_thread(SimConfig(seed=SEED, speed=5.0, agents=30, start=start,
                                       prerun_hours=(now - start).total_seconds() / 3600, heartbeat_s=0.5))
    db = f"sqlite:///{tmp_path / 'journal.db'}"
    try:
        first = LiveFloor(Inbox())
        bridge = FeedBridge(first.inbox, server.url, "demo-supervisor", db_url=db)
        bridge.start()
        qtbot.waitUntil(lambda: first.status is not None and first.status.state == "live", timeout=15_000)
        qtbot.waitUntil(lambda: first.floor.seq is not None and first.floor.seq >= server.state_at()[0] - 5,
                        timeout=15_000)
        bridge.stop()

        second = LiveFloor(Inbox())
        resumed = FeedBridge(second.inbox, server.url, "demo-supervisor", db_url=db)
        resumed.start()
        qtbot.waitUntil(lambda: second.status is not None and second.status.state == "live", timeout=15_000)
        server.pause()
        seq, state = server.state_at()
        qtbot.waitUntil(lambda: second.floor.seq == seq, timeout=15_000)
        assert set(second.floor.waiting) == {c["call_id"] for c in state["waiting"]}
        assert {k: a.state for k, a in second.floor.agents.items()} == {a["agent_id"]: a["state"] for a in state["agents"]}
        assert second.status.counts.snapshots == 0  # resumed after the journal, no second snapshot
        resumed.stop()
    finally:
        server.stop()

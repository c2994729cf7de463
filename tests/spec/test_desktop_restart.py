"""Restart without loss, for the desktop (issue 8, point 3): a desktop stopped at any moment
(SIGTERM or SIGKILL) and started again on the same journal shows, once live, the same
today figures that ``command-center kpi`` computes for today from that journal; no
invented epoch; what the server still buffers is backfilled, so the journal has no hole.
And a desktop joining mid-day on an empty journal backfills the day and shows the floor
at once (PROTOCOL.md "Session" 3).

The first desktop is the real ``command-center`` process (offscreen); the one whose tiles
are read is built in this process exactly as ``run_desktop`` builds it (``tests.spec.desk``).
VIP's T of 300 s is told only by the server's snapshot.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.spec import desk as d
from tests.spec import harness as h
from tests.spec.oracle import KEYS, RETAIL, VIP, Contact, Day, afternoon, agent_record, at, \
    contact_record, morning
from tests.spec.server_extra import ExtraServer

pytestmark = pytest.mark.qt_log_ignore(d.QT_OFFSCREEN)

NOON = at("12:00:00")
QUEUES = ("vip", "retail")


@dataclass
class Script:
    day: Day
    before: list[tuple[str, dict[str, Any], Any]]  # the morning: in the buffer from the start
    rest: list[tuple[str, dict[str, Any], Any]]  # from noon on, streamed by the test
    waiting_at_noon: list[Contact]
    waiting_at_end: list[Contact]
    end: datetime  # ts of the last event

    def state(self, waiting: list[Contact]) -> dict[str, list[Any]]:
        return {"queues": [VIP, RETAIL], "agents": [agent_record()], "departments": [],
                "waiting": [contact_record(c) for c in waiting]}


def script() -> Script:
    """The VIP morning, one VIP call waiting across noon (answered after 300.5 s: a breach
    only because the snapshot says T=300), an afternoon, two calls still waiting at the end."""
    day = Day()
    morning(day, vip_T=300)
    straddler = day.add("vip", "11:58:00.000", "answered", 300.5, T=300)
    afternoon(day, n=16, vip_T=300)
    late_retail = day.add("retail", "13:20:00.000", None, None)
    late_vip = day.add("vip", "13:27:00.000", None, None, T=300)  # the last event of the script
    rest = day.events(start=NOON)
    assert rest[-1][0] == "call.queued" and rest[-1][1]["contact"]["call_id"] == late_vip.call_id
    return Script(day, day.events(end=NOON), rest, [straddler], [late_retail, late_vip], late_vip.queued_at)


def check_desktop(qtbot: Any, live: Any, db: Path, server: ExtraServer, s: Script) -> dict[str, Any]:
    """Once the journal is whole: the desktop's today figures equal ``kpi`` over the journal
    and the oracle; its floor waits on what the server holds; the journal has no hole."""
    n = server.seq
    d.wait_until(qtbot, h.has_all(db, "E1", list(range(1, n + 1))), "the whole day in the journal")
    cli = h.kpi(db)
    for q in QUEUES:
        assert h.pick(cli["queues"][q], KEYS) == h.pick(d.today_figures(s.day.contacts, s.end, q), KEYS), q
    assert h.pick(cli["total"], KEYS) == h.pick(d.today_figures(s.day.contacts, s.end), KEYS)
    assert cli["queues"]["vip"]["sla_seconds"] == 300  # told by the snapshot only
    assert cli.get("missing_events") == 0, cli.get("missing_events", "<no missing_events key>")
    try:
        d.wait_until(qtbot, d.same_as_cli(live, cli, QUEUES), "the desktop's today figures to equal kpi's")
    except AssertionError:
        assert d.shown(live) == d.computed(cli, QUEUES)  # the difference, figure by figure
        raise
    report = live.kpi.report
    assert report.start == datetime(2026, 11, 20, tzinfo=s.end.tzinfo)
    for q in QUEUES:  # and so the oracle's, on the tiles themselves
        assert h.pick(report.queues[q].to_json(), KEYS) == h.pick(d.today_figures(s.day.contacts, s.end, q), KEYS), q
    assert report.parameters["vip"].sla_seconds == 300
    # the floor shows what the server holds now
    want = {c.call_id for c in s.waiting_at_end}
    d.wait_until(qtbot, lambda: live.floor.seq == n, f"the floor at seq {n}")
    assert set(live.floor.waiting) == want
    d.wait_until(qtbot, lambda: live.waiting.rowCount() == len(want), "the waiting list's rows")
    assert live.status is not None and live.status.state == "live" and live.status.epoch == "E1"
    # no hole, nothing invented
    assert h.event_seqs(db, "E1") == list(range(1, n + 1))
    assert d.missing_events(db) == 0
    assert d.epochs(db) == {"E1"}
    assert all(r is None or r.get("epoch") == "E1" for r in server.subscribes), server.subscribes
    return cli


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_restarted_desktop_resumes_and_shows_todays_figures(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path, sig: int) -> None:
    monkeypatch.setattr("ui.bridge.KPI_EVERY_S", 0.3)  # the tiles' refresh, so the test waits less
    s = script()
    middle, late = s.rest[: len(s.rest) // 2], s.rest[len(s.rest) // 2:]
    db = tmp_path / "j.db"
    with ExtraServer(events=s.before, state=s.state(s.waiting_at_noon), clock=NOON) as server:
        n = server.seq
        with d.DesktopProcess(server.url, db, tmp_path / "home") as first:
            h.wait_for(h.has_all(db, "E1", list(range(1, n + 1))), "the morning journaled by the desktop", 30)
            sent = [server.append(t, e, ts) for t, e, ts in middle[:6]]
            h.wait_for(h.has_all(db, "E1", sent), "the first live events journaled")
            for t, e, ts in middle[6:]:  # still streaming when the signal comes
                server.append(t, e, ts)
            code = first.stop(sig)
        assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 0), first.err
        assert "Traceback" not in first.err, first.err
        # the server keeps producing while no desktop runs; its buffer keeps it all
        server.state["waiting"] = [contact_record(c) for c in s.waiting_at_end]
        for t, e, ts in late:
            server.append(t, e, ts)
        journaled = h.event_seqs(db, "E1")
        last = max(journaled)
        assert journaled == list(range(1, last + 1)), "the first run left a hole"
        assert last < server.seq
        seen = len(server.subscribes)
        with d.desktop(server.url, db) as shell:
            check_desktop(qtbot, shell.live, db, server, s)
            resumed = server.subscribes[seen:]
    # the second run picked up exactly where the journal ends, in the same epoch
    assert resumed and resumed[0] == {"epoch": "E1", "after_seq": last}, resumed
    assert all(r is not None and r["after_seq"] >= last for r in resumed), resumed


def test_desktop_joining_mid_day_backfills_and_shows_the_floor_at_once(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("ui.bridge.KPI_EVERY_S", 0.3)
    s = script()
    db = tmp_path / "j.db"
    with ExtraServer(events=s.before, state=s.state(s.waiting_at_noon), clock=NOON) as server:
        n = server.seq
        server.hold(after_seq=0)  # the backfill waits at the door until the test has looked
        with d.desktop(server.url, db) as shell:
            live = shell.live
            d.wait_until(qtbot, lambda: server.held == 1, "the desktop asking for the day's replay")
            # before any of the day is replayed, the floor shows the snapshot: the current state
            d.wait_until(qtbot, lambda: live.floor.seq == n, "the snapshot on the floor")
            assert set(live.floor.waiting) == {c.call_id for c in s.waiting_at_noon}
            assert live.floor.queues["vip"].sla_seconds == 300
            assert set(live.floor.agents) == {"a-1"}
            d.wait_until(qtbot, lambda: live.waiting.rowCount() == len(s.waiting_at_noon),
                         "the waiting list's rows")
            server.release()
            d.wait_until(qtbot, h.has_all(db, "E1", list(range(1, n + 1))), "the morning backfilled")
            server.state["waiting"] = [contact_record(c) for c in s.waiting_at_end]
            for t, e, ts in s.rest:
                server.append(t, e, ts)
            check_desktop(qtbot, live, db, server, s)
            subscribes = list(server.subscribes)
    # a first connect, then the epoch's whole buffer, once
    assert subscribes == [None, {"epoch": "E1", "after_seq": 0}], subscribes
    snaps = h.snapshots(db)
    assert snaps and all(r[1] == n for r in snaps), "the snapshot is journaled at its own seq"


def test_desktop_killed_in_the_middle_of_its_backfill_restarts_whole(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SIGKILL while the first desktop is still replaying the morning: its journal holds the
    day's first events but not yet the snapshot that opened the backfill (the only place
    VIP's T=300 was told). The restarted desktop still shows kpi's figures, and they are
    the day's true ones: what the snapshot said is not lost with the process."""
    monkeypatch.setattr("ui.bridge.KPI_EVERY_S", 0.3)
    s = script()
    db = tmp_path / "j.db"
    with ExtraServer(events=s.before, state=s.state(s.waiting_at_noon), clock=NOON) as server:
        n = server.seq
        cut = n // 2
        server.cut_replay(cut)  # the backfill stalls after seq `cut`
        with d.DesktopProcess(server.url, db, tmp_path / "home") as first:
            h.wait_for(h.has_all(db, "E1", list(range(1, cut + 1))), "half the morning journaled", 30)
            code = first.stop(signal.SIGKILL)
        assert code == -signal.SIGKILL, first.err
        assert server.subscribes == [None, {"epoch": "E1", "after_seq": 0}], server.subscribes
        assert h.event_seqs(db, "E1") == list(range(1, cut + 1))
        server.state["waiting"] = [contact_record(c) for c in s.waiting_at_end]
        for t, e, ts in s.rest:
            server.append(t, e, ts)
        seen = len(server.subscribes)
        with d.desktop(server.url, db) as shell:
            check_desktop(qtbot, shell.live, db, server, s)
            resumed = server.subscribes[seen:]
    # the journal's position is where it goes on from, in the same epoch; never from scratch
    assert {"epoch": "E1", "after_seq": cut} in resumed, resumed

"""Captured AMI traffic (tests/fixtures/asterisk, SOURCE.md) replayed by a small AMI server
on loopback into the real gateway process, a real recorder and ``kpi --json``.

The captures carry no times; the replay stamps each frame with ``Timestamp:`` (as
``timestampevents = yes`` does) at the script time given here, and the figures below are
worked out by hand from those times. A state that starts at the QueueStatus snapshot
starts at the gateway's own "now" (within a second of script time 0), hence ``approx``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from supervisor.gateway.amiserver import AmiSession
from tests.gateway import transcripts as tx
from tests.gateway.support import AmiThread, gateway, journal, kpi, recorder, stop, types, wait_for

pytestmark = pytest.mark.slow
CST = timezone(timedelta(hours=8))
DAY = datetime(2026, 11, 20, tzinfo=CST)
BASE = datetime(2026, 11, 20, 9, 0, tzinfo=CST).timestamp()


def replay(tmp_path: Path, status: list[dict], events: list[tuple[float | None, dict]], done: str, n: int = 1,
           end: float | None = None, **gw) -> tuple[dict, list[tuple[str, str]]]:
    """Replay, record until ``n`` events of type ``done`` are journaled, and the figures of
    the day up to script time ``end`` (an open state runs to the period's end)."""
    ami = AmiThread([AmiSession(status, events)], base=BASE)
    db = tmp_path / "j.db"
    try:
        with gateway(tmp_path, ami.port, **gw) as (url, _gw), recorder(url, db) as rec:
            wait_for(lambda: types(db).count(done) >= n, f"{n} {done} in the journal")
            code, out, err = stop(rec)
            assert code == 0, err
    finally:
        ami.stop()
    to = DAY + timedelta(days=1) if end is None else datetime.fromtimestamp(BASE + end, CST)
    return kpi(db, DAY, to), journal(db)


def test_cacofonisk_abandon_of_a_caller_never_seen_joining(tmp_path: Path) -> None:
    frames = tx.events(tx.cacofonisk("queue_a_cancel"))
    assert len(frames) == 35
    figures, rows = replay(tmp_path, [], [(30.0, fr) for fr in frames], "call.abandoned")
    q = figures["queues"]["670100-540100"]
    # HoldTime 11: queued at t=19, abandoned at t=30; 11 s >= S=5 so it is not short;
    # T is 900 s (a queue nobody described): within T, no breach
    assert (q["offered"], q["answered"], q["abandoned"], q["short_abandoned"]) == (1, 0, 1, 0)
    assert q["service_level"] == 0.0  # 0 answered within T / (0 + 1)
    assert q["abandonment_rate"] == 1.0  # 1 / (1 - 0)
    assert q["max_wait_seconds"] == 11.0 and q["asa_seconds"] is None and q["sla_breaches"] == 0
    payloads = "".join(p for _, p in rows)
    assert "+31150010001" not in payloads and '"masked":true' in payloads


def test_panoramisk_queue_status_and_an_asterisk_11_unpause(tmp_path: Path) -> None:
    status = tx.status_items(tx.panoramisk("queue_status"))
    wire_events = tx.events(tx.panoramisk("agent_not_in_pause"), {"queuememberstatus", "queuememberpaused"})
    # captured order: QueueMemberStatus x3 (busy, paused), QueueMemberPaused 0, QueueMemberStatus x2 (free)
    times = [60.0, 60.0, 60.0, 120.0, 180.0, 180.0]
    figures, rows = replay(tmp_path, status, list(zip(times, wire_events)), "agent.state", n=4,
                          end=180.0)
    agents = figures["agents"]
    # Agent/999 (Local/id-12@agentcallback): Status 5 + paused in the snapshot -> offline (not reported);
    # t=60 busy and paused in every queue it is in -> break; t=120 unpaused, device in use -> on_call;
    # t=180 free, the period's end: 0 s available
    a = agents["Local/id-12@agentcallback"]
    assert a["state_seconds"] == {"break": 60.0, "on_call": 60.0}
    assert a["occupancy"] == 1.0  # on_call 60 / (on_call 60 + available 0)
    # the five others: available from the snapshot (t~0) to t=180
    others = [k for k in agents if k != "Local/id-12@agentcallback"]
    assert sorted(others) == sorted(["Local/id-9@agentcallback", "Local/id-3@agentcallback",
                                     "Local/id-7@agentcallback", "Local/id-4@agentcallback",
                                     "Local/id-10@agentcallback"])
    for k in others:
        assert agents[k]["state_seconds"] == {"available": pytest.approx(180.0, abs=1.0)}
    assert types(tmp_path / "j.db").count("queue.updated") == 2  # maisonvoyance-tous, xxxxxxxxxxxx-tous


def test_goami2_status_of_six_queues_and_a_pause_with_reason(tmp_path: Path) -> None:
    status = tx.status_items(tx.goami2("getAmiFixtureQueues"))
    assert len(status) == 15
    member_events = tx.events(tx.goami2("getAmiFixtureQueueMembers"))
    times = [10.0, 10.0, 60.0, 600.0, 600.0]  # DeviceStateChange x2, unpause, DeviceStateChange, pause "Break"
    figures, rows = replay(tmp_path, status, list(zip(times, member_events)), "agent.state", end=600.0)
    agents = figures["agents"]
    # 9921 was already available: the unpause says nothing new; paused "Break" at t=600
    # (the period's end): available ~600 s, break 0 s
    a = agents["Local/9921-12@from-queue/n"]
    assert a["state_seconds"] == {"available": pytest.approx(600.0, abs=1.0)}
    last = [r for r in rows if r[0] == "agent.state"][-1]
    assert '"state":"break"' in last[1] and '"reason":"Break"' in last[1]
    # paused in the snapshot (ISupport02_12, Bar_12): break the whole time; the rest available
    for k in ("Local/7855-12@from-queue/n", "Local/7853-12@from-queue/n", "Local/1245-12@from-queue/n"):
        assert agents[k]["state_seconds"] == {"break": pytest.approx(600.0, abs=1.0)}
    for k in ("Local/9170-12@from-queue/n", "Local/8194-12@from-queue/n", "Local/9922-12@from-queue/n",
              "Local/8895-12@from-queue/n", "Local/9068-12@from-queue/n"):
        assert agents[k]["state_seconds"] == {"available": pytest.approx(600.0, abs=1.0)}
        assert agents[k]["occupancy"] == 0.0
    snap = [p for t, p in rows if t == "snapshot" and '"agents":[{' in p][0]
    for q in ("Shipping_12", "Books_12", "Sales_12", "Financing_12", "ISupport02_12", "Bar_12"):
        assert f'"id":"{q}"' in snap

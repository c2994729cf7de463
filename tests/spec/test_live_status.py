"""Live changes the server tells mid-day: a queue's SLA (``queue.updated``) and a relay
that lost its source (heartbeat ``source_ok: false``)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.spec import harness as h
from tests.spec.oracle import KEYS, RETAIL, VIP, Day, afternoon, agent_record, at, figures, morning
from tests.spec.server import SpecServer

STATE = {"queues": [VIP, RETAIL], "agents": [agent_record()], "departments": []}
NOON = at("12:00:00")


def test_queue_updated_mid_day_changes_T_from_its_ts_on(tmp_path: Path) -> None:
    day = Day()
    morning(day, vip_T=300)
    # queued before the change, answered after it: wait 450 s is within the new T of 600
    across = day.add("vip", "11:55:00.000", "answered", 450, T=600)
    # answered exactly at the change's ts: the new values apply ("from its ts on")
    at_change = day.add("vip", "11:52:30.000", "answered", 450, T=600)
    # gone just before the change: still the old T of 300
    before = day.add("vip", "11:50:00.000", "abandoned", 590, T=300)
    late = afternoon(day, n=10, vip_T=600)
    assert at_change.at == NOON and before.at is not None and before.at < NOON < across.at  # type: ignore[operator]
    updated = {"id": "vip", "name": "贵宾专线", "sla_seconds": 600, "warn_seconds": 400}
    day.extra("queue.updated", {"queue": updated}, NOON)  # before the contacts' events at noon
    db = tmp_path / "j.db"
    with SpecServer(events=day.events(end=NOON), state=STATE, clock=NOON) as server:
        with h.Recorder(server.url, db) as rec:
            h.wait_for(h.has_all(db, "E1", list(range(1, server.seq + 1))), "the morning journaled")
            sent = [server.append(t, d, ts) for t, d, ts in day.events(start=NOON)]
            h.wait_for(h.has_all(db, "E1", sent), "the afternoon journaled")
            code = rec.stop()
        assert code == 0, rec.err
        total = server.seq
    assert h.event_seqs(db, "E1") == list(range(1, total + 1))
    update_rows = [r for r in h.rows(db) if r[3] == "queue.updated"]
    assert len(update_rows) == 1 and json.loads(update_rows[0][4])["data"]["queue"] == updated
    report = h.kpi(db)
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(day.contacts, queue=q), q
    assert h.pick(report["total"], KEYS) == figures(day.contacts)
    # the afternoon alone, all measured against 600
    afternoon_report = h.kpi(db, "2026-11-20T12:00:00+08:00", "2026-11-21")
    assert h.pick(afternoon_report["queues"]["vip"], KEYS) == figures(late, queue="vip")


def test_heartbeat_source_lost_keeps_the_recorder_running(tmp_path: Path) -> None:
    day = Day()
    morning(day)
    afternoon(day, n=6)
    db = tmp_path / "j.db"
    with SpecServer(events=day.events(end=NOON), state=STATE, clock=NOON, heartbeat_s=0.2) as server:
        with h.Recorder(server.url, db) as rec:
            h.wait_for(h.has_all(db, "E1", list(range(1, server.seq + 1))), "the morning journaled")
            seen = len(server.subscribes)
            server.set_heartbeats(source_ok=False)
            beats = server.heartbeats_sent
            h.wait_for(lambda: server.heartbeats_sent >= beats + 5, "heartbeats saying the source is lost")
            sent = [server.append(t, d, ts) for t, d, ts in day.events(start=NOON)]
            h.wait_for(h.has_all(db, "E1", sent), "the events after the source came back")
            server.set_heartbeats(source_ok=True)
            assert rec.alive(), "source_ok false is a status, not a reason to stop"
            code = rec.stop()
        assert code == 0, rec.err
        resubscribed = server.subscribes[seen:]
    assert h.event_seqs(db, "E1") == list(range(1, max(sent) + 1))
    # a stale source may make a client reconnect, but only by resuming: nothing is lost
    assert all(r is not None for r in resubscribed), resubscribed
    report = h.kpi(db)
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(day.contacts, queue=q), q

"""A recorder that starts after the morning: backfill from a full buffer, or a snapshot
when the buffer no longer reaches back (PROTOCOL.md "Session" 3; KPI.md "T of a contact")."""

from __future__ import annotations

from pathlib import Path

from tests.spec import harness as h
from tests.spec.oracle import KEYS, RETAIL, VIP, Day, afternoon, agent_record, at, contact_record, \
    figures, morning
from tests.spec.server import SpecServer

DEPARTMENTS = [{"id": "it", "name": "科技部", "members": [{"id": "s-1", "name": "李*"}]}]


def state(waiting: list | None = None) -> dict:  # type: ignore[type-arg]
    return {"queues": [VIP, RETAIL], "agents": [agent_record()], "waiting": waiting or [],
            "cases": [], "escalations": [], "departments": DEPARTMENTS}


def test_vip_day_backfilled_from_a_full_buffer_uses_the_snapshot_sla(tmp_path: Path) -> None:
    day = Day()
    morning(day, vip_T=300)
    db = tmp_path / "j.db"
    with SpecServer(events=day.events(), state=state(), clock=at("12:00:00")) as server:
        n = server.seq
        with h.Recorder(server.url, db) as rec:
            h.wait_for(h.has_all(db, "E1", list(range(1, n + 1))), "the whole morning in the journal")
            h.wait_for(lambda: h.snapshots(db), "the snapshot in the journal")
            assert rec.alive(), rec.proc.stderr
            code = rec.stop()
        assert code == 0, rec.err
        subscribes = list(server.subscribes)
    # backfill: once it knows the epoch, the recorder asks for everything after seq 0, once
    assert subscribes[0] is None
    assert subscribes.count({"epoch": "E1", "after_seq": 0}) == 1, subscribes
    assert sorted(h.event_seqs(db, "E1")) == list(range(1, n + 1))  # every event, once
    snap = h.snapshots(db)
    assert all(r[1] == n for r in snap), "a snapshot's seq is the current seq"
    assert '"贵宾专线"' in snap[0][4] or "\\u8d35" in snap[0][4]

    report = h.kpi(db)
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(day.contacts, queue=q), q
    assert h.pick(report["total"], KEYS) == figures(day.contacts)
    # the case the test is about: vip's T is 300 only because the snapshot said so
    assert report["queues"]["vip"]["answered_within_sla"] == 8
    assert report.get("missing_events") == 0, report.get("missing_events", "<no missing_events key>")


def test_recorder_joining_mid_day_without_buffer_gets_a_snapshot(tmp_path: Path) -> None:
    day = Day()
    morning(day)
    # one vip contact waits across the snapshot: the recorder learns of it only from there
    straddler = day.add("vip", "11:58:00.000", "answered", 300.5, T=300)
    noon = at("12:00:00")
    before = day.events(end=noon)
    later = day.events(start=noon)
    late_contacts = afternoon(day, n=10)
    after = day.events(start=noon)
    assert len(after) > len(later)
    waiting = [contact_record(straddler)]
    db = tmp_path / "j.db"
    with SpecServer(events=before, state=state(waiting), clock=noon) as server:
        k = server.seq - 5
        server.buffer_from = k  # the buffer holds seqs k.. only
        with h.Recorder(server.url, db) as rec:
            h.wait_for(lambda: h.snapshots(db), "the snapshot in the journal")
            sent = [server.append(t, d, ts) for t, d, ts in after]
            h.wait_for(h.has_all(db, "E1", sent), "the afternoon in the journal")
            assert rec.alive(), rec.proc.stderr
            code = rec.stop()
        assert code == 0, rec.err
        subscribes = list(server.subscribes)
    assert subscribes[0] is None, subscribes
    # the buffer could not serve a backfill: the stream starts at the snapshot, whole after it
    assert h.event_seqs(db, "E1") == sent
    assert h.snapshots(db) and all(r[1] == sent[0] - 1 for r in h.snapshots(db))
    report = h.kpi(db, "2026-11-20T12:00:00+08:00", "2026-11-21")
    expected = figures(late_contacts)
    assert h.pick(report["total"], KEYS) == expected
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(late_contacts, queue=q), q

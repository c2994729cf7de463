"""A recorder killed mid-stream and started again on the same journal resumes from its
last journaled seq: no hole, no duplicate, and the day's figures are whole."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.spec import harness as h
from tests.spec.oracle import KEYS, RETAIL, VIP, Day, afternoon, agent_record, at, figures, morning
from tests.spec.server import SpecServer

STATE = {"queues": [VIP, RETAIL], "agents": [agent_record()], "departments": []}


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_restarted_recorder_resumes_from_its_last_seq(tmp_path: Path, sig: int) -> None:
    day = Day()
    morning(day)
    noon = at("12:00:00")
    first = day.events(end=noon)
    afternoon(day, n=16)
    rest = day.events(start=noon)
    middle, late = rest[: len(rest) // 2], rest[len(rest) // 2:]
    db = tmp_path / "j.db"
    with SpecServer(events=first, state=STATE, clock=noon) as server:
        with h.Recorder(server.url, db) as rec:
            h.wait_for(h.has_all(db, "E1", list(range(1, server.seq + 1))), "the morning journaled")
            sent = [server.append(t, d, ts) for t, d, ts in middle[:5]]
            h.wait_for(h.has_all(db, "E1", sent), "the first live events journaled")
            for t, d, ts in middle[5:]:  # still streaming when the signal comes
                server.append(t, d, ts)
            code = rec.stop(sig)
        assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 0), rec.err
        for t, d, ts in late:  # the server keeps producing while nobody records
            server.append(t, d, ts)
        journaled = h.event_seqs(db, "E1")
        last = max(journaled)
        assert journaled == list(range(1, last + 1)), "the first run left a hole"
        seen = len(server.subscribes)
        with h.Recorder(server.url, db) as again:
            h.wait_for(h.has_all(db, "E1", list(range(1, server.seq + 1))), "the rest of the day journaled")
            code = again.stop()
        assert code == 0, again.err
        resumed = server.subscribes[seen:]
        total = server.seq
    # the second run picked up exactly where the journal ends
    assert resumed and resumed[0] == {"epoch": "E1", "after_seq": last}, resumed
    assert h.event_seqs(db, "E1") == list(range(1, total + 1))
    report = h.kpi(db)
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(day.contacts, queue=q), q
    assert h.pick(report["total"], KEYS) == figures(day.contacts)
    assert report.get("missing_events") == 0, report.get("missing_events", "<no missing_events key>")


def test_server_restart_with_a_new_epoch_keeps_both_epochs_whole(tmp_path: Path) -> None:
    day = Day()
    morning(day)
    noon = at("12:00:00")
    first = day.events(end=noon)
    afternoon(day, n=10)
    db = tmp_path / "j.db"
    with SpecServer(events=first, state=STATE, clock=noon) as server:
        n = server.seq
        with h.Recorder(server.url, db) as rec:
            h.wait_for(h.has_all(db, "E1", list(range(1, n + 1))), "the morning journaled")
            seen = len(server.subscribes)
            rest = day.events(start=noon)
            # the platform restarted: a new stream from seq 1, already 6 events in when the
            # recorder comes back, the rest live
            server.restart("E2", events=rest[:6])
            h.wait_for(lambda: len(server.subscribes) > seen, "the recorder coming back")
            sent = list(range(1, 7)) + [server.append(t, d, ts) for t, d, ts in rest[6:]]
            h.wait_for(h.has_all(db, "E2", sent), "the new epoch journaled")
            assert rec.alive()
            code = rec.stop()
        assert code == 0, rec.err
        after = server.subscribes[seen:]
    assert after[0] == {"epoch": "E1", "after_seq": n}, after  # it tried to resume the old stream
    assert {"epoch": "E2", "after_seq": 0} in after, after  # and backfilled the new one's start
    assert h.event_seqs(db, "E1") == list(range(1, n + 1))
    assert h.event_seqs(db, "E2") == sent
    report = h.kpi(db)
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(day.contacts, queue=q), q
    assert report.get("missing_events") == 0, report.get("missing_events", "<no missing_events key>")

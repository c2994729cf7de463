"""A hostile or broken server: the recorder stays up and journals every valid event.

Each test starts a recorder on a morning the server holds in full, does one bad thing,
streams the afternoon live, and compares what is on disk with what the server sent
(PROTOCOL.md: malformed messages are rejected and counted, never fatal; a gap is
answered by a resume, never guessed; unknown types are ignored).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.spec import harness as h
from tests.spec.oracle import KEYS, RETAIL, VIP, Contact, Day, afternoon, agent_record, at, \
    contact_record, figures, morning, wire_time
from tests.spec.server import SpecServer

STATE = {"queues": [VIP, RETAIL], "agents": [agent_record()], "departments": []}
NOON = at("12:00:00")


@dataclass
class Live:
    server: SpecServer
    rec: h.Recorder
    db: Path
    day: Day

    def stream(self, events: list[tuple[str, dict[str, Any], Any]]) -> list[int]:
        return [self.server.append(t, d, ts) for t, d, ts in events]

    def finish(self, skip: set[int] = frozenset()) -> list[int]:  # type: ignore[assignment]
        """Stream the afternoon, wait until every valid event is on disk, stop the recorder
        (exit 0, still alive until then); the valid seqs the server sent."""
        self.stream(self.day.events(start=NOON))
        valid = [m["seq"] for m in self.server.stream() if m["seq"] not in skip]
        h.wait_for(h.has_all(self.db, "E1", valid), "every valid event in the journal")
        assert self.rec.alive(), self.rec.proc.stderr.read() if self.rec.proc.stderr else ""
        code = self.rec.stop()
        assert code == 0, self.rec.err
        assert "Traceback" not in self.rec.err, self.rec.err
        return valid


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    day = Day()
    morning(day)
    first = day.events(end=NOON)
    afternoon(day, n=6)
    db = tmp_path / "j.db"
    with SpecServer(events=first, state=STATE, clock=NOON) as server, h.Recorder(server.url, db) as rec:
        h.wait_for(h.has_all(db, "E1", list(range(1, server.seq + 1))), "the morning journaled")
        yield Live(server, rec, db, day)


def same_figures(db: Path, contacts: list[Contact]) -> dict[str, Any]:
    report = h.kpi(db)
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(contacts, queue=q), q
    return report


def stray(call_id: str = "c-999") -> dict[str, Any]:
    """A contact that is not part of the day: if it counted, the figures would change."""
    return {"contact": contact_record(Contact(call_id, "vip", at("12:01:00")))}


def test_deeply_nested_json_is_rejected_not_fatal(live: Live) -> None:
    frame = "[" * 1000 + "]" * 1000  # 2 KB, 1,000 levels: a recursion bomb for a naive parser
    live.server.send_raw(frame)
    valid = live.finish()
    assert h.event_seqs(live.db, "E1") == valid
    assert h.quarantined(live.db) >= 1
    same_figures(live.db, live.day.contacts)


@pytest.mark.parametrize("seq", [2**63, 2**53], ids=["2**63", "2**53"])
def test_seq_out_of_range_is_rejected(live: Live, seq: int) -> None:
    live.server.send_raw(live.server.envelope("call.queued", stray(), at("12:01:00"), seq))
    valid = live.finish()
    assert h.event_seqs(live.db, "E1") == valid  # not journaled, not taken for a gap
    assert h.quarantined(live.db) >= 1
    same_figures(live.db, live.day.contacts)


def test_duplicate_seq_with_other_content_is_dropped(live: Live) -> None:
    last = live.server.stream()[-1]
    live.server.send_raw(live.server.envelope("call.queued", stray(), last["ts"], last["seq"]))
    valid = live.finish()
    assert h.event_seqs(live.db, "E1") == valid
    payload = [r[4] for r in h.rows(live.db) if r[1] == last["seq"] and r[3] != "snapshot"]
    assert len(payload) == 1 and "c-999" not in payload[0]  # the first one stands
    same_figures(live.db, live.day.contacts)


def test_seq_jump_repeated_after_resume_gets_a_snapshot_and_reports_the_hole(live: Live) -> None:
    server = live.server
    n = server.seq
    jump = 1000
    # a valid event whose seq jumps: the server's stream really has a hole (n+1 .. 999)
    server.append("agent.state", {"agent": agent_record("a-1", "available", NOON)}, NOON, seq=jump)
    resume = {"epoch": "E1", "after_seq": n}
    h.wait_for(lambda: resume in server.subscribes, f"a resume from seq {n}")
    asked = server.subscribes.index(resume)
    h.wait_for(lambda: None in server.subscribes[asked + 1:],
               "a fresh subscribe without resume once the jump came again")
    assert server.subscribes.count(resume) == 1, server.subscribes  # it resumes once, not in a loop
    after = live.stream(live.day.events(start=NOON))
    h.wait_for(h.has_all(live.db, "E1", after), "the events after the hole")
    assert live.rec.alive()
    code = live.rec.stop()
    assert code == 0, live.rec.err
    seqs = h.event_seqs(live.db, "E1")
    assert set(range(1, n + 1)) | set(after) <= set(seqs)
    assert any(r[1] >= jump for r in h.snapshots(live.db)), "the fresh snapshot is journaled"
    missing = jump - n - 1
    report = h.kpi(live.db)
    assert report.get("missing_events") == missing, report.get("missing_events", "<no missing_events key>")
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(live.day.contacts, queue=q), q
    # and the recorder said so on its way out
    line = [s for s in live.rec.out.splitlines() if "missing" in s]
    assert line and re.search(rf"\b{missing}\b", line[-1]), live.rec.out


def test_time_travel_is_an_anomaly_and_asa_never_negative(live: Live) -> None:
    queued, answered = at("12:10:00"), at("11:56:00")  # answered 14 minutes before it queued
    live.stream([
        ("call.queued", {"contact": contact_record(Contact("c-tt", "vip", queued))}, queued),
        ("call.answered", {"call_id": "c-tt", "agent_id": "a-1", "at": wire_time(answered)}, answered),
    ])
    live.finish()
    report = h.kpi(live.db)
    assert h.anomaly_count(report) >= 1, report.get("anomalies", "<no anomalies key>")
    for figs in (*report["queues"].values(), report["total"]):
        assert figs["asa_seconds"] is None or figs["asa_seconds"] >= 0
        assert figs["max_wait_seconds"] is None or figs["max_wait_seconds"] >= 0


def test_heartbeat_from_year_9999_leaves_figures_alone(live: Live) -> None:
    live.server.send_heartbeat(server_time="9999-12-31T23:59:59.999+08:00")
    valid = live.finish()
    assert h.event_seqs(live.db, "E1") == valid
    report = same_figures(live.db, live.day.contacts)
    assert report["total"]["waiting"] == 0


def test_binary_frame_is_rejected_not_fatal(live: Live) -> None:
    live.server.send_raw(b'\x00\xff{"v": 1, "seq": 1}')
    valid = live.finish()
    assert h.event_seqs(live.db, "E1") == valid
    assert h.quarantined(live.db) >= 1


def test_unknown_event_type_is_ignored_and_not_a_gap(live: Live) -> None:
    seen = len(live.server.subscribes)
    odd = live.server.append("call.teleported", {"call_id": "c-1", "to": "mars"}, NOON)
    valid = live.finish(skip={odd})
    assert set(valid) <= set(h.event_seqs(live.db, "E1"))
    assert len(live.server.subscribes) == seen, "an unknown type made the client resubscribe"
    report = same_figures(live.db, live.day.contacts)
    # nothing was lost: an event the client chose to ignore is no hole in the journal
    assert report.get("missing_events") == 0, report.get("missing_events", "<no missing_events key>")


def test_uppercase_wss_url_means_tls(tmp_path: Path) -> None:
    with SpecServer(state=STATE) as server:  # plain ws: a TLS client cannot talk to it
        url = f"WSS://127.0.0.1:{server.port}/v1/events"
        done = subprocess.run(h.command("record", "--url", url, "--token", "T", "--db",
                                        f"sqlite:///{tmp_path / 'j.db'}", "--duration", "30"),
                              capture_output=True, text=True, env=h.ENV, timeout=60)
        subscribes = list(server.subscribes)
    assert subscribes == [], "WSS:// was spoken as plain ws://"
    assert done.returncode == 5, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_unknown_token_is_refused_without_a_tight_loop(tmp_path: Path) -> None:
    with SpecServer(state=STATE) as server:
        done = subprocess.run(h.command("record", "--url", server.url, "--token", "nobody", "--db",
                                        f"sqlite:///{tmp_path / 'j.db'}", "--duration", "30"),
                              capture_output=True, text=True, env=h.ENV, timeout=60)
        refused = server.refused
    assert done.returncode == 3, (done.returncode, done.stderr)
    assert "not authorised" in done.stderr and "Traceback" not in done.stderr
    assert 1 <= refused <= 3

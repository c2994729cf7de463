"""A snapshot too large for one message comes in parts (PROTOCOL.md, ``snapshot``): the same
seq, ``"part": i, "parts": N``; the client applies it once all N parts have arrived and
treats a missing part like a gap.

The server's buffer does not reach back to the epoch's start, so what the clients know of
the morning is the snapshot alone: the six contacts waiting at noon are spread over its
three parts (two each), the four agents too, VIP's record (T=300) is in part 1 and
retail's in part 2. If a part were lost or applied alone, a contact answered in the
afternoon would be unknown to the figures, or VIP's waits measured against 900 s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.spec import desk as d
from tests.spec import harness as h
from tests.spec.oracle import KEYS, RETAIL, VIP, Contact, Day, afternoon, agent_record, at, \
    contact_record, figures
from tests.spec.server_extra import ExtraServer

pytestmark = pytest.mark.qt_log_ignore(d.QT_OFFSCREEN)

NOON = at("12:00:00")
QUEUES = ("vip", "retail")
AGENTS = [agent_record(f"a-{i}") for i in range(1, 5)]


def noon_day() -> tuple[Day, list[Contact]]:
    """Six contacts waiting at noon, all answered or gone by 12:03, then an afternoon."""
    day = Day()
    waiting = [
        day.add("vip", "11:50:00.000", "answered", 700, T=300),  # a breach only with T=300
        day.add("retail", "11:45:00.000", "answered", 950),
        day.add("vip", "11:55:00.000", "answered", 330, T=300),
        day.add("retail", "11:52:00.000", "abandoned", 600),
        day.add("vip", "11:59:00.000", "answered", 200, T=300),
        day.add("retail", "11:58:30.000", "answered", 250),
    ]
    afternoon(day, n=8, vip_T=300)
    return day, waiting


def state(waiting: list[Contact]) -> dict[str, list[Any]]:
    return {"queues": [VIP, RETAIL], "agents": AGENTS, "departments": [],
            "waiting": [contact_record(c) for c in waiting]}


def server_for(day: Day, waiting: list[Contact], where: str, heartbeat_s: float = 1.0) -> ExtraServer:
    """The morning's stream (the six calls queued) that no replay reaches any more."""
    before = day.events(end=NOON)
    return ExtraServer(events=before, state=state(waiting), clock=NOON, snapshot_parts=3,
                       buffer_from=len(before) + 1, heartbeat_s=heartbeat_s,
                       parts_in_envelope=where == "envelope")


# where a part says "part": i, "parts": N (see server_extra): in data, beside the lists,
# as SpecServer sends it; or in the envelope, beside seq
WHERE = pytest.mark.parametrize("where", ["data", "envelope"], ids=["part-in-data", "part-in-envelope"])


@WHERE
def test_parted_snapshot_reaches_the_recorder_whole_and_a_missing_part_resumes(tmp_path: Path, where: str) -> None:
    day, waiting = noon_day()
    rest = day.events(start=NOON)
    db = tmp_path / "j.db"
    with server_for(day, waiting, where) as server:
        n = server.seq
        with h.Recorder(server.url, db) as rec:
            h.wait_for(lambda: len(d.snapshot_parts(db, n)) == 3, "the snapshot's three parts journaled", 10)
            parts = d.snapshot_parts(db, n)
            assert [p for p, _ in parts] == [1, 2, 3]
            assert {c["call_id"] for _, p in parts for c in p["waiting"]} == {c.call_id for c in waiting}
            assert sorted(a["agent_id"] for _, p in parts for a in p["agents"]) == ["a-1", "a-2", "a-3", "a-4"]
            assert all(len(p["waiting"]) == 2 for _, p in parts), "each part holds a share"
            sent = [server.append(t, e, ts) for t, e, ts in rest[:8]]
            h.wait_for(h.has_all(db, "E1", sent), "the first afternoon events journaled")
            seen = len(server.subscribes)
            # a snapshot whose part 2 never comes: parts 1 and 3, then live events
            server.drop_part(2)
            server.send_snapshot()
            broken = server.seq
            h.wait_for(lambda: len(server.subscribes) > seen, "a resume after the missing part")
            sent += [server.append(t, e, ts) for t, e, ts in rest[8:]]
            h.wait_for(h.has_all(db, "E1", sent), "the rest of the afternoon journaled")
            assert rec.alive(), rec.proc.stderr
            code = rec.stop()
        assert code == 0, rec.err
        subscribes = list(server.subscribes)
    assert server.dropped == [broken]
    # a backfill was asked for once and could only be answered with the snapshot again
    assert subscribes[:2] == [None, {"epoch": "E1", "after_seq": 0}], subscribes
    # the missing part is a gap: resume from the last event accepted, in the same epoch
    assert subscribes[2] == {"epoch": "E1", "after_seq": broken}, subscribes
    assert len(subscribes) == 3, subscribes
    assert h.event_seqs(db, "E1") == sent and sent == list(range(n + 1, server.seq + 1))
    assert d.snapshot_parts(db, broken) == [], "an incomplete snapshot is journaled"
    report = h.kpi(db)
    for q in QUEUES:
        assert h.pick(report["queues"][q], KEYS) == figures(day.contacts, queue=q), q
    assert h.pick(report["total"], KEYS) == figures(day.contacts)
    assert report["total"]["waiting"] == 0 and report["total"]["outcome_unknown"] == 0
    assert report.get("missing_events") == 0, report.get("missing_events", "<no missing_events key>")
    assert not any("snapshot" in reason for reason in report.get("anomalies", {})), report["anomalies"]


def _floor_holds_every_part(qtbot: Any, live: Any, server: ExtraServer, waiting: list[Contact]) -> None:
    try:
        d.wait_until(qtbot, lambda: live.floor.seq == server.seq and len(live.floor.waiting) == len(waiting),
                     "the whole snapshot on the floor", timeout=10)
    except AssertionError:
        assert set(live.floor.waiting) == {c.call_id for c in waiting}  # what the floor shows instead
        raise
    assert set(live.floor.waiting) == {c.call_id for c in waiting}
    assert set(live.floor.agents) == {"a-1", "a-2", "a-3", "a-4"}
    assert live.floor.queues["vip"].sla_seconds == 300 and live.floor.queues["retail"].sla_seconds == 900
    d.wait_until(qtbot, lambda: live.waiting.rowCount() == len(waiting), "every waiting contact listed")


def _day_on_the_desktop(qtbot: Any, live: Any, db: Path, server: ExtraServer, day: Day) -> None:
    """Stream the afternoon; the desktop's today figures equal kpi's and the oracle's."""
    n = server.seq
    sent = [server.append(t, e, ts) for t, e, ts in day.events(start=NOON)]
    d.wait_until(qtbot, h.has_all(db, "E1", sent), "the afternoon journaled")
    assert h.event_seqs(db, "E1") == list(range(n + 1, server.seq + 1))
    cli = h.kpi(db)
    for q in QUEUES:
        assert h.pick(cli["queues"][q], KEYS) == figures(day.contacts, queue=q), q
    try:
        d.wait_until(qtbot, d.same_as_cli(live, cli, QUEUES), "the desktop's today figures to equal kpi's")
    except AssertionError:
        assert d.shown(live) == d.computed(cli, QUEUES)
        raise
    assert live.floor.waiting == {}
    assert d.missing_events(db) == 0


@WHERE
def test_parted_snapshot_reaches_the_desktop_whole(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path, where: str) -> None:
    monkeypatch.setattr("ui.bridge.KPI_EVERY_S", 0.3)
    day, waiting = noon_day()
    db = tmp_path / "j.db"
    with server_for(day, waiting, where) as server, d.desktop(server.url, db) as shell:
        _floor_holds_every_part(qtbot, shell.live, server, waiting)
        d.wait_until(qtbot, lambda: len(d.snapshot_parts(db, server.seq)) == 3, "the three parts journaled")
        _day_on_the_desktop(qtbot, shell.live, db, server, day)
        subscribes = list(server.subscribes)
    assert subscribes == [None, {"epoch": "E1", "after_seq": 0}], subscribes


@pytest.mark.parametrize("missing", [2, 3], ids=["part2-then-part3", "part3-then-only-heartbeats"])
def test_desktop_missing_a_snapshot_part_subscribes_again(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path, missing: int) -> None:
    """The first snapshot lacks a part (beside seq, where this client reads it). Part 2 missing shows when part 3 comes; part 3
    missing at a quiet moment shows when the next message, a heartbeat, is not part 3
    (parts are consecutive). Either way the desktop asks again instead of showing a
    floor with a third of the contacts, or none, as if it were live."""
    monkeypatch.setattr("ui.bridge.KPI_EVERY_S", 0.3)
    day, waiting = noon_day()
    db = tmp_path / "j.db"
    with server_for(day, waiting, "envelope", heartbeat_s=0.3) as server:
        server.drop_part(missing)
        with d.desktop(server.url, db) as shell:
            # the default patience: a loaded machine takes seconds to start the feed thread
            d.wait_until(qtbot, lambda: len(server.subscribes) >= 2, "a new subscribe after the missing part")
            _floor_holds_every_part(qtbot, shell.live, server, waiting)
            _day_on_the_desktop(qtbot, shell.live, db, server, day)
            subscribes = list(server.subscribes)
    assert server.dropped == [len(day.events(end=NOON))]
    # nothing to resume from yet: subscribe afresh, then the backfill as usual
    assert subscribes == [None, None, {"epoch": "E1", "after_seq": 0}], subscribes
    parts = h.snapshots(db)
    assert sorted(r[2] for r in parts) == [1, 2, 3], "only the whole snapshot is journaled"

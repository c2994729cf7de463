"""A short synthetic AMI day (supervisor/gateway/synthetic.py: the simulator's own day
rendered as AMI frames; synthetic, not captured) served by the AMI server into the real
gateway process, journaled by a real recorder: ``kpi --json`` gives the offered,
answered and abandoned contacts that the simulator's own events give."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from supervisor import timeutil, wire
from supervisor.gateway.synthetic import synthetic_session
from supervisor.kpi import KpiBuilder
from supervisor.sim.engine import Engine
from tests.gateway.support import AmiThread, gateway, kpi, recorder, stop, types, wait_for

pytestmark = pytest.mark.slow
START = datetime(2026, 11, 23, 9, 0, tzinfo=timeutil.CHINA)  # a Monday morning
HOURS = 1.5


def test_a_synthetic_day_through_gateway_and_recorder_counts_what_the_simulator_said(tmp_path: Path) -> None:
    engine = Engine(11, START, agents=40, hours=HOURS)
    said: Counter[str] = Counter()
    own = KpiBuilder()
    own.feed(wire.decode(wire.encode({"v": 1, "seq": 0, "ts": timeutil.fmt(START), "type": "snapshot",
                                      "data": engine.snapshot()})))

    def tap(events: list[dict]) -> None:
        for e in events:
            said[e["type"]] += 1
            own.feed(wire.decode(wire.encode({"v": 1, "seq": 1, **e})))

    session = synthetic_session(engine, tap=tap)
    ami = AmiThread([session], base=engine.start_ms / 1000)
    db = tmp_path / "j.db"
    try:
        with gateway(tmp_path, ami.port, queues=engine.queues) as (url, _gw), recorder(url, db) as rec:
            wait_for(lambda: ami.server.finished.is_set(), "the AMI server to send the whole day", 120)
            assert said["call.queued"] > 50

            def journaled() -> bool:
                got = Counter(types(db))
                return all(got[t] == said[t] for t in ("call.queued", "call.answered", "call.abandoned",
                                                       "call.ended", "call.transferred"))
            wait_for(journaled, "every call event in the journal", 60)
            code, _out, err = stop(rec)
            assert code == 0, err
    finally:
        ami.stop()
    end = START + timedelta(hours=HOURS)
    figures = kpi(db, START, end)
    expected = own.report(START, end).to_json()
    for key in ("offered", "answered", "abandoned", "short_abandoned", "answered_within_sla", "waiting"):
        assert figures["total"][key] == expected["total"][key], key
    for queue, mine in expected["queues"].items():
        if mine["offered"]:
            theirs = figures["queues"][queue]
            assert (theirs["offered"], theirs["answered"], theirs["abandoned"]) == (
                mine["offered"], mine["answered"], mine["abandoned"]), queue
    assert figures["total"]["asa_seconds"] == expected["total"]["asa_seconds"]

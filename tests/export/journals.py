"""Real journals for the export tests: SQLite files filled the way the recorder fills them.

Events come from the project's own sources (the synthetic simulator engine, the
replay of the anonymous bank data, the scripted day of the KPI tests), wrapped in the
protocol envelope with strictly increasing seq, decoded by the real wire and journaled
with ``Store.append`` exactly as the recorder does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from supervisor import wire
from supervisor.store import Store, journal_row

DUTY_LEAD = {"id": "lead-7", "name": "值班长王", "role": "duty_lead"}


class Journal:
    """Envelopes sim events with seq numbers and appends them to a store in batches."""

    def __init__(self, store: Store, epoch: str = "E-export") -> None:
        self.store = store
        self.epoch = epoch
        self.seq = 0
        self._rows: list[Any] = []
        self.count = 0

    def add(self, type_: str, ts: str, data: dict[str, Any]) -> None:
        self.seq += 1
        text = json.dumps({"v": 1, "seq": self.seq, "ts": ts, "type": type_, "data": data},
                          ensure_ascii=False)
        event = wire.decode(text)
        assert isinstance(event, wire.Event), text
        self._rows.append(journal_row(self.epoch, event, text))
        if len(self._rows) >= 5000:
            self.flush()

    def add_all(self, events: Iterable[dict[str, Any]]) -> None:
        for e in events:
            self.add(e["type"], e["ts"], e["data"])

    def flush(self) -> None:
        if self._rows:
            self.count += self.store.append(self._rows)
            self._rows = []


def write_simulated(url: str, start: datetime, hours: float, *, seed: int = 11, agents: int = 20,
                    reassign_every: float = 6.0) -> int:
    """Journal ``hours`` of the synthetic center from ``start``, with a duty lead reassigning
    an open escalation every ``reassign_every`` simulated hours. Returns events journaled."""
    from supervisor.sim.engine import Engine

    eng = Engine(seed, start, agents=agents, hours=hours)
    with Store(url) as store:
        j = Journal(store)
        j.add("snapshot", eng.ts(), eng.snapshot())
        t = start
        end = start + timedelta(hours=hours)
        step = timedelta(hours=reassign_every)
        n = 0
        while t < end:
            t = min(t + step, end)
            j.add_all(eng.advance(t))
            n += 1
            _reassign_one(eng, j, n)
        j.flush()
        return j.count


def _reassign_one(eng: Any, j: Journal, n: int) -> None:
    snap = eng.snapshot()
    open_ = [e for e in snap["escalations"] if e["status"] != "resolved"]
    if not open_:
        return
    esc = open_[n % len(open_)]
    for dept in snap["departments"]:
        for member in dept["members"]:
            if member["id"] != esc["owner"]["id"]:
                # a reason with a phone number: the Audit sheet must mask it
                outcome = eng.reassign(DUTY_LEAD, esc["escalation_id"], member["id"],
                                       f"客户来电 13912345678 要求转交 #{n}")
                if outcome.ok:
                    j.add_all(outcome.events)
                    return


def write_replayed_day(url: str, path: str, day: str) -> int:
    """Journal one replayed day of the anonymous bank data (supervisor/sim/replay.py)."""
    from supervisor.sim import replay

    source = replay.ReplayDay.from_file(path, day)
    with Store(url) as store:
        j = Journal(store, epoch="E-replay")
        j.add("snapshot", source.stamp(source.start_ms), source.snapshot())
        while not source.finished:
            j.add_all(source.advance_ms(source.now_ms + 3_600_000))
        j.flush()
        return j.count


def write_script(url: str) -> int:
    """The KPI tests' scripted day (tests/kpi/day.py): every edge case of KPI.md in one day."""
    from tests.kpi.day import build_script

    with Store(url) as store:
        return int(build_script().write(store))

"""A morning at the VIP line, journaled as a backfilling recorder journals it, and its
figures computed by hand (plain Fractions, never through the engine).

An independent server defines queue ``vip`` (贵宾专线) with T = 300 s and W = 180 s. The
recorder started at 11:30: it got the snapshot (seq N, the current seq) and backfilled
the epoch from seq 1, so in journal order the morning's events come FIRST and the
snapshot that told the queue records comes LAST (same seq as the last event, part 1).
KPI.md: T of a contact is its queue's T in force at its outcome, as the latest snapshot
or queue.updated before that moment says; PROTOCOL.md: what a snapshot told stays true
for a client that backfills. So every VIP contact of the morning is measured against
300 s, not the protocol's 900 s. Queue ``general`` is in the snapshot without T or W (the
protocol's 900 / 600); queue ``walkin`` is never described at all (900 / 600 too).

The VIP shape is the issue's: answered within T 22 (30 against 900), SLA breaches 10
(1 against 900), service level 0.6111 (0.8333 against 900).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from supervisor import timeutil, wire
from tests.kpi.day import div, rnd, secs
from tests.kpi.script import DAY, at, contact

S = Fraction(5)
WRAP = timedelta(seconds=30)
SNAPSHOT_AT = at("11:30:00")

VIP = {"id": "vip", "name": "贵宾专线", "sla_seconds": 300, "warn_seconds": 180}
GENERAL = {"id": "general", "name": "综合业务"}  # T and W not said: the protocol's 900 / 600
# what the server said, read by hand: T and W per queue (walkin: never described)
TOLD = {"vip": (300, 180, "贵宾专线"), "general": (900, 600, "综合业务"), "walkin": (900, 600, "")}


@dataclass
class Call:
    call_id: str
    queue: str
    queued: datetime
    outcome: str  # answered | abandoned | waiting
    wait: Fraction | None = None  # seconds to the answer or abandon
    talk: int = 0  # seconds

    @property
    def done(self) -> datetime:
        assert self.wait is not None
        return self.queued + timedelta(microseconds=int(self.wait * 1_000_000))

    @property
    def ended(self) -> datetime:
        return self.done + timedelta(seconds=self.talk)


def F(x: str | float) -> Fraction:
    return Fraction(str(x))


def _calls() -> list[Call]:
    calls: list[Call] = []
    vip = (
        # answered within 300 s (22 of them, the last two at T - 1 ms and T exactly)
        [("answered", w) for w in ("0.5", 10, 20, 30, 40, 50, 60, 75, 90, 105, 120, 135, 150, 165, 180,
                                   200, 220, 240, 260, 280, "299.999", 300)]
        # answered after T but within 900 s (8), and one after 900 s
        + [("answered", w) for w in ("300.001", 360, 420, 500, 600, 700, 800, 900, "1000.5")]
        # abandoned (not short): four within T, one beyond; two short abandons
        + [("abandoned", w) for w in (5, 30, 120, 300, 600, 1, "4.999")]
    )
    for i, (outcome, w) in enumerate(vip):
        calls.append(Call(f"v{i:02d}", "vip", at("08:00:00") + timedelta(minutes=4 * i), outcome, F(w),
                          talk=120 + i))
    general = [("answered", 890), ("answered", 900), ("answered", 901), ("abandoned", 950), ("abandoned", 3)]
    for j, (outcome, w) in enumerate(general):
        calls.append(Call(f"g{j}", "general", at("09:00:00") + timedelta(minutes=7 * j), outcome, F(w),
                          talk=200 + j))
    calls.append(Call("g9", "general", at("11:05:00"), "waiting"))  # still waiting at 11:30: 1500 s
    calls.append(Call("w1", "walkin", at("10:00:00"), "answered", F(400), talk=90))
    return calls


CALLS = _calls()


# --------------------------------------------------------------------------- the journal


class Journal:
    """Messages in journal order with their seqs, written with the Store as the recorder does."""

    def __init__(self, epoch: str = "E1") -> None:
        self.epoch = epoch
        self.seq = 0
        self.messages: list[str] = []

    def add(self, type_: str, ts: datetime, data: dict[str, Any], *, seq: int | None = None,
            part: int | None = None, parts: int | None = None) -> None:
        if seq is None:
            self.seq += 1
            seq = self.seq
        msg: dict[str, Any] = {"v": 1, "seq": seq, "ts": timeutil.fmt(ts), "type": type_, "data": data}
        if part is not None:
            msg["part"], msg["parts"] = part, parts
        self.messages.append(json.dumps(msg, ensure_ascii=False))

    def events(self) -> list[wire.Event]:
        out = []
        for text in self.messages:
            event = wire.decode(text)
            assert isinstance(event, wire.Event), text
            out.append(event)
        return out

    def write(self, url: str) -> int:
        from supervisor.store import Store, journal_row

        with Store(url) as store:
            rows = [journal_row(self.epoch, event, text) for event, text in zip(self.events(), self.messages)]
            return int(store.append(rows))


def agent(agent_id: str, state: str, since: datetime, call_id: str | None = None) -> dict[str, Any]:
    return {"agent": {"agent_id": agent_id, "name": f"坐席{agent_id}", "team": "一组", "skills": [],
                      "state": state, "reason": None, "since": timeutil.fmt(since), "call_id": call_id}}


def call_events(calls: list[Call]) -> list[tuple[datetime, int, str, dict[str, Any]]]:
    """The protocol events of these calls, (ts, order, type, data), sorted by time."""
    items: list[tuple[datetime, int, str, dict[str, Any]]] = []

    def add(ts: datetime, type_: str, data: dict[str, Any]) -> None:
        items.append((ts, len(items), type_, data))

    for c in calls:
        add(c.queued, "call.queued", {"contact": contact(c.call_id, c.queue, c.queued)})
        if c.outcome == "answered":
            a = f"a-{c.call_id}"
            add(c.done, "call.answered", {"call_id": c.call_id, "agent_id": a, "at": timeutil.fmt(c.done)})
            add(c.done, "agent.state", agent(a, "on_call", c.done, c.call_id))
            add(c.ended, "call.ended", {"call_id": c.call_id, "agent_id": a, "at": timeutil.fmt(c.ended),
                                        "case_id": None})
            add(c.ended, "agent.state", agent(a, "wrap_up", c.ended, c.call_id))
            add(c.ended + WRAP, "agent.state", agent(a, "available", c.ended + WRAP))
        elif c.outcome == "abandoned":
            add(c.done, "call.abandoned", {"call_id": c.call_id, "at": timeutil.fmt(c.done)})
    items.sort(key=lambda item: (item[0], item[1]))
    return items


def backfilled_journal() -> Journal:
    """The morning's events (seq 1..N), then the snapshot taken at seq N that told the queues."""
    j = Journal()
    for ts, _, type_, data in call_events(CALLS):
        assert ts < SNAPSHOT_AT
        j.add(type_, ts, data)
    waiting = [contact(c.call_id, c.queue, c.queued) for c in CALLS if c.outcome == "waiting"]
    j.add("snapshot", SNAPSHOT_AT, {"queues": [VIP, GENERAL], "agents": [], "waiting": waiting, "cases": [],
                                    "escalations": [], "departments": []}, seq=j.seq, part=1, parts=1)
    return j


# --------------------------------------------------------------------------- the oracle


def expected_queue(calls: list[Call], sla: dict[str, int], formula: str, now: datetime) -> dict[str, Any]:
    """KPI.md's queue figures of these calls (all offered on DAY), each against ``sla[queue]``."""
    answered = [c for c in calls if c.outcome == "answered"]
    gone = [c for c in calls if c.outcome == "abandoned"]
    short = [c for c in gone if c.wait is not None and c.wait < S]
    abandoned = [c for c in gone if c not in short]
    waiting = [c for c in calls if c.outcome == "waiting"]

    def w(c: Call) -> Fraction:
        assert c.wait is not None
        return c.wait

    within = [c for c in answered if w(c) <= sla[c.queue]]
    abandoned_within = [c for c in abandoned if w(c) <= sla[c.queue]]
    breaches = ([c for c in answered + gone if w(c) > sla[c.queue]]
                + [c for c in waiting if secs(now - c.queued) > sla[c.queue]])
    if formula == "abandons_count_against":
        sl = div(len(within), len(answered) + len(abandoned))
    elif formula == "answered_only":
        sl = div(len(within), len(answered))
    else:
        sl = div(len(within) + len(abandoned_within) + len(short), len(calls))
    waits = [w(c) for c in answered + gone]
    handles = [Fraction(c.talk) + secs(WRAP) for c in answered]
    return {
        "offered": len(calls),
        "answered": len(answered),
        "abandoned": len(abandoned),
        "short_abandoned": len(short),
        "waiting": len(waiting),
        "outcome_unknown": 0,
        "answered_within_sla": len(within),
        "service_level": rnd(sl, 4),
        "abandonment_rate": rnd(div(len(abandoned), len(calls) - len(short)), 4),
        "asa_seconds": rnd(div(sum(w(c) for c in answered), len(answered)), 1),
        "max_wait_seconds": rnd(max(waits), 1) if waits else None,
        "aht_seconds": rnd(div(sum(handles), len(handles)), 1),
        "sla_breaches": len(breaches),
        "csat": None,
        "csat_top2_share": None,
    }


def expected(formula: str = "abandons_count_against") -> dict[str, Any]:
    """queues and total of ``kpi --json`` for DAY, each contact against what the server said."""
    sla = {q: t for q, (t, _, _) in TOLD.items()}
    queues = {}
    for q, (t, warn, name) in TOLD.items():
        figures = expected_queue([c for c in CALLS if c.queue == q], sla, formula, SNAPSHOT_AT)
        queues[q] = {"name": name, "sla_seconds": t, "warn_seconds": warn, **figures}
    return {"queues": queues, "total": expected_queue(CALLS, sla, formula, SNAPSHOT_AT)}


START, END = DAY, DAY + timedelta(days=1)

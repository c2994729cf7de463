"""Replay one day of the anonymous bank's real call records as protocol events.

Follows the "Replay mapping" of ../shared/data/anonymous_bank/README.md to the
letter, so any two implementations produce the same events: PHANTOM rows and HANG
rows that never reached a queue are dropped; times are the row's date and clock at
+02:00, a time more than 12 hours before ``vru_entry`` belongs to the next day;
queue = type without spaces; AGENT rows are answered and ended, HANG rows abandoned;
agents log in at their first answer and log off 10 minutes after their last call.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from supervisor.sim import catalog, queues
from supervisor.sim.source import ROLES_THAT_REASSIGN, CommandOutcome, SimEvent, refuse
from supervisor.sim.timebase import MINUTE_MS, Stamp, to_ms

REPLAY_TZ = timezone(timedelta(hours=2))
LOGOFF_AFTER_MS = 10 * MINUTE_MS
_MIDNIGHT_RULE_S = 12 * 3600
_NOT_HAPPENED = "0:00:00"

# The documentation's queue types, named for the center's staff.
QUEUE_NAMES = {
    "PS": "普通业务",
    "PE": "普通业务（英语）",
    "IN": "网银咨询",
    "NE": "证券业务",
    "NW": "潜在客户咨询",
    "TT": "留言回拨",
    "AA": "未归类（AA）",
}

_COLUMNS = (
    "vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry", "vru_exit",
    "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start", "ser_exit", "ser_time", "server",
)


class ReplayError(ValueError):
    """The replay file or date cannot be used; the message says why."""


@dataclass(frozen=True)
class Call:
    """One kept row, with its protocol times in ms."""

    call_id: str
    queue: str
    channel: str
    priority: int
    customer_id: str
    queued_at: int
    outcome: str  # AGENT | HANG
    done_at: int  # answered (AGENT) or abandoned (HANG)
    ended_at: int  # AGENT: answered + ser_time
    agent_id: str


def _clock_s(text: str) -> int:
    h, m, s = text.strip().split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def parse_day(lines: Iterable[str], day: date, source: str = "replay file") -> list[Call]:
    """The calls of one day (rows whose ``date`` is ``day``), ordered by (date, vru_entry)."""
    wanted = day.strftime("%y%m%d")
    midnight = to_ms(datetime(day.year, day.month, day.day, tzinfo=REPLAY_TZ))
    rows: list[tuple[int, int, Call]] = []
    header_seen = False
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line:
            continue
        cols = line.split("\t")
        if not header_seen:
            header_seen = True
            if cols[0] == "vru+line":
                if tuple(c.strip() for c in cols) != _COLUMNS:
                    raise ReplayError(f"{source}: unexpected columns {cols}")
                continue
        if len(cols) != len(_COLUMNS):
            raise ReplayError(f"{source}, line {lineno}: expected {len(_COLUMNS)} tab-separated columns, got {len(cols)}")
        if cols[5].strip() != wanted:
            continue
        outcome = cols[12].strip()
        if outcome == "PHANTOM":
            continue  # documented as a virtual call to be ignored
        q_start = cols[9].strip()
        if outcome == "HANG" and q_start == _NOT_HAPPENED:
            continue  # hung up in the VRU: never offered to a queue
        if outcome not in ("AGENT", "HANG"):
            raise ReplayError(f"{source}, line {lineno}: unknown outcome {outcome!r}")
        try:
            entry = _clock_s(cols[6])

            def at(text: str) -> int:
                t = _clock_s(text)
                if t < entry - _MIDNIGHT_RULE_S:
                    t += 86_400  # the call crossed midnight
                return midnight + t * 1000

            queued_at = at(q_start if q_start != _NOT_HAPPENED else cols[7])
            done_at = queued_at + int(cols[11]) * 1000
            ended_at = done_at + int(cols[15]) * 1000 if outcome == "AGENT" else done_at
            priority = int(cols[3])
        except ValueError as exc:
            raise ReplayError(f"{source}, line {lineno}: cannot read the row ({exc})") from None
        queue = cols[4].replace(" ", "")
        call = Call(
            call_id=f"c-{cols[0].strip()}-{cols[1].strip()}",
            queue=queue,
            channel="callback" if queue == "TT" else "voice",
            priority=priority,
            customer_id=cols[2].strip(),
            queued_at=queued_at,
            outcome=outcome,
            done_at=done_at,
            ended_at=ended_at,
            agent_id=cols[16].strip(),
        )
        rows.append((entry, len(rows), call))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [c for _, _, c in rows]


def day_events(calls: list[Call], stamp: Stamp) -> list[tuple[int, SimEvent]]:
    """Every event of the day as (ms, event), in time order; ties keep row and step order."""
    # Pass 1: the call events, keyed (time, row, step) so the order is fully determined.
    keyed: list[tuple[int, int, int, str, Call]] = []
    for row, c in enumerate(calls):
        keyed.append((c.queued_at, row, 0, "call.queued", c))
        if c.outcome == "AGENT":
            keyed.append((c.done_at, row, 1, "call.answered", c))
            keyed.append((c.ended_at, row, 2, "call.ended", c))
        else:
            keyed.append((c.done_at, row, 1, "call.abandoned", c))
    keyed.sort(key=lambda k: (k[0], k[1], k[2]))

    # Pass 2: agent states follow from the answers and ends in time order.
    out: list[tuple[int, SimEvent]] = []
    active: dict[str, list[str]] = {}  # agent -> calls in progress (NO_SERVER overlaps)
    shown: dict[str, tuple[str, str | None]] = {}
    last_end: dict[str, int] = {}

    def agent_state(t: int, agent_id: str, state: str, call_id: str | None) -> None:
        if shown.get(agent_id) == (state, call_id):
            return
        shown[agent_id] = (state, call_id)
        record: dict[str, Any] = {
            "agent_id": agent_id, "name": agent_id, "team": "", "skills": [], "state": state,
            "reason": None, "since": stamp(t), "call_id": call_id,
        }
        out.append((t, {"type": "agent.state", "ts": stamp(t), "data": {"agent": record}}))

    for t, _, _, kind, c in keyed:
        ts = stamp(t)
        if kind == "call.queued":
            contact = {
                "call_id": c.call_id, "queue": c.queue, "channel": c.channel, "priority": c.priority,
                # the bank data is anonymous: an id, no name or phone; still flagged as masked
                "customer": {"id": c.customer_id, "name": "", "phone": "",
                             "segment": "vip" if c.priority == 2 else "standard", "masked": True},
                "queued_at": ts, "case_id": None,
            }
            out.append((t, {"type": kind, "ts": ts, "data": {"contact": contact}}))
        elif kind == "call.abandoned":
            out.append((t, {"type": kind, "ts": ts, "data": {"call_id": c.call_id, "at": ts}}))
        elif kind == "call.answered":
            if c.agent_id not in shown:
                agent_state(t, c.agent_id, "available", None)  # logs in at the first answer
            out.append((t, {"type": kind, "ts": ts,
                            "data": {"call_id": c.call_id, "agent_id": c.agent_id, "at": ts}}))
            active.setdefault(c.agent_id, []).append(c.call_id)
            agent_state(t, c.agent_id, "on_call", c.call_id)
        else:  # call.ended
            out.append((t, {"type": kind, "ts": ts, "data": {
                "call_id": c.call_id, "agent_id": c.agent_id, "at": ts, "case_id": None}}))
            calls_on = active[c.agent_id]
            calls_on.remove(c.call_id)
            last_end[c.agent_id] = t
            if calls_on:
                agent_state(t, c.agent_id, "on_call", calls_on[-1])
            else:
                agent_state(t, c.agent_id, "available", None)

    # Log-offs: 10 minutes after each agent's last call; merged in after same-time events.
    logoffs: list[tuple[int, SimEvent]] = []
    for agent_id, t_end in sorted(last_end.items(), key=lambda kv: (kv[1], kv[0])):
        t = t_end + LOGOFF_AFTER_MS
        record: dict[str, Any] = {"agent_id": agent_id, "name": agent_id, "team": "", "skills": [], "state": "offline",
                  "reason": None, "since": stamp(t), "call_id": None}
        logoffs.append((t, {"type": "agent.state", "ts": stamp(t), "data": {"agent": record}}))
    return list(heapq.merge(out, logoffs, key=lambda e: e[0]))


class ReplayDay:
    """A source that plays one recorded day; the server drives it like the engine."""

    def __init__(self, calls: list[Call], day: date, hours: float | None = None) -> None:
        self.stamp = Stamp(REPLAY_TZ)
        self.day = day
        self.start_ms = to_ms(datetime(day.year, day.month, day.day, tzinfo=REPLAY_TZ))
        self.now_ms = self.start_ms
        self._events = day_events(calls, self.stamp)
        self._next = 0
        last = self._events[-1][0] if self._events else self.start_ms
        self.end_ms: int | None = last
        if hours is not None:
            self.end_ms = min(last, self.start_ms + int(hours * 3_600_000))
        queue_ids = sorted({c.queue for c in calls})
        self.queues = [
            {"id": q, "name": QUEUE_NAMES.get(q, q), "sla_seconds": catalog.SLA_SECONDS,
             "warn_seconds": catalog.WARN_SECONDS}
            for q in queue_ids
        ]
        self._waiting: dict[str, dict[str, Any]] = {}
        self._agents: dict[str, dict[str, Any]] = {}
        self._customers: dict[str, dict[str, Any]] = {}  # callers so far (anonymous ids)

    @classmethod
    def from_file(cls, path: str | Path, day: date | str, hours: float | None = None) -> ReplayDay:
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day)
            except ValueError:
                raise ReplayError(f"replay date {day!r} is not YYYY-MM-DD") from None
        try:
            with open(path, encoding="utf-8", newline="") as f:
                calls = parse_day(f, day, str(path))
        except OSError as exc:
            raise ReplayError(f"cannot read replay file {path}: {exc.strerror or exc}") from None
        if not calls:
            raise ReplayError(f"replay file {path} has no calls on {day.isoformat()}")
        return cls(calls, day, hours)

    @property
    def finished(self) -> bool:
        return self._next >= len(self._events) or (
            self.end_ms is not None and self.now_ms >= self.end_ms
        )

    @property
    def event_count(self) -> int:
        return len(self._events)

    def advance_ms(self, until_ms: int, max_events: int | None = None) -> list[SimEvent]:
        if self.end_ms is not None and until_ms > self.end_ms:
            until_ms = self.end_ms
        out: list[SimEvent] = []
        events = self._events
        i = self._next
        while i < len(events) and events[i][0] <= until_ms:
            t, ev = events[i]
            i += 1
            self.now_ms = t
            self._apply(ev)
            out.append(ev)
            if max_events is not None and len(out) >= max_events:
                self._next = i
                return out
        self._next = i
        if until_ms > self.now_ms:
            self.now_ms = until_ms
        return out

    def _apply(self, ev: SimEvent) -> None:
        kind, data = ev["type"], ev["data"]
        if kind == "call.queued":
            self._waiting[data["contact"]["call_id"]] = data["contact"]
            customer = data["contact"]["customer"]
            self._customers[customer["id"]] = customer
        elif kind in ("call.answered", "call.abandoned"):
            self._waiting.pop(data["call_id"], None)
        elif kind == "agent.state":
            self._agents[data["agent"]["agent_id"]] = data["agent"]

    def snapshot(self) -> dict[str, Any]:
        return {
            "queues": [dict(q) for q in self.queues],
            "agents": [dict(a, skills=[]) for a in self._agents.values()],
            "waiting": [dict(c, customer=dict(c["customer"])) for c in self._waiting.values()],
            "cases": [],
            "escalations": [],
            "departments": [],
        }

    def set_queue(self, record: dict[str, Any]) -> list[SimEvent]:
        """Add or change a queue record now: its ``queue.updated``, or nothing if unchanged."""
        if not queues.replace(self.queues, record):
            return []
        return [queues.updated_event(self.stamp(self.now_ms), record)]

    def customer_record(self, customer_id: str) -> dict[str, Any] | None:
        """A caller of the day so far: the anonymous data has nothing more to reveal than its id."""
        known = self._customers.get(customer_id)
        return None if known is None else dict(known, masked=False)

    def customer_records(self) -> list[dict[str, Any]]:
        return [dict(c, masked=False) for c in self._customers.values()]

    def case_customer(self, case_id: str) -> str | None:
        return None  # a replayed day has no cases

    def escalation_facts(self, escalation_id: str) -> dict[str, Any] | None:
        return None

    def reassign(self, user: dict[str, Any], escalation_id: str, to_owner: str, reason: str) -> CommandOutcome:
        if user.get("role") not in ROLES_THAT_REASSIGN:
            return refuse("forbidden", f"role {user.get('role')!r} may not reassign escalations; a duty lead may")
        return refuse("not_found", f"no escalation {escalation_id!r} (a replayed day has no escalations)")

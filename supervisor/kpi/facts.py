"""The facts the KPI figures are computed from: one record per contact, agent and escalation.

Facts are built by feeding events (see ``builder.py``) and read by the pure figure
functions. Times are kept as integer microseconds since the Unix epoch, so that every
duration is exact (a wait of exactly T compares equal to T, whatever the offsets) and
period tests are plain integer comparisons, cheap enough to redo every few seconds.

Time travel: events that contradict each other (answered before queued, ended before
answered, wrap-up ended before the call did, an escalation resolved before it was
opened) never give a negative duration. The builder counts each such contradiction
once per contact or escalation in ``KpiBuilder.anomalies``, keeps the times as the
server sent them (each still decides the period its event counts in), and every
duration between two contradicting times is clamped at 0 (``clamp``): which of the two
times is wrong cannot be known, and 0 is the one value that neither invents waiting or
work nor lets a negative term cancel other contacts' time out of a mean or a sum. A
call that ended "before" it was answered has talk 0 and its wrap-up runs from the
answer, so its handle time is never longer than from the answer to the end of wrap-up.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from supervisor import wire

if TYPE_CHECKING:
    from supervisor.kpi.fold import FoldedFacts

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_US = timedelta(microseconds=1)
US_PER_S = 1_000_000

# Outcomes of a contact. UNKNOWN: it was waiting when a snapshot replaced the live state
# and the snapshot no longer listed it, so it left the queue during a gap in the stream
# and nobody can tell whether it was answered or abandoned. It stays offered, and is
# never counted as answered, abandoned or waiting.
WAITING = "waiting"
ANSWERED = "answered"
ABANDONED = "abandoned"
UNKNOWN = "unknown"

# States whose time is reported per agent; "offline" is the absence of a shift.
REPORTED_STATES: tuple[str, ...] = tuple(s for s in wire.AGENT_STATES if s != "offline")
WORK_STATES = frozenset({"on_call", "wrap_up"})
STAFFED_STATES = frozenset({"available", "ringing", "on_call", "wrap_up"})


def to_us(ts: datetime) -> int:
    """An aware datetime as exact integer microseconds since the epoch."""
    return (ts - _EPOCH) // _US


def from_us(us: int, tz: tzinfo) -> datetime:
    """Integer microseconds since the epoch as an aware datetime in ``tz``."""
    return (_EPOCH + timedelta(microseconds=us)).astimezone(tz)


def clamp(us: int) -> int:
    """A duration from two times that contradict each other (the later event says it
    happened first) counts as 0, never as a negative duration (see the module docstring)."""
    return us if us > 0 else 0


def seconds(us: int) -> float:
    """Microseconds as float seconds (correctly rounded: Python's int division)."""
    return us / US_PER_S


@dataclass(slots=True, eq=False)
class ContactFact:
    """Everything known about one contact (call_id), as far as the events told it."""

    call_id: str
    queue: str | None = None  # the current queue; after an answer or abandon, that queue
    first_queue: str | None = None
    channel: str | None = None
    customer: wire.Customer | None = None
    priority: int = 0
    case_id: str | None = None
    queued_us: int | None = None  # first queued_at; None when it was never seen queued
    outcome: str = WAITING
    outcome_us: int | None = None  # answered.at or abandoned.at
    lost_us: int | None = None  # when a snapshot made the outcome unknown
    answered_by: str | None = None
    ended_us: int | None = None
    ended_by: str | None = None
    wrap_end_us: int | None = None  # the answering agent left wrap_up
    transfers: int = 0
    scores: list[int] | None = None

    @property
    def wait_us(self) -> int | None:
        """Answered or abandoned at − queued_at (never negative); None while unknown."""
        if self.outcome_us is None or self.queued_us is None:
            return None
        return clamp(self.outcome_us - self.queued_us)

    @property
    def talk_us(self) -> int | None:
        """call.ended at − call.answered at (never negative); None until both are known."""
        if self.outcome != ANSWERED or self.outcome_us is None or self.ended_us is None:
            return None
        return clamp(self.ended_us - self.outcome_us)

    @property
    def wrap_up_us(self) -> int | None:
        """End of wrap-up − call.ended at (never negative; an end "before" the answer
        counts as at the answer); None until both are known."""
        if self.ended_us is None or self.wrap_end_us is None:
            return None
        start = self.ended_us
        if self.outcome_us is not None and self.outcome_us > start:
            start = self.outcome_us
        return clamp(self.wrap_end_us - start)

    @property
    def handle_us(self) -> int | None:
        """Talk + wrap-up; None until the answer, the end and the end of wrap-up are known."""
        talk = self.talk_us
        if talk is None or self.wrap_end_us is None:
            return None
        return talk + self.wrap_up_us  # type: ignore[operator]

    @property
    def agent_id(self) -> str | None:
        """The agent whose call this is: who answered it, else who ended it."""
        return self.answered_by or self.ended_by


class StateTimeline:
    """Closed state intervals of one agent, in time order, with running totals per state.

    Time in a state over any period is two bisects and two clipped edge intervals,
    however long the history: the totals of the whole intervals in between come from
    prefix sums (``cum[state][i]`` = time in ``state`` over intervals ``0..i-1``).
    """

    __slots__ = ("starts", "ends", "states", "cum")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.states: list[str] = []
        self.cum: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.states)

    def append(self, state: str, start_us: int, end_us: int) -> None:
        """Close an interval; it must not start before the previous one ended."""
        n = len(self.states)
        cum = self.cum
        if state not in cum:
            cum[state] = [0] * (n + 1)
        duration = end_us - start_us
        for name, totals in cum.items():
            totals.append(totals[-1] + duration if name == state else totals[-1])
        self.starts.append(start_us)
        self.ends.append(end_us)
        self.states.append(state)

    def drop_first(self, k: int) -> None:
        """Forget the first ``k`` intervals (folded elsewhere); the rest keep their totals."""
        if k <= 0:
            return
        starts, ends, states = self.starts[k:], self.ends[k:], self.states[k:]
        self.starts, self.ends, self.states, self.cum = [], [], [], {}
        for state, start_us, end_us in zip(states, starts, ends):
            self.append(state, start_us, end_us)

    def spent(self, start_us: int, end_us: int) -> dict[str, int]:
        """Microseconds in each state within [start, end) (states with none left out)."""
        lo = bisect_right(self.ends, start_us)  # first interval ending after the start
        hi = bisect_left(self.starts, end_us)  # first interval starting at or after the end
        out: dict[str, int] = {}
        if hi <= lo:
            return out
        states, starts, ends = self.states, self.starts, self.ends
        for i in {lo, hi - 1}:  # the edges, clipped
            t0 = starts[i] if starts[i] > start_us else start_us
            t1 = ends[i] if ends[i] < end_us else end_us
            if t1 > t0:
                out[states[i]] = out.get(states[i], 0) + t1 - t0
        if hi - lo > 2:  # whole intervals lo+1 .. hi-2
            for name, totals in self.cum.items():
                inner = totals[hi - 1] - totals[lo + 1]
                if inner:
                    out[name] = out.get(name, 0) + inner
        return out


@dataclass(slots=True, eq=False)
class AgentFact:
    """One agent: the latest record, the closed state timeline, and the open state."""

    agent_id: str
    name: str = ""
    team: str = ""
    state: str | None = None  # None: unknown (never seen, or dropped by a snapshot)
    since_us: int = 0
    call_id: str | None = None
    timeline: StateTimeline = field(default_factory=StateTimeline)
    pending_wrap: list[ContactFact] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class EscalationFact:
    """One escalation: its latest record plus when it was resolved."""

    escalation_id: str
    case_id: str = ""
    department: str = ""
    owner: wire.Person | None = None
    severity: str = "normal"
    status: str = "open"
    summary: str = ""
    opened_us: int | None = None
    due_us: int | None = None
    resolved_us: int | None = None
    resolved_exact: bool = False  # from an escalation.resolved event, not inferred
    resolution: str = ""
    reassignments: int = 0


@dataclass(frozen=True, slots=True)
class ReassignmentFact:
    """One ``escalation.reassigned``: who moved it, from whom, to whom, why, when."""

    escalation_id: str
    at_us: int
    by: wire.Person
    from_owner: wire.Person
    to_owner: wire.Person
    reason: str


class QueueHistory:
    """The records of one queue, each with the time it took effect, in time order.

    A snapshot's queue records take effect at the snapshot's ``ts``, a ``queue.updated``
    at its ``ts`` (PROTOCOL.md: contacts answered or abandoned from that ts on are
    measured against the new values). The list stays short: a record equal to the one
    already in force at its time is not kept again (every snapshot restates every queue).

    Which record is in force at a moment t (``index_at``): the latest one that took
    effect at or before t. Before the queue's FIRST known record, that first record is
    in force too. A recorder that backfills journals the morning's events before the
    snapshot that told it the queue records (the snapshot's ts is later than those
    events), and PROTOCOL.md says what a snapshot told stays true for a client that
    backfills: the server did say what the queue's T and W are, so they are not
    replaced by the protocol's defaults. Only a queue of which no record exists at all
    is measured against the defaults (900 s and 600 s).
    """

    __slots__ = ("starts", "records", "sla_us")

    def __init__(self) -> None:
        self.starts: list[int] = []  # when each record took effect (µs), ascending
        self.records: list[wire.Queue] = []
        self.sla_us: list[int] = []  # T of each record in µs

    def __len__(self) -> int:
        return len(self.records)

    def add(self, at_us: int, record: wire.Queue) -> bool:
        """Record that ``record`` took effect at ``at_us``; False when it changes nothing.

        Records of the same moment keep the order they were fed in (the later one wins).
        """
        i = bisect_right(self.starts, at_us)
        if self.records and self.records[i - 1 if i else 0] == record:
            return False
        self.starts.insert(i, at_us)
        self.records.insert(i, record)
        self.sla_us.insert(i, round(record.sla_seconds * US_PER_S))
        return True

    def index_at(self, t_us: int) -> int:
        """Index of the record in force at ``t_us`` (the first record before any took effect)."""
        i = bisect_right(self.starts, t_us) - 1
        return i if i > 0 else 0

    def at(self, t_us: int) -> wire.Queue:
        """The record in force at ``t_us`` (the history must not be empty)."""
        return self.records[self.index_at(t_us)]

    def sla_at(self, t_us: int) -> int:
        """T in µs in force at ``t_us`` (the history must not be empty)."""
        sla = self.sla_us
        if len(sla) == 1:
            return sla[0]
        return sla[self.index_at(t_us)]

    @property
    def latest(self) -> wire.Queue:
        """The record that took effect last (the history must not be empty)."""
        return self.records[-1]


DEFAULT_SLA_US = round(wire.DEFAULT_SLA_SECONDS * US_PER_S)


@dataclass(slots=True, eq=False)
class KpiFacts:
    """All facts of a journal or a live session, as the figure functions read them."""

    contacts: dict[str, ContactFact] = field(default_factory=dict)
    agents: dict[str, AgentFact] = field(default_factory=dict)
    escalations: dict[str, EscalationFact] = field(default_factory=dict)
    reassignments: list[ReassignmentFact] = field(default_factory=list)
    # the latest record per queue (the one that took effect last): its name, T and W now
    queues: dict[str, wire.Queue] = field(default_factory=dict)
    # every record per queue with the time it took effect: T and W of a contact (KPI.md)
    queue_history: dict[str, QueueHistory] = field(default_factory=dict)
    queue_order: dict[str, None] = field(default_factory=dict)  # every queue id seen, first-seen order
    center_tz: tzinfo | None = None  # the offset of the first event fed
    last_us: int | None = None  # the latest server time seen (ts, or hello/heartbeat server_time)
    # the aggregates of settled facts folded away (``fold.py``); None: folding is off
    folded: FoldedFacts | None = None

    def add_queue_record(self, at_us: int, record: wire.Queue) -> None:
        """A queue record the server told, in effect from ``at_us`` (see ``QueueHistory``)."""
        history = self.queue_history.get(record.id)
        if history is None:
            history = self.queue_history[record.id] = QueueHistory()
        sla_before = history.sla_at(at_us) if history else DEFAULT_SLA_US
        first_start = history.starts[0] if history else None
        if history.add(at_us, record) and self.folded is not None:
            self.folded.queue_record_added(
                record.id, at_us, history.sla_at(at_us), sla_before, first_start
            )
        self.queues[record.id] = history.latest

    def queue_at(self, queue: str, t_us: int) -> wire.Queue | None:
        """The record of ``queue`` in force at ``t_us``; None when the server never told one."""
        history = self.queue_history.get(queue)
        return history.at(t_us) if history else None

    def sla_us_at(self, queue: str | None, t_us: int) -> int:
        """T of ``queue`` in µs in force at ``t_us`` (900 s when the server never told it)."""
        history = self.queue_history.get(queue) if queue is not None else None
        return history.sla_at(t_us) if history else DEFAULT_SLA_US

    def sla_us_of(self, c: ContactFact, now_us: int) -> int:
        """T of a contact (KPI.md): that of its final queue in force when it was answered
        or abandoned, or at ``now_us`` while it waits (or its outcome is unknown)."""
        t_us = c.outcome_us if c.outcome_us is not None and c.outcome in (ANSWERED, ABANDONED) else now_us
        return self.sla_us_at(c.queue, t_us)

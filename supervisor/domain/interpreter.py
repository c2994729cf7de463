"""``Interpreter``: protocol events in (journal order), the domain's facts out.

The one place where an event's meaning is decided (ARCHITECTURE.md, "One meaning per
event"): the live floor, the KPI engine and the case file each map these facts to their
own state and never read an event's semantics themselves. It holds only what deciding
needs: which contacts wait, which were answered (by whom) or abandoned, each agent's
current state and since, each escalation's status. No Qt, no I/O, no clock.

The rules, each written once (PROTOCOL.md, KPI.md):

Contacts
- ``call.queued`` for a new contact: it waits and is offered (``ContactQueued``, first).
  For a contact already waiting: the record is restated (an anomaly when its queueing
  was already known). For one lost by a snapshot: it waits again. For one known only
  from a transfer or an end: its queueing is now known (first). Its ``queued_at`` is
  always the earliest one told: a restated record never restarts the wait clock.
- ``call.queued`` after the contact's answer or abandon: when its queueing was never
  seen it tells when and where it was queued (``ContactQueuedLate``, an anomaly), it
  does not wait; otherwise it is a duplicate life and ignored (the first counts).
- ``call.transferred``: the contact waits in another queue, its wait still runs from
  the original ``queued_at``. For an unknown contact: it waits there with no record
  (anomaly). After its answer or abandon: ignored (anomaly): a contact's queue is the one
  it was in when answered or abandoned.
- ``call.answered`` / ``call.abandoned``: the contact leaves the queue, once. A second
  outcome is ignored (anomaly "... already answered|abandoned"); one for an unknown
  contact is applied as far as it can be (anomaly). ``wait`` = outcome − queued_at.
- ``call.ended``: once per contact (a second is an anomaly and ignored); for a contact
  never answered or unknown it still counts (anomaly). ``talk`` = end − answer. A call
  an agent is on in a snapshot is known from that agent: its end is no anomaly.
- Wrap-up ends at the answering agent's next change to a state other than
  ``wrap_up`` (``WrapUpEnded``); if the agent had already moved on when the call ended,
  it ends at once. An agent absent from a snapshot never ends its pending wrap-ups.
- A snapshot replaces the live state (``SnapshotReplaced``, then what it says): the
  contacts it lists as waiting wait (one it lists that was already answered or
  abandoned is an anomaly and stays as it was); contacts waiting before it and absent
  from it are ``ContactLost`` (outcome unknown, still offered). A snapshot in parts is
  applied once all parts with the same seq arrived; one left incomplete never is
  (anomaly).

Agents
- ``agent.state`` closes the previous state's interval (``AgentStateChanged``: previous,
  start, end). Time never runs backwards: a ``since`` before the previous one is taken as
  the previous one (an anomaly when the state or call differs).
- An agent absent from a snapshot: its state is closed at the snapshot and unknown
  from then on (``AgentUnknown``).

Queues
- A queue record from a snapshot or ``queue.updated`` is in force from that event's ts
  (``QueueDefined``).

Escalations
- ``escalation.opened``/``updated`` carry the full record. A record saying "resolved"
  when no resolution is known gives a resolution at the event's ts (not for a
  snapshot's record: it only says resolved at some earlier time); a later
  ``escalation.resolved`` gives the exact time. A resolved escalation whose record is
  no longer resolved is reopened (anomaly). ``escalation.resolved`` counts once (a second
  is an anomaly and ignored). Reassigned or resolved for an unknown escalation: applied
  as far as it can be (anomaly). A snapshot never forgets an escalation it omits.

Time travel
- Times that contradict each other (an outcome before the queueing, an end before the
  answer, wrap-up ended before the end, resolved before opened) are an anomaly once per
  contact or escalation; every duration between them is 0, never negative. The times
  stay as the server sent them (each decides the period its event counts in).

Unknown event types and ``command.result`` mean nothing here; ``hello`` and
``heartbeat`` tell the server's clock (``ServerTime``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec

from supervisor import wire
from supervisor.domain.facts import (
    AgentStateChanged,
    AgentUnknown,
    Anomaly,
    CaseChanged,
    ContactAbandoned,
    ContactAnswered,
    ContactEnded,
    ContactLost,
    ContactQueued,
    ContactQueuedLate,
    ContactTransferred,
    EscalationOpened,
    EscalationReassigned,
    EscalationReopened,
    EscalationResolved,
    EscalationUpdated,
    Fact,
    QueueDefined,
    ServerTime,
    SnapshotReplaced,
    SurveyCompleted,
    WrapUpEnded,
)

# Outcomes of a contact (the KPI engine's words: see supervisor.kpi.facts).
WAITING = "waiting"
ANSWERED = "answered"
ABANDONED = "abandoned"
UNKNOWN = "unknown"

# time travel already reported for a contact (bits of _Call.contradicted)
_OUTCOME_BEFORE_QUEUED = 1
_ENDED_BEFORE_ANSWERED = 2
_WRAP_BEFORE_ENDED = 4

Facts = Sequence[Fact]
_NONE: tuple[Fact, ...] = ()


def seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    """``end − start`` in seconds, never negative (time travel counts as 0); None when
    either is unknown. Every duration shown from two server times goes through this."""
    if start is None or end is None:
        return None
    s = (end - start).total_seconds()
    return s if s > 0 else 0.0


class _Call(msgspec.Struct, gc=False):
    """What deciding needs of one contact. Untracked by the garbage collector (it refers
    to strings and datetimes only): a day holds ~100,000 of them, and tracked objects
    would make every full collection walk them all."""

    call_id: str
    queue: str | None
    queued_at: datetime | None
    outcome: str = WAITING
    outcome_at: datetime | None = None
    agent: str | None = None  # who answered it
    ended_at: datetime | None = None
    contradicted: int = 0


class _Agent:
    __slots__ = ("state", "since", "call_id", "pending")

    def __init__(self) -> None:
        self.state: str | None = None
        self.since: datetime | None = None
        self.call_id: str | None = None
        self.pending: list[_Call] = []  # calls ended, wrap-up not yet ended


class _Escalation:
    __slots__ = ("status", "opened_at", "resolved_at", "exact", "contradicted")

    def __init__(self) -> None:
        self.status = "open"
        self.opened_at: datetime | None = None
        self.resolved_at: datetime | None = None  # None: no resolution time known
        self.exact = False
        self.contradicted = False


class Interpreter:
    """Feed events in journal order; each ``feed`` returns the facts that event means."""

    def __init__(self) -> None:
        self._calls: dict[str, _Call] = {}
        self._waiting: set[str] = set()
        self._agents: dict[str, _Agent] = {}
        self._escalations: dict[str, _Escalation] = {}
        # the parts of a snapshot sent in parts: ((seq, parts), {part: event})
        self._parts: tuple[tuple[int, int], dict[int, wire.Snapshot]] | None = None
        self._handlers: dict[type, Callable[[Any], Facts]] = {
            wire.CallQueued: self._queued,
            wire.CallTransferred: self._transferred,
            wire.CallAnswered: self._answered,
            wire.CallAbandoned: self._abandoned,
            wire.CallEnded: self._ended,
            wire.AgentStateChanged: self._agent_state,
            wire.Snapshot: self._snapshot_part,
            wire.QueueUpdated: self._queue_updated,
            wire.CaseOpened: self._case_opened,
            wire.CaseUpdated: self._case_updated,
            wire.EscalationOpened: self._escalation_opened,
            wire.EscalationUpdated: self._escalation_updated,
            wire.EscalationReassigned: self._reassigned,
            wire.EscalationResolved: self._resolved,
            wire.SurveyCompleted: self._survey,
            wire.Heartbeat: self._clock,
            wire.Hello: self._clock,
        }

    # ------------------------------------------------------------------ feeding

    def feed(self, event: wire.Event | wire.UnknownEvent) -> Facts:
        """The facts one event means (often one; none for unknown types and command results)."""
        handler = self._handlers.get(type(event))
        return handler(event) if handler is not None else _NONE

    @property
    def handlers(self) -> Mapping[type, Callable[[Any], Facts]]:
        """``feed`` without its call: event type -> function(event) -> facts (absent: no facts).
        For hot loops (the KPI engine feeding a month of journal)."""
        return self._handlers

    def feed_many(self, events: Iterable[wire.Event | wire.UnknownEvent]) -> list[Fact]:
        """Every fact of these events, in order."""
        out: list[Fact] = []
        feed = self.feed
        for event in events:
            out.extend(feed(event))
        return out

    # ------------------------------------------------------------------ queries

    @property
    def waiting(self) -> frozenset[str]:
        """The call ids waiting now."""
        return frozenset(self._waiting)

    def outcome(self, call_id: str) -> str | None:
        """waiting | answered | abandoned | unknown; None for a contact never seen (or forgotten)."""
        c = self._calls.get(call_id)
        return c.outcome if c is not None else None

    def agent_state(self, agent_id: str) -> tuple[str | None, datetime | None]:
        """(state, since) of an agent; (None, …) when unknown."""
        a = self._agents.get(agent_id)
        return (a.state, a.since) if a is not None else (None, None)

    def escalation_status(self, escalation_id: str) -> str | None:
        e = self._escalations.get(escalation_id)
        return e.status if e is not None else None

    # ------------------------------------------------------------------ forgetting

    def forget(self, before: datetime, *, talking_before: datetime | None = None) -> int:
        """Forget what no later event can change the meaning of, so memory stays bounded.

        Drops contacts abandoned, or answered and ended, with every time before
        ``before`` (and, given ``talking_before``, those answered before it whose end never
        came), and escalations resolved before ``before``. Waiting contacts, contacts of
        unknown outcome and agents stay. A later event about a forgotten id is about an
        unknown one. Returns how many went.
        """
        gone = [cid for cid, c in self._calls.items() if _settled_before(c, before, talking_before)]
        for cid in gone:
            del self._calls[cid]
        escs = [eid for eid, e in self._escalations.items()
                if e.status == "resolved" and e.resolved_at is not None and e.resolved_at < before]
        for eid in escs:
            del self._escalations[eid]
        return len(gone) + len(escs)

    # ------------------------------------------------------------------ contacts

    def _check_times(self, c: _Call, out: list[Fact]) -> None:
        """Report time travel among the contact's times, once per kind."""
        q, o, e = c.queued_at, c.outcome_at, c.ended_at
        if (o is not None and q is not None and o < q and not c.contradicted & _OUTCOME_BEFORE_QUEUED
                and c.outcome in (ANSWERED, ABANDONED)):
            c.contradicted |= _OUTCOME_BEFORE_QUEUED
            out.append(Anomaly(f"call.{c.outcome} before the contact was queued", c.call_id))
        if (e is not None and o is not None and e < o and c.outcome == ANSWERED
                and not c.contradicted & _ENDED_BEFORE_ANSWERED):
            c.contradicted |= _ENDED_BEFORE_ANSWERED
            out.append(Anomaly("call.ended before the call was answered", c.call_id))

    def _establish(self, c: _Call, contact: wire.Contact, out: list[Fact]) -> wire.Contact:
        """Take a full contact record; returns it with the earliest ``queued_at`` known."""
        queued_at = contact.queued_at
        if c.queued_at is None or queued_at < c.queued_at:
            c.queued_at = queued_at
            if c.outcome_at is not None:
                self._check_times(c, out)
        elif queued_at != c.queued_at:
            contact = msgspec.structs.replace(contact, queued_at=c.queued_at)
        c.queue = contact.queue
        return contact

    def _queued(self, event: wire.CallQueued) -> Facts:
        contact = event.data.contact
        call_id = contact.call_id
        c = self._calls.get(call_id)
        if c is None:
            self._calls[call_id] = _Call(call_id, contact.queue, contact.queued_at)
            self._waiting.add(call_id)
            return (ContactQueued(contact, True),)
        out: list[Fact] = []
        if c.outcome == ANSWERED or c.outcome == ABANDONED:
            if c.queued_at is not None:
                return (Anomaly("call.queued for a contact already answered or abandoned", call_id),)
            out.append(Anomaly("call.queued after the contact's outcome", call_id))
            out.append(ContactQueuedLate(self._establish(c, contact, out)))
            return out
        first = c.queued_at is None
        if not first and c.outcome == WAITING:
            out.append(Anomaly("call.queued for a contact already waiting", call_id))
        c.outcome = WAITING
        self._waiting.add(call_id)
        out.append(ContactQueued(self._establish(c, contact, out), first))
        return out

    def _transferred(self, event: wire.CallTransferred) -> Facts:
        d = event.data
        c = self._calls.get(d.call_id)
        if c is None:
            self._calls[d.call_id] = _Call(d.call_id, d.queue, None)
            self._waiting.add(d.call_id)
            return (Anomaly("call.transferred for an unknown contact", d.call_id),
                    ContactTransferred(d.call_id, None, d.queue, d.at, False))
        if c.outcome == ANSWERED or c.outcome == ABANDONED:
            return (Anomaly("call.transferred after the contact left the queue", d.call_id),)
        old, c.queue = c.queue, d.queue
        return (ContactTransferred(d.call_id, old, d.queue, d.at, True),)

    def _outcome(self, call_id: str, outcome: str, at: datetime) -> tuple[_Call | None, list[Fact] | None]:
        """The contact leaving the queue; (None, anomalies) when it already had."""
        c = self._calls.get(call_id)
        out: list[Fact] | None = None
        if c is None:
            out = [Anomaly(f"call.{outcome} for an unknown contact", call_id)]
            c = self._calls[call_id] = _Call(call_id, None, None)
        elif c.outcome == ANSWERED or c.outcome == ABANDONED:
            return None, [Anomaly(f"call.{outcome} for a contact already {c.outcome}", call_id)]
        c.outcome = outcome
        c.outcome_at = at
        self._waiting.discard(call_id)
        q = c.queued_at
        if (q is not None and at < q) or c.ended_at is not None:
            if out is None:
                out = []
            self._check_times(c, out)
        return c, out

    def _answered(self, event: wire.CallAnswered) -> Facts:
        d = event.data
        c, out = self._outcome(d.call_id, ANSWERED, d.at)
        if c is None:
            return out or _NONE
        c.agent = d.agent_id
        fact = ContactAnswered(d.call_id, d.agent_id, d.at, c.queue, c.queued_at,
                               seconds_between(c.queued_at, d.at), c.ended_at is None)
        if out is None:
            return (fact,)
        out.append(fact)
        return out

    def _abandoned(self, event: wire.CallAbandoned) -> Facts:
        d = event.data
        c, out = self._outcome(d.call_id, ABANDONED, d.at)
        if c is None:
            return out or _NONE
        fact = ContactAbandoned(d.call_id, d.at, c.queue, c.queued_at, seconds_between(c.queued_at, d.at))
        if out is None:
            return (fact,)
        out.append(fact)
        return out

    def _ended(self, event: wire.CallEnded) -> Facts:
        d = event.data
        call_id, at = d.call_id, d.at
        c = self._calls.get(call_id)
        out: list[Fact] = []
        if c is None:
            out.append(Anomaly("call.ended for an unknown contact", call_id))
            c = self._calls[call_id] = _Call(call_id, None, None)
        elif c.outcome != ANSWERED:
            out.append(Anomaly("call.ended for a contact never answered", call_id))
        if c.ended_at is not None:
            out.append(Anomaly("call.ended twice", call_id))
            return out
        c.ended_at = at
        answered_at = c.outcome_at if c.outcome == ANSWERED else None
        if answered_at is not None and at < answered_at:
            self._check_times(c, out)
        agent_id = c.agent or d.agent_id
        a = self._agents.get(agent_id)
        if a is None:
            a = self._agents[agent_id] = _Agent()
        state = a.state
        pending = state is None or state == "wrap_up" or (state == "on_call" and a.call_id in (None, call_id))
        out.append(ContactEnded(call_id, d.agent_id, at, d.case_id, c.agent,
                                seconds_between(answered_at, at) if answered_at is not None else None,
                                pending))
        if pending:
            a.pending.append(c)  # wrap-up ends at the agent's next change away from wrap_up
        else:
            # the agent had already moved on when the end arrived: no wrap-up after it
            since = a.since
            assert since is not None  # a known state has a since
            if since < at:
                self._wrap_before_end(c, out)
            out.append(WrapUpEnded(call_id, agent_id, since if since > at else at))
        return out

    def _wrap_before_end(self, c: _Call, out: list[Fact]) -> None:
        if not c.contradicted & _WRAP_BEFORE_ENDED:
            c.contradicted |= _WRAP_BEFORE_ENDED
            out.append(Anomaly("wrap-up ended before the call ended", c.call_id))

    def _survey(self, event: wire.SurveyCompleted) -> Facts:
        d = event.data
        fact = SurveyCompleted(d.call_id, d.case_id, d.score, d.at, d.call_id in self._calls)
        if fact.known:
            return (fact,)
        # a survey can only be attributed through its contact
        return (Anomaly("survey.completed for an unknown contact", d.call_id), fact)

    # ------------------------------------------------------------------ agents

    def _apply_agent(self, agent: wire.Agent, out: list[Fact]) -> None:
        agent_id = agent.agent_id
        a = self._agents.get(agent_id)
        if a is None:
            a = self._agents[agent_id] = _Agent()
        since = agent.since
        previous, start = a.state, a.since
        if previous is not None:
            assert start is not None
            if since < start:
                if agent.state != previous or agent.call_id != a.call_id:
                    out.append(Anomaly("agent.state starting before the agent's previous state", agent_id))
                since = start  # out of order: never let time run backwards
                agent = msgspec.structs.replace(agent, since=since)
        a.state = state = agent.state
        a.since = since
        a.call_id = agent.call_id
        out.append(AgentStateChanged(agent, previous, start if previous is not None else None, since))
        if a.pending and state != "wrap_up":
            for c in a.pending:
                ended = c.ended_at
                if ended is not None and since < ended:
                    self._wrap_before_end(c, out)
                    out.append(WrapUpEnded(c.call_id, agent_id, ended))
                else:
                    out.append(WrapUpEnded(c.call_id, agent_id, since))
            a.pending = []

    def _agent_state(self, event: wire.AgentStateChanged) -> Facts:
        agent = event.data.agent
        a = self._agents.get(agent.agent_id)
        if a is not None and a.state is not None and (not a.pending or agent.state == "wrap_up"):
            # the common case, without allocating a list: time runs forward, no wrap-up ends
            since, start = agent.since, a.since
            assert start is not None
            if since >= start:
                previous = a.state
                a.state, a.since, a.call_id = agent.state, since, agent.call_id
                return (AgentStateChanged(agent, previous, start, since),)
        out: list[Fact] = []
        self._apply_agent(agent, out)
        return out

    # ------------------------------------------------------------------ queues, cases

    def _queue_updated(self, event: wire.QueueUpdated) -> Facts:
        return (QueueDefined(event.data.queue, event.ts),)

    def _case_opened(self, event: wire.CaseOpened) -> Facts:
        return (CaseChanged(event.data.case, True),)

    def _case_updated(self, event: wire.CaseUpdated) -> Facts:
        return (CaseChanged(event.data.case, False),)

    def _clock(self, event: wire.Heartbeat | wire.Hello) -> Facts:
        return (ServerTime(event.data.server_time),)

    # ------------------------------------------------------------------ escalations

    def _escalation_record(self, rec: wire.Escalation, at: datetime, out: list[Fact], *,
                           opened: bool = False, from_snapshot: bool = False) -> None:
        eid = rec.escalation_id
        e = self._escalations.get(eid)
        if e is None:
            e = self._escalations[eid] = _Escalation()
        infer = False
        if rec.status == "resolved":
            # resolved without an escalation.resolved (yet): this event's time is the best
            # known; a snapshot only says it was resolved at some earlier time
            infer = e.resolved_at is None and not from_snapshot
        elif e.status == "resolved" and e.resolved_at is not None:
            out.append(Anomaly("escalation reopened", eid))
            out.append(EscalationReopened(eid))
            e.resolved_at = None
            e.exact = False
        e.status = rec.status
        e.opened_at = rec.opened_at
        out.append(EscalationOpened(rec) if opened else EscalationUpdated(rec, from_snapshot))
        if infer:
            e.resolved_at = at
            out.append(EscalationResolved(eid, at, "", False, True))
        self._check_escalation(eid, e, out)

    def _check_escalation(self, eid: str, e: _Escalation, out: list[Fact]) -> None:
        if (e.resolved_at is not None and e.opened_at is not None and e.resolved_at < e.opened_at
                and not e.contradicted):
            e.contradicted = True
            out.append(Anomaly("escalation resolved before it was opened", eid))

    def _escalation_opened(self, event: wire.EscalationOpened) -> Facts:
        out: list[Fact] = []
        self._escalation_record(event.data.escalation, event.ts, out, opened=True)
        return out

    def _escalation_updated(self, event: wire.EscalationUpdated) -> Facts:
        out: list[Fact] = []
        self._escalation_record(event.data.escalation, event.ts, out)
        return out

    def _reassigned(self, event: wire.EscalationReassigned) -> Facts:
        d = event.data
        known = d.escalation_id in self._escalations
        fact = EscalationReassigned(d.escalation_id, d.from_owner, d.to_owner, d.by, d.reason, d.at, known)
        if known:
            return (fact,)
        self._escalations[d.escalation_id] = _Escalation()
        return (Anomaly("escalation.reassigned for an unknown escalation", d.escalation_id), fact)

    def _resolved(self, event: wire.EscalationResolved) -> Facts:
        d = event.data
        out: list[Fact] = []
        e = self._escalations.get(d.escalation_id)
        known = e is not None
        if e is None:
            out.append(Anomaly("escalation.resolved for an unknown escalation", d.escalation_id))
            e = self._escalations[d.escalation_id] = _Escalation()
        if e.exact:
            out.append(Anomaly("escalation.resolved twice", d.escalation_id))
            return out
        e.status = "resolved"
        e.resolved_at = d.at
        e.exact = True
        out.append(EscalationResolved(d.escalation_id, d.at, d.resolution, True, known))
        self._check_escalation(d.escalation_id, e, out)
        return out

    # ------------------------------------------------------------------ snapshots

    def _snapshot_part(self, event: wire.Snapshot) -> Facts:
        """A snapshot, or one part of it: applied once every part has arrived."""
        if event.part is None or event.parts is None or event.parts == 1:
            out: list[Fact] = []
            if self._parts is not None:
                out.append(Anomaly("snapshot left incomplete (a part is missing)", str(self._parts[0][0])))
                self._parts = None
            self._snapshot(event.data, event.ts, out)
            return out
        key = (event.seq, event.parts)
        out = []
        if self._parts is None or self._parts[0] != key:
            if self._parts is not None:
                out.append(Anomaly("snapshot left incomplete (a part is missing)", str(self._parts[0][0])))
            self._parts = (key, {})
        parts = self._parts[1]
        parts[event.part] = event
        if len(parts) < event.parts:
            return out
        self._parts = None
        whole = wire.join_snapshot([parts[i] for i in sorted(parts)])
        self._snapshot(whole.data, event.ts, out)
        return out

    def _snapshot(self, data: wire.SnapshotData, at: datetime, out: list[Fact]) -> None:
        out.append(SnapshotReplaced(data, at))
        for q in data.queues:
            out.append(QueueDefined(q, at))
        calls = self._calls
        listed: set[str] = set()
        for contact in data.waiting:
            call_id = contact.call_id
            listed.add(call_id)
            c = calls.get(call_id)
            if c is None:
                calls[call_id] = _Call(call_id, contact.queue, contact.queued_at)
                out.append(ContactQueued(contact, True))
                continue
            if c.outcome == ANSWERED or c.outcome == ABANDONED:
                out.append(Anomaly("snapshot lists as waiting a contact already answered or abandoned", call_id))
                continue
            first = c.queued_at is None
            c.outcome = WAITING
            out.append(ContactQueued(self._establish(c, contact, out), first))
        for call_id in sorted(self._waiting - listed):
            calls[call_id].outcome = UNKNOWN
            out.append(ContactLost(call_id, at))
        self._waiting = {cid for cid in listed if calls[cid].outcome == WAITING}
        present: set[str] = set()
        for agent in data.agents:
            present.add(agent.agent_id)
            self._apply_agent(agent, out)
            on_call = agent.call_id
            if agent.state == "on_call" and on_call is not None and on_call not in calls:
                # a call in progress before the stream began is known from its agent
                c = calls[on_call] = _Call(on_call, None, None, ANSWERED)
                c.agent = agent.agent_id
        for agent_id, a in self._agents.items():
            if agent_id not in present and a.state is not None:
                start = a.since
                assert start is not None
                end = at if at > start else start
                out.append(AgentUnknown(agent_id, a.state, start, end))
                a.state, a.since, a.call_id = None, end, None
                a.pending = []  # the end of those wrap-ups will never be seen
        for rec in data.escalations:
            self._escalation_record(rec, at, out, from_snapshot=True)


def _settled_before(c: _Call, before: datetime, talking_before: datetime | None) -> bool:
    for t in (c.queued_at, c.outcome_at, c.ended_at):
        if t is not None and t >= before:
            return False
    if c.outcome == ABANDONED:
        return c.outcome_at is not None
    if c.outcome == ANSWERED:
        if c.ended_at is not None:
            return True
        return talking_before is not None and c.outcome_at is not None and c.outcome_at < talking_before
    return False

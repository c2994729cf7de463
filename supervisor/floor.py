"""The live floor: a sans-I/O reducer from protocol events to state and changes.

Events in, state and a ``Changes`` record out; no clock, no sockets, no threads (in the
manner of the websockets library's protocol layer). The desktop applies one batch at a
time and turns the ``Changes`` into ranged model updates; tests feed it lists.

What each event means (a snapshot replaces the whole state, a transfer keeps the
original ``queued_at``, events about unknown ids are applied as far as they can be and
reported as anomalies, never fatal, time never runs backwards) is decided by
``supervisor.domain.Interpreter``; the floor maps its facts onto the live state.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import msgspec

from supervisor import domain, wire

ANOMALY_LOG_SIZE = 200
STALE_TALK = timedelta(hours=12)  # a call answered this long ago whose end never came is dropped


@dataclass(slots=True)
class Changes:
    """What one batch changed, by id, so views update only those rows.

    When ``reset`` is set (a snapshot arrived) views rebuild from the state once, and
    the id sets are empty. An id in ``cases_changed`` or ``escalations_changed`` that is
    no longer in the floor's dict left it (``Floor.prune``): its row goes.
    """

    reset: bool = False  # a snapshot replaced everything: views rebuild once
    waiting_added: set[str] = field(default_factory=set)
    waiting_removed: set[str] = field(default_factory=set)
    waiting_changed: set[str] = field(default_factory=set)
    agents_changed: set[str] = field(default_factory=set)  # added or replaced
    cases_changed: set[str] = field(default_factory=set)
    escalations_changed: set[str] = field(default_factory=set)
    queues_changed: bool = False
    departments_changed: bool = False
    anomalies: list[str] = field(default_factory=list)
    applied: int = 0

    def add_waiting(self, call_id: str) -> None:
        if call_id in self.waiting_removed:
            # removed and queued again within one batch: the row is still there, just different
            self.waiting_removed.discard(call_id)
            self.waiting_changed.add(call_id)
        else:
            self.waiting_added.add(call_id)

    def remove_waiting(self, call_id: str) -> None:
        if call_id in self.waiting_added:
            self.waiting_added.discard(call_id)  # came and went within the batch: never shown
        else:
            self.waiting_removed.add(call_id)
        self.waiting_changed.discard(call_id)

    def change_waiting(self, call_id: str) -> None:
        if call_id not in self.waiting_added:
            self.waiting_changed.add(call_id)

    def drop_ids(self) -> None:
        """After a reset the per-id changes say nothing the rebuild does not."""
        for ids in (self.waiting_added, self.waiting_removed, self.waiting_changed,
                    self.agents_changed, self.cases_changed, self.escalations_changed):
            ids.clear()

    def __bool__(self) -> bool:
        return bool(
            self.reset
            or self.waiting_added
            or self.waiting_removed
            or self.waiting_changed
            or self.agents_changed
            or self.cases_changed
            or self.escalations_changed
            or self.queues_changed
            or self.departments_changed
        )


@dataclass(frozen=True, slots=True)
class Talking:
    """A contact answered and not yet ended."""

    contact: wire.Contact
    agent_id: str
    answered_at: datetime


class Floor:
    """The live state of the contact center, rebuilt from the event stream."""

    def __init__(self) -> None:
        self.queues: dict[str, wire.Queue] = {}
        self.agents: dict[str, wire.Agent] = {}
        self.waiting: dict[str, wire.Contact] = {}
        self.talking: dict[str, Talking] = {}
        self.cases: dict[str, wire.Case] = {}
        self.escalations: dict[str, wire.Escalation] = {}
        self.departments: dict[str, wire.Department] = {}
        self.seq: int | None = None
        self.last_ts: datetime | None = None
        self.anomalies = 0
        self.anomaly_log: deque[str] = deque(maxlen=ANOMALY_LOG_SIZE)
        # what each event means is decided there (supervisor.domain); the floor maps facts
        self.interpreter = domain.Interpreter()
        # server time of the last event about each case and escalation, so that ``prune``
        # knows which closed ones belong to a day that has ended
        self._case_touched: dict[str, datetime] = {}
        self._escalation_touched: dict[str, datetime] = {}
        self._ts: datetime | None = None  # ts of the event being applied
        self._interpret = self.interpreter.handlers
        self._on: dict[type, Callable[[Any, Changes], None]] = {
            domain.SnapshotReplaced: self._snapshot,
            domain.QueueDefined: self._queue_defined,
            domain.ContactQueued: self._queued,
            domain.ContactTransferred: self._transferred,
            domain.ContactAnswered: self._answered,
            domain.ContactAbandoned: self._left_queue,
            domain.ContactLost: self._left_queue,
            domain.ContactEnded: self._ended,
            domain.AgentStateChanged: self._agent_state,
            domain.CaseChanged: self._case,
            domain.EscalationOpened: self._escalation,
            domain.EscalationUpdated: self._escalation,
            domain.EscalationReassigned: self._reassigned,
            domain.EscalationResolved: self._resolved,
            domain.Anomaly: self._anomaly,
            # a late queueing (the contact already left), a closed interval of an agent the
            # snapshot dropped (already gone from ``agents``), wrap-up ends, surveys (they count
            # in the KPI engine), reopenings (the record follows) and the clock change nothing here
            domain.ContactQueuedLate: _ignore,
            domain.AgentUnknown: _ignore,
            domain.WrapUpEnded: _ignore,
            domain.SurveyCompleted: _ignore,
            domain.EscalationReopened: _ignore,
            domain.ServerTime: _ignore,
        }

    # ------------------------------------------------------------------ applying

    def apply_batch(self, events: Iterable[wire.Event | wire.UnknownEvent]) -> Changes:
        """Apply events in order; return what changed."""
        changes = Changes()
        for event in events:
            self.apply(event, changes)
        if changes.reset:
            changes.drop_ids()
        return changes

    def apply(self, event: wire.Event | wire.UnknownEvent, changes: Changes) -> None:
        """Apply one event, accumulating into ``changes``."""
        interpret = self._interpret.get(type(event))
        if interpret is None and type(event) not in _KNOWN:
            return  # unknown types are counted by the client, not state
        self._ts = event.ts
        if interpret is not None:
            on = self._on
            for fact in interpret(event):
                on[type(fact)](fact, changes)
        if type(event) not in _CONTROL:
            self.seq = event.seq
            self.last_ts = event.ts
        changes.applied += 1

    def _anomaly(self, fact: domain.Anomaly, changes: Changes) -> None:
        self._note(changes, f"{fact.reason}: {fact.subject}")

    def _note(self, changes: Changes, text: str) -> None:
        self.anomalies += 1
        self.anomaly_log.append(text)
        changes.anomalies.append(text)

    # ------------------------------------------------------------------ facts

    def _snapshot(self, fact: domain.SnapshotReplaced, changes: Changes) -> None:
        data = fact.data
        self.queues = {q.id: q for q in data.queues}
        self.agents = {a.agent_id: a for a in data.agents}
        self.waiting = {}  # the contacts that wait follow as ContactQueued
        self.talking = {}
        self.cases = {c.case_id: c for c in data.cases}
        self.escalations = {e.escalation_id: e for e in data.escalations}
        self.departments = {d.id: d for d in data.departments}
        ts = fact.at
        self._case_touched = dict.fromkeys(self.cases, ts)
        self._escalation_touched = dict.fromkeys(self.escalations, ts)
        changes.reset = True
        changes.queues_changed = True
        changes.departments_changed = True

    def _queue_defined(self, fact: domain.QueueDefined, changes: Changes) -> None:
        queue = fact.queue
        self.queues[queue.id] = queue
        changes.queues_changed = True
        # its waiting contacts' colours follow the new T and W at once
        for call_id, contact in self.waiting.items():
            if contact.queue == queue.id:
                changes.change_waiting(call_id)

    def _see_queue(self, queue: str, changes: Changes) -> None:
        if queue not in self.queues:
            self.queues[queue] = wire.Queue(id=queue, name=queue)  # named by its id until told
            changes.queues_changed = True

    def _queued(self, fact: domain.ContactQueued, changes: Changes) -> None:
        contact = fact.contact
        call_id = contact.call_id
        self._see_queue(contact.queue, changes)
        known = call_id in self.waiting
        self.waiting[call_id] = contact
        if known:
            changes.change_waiting(call_id)
        else:
            changes.add_waiting(call_id)

    def _transferred(self, fact: domain.ContactTransferred, changes: Changes) -> None:
        contact = self.waiting.get(fact.call_id)
        if contact is None:
            return  # waiting without a record (never queued here): nothing to show
        self.waiting[fact.call_id] = msgspec.structs.replace(contact, queue=fact.to_queue)
        self._see_queue(fact.to_queue, changes)
        changes.change_waiting(fact.call_id)

    def _answered(self, fact: domain.ContactAnswered, changes: Changes) -> None:
        contact = self.waiting.pop(fact.call_id, None)
        if contact is not None:
            changes.remove_waiting(fact.call_id)
            if fact.talking:
                self.talking[fact.call_id] = Talking(contact, fact.agent_id, fact.at)
        if fact.agent_id in self.agents:
            changes.agents_changed.add(fact.agent_id)  # its current-call column shows the contact

    def _left_queue(self, fact: domain.ContactAbandoned | domain.ContactLost, changes: Changes) -> None:
        if self.waiting.pop(fact.call_id, None) is not None:
            changes.remove_waiting(fact.call_id)

    def _ended(self, fact: domain.ContactEnded, changes: Changes) -> None:
        self.talking.pop(fact.call_id, None)
        if fact.agent_id in self.agents:
            changes.agents_changed.add(fact.agent_id)

    def _agent_state(self, fact: domain.AgentStateChanged, changes: Changes) -> None:
        agent = fact.agent
        self.agents[agent.agent_id] = agent
        changes.agents_changed.add(agent.agent_id)

    def _case(self, fact: domain.CaseChanged, changes: Changes) -> None:
        case_id = fact.case.case_id
        self.cases[case_id] = fact.case
        if self._ts is not None:
            self._case_touched[case_id] = self._ts
        changes.cases_changed.add(case_id)

    def _escalation(self, fact: domain.EscalationOpened | domain.EscalationUpdated, changes: Changes) -> None:
        esc = fact.escalation
        self.escalations[esc.escalation_id] = esc
        self._touch_escalation(esc.escalation_id)
        changes.escalations_changed.add(esc.escalation_id)

    def _reassigned(self, fact: domain.EscalationReassigned, changes: Changes) -> None:
        esc = self.escalations.get(fact.escalation_id)
        if esc is None:
            return  # no record to show (an unknown escalation: the interpreter reported it)
        self.escalations[fact.escalation_id] = msgspec.structs.replace(esc, owner=fact.to_owner)
        self._touch_escalation(fact.escalation_id)
        changes.escalations_changed.add(fact.escalation_id)

    def _resolved(self, fact: domain.EscalationResolved, changes: Changes) -> None:
        esc = self.escalations.get(fact.escalation_id)
        if esc is None:
            return
        if esc.status != "resolved":
            self.escalations[fact.escalation_id] = msgspec.structs.replace(esc, status="resolved")
        self._touch_escalation(fact.escalation_id)
        changes.escalations_changed.add(fact.escalation_id)

    def _touch_escalation(self, escalation_id: str) -> None:
        if self._ts is not None:
            self._escalation_touched[escalation_id] = self._ts

    # ------------------------------------------------------------------ forgetting

    def prune(self, before: datetime, *, talking_before: datetime | None = None) -> Changes:
        """Forget what belongs to days that have ended, so a floor running for weeks stays bounded.

        Drops resolved escalations and closed cases with no event since ``before`` (the
        journal keeps them; a case file reads them from there), and calls answered before
        ``talking_before`` whose ``call.ended`` never came (each counted as an anomaly).
        Waiting contacts, agents, open cases and open escalations are live state and stay.
        The ids that went are in the returned changes' ``cases_changed`` and
        ``escalations_changed`` (absent from the floor now: views remove their rows).
        """
        changes = Changes()
        self.interpreter.forget(before, talking_before=talking_before)
        touched = self._escalation_touched
        for eid in [eid for eid, e in self.escalations.items()
                    if e.status == "resolved" and _older(touched.get(eid), before)]:
            del self.escalations[eid]
            touched.pop(eid, None)
            changes.escalations_changed.add(eid)
        self._prune_cases(before, changes)
        # ids touched by events but gone from the state (a snapshot dropped them)
        for touched_ids, live in ((self._escalation_touched, self.escalations), (self._case_touched, self.cases)):
            for key in [k for k in touched_ids if k not in live]:
                del touched_ids[key]
        if talking_before is not None:
            for call_id in [k for k, t in self.talking.items() if t.answered_at < talking_before]:
                talking = self.talking.pop(call_id)
                self._note(changes, f"call {call_id} answered at {talking.answered_at.isoformat()} "
                                    "never ended: forgotten")
                if talking.agent_id in self.agents:
                    changes.agents_changed.add(talking.agent_id)
        return changes

    def prune_settled(self, before: datetime) -> Changes:
        """During the day: forget closed cases untouched since ``before``, and let the
        interpreter forget the contacts settled before it (abandoned, or answered and
        ended) and the escalations it saw resolved before it.

        A large floor closes tens of thousands of cases a day (about 70 MB by evening at
        2,000 agents); nothing live shows them, and a case file reads them from the journal.
        The interpreter's record of every contact of the day was the largest thing a
        desktop held by evening (about 30 MB at 14:00 at 2,000 agents, twice that by
        night). Forgetting a settled contact only changes how a repeat of its events
        half an hour later is named (an event about an unknown contact, an anomaly either
        way); the floor shows nothing of a settled contact, so no row changes. Resolved
        escalations stay on the floor (the board shows them) until midnight's ``prune``.
        """
        changes = Changes()
        self._prune_cases(before, changes)
        self.interpreter.forget(before)
        return changes

    def _prune_cases(self, before: datetime, changes: Changes) -> None:
        touched = self._case_touched
        for case_id in [cid for cid, c in self.cases.items()
                        if c.status == "closed" and _older(touched.get(cid), before)]:
            del self.cases[case_id]
            touched.pop(case_id, None)
            changes.cases_changed.add(case_id)

    # ------------------------------------------------------------------ queries

    def case_category(self, contact: wire.Contact) -> str | None:
        """The category of the contact's case, if it has a known one (marks fraud and card loss)."""
        if contact.case_id is None:
            return None
        case = self.cases.get(contact.case_id)
        return case.category if case is not None else None

    def current_contact(self, agent_id: str) -> wire.Contact | None:
        """The contact an agent is talking to, when the floor saw it answered."""
        agent = self.agents.get(agent_id)
        if agent is None or agent.call_id is None:
            return None
        talking = self.talking.get(agent.call_id)
        return talking.contact if talking is not None else None

    def open_escalations(self) -> list[wire.Escalation]:
        return [e for e in self.escalations.values() if e.status != "resolved"]

    def as_snapshot_data(self) -> dict[str, Any]:
        """The state in the shape of a snapshot's ``data`` (to compare with a server's state)."""
        return {
            "queues": [wire.to_builtins(q) for q in self.queues.values()],
            "agents": [wire.to_builtins(a) for a in self.agents.values()],
            "waiting": [wire.to_builtins(c) for c in self.waiting.values()],
            "cases": [wire.to_builtins(c) for c in self.cases.values()],
            "escalations": [wire.to_builtins(e) for e in self.escalations.values()],
            "departments": [wire.to_builtins(d) for d in self.departments.values()],
        }


_CONTROL = frozenset({wire.Heartbeat, wire.Hello, wire.CommandResult})
_KNOWN = frozenset({wire.CommandResult})  # known types that mean nothing to the interpreter


def _older(touched: datetime | None, before: datetime) -> bool:
    """Last touched before the cut (never touched by an event: from nowhere we know, so old)."""
    return touched is None or touched < before


def _ignore(_fact: object, _changes: Changes) -> None:
    """Facts with no effect on the live floor."""

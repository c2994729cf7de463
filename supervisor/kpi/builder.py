"""``KpiBuilder``: feed it decoded events in journal order, ask it for figures of any period.

Feeding only updates facts (a dict lookup and a few assignments per event), so the
desktop can feed every live batch and the CLI a month of journal; figures are computed
on demand by the pure functions of ``figures.py``, ``intervals.py`` and ``lists.py``.

How the stream is read (PROTOCOL.md, KPI.md):
- a contact is offered once, at its first ``queued_at``; transfers move it to another
  queue without restarting its wait; its queue is the one it was in when answered or
  abandoned;
- a snapshot REPLACES the live state: contacts it lists as waiting are (re)established,
  and contacts that were waiting before it and are absent from it get the outcome
  ``unknown`` (they left during a gap; they stay offered, never answered or abandoned);
  agents absent from it have no known state from the snapshot on;
- wrap-up runs from ``call.ended`` to the answering agent's next ``agent.state`` change
  to a state other than ``wrap_up``; if the agent had already moved on to another state
  when the call ended, wrap-up is zero;
- queue records (name, T, W) take effect at the ``ts`` of the snapshot or
  ``queue.updated`` that told them; each contact is measured against the T of its
  final queue in force at its outcome (or now, while it waits). Before a queue's first
  known record, that first record holds (a backfilling recorder journals the morning
  before the snapshot that told it the records): see ``facts.QueueHistory``;
- a snapshot sent in parts (``part``/``parts``, same seq) is applied once all its parts
  have arrived; one left incomplete is never applied (like a gap) and is counted;
- events about unknown ids are applied as far as they can be and counted in
  ``anomalies``; nothing here raises on odd input;
- time travel (an answer before the queueing, an end before the answer, wrap-up ended
  before the end, an escalation resolved before it was opened, an agent state that
  starts before the previous one) is counted once per contact, agent change or
  escalation in ``anomalies``, and the duration between the contradicting times is 0
  (see ``facts``: never negative).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from supervisor import wire
from supervisor.kpi.facts import (
    ABANDONED,
    ANSWERED,
    UNKNOWN,
    WAITING,
    AgentFact,
    ContactFact,
    EscalationFact,
    KpiFacts,
    ReassignmentFact,
    from_us,
    to_us,
)
from supervisor.kpi.figures import build_report
from supervisor.kpi.intervals import IntervalRow, interval_table
from supervisor.kpi.lists import (
    ContactRow,
    EscalationRow,
    ReassignmentRow,
    contact_list,
    escalation_list,
    reassignment_list,
    sla_breach_list,
)
from supervisor.kpi.prune import prune_facts
from supervisor.kpi.report import KpiReport

DEFAULT_FORMULA = "abandons_count_against"


class KpiBuilder:
    """Incremental KPI facts from a stream of ``wire`` events."""

    def __init__(self) -> None:
        self.facts = KpiFacts()
        self.anomalies: Counter[str] = Counter()
        self.events_fed = 0
        self._handlers: dict[type, Callable[[Any], None]] = {
            wire.QueueUpdated: self._queue_updated,
            wire.CallQueued: self._queued,
            wire.CallTransferred: self._transferred,
            wire.CallAnswered: self._answered,
            wire.CallAbandoned: self._abandoned,
            wire.CallEnded: self._ended,
            wire.AgentStateChanged: self._agent_state,
            wire.EscalationOpened: self._escalation,
            wire.EscalationUpdated: self._escalation,
            wire.EscalationReassigned: self._reassigned,
            wire.EscalationResolved: self._resolved,
            wire.SurveyCompleted: self._survey,
            wire.Heartbeat: self._heartbeat,
            wire.Hello: self._hello,
        }
        self._event_ts_us = 0
        # call_ids whose outcome is WAITING, so a snapshot need not scan every contact
        self._waiting: set[str] = set()
        # the parts of a snapshot sent in parts: ((seq, parts), {part: data})
        self._parts: tuple[tuple[int, int], dict[int, wire.SnapshotData]] | None = None
        # (reason, id) of time travel already counted, so each is counted once
        self._contradicted: set[tuple[str, str]] = set()

    # ------------------------------------------------------------------ feeding

    def feed(self, event: wire.Event | wire.UnknownEvent) -> None:
        """Apply one event (journal order). Unknown types and control messages are ignored."""
        self.events_fed += 1
        facts = self.facts
        ts = event.ts
        if facts.center_tz is None:
            facts.center_tz = ts.tzinfo
        ts_us = to_us(ts)
        self._event_ts_us = ts_us
        if facts.last_us is None or ts_us > facts.last_us:
            facts.last_us = ts_us
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event.data)  # type: ignore[union-attr]  # only typed events have handlers
        elif type(event) is wire.Snapshot:
            self._snapshot_part(event)

    def feed_many(self, events: Iterable[wire.Event | wire.UnknownEvent]) -> int:
        """Apply events in order; returns how many were fed."""
        n = 0
        feed = self.feed
        for event in events:
            feed(event)
            n += 1
        return n

    @property
    def server_now(self) -> datetime | None:
        """The latest server time fed (event ts or heartbeat server_time), in the center's zone."""
        facts = self.facts
        if facts.last_us is None or facts.center_tz is None:
            return None
        return from_us(facts.last_us, facts.center_tz)

    # ------------------------------------------------------------------ figures

    def report(
        self,
        start: datetime,
        end: datetime,
        *,
        formula: str = DEFAULT_FORMULA,
        server_now: datetime | None = None,
        short_abandon_s: float = 5,
        queues: Sequence[str] | None = None,
        teams: Sequence[str] | None = None,
    ) -> KpiReport:
        """The KPI.md figures of the period [start, end): see ``figures.build_report``."""
        return build_report(
            self.facts, start, end, formula=formula, server_now=server_now,
            short_abandon_s=short_abandon_s, queues=queues, teams=teams,
        )

    def intervals(
        self,
        start: datetime,
        end: datetime,
        *,
        minutes: int = 30,
        formula: str = DEFAULT_FORMULA,
        server_now: datetime | None = None,
        short_abandon_s: float = 5,
        queues: Sequence[str] | None = None,
        include_total: bool = True,
    ) -> list[IntervalRow]:
        """Queue figures per queue per ``minutes`` (see ``intervals.interval_table``)."""
        return interval_table(
            self.facts, start, end, minutes=minutes, formula=formula, server_now=server_now,
            short_abandon_s=short_abandon_s, queues=queues, include_total=include_total,
        )

    def contacts(
        self,
        start: datetime,
        end: datetime,
        *,
        server_now: datetime | None = None,
        short_abandon_s: float = 5,
        queues: Sequence[str] | None = None,
    ) -> list[ContactRow]:
        """Every contact offered in [start, end) with its outcome, wait and handle time."""
        return contact_list(
            self.facts, start, end, server_now=server_now, short_abandon_s=short_abandon_s,
            queues=queues,
        )

    def sla_breaches(
        self,
        start: datetime,
        end: datetime,
        *,
        server_now: datetime | None = None,
        short_abandon_s: float = 5,
        queues: Sequence[str] | None = None,
    ) -> list[ContactRow]:
        """The SLA-breach list of KPI.md for the contacts offered in [start, end)."""
        return sla_breach_list(
            self.facts, start, end, server_now=server_now, short_abandon_s=short_abandon_s,
            queues=queues,
        )

    def escalations(
        self, start: datetime, end: datetime, *, server_now: datetime | None = None
    ) -> list[EscalationRow]:
        """Escalations active in [start, end): opened before its end, not resolved before its start."""
        return escalation_list(self.facts, start, end, server_now=server_now)

    def reassignments(self, start: datetime, end: datetime) -> list[ReassignmentRow]:
        """Reassignments made in [start, end)."""
        return reassignment_list(self.facts, start, end)

    def prune(self, before: datetime) -> int:
        """Forget facts no period starting at ``before`` or later can see (see ``prune.py``).

        A long-running desktop calls this e.g. once a day with the start of yesterday, so
        the builder and the cost of a report stay bounded. Returns how many facts went.
        """
        return prune_facts(self.facts, to_us(before))

    # ------------------------------------------------------------------ contacts

    def _contact(self, call_id: str) -> ContactFact:
        contacts = self.facts.contacts
        c = contacts.get(call_id)
        if c is None:
            c = contacts[call_id] = ContactFact(call_id)
        return c

    def _see_queue(self, queue: str) -> None:
        order = self.facts.queue_order
        if queue not in order:
            order[queue] = None

    def _time_travel(self, reason: str, key: str) -> None:
        """Count a contradiction between two times once per (reason, id)."""
        mark = (reason, key)
        if mark not in self._contradicted:
            self._contradicted.add(mark)
            self.anomalies[reason] += 1

    def _check_times(self, c: ContactFact) -> None:
        """Count time travel among the contact's times (the figures clamp it to 0)."""
        q, o, e = c.queued_us, c.outcome_us, c.ended_us
        if o is not None and q is not None and o < q and c.outcome in (ANSWERED, ABANDONED):
            self._time_travel(f"call.{c.outcome} before the contact was queued", c.call_id)
        if e is not None and o is not None and e < o and c.outcome == ANSWERED:
            self._time_travel("call.ended before the call was answered", c.call_id)

    def _establish(self, contact: wire.Contact, c: ContactFact) -> None:
        """Fill a contact fact from a full contact record (queued or listed in a snapshot)."""
        queued_us = to_us(contact.queued_at)
        if c.queued_us is None or queued_us < c.queued_us:
            c.queued_us = queued_us
            if c.outcome_us is not None:
                self._check_times(c)
        if c.first_queue is None:
            c.first_queue = contact.queue
        c.queue = contact.queue
        c.channel = contact.channel
        c.customer = contact.customer
        c.priority = contact.priority
        if contact.case_id is not None:
            c.case_id = contact.case_id
        self._see_queue(contact.queue)

    def _queued(self, data: wire.CallQueuedData) -> None:
        contact = data.contact
        contacts = self.facts.contacts
        c = contacts.get(contact.call_id)
        if c is None:
            c = contacts[contact.call_id] = ContactFact(contact.call_id)
            self._establish(contact, c)
            self._waiting.add(contact.call_id)
            return
        if c.outcome in (ANSWERED, ABANDONED):
            if c.queued_us is None:
                # its queueing arrives after its outcome: late, but it tells when and where
                self.anomalies["call.queued after the contact's outcome"] += 1
                self._establish(contact, c)
            else:
                # queued again after it was answered or abandoned: the first life counts
                self.anomalies["call.queued for a contact already answered or abandoned"] += 1
            return
        if c.queued_us is not None and c.outcome == WAITING:
            self.anomalies["call.queued for a contact already waiting"] += 1
        if c.outcome == UNKNOWN:
            c.outcome, c.lost_us = WAITING, None
        self._waiting.add(c.call_id)
        self._establish(contact, c)

    def _transferred(self, data: wire.CallTransferredData) -> None:
        c = self.facts.contacts.get(data.call_id)
        if c is None:
            self.anomalies["call.transferred for an unknown contact"] += 1
            c = self._contact(data.call_id)
            self._waiting.add(c.call_id)
        if c.outcome in (ANSWERED, ABANDONED):
            # the contact's queue is the one it was in when answered or abandoned
            self.anomalies["call.transferred after the contact left the queue"] += 1
            return
        if c.first_queue is None:
            c.first_queue = data.queue
        c.queue = data.queue
        c.transfers += 1
        self._see_queue(data.queue)

    def _answered(self, data: wire.CallAnsweredData) -> None:
        c = self.facts.contacts.get(data.call_id)
        if c is None:
            self.anomalies["call.answered for an unknown contact"] += 1
            c = self._contact(data.call_id)
        if c.outcome in (ANSWERED, ABANDONED):
            self.anomalies[f"call.answered for a contact already {c.outcome}"] += 1
            return
        c.outcome = ANSWERED
        c.outcome_us = to_us(data.at)
        c.answered_by = data.agent_id
        c.lost_us = None
        self._waiting.discard(c.call_id)
        self._check_times(c)

    def _abandoned(self, data: wire.CallAbandonedData) -> None:
        c = self.facts.contacts.get(data.call_id)
        if c is None:
            self.anomalies["call.abandoned for an unknown contact"] += 1
            c = self._contact(data.call_id)
        if c.outcome in (ANSWERED, ABANDONED):
            self.anomalies[f"call.abandoned for a contact already {c.outcome}"] += 1
            return
        c.outcome = ABANDONED
        c.outcome_us = to_us(data.at)
        c.lost_us = None
        self._waiting.discard(c.call_id)
        self._check_times(c)

    def _ended(self, data: wire.CallEndedData) -> None:
        c = self.facts.contacts.get(data.call_id)
        if c is None:
            self.anomalies["call.ended for an unknown contact"] += 1
            c = self._contact(data.call_id)
        elif c.outcome != ANSWERED:
            self.anomalies["call.ended for a contact never answered"] += 1
        if c.ended_us is not None:
            self.anomalies["call.ended twice"] += 1
            return
        ended_us = to_us(data.at)
        c.ended_us = ended_us
        c.ended_by = data.agent_id
        if c.outcome_us is not None:
            self._check_times(c)
        if data.case_id is not None:
            c.case_id = data.case_id
        agent_id = c.answered_by or data.agent_id
        a = self.facts.agents.get(agent_id)
        if a is None:
            a = self.facts.agents[agent_id] = AgentFact(agent_id)
        state = a.state
        if state is None or state == "wrap_up" or (
            state == "on_call" and a.call_id in (None, c.call_id)
        ):
            a.pending_wrap.append(c)  # wrap-up ends at the agent's next change away from wrap_up
        else:
            # the agent had already moved on when the end arrived: no wrap-up after it
            if a.since_us < ended_us:
                self._time_travel("wrap-up ended before the call ended", c.call_id)
            c.wrap_end_us = max(ended_us, a.since_us)

    def _survey(self, data: wire.SurveyCompletedData) -> None:
        c = self.facts.contacts.get(data.call_id)
        if c is None:
            # a survey can only be attributed through its contact
            self.anomalies["survey.completed for an unknown contact"] += 1
            return
        if c.scores is None:
            c.scores = [data.score]
        else:
            c.scores.append(data.score)
        if c.case_id is None and data.case_id is not None:
            c.case_id = data.case_id

    # ------------------------------------------------------------------ agents

    def _apply_agent(self, agent: wire.Agent) -> None:
        agents = self.facts.agents
        a = agents.get(agent.agent_id)
        if a is None:
            a = agents[agent.agent_id] = AgentFact(agent.agent_id)
        since_us = to_us(agent.since)
        if a.state is not None:
            if since_us < a.since_us:
                if agent.state != a.state or agent.call_id != a.call_id:
                    self.anomalies["agent.state starting before the agent's previous state"] += 1
                since_us = a.since_us  # out of order: never let time run backwards
            if since_us > a.since_us:
                a.timeline.append(a.state, a.since_us, since_us)
        a.state = agent.state
        a.since_us = since_us
        a.call_id = agent.call_id
        a.name = agent.name
        a.team = agent.team
        if a.pending_wrap and agent.state != "wrap_up":
            for c in a.pending_wrap:
                if c.ended_us is not None and since_us < c.ended_us:
                    self._time_travel("wrap-up ended before the call ended", c.call_id)
                c.wrap_end_us = since_us if c.ended_us is None else max(c.ended_us, since_us)
            a.pending_wrap.clear()

    def _agent_state(self, data: wire.AgentStateData) -> None:
        self._apply_agent(data.agent)

    def _drop_agent_state(self, a: AgentFact, at_us: int) -> None:
        """The agent's state is no longer known (absent from a snapshot)."""
        if a.state is not None and at_us > a.since_us:
            a.timeline.append(a.state, a.since_us, at_us)
        a.state = None
        a.since_us = max(a.since_us, at_us)
        a.call_id = None
        # the end of wrap-up will never be seen: leave those contacts without a handle time
        a.pending_wrap.clear()

    # ------------------------------------------------------------------ escalations

    def _escalation_fact(self, escalation_id: str) -> EscalationFact:
        escalations = self.facts.escalations
        e = escalations.get(escalation_id)
        if e is None:
            e = escalations[escalation_id] = EscalationFact(escalation_id)
        return e

    def _apply_escalation(self, rec: wire.Escalation, *, from_snapshot: bool = False) -> None:
        e = self._escalation_fact(rec.escalation_id)
        e.case_id = rec.case_id
        e.department = rec.department
        e.owner = rec.owner
        e.severity = rec.severity
        e.summary = rec.summary
        e.opened_us = to_us(rec.opened_at)
        e.due_us = to_us(rec.due_at)
        if rec.status == "resolved":
            if e.resolved_us is None and not from_snapshot:
                # resolved without an escalation.resolved event (yet): this update's time
                # is the best we know; a later escalation.resolved replaces it. A snapshot
                # only says it was resolved at some unknown time before.
                e.resolved_us = self._event_ts_us
        elif e.status == "resolved" and e.resolved_us is not None:
            self.anomalies["escalation reopened"] += 1
            e.resolved_us = None
            e.resolved_exact = False
        e.status = rec.status
        self._check_escalation(e)

    def _check_escalation(self, e: EscalationFact) -> None:
        if e.resolved_us is not None and e.opened_us is not None and e.resolved_us < e.opened_us:
            self._time_travel("escalation resolved before it was opened", e.escalation_id)

    def _escalation(self, data: wire.EscalationData) -> None:
        self._apply_escalation(data.escalation)

    def _reassigned(self, data: wire.EscalationReassignedData) -> None:
        if data.escalation_id not in self.facts.escalations:
            self.anomalies["escalation.reassigned for an unknown escalation"] += 1
        e = self._escalation_fact(data.escalation_id)
        e.reassignments += 1
        e.owner = data.to_owner
        self.facts.reassignments.append(
            ReassignmentFact(
                data.escalation_id, to_us(data.at), data.by, data.from_owner,
                data.to_owner, data.reason,
            )
        )

    def _resolved(self, data: wire.EscalationResolvedData) -> None:
        if data.escalation_id not in self.facts.escalations:
            self.anomalies["escalation.resolved for an unknown escalation"] += 1
        e = self._escalation_fact(data.escalation_id)
        if e.resolved_exact:
            self.anomalies["escalation.resolved twice"] += 1
            return
        e.status = "resolved"
        e.resolved_us = to_us(data.at)
        e.resolved_exact = True
        e.resolution = data.resolution
        self._check_escalation(e)

    # ------------------------------------------------------------------ snapshot, clock

    def _queue_updated(self, data: wire.QueueUpdatedData) -> None:
        self.facts.add_queue_record(self._event_ts_us, data.queue)
        self._see_queue(data.queue.id)

    def _snapshot_part(self, event: wire.Snapshot) -> None:
        """A snapshot, or one part of it: applied once every part has arrived."""
        if event.part is None or event.parts is None or event.parts == 1:
            if self._parts is not None:
                self.anomalies["snapshot left incomplete (a part is missing)"] += 1
                self._parts = None
            self._snapshot(event.data)
            return
        key = (event.seq, event.parts)
        if self._parts is None or self._parts[0] != key:
            if self._parts is not None:
                self.anomalies["snapshot left incomplete (a part is missing)"] += 1
            self._parts = (key, {})
        parts = self._parts[1]
        parts[event.part] = event.data
        if len(parts) < event.parts:
            return
        self._parts = None
        datas = [parts[i] for i in sorted(parts)]
        self._snapshot(wire.SnapshotData(
            queues=tuple(q for d in datas for q in d.queues),
            agents=tuple(a for d in datas for a in d.agents),
            waiting=tuple(w for d in datas for w in d.waiting),
            cases=tuple(c for d in datas for c in d.cases),
            escalations=tuple(e for d in datas for e in d.escalations),
            departments=tuple(d2 for d in datas for d2 in d.departments),
        ))

    def _snapshot(self, data: wire.SnapshotData) -> None:
        facts = self.facts
        at_us = self._event_ts_us
        for q in data.queues:
            facts.add_queue_record(at_us, q)
            self._see_queue(q.id)
        listed: set[str] = set()
        contacts = facts.contacts
        for contact in data.waiting:
            listed.add(contact.call_id)
            c = contacts.get(contact.call_id)
            if c is None:
                c = contacts[contact.call_id] = ContactFact(contact.call_id)
            elif c.outcome in (ANSWERED, ABANDONED):
                self.anomalies["snapshot lists as waiting a contact already answered or abandoned"] += 1
                continue
            c.outcome, c.lost_us = WAITING, None
            self._establish(contact, c)
        for call_id in self._waiting - listed:
            c = contacts[call_id]
            c.outcome = UNKNOWN
            c.lost_us = at_us
        self._waiting = {cid for cid in listed if contacts[cid].outcome == WAITING}
        present: set[str] = set()
        for agent in data.agents:
            present.add(agent.agent_id)
            self._apply_agent(agent)
        for a in facts.agents.values():
            if a.agent_id not in present and a.state is not None:
                self._drop_agent_state(a, at_us)
        # escalations absent from a snapshot keep what is known of them (the snapshot
        # lists open ones and recent ones, not the whole history)
        for rec in data.escalations:
            self._apply_escalation(rec, from_snapshot=True)

    def _clock(self, server_time: datetime) -> None:
        us = to_us(server_time)
        facts = self.facts
        if facts.last_us is None or us > facts.last_us:
            facts.last_us = us

    def _heartbeat(self, data: wire.HeartbeatData) -> None:
        self._clock(data.server_time)

    def _hello(self, data: wire.HelloData) -> None:
        self._clock(data.server_time)

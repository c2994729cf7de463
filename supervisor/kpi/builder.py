"""``KpiBuilder``: feed it decoded events in journal order, ask it for figures of any period.

Feeding only updates facts (a dict lookup and a few assignments per event), so the
desktop can feed every live batch and the CLI a month of journal; figures are computed
on demand by the pure functions of ``figures.py``, ``intervals.py`` and ``lists.py``.

What each event means (transfers, unknown ids, snapshots and their parts, time travel,
wrap-up, queue records) is decided once, by ``supervisor.domain.Interpreter`` (see its
module docstring for the rules); the builder maps the facts it returns onto
``KpiFacts`` and counts its ``Anomaly`` facts by reason in ``anomalies``. What the
figures add (KPI.md):
- a contact is offered once, at its first ``queued_at``; its queue is the one it was in
  when answered or abandoned; one lost by a snapshot has the outcome ``unknown`` (it stays
  offered, never answered or abandoned);
- each contact is measured against the T of its final queue in force at its outcome (or
  now, while it waits). Before a queue's first known record, that first record holds (a
  backfilling recorder journals the morning before the snapshot that told it the
  records): see ``facts.QueueHistory``;
- durations between times that contradict each other are 0 (see ``facts``: never
  negative).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from supervisor import domain, wire
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
from supervisor.kpi.fold import survey_after_fold
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
        self._latest_ts: datetime | None = None  # the latest event ts fed
        self.interpreter = domain.Interpreter()
        self._interpret = self.interpreter.handlers
        self._on: dict[type, Callable[[Any], None]] = {
            domain.ContactQueued: self._on_queued,
            domain.ContactQueuedLate: self._on_queued_late,
            domain.ContactTransferred: self._on_transferred,
            domain.ContactAnswered: self._on_answered,
            domain.ContactAbandoned: self._on_abandoned,
            domain.ContactEnded: self._on_ended,
            domain.WrapUpEnded: self._on_wrap_up_ended,
            domain.ContactLost: self._on_lost,
            domain.SurveyCompleted: self._on_survey,
            domain.AgentStateChanged: self._on_agent_state,
            domain.AgentUnknown: self._on_agent_unknown,
            domain.QueueDefined: self._on_queue,
            domain.EscalationOpened: self._on_escalation,
            domain.EscalationUpdated: self._on_escalation,
            domain.EscalationReopened: self._on_reopened,
            domain.EscalationResolved: self._on_resolved,
            domain.EscalationReassigned: self._on_reassigned,
            domain.ServerTime: self._on_server_time,
            domain.Anomaly: self._on_anomaly,
            domain.CaseChanged: _ignore,
            domain.SnapshotReplaced: _ignore,
        }

    # ------------------------------------------------------------------ feeding

    def feed(self, event: wire.Event | wire.UnknownEvent) -> None:
        """Apply one event (journal order). Unknown types and control messages only move the clock."""
        self.events_fed += 1
        facts = self.facts
        ts = event.ts
        latest = self._latest_ts
        if latest is None or ts > latest:
            # converted only when the stream's time moves on (many events share a ts)
            self._latest_ts = ts
            if facts.center_tz is None:
                facts.center_tz = ts.tzinfo
            ts_us = to_us(ts)
            if facts.last_us is None or ts_us > facts.last_us:
                facts.last_us = ts_us
        interpret = self._interpret.get(type(event))
        if interpret is not None:
            on = self._on
            for fact in interpret(event):
                on[type(fact)](fact)

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
        self.interpreter.forget(before)
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

    def _establish(self, contact: wire.Contact, c: ContactFact) -> None:
        """Fill a contact fact from a full contact record (its queued_at the earliest told)."""
        c.queued_us = to_us(contact.queued_at)
        if c.first_queue is None:
            c.first_queue = contact.queue
        c.queue = contact.queue
        c.channel = contact.channel
        c.customer = contact.customer
        c.priority = contact.priority
        if contact.case_id is not None:
            c.case_id = contact.case_id
        self._see_queue(contact.queue)

    def _on_queued(self, f: domain.ContactQueued) -> None:
        contact = f.contact
        contacts = self.facts.contacts
        c = contacts.get(contact.call_id)
        if c is None:
            c = contacts[contact.call_id] = ContactFact(contact.call_id)
        else:
            c.outcome, c.lost_us = WAITING, None
        self._establish(contact, c)

    def _on_queued_late(self, f: domain.ContactQueuedLate) -> None:
        self._establish(f.contact, self._contact(f.contact.call_id))

    def _on_transferred(self, f: domain.ContactTransferred) -> None:
        c = self._contact(f.call_id)
        if c.first_queue is None:
            c.first_queue = f.to_queue
        c.queue = f.to_queue
        c.transfers += 1
        self._see_queue(f.to_queue)

    def _on_answered(self, f: domain.ContactAnswered) -> None:
        c = self._contact(f.call_id)
        c.outcome = ANSWERED
        c.outcome_us = to_us(f.at)
        c.answered_by = f.agent_id
        c.lost_us = None

    def _on_abandoned(self, f: domain.ContactAbandoned) -> None:
        c = self._contact(f.call_id)
        c.outcome = ABANDONED
        c.outcome_us = to_us(f.at)
        c.lost_us = None

    def _on_lost(self, f: domain.ContactLost) -> None:
        c = self.facts.contacts.get(f.call_id)
        if c is not None:
            c.outcome = UNKNOWN
            c.lost_us = to_us(f.at)

    def _on_ended(self, f: domain.ContactEnded) -> None:
        c = self._contact(f.call_id)
        c.ended_us = to_us(f.at)
        c.ended_by = f.agent_id
        if f.case_id is not None:
            c.case_id = f.case_id
        agent_id = f.answered_by or f.agent_id
        agents = self.facts.agents
        a = agents.get(agent_id)
        if a is None:
            a = agents[agent_id] = AgentFact(agent_id)
        if f.wrap_pending:
            a.pending_wrap.append(c)  # its wrap-up's end comes with a WrapUpEnded

    def _on_wrap_up_ended(self, f: domain.WrapUpEnded) -> None:
        c = self.facts.contacts.get(f.call_id)
        if c is None:
            return  # pruned meanwhile
        c.wrap_end_us = to_us(f.at)
        a = self.facts.agents.get(f.agent_id)
        if a is not None and a.pending_wrap:
            pending = a.pending_wrap
            for i, p in enumerate(pending):
                if p is c:
                    del pending[i]
                    break

    def _on_survey(self, f: domain.SurveyCompleted) -> None:
        c = self.facts.contacts.get(f.call_id)
        if c is None:
            survey_after_fold(self.facts, f, self.anomalies)  # its contact was folded (fold.py)
            return  # unknown (the interpreter counted it), or pruned
        if c.scores is None:
            c.scores = [f.score]
        else:
            c.scores.append(f.score)
        if c.case_id is None and f.case_id is not None:
            c.case_id = f.case_id

    # ------------------------------------------------------------------ agents

    def _on_agent_state(self, f: domain.AgentStateChanged) -> None:
        agent = f.agent
        agents = self.facts.agents
        a = agents.get(agent.agent_id)
        if a is None:
            a = agents[agent.agent_id] = AgentFact(agent.agent_id)
        since_us = to_us(agent.since)  # never before the previous since (the interpreter's rule)
        if a.state is not None and since_us > a.since_us:
            a.timeline.append(a.state, a.since_us, since_us)
        a.state = agent.state
        a.since_us = since_us
        a.call_id = agent.call_id
        a.name = agent.name
        a.team = agent.team

    def _on_agent_unknown(self, f: domain.AgentUnknown) -> None:
        a = self.facts.agents.get(f.agent_id)
        if a is None:
            return
        end_us = to_us(f.end)
        if a.state is not None and end_us > a.since_us:
            a.timeline.append(a.state, a.since_us, end_us)
        a.state = None
        a.since_us = max(a.since_us, end_us)
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

    def _on_escalation(self, f: domain.EscalationOpened | domain.EscalationUpdated) -> None:
        rec = f.escalation
        e = self._escalation_fact(rec.escalation_id)
        e.case_id = rec.case_id
        e.department = rec.department
        e.owner = rec.owner
        e.severity = rec.severity
        e.summary = rec.summary
        e.opened_us = to_us(rec.opened_at)
        e.due_us = to_us(rec.due_at)
        e.status = rec.status

    def _on_reopened(self, f: domain.EscalationReopened) -> None:
        e = self._escalation_fact(f.escalation_id)
        e.resolved_us = None
        e.resolved_exact = False

    def _on_resolved(self, f: domain.EscalationResolved) -> None:
        e = self._escalation_fact(f.escalation_id)
        e.status = "resolved"
        e.resolved_us = to_us(f.at)
        e.resolved_exact = f.exact
        if f.exact:
            e.resolution = f.resolution

    def _on_reassigned(self, f: domain.EscalationReassigned) -> None:
        e = self._escalation_fact(f.escalation_id)
        e.reassignments += 1
        e.owner = f.to_owner
        self.facts.reassignments.append(
            ReassignmentFact(f.escalation_id, to_us(f.at), f.by, f.from_owner, f.to_owner, f.reason)
        )

    # ------------------------------------------------------------------ queues, clock, anomalies

    def _on_queue(self, f: domain.QueueDefined) -> None:
        self.facts.add_queue_record(to_us(f.at), f.queue)
        self._see_queue(f.queue.id)

    def _on_server_time(self, f: domain.ServerTime) -> None:
        us = to_us(f.at)
        facts = self.facts
        if facts.last_us is None or us > facts.last_us:
            facts.last_us = us

    def _on_anomaly(self, f: domain.Anomaly) -> None:
        self.anomalies[f.reason] += 1


def _ignore(_fact: Any) -> None:
    """Facts with no bearing on the KPI figures (case records; a snapshot's own parts come as facts)."""

"""A case's drill-down: customer, category, subject, status, linked calls and one timeline.

Built from the local journal (the events that name the case, its calls and its
escalations) plus the audit trail (reassignment requests, reveals), so it opens without
asking the server. The live floor fills in what the journal cannot know: a case first
seen in a snapshot (snapshots are not indexed by id) and whether a call is waiting or
talking right now. Values stay raw here; the UI masks them for display.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

import msgspec

from supervisor import domain, wire
from supervisor.escalations import AUDIT_REASSIGN, AUDIT_REVEAL
from supervisor.domain import seconds_between
from supervisor.floor import Floor

Source = Literal["journal", "audit", "case"]


@dataclass(frozen=True)
class Entry:
    """One line of the timeline. ``info`` holds plain values for the UI to format.

    ``seq``/``event_type`` name the journaled event behind the line (None for audit
    entries and for notes, which come from the case record).
    """

    at: datetime
    kind: str
    info: Mapping[str, Any] = field(default_factory=dict)
    call_id: str | None = None
    escalation_id: str | None = None
    seq: int | None = None
    event_type: str | None = None
    source: Source = "journal"


@dataclass
class CallSummary:
    """One call linked to the case, as far as the journal and the floor know it."""

    call_id: str
    queue: str = ""
    channel: str = ""
    queued_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    abandoned_at: datetime | None = None
    agent_id: str = ""
    agent_name: str = ""
    survey_score: int | None = None
    live: Literal["waiting", "talking", ""] = ""

    @property
    def outcome(self) -> str:
        """waiting | talking | ended | abandoned | answered | unknown."""
        if self.live:
            return self.live
        if self.abandoned_at is not None:
            return "abandoned"
        if self.ended_at is not None:
            return "ended"
        if self.answered_at is not None:
            return "answered"
        return "unknown"

    @property
    def wait_s(self) -> float | None:
        """Queued to answered or abandoned, never negative (``domain.seconds_between``)."""
        return seconds_between(self.queued_at, self.answered_at or self.abandoned_at)

    @property
    def talk_s(self) -> float | None:
        return seconds_between(self.answered_at, self.ended_at)


@dataclass(frozen=True)
class CaseFile:
    """Everything the drill-down shows about one case."""

    case_id: str
    case: wire.Case | None
    customer: wire.Customer | None
    calls: tuple[CallSummary, ...]
    escalations: tuple[wire.Escalation, ...]
    timeline: tuple[Entry, ...]

    @property
    def known(self) -> bool:
        return self.case is not None or bool(self.calls) or bool(self.escalations)

    @property
    def category(self) -> str:
        return self.case.category if self.case else ""

    @property
    def subject(self) -> str:
        return self.case.subject if self.case else ""

    @property
    def status(self) -> str:
        return self.case.status if self.case else ""

    @property
    def opened_at(self) -> datetime | None:
        return self.case.opened_at if self.case else None


class Journal(Protocol):
    """What the drill-down needs of a store (``supervisor.store.Store`` has it)."""

    def events_for(
        self,
        call_ids: Iterable[str] = (),
        case_ids: Iterable[str] = (),
        escalation_ids: Iterable[str] = (),
        agent_ids: Iterable[str] = (),
    ) -> list[wire.Event]: ...

    def audit(
        self, subject_ids: Iterable[str] | None = None, kinds: Iterable[str] | None = None
    ) -> Sequence[Any]: ...


# --------------------------------------------------------------------------- loading


def linked_ids(
    case_id: str, events: Iterable[wire.Event], floor: Floor | None = None
) -> tuple[set[str], set[str]]:
    """The call ids and escalation ids that belong to the case."""
    calls: set[str] = set()
    escalations: set[str] = set()
    for ev in events:
        if isinstance(ev, (wire.CaseOpened, wire.CaseUpdated)) and ev.data.case.case_id == case_id:
            calls.update(ev.data.case.call_ids)
        elif isinstance(ev, wire.CallQueued) and ev.data.contact.case_id == case_id:
            calls.add(ev.data.contact.call_id)
        elif isinstance(ev, (wire.CallEnded, wire.SurveyCompleted)) and ev.data.case_id == case_id:
            calls.add(ev.data.call_id)
        elif isinstance(ev, (wire.EscalationOpened, wire.EscalationUpdated)) and ev.data.escalation.case_id == case_id:
            escalations.add(ev.data.escalation.escalation_id)
    if floor is not None:
        case = floor.cases.get(case_id)
        if case is not None:
            calls.update(case.call_ids)
        escalations.update(e.escalation_id for e in floor.escalations.values() if e.case_id == case_id)
        calls.update(c.call_id for c in floor.waiting.values() if c.case_id == case_id)
        calls.update(k for k, t in floor.talking.items() if t.contact.case_id == case_id)
    calls.discard("")
    return calls, escalations


def load_case_file(journal: Journal, case_id: str, floor: Floor | None = None) -> CaseFile:
    """Read the case's events and audit entries from the store and build its drill-down.

    Two indexed lookups: the events naming the case (which say which calls and
    escalations it has), then everything naming any of those.
    """
    first = journal.events_for(case_ids=[case_id])
    calls, escalations = linked_ids(case_id, first, floor)
    events = (
        journal.events_for(case_ids=[case_id], call_ids=calls, escalation_ids=escalations)
        if calls or escalations
        else first
    )
    audit = journal.audit(subject_ids=[case_id, *sorted(escalations)], kinds=[AUDIT_REASSIGN, AUDIT_REVEAL])
    return build_case_file(case_id, events, audit, floor)


# --------------------------------------------------------------------------- building


def build_case_file(
    case_id: str,
    events: Iterable[wire.Event],
    audit: Iterable[Any] = (),
    floor: Floor | None = None,
) -> CaseFile:
    """The drill-down from the journal's events (in journal order), audit entries and the floor.

    Events that belong to neither the case, its calls nor its escalations are ignored,
    so a caller may pass a superset.
    """
    events = list(events)
    call_ids, esc_ids = linked_ids(case_id, events, floor)
    agent_names = _agent_names(events, floor)
    builder = _Builder(case_id, call_ids, esc_ids, agent_names)
    for ev in events:
        builder.apply(ev)
    builder.finish(floor)
    for entry in audit:
        builder.audit(entry)
    # one timeline in time order; journal order breaks ties (a stable sort)
    timeline = sorted(builder.timeline, key=lambda e: e.at)
    calls = sorted(
        builder.calls.values(),
        key=lambda c: (c.queued_at is None, c.queued_at or c.answered_at or _EPOCH_SENTINEL, c.call_id),
    )
    escs = sorted(builder.escalations.values(), key=lambda e: (e.opened_at, e.escalation_id))
    return CaseFile(case_id, builder.case, builder.customer, tuple(calls), tuple(escs), tuple(timeline))


_EPOCH_SENTINEL = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def _agent_names(events: Iterable[wire.Event], floor: Floor | None) -> dict[str, str]:
    names: dict[str, str] = {}
    if floor is not None:
        names.update({k: a.name for k, a in floor.agents.items() if a.name})
    for ev in events:
        if isinstance(ev, wire.AgentStateChanged) and ev.data.agent.name:
            names.setdefault(ev.data.agent.agent_id, ev.data.agent.name)
    return names


def _person(p: wire.Person) -> dict[str, str]:
    return {"id": p.id, "name": p.name}


class _Builder:
    def __init__(self, case_id: str, call_ids: set[str], esc_ids: set[str], agent_names: dict[str, str]) -> None:
        self.case_id = case_id
        self.call_ids = call_ids
        self.esc_ids = esc_ids
        self.agent_names = agent_names
        self.case: wire.Case | None = None
        self.customer: wire.Customer | None = None
        self.calls: dict[str, CallSummary] = {}
        self.escalations: dict[str, wire.Escalation] = {}
        self.timeline: list[Entry] = []
        self.notes_seen: set[tuple[datetime, str, str]] = set()
        # what each event means is decided there; only the case's own ids reach the timeline
        self.interpreter = domain.Interpreter()
        self._on: dict[type, Callable[[wire.Event, Any], None]] = {
            domain.ContactQueued: self._queued,
            domain.ContactQueuedLate: self._queued,
            domain.ContactTransferred: self._transferred,
            domain.ContactAnswered: self._answered,
            domain.ContactAbandoned: self._abandoned,
            domain.ContactEnded: self._ended,
            domain.AgentStateChanged: self._agent_state,
            domain.SurveyCompleted: self._survey,
            domain.CaseChanged: self._case_fact,
            domain.EscalationOpened: self._escalation_fact,
            domain.EscalationUpdated: self._escalation_fact,
            domain.EscalationReassigned: self._reassigned,
            domain.EscalationResolved: self._resolved,
        }

    # -- helpers

    def _call(self, call_id: str) -> CallSummary:
        call = self.calls.get(call_id)
        if call is None:
            call = self.calls[call_id] = CallSummary(call_id)
        return call

    def _add(self, ev: wire.Event, at: datetime, kind: str, info: dict[str, Any],
             call_id: str | None = None, escalation_id: str | None = None) -> None:
        self.timeline.append(Entry(at, kind, info, call_id, escalation_id, ev.seq,
                                   ev.__struct_config__.tag, "journal"))  # type: ignore[arg-type]

    def _agent(self, agent_id: str) -> dict[str, Any]:
        return {"agent_id": agent_id, "agent_name": self.agent_names.get(agent_id, "")}

    def _notes(self, case: wire.Case) -> None:
        for note in case.notes:
            key = (note.at, note.by, note.text)
            if key in self.notes_seen:
                continue
            self.notes_seen.add(key)
            self.timeline.append(Entry(note.at, "note", {"by": note.by, "text": note.text}, source="case"))

    # -- events

    def apply(self, ev: wire.Event) -> None:
        """Map what the event means (``supervisor.domain``) onto the case's calls and timeline."""
        for fact in self.interpreter.feed(ev):
            handler = self._on.get(type(fact))
            if handler is not None:
                handler(ev, fact)

    def _queued(self, ev: wire.Event, f: domain.ContactQueued | domain.ContactQueuedLate) -> None:
        c = f.contact
        if c.call_id not in self.call_ids:
            return
        call = self._call(c.call_id)
        call.queue, call.channel, call.queued_at = c.queue, c.channel, c.queued_at
        if self.case is None or self.case.customer is None:
            self.customer = c.customer
        if isinstance(f, domain.ContactQueued) and not f.first:
            return  # restated or waiting again: its queueing is on the timeline already
        self._add(ev, c.queued_at, "queued",
                  {"queue": c.queue, "channel": c.channel, "priority": c.priority}, c.call_id)

    def _transferred(self, ev: wire.Event, f: domain.ContactTransferred) -> None:
        if f.call_id not in self.call_ids:
            return
        call = self._call(f.call_id)
        call.queue = f.to_queue
        self._add(ev, f.at, "transferred", {"from_queue": f.from_queue or "", "queue": f.to_queue}, f.call_id)

    def _answered(self, ev: wire.Event, f: domain.ContactAnswered) -> None:
        if f.call_id not in self.call_ids:
            return
        call = self._call(f.call_id)
        call.answered_at, call.agent_id = f.at, f.agent_id
        call.agent_name = self.agent_names.get(f.agent_id, "")
        info = self._agent(f.agent_id)
        if f.wait is not None:
            info["wait_s"] = f.wait
        self._add(ev, f.at, "answered", info, f.call_id)

    def _abandoned(self, ev: wire.Event, f: domain.ContactAbandoned) -> None:
        if f.call_id not in self.call_ids:
            return
        self._call(f.call_id).abandoned_at = f.at
        info: dict[str, Any] = {}
        if f.wait is not None:
            info["wait_s"] = f.wait
        self._add(ev, f.at, "abandoned", info, f.call_id)

    def _ended(self, ev: wire.Event, f: domain.ContactEnded) -> None:
        if f.call_id not in self.call_ids:
            return
        call = self._call(f.call_id)
        call.ended_at = f.at
        call.agent_id = call.agent_id or f.agent_id
        call.agent_name = call.agent_name or self.agent_names.get(f.agent_id, "")
        info = self._agent(f.agent_id)
        if f.talk is not None:
            info["talk_s"] = f.talk
        self._add(ev, f.at, "ended", info, f.call_id)

    def _agent_state(self, ev: wire.Event, f: domain.AgentStateChanged) -> None:
        a = f.agent
        if a.call_id is None or a.call_id not in self.call_ids:
            return
        self._add(ev, a.since, "agent_state", {**self._agent(a.agent_id), "state": a.state}, a.call_id)

    def _survey(self, ev: wire.Event, f: domain.SurveyCompleted) -> None:
        if f.call_id not in self.call_ids and f.case_id != self.case_id:
            return
        self._call(f.call_id).survey_score = f.score
        self._add(ev, f.at, "survey", {"score": f.score}, f.call_id)

    def _reassigned(self, ev: wire.Event, f: domain.EscalationReassigned) -> None:
        if f.escalation_id not in self.esc_ids:
            return
        esc = self.escalations.get(f.escalation_id)
        if esc is not None:
            self.escalations[f.escalation_id] = _replace(esc, owner=f.to_owner)
        self._add(ev, f.at, "reassigned",
                  {"from": _person(f.from_owner), "to": _person(f.to_owner), "by": _person(f.by),
                   "reason": f.reason}, escalation_id=f.escalation_id)

    def _resolved(self, ev: wire.Event, f: domain.EscalationResolved) -> None:
        if f.escalation_id not in self.esc_ids or not f.exact:
            return  # a record that said "resolved" is on the timeline as its update
        esc = self.escalations.get(f.escalation_id)
        if esc is not None:
            self.escalations[f.escalation_id] = _replace(esc, status="resolved")
        self._add(ev, f.at, "escalation_resolved", {"resolution": f.resolution},
                  escalation_id=f.escalation_id)

    def _case_fact(self, ev: wire.Event, f: domain.CaseChanged) -> None:
        self._case_event(ev, f.case, f.opened)

    def _escalation_fact(self, ev: wire.Event, f: domain.EscalationOpened | domain.EscalationUpdated) -> None:
        self._escalation_event(ev, f.escalation, isinstance(f, domain.EscalationOpened))

    def _case_event(self, ev: wire.Event, case: wire.Case, opened: bool) -> None:
        if case.case_id != self.case_id:
            return
        old = self.case
        self.case = case
        if case.customer is not None:
            self.customer = case.customer
        for call_id in case.call_ids:
            self._call(call_id)
        if opened or old is None:
            self._add(ev, ev.ts, "case_opened" if opened else "case_updated",
                      {"category": case.category, "status": case.status, "subject": case.subject,
                       "changes": [], "calls_linked": list(case.call_ids)})
        else:
            changes = [
                (name, getattr(old, name), getattr(case, name))
                for name in ("status", "category", "subject")
                if getattr(old, name) != getattr(case, name)
            ]
            linked = [c for c in case.call_ids if c not in old.call_ids]
            self._add(ev, ev.ts, "case_updated",
                      {"changes": changes, "calls_linked": linked, "category": case.category,
                       "status": case.status, "subject": case.subject})
        self._notes(case)

    def _escalation_event(self, ev: wire.Event, esc: wire.Escalation, opened: bool) -> None:
        if esc.escalation_id not in self.esc_ids:
            return
        old = self.escalations.get(esc.escalation_id)
        self.escalations[esc.escalation_id] = esc
        base = {"department": esc.department, "owner": _person(esc.owner), "severity": esc.severity,
                "status": esc.status, "due_at": esc.due_at, "summary": esc.summary}
        if opened or old is None:
            self._add(ev, ev.ts, "escalation_opened" if opened
                      else "escalation_updated", {**base, "changes": []}, escalation_id=esc.escalation_id)
            return
        changes: list[tuple[str, Any, Any]] = []
        for name in ("status", "severity", "department", "due_at"):
            if getattr(old, name) != getattr(esc, name):
                changes.append((name, getattr(old, name), getattr(esc, name)))
        if old.owner.id != esc.owner.id:
            changes.append(("owner", _person(old.owner), _person(esc.owner)))
        self._add(ev, ev.ts, "escalation_updated", {**base, "changes": changes},
                  escalation_id=esc.escalation_id)

    # -- the floor and the audit trail

    def finish(self, floor: Floor | None) -> None:
        if floor is not None:
            live_case = floor.cases.get(self.case_id)
            if live_case is not None:
                if self.case is None:
                    # known only from a snapshot: its opening and notes still belong on the timeline
                    self.timeline.append(Entry(live_case.opened_at, "case_opened",
                                               {"category": live_case.category, "status": live_case.status,
                                                "subject": live_case.subject, "changes": [],
                                                "calls_linked": list(live_case.call_ids)}, source="case"))
                self.case = live_case
                self._notes(live_case)
                if live_case.customer is not None:
                    self.customer = live_case.customer
                for call_id in live_case.call_ids:
                    self._call(call_id)
            for esc in floor.escalations.values():
                if esc.escalation_id not in self.esc_ids:
                    continue
                if esc.escalation_id not in self.escalations:
                    # opened before the journal began (known from a snapshot)
                    self.timeline.append(Entry(esc.opened_at, "escalation_opened", {
                        "department": esc.department, "owner": _person(esc.owner),
                        "severity": esc.severity, "status": esc.status, "due_at": esc.due_at,
                        "summary": esc.summary, "changes": []},
                        escalation_id=esc.escalation_id, source="case"))
                self.escalations[esc.escalation_id] = esc  # the floor has the newest word
            for call_id, contact in floor.waiting.items():
                if call_id in self.call_ids:
                    self._live(contact, "waiting")
            for call_id, talking in floor.talking.items():
                if call_id in self.call_ids:
                    call = self._live(talking.contact, "talking")
                    call.answered_at = call.answered_at or talking.answered_at
                    call.agent_id = call.agent_id or talking.agent_id
                    call.agent_name = call.agent_name or self.agent_names.get(talking.agent_id, "")

    def _live(self, contact: wire.Contact, state: Literal["waiting", "talking"]) -> CallSummary:
        if contact.call_id not in self.calls or self.calls[contact.call_id].queued_at is None:
            # queued before the journal began (known from a snapshot)
            self.timeline.append(Entry(contact.queued_at, "queued", {
                "queue": contact.queue, "channel": contact.channel, "priority": contact.priority},
                contact.call_id, source="case"))
        call = self._call(contact.call_id)
        call.live = state
        call.queue = call.queue or contact.queue
        call.channel = call.channel or contact.channel
        call.queued_at = call.queued_at or contact.queued_at
        if self.customer is None:
            self.customer = contact.customer
        return call

    def audit(self, entry: Any) -> None:
        kind = getattr(entry, "kind", "")
        detail: Mapping[str, Any] = getattr(entry, "detail", {}) or {}
        actor: Mapping[str, Any] = getattr(entry, "actor", {}) or {}
        who = {"id": str(actor.get("id", "")), "name": str(actor.get("name", "")),
               "role": str(actor.get("role", ""))}
        if kind == AUDIT_REASSIGN:
            esc_id = str(detail.get("escalation_id", getattr(entry, "subject_id", "")))
            if esc_id not in self.esc_ids:
                return
            self.timeline.append(Entry(entry.at, "reassign_request", {
                "actor": who, "from": detail.get("from", {}), "to": detail.get("to", {}),
                "reason": detail.get("reason", ""), "result": detail.get("result", ""),
                "message": detail.get("message", ""), "late": bool(detail.get("late", False)),
            }, escalation_id=esc_id, source="audit"))
        elif kind == AUDIT_REVEAL:
            if getattr(entry, "subject_id", None) != self.case_id:
                return
            # this desktop's convenience entry: who asked, why (masked), and the server's answer
            self.timeline.append(Entry(entry.at, "reveal", {
                "actor": who, "reason": detail.get("reason", ""), "result": detail.get("result", "ok"),
            }, source="audit"))


def _replace(esc: wire.Escalation, **changes: Any) -> wire.Escalation:
    return msgspec.structs.replace(esc, **changes)

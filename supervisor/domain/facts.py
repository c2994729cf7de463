"""The domain's facts: what a protocol event means, once decided by ``Interpreter``.

Each fact is a small frozen ``msgspec.Struct`` (cheap to build, untracked by the
garbage collector: facts hold only immutable wire records and plain values). Times are
the server's aware datetimes; durations are seconds, never negative.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from supervisor import wire


class Fact(msgspec.Struct, frozen=True, gc=False):
    """Base of every fact."""


# --------------------------------------------------------------------------- contacts


class ContactQueued(Fact, frozen=True, gc=False):
    """The contact waits now, as ``contact`` says (its ``queued_at`` is the earliest known).

    ``first``: its queueing is new (a new contact is offered, or one known only from
    a transfer gets its record); False when it was already waiting (the record is
    restated) or waits again after a snapshot had lost it.
    """

    contact: wire.Contact
    first: bool


class ContactQueuedLate(Fact, frozen=True, gc=False):
    """A ``call.queued`` arriving after its contact's answer or abandon: it tells when and
    where the contact was queued (``queued_at`` is the earliest known), but it does not wait."""

    contact: wire.Contact


class ContactTransferred(Fact, frozen=True, gc=False):
    """A waiting contact moved to another queue; its wait keeps running from ``queued_at``.

    ``known`` is False when the contact was never seen before (it now waits with no
    record; an anomaly is reported too).
    """

    call_id: str
    from_queue: str | None
    to_queue: str
    at: datetime
    known: bool


class ContactAnswered(Fact, frozen=True, gc=False):
    """The contact left the queue, answered by ``agent_id``; ``wait`` in seconds (≥ 0),
    None when its queueing is unknown. ``queue`` is the queue it was in. ``talking``: the
    call is in progress (False when its ``call.ended`` came first)."""

    call_id: str
    agent_id: str
    at: datetime
    queue: str | None
    queued_at: datetime | None
    wait: float | None
    talking: bool = True


class ContactAbandoned(Fact, frozen=True, gc=False):
    """The customer hung up while waiting; ``wait`` in seconds (≥ 0) or None."""

    call_id: str
    at: datetime
    queue: str | None
    queued_at: datetime | None
    wait: float | None


class ContactEnded(Fact, frozen=True, gc=False):
    """Talk finished. ``agent_id`` as the event says; ``answered_by`` the agent that answered
    (None when unknown); ``talk`` in seconds (≥ 0), None when the answer is unknown.
    ``wrap_pending``: the end of its wrap-up comes later (a ``WrapUpEnded`` once the
    agent leaves wrap-up); False when it follows at once or will never be known."""

    call_id: str
    agent_id: str
    at: datetime
    case_id: str | None
    answered_by: str | None
    talk: float | None
    wrap_pending: bool


class WrapUpEnded(Fact, frozen=True, gc=False):
    """The answering agent's wrap-up after the call ended at ``at`` (never before the end)."""

    call_id: str
    agent_id: str
    at: datetime


class ContactLost(Fact, frozen=True, gc=False):
    """The contact was waiting before a snapshot that no longer lists it: it left during a
    gap and its outcome is unknown (it stays offered, never answered nor abandoned)."""

    call_id: str
    at: datetime


class SurveyCompleted(Fact, frozen=True, gc=False):
    """A post-call survey; ``known`` is False when its contact was never seen."""

    call_id: str
    case_id: str | None
    score: int
    at: datetime
    known: bool


# --------------------------------------------------------------------------- agents, queues


class AgentStateChanged(Fact, frozen=True, gc=False):
    """The agent's record now (its ``since`` never before the previous one's), and the
    closed interval of the previous state: ``previous`` from ``start`` to ``end``
    (``previous``/``start`` None when it was unknown; the interval may be empty)."""

    agent: wire.Agent
    previous: str | None
    start: datetime | None
    end: datetime


class AgentUnknown(Fact, frozen=True, gc=False):
    """The agent is absent from a snapshot: its ``previous`` state is closed at ``end`` and
    nothing is known of it from then on (the end of a pending wrap-up is never seen)."""

    agent_id: str
    previous: str
    start: datetime
    end: datetime


class QueueDefined(Fact, frozen=True, gc=False):
    """A queue record (name, T, W) in force from ``at`` (a snapshot's or ``queue.updated``'s ts)."""

    queue: wire.Queue
    at: datetime


# --------------------------------------------------------------------------- cases, escalations


class CaseChanged(Fact, frozen=True, gc=False):
    """A case record, full (``opened``: from ``case.opened``)."""

    case: wire.Case
    opened: bool


class EscalationOpened(Fact, frozen=True, gc=False):
    """An ``escalation.opened`` record."""

    escalation: wire.Escalation


class EscalationUpdated(Fact, frozen=True, gc=False):
    """An ``escalation.updated`` record, or one listed in a snapshot (``from_snapshot``)."""

    escalation: wire.Escalation
    from_snapshot: bool


class EscalationReassigned(Fact, frozen=True, gc=False):
    """``escalation.reassigned``; ``known`` is False for an escalation never seen."""

    escalation_id: str
    from_owner: wire.Person
    to_owner: wire.Person
    by: wire.Person
    reason: str
    at: datetime
    known: bool


class EscalationResolved(Fact, frozen=True, gc=False):
    """Resolved at ``at``. ``exact``: told by ``escalation.resolved``; otherwise a record
    said "resolved" first and its event's ts is the best time known (a later exact one
    replaces it). ``known`` is False for an escalation never seen."""

    escalation_id: str
    at: datetime
    resolution: str
    exact: bool
    known: bool


class EscalationReopened(Fact, frozen=True, gc=False):
    """A resolved escalation's record says it is not resolved any more (an anomaly too);
    the record follows as ``EscalationOpened``/``EscalationUpdated``."""

    escalation_id: str


# --------------------------------------------------------------------------- stream


class SnapshotReplaced(Fact, frozen=True, gc=False):
    """A whole snapshot (its parts joined) replaced the live state at ``at``. The facts of
    what it says follow it: ``QueueDefined``, ``ContactQueued``, ``ContactLost``,
    ``AgentStateChanged``, ``AgentUnknown``, ``EscalationUpdated`` (from_snapshot)."""

    data: wire.SnapshotData
    at: datetime


class ServerTime(Fact, frozen=True, gc=False):
    """The server's clock (``hello``/``heartbeat``)."""

    at: datetime


class Anomaly(Fact, frozen=True, gc=False):
    """An event that named an unknown id, contradicted others or repeated an outcome.

    ``reason`` is the same text for every event of its kind (a counter key); ``subject``
    the id it concerns.
    """

    reason: str
    subject: str

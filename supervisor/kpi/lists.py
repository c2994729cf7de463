"""The lists behind the figures: contacts, SLA breaches, escalations, reassignments.

Rows carry raw values (customer records unmasked: masking belongs to the presentation
layer, supervisor/masking.py) and times in the center's timezone. Per-contact durations
are exact seconds at the protocol's precision; only aggregate figures are rounded.
The same period rules as the figures apply, so a list's length equals its count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from supervisor import wire
from supervisor.kpi.facts import (
    ABANDONED,
    ANSWERED,
    US_PER_S,
    WAITING,
    ContactFact,
    KpiFacts,
    clamp,
    from_us,
    to_us,
)
from supervisor.kpi.figures import now_us_of, open_at, period_us


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One contact offered in the period, with its outcome as known now.

    ``wait_seconds`` is the wait to the answer or abandon, or the live wait at
    server_now for a contact still waiting; None when the outcome is unknown.
    ``short`` marks an abandon within S; ``breached`` a wait beyond the contact's T,
    ``sla_seconds`` (its queue's T in force at its outcome, or at server_now while it
    waits: KPI.md). Durations between times that contradict each other are 0.
    """

    call_id: str
    queue: str
    first_queue: str
    transfers: int
    channel: str | None
    customer: wire.Customer | None
    priority: int
    case_id: str | None
    queued_at: datetime
    outcome: str  # answered | abandoned | waiting | unknown
    outcome_at: datetime | None
    wait_seconds: float | None
    short: bool
    breached: bool
    agent_id: str | None
    ended_at: datetime | None
    talk_seconds: float | None
    wrap_up_seconds: float | None
    handle_seconds: float | None
    scores: tuple[int, ...]
    sla_seconds: float = 900.0


@dataclass(frozen=True, slots=True)
class EscalationRow:
    """One escalation active in the period (opened before its end, not resolved before its start)."""

    escalation_id: str
    case_id: str
    department: str
    owner: wire.Person | None
    severity: str
    status: str
    summary: str
    opened_at: datetime | None
    due_at: datetime | None
    resolved_at: datetime | None
    on_time: bool | None  # None while unresolved
    time_to_resolve_seconds: float | None
    overdue_open: bool  # open and past due at server_now
    reassignments: int
    resolution: str


@dataclass(frozen=True, slots=True)
class ReassignmentRow:
    """One reassignment: who moved which escalation, from whom, to whom, why, when."""

    escalation_id: str
    department: str
    at: datetime
    by: wire.Person
    from_owner: wire.Person
    to_owner: wire.Person
    reason: str


def _tz(facts: KpiFacts, start: datetime) -> tzinfo:
    return facts.center_tz or start.tzinfo or timezone.utc


def _opt(us: int | None, tz: tzinfo) -> datetime | None:
    return None if us is None else from_us(us, tz)


def _secs(us: int | None) -> float | None:
    return None if us is None else us / US_PER_S


def contact_row(c: ContactFact, facts: KpiFacts, tz: tzinfo, now_us: int, short_us: int) -> ContactRow:
    assert c.queued_us is not None and c.queue is not None
    sla_us = facts.sla_us_of(c, now_us)
    if c.outcome in (ANSWERED, ABANDONED):
        wait = c.wait_us
    elif c.outcome == WAITING:
        wait = clamp(now_us - c.queued_us)
    else:
        wait = None
    talk = c.talk_us
    wrap = c.wrap_up_us if talk is not None else None
    handle = None if talk is None or wrap is None else talk + wrap
    return ContactRow(
        call_id=c.call_id,
        queue=c.queue,
        first_queue=c.first_queue or c.queue,
        transfers=c.transfers,
        channel=c.channel,
        customer=c.customer,
        priority=c.priority,
        case_id=c.case_id,
        queued_at=from_us(c.queued_us, tz),
        outcome=c.outcome,
        outcome_at=_opt(c.outcome_us, tz),
        wait_seconds=_secs(wait),
        short=c.outcome == ABANDONED and wait is not None and wait < short_us,
        breached=wait is not None and wait > sla_us,
        agent_id=c.answered_by,
        ended_at=_opt(c.ended_us, tz),
        talk_seconds=_secs(talk),
        wrap_up_seconds=_secs(wrap),
        handle_seconds=_secs(handle),
        scores=tuple(c.scores or ()),
        sla_seconds=sla_us / US_PER_S,
    )


def _offered(
    facts: KpiFacts, start_us: int, end_us: int, queues: Sequence[str] | None
) -> list[ContactFact]:
    """The contacts offered in [start, end) (optionally of some queues), by queued_at."""
    wanted = None if queues is None else frozenset(queues)
    picked = [
        c for c in facts.contacts.values()
        if c.queued_us is not None and start_us <= c.queued_us < end_us and c.queue is not None
        and (wanted is None or c.queue in wanted)
    ]
    picked.sort(key=lambda c: (c.queued_us, c.call_id))
    return picked


def contact_list(
    facts: KpiFacts,
    start: datetime,
    end: datetime,
    *,
    server_now: datetime | None = None,
    short_abandon_s: float = 5,
    queues: Sequence[str] | None = None,
) -> list[ContactRow]:
    """Every contact offered in [start, end), in order of queued_at."""
    start_us, end_us = period_us(start, end)
    if facts.folded is not None:  # no per-contact record of the contacts folded away
        facts.folded.check_contacts(start_us, end_us)
    now_us = now_us_of(facts, server_now)
    short_us = round(short_abandon_s * US_PER_S)
    tz = _tz(facts, start)
    return [contact_row(c, facts, tz, now_us, short_us) for c in _offered(facts, start_us, end_us, queues)]


def sla_breach_list(
    facts: KpiFacts,
    start: datetime,
    end: datetime,
    *,
    server_now: datetime | None = None,
    short_abandon_s: float = 5,
    queues: Sequence[str] | None = None,
) -> list[ContactRow]:
    """The SLA breaches of KPI.md: contacts offered in the period that were answered or
    abandoned after more than T, or are still waiting beyond T at server_now."""
    start_us, end_us = period_us(start, end)
    now_us = now_us_of(facts, server_now)
    short_us = round(short_abandon_s * US_PER_S)
    tz = _tz(facts, start)
    rows = []
    for c in _offered(facts, start_us, end_us, queues):
        if c.outcome in (ANSWERED, ABANDONED):
            wait = c.wait_us
        elif c.outcome == WAITING:
            wait = now_us - c.queued_us  # type: ignore[operator]
        else:
            continue
        if wait is not None and wait > facts.sla_us_of(c, now_us):
            rows.append(contact_row(c, facts, tz, now_us, short_us))
    if facts.folded is not None:  # the breaches among the contacts folded away (fold.py)
        folded = facts.folded.breach_rows(
            start_us, end_us, short_us, None if queues is None else frozenset(queues)
        )
        if folded:
            keyed = [((to_us(r.queued_at), r.call_id), r) for r in rows]
            keyed.extend(folded)
            keyed.sort(key=lambda kr: kr[0])
            rows = [r for _, r in keyed]
    return rows


def escalation_list(
    facts: KpiFacts,
    start: datetime,
    end: datetime,
    *,
    server_now: datetime | None = None,
) -> list[EscalationRow]:
    """Escalations active in the period, in order of opened_at."""
    start_us, end_us = period_us(start, end)
    now_us = now_us_of(facts, server_now)
    tz = _tz(facts, start)
    rows: list[tuple[int, str, EscalationRow]] = []
    for e in facts.escalations.values():
        opened = e.opened_us
        if opened is None or opened >= end_us:
            continue  # not opened in or before the period, or its record was never seen
        resolved = e.status == "resolved"
        if resolved and (e.resolved_us is None or e.resolved_us < start_us):
            continue
        r_us = e.resolved_us if resolved else None
        rows.append((opened, e.escalation_id, EscalationRow(
            escalation_id=e.escalation_id,
            case_id=e.case_id,
            department=e.department,
            owner=e.owner,
            severity=e.severity,
            status=e.status,
            summary=e.summary,
            opened_at=_opt(opened, tz),
            due_at=_opt(e.due_us, tz),
            resolved_at=_opt(r_us, tz),
            on_time=None if r_us is None or e.due_us is None else r_us <= e.due_us,
            time_to_resolve_seconds=None if r_us is None else clamp(r_us - opened) / US_PER_S,
            overdue_open=e.due_us is not None and now_us > e.due_us and open_at(e, now_us),
            reassignments=e.reassignments,
            resolution=e.resolution,
        )))
    rows.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in rows]


def reassignment_list(facts: KpiFacts, start: datetime, end: datetime) -> list[ReassignmentRow]:
    """Reassignments whose ``at`` is in the period, in time order."""
    start_us, end_us = period_us(start, end)
    tz = _tz(facts, start)
    picked = sorted(
        (r for r in facts.reassignments if start_us <= r.at_us < end_us), key=lambda r: r.at_us
    )
    return [
        ReassignmentRow(
            escalation_id=r.escalation_id,
            department=(
                facts.escalations[r.escalation_id].department
                if r.escalation_id in facts.escalations else ""
            ),
            at=from_us(r.at_us, tz),
            by=r.by,
            from_owner=r.from_owner,
            to_owner=r.to_owner,
            reason=r.reason,
        )
        for r in picked
    ]

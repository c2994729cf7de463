"""Live per-queue figures of the floor at a server time: waiting, longest wait, breaches, staffing.

Figures over the period (service level today, ASA, abandon %) come from the KPI engine;
these are the "right now" ones the queue tiles show beside them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from supervisor.floor import Floor
from supervisor.sla import SlaPolicy, SlaState, wait_seconds

TOTAL = "__total__"
BUSY_STATES = frozenset({"ringing", "on_call", "wrap_up"})


@dataclass(slots=True)
class QueueNow:
    queue_id: str
    name: str
    waiting: int = 0
    warning: int = 0
    breached: int = 0
    longest_wait_s: float | None = None
    available: int = 0  # agents skilled for the queue and available
    on_call: int = 0  # agents skilled for the queue and ringing, on a call or in wrap-up
    worst: SlaState = SlaState.OK
    states: Counter[str] = field(default_factory=Counter)


def agent_in_scope(team: str, skills: Collection[str], queues: Collection[str] | None,
                   teams: Collection[str] | None) -> bool:
    """Whether an agent belongs to a supervisor's scope ("my floor", issue 12 point 2):
    their team is one of ``teams``; with queues but no teams, they are skilled for one of
    ``queues`` (an agent listing no skill takes any queue); None: all."""
    if teams is not None:
        return team in teams
    if queues is not None:
        return not skills or any(s in queues for s in skills)
    return True


def queues_now(floor: Floor, server_now: datetime, queues: Collection[str] | None = None,
               teams: Collection[str] | None = None) -> dict[str, QueueNow]:
    """Per queue and in total (key ``TOTAL``): what the floor looks like at ``server_now``.

    ``queues``/``teams`` (a scope, None: all): only those queues' rows and waiting contacts,
    and only the agents of ``agent_in_scope``, in the rows and the total alike."""
    out = {qid: QueueNow(qid, q.name or qid) for qid, q in floor.queues.items()
           if queues is None or qid in queues}
    total = QueueNow(TOTAL, "")
    for contact in floor.waiting.values():
        if queues is not None and contact.queue not in queues:
            continue
        row = out.get(contact.queue)
        if row is None:
            row = out[contact.queue] = QueueNow(contact.queue, contact.queue)
        policy = SlaPolicy.of(floor.queues.get(contact.queue))
        wait = wait_seconds(contact.queued_at, server_now)
        state = policy.state(wait)
        for target in (row, total):
            target.waiting += 1
            if state is SlaState.BREACHED:
                target.breached += 1
            elif state is SlaState.WARNING:
                target.warning += 1
            if target.longest_wait_s is None or wait > target.longest_wait_s:
                target.longest_wait_s = wait
            target.worst = _worse(target.worst, state)
    # agents grouped by (state, skills) first: a few dozen groups, however many agents
    # (10,000 agents one by one took 50 ms of the desk's main thread every second)
    # (with teams: by (state, skills, team), still a few dozen groups)
    scoped = queues is not None or teams is not None
    groups = Counter((a.state, a.skills, a.team if teams is not None else "") for a in floor.agents.values())
    for (agent_state, skills, team), n in groups.items():
        if scoped and not agent_in_scope(team, skills, queues, teams):
            continue
        total.states[agent_state] += n
        if agent_state == "available":
            total.available += n
        elif agent_state in BUSY_STATES:
            total.on_call += n
        for skill in skills:
            row = out.get(skill)
            if row is None:
                continue
            row.states[agent_state] += n
            if agent_state == "available":
                row.available += n
            elif agent_state in BUSY_STATES:
                row.on_call += n
    out[TOTAL] = total
    return out


_RANK = {SlaState.OK: 0, SlaState.WARNING: 1, SlaState.BREACHED: 2}


def _worse(a: SlaState, b: SlaState) -> SlaState:
    return a if _RANK[a] >= _RANK[b] else b

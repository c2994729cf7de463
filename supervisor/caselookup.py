"""Which case a waiting contact, a call, an agent or an escalation belongs to.

"From an agent" means the agent's current call, else their newest call that has a case;
"from a call" asks the live floor first, then the journal (``call.queued`` contact
case_id, ``call.ended`` case_id, surveys, case records listing the call), then the
cases the floor knows. Each lookup is one indexed journal query.
"""

from __future__ import annotations

from collections.abc import Iterable

from supervisor import wire
from supervisor.casefile import Journal
from supervisor.floor import Floor


def case_of_call_in(events: Iterable[wire.Event], call_id: str) -> str | None:
    """The case a call belongs to according to these events (the newest word wins)."""
    found: str | None = None
    for ev in events:
        if isinstance(ev, wire.CallQueued) and ev.data.contact.call_id == call_id:
            found = ev.data.contact.case_id or found
        elif isinstance(ev, (wire.CallEnded, wire.SurveyCompleted)) and ev.data.call_id == call_id:
            found = ev.data.case_id or found
        elif isinstance(ev, (wire.CaseOpened, wire.CaseUpdated)) and call_id in ev.data.case.call_ids:
            found = ev.data.case.case_id
    return found


def case_for_call(journal: Journal, floor: Floor | None, call_id: str) -> str | None:
    """A waiting contact's or a call's case: the live contact, the journal, then the cases."""
    if floor is not None:
        contact = floor.waiting.get(call_id)
        if contact is None and call_id in floor.talking:
            contact = floor.talking[call_id].contact
        if contact is not None and contact.case_id:
            return contact.case_id
    found = case_of_call_in(journal.events_for(call_ids=[call_id]), call_id)
    if found:
        return found
    if floor is not None:
        for case in floor.cases.values():
            if call_id in case.call_ids:
                return case.case_id
    return None


def case_for_agent(journal: Journal, floor: Floor | None, agent_id: str) -> str | None:
    """An agent's current call's case, else the case of their newest call that has one."""
    if floor is not None:
        agent = floor.agents.get(agent_id)
        if agent is not None and agent.call_id:
            found = case_for_call(journal, floor, agent.call_id)
            if found:
                return found
    events = journal.events_for(agent_ids=[agent_id])
    calls: list[str] = []  # newest first
    ended_case: dict[str, str] = {}
    for ev in reversed(events):
        if isinstance(ev, wire.CallEnded) and ev.data.agent_id == agent_id and ev.data.case_id:
            ended_case.setdefault(ev.data.call_id, ev.data.case_id)
        call_id = _agent_call(ev, agent_id)
        if call_id and call_id not in calls:
            calls.append(call_id)
    for call_id in calls[:5]:  # the newest few calls; older ones are not "the last call"
        found = ended_case.get(call_id) or case_for_call(journal, floor, call_id)
        if found:
            return found
    return None


def _agent_call(ev: wire.Event, agent_id: str) -> str | None:
    if isinstance(ev, (wire.CallAnswered, wire.CallEnded)) and ev.data.agent_id == agent_id:
        return ev.data.call_id
    if isinstance(ev, wire.AgentStateChanged) and ev.data.agent.agent_id == agent_id:
        return ev.data.agent.call_id
    return None


def case_for_escalation(journal: Journal, floor: Floor | None, escalation_id: str) -> str | None:
    if floor is not None:
        esc = floor.escalations.get(escalation_id)
        if esc is not None and esc.case_id:
            return esc.case_id
    for ev in reversed(journal.events_for(escalation_ids=[escalation_id])):
        if isinstance(ev, (wire.EscalationOpened, wire.EscalationUpdated)) and ev.data.escalation.case_id:
            return ev.data.escalation.case_id
    return None


def resolve_case(journal: Journal, floor: Floor | None, key: str) -> str | None:
    """The case behind any row id the desk shows: a case, an escalation, an agent or a call.

    The floor says what kind of id it is when it knows it; otherwise the journal is
    asked in the order escalation, agent, call (ids of different kinds never collide in
    the protocol's examples, but a wrong guess only costs one indexed query).
    """
    if not key:
        return None
    if floor is not None:
        if key in floor.cases:
            return key
        if key in floor.escalations:
            return case_for_escalation(journal, floor, key)
        if key in floor.agents:
            return case_for_agent(journal, floor, key)
        if key in floor.waiting or key in floor.talking:
            return case_for_call(journal, floor, key)
    if journal.events_for(case_ids=[key]):
        return key
    return (case_for_escalation(journal, floor, key) or case_for_call(journal, floor, key)
            or case_for_agent(journal, floor, key))

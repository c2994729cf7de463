"""The interpreter, rule by rule from PROTOCOL.md and KPI.md: what each event means."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from supervisor import domain, timeutil, wire
from supervisor.domain import (
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
    Interpreter,
    QueueDefined,
    ServerTime,
    SnapshotReplaced,
    SurveyCompleted,
    WrapUpEnded,
)
from tests.core.events import Stream, agent, contact, queue

PERSON = {"id": "s-1", "name": "王五"}


def escalation(eid: str, opened: datetime, due: datetime, status: str = "open") -> dict[str, Any]:
    return {"escalation_id": eid, "case_id": "case-1", "department": "it", "owner": PERSON,
            "severity": "high", "status": status, "opened_at": timeutil.fmt(opened),
            "due_at": timeutil.fmt(due), "summary": "退年费"}


def case(case_id: str, opened: datetime) -> dict[str, Any]:
    return {"case_id": case_id, "customer": None, "category": "complaint", "subject": "年费",
            "status": "open", "opened_at": timeutil.fmt(opened), "call_ids": ["c-1"], "notes": []}


def snapshot(s: Stream, ts: datetime, *, waiting=(), agents=(), queues=(), escalations=(), **extra: Any) -> wire.Event:
    return s.msg("snapshot", {"queues": list(queues), "agents": list(agents), "waiting": list(waiting),
                              "cases": [], "escalations": list(escalations), "departments": [], **extra}, ts)


def at(s: Stream, seconds: float) -> str:
    return timeutil.fmt(s.at(seconds))


def kinds(facts) -> list[type]:
    return [type(f) for f in facts]


def anomalies(facts) -> list[str]:
    return [f.reason for f in facts if isinstance(f, Anomaly)]


class Script:
    """A stream and an interpreter fed together."""

    def __init__(self) -> None:
        self.s = Stream()
        self.i = Interpreter()

    def __call__(self, type_: str, data: dict[str, Any], t: float) -> list[domain.Fact]:
        return list(self.i.feed(self.s.msg(type_, data, self.s.at(t))))

    def queued(self, call_id: str, q: str, t: float, queued_at: float | None = None):
        return self("call.queued", {"contact": contact(call_id, q, self.s.at(t if queued_at is None else queued_at))}, t)

    def answered(self, call_id: str, agent_id: str, t: float):
        return self("call.answered", {"call_id": call_id, "agent_id": agent_id, "at": at(self.s, t)}, t)

    def abandoned(self, call_id: str, t: float):
        return self("call.abandoned", {"call_id": call_id, "at": at(self.s, t)}, t)

    def ended(self, call_id: str, agent_id: str, t: float, case_id: str | None = None):
        return self("call.ended", {"call_id": call_id, "agent_id": agent_id, "at": at(self.s, t), "case_id": case_id}, t)

    def transferred(self, call_id: str, q: str, t: float):
        return self("call.transferred", {"call_id": call_id, "queue": q, "at": at(self.s, t)}, t)

    def state(self, agent_id: str, state: str, since: float, t: float | None = None, call_id: str | None = None):
        return self("agent.state", {"agent": agent(agent_id, state, self.s.at(since), call_id=call_id)},
                    since if t is None else t)


# --------------------------------------------------------------------------- contacts


def test_a_new_contact_waits_and_is_offered_once() -> None:
    sc = Script()
    (f,) = sc.queued("c-1", "credit_card", 0)
    assert isinstance(f, ContactQueued) and f.first and f.contact.call_id == "c-1"
    assert sc.i.waiting == {"c-1"} and sc.i.outcome("c-1") == "waiting"


def test_a_restated_queueing_keeps_the_earliest_queued_at() -> None:
    sc = Script()
    sc.queued("c-1", "credit_card", 10)
    facts = sc.queued("c-1", "loan", 20, queued_at=15)
    assert anomalies(facts) == ["call.queued for a contact already waiting"]
    (f,) = [f for f in facts if isinstance(f, ContactQueued)]
    assert not f.first and f.contact.queue == "loan" and f.contact.queued_at == sc.s.at(10)


def test_a_transfer_keeps_queued_at_and_names_both_queues() -> None:
    sc = Script()
    sc.queued("c-1", "credit_card", 0)
    (f,) = sc.transferred("c-1", "loan", 300)
    assert f == ContactTransferred("c-1", "credit_card", "loan", sc.s.at(300), True)
    (a,) = sc.answered("c-1", "a-1", 400)
    assert isinstance(a, ContactAnswered)
    assert (a.queue, a.queued_at, a.wait) == ("loan", sc.s.at(0), 400.0)


def test_a_transfer_after_the_outcome_is_ignored() -> None:
    sc = Script()
    sc.queued("c-1", "credit_card", 0)
    sc.answered("c-1", "a-1", 10)
    assert anomalies(sc.transferred("c-1", "loan", 20)) == ["call.transferred after the contact left the queue"]
    assert kinds(sc.transferred("c-1", "loan", 20)) == [Anomaly]


def test_answered_and_abandoned_count_once() -> None:
    sc = Script()
    sc.queued("c-1", "q", 0)
    (ab,) = sc.abandoned("c-1", 30)
    assert isinstance(ab, ContactAbandoned) and ab.wait == 30.0
    assert anomalies(sc.answered("c-1", "a-1", 40)) == ["call.answered for a contact already abandoned"]
    assert anomalies(sc.abandoned("c-1", 50)) == ["call.abandoned for a contact already abandoned"]
    assert anomalies(sc.queued("c-1", "q", 60)) == ["call.queued for a contact already answered or abandoned"]
    assert sc.i.outcome("c-1") == "abandoned" and not sc.i.waiting


def test_unknown_ids_are_applied_as_far_as_they_can_be() -> None:
    sc = Script()
    facts = sc.answered("ghost", "a-1", 10)
    assert anomalies(facts) == ["call.answered for an unknown contact"]
    (a,) = [f for f in facts if isinstance(f, ContactAnswered)]
    assert (a.queue, a.queued_at, a.wait) == (None, None, None)
    # its queueing arrives late: it tells when and where, it does not wait
    facts = sc.queued("ghost", "q", 12, queued_at=5)
    assert anomalies(facts) == ["call.queued after the contact's outcome"]
    assert kinds(facts)[-1] is ContactQueuedLate and not sc.i.waiting
    # its end is no anomaly: the contact is known (answered) now
    (e,) = sc.ended("ghost", "a-1", 70)
    assert isinstance(e, ContactEnded) and e.talk == 60.0 and e.answered_by == "a-1"
    assert e.wrap_pending  # the agent's state is unknown: its wrap-up ends with its next change
    assert anomalies(sc.ended("ghost", "a-1", 80)) == ["call.ended twice"]


def test_unknown_transfer_abandon_end_survey_escalation() -> None:
    sc = Script()
    assert anomalies(sc.transferred("t", "q", 1)) == ["call.transferred for an unknown contact"]
    assert sc.i.waiting == {"t"}  # it waits there, with no record
    assert anomalies(sc.abandoned("x", 2)) == ["call.abandoned for an unknown contact"]
    assert anomalies(sc.ended("y", "a-1", 3)) == ["call.ended for an unknown contact"]
    facts = sc("survey.completed", {"call_id": "z", "case_id": None, "score": 5, "at": at(sc.s, 4)}, 4)
    assert anomalies(facts) == ["survey.completed for an unknown contact"]
    assert [f.known for f in facts if isinstance(f, SurveyCompleted)] == [False]
    facts = sc("escalation.reassigned", {"escalation_id": "e-x", "from_owner": PERSON, "to_owner": PERSON,
                                         "by": PERSON, "reason": "r", "at": at(sc.s, 5)}, 5)
    assert anomalies(facts) == ["escalation.reassigned for an unknown escalation"]
    facts = sc("escalation.resolved", {"escalation_id": "e-y", "at": at(sc.s, 6), "resolution": "ok"}, 6)
    assert anomalies(facts) == ["escalation.resolved for an unknown escalation"]
    assert [f.known for f in facts if isinstance(f, EscalationResolved)] == [False]


def test_ended_for_a_contact_never_answered() -> None:
    sc = Script()
    sc.queued("c-1", "q", 0)
    assert anomalies(sc.ended("c-1", "a-1", 5)) == ["call.ended for a contact never answered"]


# --------------------------------------------------------------------------- wrap-up, agents


def test_wrap_up_ends_when_the_agent_leaves_wrap_up() -> None:
    sc = Script()
    sc.state("a-1", "available", 0)
    sc.queued("c-1", "q", 0)
    sc.answered("c-1", "a-1", 10)
    sc.state("a-1", "on_call", 10, call_id="c-1")
    (e,) = sc.ended("c-1", "a-1", 100)
    assert isinstance(e, ContactEnded) and e.wrap_pending and e.talk == 90.0
    assert not [f for f in sc.state("a-1", "wrap_up", 100) if isinstance(f, WrapUpEnded)]
    facts = sc.state("a-1", "available", 160)
    assert [f for f in facts if isinstance(f, WrapUpEnded)] == [WrapUpEnded("c-1", "a-1", sc.s.at(160))]


def test_wrap_up_is_zero_when_the_agent_had_moved_on() -> None:
    sc = Script()
    sc.queued("c-1", "q", 0)
    sc.answered("c-1", "a-1", 10)
    sc.state("a-1", "available", 50)
    facts = sc.ended("c-1", "a-1", 60)
    assert anomalies(facts) == ["wrap-up ended before the call ended"]
    assert facts[-1] == WrapUpEnded("c-1", "a-1", sc.s.at(60))
    assert not [f for f in facts if isinstance(f, ContactEnded) and f.wrap_pending]


def test_agent_state_closes_the_previous_interval_and_never_runs_backwards() -> None:
    sc = Script()
    (f,) = sc.state("a-1", "available", 0)
    assert isinstance(f, AgentStateChanged) and f.previous is None and f.start is None
    (f,) = sc.state("a-1", "break", 60)
    assert (f.previous, f.start, f.end) == ("available", sc.s.at(0), sc.s.at(60))
    facts = sc.state("a-1", "available", 30, t=90)  # since before the previous since
    assert anomalies(facts) == ["agent.state starting before the agent's previous state"]
    (f,) = [f for f in facts if isinstance(f, AgentStateChanged)]
    assert f.end == sc.s.at(60) and f.agent.since == sc.s.at(60)  # clamped: never backwards
    assert sc.i.agent_state("a-1") == ("available", sc.s.at(60))


# --------------------------------------------------------------------------- snapshots


def test_snapshot_replaces_loses_the_absent_and_drops_unknown_agents() -> None:
    sc = Script()
    sc.state("a-1", "available", 0)
    sc.state("a-2", "break", 0)
    sc.queued("c-1", "q", 0)
    sc.queued("c-2", "q", 5)
    sc.queued("c-3", "q", 6)
    sc.answered("c-3", "a-1", 7)
    ev = snapshot(sc.s, sc.s.at(100), queues=[queue("q", sla=300)],
                  waiting=[contact("c-2", "q", sc.s.at(5)), contact("c-3", "q", sc.s.at(6)),
                           contact("c-9", "q", sc.s.at(50))],
                  agents=[agent("a-1", "available", sc.s.at(0))])
    facts = list(sc.i.feed(ev))
    assert isinstance(facts[0], SnapshotReplaced)
    assert [f.queue.sla_seconds for f in facts if isinstance(f, QueueDefined)] == [300]
    assert [f.at for f in facts if isinstance(f, QueueDefined)] == [sc.s.at(100)]
    assert [(f.contact.call_id, f.first) for f in facts if isinstance(f, ContactQueued)] == [("c-2", False), ("c-9", True)]
    assert [f.call_id for f in facts if isinstance(f, ContactLost)] == ["c-1"]
    assert anomalies(facts) == ["snapshot lists as waiting a contact already answered or abandoned"]
    assert [f for f in facts if isinstance(f, AgentUnknown)] == [AgentUnknown("a-2", "break", sc.s.at(0), sc.s.at(100))]
    assert sc.i.waiting == {"c-2", "c-9"} and sc.i.outcome("c-1") == "unknown"
    # a lost contact queued again waits again
    (f,) = sc.queued("c-1", "q", 120, queued_at=0)
    assert isinstance(f, ContactQueued) and not f.first


def test_a_call_in_progress_in_a_snapshot_is_known_from_its_agent() -> None:
    sc = Script()
    sc.i.feed(snapshot(sc.s, sc.s.at(0), agents=[agent("a-1", "on_call", sc.s.at(0), call_id="c-old")]))
    facts = sc.ended("c-old", "a-1", 30)
    assert not anomalies(facts) and isinstance(facts[0], ContactEnded) and facts[0].answered_by == "a-1"


def test_a_snapshot_in_parts_is_applied_once_whole() -> None:
    sc = Script()
    sc.queued("c-1", "q", 0)
    seq = sc.s.seq + 1
    p1 = wire.decode(wire.encode({"v": 1, "seq": seq, "ts": at(sc.s, 10), "type": "snapshot", "part": 1, "parts": 2,
                                  "data": {"queues": [queue("q")], "agents": [], "waiting": [contact("c-1", "q", sc.s.at(0))],
                                           "cases": [], "escalations": [], "departments": []}}))
    p2 = wire.decode(wire.encode({"v": 1, "seq": seq, "ts": at(sc.s, 10), "type": "snapshot", "part": 2, "parts": 2,
                                  "data": {"queues": [], "agents": [], "waiting": [contact("c-2", "q", sc.s.at(5))],
                                           "cases": [], "escalations": [], "departments": []}}))
    assert list(sc.i.feed(p1)) == []
    facts = list(sc.i.feed(p2))
    assert isinstance(facts[0], SnapshotReplaced) and not [f for f in facts if isinstance(f, ContactLost)]
    assert sc.i.waiting == {"c-1", "c-2"}
    # a part left incomplete is never applied, and said
    assert list(sc.i.feed(p1)) == []
    facts = list(sc.i.feed(snapshot(sc.s, sc.s.at(20), waiting=[])))
    assert anomalies(facts) == ["snapshot left incomplete (a part is missing)"]


# --------------------------------------------------------------------------- time travel


def test_time_travel_is_reported_once_and_durations_are_never_negative() -> None:
    sc = Script()
    sc.queued("c-1", "q", 900, queued_at=900)
    facts = sc.answered("c-1", "a-1", 60)  # answered 14 minutes before it was queued
    assert anomalies(facts) == ["call.answered before the contact was queued"]
    (a,) = [f for f in facts if isinstance(f, ContactAnswered)]
    assert a.wait == 0.0
    facts = sc.ended("c-1", "a-1", 30)
    assert anomalies(facts) == ["call.ended before the call was answered"]
    assert [f.talk for f in facts if isinstance(f, ContactEnded)] == [0.0]
    # the late queueing of an answered contact reports the contradiction whichever comes last
    sc2 = Script()
    sc2.answered("c-2", "a-1", 0)
    facts = sc2.queued("c-2", "q", 600, queued_at=600)
    assert "call.answered before the contact was queued" in anomalies(facts)
    assert domain.seconds_between(sc.s.at(10), sc.s.at(0)) == 0.0


def test_escalation_lifecycle() -> None:
    sc = Script()
    t0, due = sc.s.at(0), sc.s.at(7200)
    (o,) = sc("escalation.opened", {"escalation": escalation("e-1", t0, due)}, 0)
    assert isinstance(o, EscalationOpened)
    (r,) = sc("escalation.reassigned", {"escalation_id": "e-1", "from_owner": PERSON, "to_owner": {"id": "s-2", "name": "赵六"},
                                        "by": PERSON, "reason": "专人", "at": at(sc.s, 60)}, 60)
    assert isinstance(r, EscalationReassigned) and r.known and r.to_owner.id == "s-2"
    # a record says resolved: resolved at its ts, until the exact time comes
    facts = sc("escalation.updated", {"escalation": escalation("e-1", t0, due, "resolved")}, 100)
    assert kinds(facts) == [EscalationUpdated, EscalationResolved] and not facts[1].exact
    (x,) = sc("escalation.resolved", {"escalation_id": "e-1", "at": at(sc.s, 90), "resolution": "已退"}, 110)
    assert isinstance(x, EscalationResolved) and x.exact and x.at == sc.s.at(90)
    assert anomalies(sc("escalation.resolved", {"escalation_id": "e-1", "at": at(sc.s, 95), "resolution": "x"}, 120)) \
        == ["escalation.resolved twice"]
    facts = sc("escalation.updated", {"escalation": escalation("e-1", t0, due, "in_progress")}, 130)
    assert kinds(facts) == [Anomaly, EscalationReopened, EscalationUpdated]
    assert sc.i.escalation_status("e-1") == "in_progress"
    # resolved before it was opened: once
    sc("escalation.opened", {"escalation": escalation("e-2", sc.s.at(500), due)}, 500)
    facts = sc("escalation.resolved", {"escalation_id": "e-2", "at": at(sc.s, 400), "resolution": ""}, 510)
    assert anomalies(facts) == ["escalation resolved before it was opened"]


def test_snapshot_escalations_are_not_given_a_resolution_time() -> None:
    sc = Script()
    ev = snapshot(sc.s, sc.s.at(0), escalations=[escalation("e-1", sc.s.at(-60), sc.s.at(7200), "resolved")])
    facts = list(sc.i.feed(ev))
    assert [type(f) for f in facts if not isinstance(f, (SnapshotReplaced,))] == [EscalationUpdated]
    assert facts[-1].from_snapshot


def test_cases_queue_updates_clock_and_unknown_types() -> None:
    sc = Script()
    (c,) = sc("case.opened", {"case": case("case-1", sc.s.at(0))}, 0)
    assert isinstance(c, CaseChanged) and c.opened
    (c,) = sc("case.updated", {"case": case("case-1", sc.s.at(0))}, 1)
    assert isinstance(c, CaseChanged) and not c.opened
    (q,) = sc("queue.updated", {"queue": queue("vip", "贵宾专线", 300, 180)}, 2)
    assert isinstance(q, QueueDefined) and q.at == sc.s.at(2) and q.queue.sla_seconds == 300
    (h,) = sc("heartbeat", {"server_time": at(sc.s, 3)}, 3)
    assert h == ServerTime(sc.s.at(3))
    assert list(sc.i.feed(wire.decode('{"v":1,"seq":99,"ts":"2026-11-22T09:00:00.000+08:00","type":"call.teleported","data":{}}'))) == []


def test_forget_drops_only_settled_calls() -> None:
    sc = Script()
    sc.queued("c-1", "q", 0)
    sc.abandoned("c-1", 10)
    sc.queued("c-2", "q", 0)
    sc.queued("c-3", "q", 0)
    sc.answered("c-3", "a-1", 5)
    assert sc.i.forget(sc.s.at(100)) == 1  # c-1; c-2 waits, c-3 talks
    assert sc.i.outcome("c-1") is None and sc.i.outcome("c-2") == "waiting"
    assert sc.i.forget(sc.s.at(100), talking_before=sc.s.at(50)) == 1 and sc.i.outcome("c-3") is None

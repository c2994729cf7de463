"""One meaning per event: the live floor, the KPI engine and the case file, fed the same
random stream (duplicates, unknown ids, transfers, snapshots, time travel), tell the same
contact lifecycle, because each only maps the interpreter's facts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from supervisor import wire
from supervisor.casefile import build_case_file
from supervisor.floor import Floor
from supervisor.kpi import KpiBuilder
from supervisor.kpi.facts import ABANDONED, ANSWERED, WAITING
from tests.core.events import Stream, agent, contact, queue

CALLS = [f"c-{i}" for i in range(6)]
AGENTS = ["a-1", "a-2"]
QUEUES = ["credit_card", "loan"]
CASE = "case-1"

op = st.one_of(
    st.tuples(st.just("queue"), st.sampled_from(CALLS), st.sampled_from(QUEUES)),
    st.tuples(st.just("transfer"), st.sampled_from(CALLS), st.sampled_from(QUEUES)),
    st.tuples(st.just("answer"), st.sampled_from(CALLS), st.sampled_from(AGENTS)),
    st.tuples(st.just("abandon"), st.sampled_from(CALLS), st.just("")),
    st.tuples(st.just("end"), st.sampled_from(CALLS), st.sampled_from(AGENTS)),
    st.tuples(st.just("agent"), st.sampled_from(AGENTS), st.sampled_from(wire.AGENT_STATES)),
    st.tuples(st.just("snapshot"), st.sampled_from(CALLS), st.sampled_from(CALLS)),
)


def stream(ops: list[tuple[str, str, str]], times: list[int]) -> list[wire.Event]:
    """The ops as events; each event's times come from ``times`` (so they may run backwards)."""
    s = Stream()
    events = [s.msg("snapshot", {"queues": [queue(q) for q in QUEUES], "agents": [], "waiting": [],
                                 "cases": [], "escalations": [], "departments": []}, s.at(0))]
    for i, (kind, a, b) in enumerate(ops):
        ts = s.at(i * 7)
        t = s.at(times[i % len(times)]) if times else ts
        at = {"at": wire.to_builtins(t)}
        if kind == "queue":
            events.append(s.msg("call.queued", {"contact": contact(a, b, t, case_id=CASE)}, ts))
        elif kind == "transfer":
            events.append(s.msg("call.transferred", {"call_id": a, "queue": b, **at}, ts))
        elif kind == "answer":
            events.append(s.msg("call.answered", {"call_id": a, "agent_id": b, **at}, ts))
        elif kind == "abandon":
            events.append(s.msg("call.abandoned", {"call_id": a, **at}, ts))
        elif kind == "end":
            events.append(s.msg("call.ended", {"call_id": a, "agent_id": b, "case_id": CASE, **at}, ts))
        elif kind == "agent":
            events.append(s.msg("agent.state", {"agent": agent(a, b, t)}, ts))
        else:
            waiting = [contact(c, "loan", t, case_id=CASE) for c in sorted({a, b})]
            events.append(s.msg("snapshot", {"queues": [queue(q) for q in QUEUES],
                                             "agents": [agent("a-1", "available", t)], "waiting": waiting,
                                             "cases": [], "escalations": [], "departments": []}, ts))
    return events


@settings(max_examples=200, deadline=None)
@given(st.lists(op, max_size=50), st.lists(st.integers(min_value=0, max_value=600), max_size=8),
       st.integers(min_value=1, max_value=9))
def test_floor_kpi_and_case_file_agree_on_the_contact_lifecycle(ops, times, batch) -> None:
    events = stream(ops, times)
    floor = Floor()
    for i in range(0, len(events), batch):
        floor.apply_batch(events[i:i + batch])
    builder = KpiBuilder()
    builder.feed_many(events)
    contacts = builder.facts.contacts

    # waiting: the same calls on the floor and in the KPI engine (those with a record)
    kpi_waiting = {cid for cid, c in contacts.items() if c.outcome == WAITING and c.queued_us is not None}
    assert set(floor.waiting) == kpi_waiting
    assert set(floor.waiting) <= builder.interpreter.waiting
    # the same queue, and the wait clock from the same (earliest) queued_at
    for cid, contact_ in floor.waiting.items():
        assert contact_.queue == contacts[cid].queue
        assert contacts[cid].queued_us == int(contact_.queued_at.timestamp() * 1_000_000)
    # answered or abandoned in the engine: never waiting on the floor; talking only if answered
    for cid, c in contacts.items():
        if c.outcome in (ANSWERED, ABANDONED):
            assert cid not in floor.waiting
    for cid in floor.talking:
        assert contacts[cid].outcome == ANSWERED and contacts[cid].ended_us is None
    # nothing negative anywhere
    for c in contacts.values():
        for d in (c.wait_us, c.talk_us, c.wrap_up_us):
            assert d is None or d >= 0

    # the case file: every linked call's outcome is the engine's
    cf = build_case_file(CASE, events)
    for call in cf.calls:
        c = contacts.get(call.call_id)
        outcome = c.outcome if c is not None else None
        assert (call.abandoned_at is not None) == (outcome == ABANDONED), call
        assert (call.answered_at is not None) == (outcome == ANSWERED), call
        assert call.wait_s is None or call.wait_s >= 0
        assert call.talk_s is None or call.talk_s >= 0
    # the floor and the engine counted the same anomalies (the floor's prune adds none here)
    assert floor.anomalies == sum(builder.anomalies.values())

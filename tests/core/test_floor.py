from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervisor import wire
from supervisor.floor import Floor
from supervisor.floorstats import TOTAL, queues_now
from supervisor.sla import SlaState
from tests.core.events import Stream, agent, contact, queue


def snapshot(s: Stream, *, waiting=(), agents=(), queues=(queue("credit_card"), queue("loan"))) -> wire.Event:
    return s.msg("snapshot", {"queues": list(queues), "agents": list(agents), "waiting": list(waiting),
                              "cases": [], "escalations": [], "departments": []})


def test_snapshot_replaces_never_merges() -> None:
    s, floor = Stream(), Floor()
    floor.apply_batch([snapshot(s, waiting=[contact("c-1", "credit_card", s.at(0))]),
                       s.msg("call.queued", {"contact": contact("c-2", "loan", s.at(5))}, s.at(5))])
    assert set(floor.waiting) == {"c-1", "c-2"}
    ch = floor.apply_batch([snapshot(s, waiting=[contact("c-9", "loan", s.at(1))])])
    assert set(floor.waiting) == {"c-9"}
    assert ch.reset and not ch.waiting_added


def test_transfer_keeps_the_original_wait_clock() -> None:
    s, floor = Stream(), Floor()
    floor.apply_batch([snapshot(s), s.msg("call.queued", {"contact": contact("c-1", "credit_card", s.at(0))}, s.at(0))])
    ch = floor.apply_batch([s.msg("call.transferred", {"call_id": "c-1", "queue": "loan", "at": "2026-11-22T09:05:00.000+08:00"}, s.at(300))])
    assert floor.waiting["c-1"].queue == "loan"
    assert floor.waiting["c-1"].queued_at == s.at(0)
    assert ch.waiting_changed == {"c-1"}


def test_answer_moves_the_contact_from_waiting_to_talking_and_end_clears_it() -> None:
    s, floor = Stream(), Floor()
    floor.apply_batch([snapshot(s, agents=[agent("a-1", "available", s.at(0))]),
                       s.msg("call.queued", {"contact": contact("c-1", "credit_card", s.at(0))}, s.at(0))])
    ch = floor.apply_batch([
        s.msg("call.answered", {"call_id": "c-1", "agent_id": "a-1", "at": "2026-11-22T09:01:00.000+08:00"}, s.at(60)),
        s.msg("agent.state", {"agent": agent("a-1", "on_call", s.at(60), call_id="c-1")}, s.at(60)),
    ])
    assert "c-1" not in floor.waiting and "c-1" in floor.talking
    assert ch.waiting_removed == {"c-1"} and ch.agents_changed == {"a-1"}
    assert floor.current_contact("a-1").call_id == "c-1"
    floor.apply_batch([s.msg("call.ended", {"call_id": "c-1", "agent_id": "a-1", "at": "2026-11-22T09:05:00.000+08:00", "case_id": None}, s.at(300))])
    assert not floor.talking and floor.anomalies == 0


def test_events_about_unknown_ids_are_counted_never_fatal() -> None:
    s, floor = Stream(), Floor()
    floor.apply_batch([snapshot(s)])
    # a different unknown id each time: once an event named an id, the id is known
    # (applied as far as it can be), and what follows about it is judged as such
    ch = floor.apply_batch([
        s.msg("call.answered", {"call_id": "ghost-1", "agent_id": "a-x", "at": "2026-11-22T09:01:00.000+08:00"}),
        s.msg("call.abandoned", {"call_id": "ghost-2", "at": "2026-11-22T09:01:00.000+08:00"}),
        s.msg("call.transferred", {"call_id": "ghost-3", "queue": "loan", "at": "2026-11-22T09:01:00.000+08:00"}),
        s.msg("call.ended", {"call_id": "ghost-4", "agent_id": "a-x", "at": "2026-11-22T09:01:00.000+08:00"}),
        s.msg("escalation.resolved", {"escalation_id": "e-x", "at": "2026-11-22T09:01:00.000+08:00"}),
        s.msg("escalation.reassigned", {"escalation_id": "e-y", "from_owner": {"id": "a"}, "to_owner": {"id": "b"},
                                        "by": {"id": "u"}, "reason": "r", "at": "2026-11-22T09:01:00.000+08:00"}),
    ])
    assert floor.anomalies == 6 and len(ch.anomalies) == 6
    assert not floor.waiting and not floor.talking and not floor.escalations  # nothing to show
    assert floor.seq == s.seq  # the stream position still advances


def test_a_contact_queued_and_gone_within_one_batch_never_reaches_the_views() -> None:
    s, floor = Stream(), Floor()
    floor.apply_batch([snapshot(s)])
    ch = floor.apply_batch([
        s.msg("call.queued", {"contact": contact("c-1", "credit_card", s.at(0))}, s.at(0)),
        s.msg("call.abandoned", {"call_id": "c-1", "at": "2026-11-22T09:00:03.000+08:00"}, s.at(3)),
    ])
    assert not ch.waiting_added and not ch.waiting_removed and not ch.waiting_changed


def test_queues_now_counts_waits_breaches_and_staffing() -> None:
    s, floor = Stream(), Floor()
    floor.apply_batch([
        snapshot(s, agents=[agent("a-1", "available", s.at(0)), agent("a-2", "on_call", s.at(0), call_id="x"),
                            agent("a-3", "break", s.at(0), skills=("loan",), reason="lunch")]),
        s.msg("call.queued", {"contact": contact("c-1", "credit_card", s.at(0))}, s.at(0)),
        s.msg("call.queued", {"contact": contact("c-2", "credit_card", s.at(400))}, s.at(400)),
        s.msg("call.queued", {"contact": contact("c-3", "loan", s.at(990))}, s.at(990)),
    ])
    now = s.at(1000)
    figures = queues_now(floor, now)
    cc = figures["credit_card"]
    assert (cc.waiting, cc.breached, cc.warning, cc.longest_wait_s) == (2, 1, 1, 1000)
    assert cc.worst is SlaState.BREACHED and cc.available == 1 and cc.on_call == 1
    assert figures["loan"].available == 0 and figures["loan"].states["break"] == 1
    assert figures[TOTAL].waiting == 3 and figures[TOTAL].breached == 1


# ---------------------------------------------------------------- properties

CALLS = [f"c-{i}" for i in range(6)]
AGENTS = ["a-1", "a-2", "a-3"]
QUEUES = ["credit_card", "loan"]

op = st.one_of(
    st.tuples(st.just("queue"), st.sampled_from(CALLS), st.sampled_from(QUEUES)),
    st.tuples(st.just("transfer"), st.sampled_from(CALLS), st.sampled_from(QUEUES)),
    st.tuples(st.just("answer"), st.sampled_from(CALLS), st.sampled_from(AGENTS)),
    st.tuples(st.just("abandon"), st.sampled_from(CALLS), st.just("")),
    st.tuples(st.just("end"), st.sampled_from(CALLS), st.sampled_from(AGENTS)),
    st.tuples(st.just("agent"), st.sampled_from(AGENTS), st.sampled_from(wire.AGENT_STATES)),
    st.tuples(st.just("snapshot"), st.just(""), st.just("")),
)


def script(ops: list[tuple[str, str, str]]) -> list[wire.Event]:
    s = Stream()
    events = [snapshot(s)]
    for i, (kind, a, b) in enumerate(ops):
        t = s.at(i * 7)
        at = {"at": wire.to_builtins(t)}
        if kind == "queue":
            events.append(s.msg("call.queued", {"contact": contact(a, b, t)}, t))
        elif kind == "transfer":
            events.append(s.msg("call.transferred", {"call_id": a, "queue": b, **at}, t))
        elif kind == "answer":
            events.append(s.msg("call.answered", {"call_id": a, "agent_id": b, **at}, t))
        elif kind == "abandon":
            events.append(s.msg("call.abandoned", {"call_id": a, **at}, t))
        elif kind == "end":
            events.append(s.msg("call.ended", {"call_id": a, "agent_id": b, **at}, t))
        elif kind == "agent":
            events.append(s.msg("agent.state", {"agent": agent(a, b, t)}, t))
        else:
            events.append(snapshot(s, waiting=[contact("c-0", "loan", t)], agents=[agent("a-1", "available", t)]))
    return events


def state_of(floor: Floor) -> tuple:
    return (dict(floor.waiting), dict(floor.talking), dict(floor.agents), dict(floor.queues), floor.seq, floor.anomalies)


@settings(max_examples=150, deadline=None)
@given(st.lists(op, max_size=40), st.data())
def test_waiting_and_talking_are_disjoint_and_views_mirror_the_state(ops, data) -> None:
    """A contact is never both waiting and answered; applying each batch's Changes to a
    mirror of the waiting rows (as a table model does) always yields the floor's rows."""
    events = script(ops)
    floor, mirror = Floor(), set()
    i = 0
    while i < len(events):
        n = data.draw(st.integers(min_value=1, max_value=8))
        ch = floor.apply_batch(events[i:i + n])
        i += n
        if ch.reset:
            assert not (ch.waiting_added or ch.waiting_removed or ch.waiting_changed)
            mirror = set(floor.waiting)
            continue
        assert not (ch.waiting_added & mirror), "added rows must be new"
        assert ch.waiting_removed <= mirror, "removed rows must exist"
        assert ch.waiting_changed <= (mirror - ch.waiting_removed), "changed rows must exist"
        mirror = (mirror - ch.waiting_removed) | ch.waiting_added
        assert mirror == set(floor.waiting)
        assert not (set(floor.waiting) & set(floor.talking))


@settings(max_examples=100, deadline=None)
@given(st.lists(op, max_size=40), st.lists(st.integers(min_value=1, max_value=10), min_size=1))
def test_replaying_the_journal_rebuilds_the_same_state(ops, cuts) -> None:
    events = script(ops)
    whole = Floor()
    whole.apply_batch(events)
    batched, i, k = Floor(), 0, 0
    while i < len(events):
        n = cuts[k % len(cuts)]
        batched.apply_batch(events[i:i + n])
        i, k = i + n, k + 1
    replayed = Floor()
    replayed.apply_batch(wire.decode(raw) for raw in [e for e in map(wire.encode, events)])
    assert state_of(whole) == state_of(batched) == state_of(replayed)

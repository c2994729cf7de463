"""Invariants of the KPI engine over random days (hypothesis).

A random world of contacts (queues, transfers, answers and abandons with waits around
S and T, talk and wrap-up), optionally with a gap in the stream that ends with a
snapshot, is turned into a protocol stream; the figures must add up whatever happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervisor.kpi import KpiBuilder
from tests.kpi.script import DAY, Script, agent, contact, queue

QUEUES = ["q1", "q2", "q3"]
SLA_S = {"q1": 900, "q2": 300, "q3": 60}
START, END = DAY, DAY + timedelta(days=1)
COUNTS = ("offered", "answered", "abandoned", "short_abandoned", "waiting", "outcome_unknown",
          "answered_within_sla", "abandoned_within_sla", "sla_breaches", "aht_calls", "surveys")


@dataclass
class Truth:
    call_id: str
    queued: datetime
    queue: str
    transfer: tuple[datetime, str] | None
    outcome: str  # answered | abandoned | waiting
    done: datetime | None
    agent: str
    ended: datetime | None
    wrap_end: datetime | None
    score: int | None


ms = st.integers
waits = st.one_of(ms(0, 2_400_000), st.sampled_from([0, 4_999, 5_000, 60_000, 300_000, 300_001,
                                                     900_000, 900_001]))


@st.composite
def truths(draw: st.DrawFn, call_id: str) -> Truth:
    # around the reported day, shrinking towards its start (inside it)
    queued = DAY + timedelta(milliseconds=draw(ms(-6 * 3600 * 1000, 30 * 3600 * 1000)))
    q = draw(st.sampled_from(QUEUES))
    outcome = draw(st.sampled_from(["answered", "abandoned", "waiting"]))
    wait = timedelta(milliseconds=draw(waits))
    transfer = None
    if draw(st.booleans()):
        transfer = (queued + wait * draw(st.floats(0, 1)), draw(st.sampled_from(QUEUES)))
    done = ended = wrap_end = None
    if outcome != "waiting":
        done = queued + wait
    if outcome == "answered":
        assert done is not None
        ended = done + timedelta(milliseconds=draw(ms(1_000, 1_800_000)))
        wrap_end = ended + timedelta(milliseconds=draw(ms(0, 300_000)))
    score = draw(st.none() | st.integers(1, 5)) if outcome == "answered" else None
    return Truth(call_id, queued, q, transfer, outcome, done, draw(st.sampled_from(["a1", "a2", "a3"])),
                 ended, wrap_end, score)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Truth], tuple[datetime, datetime] | None]:
    n = draw(st.integers(0, 30))
    calls = [draw(truths(f"c{i}")) for i in range(n)]
    gap = None
    if draw(st.booleans()):
        g0 = DAY + timedelta(minutes=draw(ms(0, 24 * 60)))
        gap = (g0, g0 + timedelta(minutes=draw(ms(1, 180))))
    return calls, gap


def stream(calls: list[Truth], gap: tuple[datetime, datetime] | None) -> Script:
    """The world as the server would have sent it; events inside the gap are lost, and a
    snapshot at the end of the gap lists the contacts waiting then."""
    items: list[tuple[datetime, int, str, tuple[object, ...]]] = []

    def add(ts: datetime, kind: str, *args: object) -> None:
        items.append((ts, len(items), kind, args))

    for c in calls:
        add(c.queued, "queued", c)
        if c.transfer is not None:
            add(c.transfer[0], "transferred", c)
        if c.outcome == "answered":
            add(c.done, "answered", c)  # type: ignore[arg-type]
            add(c.done, "state", c.agent, "on_call", c.call_id)  # type: ignore[arg-type]
            add(c.ended, "ended", c)  # type: ignore[arg-type]
            add(c.ended, "state", c.agent, "wrap_up", c.call_id)  # type: ignore[arg-type]
            add(c.wrap_end, "state", c.agent, "available", None)  # type: ignore[arg-type]
            if c.score is not None:
                add(c.wrap_end + timedelta(seconds=30), "survey", c)  # type: ignore[operator]
        elif c.outcome == "abandoned":
            add(c.done, "abandoned", c)  # type: ignore[arg-type]
    if gap is not None:
        add(gap[1], "snapshot")
    items.sort(key=lambda i: (i[0], i[1]))
    s = Script()
    s.snapshot(DAY - timedelta(hours=7), queues=[queue(q, SLA_S[q]) for q in QUEUES])
    for ts, _, kind, args in items:
        if gap is not None and gap[0] <= ts < gap[1]:
            continue
        if kind == "snapshot":
            s.new_epoch("E2")
            waiting = [contact(c.call_id, current_queue(c, ts), c.queued) for c in calls
                       if c.queued < ts and (c.done is None or c.done >= ts)]
            s.snapshot(ts, queues=[queue(q, SLA_S[q]) for q in QUEUES], waiting=waiting)
            continue
        c = args[0]
        if kind == "queued":
            s.queued(ts, c.call_id, c.queue)
        elif kind == "transferred":
            s.transferred(ts, c.call_id, c.transfer[1])
        elif kind == "answered":
            s.answered(ts, c.call_id, c.agent)
        elif kind == "abandoned":
            s.abandoned(ts, c.call_id)
        elif kind == "ended":
            s.ended(ts, c.call_id, c.agent)
        elif kind == "survey":
            s.survey(ts, c.call_id, c.score)
        elif kind == "state":
            agent_id, state, call_id = args
            s.emit("agent.state", ts, {"agent": agent(agent_id, state, ts, call_id=call_id)})
    return s


def current_queue(c: Truth, ts: datetime) -> str:
    if c.transfer is not None and c.transfer[0] < ts:
        return c.transfer[1]
    return c.queue


def final_queue(c: Truth) -> str:
    return c.transfer[1] if c.transfer is not None else c.queue


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(worlds())
def test_counts_add_up(world: tuple[list[Truth], tuple[datetime, datetime] | None]) -> None:
    calls, gap = world
    b = KpiBuilder()
    b.feed_many(stream(calls, gap).events())
    report = b.report(START, END)
    for q in [*report.queues.values(), report.total]:
        assert q.answered + q.abandoned + q.short_abandoned + q.waiting + q.outcome_unknown == q.offered
        assert q.answered_within_sla <= q.answered
        assert q.abandoned_within_sla <= q.abandoned
        assert q.sla_breaches <= q.offered
        for ratio in (q.service_level, q.abandonment_rate, q.csat_top2_share):
            assert ratio is None or 0 <= ratio <= 1
    for key in COUNTS:
        assert getattr(report.total, key) == sum(getattr(q, key) for q in report.queues.values()), key
    maxes = [q.max_wait_seconds for q in report.queues.values() if q.max_wait_seconds is not None]
    assert report.total.max_wait_seconds == (max(maxes) if maxes else None)
    # the lists count the same things
    assert len(b.contacts(START, END)) == report.total.offered
    assert len(b.sla_breaches(START, END)) == report.total.sla_breaches
    # a contact is never both waiting and answered
    answered_ids = {c.call_id for c in calls if c.outcome == "answered"
                    and (gap is None or not gap[0] <= c.done < gap[1])}  # type: ignore[operator]
    waiting_ids = {r.call_id for r in b.contacts(START, END) if r.outcome == "waiting"}
    assert not answered_ids & waiting_ids
    if gap is None:
        assert report.total.outcome_unknown == 0


@SETTINGS
@given(worlds())
def test_counts_equal_the_world_without_gaps(world: tuple[list[Truth], tuple[datetime, datetime] | None]) -> None:
    calls, _ = world
    b = KpiBuilder()
    b.feed_many(stream(calls, None).events())
    report = b.report(START, END)
    offered = [c for c in calls if START <= c.queued < END]
    for q in QUEUES:
        mine = [c for c in offered if final_queue(c) == q]
        wait = {c.call_id: c.done - c.queued for c in mine if c.done is not None}
        t = timedelta(seconds=SLA_S[q])
        f = report.queues[q]
        assert f.offered == len(mine)
        assert f.answered == sum(1 for c in mine if c.outcome == "answered")
        assert f.short_abandoned == sum(1 for c in mine if c.outcome == "abandoned"
                                        and wait[c.call_id] < timedelta(seconds=5))
        assert f.abandoned == sum(1 for c in mine if c.outcome == "abandoned"
                                  and wait[c.call_id] >= timedelta(seconds=5))
        assert f.waiting == sum(1 for c in mine if c.outcome == "waiting")
        assert f.answered_within_sla == sum(1 for c in mine if c.outcome == "answered"
                                            and wait[c.call_id] <= t)
        ended_here = [c for c in calls if c.outcome == "answered" and final_queue(c) == q
                      and START <= c.ended < END]  # type: ignore[operator]
        assert f.aht_calls == len(ended_here)


@SETTINGS
@given(worlds(), st.floats(0, 1))
def test_feeding_in_two_halves_equals_feeding_at_once(
    world: tuple[list[Truth], tuple[datetime, datetime] | None], cut: float
) -> None:
    calls, gap = world
    events = stream(calls, gap).events()
    whole = KpiBuilder()
    whole.feed_many(events)
    halves = KpiBuilder()
    k = int(len(events) * cut)
    halves.feed_many(events[:k])
    halves.report(START, END)  # asking for figures midway changes nothing
    halves.intervals(START, END)
    halves.feed_many(events[k:])
    now = whole.server_now
    assert halves.report(START, END).to_json() == whole.report(START, END).to_json()
    assert halves.intervals(START, END, server_now=now) == whole.intervals(START, END, server_now=now)


@SETTINGS
@given(worlds(), st.sampled_from([15, 30, 60, 7 * 60]))
def test_intervals_add_up_to_the_period(
    world: tuple[list[Truth], tuple[datetime, datetime] | None], minutes: int
) -> None:
    calls, gap = world
    b = KpiBuilder()
    b.feed_many(stream(calls, gap).events())
    report = b.report(START, END)
    rows = b.intervals(START, END, minutes=minutes)
    for name in [*QUEUES, None]:
        mine = [r.figures for r in rows if r.queue == name]
        period = report.total if name is None else report.queues[name]
        for key in COUNTS:
            assert sum(getattr(f, key) for f in mine) == getattr(period, key), (name, key)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["available", "on_call", "wrap_up", "break"]),
                       st.integers(0, 50), st.integers(1, 50)), max_size=30),
    st.integers(-20, 1500), st.integers(1, 1500),
)
def test_state_time_over_any_period_equals_clipping_every_interval(
    steps: list[tuple[str, int, int]], start: int, length: int
) -> None:
    from supervisor.kpi.facts import StateTimeline

    timeline = StateTimeline()
    intervals = []
    t = 0
    for state, gap, duration in steps:
        t += gap
        timeline.append(state, t, t + duration)
        intervals.append((state, t, t + duration))
        t += duration
    end = start + length
    brute: dict[str, int] = {}
    for state, s0, s1 in intervals:
        overlap = min(s1, end) - max(s0, start)
        if overlap > 0:
            brute[state] = brute.get(state, 0) + overlap
    assert timeline.spent(start, end) == brute


@SETTINGS
@given(worlds(), st.integers(-6 * 60, 24 * 60), st.floats(0, 1))
def test_pruning_changes_nothing_in_later_periods(
    world: tuple[list[Truth], tuple[datetime, datetime] | None], cut_min: int, when: float
) -> None:
    calls, gap = world
    events = stream(calls, gap).events()
    cut = DAY + timedelta(minutes=cut_min)
    whole = KpiBuilder()
    whole.feed_many(events)
    pruned = KpiBuilder()
    # prune once the stream has reached the cut (as the desktop does after midnight), at
    # a random point after that
    reached = next((i for i, e in enumerate(events) if e.ts >= cut), len(events))
    k = reached + int((len(events) - reached) * when)
    pruned.feed_many(events[:k])
    pruned.prune(cut)
    pruned.feed_many(events[k:])
    now = whole.server_now
    for start, end in ((cut, cut + timedelta(days=1)), (cut + timedelta(hours=3), END + timedelta(days=1))):
        if end <= start:
            continue
        assert pruned.report(start, end, server_now=now).to_json() == whole.report(start, end, server_now=now).to_json()
        assert pruned.intervals(start, end, server_now=now) == whole.intervals(start, end, server_now=now)
        assert pruned.contacts(start, end, server_now=now) == whole.contacts(start, end, server_now=now)

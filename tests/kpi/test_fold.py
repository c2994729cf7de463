"""Folding settled facts (supervisor/kpi/fold.py) never changes a figure the desktop shows.

The same stream is fed to a builder that folds (often, with a tiny settle margin, to
stress it) and to one that keeps every fact; at many points of the stream today's report
(every queue, the total, every agent), the interval table and the SLA-breach list of
both must be equal field for field. Then the edges: late surveys, late repeats of a
folded contact's events, queries that folded data cannot answer.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervisor import timeutil, wire
from supervisor.kpi.builder import KpiBuilder
from supervisor.kpi.fold import (
    ANOMALY_RESURRECTED,
    ANOMALY_SURVEY_LONG_AGO,
    FoldedPeriodError,
    enable_folding,
    fold_settled,
)
from tests.kpi.script import DAY, Script, at, contact, queue
from tests.kpi.test_properties import stream, worlds
from ui.kpi_today import TodayKpi

DAYS = [DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)]


def _folding(margin_s: float = 0.0, grace_s: float = 2 * 3600.0) -> KpiBuilder:
    b = KpiBuilder()
    enable_folding(b.facts, margin_s=margin_s, every_s=0, grace_s=grace_s)
    return b


def _same_day(folded: KpiBuilder, whole: KpiBuilder, day: datetime, now: datetime | None = None,
              minutes: tuple[int, ...] = (30,)) -> None:
    end = day + timedelta(days=1)
    a = folded.report(day, end, server_now=now)
    b = whole.report(day, end, server_now=now)
    assert a == b  # dataclasses: every queue, the total, every agent, field for field
    assert a.to_json() == b.to_json()
    for m in minutes:
        assert folded.intervals(day, end, minutes=m, server_now=now) == \
            whole.intervals(day, end, minutes=m, server_now=now)
    assert folded.sla_breaches(day, end, server_now=now) == whole.sla_breaches(day, end, server_now=now)


# ---------------------------------------------------------------- random worlds

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.lists(st.floats(0, 1), min_size=1, max_size=6),
       st.sampled_from([0.0, 1.0, 60.0, 1800.0]))
def test_folding_at_random_points_equals_keeping_every_fact(
    world: tuple[list, tuple[datetime, datetime] | None], cuts: list[float], margin_s: float
) -> None:
    calls, gap = world
    events = stream(calls, gap).events()
    whole = KpiBuilder()
    whole.feed_many(events)
    folded = _folding(margin_s)
    points = sorted({int(len(events) * c) for c in cuts} | {len(events)})
    fed = 0
    for k in points:
        folded.feed_many(events[fed:k])
        fed = k
        fold_settled(folded.facts)
        partial = KpiBuilder()
        partial.feed_many(events[:k])
        for day in DAYS:
            _same_day(folded, partial, day, minutes=(30, 60, 24 * 60))
    for day in DAYS:
        _same_day(folded, whole, day)
    assert folded.anomalies == whole.anomalies


# ---------------------------------------------------------------- the simulator's days

def _simulated(days: float, agents: int, seed: int = 5) -> list[wire.Event]:
    from supervisor.sim.engine import Engine

    engine = Engine(seed=seed, start=DAY, agents=agents)
    messages = [{"type": "snapshot", "ts": timeutil.fmt(DAY), "data": engine.snapshot()}]
    messages += engine.advance(DAY + timedelta(days=days))
    out = []
    for i, m in enumerate(messages, 1):
        event = wire.decode(json.dumps({"v": 1, "seq": i, **m}, ensure_ascii=False))
        assert isinstance(event, wire.Event)
        out.append(event)
    return out


def test_simulated_day_and_midnight_folded_equal_a_builder_that_keeps_everything() -> None:
    """Two simulated days through ``TodayKpi`` as the desktop runs it (folding on, with a
    one-second margin and a pass at every refresh), against one that keeps every fact."""
    events = _simulated(days=1.75, agents=60)
    today = TodayKpi(KpiBuilder(), settle_margin_s=1.0, fold_every_s=0.0)
    plain = TodayKpi(KpiBuilder(), fold=False)
    whole = KpiBuilder()
    checked = 0
    batch = 700
    for i in range(0, len(events), batch):
        chunk = events[i : i + batch]
        today.builder.feed_many(chunk)
        plain.builder.feed_many(chunk)
        whole.feed_many(chunk)
        mine, theirs = today.compute(), plain.compute()
        assert mine is not None and theirs is not None
        assert mine.report == theirs.report
        assert mine.intervals == theirs.intervals
        assert mine.breaches == theirs.breaches
        now = mine.server_now
        assert now is not None
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        _same_day(today.builder, whole, day, now, minutes=(30, 60))
        checked += 1
    assert checked > 50
    facts = today.builder.facts
    assert today.folded > 0.8 * len(whole.facts.contacts)
    assert len(facts.contacts) < 0.1 * len(whole.facts.contacts)
    assert sum(len(a.timeline) for a in facts.agents.values()) < \
        0.1 * sum(len(a.timeline) for a in whole.facts.agents.values())
    assert facts.folded is not None and facts.folded.breaches  # breach rows were folded, and shown
    assert mine.report.total.offered > 500 and mine.report.total.sla_breaches > 0
    assert today.builder.anomalies == whole.anomalies


# ---------------------------------------------------------------- edges

def _answered_call(s: Script, call_id: str, q: str, t0: str, agent_id: str, wait_s: int = 20,
                   talk_s: int = 240, wrap_s: int = 30) -> datetime:
    queued = at(t0)
    s.queued(queued, call_id, q)
    answered = queued + timedelta(seconds=wait_s)
    s.answered(answered, call_id, agent_id)
    s.state(answered, agent_id, "on_call", call_id=call_id)
    ended = answered + timedelta(seconds=talk_s)
    s.ended(ended, call_id, agent_id)
    s.state(ended, agent_id, "wrap_up")
    s.state(ended + timedelta(seconds=wrap_s), agent_id, "available")
    return ended + timedelta(seconds=wrap_s)


def _base() -> Script:
    s = Script()
    s.snapshot(at("00:00:00"), queues=[queue("credit_card"), queue("vip", sla=300, warn=180)])
    s.state(at("08:00:00"), "a1", "available")
    s.state(at("08:00:00"), "a2", "available")
    return s


def _pair(s: Script, margin_s: float = 0.0, grace_s: float = 2 * 3600.0) -> tuple[KpiBuilder, KpiBuilder]:
    folded, whole = _folding(margin_s, grace_s), KpiBuilder()
    for e in s.events():
        folded.feed(e)
        whole.feed(e)
        fold_settled(folded.facts)
    return folded, whole


def test_a_survey_after_the_fold_still_counts_for_queue_agent_and_breach_row() -> None:
    s = _base()
    _answered_call(s, "c1", "vip", "09:00:00", "a1", wait_s=400)  # a breach of vip's 300 s
    _answered_call(s, "c2", "credit_card", "09:10:00", "a2")
    s.survey(at("10:30:00"), "c1", 5)  # both folded by then (margin 30 min)
    s.survey(at("10:31:00"), "c2", 2)
    folded, whole = _pair(s, margin_s=1800)
    assert "c1" not in folded.facts.contacts and "c2" not in folded.facts.contacts
    _same_day(folded, whole, DAY)
    report = folded.report(DAY, DAY + timedelta(days=1))
    assert report.queues["vip"].surveys == 1 and report.agents["a2"].csat == 2.0
    (row,) = folded.sla_breaches(DAY, DAY + timedelta(days=1))
    assert row.call_id == "c1" and row.scores == (5,)


def test_a_survey_after_the_grace_is_an_anomaly_not_a_silent_loss() -> None:
    s = _base()
    _answered_call(s, "c1", "credit_card", "09:00:00", "a1")
    s.state(at("11:00:00"), "a2", "break")  # c1 folded (margin 1 min)
    s.state(at("13:00:00"), "a2", "available")  # and forgotten after the grace (1 h)
    s.survey(at("13:00:01"), "c1", 4)
    s.survey(at("13:00:02"), "nobody", 4)
    folded, whole = _pair(s, margin_s=60, grace_s=3600)
    assert folded.anomalies[ANOMALY_SURVEY_LONG_AGO] == 1
    assert folded.anomalies["survey.completed for an unknown contact"] == 1
    assert folded.report(DAY, DAY + timedelta(days=1)).total.surveys == 0
    assert whole.report(DAY, DAY + timedelta(days=1)).total.surveys == 1


def test_late_repeats_of_a_folded_contacts_events_count_nowhere_as_without_folding() -> None:
    s = _base()
    _answered_call(s, "c1", "credit_card", "09:00:00", "a1")
    s.queued(at("09:00:00"), "c2", "vip")
    s.abandoned(at("09:00:30"), "c2")
    s.state(at("10:00:00"), "a2", "break")
    # repeats the builder without folding ignores (it knows these contacts are over)
    s.answered(at("10:00:01"), "c1", "a2")
    s.queued(at("10:00:02"), "c2", "vip")
    s.snapshot(at("10:00:03"), queues=[queue("credit_card"), queue("vip", sla=300, warn=180)],
               waiting=[contact("c1", "credit_card", at("09:00:00"))])
    s.abandoned(at("10:00:04"), "c1")
    s.ended(at("10:00:05"), "c2", "a2")  # an end for a contact never answered: still applied
    s.state(at("10:05:00"), "a2", "available")
    folded, whole = _pair(s, margin_s=600)
    assert folded.facts.folded is not None
    assert folded.facts.folded.anomalies[ANOMALY_RESURRECTED] >= 1
    assert "c2" not in folded.facts.contacts or folded.facts.contacts["c2"].queue is None
    _same_day(folded, whole, DAY)


def test_queries_folded_data_cannot_answer_say_so() -> None:
    s = _base()
    for i in range(6):
        _answered_call(s, f"c{i}", "credit_card", f"09:{i * 9:02d}:00", "a1")
    s.state(at("11:00:00"), "a2", "break")
    folded, whole = _pair(s, margin_s=60)
    assert not folded.facts.contacts
    with pytest.raises(FoldedPeriodError):
        folded.contacts(DAY, DAY + timedelta(days=1))
    with pytest.raises(FoldedPeriodError):
        folded.report(at("09:20:00"), DAY + timedelta(days=1))  # cuts the 09:00 bucket
    with pytest.raises(FoldedPeriodError):
        folded.intervals(DAY, DAY + timedelta(days=1), minutes=15)
    with pytest.raises(FoldedPeriodError):
        folded.report(DAY, DAY + timedelta(days=1), short_abandon_s=10)
    with pytest.raises(FoldedPeriodError):
        folded.report(at("09:00:00"), at("10:00:00"))  # agents' time is folded per day
    # intervals of whole buckets are fine, and a day with nothing folded lists its contacts
    (row,) = folded.intervals(at("09:00:00"), at("10:00:00"), minutes=60, queues=["credit_card"],
                              include_total=False)
    assert row.figures.offered == 6
    assert folded.contacts(DAY + timedelta(days=1), DAY + timedelta(days=2)) == []
    _same_day(folded, whole, DAY, minutes=(30, 60, 120))


def test_midnight_prune_drops_yesterdays_aggregates() -> None:
    events = _simulated(days=1.1, agents=20, seed=2)
    today = TodayKpi(KpiBuilder(), settle_margin_s=60.0, fold_every_s=0.0)
    for i in range(0, len(events), 300):
        today.builder.feed_many(events[i : i + 300])
        today.compute()
    folded = today.builder.facts.folded
    assert folded is not None and today.pruned > 0
    midnight = DAY + timedelta(days=1)
    from supervisor.kpi.facts import to_us

    assert all(span.hi >= to_us(midnight) for span in folded.queue_spans.values())
    assert all(key[0] >= to_us(midnight) for key, _ in folded.breaches.values())


def test_scripted_midnight_with_folding_keeps_every_figure_of_today() -> None:
    """The prune test's two scripted days (every case crossing midnight) through a
    folding ``TodayKpi`` (margin 1 s, a pass at every refresh)."""
    from tests.kpi.test_prune_midnight import _never_forgetting, _same_figures, _two_day_script

    events = _two_day_script().events()
    today = TodayKpi(KpiBuilder(), settle_margin_s=1.0, fold_every_s=0.0)
    plain = TodayKpi(KpiBuilder(), fold=False)
    for i in range(0, len(events), 2):
        today.builder.feed_many(events[i : i + 2])
        plain.builder.feed_many(events[i : i + 2])
        mine, theirs = today.compute(), plain.compute()
        assert mine is not None and theirs is not None
        _same_figures(mine, theirs)
    now = events[-1].ts
    whole, reference = _never_forgetting(events, now)
    _same_figures(mine, reference)
    assert today.folded > 0 and today.pruned > 0
    day2 = DAY + timedelta(days=1)
    _same_day(today.builder, whole, day2, now)

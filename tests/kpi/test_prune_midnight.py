"""Forgetting yesterday at midnight never changes a figure of today.

Two days of stream (a scripted one with every case that crosses midnight, and the
simulator's at 50 agents) are fed in batches through ``TodayKpi`` as the desktop does,
so the prune happens mid-stream at the first refresh of day 2. Day 2's report, interval
series and SLA-breach list must equal those of a builder that never forgot anything.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from supervisor import timeutil, wire
from supervisor.kpi.builder import KpiBuilder
from tests.kpi.script import DAY, Script, at, escalation, queue
from ui.kpi_today import KpiToday, TodayKpi

DAY2 = DAY + timedelta(days=1)


def _two_day_script() -> Script:
    s = Script()
    q = [queue("credit_card"), queue("deposit", sla=600, warn=300)]
    s.snapshot(at("00:00:00"), queues=q)
    s.state(at("08:00:00"), "a1", "available")
    s.state(at("08:00:00"), "a2", "available")
    s.state(at("08:00:00"), "a3", "available")
    # day 1, over well before midnight: must go
    s.queued(at("09:00:00"), "c-old", "credit_card")
    s.state(at("09:00:05"), "a1", "ringing", call_id="c-old")
    s.answered(at("09:00:10"), "c-old", "a1")
    s.state(at("09:00:10"), "a1", "on_call", call_id="c-old")
    s.ended(at("09:05:00"), "c-old", "a1")
    s.state(at("09:05:00"), "a1", "wrap_up")
    s.state(at("09:06:00"), "a1", "available")
    s.queued(at("10:00:00"), "c-gone", "deposit")
    s.abandoned(at("10:20:00"), "c-gone")  # a breach of day 1
    s.esc_opened(at("10:00:00"), escalation("e-done", at("10:00:00"), at("12:00:00")))
    s.reassigned(at("10:30:00"), "e-done", "o1", "o2", "忙")
    s.resolved(at("11:00:00"), "e-done")
    # crossing midnight
    s.esc_opened(at("20:00:00"), escalation("e-open", at("20:00:00"), at("23:00:00")))  # overdue across
    s.reassigned(at("21:00:00"), "e-open", "o1", "o3", "换人")
    s.esc_opened(at("22:00:00"), escalation("e-late", at("22:00:00"), at("01:00:00", 1)))
    s.queued(at("23:40:00"), "c-talk", "credit_card")  # answered before, ended after midnight
    s.answered(at("23:41:00"), "c-talk", "a2")
    s.state(at("23:41:00"), "a2", "on_call", call_id="c-talk")
    s.queued(at("23:50:00"), "c-wrap", "deposit")  # ended before midnight, wrap-up runs past it
    s.answered(at("23:51:00"), "c-wrap", "a3")
    s.state(at("23:51:00"), "a3", "on_call", call_id="c-wrap")
    s.ended(at("23:58:00"), "c-wrap", "a3")
    s.state(at("23:58:00"), "a3", "wrap_up")
    s.queued(at("23:55:00"), "c-wait", "credit_card")  # still waiting at midnight
    s.queued(at("23:59:00"), "c-xfer", "credit_card")
    s.transferred(at("23:59:30"), "c-xfer", "deposit")
    # day 2
    s.queued(at("00:00:00", 1), "c-new", "credit_card")
    s.state(at("00:02:00", 1), "a3", "available")  # c-wrap's wrap-up ends on day 2
    s.survey(at("00:03:00", 1), "c-old", 5)  # a late survey of a forgotten contact
    s.answered(at("00:10:00", 1), "c-wait", "a1")  # offered yesterday: not today's offered
    s.state(at("00:10:00", 1), "a1", "on_call", call_id="c-wait")
    s.ended(at("00:15:00", 1), "c-talk", "a2")  # its handle time counts today
    s.state(at("00:15:00", 1), "a2", "wrap_up")
    s.state(at("00:16:00", 1), "a2", "available")
    s.answered(at("00:20:00", 1), "c-xfer", "a2")
    s.state(at("00:20:00", 1), "a2", "on_call", call_id="c-xfer")
    s.resolved(at("00:30:00", 1), "e-late")
    s.reassigned(at("00:40:00", 1), "e-open", "o3", "o1", "回来")
    s.answered(at("00:45:00", 1), "c-new", "a3")
    s.state(at("00:45:00", 1), "a3", "on_call", call_id="c-new")
    s.ended(at("00:50:00", 1), "c-new", "a3")
    s.state(at("00:50:00", 1), "a3", "wrap_up")
    s.survey(at("00:51:00", 1), "c-new", 4)
    s.state(at("00:52:00", 1), "a3", "available")
    s.ended(at("01:00:00", 1), "c-wait", "a1")
    s.state(at("01:00:00", 1), "a1", "available")
    s.queued(at("01:30:00", 1), "c-new2", "deposit")
    return s


def _simulated(days: int = 2, agents: int = 50) -> list[wire.Event]:
    from supervisor.sim.engine import Engine

    engine = Engine(seed=3, start=DAY, agents=agents)
    messages = [{"type": "snapshot", "ts": timeutil.fmt(DAY), "data": engine.snapshot()}]
    messages += engine.advance(DAY + timedelta(days=days) - timedelta(minutes=30))
    out = []
    for i, m in enumerate(messages, 1):
        event = wire.decode(json.dumps({"v": 1, "seq": i, **m}, ensure_ascii=False))
        assert isinstance(event, wire.Event)
        out.append(event)
    return out


def _feed_live(events: list[wire.Event], batch: int) -> tuple[TodayKpi, KpiToday]:
    """Fed as the bridge does: batches into the builder, today's figures after each
    (without folding, which keeps no per-contact facts to inspect: see test_fold.py)."""
    today = TodayKpi(KpiBuilder(), fold=False)
    last = None
    for i in range(0, len(events), batch):
        today.builder.feed_many(events[i : i + batch])
        last = today.compute()
    assert last is not None
    return today, last


def _never_forgetting(events: list[wire.Event], now: datetime) -> tuple[KpiBuilder, KpiToday]:
    builder = KpiBuilder()
    builder.feed_many(events)
    assert builder.server_now == now
    figures = TodayKpi(builder, fold=False).compute()
    assert figures is not None
    return builder, figures


def _same_figures(pruned: KpiToday, whole: KpiToday) -> None:
    assert pruned.server_now == whole.server_now
    assert pruned.report.to_json() == whole.report.to_json()
    assert pruned.intervals == whole.intervals
    assert pruned.breaches == whole.breaches


def _day2_lists_equal(pruned: KpiBuilder, whole: KpiBuilder, now: datetime) -> None:
    end = DAY2 + timedelta(days=1)
    assert pruned.contacts(DAY2, end, server_now=now) == whole.contacts(DAY2, end, server_now=now)
    assert pruned.escalations(DAY2, end, server_now=now) == whole.escalations(DAY2, end, server_now=now)
    assert pruned.reassignments(DAY2, end) == whole.reassignments(DAY2, end)
    assert (pruned.intervals(DAY2, end, minutes=15, server_now=now)
            == whole.intervals(DAY2, end, minutes=15, server_now=now))


def test_scripted_midnight_forgets_yesterday_and_keeps_every_figure_of_today() -> None:
    events = _two_day_script().events()
    today, live = _feed_live(events, batch=3)
    now = events[-1].ts
    whole, reference = _never_forgetting(events, now)

    assert today.pruned > 0
    facts = today.builder.facts
    # over before midnight (c-wrap's wrap-up ran past it, but its handle counts yesterday)
    assert not {"c-old", "c-gone", "c-wrap"} & set(facts.contacts)
    assert "e-done" not in facts.escalations
    # what today can still see stays
    for call_id in ("c-talk", "c-wait", "c-xfer", "c-new", "c-new2"):
        assert call_id in facts.contacts
    assert {"e-open", "e-late"} <= set(facts.escalations)

    _same_figures(live, reference)
    _day2_lists_equal(today.builder, whole, now)
    # today starts afresh: only the contacts offered today are offered
    report = live.report
    assert report.start == DAY2
    assert report.total.offered == 2  # c-new and c-new2, not c-wait / c-xfer of yesterday
    assert report.escalations.reassignments == 1
    assert report.escalations.resolved == 1
    # an agent's state time is clipped to today: a2 was on a call since 23:41
    a2 = report.agents["a2"].state_seconds
    assert a2["on_call"] == 15 * 60 + (now - at("00:20:00", 1)).total_seconds()


def test_simulated_two_days_pruned_at_midnight_equal_a_builder_that_never_forgot() -> None:
    events = _simulated()
    today, live = _feed_live(events, batch=400)
    now = events[-1].ts
    whole, reference = _never_forgetting(events, now)

    assert today.pruned > 1000
    assert len(today.builder.facts.contacts) < 0.75 * len(whole.facts.contacts)
    assert live.report.total.offered > 100
    _same_figures(live, reference)
    _day2_lists_equal(today.builder, whole, now)

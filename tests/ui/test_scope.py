"""My floor on the feed thread (issue 12 point 2): today's figures of a scope are KPI.md's
figures over the contacts of those queues and the agents of those teams, computed by hand
(``last_week_scene.oracle``), and the same scope reaches last week's figures."""

from __future__ import annotations

from datetime import timedelta

from tests.ui.events import T0, Stream, agent
from tests.ui.last_week_scene import WEEK, journal, oracle, week_day, week_events, week_traffic
from ui.kpi_today import TodayKpi
from ui.last_week import LastWeek

TODAY = T0.replace(hour=0, minute=0)


def _today(cutoff):
    from supervisor.kpi.builder import KpiBuilder

    truth = week_traffic(TODAY, seed=7)
    events = week_events(TODAY, truth)
    s = Stream(TODAY + timedelta(hours=7))
    s.seq = 10_000
    agents = [s.agent(agent("a-001", "available", s.now, team="一组", skills=("credit_card",))),
              s.agent(agent("a-002", "available", s.now, team="二组", skills=("e_banking",)))]
    builder = KpiBuilder()
    builder.feed_many([events[0], *agents, *[e for e in events[1:] if e.ts < cutoff]])
    return builder, truth


def test_scope_figures_are_kpi_md_over_the_scope() -> None:
    cutoff = T0 + timedelta(minutes=13)
    builder, truth = _today(cutoff)
    today = TodayKpi(builder, settle_margin_s=60.0)
    whole = today.compute()
    assert whole is not None
    at = whole.server_now + timedelta(microseconds=1)  # what the builder has seen, inclusive
    today.set_scope(["credit_card"], ["一组"])
    kpi = today.compute()
    assert kpi is not None
    exp = oracle(truth, TODAY, at, {"credit_card"})
    total = kpi.report.total
    assert (total.offered, total.answered, total.abandoned, total.short_abandoned, total.waiting) == (
        exp.offered, exp.answered, exp.abandoned, exp.short, exp.waiting)
    assert (total.service_level, total.asa_seconds) == (exp.service_level, exp.asa)
    assert whole.report.total.offered == oracle(truth, TODAY, at).offered > exp.offered
    assert list(kpi.report.queues) == ["credit_card"]
    assert set(kpi.report.agents) == {"a-001"} and set(whole.report.agents) == {"a-001", "a-002"}
    assert kpi.breaches and {r.queue for r in kpi.breaches} == {"credit_card"}
    assert [r.call_id for r in kpi.breaches] == [r.call_id for r in whole.breaches if r.queue == "credit_card"]
    # the intervals' totals are the scope's too
    half = TODAY + timedelta(hours=8, minutes=30)
    point = next(p for p in kpi.intervals if p.start == half)
    e = oracle(truth, TODAY, at, {"credit_card"}, start=half, end=half + timedelta(minutes=30))
    assert (point.offered, point.service_level) == (e.offered, e.service_level)
    # back to everything
    today.set_scope(None, None)
    again = today.compute()
    assert again is not None and again.report.total == whole.report.total


def test_last_week_follows_the_scope(tmp_path) -> None:
    from supervisor.store import Store

    day = week_day(T0)
    truth = week_traffic(day)
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    journal(url, week_events(day, truth))
    with Store(url) as store:
        week = LastWeek(store).compute(T0, queues=("e_banking",))
    assert week is not None and list(week.report.queues) == ["e_banking"]
    exp = oracle(truth, day, T0 - WEEK, {"e_banking"})
    assert (week.report.total.offered, week.report.total.service_level) == (exp.offered, exp.service_level)

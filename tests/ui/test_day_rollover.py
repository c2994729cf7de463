"""Midnight in the center's timezone (+08:00) on a running desktop.

The real LiveFloor (reducer, models, trend recorder, its 1 Hz tick) and the real
TodayKpi over a KpiBuilder, fed a scripted stream across midnight: after it, today's
offered counts only the new day's contacts, yesterday's resolved escalations and closed
cases leave the floor and every model that showed them (remove signals, no reset), and
the trend series starts afresh.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from supervisor.kpi.builder import KpiBuilder
from supervisor.timeutil import fmt
from tests.ui.events import T0, Stream, agent, case, contact, escalation, queue
from ui.clock import ServerClock
from ui.escalation_board import BoardModel
from ui.inbox import Inbox
from ui.kpi_today import TodayKpi
from ui.live import LiveFloor

MIDNIGHT = T0.replace(hour=0) + timedelta(days=1)  # 2026-11-23 00:00 +08:00


class Desk:
    """A LiveFloor and a TodayKpi fed the same batches, as bridge.py feeds them."""

    def __init__(self) -> None:
        self.now = T0
        self.live = LiveFloor(Inbox(), clock=ServerClock(wall=lambda: self.now))
        self.today = TodayKpi(KpiBuilder())
        self.board = BoardModel(self.live.floor)
        self.live.changed.connect(self.board.apply)

    def feed(self, *events) -> None:  # type: ignore[no-untyped-def]
        self.today.builder.feed_many(events)
        self.live.apply(list(events))

    def tick(self, at: datetime) -> None:
        self.now = at
        self.live.tick()

    def kpi(self):  # type: ignore[no-untyped-def]
        figures = self.today.compute()
        assert figures is not None
        return figures


def test_midnight_starts_today_afresh_and_forgets_yesterday(qtbot, qtmodeltester) -> None:
    d = Desk()
    s = Stream()
    qs = [queue("credit_card", "信用卡")]
    d.feed(s.snapshot(qs, agents=[agent("a1", "available", T0), agent("a2", "available", T0)]))
    d.board.reset_to((k, e) for k, e in d.live.floor.escalations.items())
    for model in (d.live.escalations, d.live.agents, d.board):
        qtmodeltester.check(model)
    d.tick(T0)

    # day 1: contacts answered, an escalation resolved, a case closed, one left open
    d.feed(s.queued(contact("c1", "credit_card", s.now)), s.queued(contact("c2", "credit_card", s.now)),
           s.escalation(escalation("e-done", s.now + timedelta(hours=2), s.now)),
           s.escalation(escalation("e-open", s.now + timedelta(hours=20), s.now)),
           s.case({**case("case-x", "card_loss", s.now), "status": "closed"}))
    s.advance(60)
    d.feed(s.answered("c1", "a1"), s.abandoned("c2"), s.resolved("e-done"))
    s.advance(300)
    d.feed(s._event("call.ended", {"call_id": "c1", "agent_id": "a1", "at": fmt(s.now)}),
           s.agent(agent("a1", "available", s.now)))
    s.now = MIDNIGHT - timedelta(minutes=2)
    d.feed(s.queued(contact("c3", "credit_card", s.now)))  # still waiting at midnight
    d.tick(MIDNIGHT - timedelta(seconds=1))
    before = d.kpi()
    assert before.report.total.offered == 3
    assert {"e-done", "e-open"} <= set(d.board.ids())
    assert d.live.escalations.ids() == ["e-open"]
    assert d.live.trends.day == (MIDNIGHT - timedelta(days=1)).date()

    removed: list[tuple[int, int]] = []
    d.board.rowsAboutToBeRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    resets: list[bool] = []
    for model in (d.board, d.live.escalations, d.live.agents, d.live.waiting):
        model.modelAboutToBeReset.connect(lambda: resets.append(True))

    # day 2
    s.now = MIDNIGHT + timedelta(seconds=30)
    d.feed(s.queued(contact("c4", "credit_card", s.now)))
    d.tick(MIDNIGHT + timedelta(seconds=31))

    floor = d.live.floor
    assert "e-done" not in floor.escalations and "case-x" not in floor.cases
    assert "e-open" in floor.escalations
    assert set(floor.waiting) == {"c3", "c4"}  # live state stays, yesterday's waiting contact too
    assert "e-done" not in d.board.ids() and "e-open" in d.board.ids()
    assert len(removed) == 1 and not resets  # one row removed, never a reset
    assert d.live.pruned_at == MIDNIGHT + timedelta(seconds=31)

    after = d.kpi()
    assert after.report.start == MIDNIGHT
    assert after.report.total.offered == 1  # c4 only: c3 was offered yesterday
    assert [p.start for p in after.intervals] == [MIDNIGHT]
    assert d.today.pruned > 0
    assert not {"c1", "c2"} & set(d.today.builder.facts.contacts)
    assert {"c3", "c4"} <= set(d.today.builder.facts.contacts)

    # the waiting trend: a fresh day, only minutes after midnight
    times, values = d.live.trends.series()
    assert d.live.trends.day == MIDNIGHT.date()
    assert len(times) == 1 and times[0] == MIDNIGHT.timestamp() and values[0] == 2

    # the next ticks of the same day forget nothing more
    d.tick(MIDNIGHT + timedelta(hours=5))
    assert d.live.pruned_at == MIDNIGHT + timedelta(seconds=31)


def test_a_call_whose_end_never_came_is_forgotten_at_midnight(qtbot) -> None:
    d = Desk()
    s = Stream()
    d.feed(s.snapshot([queue("credit_card", "信用卡")], agents=[agent("a1", "available", T0)]))
    d.tick(T0)
    d.feed(s.queued(contact("c1", "credit_card", s.now)), s.answered("c1", "a1"),
           s.agent(agent("a1", "on_call", s.now, call_id="c1")))
    s.now = MIDNIGHT - timedelta(minutes=1)
    d.feed(s.queued(contact("c2", "credit_card", s.now)), s.answered("c2", "a1"))
    assert set(d.live.floor.talking) == {"c1", "c2"}
    changed: list = []
    d.live.changed.connect(changed.append)
    d.tick(MIDNIGHT + timedelta(seconds=1))
    assert set(d.live.floor.talking) == {"c2"}  # c1: answered 15 h ago
    assert d.live.floor.anomalies == 1
    assert changed and "a1" in changed[-1].agents_changed

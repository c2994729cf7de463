"""The same time of day a week ago, from the journal, on the feed thread (no Qt here).

Issue 12 point 3: the tiles show today's service level, offered and ASA so far beside
what they were at the same moment a week earlier, and the trend charts draw last week's
curve behind today's. "So far" a week ago means exactly what the tiles showed then: the
KPI.md figures of the contacts offered from that day's midnight, as of ``now − 7 days``,
from the events journaled before that moment (a contact still waiting then counts as
waiting, even if it was answered a minute later). The figures come from a ``KpiBuilder``
fed from the journal a slice at a time as the clock moves (folding what has settled, as
today's builder does), so the feed thread reads each event of last week once and holds
half an hour of contacts, not a day.

Blank, not zero, when the journal does not reach back: the journal must have begun at
or before that day's midnight and hold events of that day (a desktop switched off all
day a week ago journaled nothing then: its figures would read 0). ``compute`` then
returns None. A gap of a few hours inside that day is not detected: its contacts are
simply missing from last week's figures.

T of each queue (KPI.md) comes from the queue records in force: the builder is first
fed the newest snapshot journaled before that midnight, whose queue records say them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ui.kpi_today import DEFAULT_FORMULA, INTERVAL_MINUTES, SETTLE_MARGIN_S, IntervalPoint

if TYPE_CHECKING:
    from supervisor import wire
    from supervisor.kpi.builder import KpiBuilder
    from supervisor.kpi.report import KpiReport
    from supervisor.store import Store
    from ui.kpi_today import KpiToday

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
FOLD_EVERY_EVENTS = 5_000  # fold between chunks of the journal while catching up


@dataclass(frozen=True, slots=True)
class WeekAgo:
    """Figures as of ``at`` (a week before the desk's server time), over today's scope."""

    at: datetime
    report: KpiReport  # of [that midnight, + 1 day) as of ``at``
    # the intervals of that day up to ``at``, their starts moved on by 7 days so they lie
    # under today's on a chart
    intervals: list[IntervalPoint] = field(default_factory=list)
    minutes: int = INTERVAL_MINUTES


class LastWeek:
    """``compute(now)``: the figures of the same time a week ago, or None (not journaled)."""

    def __init__(self, store: Store, minutes: int = INTERVAL_MINUTES, *,
                 settle_margin_s: float = SETTLE_MARGIN_S) -> None:
        self.store = store
        self.minutes = minutes
        self.settle_margin_s = settle_margin_s
        self._day: datetime | None = None  # that midnight (a week ago)
        self._covered = False
        self._builder: KpiBuilder | None = None
        self._fed_until: datetime | None = None  # events with ts before this are fed
        self.events_read = 0  # journal events fed, in all (tests: each read once)
        self.starts = 0  # times the week's builder was started afresh

    def compute(
        self,
        now: datetime,
        *,
        formula: str = DEFAULT_FORMULA,
        queues: Sequence[str] | None = None,
        teams: Sequence[str] | None = None,
    ) -> WeekAgo | None:
        from supervisor.kpi.intervals import interval_table

        at = now - WEEK
        day = at.replace(hour=0, minute=0, second=0, microsecond=0)
        if day != self._day or self._fed_until is None or at < self._fed_until:
            self._start(day)
        if not self._covered:
            return None
        self._feed_until(at)
        builder = self._builder
        assert builder is not None  # a covered day has its builder (``_start``)
        report = builder.report(day, day + timedelta(days=1), server_now=at, formula=formula,
                                queues=queues, teams=teams)
        points: list[IntervalPoint] = []
        if at > day:
            rows = interval_table(builder.facts, day, at, minutes=self.minutes, server_now=at,
                                  include_total=True, formula=formula, queues=queues)
            points = [IntervalPoint(r.start + WEEK, r.figures.offered, r.figures.service_level)
                      for r in rows if r.queue is None]
        return WeekAgo(at, report, points, self.minutes)

    # ------------------------------------------------------------------ the journal

    def _start(self, day: datetime) -> None:
        """A new day a week ago: a fresh builder, and whether the journal covers the day."""
        from supervisor.kpi.builder import KpiBuilder
        from supervisor.kpi.fold import enable_folding

        self.starts += 1
        self._day = day
        self._builder = None
        self._fed_until = day
        self._covered = self._covers(day)
        if not self._covered:
            return
        builder = KpiBuilder()
        enable_folding(builder.facts, minutes=self.minutes, margin_s=self.settle_margin_s)
        snapshot = self._snapshot_before(day)
        if snapshot is not None:
            builder.feed(snapshot)  # the queue records (T, W) in force that morning
        self._builder = builder

    def _covers(self, day: datetime) -> bool:
        store = self.store
        first = store.first_id_since(datetime(1970, 1, 2, tzinfo=day.tzinfo))
        if first is None:
            return False
        began = next(iter(store.iter_events(from_id=first, before_id=first + 1)), None)
        if began is None or began.ts > day:
            return False  # the journal began after that midnight
        events = store.iter_events(since=day, until=day + timedelta(days=1))
        try:
            return next(events, None) is not None  # the desktop journaled that day
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()

    def _snapshot_before(self, day: datetime) -> wire.Event | None:
        import sqlalchemy as sa

        from supervisor.store import schema

        j = schema.journal
        query = (sa.select(j.c.id).where(j.c.type == "snapshot", j.c.ts < day)
                 .order_by(j.c.id.desc()).limit(1))
        with self.store.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return next(iter(self.store.iter_events(from_id=int(row.id), before_id=int(row.id) + 1)), None)

    def _feed_until(self, at: datetime) -> None:
        """Feed the journal's events with ts in [what was fed, ``at``), folding as it goes."""
        from supervisor.kpi.fold import fold_settled

        since = self._fed_until
        if since is None or at <= since:
            return
        builder = self._builder
        assert builder is not None  # fed only once ``_start`` found the day covered
        n = 0
        for event in self.store.iter_events(since=since, until=at):
            builder.feed(event)
            n += 1
            if n % FOLD_EVERY_EVENTS == 0:
                fold_settled(builder.facts)
        self._fed_until = at
        self.events_read += n
        fold_settled(builder.facts)


def arrow(today: float | int | None, week: float | int | None) -> str:
    """↑ today above last week, ↓ below, → the same; "" when either is unknown."""
    if today is None or week is None:
        return ""
    if today > week:
        return "↑"
    if today < week:
        return "↓"
    return "→"


def week_report(kpi: KpiToday | None) -> KpiReport | None:
    """The week-ago report of a posted ``KpiToday`` (None: none, or not journaled)."""
    week = None if kpi is None else kpi.last_week
    return None if week is None else week.report

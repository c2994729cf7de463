"""Today's KPI figures and interval series, computed on the feed thread (no Qt here).

Past intervals rarely change, so their rows are cached and only the last hours are
recomputed: the feed thread spends milliseconds, not a full day's scan per interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

INTERVAL_MINUTES = 30
RECOMPUTE_HOURS = 3  # contacts offered earlier than this are settled (answered or gone)


@dataclass(frozen=True, slots=True)
class IntervalPoint:
    start: datetime
    offered: int
    service_level: float | None


@dataclass(frozen=True, slots=True)
class KpiToday:
    report: Any  # supervisor.kpi.report.KpiReport of [midnight, midnight + 1 day)
    intervals: list[IntervalPoint] = field(default_factory=list)
    minutes: int = INTERVAL_MINUTES
    # supervisor.kpi.lists.ContactRow of today's SLA breaches (KPI.md), in order of queued_at
    breaches: list[Any] = field(default_factory=list)
    server_now: datetime | None = None  # the server time the figures and lists are as of


class TodayKpi:
    """Wraps a ``KpiBuilder``: ``compute()`` returns ``KpiToday`` as of the builder's server time."""

    def __init__(self, builder: Any, minutes: int = INTERVAL_MINUTES) -> None:
        self.builder = builder
        self.minutes = minutes
        self._settled: dict[datetime, IntervalPoint] = {}
        self._day: datetime | None = None

    def compute(self) -> KpiToday | None:
        from supervisor.kpi.intervals import interval_table

        now: datetime | None = self.builder.server_now
        if now is None:
            return None
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if day != self._day:
            self._day = day
            self._settled = {}
        report = self.builder.report(day, day + timedelta(days=1), server_now=now)
        step = timedelta(minutes=self.minutes)
        settled_before = now - timedelta(hours=RECOMPUTE_HOURS)
        first_open = day
        while first_open in self._settled:
            first_open += step
        end = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
        points = [self._settled[t] for t in sorted(self._settled)]
        if first_open < end:
            rows = interval_table(self.builder.facts, first_open, end, minutes=self.minutes,
                                  server_now=now, include_total=True)
            for row in rows:
                if row.queue is not None:
                    continue
                point = IntervalPoint(row.start, row.figures.offered, row.figures.service_level)
                points.append(point)
                if row.end <= settled_before and row.end - row.start == step:
                    self._settled[row.start] = point
        # the desk's breach list: computed here with the figures, so the Qt thread never scans the day
        breaches = self.builder.sla_breaches(day, day + timedelta(days=1), server_now=now)
        return KpiToday(report, points, self.minutes, breaches, now)

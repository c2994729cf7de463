"""Today's KPI figures and interval series, computed on the feed thread (no Qt here).

Past intervals rarely change, so their rows are cached and only the last hours are
recomputed: the feed thread spends milliseconds, not a full day's scan per interval.

At midnight in the center's timezone (the offset the server's timestamps carry) today's
figures start afresh, and the builder forgets what no period starting at the new day's
midnight can see (``KpiBuilder.prune``): nothing on screen looks at yesterday (history
and exports read the journal, which keeps it), so a desktop running for weeks holds
one day of facts and a refresh scans one day, not everything since it started.

Within the day, the builder folds what has settled (``supervisor.kpi.fold``): contacts
whose figures can no longer change and agent state intervals older than the settle
margin become exact integer sums per queue and 30-min interval, per agent and day, and
the SLA breaches keep their rows; so a wall display holds the contacts of the last
half hour or so, not the whole day, and a refresh costs the same at 23:00 as at 08:00.
Today's report, intervals and breach list equal those of a builder that folds nothing
(``command-center kpi``); a builder that folds cannot list every contact of the day.
The builder's domain interpreter is told to forget the contacts settled before the
fold's survey grace (``Interpreter.forget``): by then a folded contact's late survey no
longer counts anyway, and a repeat of one of its events hours later is counted as
an event about an unknown contact instead of a duplicate (the anomaly's name differs;
a repeated answer or queueing that late would then count: hostile input only).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from supervisor.kpi.figures import check_formula
from supervisor.kpi.report import FORMULAS

if TYPE_CHECKING:
    from supervisor.kpi.builder import KpiBuilder
    from supervisor.kpi.lists import ContactRow
    from supervisor.kpi.report import KpiReport
    from ui.last_week import WeekAgo

INTERVAL_MINUTES = 30
RECOMPUTE_HOURS = 3  # contacts offered earlier than this are settled (answered or gone)
SETTLE_MARGIN_S = 5 * 60.0  # a contact's last fact this long ago: folded once it is final
FOLD_EVERY_S = 60.0  # server seconds between fold passes
INTERPRETER_FORGET_EVERY_S = 600.0  # server seconds between the interpreter's forgets
DEFAULT_FORMULA = FORMULAS[0]  # KPI.md's default, "abandons count against"


@dataclass(frozen=True, slots=True)
class IntervalPoint:
    start: datetime
    offered: int
    service_level: float | None


@dataclass(frozen=True, slots=True)
class KpiToday:
    report: KpiReport  # of [midnight, midnight + 1 day)
    intervals: list[IntervalPoint] = field(default_factory=list)
    minutes: int = INTERVAL_MINUTES
    # today's SLA breaches (KPI.md), in order of queued_at
    breaches: list[ContactRow] = field(default_factory=list)
    server_now: datetime | None = None  # the server time the figures and lists are as of
    formula: str = DEFAULT_FORMULA  # the service-level formula of the report and the intervals
    last_week: WeekAgo | None = None  # the same time a week ago (None: not journaled)


class TodayKpi:
    """Wraps a ``KpiBuilder``: ``compute()`` returns ``KpiToday`` as of the builder's server time."""

    def __init__(
        self,
        builder: KpiBuilder,
        minutes: int = INTERVAL_MINUTES,
        *,
        fold: bool = True,
        settle_margin_s: float = SETTLE_MARGIN_S,
        fold_every_s: float = FOLD_EVERY_S,
        formula: str = DEFAULT_FORMULA,
    ) -> None:
        check_formula(formula)
        self.builder = builder
        self.minutes = minutes
        self.formula = formula  # KPI.md's service-level formula of the report and intervals
        # my floor (issue 12 point 2): the queues and teams figures are of (None: all)
        self.queues: tuple[str, ...] | None = None
        self.teams: tuple[str, ...] | None = None
        self._settled: dict[datetime, IntervalPoint] = {}
        self._day: datetime | None = None
        self.pruned = 0  # facts forgotten at midnights, in all
        self.last_prune_ms: float | None = None  # how long the last midnight's prune took
        self.fold = fold
        self.folded = 0  # contacts folded into aggregates, in all
        self.last_fold_ms: float | None = None  # how long the last fold pass took
        self.interpreter_forgot = 0  # contacts the interpreter forgot (settled before the grace)
        self._next_forget: datetime | None = None
        self._forget_after = timedelta(seconds=settle_margin_s)
        if fold:
            from supervisor.kpi.fold import enable_folding

            folded = enable_folding(builder.facts, minutes=minutes, margin_s=settle_margin_s,
                                    every_s=fold_every_s)
            self._forget_after = timedelta(microseconds=folded.margin_us + folded.grace_us)

    def set_formula(self, formula: str) -> None:
        """Compute service levels with ``formula`` from the next ``compute()`` on.

        Folded aggregates keep every count the three formulas need (within T, abandoned
        within T, short abandoned, offered), so the whole day is recomputed exactly; only
        the cached past intervals, whose service level was the old formula's, are dropped.
        """
        check_formula(formula)
        if formula != self.formula:
            self.formula = formula
            self._settled = {}

    def set_scope(self, queues: Sequence[str] | None, teams: Sequence[str] | None) -> None:
        """Figures of these queues' contacts and these teams' agents (None: all) from the
        next ``compute()`` on: KPI.md's figures over that subset (the report's total is
        the total of those queues, not a sum of rounded rows); cached intervals dropped."""
        scope = (None if queues is None else tuple(queues), None if teams is None else tuple(teams))
        if scope != (self.queues, self.teams):
            self.queues, self.teams = scope
            self._settled = {}

    def compute(self) -> KpiToday | None:
        from supervisor.kpi.intervals import interval_table

        now: datetime | None = self.builder.server_now
        if now is None:
            return None
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.fold:
            self._fold()
        if day != self._day:
            if self._day is not None and day > self._day:
                self._forget_before(day)
            self._day = day
            self._settled = {}
        formula = self.formula
        report = self.builder.report(day, day + timedelta(days=1), server_now=now, formula=formula,
                                     queues=self.queues, teams=self.teams)
        step = timedelta(minutes=self.minutes)
        settled_before = now - timedelta(hours=RECOMPUTE_HOURS)
        first_open = day
        while first_open in self._settled:
            first_open += step
        end = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
        points = [self._settled[t] for t in sorted(self._settled)]
        if first_open < end:
            rows = interval_table(self.builder.facts, first_open, end, minutes=self.minutes,
                                  server_now=now, include_total=True, formula=formula, queues=self.queues)
            for row in rows:
                if row.queue is not None:
                    continue
                point = IntervalPoint(row.start, row.figures.offered, row.figures.service_level)
                points.append(point)
                if row.end <= settled_before and row.end - row.start == step:
                    self._settled[row.start] = point
        # the desk's breach list: computed here with the figures, so the Qt thread never scans the day
        breaches = self.builder.sla_breaches(day, day + timedelta(days=1), server_now=now, queues=self.queues)
        return KpiToday(report, points, self.minutes, breaches, now, formula)

    def _fold(self) -> None:
        """Fold what has settled into the builder's aggregates (before any figure is asked)."""
        from supervisor.kpi.fold import fold_settled

        t0 = time.perf_counter()
        n = fold_settled(self.builder.facts)
        if n:
            self.folded += n
            self.last_fold_ms = (time.perf_counter() - t0) * 1000.0
        interpreter = self.builder.interpreter
        now = self.builder.server_now
        if now is not None and (
            self._next_forget is None or now >= self._next_forget
        ):
            self._next_forget = now + timedelta(seconds=INTERPRETER_FORGET_EVERY_S)
            self.interpreter_forgot += interpreter.forget(now - self._forget_after)

    def _forget_before(self, midnight: datetime) -> None:
        """A new day: drop the facts that only periods before its midnight can see.

        ``prune`` keeps contacts still waiting (or of unknown outcome, or answered and not
        yet ended), every agent's open state and the intervals reaching past midnight, open
        escalations and today's reassignments, so every figure of today is unchanged.
        """
        t0 = time.perf_counter()
        self.pruned += self.builder.prune(midnight)
        self.last_prune_ms = (time.perf_counter() - t0) * 1000.0

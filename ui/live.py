"""The live floor on the Qt main thread: drains the inbox, runs the reducer, feeds models.

The inbox's one queued signal starts a drain, at most APPLY_HZ times a second (a burst
of feed batches becomes one reducer pass, one set of ranged model updates, one repaint);
a long backlog is applied in slices so paints and input get their turn. A 1 Hz timer
advances the clocks of every model in server time, and when it finds that the server's
day has changed (midnight in the center's timezone) the floor forgets what belongs to
the day that ended: resolved escalations and closed cases, and calls whose end never
came (``Floor.prune``); their rows leave the models with ordinary remove signals.
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from supervisor import wire
from supervisor.floor import STALE_TALK, Changes, Floor

CASE_KEEP = timedelta(minutes=30)  # a closed case stays on the floor this long after its last event
CASE_SWEEP = timedelta(minutes=10)  # of server time between two sweeps
from supervisor.kpi.figures import check_formula
from supervisor.kpi.report import FORMULAS
from ui.clock import ServerClock
from ui.inbox import Inbox
from ui.kpi_today import DEFAULT_FORMULA
from ui.models.agents import AgentFilter, AgentModel
from ui.models.base import emit_clock
from ui.models.escalations import EscalationModel
from ui.models.sorted_rows import SortedRows
from ui.models.waiting import WaitingModel
from ui.scope import Scope
from ui.trends import TrendRecorder

if TYPE_CHECKING:
    from supervisor.forecast.live import LiveOutlook
    from ui.kpi_today import KpiToday
    from ui.status import FeedState

log = logging.getLogger(__name__)

APPLY_HZ = 10.0  # model updates (and repaints) per second at most; 100 ms of added latency at worst
CHUNK = 500  # events per turn of the event loop at most (a resume replaying a day comes in slices)


class LiveFloor(QObject):
    """Owns the reducer and the models; views attach to its models and signals."""

    changed = Signal(object)  # Changes of one batch
    status_changed = Signal(object)  # the feed's newest status
    kpi_changed = Signal(object)  # the newest KPI report
    forecast_changed = Signal(object)  # the newest live forecast (supervisor.forecast.live.LiveOutlook)
    ticked = Signal(object)  # server time of the tick (datetime)
    formula_changed = Signal(str)  # the service-level formula chosen (KPI.md's names)
    scope_changed = Signal(object)  # my floor: the ui.scope.Scope chosen

    def __init__(
        self,
        inbox: Inbox,
        floor: Floor | None = None,
        clock: ServerClock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.inbox = inbox
        self.floor = floor or Floor()
        self.clock = clock or ServerClock()
        self.status: FeedState | None = None
        self.kpi: KpiToday | None = None
        self.forecast: LiveOutlook | None = None  # computed on the feed thread (ui.forecast_feed)
        self.formula = DEFAULT_FORMULA  # the service-level formula chosen; the feed thread computes with it
        self.scope = Scope()  # my floor (issue 12 point 2): the queues and teams shown; all by default
        self.trends = TrendRecorder()
        self.waiting = WaitingModel(self.floor, self)
        self.agents = AgentModel(self.floor, self)
        self.escalations = EscalationModel(self.floor, self)
        self.waiting_sorted = _sorted_proxy(self.waiting, WaitingModel.BREACH_IN, self)
        self.agents_filtered = AgentFilter(parent=self)
        self.agents_filtered.setSourceModel(self.agents)
        self.escalations_sorted = _sorted_proxy(self.escalations, EscalationModel.DUE, self)
        self.batches = 0
        self.events = 0
        self._day: date | None = None  # the server day of the last tick
        self._case_sweep: datetime | None = None  # server time closed cases were last swept
        self.pruned_at: datetime | None = None  # when the floor last forgot a finished day
        inbox.ready.connect(self._on_inbox_ready)
        # at most APPLY_HZ applications a second: a burst of feed batches becomes one
        # reducer pass, one set of model updates and one repaint
        self._pace = QTimer(self)
        self._pace.setSingleShot(True)
        self._pace.timeout.connect(self._on_pace_timeout)
        self._last_apply = 0.0
        self._backlog: list[wire.Event] = []
        self._rebuild_steps: list[Callable[[], None]] = []  # a snapshot's model rebuilds still to run, one per turn
        self._slice = QTimer(self)
        self._slice.setSingleShot(True)
        self._slice.setInterval(0)
        self._slice.timeout.connect(self._apply_slice)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)

    def set_formula(self, formula: str) -> None:
        """Choose the service-level formula (the shell passes it on to the feed thread)."""
        check_formula(formula)
        if formula != self.formula:
            self.formula = formula
            self.formula_changed.emit(formula)

    def set_scope(self, scope: Scope) -> None:
        """Choose my floor: the waiting list and the agent board show only what is in it
        (escalations are not scoped: ui.scope); the shell passes it on to the feed thread."""
        if scope != self.scope:
            self.scope = scope
            self.waiting_sorted.set_scope(None if scope.queues is None else scope.has_contact)
            self.agents_filtered.set_scope(None if scope.whole else scope.has_agent)
            self.scope_changed.emit(scope)

    def shown_formula(self) -> str:
        """The formula of the figures on screen: the report's, else the one chosen."""
        used = None if self.kpi is None else self.kpi.report.formula
        return used if isinstance(used, str) and used in FORMULAS else self.formula

    def set_forecast(self, outlook: LiveOutlook | None) -> None:
        """A new live forecast: the waiting list's breach risks follow it, panels are told."""
        self.forecast = outlook
        self.waiting.set_outlook(outlook)
        self.forecast_changed.emit(outlook)

    def start_clock(self) -> None:
        self._timer.start()

    def stop_clock(self) -> None:
        self._timer.stop()

    def _on_inbox_ready(self) -> None:
        if self._backlog or self._rebuild_steps:
            return  # the chunk timer is already working through events
        wait_ms = int((self._last_apply + 1.0 / APPLY_HZ - time.monotonic()) * 1000)
        if wait_ms > 0:
            if not self._pace.isActive():
                self._pace.start(wait_ms)
            return
        self._drain_and_apply()

    def _on_pace_timeout(self) -> None:
        self._drain_and_apply()

    def _drain_and_apply(self) -> None:
        """Apply what arrived, at most CHUNK events per turn of the event loop.

        A long backlog (a resume replaying a day, a burst) is worked through in slices,
        so paint events and timers get their turn between them: the main thread is never
        blocked for longer than one slice.
        """
        self._last_apply = time.monotonic()
        drained = self.inbox.drain()
        if drained.status is not None:
            self.status = drained.status
            self.clock.set_offset(drained.status.server_offset_s)
            self.status_changed.emit(drained.status)
        if drained.kpi is not None:
            self.kpi = drained.kpi
            self.kpi_changed.emit(drained.kpi)
        if drained.forecast is not None:
            self.set_forecast(drained.forecast)
        if drained.events:
            self._backlog.extend(drained.events)
        self._apply_slice()

    def _apply_slice(self) -> None:
        if self._rebuild_steps:
            self._rebuild_step()  # a snapshot's models first; events wait their turn
            return
        if not self._backlog:
            return
        chunk = self._backlog[:CHUNK]
        del self._backlog[:CHUNK]
        self.apply(chunk, sliced=True)
        if self._backlog or self._rebuild_steps:
            self._slice.start()  # 0 ms: after whatever else waits in the event loop
        elif self.inbox.pending():
            self._on_inbox_ready()  # more arrived while slicing: paced as usual

    def _rebuild_step(self) -> None:
        """One model of a snapshot rebuilt; when the last is, the batch is announced."""
        step = self._rebuild_steps.pop(0)
        step()
        if self._rebuild_steps or self._backlog:
            self._slice.start()
        elif self.inbox.pending():
            self._on_inbox_ready()

    def rebuilding(self) -> bool:
        """Whether a snapshot's models are still being rebuilt (one per turn of the event loop)."""
        return bool(self._rebuild_steps)

    def apply(self, events: list[wire.Event], *, sliced: bool = False) -> Changes:
        """Reduce a batch and update every model once.

        ``sliced`` (the event loop's path): after a snapshot the models are rebuilt one
        per turn of the event loop (10,000 agents: the reducer 15 ms, the agents' board
        17 ms, the waiting list 6 ms), so paints and input run between them and nothing
        else is applied until the last one is done and ``changed`` announces the batch.
        """
        while self._rebuild_steps:  # called directly mid-rebuild: the rebuild finishes first
            self._rebuild_steps.pop(0)()
        changes = Changes()
        floor, trends = self.floor, self.trends
        for event in events:
            floor.apply(event, changes)
            if type(event) not in _CONTROL:
                trends.observe(event.ts, len(floor.waiting), event)
        self.batches += 1
        self.events += len(events)
        if floor.last_ts is not None:
            self.clock.follow(floor.last_ts)
        if changes.reset and sliced:
            self.waiting.apply(changes)
            self._rebuild_steps = [lambda: self.agents.apply(changes),
                                   lambda: self._finish(changes, self.escalations)]
            return changes
        if changes:
            self.waiting.apply(changes)
            self.agents.apply(changes)
            self._finish(changes, self.escalations)
        return changes

    def _finish(self, changes: Changes, *models: EscalationModel) -> None:
        for model in models:
            model.apply(changes)
        self._settle()
        self.changed.emit(changes)

    def _settle(self) -> None:
        """Rows whose sort key changed in this batch move now, one layout change per view."""
        for view in (self.waiting_sorted, self.agents_filtered, self.escalations_sorted):
            view.settle()

    def tick(self) -> None:
        now = self.clock.now()
        self._roll_day(now)
        self.waiting.tick(now)
        self.agents.tick(now)
        self.escalations.tick(now)
        self._settle()  # a list sorted by breach risk follows the risks just refreshed
        for proxy, model in ((self.waiting_sorted, self.waiting), (self.agents_filtered, self.agents),
                             (self.escalations_sorted, self.escalations)):
            emit_clock(proxy, model.CLOCK_COLUMNS)
        self.trends.observe_now(now, len(self.floor.waiting))
        self.ticked.emit(now)

    def _forget_closed_cases(self, now: datetime) -> None:
        """Every CASE_SWEEP of server time, closed cases untouched for CASE_KEEP leave, and the
        floor's interpreter forgets the contacts settled before then (``Floor.prune_settled``)."""
        last = self._case_sweep
        if last is not None and timedelta(0) <= now - last < CASE_SWEEP:
            return
        self._case_sweep = now
        if last is None:
            return
        changes = self.floor.prune_settled(now - CASE_KEEP)
        if changes:
            self.waiting.apply(changes)
            self.agents.apply(changes)
            self.escalations.apply(changes)
            self.changed.emit(changes)

    def _roll_day(self, now: datetime) -> None:
        """At the first tick of a new server day, forget what the day that ended left behind."""
        self._forget_closed_cases(now)
        day = now.date()
        if self._day is None or day < self._day:
            self._day = day  # the first tick, or the clock went back: nothing ended
            return
        if day == self._day:
            return
        self._day = day
        self.prune(now.replace(hour=0, minute=0, second=0, microsecond=0), now)

    def prune(self, before: datetime, now: datetime) -> Changes:
        """``Floor.prune`` at ``before`` (calls answered over STALE_TALK before ``now``), models told."""
        changes = self.floor.prune(before, talking_before=now - STALE_TALK)
        self.pruned_at = now
        if changes:
            self.waiting.apply(changes)
            self.agents.apply(changes)
            self.escalations.apply(changes)
            self.changed.emit(changes)
        return changes


_CONTROL = (wire.Heartbeat, wire.Hello, wire.CommandResult, wire.UnknownEvent)


def _sorted_proxy(model: WaitingModel | EscalationModel, column: int, parent: QObject) -> SortedRows:
    """The view's rows of ``model``, sorted by ``column`` and searchable (any non-clock text)."""
    proxy = SortedRows(model, parent)
    proxy.sort(column)
    return proxy

"""Trend charts of the desk: waiting contacts over the day; per interval the service level
(with the SLA target drawn as a line) and the volume. Time axis in the center's timezone.

The charts (widgets.TrendChart) redraw from their buffers at 1 Hz and stop while hidden;
this panel only copies the recorder's series and the KPI intervals into them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui import formula as formulas
from widgets.trend_chart import TrendChart

if TYPE_CHECKING:
    from ui.kpi_today import KpiToday
    from ui.live import LiveFloor
    from ui.scope import Scope

SERVICE_LEVEL_TARGET = 0.80  # the bank's target: 80 % of contacts answered within T


def _offset_s(tz: tzinfo | None) -> int | None:
    if tz is None:
        return None
    offset = datetime.now(tz).utcoffset() or timedelta(0)
    return int(offset.total_seconds())


class TrendPanel(QWidget):
    def __init__(self, live: LiveFloor, parent: QWidget | None = None, *, theme: str = "normal",
                 scale: float = 0.6) -> None:
        super().__init__(parent)
        self.live = live
        lay = QHBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)

        def titled(title: str, chart: TrendChart) -> QLabel:
            box = QWidget(self)
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            label = QLabel(title, box)
            label.setObjectName("chartTitle")
            v.addWidget(label)
            v.addWidget(chart, 1)
            lay.addWidget(box, 1)
            return label

        self.waiting_chart = TrendChart(self, window_s=None, theme=theme, scale=scale)
        self.waiting_chart.add_line("waiting", label=None)
        self.waiting_title = titled("", self.waiting_chart)
        self.show_scope(live.scope)
        live.scope_changed.connect(self.show_scope)
        self.sl_chart = TrendChart(self, window_s=None, theme=theme, scale=scale, y_range=(0.0, 1.05))
        self.sl_chart.add_line("sl")
        self.sl_chart.add_line("sl_week", faint=True)  # the same intervals a week ago
        self.sl_chart.set_target(SERVICE_LEVEL_TARGET,
                                 self.tr("Target %1%").replace("%1", f"{SERVICE_LEVEL_TARGET * 100:.0f}"))
        self.sl_title = titled("", self.sl_chart)
        self._formula: str | None = None
        self.show_formula(live.shown_formula())
        self.volume_chart = TrendChart(self, window_s=None, theme=theme, scale=scale)
        self.volume_chart.add_bars("offered", bar_width_s=30 * 60 * 0.8)
        self.volume_chart.add_line("offered_week", faint=True)
        self.volume_title = titled("", self.volume_chart)
        self._week_shown: bool | None = None
        self._show_week_titles(False)
        self._version = -1
        self._kpi_seen: KpiToday | None = None
        live.ticked.connect(self._on_live_ticked)
        self._active = True

    def show_scope(self, scope: Scope) -> None:
        """The per-interval charts follow my floor (the feed thread computes them over it);
        the waiting-contacts curve is recorded as events arrive, for the whole floor, and
        says so while a scope is set."""
        self.waiting_title.setText(self.tr("Waiting contacts today") if scope.whole
                                   else self.tr("Waiting contacts today (all queues)"))

    def show_formula(self, formula: str) -> None:
        """Name the service-level formula of the chart in its title (KPI.md), formula in the tooltip."""
        if formula == self._formula:
            return
        self._formula = formula
        self._week_shown = None  # the title is made afresh
        self._show_week_titles(False)
        self.sl_title.setToolTip(formulas.described(formula))
        self.sl_chart.setToolTip(formulas.described(formula))

    def _show_week_titles(self, week: bool) -> None:
        """The titles, saying what the faint dashed line is while it is drawn."""
        if week == self._week_shown or self._formula is None:
            return
        self._week_shown = week
        sl = self.tr("%1 per 30 minutes").replace("%1", formulas.name(self._formula))
        volume = self.tr("Contacts offered per 30 minutes")
        if week:
            dashed = self.tr("dashed: same time last week")
            sl, volume = f"{sl} · {dashed}", f"{volume} · {dashed}"
        self.sl_title.setText(sl)
        if hasattr(self, "volume_title"):
            self.volume_title.setText(volume)

    def charts(self) -> list[TrendChart]:
        return [self.waiting_chart, self.sl_chart, self.volume_chart]

    def set_active(self, active: bool) -> None:
        self._active = active
        for chart in self.charts():
            chart.set_active(active)
        if active:
            self.update_series()

    def _on_live_ticked(self, _now: datetime) -> None:
        if self._active:
            self.update_series()

    def update_series(self) -> None:
        trends = self.live.trends
        if trends.version != self._version:
            self._version = trends.version
            offset = _offset_s(trends.tz)
            if offset is not None and offset != self.waiting_chart.utc_offset_s():
                self.waiting_chart.set_utc_offset(offset)
            x, y = trends.series()
            self.waiting_chart.set_series("waiting", x, y)
        kpi = self.live.kpi
        if kpi is None or kpi is self._kpi_seen:
            return
        self._kpi_seen = kpi
        points = list(kpi.intervals)
        while points and points[0].offered == 0:
            points.pop(0)  # the quiet hours before the first contact only squeeze the chart
        if not points:
            return
        offset = _offset_s(points[0].start.tzinfo)
        for chart in (self.sl_chart, self.volume_chart):
            if offset is not None and offset != chart.utc_offset_s():
                chart.set_utc_offset(offset)
        step = kpi.minutes * 60.0
        starts = np.array([p.start.timestamp() for p in points])
        sl = np.array([np.nan if p.service_level is None else p.service_level for p in points])
        self.sl_chart.set_series("sl", starts + step / 2, sl)
        self.volume_chart.set_series("offered", starts + step * 0.1,
                                     np.array([p.offered for p in points], dtype=float))
        # last week's intervals (their starts moved on a week), from today's first on
        week = kpi.last_week
        then = [p for p in (week.intervals if week is not None else []) if p.start >= points[0].start]
        w_starts = np.array([p.start.timestamp() for p in then])
        self.sl_chart.set_series("sl_week", w_starts + step / 2,
                                 np.array([np.nan if p.service_level is None else p.service_level
                                           for p in then]))
        self.volume_chart.set_series("offered_week", w_starts + step / 2,
                                     np.array([p.offered for p in then], dtype=float))
        self._show_week_titles(bool(then))

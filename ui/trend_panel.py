"""Trend charts of the desk: waiting contacts over the day, and per interval the volume and
service level with the SLA target drawn as a line. Time axis in the center's timezone.

Redrawn at 1 Hz from buffers (never per event); the timer stops while the panel is hidden.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QWidget

from widgets.palette import THEMES

SERVICE_LEVEL_TARGET = 0.80  # the bank's target: 80 % of contacts answered within T


def _utc_offset_s(tz: Any, at: datetime | None) -> int | None:
    """pyqtgraph's DateAxisItem wants -(offset east of UTC) in seconds."""
    if tz is None:
        return None
    offset = (at or datetime.now(tz)).astimezone(tz).utcoffset() or timedelta(0)
    return -int(offset.total_seconds())


class TrendPanel(QWidget):
    def __init__(self, live: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        colors = THEMES["normal"]
        pg.setConfigOptions(antialias=False)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.waiting_axis = pg.DateAxisItem(orientation="bottom")
        self.waiting_plot = pg.PlotWidget(axisItems={"bottom": self.waiting_axis}, background=colors["surface"])
        self.waiting_plot.setTitle(self.tr("Waiting contacts today"), color=colors["text"])
        self.waiting_plot.showGrid(x=True, y=True, alpha=0.2)
        self.waiting_plot.setMouseEnabled(x=False, y=False)
        self.waiting_curve = self.waiting_plot.plot(pen=pg.mkPen(colors["accent"], width=1))
        self.waiting_curve.setClipToView(True)
        self.waiting_curve.setDownsampling(auto=True, method="peak")
        lay.addWidget(self.waiting_plot, 1)

        self.sl_axis = pg.DateAxisItem(orientation="bottom")
        self.sl_plot = pg.PlotWidget(axisItems={"bottom": self.sl_axis}, background=colors["surface"])
        self.sl_plot.setTitle(self.tr("Service level and volume per 30 minutes"), color=colors["text"])
        self.sl_plot.showGrid(x=True, y=True, alpha=0.2)
        self.sl_plot.setMouseEnabled(x=False, y=False)
        self.sl_plot.setLabel("left", self.tr("Service level %"))
        self.sl_plot.setYRange(0, 100)
        self.target_line = pg.InfiniteLine(
            pos=SERVICE_LEVEL_TARGET * 100, angle=0,
            pen=pg.mkPen(colors["target"], width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
            label=self.tr("Target %1%").replace("%1", f"{SERVICE_LEVEL_TARGET * 100:.0f}"),
            labelOpts={"position": 0.05, "color": colors["target"]},
        )
        self.sl_plot.addItem(self.target_line)
        self.volume_bars = pg.BarGraphItem(x=[], height=[], width=1, brush=colors["grid"])
        self.sl_plot.addItem(self.volume_bars)
        self.sl_curve = self.sl_plot.plot(pen=pg.mkPen(colors["ok"], width=1), symbol="o", symbolSize=5,
                                          symbolBrush=colors["ok"], connect="finite")
        lay.addWidget(self.sl_plot, 1)
        self._version = -1
        self._kpi_seen: Any = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.redraw)

    def set_active(self, active: bool) -> None:
        if active:
            self.redraw()
            self._timer.start()
        else:
            self._timer.stop()

    def redraw(self) -> None:
        trends = self.live.trends
        if trends.version != self._version:
            self._version = trends.version
            x, y = trends.series()
            offset = _utc_offset_s(trends.tz, None)
            self.waiting_axis.utcOffset = offset
            self.waiting_curve.setData(x, y)
        kpi = self.live.kpi
        if kpi is not None and kpi is not self._kpi_seen:
            self._kpi_seen = kpi
            points = getattr(kpi, "intervals", [])
            if points:
                tz = points[0].start.tzinfo
                self.sl_axis.utcOffset = _utc_offset_s(tz, points[0].start)
                step = kpi.minutes * 60.0
                xs = np.array([p.start.timestamp() + step / 2 for p in points])
                sl = np.array([np.nan if p.service_level is None else p.service_level * 100 for p in points])
                offered = np.array([p.offered for p in points], dtype=float)
                peak = max(1.0, float(offered.max()))
                # volume is scaled into the 0-100 axis (its peak at 100) so one plot holds both
                self.volume_bars.setOpts(x=xs, height=offered / peak * 100.0, width=step * 0.8)
                self.sl_curve.setData(xs, sl)
                self.sl_plot.setLabel("right", self.tr("Volume (peak %1)").replace("%1", str(int(peak))))

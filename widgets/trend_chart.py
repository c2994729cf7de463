"""TrendChart: lines and interval bars over time (pyqtgraph), in the center's timezone.

Points go into numpy ring buffers at any rate; the plot redraws from them on a timer at
1-2 Hz (clip-to-view, peak downsampling, width-1 pens), and the timer stops while the
chart is hidden or inactive, so a busy feed never melts the wall display.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHideEvent, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from widgets.metrics import TABLE_PX, scaled_px
from widgets.palette import theme_colors
from widgets.ring_buffer import RingBuffer

#: Colours given to series in order when the caller names none (colour-blind safe).
SERIES_COLORS: tuple[str, ...] = ("#4FB3FF", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#D55E00")


#: Opacity of a faint line (last week's curve behind today's).
FAINT_ALPHA = 0.45

#: Tick spacings of the time axis, seconds: 1 s … 1 week.
TIME_STEPS: tuple[int, ...] = (
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
    3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
)


class CenterTimeAxis(pg.AxisItem):
    """Bottom axis of epoch seconds, ticked and labelled in a fixed UTC offset.

    pyqtgraph's DateAxisItem places hourly ticks by the *machine's* timezone whatever
    its utcOffset says; a wall PC set to UTC would then tick a +05:30 center at half
    past. This axis puts ticks on whole local steps of the center's offset, and labels
    them hh:mm:ss, hh:mm, or mm-dd (also at local midnight), independent of the machine.
    """

    def __init__(self, utc_offset_s: int) -> None:
        super().__init__(orientation="bottom")
        self.utc_offset_s = int(utc_offset_s)
        self.enableAutoSIPrefix(False)

    def _label_width(self) -> float:
        font = self.style.get("tickFont") or QFont()
        return QFontMetricsF(font).horizontalAdvance("00:00:00") * 1.3 + 10

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:  # noqa: N802
        if not (size > 0 and maxVal > minVal and math.isfinite(minVal) and math.isfinite(maxVal)):
            return []
        min_step = (maxVal - minVal) / size * self._label_width()
        step = next((s for s in TIME_STEPS if s >= min_step), None)
        if step is None:
            step = TIME_STEPS[-1] * math.ceil(min_step / TIME_STEPS[-1])
        off = self.utc_offset_s
        first = math.ceil((minVal + off) / step) * step - off
        count = int((maxVal - first) // step) + 1
        return [(float(step), [first + i * step for i in range(max(0, count))])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        tz = timezone(timedelta(seconds=self.utc_offset_s))
        out = []
        for v in values:
            try:
                local = datetime.fromtimestamp(v, tz)
            except (OverflowError, OSError, ValueError):
                out.append("")
                continue
            if spacing >= 86400 or (spacing >= 3600 and local.hour == 0 and local.minute == 0):
                out.append(local.strftime("%m-%d"))
            elif spacing < 60:
                out.append(local.strftime("%H:%M:%S"))
            else:
                out.append(local.strftime("%H:%M"))
        return out


class _ValueAxis(pg.AxisItem):
    """Left axis whose tick labels come from the caller's formatter (e.g. percent)."""

    def __init__(self, formatter: Callable[[float], str] | None) -> None:
        super().__init__(orientation="left")
        self.formatter = formatter

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        if self.formatter is None:
            return super().tickStrings(values, scale, spacing)
        return [self.formatter(v) for v in values]


@dataclass
class _Series:
    name: str
    kind: str  # "line" | "bars"
    color: str
    buffer: RingBuffer
    item: pg.GraphicsObject
    bar_width_s: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)


class TrendChart(QWidget):
    """Time-series chart: x = UTC epoch seconds shown in the center's timezone.

    ``TrendChart(utc_offset_s=8*3600, capacity=2880, window_s=4*3600, theme="normal",
    scale=1.0, redraw_hz=1.0, y_range=None, y_format=None, interactive=False)``.
    Add series with ``add_line``/``add_bars``, feed them with ``append(t, {name: value})``
    or replace them with ``set_series``; draw a target with ``set_target(0.8, "目标 80%")``.
    ``window_s`` keeps the newest span in view (None: fit everything). ``set_active(False)``
    stops redrawing (hidden pages); data still accumulates.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        utc_offset_s: int = 8 * 3600,
        capacity: int = 2880,
        window_s: float | None = 4 * 3600,
        theme: str = "normal",
        scale: float = 1.0,
        redraw_hz: float = 1.0,
        y_range: tuple[float, float] | None = None,
        y_format: Callable[[float], str] | None = None,
        interactive: bool = False,
    ) -> None:
        """``y_format`` turns a y tick value into its label (e.g. widgets.format.format_percent)."""
        super().__init__(parent)
        if not 0 < redraw_hz <= 10:
            raise ValueError(f"redraw_hz must be in (0, 10], got {redraw_hz!r}")
        if capacity < 2:
            raise ValueError("capacity must be at least 2")
        if window_s is not None and not window_s > 0:
            raise ValueError("window_s must be positive or None")
        self._capacity = int(capacity)
        self._window = window_s
        self._scale = float(scale)
        self._colors = theme_colors(theme)
        self._series: dict[str, _Series] = {}
        self._dirty = False
        self._active = True
        self._redraws = 0
        self._target: pg.InfiniteLine | None = None
        self._target_value: float | None = None
        self._target_label: str | None = None

        self._axis = CenterTimeAxis(0)
        self.set_utc_offset(utc_offset_s)
        self._y_axis = _ValueAxis(y_format)
        self._plot = pg.PlotWidget(parent=self, axisItems={"bottom": self._axis, "left": self._y_axis})
        item = self._plot.getPlotItem()
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.hideButtons()
        item.setMenuEnabled(interactive)
        item.setMouseEnabled(x=interactive, y=interactive)
        if y_range is not None:
            item.setYRange(*y_range, padding=0.02)
            item.enableAutoRange(axis="y", enable=False)
        self._legend = item.addLegend(offset=(10, 10))
        self._legend.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._plot)

        self._timer = QTimer(self)
        self._timer.setInterval(max(100, round(1000 / redraw_hz)))
        self._timer.timeout.connect(self._on_timer_timeout)
        self._apply_theme()

    # -- series ----------------------------------------------------------------------

    def add_line(self, name: str, *, label: str | None = None, color: str | None = None,
                 faint: bool = False) -> None:
        """A line series ``name`` (legend text ``label``, default none); gaps where values are NaN.

        ``faint``: drawn dashed and translucent behind the other series (e.g. last week's
        curve behind today's), in ``color`` or that of the series added before it."""
        if faint and color is None and self._series:
            col = list(self._series.values())[-1].color  # the hue of the series it lies behind
        else:
            col = self._new_color(color)
        if faint:
            pen_color = QColor(col)
            pen_color.setAlphaF(FAINT_ALPHA)
            pen = pg.mkPen(pen_color, width=2, style=pg.QtCore.Qt.PenStyle.DashLine)
        else:
            pen = pg.mkPen(col, width=1)
        curve = self._plot.getPlotItem().plot([], [], pen=pen, name=label, connect="finite")
        if faint:
            curve.setZValue(-10)
        self._add(_Series(name, "line", col, RingBuffer(self._capacity, 2), curve))

    def add_bars(self, name: str, *, bar_width_s: float, label: str | None = None,
                 color: str | None = None) -> None:
        """A bar series ``name``: one bar per interval starting at its t, ``bar_width_s`` wide."""
        if not bar_width_s > 0:
            raise ValueError("bar_width_s must be positive")
        col = self._new_color(color)
        brush = QColor(col)
        brush.setAlphaF(0.55)
        bars = pg.BarGraphItem(x0=[], height=[], width=bar_width_s, brush=brush, pen=pg.mkPen(col, width=1))
        self._plot.getPlotItem().addItem(bars)
        if label and self._legend is not None:
            self._legend.addItem(bars, label)
        self._add(_Series(name, "bars", col, RingBuffer(self._capacity, 2), bars, bar_width_s=bar_width_s))

    def series_names(self) -> list[str]:
        return list(self._series)

    def series_data(self, name: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Copies of the buffered (times, values) of ``name``, oldest first."""
        rows = self._get(name).buffer.view()
        return rows[:, 0].copy(), rows[:, 1].copy()

    def append(self, t: float, values: Mapping[str, float]) -> None:
        """Add a point at time ``t`` (epoch seconds) to each named series.

        A point at the same time as a series' newest replaces it (the current
        interval's bar grows); an earlier time raises ValueError, as does an unknown name.
        """
        if not math.isfinite(t):
            raise ValueError(f"time must be finite, got {t!r}")
        targets = [(self._get(name), float(v)) for name, v in values.items()]
        for series, v in targets:
            last = series.buffer.last()
            if last is not None and t < last[0]:
                raise ValueError(f"series {series.name!r}: time {t} is before its newest point {last[0]}")
        for series, v in targets:
            last = series.buffer.last()
            if last is not None and t == last[0]:
                series.buffer.replace_last((t, v))
            else:
                series.buffer.append((t, v))
        self._mark_dirty()

    def set_series(self, name: str, xs: npt.ArrayLike, ys: npt.ArrayLike) -> None:
        """Replace all of ``name``'s points (times ascending; the newest ``capacity`` kept)."""
        x = np.asarray(xs, dtype=np.float64).reshape(-1)
        y = np.asarray(ys, dtype=np.float64).reshape(-1)
        if x.shape != y.shape:
            raise ValueError(f"xs and ys differ in length: {x.shape[0]} vs {y.shape[0]}")
        if x.size > 1 and np.any(np.diff(x) < 0):
            raise ValueError("xs must be in ascending time order")
        series = self._get(name)
        series.buffer.clear()
        if x.size:
            series.buffer.extend(np.column_stack((x, y)))
        self._mark_dirty()

    def clear(self, name: str | None = None) -> None:
        """Drop the points of ``name``, or of every series."""
        for series in ([self._get(name)] if name is not None else self._series.values()):
            series.buffer.clear()
        self._mark_dirty()

    # -- decorations and state ---------------------------------------------------------

    def set_target(self, value: float | None, label: str | None = None) -> None:
        """Draw a dashed horizontal target line at ``value`` (e.g. 0.8), or remove it (None)."""
        item = self._plot.getPlotItem()
        if self._target is not None:
            item.removeItem(self._target)
            self._target = None
        self._target_value = value
        self._target_label = label
        if value is None:
            return
        text = None if label is None else label.replace("{", "{{").replace("}", "}}")
        self._target = pg.InfiniteLine(
            pos=value, angle=0, movable=False,
            # Width 2: one line is cheap, and a 1 px dash fades to nothing on a projector.
            pen=pg.mkPen(self._colors["target"], width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
            label=text,
            # At the right end, clear of the legend in the top-left corner, and under the line:
            # a target sits near the top of its range (80 % of 0-100 %), so above it is cut off.
            labelOpts={"position": 0.98, "color": self._colors["target"], "anchors": [(1, 0), (1, 0)],
                       "fill": None},
        )
        item.addItem(self._target, ignoreBounds=True)
        self._style_target_label()

    def restyle(self) -> None:
        """Redraw what keeps its colour from when it was drawn (the target line) in the theme's
        current colours (after ``widgets.palette.set_palette``)."""
        if self._target_value is not None:
            self.set_target(self._target_value, self._target_label)
        self.update()

    def target(self) -> float | None:
        return self._target_value

    def set_utc_offset(self, seconds: int) -> None:
        """Show times at UTC + ``seconds`` (28800 for China, east positive as in RFC 3339)."""
        if not -14 * 3600 <= seconds <= 14 * 3600:
            raise ValueError(f"UTC offset out of range: {seconds!r} s")
        self._utc_offset = int(seconds)
        self._axis.utc_offset_s = int(seconds)
        self._axis.picture = None
        self._axis.update()

    def utc_offset_s(self) -> int:
        return self._utc_offset

    def set_window(self, seconds: float | None) -> None:
        """Keep the newest ``seconds`` in view, or fit all data (None)."""
        if seconds is not None and not seconds > 0:
            raise ValueError("window must be positive or None")
        self._window = seconds
        self._mark_dirty()

    def set_theme(self, theme: str) -> None:
        """"normal" or "wall": background, axes, grid, legend and target colours."""
        self._colors = theme_colors(theme)
        self._apply_theme()

    def set_active(self, active: bool) -> None:
        """Run (True) or stop (False) the redraw timer; a hidden chart never ticks."""
        self._active = bool(active)
        self._sync_timer()

    def is_ticking(self) -> bool:
        """Whether the redraw timer runs."""
        return self._timer.isActive()

    def redraw_count(self) -> int:
        """How many times the plot was redrawn from the buffers (for tests and benchmarks)."""
        return self._redraws

    def redraw_now(self) -> None:
        """Push buffered data to the plot immediately (e.g. before ``grab()``)."""
        self._dirty = True
        self._on_timer_timeout()

    def plot_item(self) -> pg.PlotItem:
        """The underlying pyqtgraph PlotItem, for axis labels and the like."""
        return self._plot.getPlotItem()

    # -- Qt ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._sync_timer()
        if self._dirty and self._active:
            self._on_timer_timeout()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self._timer.stop()

    # -- internals -----------------------------------------------------------------------

    def _add(self, series: _Series) -> None:
        if series.name in self._series:
            self._plot.getPlotItem().removeItem(series.item)
            if self._legend is not None:
                self._legend.removeItem(series.item)
            raise ValueError(f"series {series.name!r} already exists")
        self._series[series.name] = series
        if self._legend is not None:
            # An empty legend would still draw its frame.
            self._legend.setVisible(bool(self._legend.items))

    def _get(self, name: str) -> _Series:
        try:
            return self._series[name]
        except KeyError:
            raise ValueError(f"no series {name!r}; have {list(self._series)}") from None

    def _new_color(self, color: str | None) -> str:
        if color is not None:
            if not QColor(color).isValid():
                raise ValueError(f"not a colour: {color!r}")
            return color
        return SERIES_COLORS[len(self._series) % len(SERIES_COLORS)]

    def _mark_dirty(self) -> None:
        self._dirty = True
        self._sync_timer()

    def _sync_timer(self) -> None:
        if self._active and self.isVisible():
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()

    def _on_timer_timeout(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self._redraws += 1
        latest = -math.inf
        for series in self._series.values():
            # A copy: the ring buffer keeps writing into the memory a view would share.
            rows = np.array(series.buffer.view())
            xs, ys = rows[:, 0], rows[:, 1]
            if xs.size:
                latest = max(latest, float(xs[-1]) + series.bar_width_s)
            if series.kind == "line":
                series.item.setData(x=xs, y=ys)  # type: ignore[attr-defined]
            else:
                ok = np.isfinite(ys)
                series.item.setOpts(x0=xs[ok], height=ys[ok], width=series.bar_width_s)  # type: ignore[attr-defined]
        item = self._plot.getPlotItem()
        if self._window is not None and math.isfinite(latest):
            item.setXRange(latest - self._window, latest, padding=0)
        elif self._window is None:
            item.enableAutoRange(axis="x", enable=True)

    def _apply_theme(self) -> None:
        c = self._colors
        px = scaled_px(TABLE_PX, self._scale)
        self._plot.setBackground(c["surface"])
        item = self._plot.getPlotItem()
        font = QFont(self.font())
        font.setPixelSize(px)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(c["border"], width=1))
            axis.setTextPen(pg.mkPen(c["text_muted"]))
            axis.setTickFont(font)
        # Fixed axis sizes from the font: pyqtgraph would otherwise grow them after the
        # first paint, and the first frame (or a grab) would show no tick labels.
        item.getAxis("left").setWidth(round(px * 3.6))
        item.getAxis("bottom").setHeight(round(px * 1.9))
        item.showGrid(x=True, y=True, alpha=0.25)
        if self._legend is not None:
            self._legend.setLabelTextColor(c["text"])
            self._legend.setLabelTextSize(f"{px}px")
            self._legend.setBrush(pg.mkBrush(QColor(c["surface"])))
            self._legend.setPen(pg.mkPen(c["border"], width=1))
        if self._target_value is not None:
            self.set_target(self._target_value, self._target_label)

    def _style_target_label(self) -> None:
        if self._target is None or self._target.label is None:
            return
        font = QFont(self.font())
        font.setPixelSize(scaled_px(TABLE_PX, self._scale))
        font.setBold(True)
        self._target.label.setFont(font)

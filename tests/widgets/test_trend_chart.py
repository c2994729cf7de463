"""RingBuffer and TrendChart: buffering, throttled redraws, timezone axis, target, timers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from tests.widgets.imaging import pixels, share_near
from widgets.palette import THEMES
from widgets.ring_buffer import RingBuffer
from widgets.trend_chart import TrendChart

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=CHINA).timestamp()


# -- RingBuffer ------------------------------------------------------------------------


def test_ring_buffer_keeps_the_newest_rows_in_order() -> None:
    rb = RingBuffer(4, columns=2)
    assert len(rb) == 0 and rb.view().shape == (0, 2) and rb.last() is None
    for i in range(3):
        rb.append((i, 10 * i))
    assert rb.view().tolist() == [[0, 0], [1, 10], [2, 20]]
    for i in range(3, 10):
        rb.append((i, 10 * i))
    assert len(rb) == 4
    assert rb.column(0).tolist() == [6, 7, 8, 9]
    assert rb.last().tolist() == [9, 90]
    rb.replace_last((9, 99))
    assert rb.view()[-1].tolist() == [9, 99]


def test_ring_buffer_view_is_contiguous_and_read_only() -> None:
    rb = RingBuffer(5)
    for i in range(12):
        rb.append([i])
    v = rb.view()
    assert v.flags.c_contiguous and not v.flags.writeable
    assert v[:, 0].tolist() == [7, 8, 9, 10, 11]
    with pytest.raises(ValueError):
        v[0, 0] = 1


def test_ring_buffer_extend_and_errors() -> None:
    rb = RingBuffer(3, columns=2)
    rb.extend(np.arange(20).reshape(10, 2))
    assert rb.view().tolist() == [[14, 15], [16, 17], [18, 19]]
    rb.extend([[1, 2]])
    assert rb.view().tolist() == [[16, 17], [18, 19], [1, 2]]
    with pytest.raises(ValueError):
        rb.append((1, 2, 3))
    with pytest.raises(ValueError):
        rb.extend(np.zeros((2, 3)))
    rb.clear()
    with pytest.raises(IndexError):
        rb.replace_last((0, 0))
    with pytest.raises(ValueError):
        RingBuffer(0)


def test_ring_buffer_matches_a_list_model_under_random_use() -> None:
    rng = np.random.default_rng(7)
    rb, model = RingBuffer(16), []
    for _ in range(500):
        op = rng.integers(0, 3)
        if op == 0:
            v = float(rng.normal())
            rb.append([v])
            model.append(v)
        elif op == 1:
            vs = rng.normal(size=int(rng.integers(0, 40)))
            rb.extend(vs)
            model.extend(vs.tolist())
        elif model:
            rb.replace_last([1.5])
            model[-1] = 1.5
        assert rb.column(0).tolist() == model[-16:]


# -- TrendChart ------------------------------------------------------------------------


def _chart(qtbot, **kw) -> TrendChart:
    chart = TrendChart(**kw)
    qtbot.addWidget(chart)
    chart.resize(900, 420)
    return chart


def test_series_are_buffered_and_replaced(qtbot) -> None:
    chart = _chart(qtbot, capacity=100)
    chart.add_line("sl", label="SL")
    chart.add_bars("offered", bar_width_s=1800, label="Offered")
    assert chart.series_names() == ["sl", "offered"]
    for i in range(150):
        chart.append(T0 + 60 * i, {"sl": i / 150})
    xs, ys = chart.series_data("sl")
    assert len(xs) == 100 and xs[0] == T0 + 60 * 50 and ys[-1] == pytest.approx(149 / 150)
    chart.set_series("offered", [T0, T0 + 1800], [12, 30])
    chart.append(T0 + 1800, {"offered": 31})  # the current interval's bar grows in place
    assert chart.series_data("offered")[1].tolist() == [12, 31]
    chart.clear("sl")
    assert len(chart.series_data("sl")[0]) == 0


def test_bad_input_is_refused_and_loses_nothing(qtbot) -> None:
    chart = _chart(qtbot)
    chart.add_line("a")
    chart.add_line("b")
    chart.append(T0 + 10, {"a": 1, "b": 2})
    with pytest.raises(ValueError, match="before its newest"):
        chart.append(T0, {"a": 5, "b": 6})
    with pytest.raises(ValueError, match="no series"):
        chart.append(T0 + 20, {"a": 5, "zz": 1})
    # Neither series took half of a refused append.
    assert chart.series_data("a")[1].tolist() == [1] and chart.series_data("b")[1].tolist() == [2]
    with pytest.raises(ValueError, match="already exists"):
        chart.add_line("a")
    with pytest.raises(ValueError, match="ascending"):
        chart.set_series("a", [3, 2, 1], [0, 0, 0])
    with pytest.raises(ValueError, match="differ in length"):
        chart.set_series("a", [1, 2], [0])
    with pytest.raises(ValueError, match="colour"):
        chart.add_line("c", color="not-a-colour")
    with pytest.raises(ValueError):
        TrendChart(redraw_hz=50)
    with pytest.raises(ValueError):
        chart.set_utc_offset(20 * 3600)


def test_redraws_are_throttled_to_the_timer(qtbot) -> None:
    chart = _chart(qtbot, redraw_hz=5)
    chart.add_line("sl")
    chart.show()
    qtbot.waitExposed(chart)
    start = chart.redraw_count()
    for i in range(5000):  # a burst: thousands of points between two ticks
        chart.append(T0 + i, {"sl": (i % 100) / 100})
    assert chart.redraw_count() == start  # nothing drawn per point
    qtbot.waitUntil(lambda: chart.redraw_count() == start + 1, timeout=2000)
    curve = chart.plot_item().listDataItems()[0]
    assert len(curve.xData) == 2880  # the default capacity
    # Nothing new: the next ticks do not redraw.
    qtbot.wait(450)
    assert chart.redraw_count() == start + 1


def test_timer_stops_when_hidden_or_inactive(qtbot) -> None:
    chart = _chart(qtbot)
    chart.add_line("sl")
    chart.append(T0, {"sl": 0.5})
    assert not chart.is_ticking()  # never shown: never ticks
    chart.show()
    qtbot.waitExposed(chart)
    assert chart.is_ticking()
    chart.set_active(False)
    assert not chart.is_ticking()
    chart.append(T0 + 1, {"sl": 0.6})  # data still accumulates while inactive
    assert not chart.is_ticking() and len(chart.series_data("sl")[0]) == 2
    chart.set_active(True)
    assert chart.is_ticking()
    chart.hide()
    assert not chart.is_ticking()


def test_time_axis_shows_the_centers_timezone(qtbot, shots) -> None:
    chart = _chart(qtbot, utc_offset_s=8 * 3600)
    axis = chart.plot_item().getAxis("bottom")
    noon_china = datetime(2026, 11, 20, 12, 0, tzinfo=CHINA).timestamp()
    assert axis.tickStrings([noon_china], 1, 3600) == ["12:00"]
    assert axis.tickStrings([noon_china + 5], 1, 5) == ["12:00:05"]
    assert axis.tickStrings([noon_china + 12 * 3600], 1, 3600) == ["11-21"]  # local midnight
    chart.set_utc_offset(0)
    assert axis.tickStrings([noon_china], 1, 3600) == ["04:00"]
    assert chart.utc_offset_s() == 0
    # Ticks fall on whole local hours of the center, even for a half-hour offset.
    chart.set_utc_offset(5 * 3600 + 1800)
    (spacing, ticks), = axis.tickValues(noon_china, noon_china + 6 * 3600, 1800)
    assert spacing == 3600 and len(ticks) == 6
    assert all((t + 5 * 3600 + 1800) % 3600 == 0 for t in ticks)
    assert axis.tickStrings(ticks[:2], 1, spacing) == ["10:00", "11:00"]
    # Day ticks at the center's midnight; denser zoom picks finer whole steps.
    chart.set_utc_offset(8 * 3600)
    (spacing, ticks), = axis.tickValues(noon_china, noon_china + 10 * 86400, 3000)
    assert spacing == 86400 and len(ticks) == 10
    assert all((t + 8 * 3600) % 86400 == 0 for t in ticks)
    (spacing, ticks), = axis.tickValues(noon_china, noon_china + 600, 900)
    assert spacing in (60, 120) and all((t % spacing) == 0 for t in ticks)
    assert axis.tickValues(5.0, 5.0, 900) == []
    # And the painted axis carries those labels (the bottom strip is not empty).
    chart.add_line("sl")
    chart.set_series("sl", [noon_china - 3 * 3600, noon_china + 3 * 3600], [0.5, 0.5])
    chart.set_window(None)
    chart.show()
    qtbot.waitExposed(chart)
    chart.redraw_now()
    arr = pixels(chart, shots / "trend_chart_axis.png")
    strip = arr[-int(axis.height()):]
    assert share_near(strip, THEMES["normal"]["text_muted"], tol=40) > 0.002


def test_window_follows_the_newest_data(qtbot) -> None:
    chart = _chart(qtbot, window_s=3600)
    chart.add_line("sl")
    for i in range(0, 4 * 3600, 60):
        chart.append(T0 + i, {"sl": 0.8})
    chart.redraw_now()
    lo, hi = chart.plot_item().viewRange()[0]
    assert hi == pytest.approx(T0 + 4 * 3600 - 60, abs=1)
    assert hi - lo == pytest.approx(3600, abs=1)


def test_target_line_and_rendering(qtbot, shots) -> None:
    from widgets.format import format_percent

    chart = _chart(qtbot, theme="wall", y_range=(0.0, 1.0), y_format=lambda v: format_percent(v, decimals=0))
    chart.add_line("sl", label="Service level")
    chart.add_bars("offered", bar_width_s=1800, label="Offered")
    rng = np.random.default_rng(1)
    for i in range(240):
        chart.append(T0 + 60 * i, {"sl": float(np.clip(0.8 + rng.normal(0, 0.08), 0, 1))})
    chart.set_series("offered", T0 + 1800 * np.arange(8), rng.uniform(0.1, 0.6, 8))
    chart.set_target(0.8, "Target 80%")
    assert chart.target() == 0.8
    chart.show()
    qtbot.waitExposed(chart)
    chart.redraw_now()
    arr = pixels(chart, shots / "trend_chart_wall.png")
    wall = THEMES["wall"]
    assert share_near(arr, wall["surface"], tol=8) > 0.3  # the dark wall background
    assert share_near(arr, wall["target"], tol=30) > 0.0005  # the dashed target line
    assert share_near(arr, "#4FB3FF", tol=30) > 0.001  # the line series
    left = chart.plot_item().getAxis("left")
    assert left.tickStrings([0.0, 0.5, 1.0], 1, 0.5) == ["0%", "50%", "100%"]
    chart.set_target(None)
    assert chart.target() is None
    chart.set_theme("normal")
    arr = pixels(chart, shots / "trend_chart_normal.png")
    assert share_near(arr, THEMES["normal"]["surface"], tol=8) > 0.3

"""Painted widgets under wall-display load: what one frame and one chart redraw cost.

Prints the median and worst time (ms) to paint each widget offscreen at 1080p and 4K
sizes, to redraw a trend chart holding a full day of buffers, and the chart's append
rate. Budget: the wall repaints about once a second; a whole 1080p frame of tiles,
table, agent bar and chart should stay well under 100 ms, a chart redraw under 30 ms.
Not a test: figures to watch.

    .venv/bin/python benchmarks/bench_widgets.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtGui import QImage, QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView, QWidget  # noqa: E402

from resources.fonts import apply_app_font  # noqa: E402
from widgets import (  # noqa: E402
    KEY_ROLE,
    STATE_ROLE,
    AgentStateBar,
    FlashController,
    FlashRowDelegate,
    KpiTile,
    SlaStateDelegate,
    TrendChart,
)


def paint_ms(widget: QWidget, repeat: int) -> tuple[float, float]:
    """Median and max milliseconds to render ``widget`` into an image of its size."""
    image = QImage(widget.size(), QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        widget.render(image)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def row(name: str, figures: tuple[float, float]) -> None:
    print(f"  {name:44} median {figures[0]:7.2f} ms   max {figures[1]:7.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    app = QApplication([])
    apply_app_font(app)
    keep: list[QWidget] = []

    print("paint, offscreen raster:")
    for scale in (1.0, 2.0):
        tile = KpiTile("信用卡 服务水平", value="76.4%", sub="等待 12 · 最长 16:40", state="breached",
                       theme="wall", scale=scale, flash_on_breach=False)
        tile.resize(round(460 * scale), round(200 * scale))
        keep.append(tile)
        row(f"KpiTile at scale {scale:g} ({tile.width()}x{tile.height()})", paint_ms(tile, args.repeat))
        bar = AgentStateBar({"available": 5, "on_call": 31, "wrap_up": 7, "break": 4, "offline": 6},
                            theme="wall", scale=scale)
        bar.resize(round(1880 * scale), bar.sizeHint().height())
        keep.append(bar)
        row(f"AgentStateBar at scale {scale:g} ({bar.width()}x{bar.height()})", paint_ms(bar, args.repeat))

    model = QStandardItemModel(0, 4)
    states = ["ok", "warning", "breached"]
    for i in range(30):
        items = [QStandardItem(t) for t in ("信用卡", f"张*{i} 138****5678", "VIP", f"{i}:{i:02d}")]
        for item in items:
            item.setData(f"c-{i}", KEY_ROLE)
        items[3].setData(states[i % 3], STATE_ROLE)
        model.appendRow(items)
    flash = FlashController()
    table = QTableView()
    table.setModel(model)
    table.setItemDelegate(FlashRowDelegate(table, flash=flash, theme="wall"))
    table.setItemDelegateForColumn(3, SlaStateDelegate(table, flash=flash, theme="wall"))
    table.resize(1200, 30 * 44)
    for r in range(30):
        table.setRowHeight(r, 42)
    keep.append(table)
    row("waiting table, 30 rows with SLA chips", paint_ms(table, args.repeat))
    flash.flash("c-4")
    flash.flash("c-7")
    row("  … with two rows flashing", paint_ms(table, args.repeat))

    chart = TrendChart(theme="wall", capacity=2880, window_s=None, y_range=(0.0, 1.0))
    for name in ("sl_a", "sl_b", "sl_c"):
        chart.add_line(name, label=name)
    chart.add_bars("offered", bar_width_s=1800)
    chart.resize(1880, 420)
    keep.append(chart)
    rng = np.random.default_rng(5)
    t0 = 1_795_000_000.0
    n = 200_000
    start = time.perf_counter()
    for i in range(n):
        chart.append(t0 + 30 * i, {"sl_a": 0.8, "sl_b": 0.7, "sl_c": 0.9})
    rate = n / (time.perf_counter() - start)
    chart.set_series("offered", t0 + 1800 * np.arange(48), rng.uniform(0, 1, 48))
    times = []
    for _ in range(args.repeat):
        chart.append(t0 + 30 * n, {"sl_a": float(rng.uniform())})
        n += 1
        s = time.perf_counter()
        chart.redraw_now()
        times.append((time.perf_counter() - s) * 1000)
    print("trend chart, 3 lines x 2,880 points + 48 bars:")
    print(f"  append rate                                  {rate:10,.0f} points/s (3 series each)")
    row("redraw from the ring buffers", (statistics.median(times), max(times)))
    row("paint 1880x420", paint_ms(chart, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

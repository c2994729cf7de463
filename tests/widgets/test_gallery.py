"""Every widget together, in Chinese, on the wall (1920x1080) and the desk themes: to look at.

The PNGs land in artifacts/screenshots/gallery_*.png. The assertions check what a
person would: the translation is applied, the text is drawn in a CJK-capable font,
the wall is dark and high-contrast, and every widget painted something.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtGui import QColor, QFontInfo, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

import resources
from resources.fonts import ui_families
from tests.widgets.imaging import luma, pixels
from widgets import (
    KEY_ROLE,
    STATE_ROLE,
    AgentStateBar,
    ConnectionBadge,
    CountdownLabel,
    FlashController,
    FlashRowDelegate,
    KpiTile,
    PageIndicator,
    SlaStateDelegate,
    StaleBanner,
    TrendChart,
)
from widgets.format import format_percent
from widgets.metrics import scaled_px
from widgets.palette import THEMES

NOW = time.time()
WAITING = [  # key, queue, masked customer, wait text, state
    ("c-1", "信用卡", "张*三 138****5678", "16:40", "breached"),
    ("c-2", "挂失", "李*四 139****1234", "11:02", "warning"),
    ("c-3", "理财", "王*五 137****0000", "3:10", "ok"),
]


def _build(theme: str, scale: float) -> tuple[QWidget, dict[str, QWidget]]:
    page = QWidget()
    page.setObjectName("wall")
    # The wall's stylesheet scales with the screen; the desk's is sized for arm's length.
    page.setStyleSheet(resources.stylesheet(theme, scale if theme == "wall" else 1.0))
    outer = QVBoxLayout(page)
    parts: dict[str, QWidget] = {}

    head = QHBoxLayout()
    title = QLabel("客服中心 实时监控")
    title.setProperty("role", "title")
    head.addWidget(title)
    head.addStretch(1)
    badge = ConnectionBadge("live", age_s=4, theme=theme)
    head.addWidget(badge)
    dots = PageIndicator(count=3, current=0, theme=theme, scale=scale)
    dots.set_progress(0.4)
    head.addWidget(dots)
    outer.addLayout(head)
    parts.update(title=title, badge=badge, dots=dots)

    tiles = QGridLayout()
    specs = [("信用卡 服务水平", "76.4%", "等待 12 · 最长 16:40", "breached"),
             ("挂失 服务水平", "84.9%", "等待 3 · 最长 11:02", "warning"),
             ("理财 服务水平", "93.2%", "等待 1 · 最长 3:10", "ok"),
             ("空闲坐席", "5", "共 60 人在线", "neutral")]
    for i, (name, value, sub, state) in enumerate(specs):
        tile = KpiTile(name, value=value, sub=sub, state=state, theme=theme, scale=scale, flash_on_breach=False)
        tiles.addWidget(tile, 0, i)
        parts[f"tile{i}"] = tile
    stale_tile = KpiTile("昨日 服务水平", value="81.0%", sub="数据暂停", state="ok", theme=theme, scale=scale)
    stale_tile.set_stale(True)
    tiles.addWidget(stale_tile, 1, 0)
    parts["stale_tile"] = stale_tile
    outer.addLayout(tiles)

    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["队列", "客户", "等待"])
    for key, queue, who, wait, state in WAITING:
        row = [QStandardItem(queue), QStandardItem(who), QStandardItem(wait)]
        for item in row:
            item.setData(key, KEY_ROLE)
        row[2].setData(state, STATE_ROLE)
        model.appendRow(row)
    flash = FlashController(page)
    table = QTableView()
    table.setModel(model)
    table.setItemDelegate(FlashRowDelegate(table, flash=flash, theme=theme))
    table.setItemDelegateForColumn(2, SlaStateDelegate(table, flash=flash, theme=theme))
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    for r in range(model.rowCount()):
        table.setRowHeight(r, scaled_px(24 * 1.8, scale))
    parts["table"] = table

    middle = QHBoxLayout()
    middle.addWidget(table, 3)
    due = QVBoxLayout()
    for seconds in (1500, 420, -65):
        c = CountdownLabel(seconds, warn_below=600, theme=theme)
        due.addWidget(c)
        parts[f"due{seconds}"] = c
    due.addStretch(1)
    middle.addLayout(due, 1)
    outer.addLayout(middle, 2)

    agents = AgentStateBar({"available": 5, "ringing": 2, "on_call": 31, "wrap_up": 7, "break": 4,
                            "meeting": 2, "training": 3, "offline": 6}, theme=theme, scale=scale)
    outer.addWidget(agents)
    parts["agents"] = agents

    chart = TrendChart(theme=theme, scale=scale, window_s=4 * 3600, y_range=(0.0, 1.0),
                       y_format=lambda v: format_percent(v, decimals=0))
    chart.add_bars("offered", bar_width_s=1800 * 0.8, label="来电量 (相对)")
    chart.add_line("sl", label="服务水平")
    rng = np.random.default_rng(3)
    start = NOW - 4 * 3600
    for i in range(240):
        chart.append(start + 60 * i, {"sl": float(np.clip(0.82 + rng.normal(0, 0.05), 0, 1))})
    chart.set_series("offered", start + 1800 * np.arange(8), rng.uniform(0.15, 0.55, 8))
    chart.set_target(0.8, "目标 80%")
    outer.addWidget(chart, 2)
    parts["chart"] = chart

    banner = StaleBanner(age_s=72, theme=theme, scale=scale)
    outer.addWidget(banner)
    parts["banner"] = banner
    return page, parts


def _show(qtbot, page: QWidget, w: int, h: int) -> None:
    qtbot.addWidget(page)
    page.resize(w, h)
    page.show()
    qtbot.waitExposed(page)


def test_wall_gallery_in_chinese(qtbot, zh, cjk_font, shots) -> None:
    page, parts = _build("wall", 1.0)
    _show(qtbot, page, 1920, 1080)
    parts["chart"].redraw_now()
    arr = pixels(page, shots / "gallery_wall_zh.png")
    assert arr.shape == (1080, 1920, 3)

    # The widgets' own words come from the Chinese catalogue.
    assert "超时" in parts["tile0"].accessibleName()
    assert "预警" in parts["tile1"].accessibleName()
    assert "正常" in parts["tile2"].accessibleName()
    assert "过期" in parts["stale_tile"].accessibleName()
    assert parts["badge"].text() == "实时 · 4 秒 前更新"
    assert parts["banner"].text() == "数据已过期 — 最后更新于 1:12 前"
    assert parts["due-65"].text().startswith("已逾期")
    assert parts["dots"].toolTip() == "第 1 页，共 3 页"
    assert "通话中 31" in parts["agents"].accessibleName()

    # Chinese text is set in a CJK font, never the Latin fallback that draws boxes.
    info = QFontInfo(parts["title"].font())
    assert info.family() in ui_families()
    assert parts["title"].font().pixelSize() == 36

    # A dark, high-contrast wall: mostly near-black, with bright text on it.
    lum = luma(arr)
    assert float(np.median(lum)) < 40
    assert float((lum > 230).mean()) > 0.01
    # Nothing left blank: every part painted more than its background.
    for name, widget in parts.items():
        patch = pixels(widget)
        assert patch.size and float(patch.std()) > 5, name


def test_desk_gallery_in_chinese(qtbot, zh, cjk_font, shots) -> None:
    page, parts = _build("normal", 0.6)
    _show(qtbot, page, 1600, 1000)
    parts["chart"].redraw_now()
    arr = pixels(page, shots / "gallery_desk_zh.png")
    lum = luma(arr)
    assert float(np.median(lum)) > 200  # a light desk theme
    assert QColor(THEMES["normal"]["background"]).lightness() > 200
    assert "超时" in parts["tile0"].accessibleName()


def test_wall_gallery_at_4k_is_the_1080p_one_doubled(qtbot, zh, cjk_font, shots) -> None:
    page, parts = _build("wall", 2.0)
    _show(qtbot, page, 3840, 2160)
    parts["chart"].redraw_now()
    pixels(page, shots / "gallery_wall_zh_4k.png")
    assert parts["tile0"].pixel_sizes() == {"title": 56, "value": 144, "sub": 48}
    assert parts["title"].font().pixelSize() == 72
    assert parts["table"].font().pixelSize() == 48
    assert parts["banner"].text_pixel_size() == 70


def test_every_widget_string_is_extracted_and_translated(qapp, zh, tmp_path) -> None:
    """lupdate finds every source text of widgets.strings, and the app's catalogue has Chinese for each."""
    import re
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    from widgets import strings

    lupdate = shutil.which("pyside6-lupdate") or str(Path(sys.executable).with_name("pyside6-lupdate"))
    ts = tmp_path / "widgets.ts"
    done = subprocess.run([lupdate, strings.__file__, "-ts", str(ts)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found = set(re.findall(r"<source>(.*?)</source>", ts.read_text(encoding="utf-8")))
    assert found == set(strings.SOURCE_TEXTS)
    untranslated = [s for s in strings.SOURCE_TEXTS if QCoreApplication.translate("Widgets", s) == s]
    assert untranslated == [], f"missing Chinese in resources/i18n for: {untranslated}"

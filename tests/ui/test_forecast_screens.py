"""The live forecast on the desk and the wall, rendered offscreen to PNG in zh and en
(artifacts/screenshots/forecast_*.png, looked at by a person), from the real feed-thread
path (``tests.ui.forecast_scene``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.forecast_scene import forecast_floor
from tests.ui.scenes import Mono, Status
from ui import names
from ui.i18n import fmt_percent
from ui.main_window import MainWindow
from ui.models.waiting import WaitingModel
from ui.wall import WallDisplay

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
MONO = Mono()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_forecast_screenshots(qtbot, language, lang):
    language(lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    live, _, outlook = forecast_floor()
    live.status = Status("live", MONO() - 2)
    window = MainWindow(live, monotonic=MONO)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.forecast_dock.raise_()
    window._on_refresh_timeout()
    live.tick()
    # the desk's list sorted by breach risk, highest first
    window.waiting_view.sortByColumn(WaitingModel.BREACH_RISK, Qt.SortOrder.DescendingOrder)
    assert window.grab().save(str(SHOTS / f"forecast_main_{lang}.png"))
    assert window.forecast.grab().save(str(SHOTS / f"forecast_panel_{lang}.png"))

    wall = WallDisplay(live, beep=False, monotonic=MONO)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    assert wall.grab().save(str(SHOTS / f"forecast_wall_{lang}.png"))
    text = wall.forecast_line.text()
    o = outlook.queues["credit_card"]
    if lang == "zh":  # the sentence
        assert text == f"✕ 信用卡服务 预计 09:30 服务水平 {fmt_percent(o.service_level)} · 需增加 {o.extra_agents} 人"
    else:
        assert text.startswith(f"✕ {names.queue('credit_card', '信用卡服务')} forecast 09:30 service level ")
    assert window.waiting_view.model().headerData(WaitingModel.BREACH_RISK, Qt.Orientation.Horizontal) == (
        "超时风险" if lang == "zh" else "Breach risk")

    live.status = Status("stale", MONO() - 83)
    wall.refresh()
    window._on_refresh_timeout()
    assert wall.grab().save(str(SHOTS / f"forecast_wall_stale_{lang}.png"))
    assert window.grab().save(str(SHOTS / f"forecast_main_stale_{lang}.png"))
    assert "%" not in wall.forecast_line.text() and window.forecast.tree.topLevelItemCount() == 0

"""Screens rendered offscreen to PNG (artifacts/screenshots/, looked at by a person) and
the wall's sizing rules: 72 / 28 / 24 px at 1080p, twice that at 2160p, nothing scrolls.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.scenes import Mono, Status, busy_floor, with_kpi
from ui.main_window import MainWindow
from ui.wall import WallDisplay
from widgets.metrics import HEADLINE_PX, LABEL_PX, TABLE_PX

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
MONO = Mono()  # the screens' monotonic clock: data ages are exact, however long a test runs


def _live_scene():
    live, stream = busy_floor()
    with_kpi(live, live.scene_events)
    live.status = Status("live", MONO() - 2)
    return live, stream


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots(qtbot, language, lang):
    language(lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    live, _ = _live_scene()
    window = MainWindow(live, monotonic=MONO)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window._on_refresh_timeout()
    window.trends.update_series()
    for chart in window.trends.charts():
        chart.redraw_now()
    assert window.grab().save(str(SHOTS / f"main_{lang}.png"))
    title = window.waiting_view.model().headerData(0, window.waiting_view.horizontalHeader().orientation())
    assert title == ("队列" if lang == "zh" else "Queue")

    wall = WallDisplay(live, beep=False, monotonic=MONO)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    assert wall.grab().save(str(SHOTS / f"wall_{lang}.png"))
    live.status = Status("stale", MONO() - 83)
    wall.refresh()
    assert wall.grab().save(str(SHOTS / f"wall_stale_{lang}.png"))
    assert ("1:23" in wall.banner.text()) and (("数据已过期" in wall.banner.text()) == (lang == "zh"))


@pytest.mark.parametrize("height", [1080, 2160])
def test_wall_type_scales_with_the_screen(qtbot, height):
    live, _ = _live_scene()
    wall = WallDisplay(live, beep=False)
    qtbot.addWidget(wall)
    wall.resize(height * 16 // 9, height)
    wall.show()
    qtbot.waitExposed(wall)
    factor = height / 1080
    sizes = wall.total_tile.pixel_sizes()
    assert sizes["value"] >= HEADLINE_PX * factor
    assert sizes["title"] >= LABEL_PX * factor
    assert wall.urgent.font().pixelSize() >= TABLE_PX * factor
    assert wall.escalations.font().pixelSize() >= TABLE_PX * factor
    # as many rows as fit whole: no half row, nothing to scroll to
    for view in (wall.urgent, wall.escalations):
        fit = view.viewport().height() // view.verticalHeader().defaultSectionSize()
        assert view.model().limit == fit
        assert view.model().rowCount() * view.verticalHeader().defaultSectionSize() <= view.viewport().height()
    # no interactive chrome: nothing scrolls, nothing takes focus
    from PySide6.QtCore import Qt

    for view in (wall.urgent, wall.escalations):
        assert view.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        assert view.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_wall_masks_customers_and_flashes_a_crossing_once(qtbot, monkeypatch):
    from datetime import timedelta

    live, stream = _live_scene()
    wall = WallDisplay(live, beep=True, monotonic=MONO)  # live: a crossing flashes and beeps
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    beeps: list[int] = []
    monkeypatch.setattr("ui.wall.QApplication.beep", lambda: beeps.append(1))
    model = wall.urgent_model
    from ui.models.base import ID_ROLE

    assert 0 < model.rowCount() <= model.limit
    for r in range(model.rowCount()):
        customer = model.index(r, 1).data()
        assert "*" in customer  # every customer shown is masked
        vip = live.floor.waiting[model.index(r, 0).data(ID_ROLE)].customer.segment == "vip"
        assert customer.startswith("★ ") == vip
    # a contact 10 s short of its SLA crosses on the next tick: one flash, one beep
    from tests.ui.events import contact

    live.apply([stream.queued(contact("cross-1", "credit_card", stream.now - timedelta(seconds=895)))])
    live.tick()
    assert not wall.flash.is_flashing("cross-1")
    stream.advance(10)
    live.tick()
    assert wall.flash.is_flashing("cross-1") and beeps == [1]
    stream.advance(1)
    live.tick()
    assert beeps == [1]  # once; it stays marked breached
    assert live.waiting.state_of("cross-1") == "breached"
    flashing = wall.flash.active_keys()
    assert "cross-1" in flashing


def test_self_test_command_renders_without_a_server(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "supervisor", "--self-test", "--lang", "zh"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    for name in ("command-center-self-test.png", "command-center-self-test-wall.png"):
        png = tmp_path / name
        assert png.is_file() and png.stat().st_size > 10_000


def test_wall_rotates_queue_pages_and_hidden_views_stop_their_timers(qtbot):
    from ui.main_window import MainWindow

    live, _ = _live_scene()
    wall = WallDisplay(live, beep=False)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    assert wall.page_count() == 3  # 7 queues, 3 beside the total
    titles = [t.title() for t in wall.queue_tiles]
    wall._on_rotate_timeout()
    assert wall.page == 1 and wall.dots.current() == 1
    assert [t.title() for t in wall.queue_tiles] != titles
    assert wall.total_tile.title() in ("All queues", "全部队列")  # the total never rotates away
    assert wall._refresh.isActive() and wall._rotate.isActive()
    wall.hide()
    assert not wall._refresh.isActive() and not wall._rotate.isActive()

    window = MainWindow(live)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window._refresh.isActive()
    window.hide()
    assert not window._refresh.isActive()
    assert not any(c.is_ticking() for c in window.trends.charts())

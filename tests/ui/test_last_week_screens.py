"""Last week on the screens: real offscreen desk and wall over today's scene with the week
ago read from a real SQLite journal; the tiles' texts and arrows, the charts' faint
curves, nothing when the journal does not reach back; PNGs to artifacts/screenshots/."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from tests.ui.last_week_scene import WEEK, journal, oracle, week_day, week_events, week_traffic
from tests.ui.scenes import Mono, Status, busy_floor, with_kpi
from tests.ui.test_screens import SHOTS
from ui.last_week import LastWeek
from ui.main_window import MainWindow
from ui.wall import WallDisplay

MONO = Mono()


def _scene(tmp_path, covered: bool = True):
    from supervisor.store import Store

    live, _ = busy_floor()
    with_kpi(live, live.scene_events)
    live.status = Status("live", MONO() - 2)
    now = live.kpi.server_now
    day = week_day(now)
    truth = week_traffic(day)
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    journal(url, week_events(day, truth, began=timedelta(hours=1) if covered else -timedelta(hours=7)))
    with Store(url) as store:
        week = LastWeek(store).compute(now, formula=live.kpi.formula)
    assert (week is not None) == covered
    live.kpi = replace(live.kpi, last_week=week)
    return live, truth, day, now - WEEK


def _desk(qtbot, live):
    window = MainWindow(live, monotonic=MONO)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window._on_refresh_timeout()
    window.trends.update_series()
    for chart in window.trends.charts():
        chart.redraw_now()
    return window


def _wall(qtbot, live, height=1080):
    wall = WallDisplay(live, beep=False, monotonic=MONO)
    qtbot.addWidget(wall)
    wall.resize(height * 16 // 9, height)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    return wall


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tiles_and_charts_beside_last_week(qtbot, language, lang, tmp_path) -> None:
    language(lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    live, truth, day, at = _scene(tmp_path)
    expected = oracle(truth, day, at)
    today = live.kpi.report.total
    window = _desk(qtbot, live)
    from supervisor.floorstats import TOTAL

    text = window.tiles.tile(TOTAL).details.text()
    sl = f"{expected.service_level * 100:.1f}%"
    up = "↑" if today.service_level > expected.service_level else "↓" if today.service_level < expected.service_level \
        else "→"
    more = "↑" if today.offered > expected.offered else "↓" if today.offered < expected.offered else "→"
    last = "上周" if lang == "zh" else "last wk"
    assert f"{up} {last} {sl}" in text
    assert f"{more} {last} {expected.offered}" in text
    m, s = divmod(int(expected.asa), 60)
    assert f"{last} {m}:{s:02d}" in text
    # the charts: last week's intervals faintly behind today's, at today's times
    xs, ys = window.trends.sl_chart.series_data("sl_week")
    assert xs.size > 0 and np.all(xs >= window.trends.sl_chart.series_data("sl")[0][0] - 1)
    first = day + timedelta(hours=8, minutes=30)  # today's first interval (contacts waiting since 08:4x)
    assert window.trends.sl_chart.series_data("sl")[0][0] == (first + WEEK).timestamp() + 15 * 60
    exp = oracle(truth, day, at, start=first, end=first + timedelta(minutes=30))
    assert xs[0] == (first + WEEK).timestamp() + 15 * 60
    assert ys[0] == pytest.approx(exp.service_level)
    _, vol = window.trends.volume_chart.series_data("offered_week")
    assert vol[0] == exp.offered
    assert ("上周同期" if lang == "zh" else "same time last week") in window.trends.sl_title.text()
    assert window.grab().save(str(SHOTS / f"last_week_desk_{lang}.png"))

    wall = _wall(qtbot, live)
    note = wall.total_tile.note()
    assert note and note[1].startswith(("服务水平 " if lang == "zh" else "SL ") + sl)
    assert note[2].endswith(f"{expected.offered} {more}") and note[3].endswith(f"{m}:{s:02d} {'↑' if today.asa_seconds > expected.asa else '↓'}")
    assert note[1] in wall.total_tile.accessibleDescription()
    assert wall.grab().save(str(SHOTS / f"last_week_wall_{lang}.png"))
    if lang == "zh":
        wall4k = _wall(qtbot, live, 2160)
        assert wall4k.grab().save(str(SHOTS / "last_week_wall_zh_4k.png"))


def test_blank_not_zero_when_the_journal_does_not_reach_back(qtbot, language, tmp_path) -> None:
    language("zh")
    live, *_ = _scene(tmp_path, covered=False)
    window = _desk(qtbot, live)
    from supervisor.floorstats import TOTAL

    text = window.tiles.tile(TOTAL).details.text()
    assert "上周" not in text and "今日进线" in text
    assert window.trends.sl_chart.series_data("sl_week")[0].size == 0
    assert "上周同期" not in window.trends.sl_title.text()
    wall = _wall(qtbot, live)
    assert wall.total_tile.note() == ()

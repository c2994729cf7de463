"""A wall that runs unattended (issue 12 point 5): it turns to the page holding a new
alarm, moves its content a few pixels every few minutes against burn-in (on the project's
clock), follows a change of the screen's resolution, and looks the same at 1080p and 4K
(screenshots in artifacts/screenshots/ to look at).

Real wall widget offscreen on the screens' scene; time is the scene's server clock and a
stepped monotonic clock for the feed's age.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from tests.ui.events import contact
from tests.ui.scenes import Mono, Status, busy_floor, with_kpi
from ui.wall import SHIFT_CYCLE, SHIFT_EVERY_S, TILES_PER_PAGE, WallDisplay
from widgets.metrics import HEADLINE_PX, TABLE_PX

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _wall(qtbot, width=1920, height=1080):
    mono = Mono()
    live, stream = busy_floor()
    with_kpi(live, live.scene_events)
    live.status = Status("live", mono() - 1)
    wall = WallDisplay(live, beep=False, monotonic=mono)
    qtbot.addWidget(wall)
    wall.resize(width, height)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    return wall, live, stream, mono


def test_a_new_alarm_turns_the_wall_to_its_queues_page(qtbot):
    wall, live, stream, mono = _wall(qtbot)
    assert wall.page == 0 and wall.page_count() == 3
    vip_page = wall._page_queues.index("vip") // TILES_PER_PAGE
    assert vip_page == 2
    live.apply([stream.queued(contact("vip-1", "vip", stream.now - timedelta(seconds=895)))])
    live.tick()
    stream.advance(10)
    live.status = Status("live", mono() - 1)
    live.tick()
    assert live.waiting.state_of("vip-1") == "breached"
    assert wall.page == 2 and wall.dots.current() == 2
    assert {"贵宾服务", "VIP service"} & {t.title() for t in wall.queue_tiles if t.isVisible()}
    # on stale data nothing turns the page
    wall._on_rotate_timeout()
    assert wall.page == 0
    mono.advance(60)
    live.apply([stream.queued(contact("vip-2", "vip", stream.now - timedelta(seconds=895)))])
    live.tick()
    stream.advance(10)
    live.tick()
    assert live.waiting.state_of("vip-2") == "breached" and wall.page == 0


def test_the_content_moves_a_few_pixels_every_few_minutes_and_keeps_its_size(qtbot):
    wall, live, stream, _mono = _wall(qtbot)
    seen = []
    for _ in range(len(SHIFT_CYCLE)):
        wall.refresh()
        wall.layout().activate()
        seen.append((wall.shift, wall.content.geometry()))
        stream.advance(SHIFT_EVERY_S)
    shifts = [s for s, _ in seen]
    assert len(set(shifts)) == len(SHIFT_CYCLE)  # every position of the cycle, once
    assert all(0 <= dx <= 4 and 0 <= dy <= 4 for dx, dy in shifts)  # a few pixels at 1080p
    sizes = {g.size().toTuple() for _, g in seen}
    assert len(sizes) == 1  # the content moves; its size (and so the rows that fit) stays
    banner_h = 0 if wall.banner.isHidden() else wall.banner.height()
    for (dx, dy), geometry in seen:
        assert (geometry.x(), geometry.y() - banner_h) == (dx, dy)
    # within one period it stays put (no creeping each second)
    wall.refresh()
    before = wall.shift
    stream.advance(SHIFT_EVERY_S / 3)
    wall.refresh()
    assert wall.shift == before or stream.now.timestamp() % SHIFT_EVERY_S < SHIFT_EVERY_S / 3


def test_the_wall_follows_a_change_of_resolution(qtbot):
    wall, live, stream, _mono = _wall(qtbot)
    rows_1080 = wall.urgent_model.limit
    wall.on_screen_geometry(QRect(0, 0, 3840, 2160))
    qtbot.wait(50)  # the layout settles in the event loop, as on a real screen
    assert wall.size().toTuple() == (3840, 2160)
    assert wall.scale == pytest.approx(2.0)
    assert wall.total_tile.pixel_sizes()["value"] >= 2 * HEADLINE_PX
    assert wall.urgent.font().pixelSize() >= 2 * TABLE_PX
    # as many rows as a wall started at 4K shows: nothing left of the old resolution
    fresh, *_ = _wall(qtbot, 3840, 2160)
    qtbot.wait(50)
    assert (wall.urgent_model.limit, wall.esc_model.limit) == (fresh.urgent_model.limit, fresh.esc_model.limit)
    assert rows_1080 <= wall.urgent_model.limit <= rows_1080 + 3
    for view in (wall.urgent, wall.escalations):
        assert view.model().rowCount() * view.verticalHeader().defaultSectionSize() <= view.viewport().height()
    wall.refresh()
    assert max(wall.shift) <= 8  # the burn-in step scales with the screen
    wall.on_screen_geometry(QRect(0, 0, 1920, 1080))
    qtbot.wait(50)
    assert wall.scale == pytest.approx(1.0) and wall.urgent_model.limit == rows_1080


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)])
def test_wall_screenshots_at_1080p_and_4k(qtbot, language, lang, size):
    language(lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    wall, live, stream, _mono = _wall(qtbot, *size)
    image = wall.grab().toImage()
    assert (image.width(), image.height()) == size
    assert image.save(str(SHOTS / f"wall_{size[1]}p_{lang}.png"))
    # the same layout at both sizes: each part takes the same share of the screen
    frac = wall.total_tile.height() / size[1], wall.urgent.width() / size[0]
    assert 0.15 < frac[0] < 0.3 and 0.4 < frac[1] < 0.6

"""Figures that stay true: stale after 3 x the server's heartbeat or while a relaying server
has lost its source (with the reason, in both languages); nothing flashes or beeps while
stale; a hole in the journal stays on the desk's status bar.

Real widgets offscreen; time is the project's: a stepped monotonic clock for the feed's
age and the scene's server clock (``ServerClock`` over the stream's time) for the waits.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from supervisor.feed.status import FeedCounts, FeedStatus
from tests.ui.events import contact
from tests.ui.scenes import Mono, busy_floor, with_kpi
from ui.main_window import MainWindow
from ui.status import StatusReader, describe, stale_after_s
from ui.wall import WallDisplay

REASON = "the PBX link is down"


def _live(mono: Mono, *, heartbeat_s: float = 2.0):
    live, stream = busy_floor()
    with_kpi(live, live.scene_events)
    live.status = FeedStatus("live", heartbeat_s=heartbeat_s, last_message_monotonic=mono())
    return live, stream


def _heard(live, mono: Mono, **changes) -> None:
    """A message arrived now (a heartbeat), with the status changes it brought."""
    live.status = replace(live.status, last_message_monotonic=mono(), **changes)


def _about_to_cross(live, stream, call_id: str) -> None:
    """A contact 5 s short of its 15-minute SLA; the next 10 s tick makes it cross."""
    live.apply([stream.queued(contact(call_id, "credit_card", stream.now - timedelta(seconds=895)))])
    live.tick()
    assert live.waiting.state_of(call_id) != "breached"


# ---------------------------------------------------------------------------- describe


def test_stale_after_three_heartbeats_of_the_server_not_a_fixed_time():
    now = 1000.0
    fast = FeedStatus("live", heartbeat_s=2.0, last_message_monotonic=now - 5.9)
    assert stale_after_s(fast) == 6.0
    assert describe(fast, now).data_live
    assert describe(replace(fast, last_message_monotonic=now - 6.0), now).kind == "stale"
    slow = FeedStatus("live", heartbeat_s=10.0, last_message_monotonic=now - 20.0)
    assert describe(slow, now).data_live  # 20 s of a 10 s heartbeat is not yet stale
    assert not describe(replace(slow, last_message_monotonic=now - 30.0), now).data_live
    reconnecting = FeedStatus("reconnecting", heartbeat_s=1.0, last_message_monotonic=now - 3.5)
    assert describe(reconnecting, now).kind == "stale"


def test_a_lost_source_is_stale_with_its_reason_although_heartbeats_arrive(qapp, language):
    now = 1000.0
    status = FeedStatus("live", heartbeat_s=5.0, last_message_monotonic=now - 1.0, source_ok=False,
                        message=REASON)
    shown = describe(status, now)
    assert shown.kind == "stale" and not shown.data_live
    assert shown.reason == REASON and shown.text == f"Stale · {REASON}"
    reader = StatusReader(Mono(now))
    assert reader.read(status).text == f"Stale · {REASON} · for 0:00"
    reader.monotonic.advance(42)
    assert reader.read(status).text == f"Stale · {REASON} · for 0:42"
    assert reader.read(status).age_s == 42
    # a source back: live again, and the next loss counts from zero
    assert reader.read(replace(status, source_ok=True, last_message_monotonic=reader.monotonic())).data_live
    assert reader.read(status).text.endswith("for 0:00")
    # without a message, or with the feed client's own sentence, the general reason
    assert describe(replace(status, message=""), now).reason == "the server has lost its data source"
    client_says = "the server has lost its source system; the data is stale"
    assert describe(replace(status, message=client_says), now).text == "Stale · the server has lost its data source"
    # in Chinese never the English message
    language("zh")
    shown = describe(status, now)
    assert shown.reason == "服务器已失去数据源" and shown.text == "数据过期 · 服务器已失去数据源"
    assert shown.detail == REASON  # the client's own words stay in the tooltip


# ---------------------------------------------------------------------------- wall


@pytest.fixture
def wall_scene(qtbot, monkeypatch):
    mono = Mono()
    live, stream = _live(mono)
    wall = WallDisplay(live, beep=True, monotonic=mono)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    beeps: list[int] = []
    monkeypatch.setattr("ui.wall.QApplication.beep", lambda: beeps.append(1))
    return wall, live, stream, mono, beeps


def test_wall_goes_stale_after_three_heartbeats_of_silence(wall_scene):
    wall, live, _stream, mono, _beeps = wall_scene
    wall.refresh()
    assert not wall.stale and wall.banner.isHidden()
    mono.advance(5.5)  # under 3 x 2 s
    wall.refresh()
    assert not wall.stale
    mono.advance(1.0)
    wall.refresh()
    assert wall.stale and wall.banner.isVisible()
    assert wall.banner.text() == "DATA STALE — last update 6 s ago"
    assert wall.total_tile.is_stale() and wall.connection.state() == "stale"
    _heard(live, mono)
    wall.refresh()
    assert not wall.stale and wall.banner.isHidden() and not wall.total_tile.is_stale()


def test_wall_shows_a_lost_source_with_the_reason(wall_scene, language):
    wall, live, _stream, mono, _beeps = wall_scene
    _heard(live, mono, source_ok=False, message=REASON)
    wall.refresh()
    assert wall.stale and wall.banner.isVisible()
    mono.advance(75)
    _heard(live, mono)  # heartbeats keep coming: still stale, for as long as the source is lost
    wall.refresh()
    assert wall.banner.text() == f"DATA STALE — {REASON} · for 1:15"
    assert wall.connection.state() == "stale"
    language("zh")
    wall.refresh()
    assert wall.banner.text() == "数据已过期 — 服务器已失去数据源 · 已持续 1:15"
    _heard(live, mono, source_ok=True, message="")
    wall.refresh()
    assert not wall.stale and wall.banner.isHidden()


def test_wall_neither_flashes_nor_beeps_while_stale(wall_scene):
    wall, live, stream, mono, beeps = wall_scene
    _about_to_cross(live, stream, "cross-stale")
    mono.advance(7)  # silence beyond 3 x 2 s
    stream.advance(10)
    live.tick()
    assert live.waiting.state_of("cross-stale") == "breached"  # still marked breached
    assert not wall.flash.is_flashing("cross-stale") and beeps == []
    assert wall.stale and wall.banner.isVisible()
    # the same with heartbeats arriving but the source lost
    _heard(live, mono, source_ok=False, message=REASON)
    _about_to_cross(live, stream, "cross-lost")
    stream.advance(10)
    live.tick()
    assert not wall.flash.is_flashing("cross-lost") and beeps == []
    # nothing crossed while stale flashes when the feed is live again, and nothing kept flashing
    _heard(live, mono, source_ok=True, message="")
    wall.refresh()
    stream.advance(1)
    live.tick()
    assert wall.flash.active_keys() == frozenset() and beeps == []
    # live: a crossing flashes once and beeps once
    _about_to_cross(live, stream, "cross-live")
    stream.advance(10)
    live.tick()
    assert wall.flash.is_flashing("cross-live") and beeps == [1]


def test_a_flash_running_when_the_data_turns_stale_stops(wall_scene):
    wall, live, stream, mono, beeps = wall_scene
    _about_to_cross(live, stream, "cross-1")
    stream.advance(10)
    live.tick()
    assert wall.flash.is_flashing("cross-1") and beeps == [1]
    _heard(live, mono, source_ok=False, message=REASON)
    wall.refresh()
    assert not wall.flash.is_flashing("cross-1") and not wall.flash.is_ticking()


def test_wall_tiles_do_not_flash_a_breach_while_stale(wall_scene):
    wall, live, stream, mono, _beeps = wall_scene
    wall.refresh()
    tile = wall.queue_tiles[0]
    assert tile.title().startswith("Credit cards") and tile.state() != "breached"
    mono.advance(7)
    wall.refresh()
    assert wall.stale
    # a long wait appears in the stale data: the tile keeps its state and does not flash
    live.apply([stream.queued(contact("late-1", "credit_card", stream.now - timedelta(seconds=1000)))])
    live.tick()
    wall.refresh()
    assert tile.state() != "breached" and not tile.is_flashing() and tile.is_stale()
    # live again: now it turns breached (and draws the eye once, on live data)
    _heard(live, mono)
    wall.refresh()
    assert tile.state() == "breached" and tile.is_flashing() and not tile.is_stale()


# ---------------------------------------------------------------------------- desk


@pytest.fixture
def desk_scene(qtbot):
    mono = Mono()
    live, stream = _live(mono)
    window = MainWindow(live, monotonic=mono)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window._on_refresh_timeout()
    return window, live, stream, mono


def test_desk_status_bar_and_banner_say_stale_with_the_reason(qtbot, desk_scene, language):
    window, live, _stream, mono = desk_scene
    assert window.badge.state() == "live" and window.banner.isHidden()
    lost = replace(live.status, source_ok=False, message=REASON, last_message_monotonic=mono())
    with qtbot.waitSignal(live.status_changed):
        live.inbox.post_status(lost)
    assert window.badge.state() == "stale"
    assert window.connection.isVisible() and window.connection.text() == f"Stale · {REASON} · for 0:00"
    assert window.banner.isVisible() and window.banner.text() == f"DATA STALE — {REASON} · for 0 s"
    tile = window.tiles.tile("credit_card")
    assert tile is not None and tile.state.text() == "◌ Stale"
    views = (window.waiting_view, window.agents_view, window.escalations_view, window.breaches_view)
    assert all(view.graphicsEffect().isEnabled() for view in views)  # every live table dimmed
    mono.advance(30)
    language("zh")
    window._on_refresh_timeout()
    assert window.connection.text() == "数据过期 · 服务器已失去数据源 · 已持续 0:30"
    assert window.banner.text() == "数据已过期 — 服务器已失去数据源 · 已持续 30 秒"
    assert tile.state.text() == "◌ 过期"
    # heartbeat silence: the badge and the banner say so, with the age
    _heard(live, mono, source_ok=True, message="")
    window._on_refresh_timeout()
    assert window.banner.isHidden() and window.badge.state() == "live"
    assert not any(view.graphicsEffect().isEnabled() for view in views)
    mono.advance(6)
    window._on_refresh_timeout()
    assert window.badge.state() == "stale" and window.banner.isVisible()
    assert window.banner.text() == "数据已过期 — 最后更新于 6 秒 前"


def test_desk_does_not_flash_while_stale(desk_scene):
    window, live, stream, mono = desk_scene
    _about_to_cross(live, stream, "cross-stale")
    mono.advance(7)
    stream.advance(10)
    live.tick()
    assert live.waiting.state_of("cross-stale") == "breached"
    assert not window.flash.is_flashing("cross-stale")
    assert window.banner.isVisible()
    _heard(live, mono)
    _about_to_cross(live, stream, "cross-live")
    stream.advance(10)
    live.tick()
    assert window.flash.is_flashing("cross-live")


def test_desk_keeps_a_journal_hole_on_its_status_bar(qtbot, desk_scene, language):
    window, live, _stream, mono = desk_scene
    assert window.journal_label.isHidden()
    hole = replace(live.status, counts=FeedCounts(gaps=2, gaps_accepted=1, missing=37),
                   last_message_monotonic=mono())
    with qtbot.waitSignal(live.status_changed):
        live.inbox.post_status(hole)
    assert window.journal_label.isVisible() and window.journal_label.text() == "⚠ Journal missing 37 events"
    assert "incomplete" in window.journal_label.toolTip()
    # it stays: later statuses, a reconnect, the 1 Hz refresh, a transient status-bar message
    window.statusBar().showMessage("No case for this row yet.", 5000)
    with qtbot.waitSignal(live.status_changed):
        live.inbox.post_status(replace(hole, state="reconnecting", retry_in_s=2.0))
    mono.advance(1)
    window._on_refresh_timeout()
    assert window.journal_label.isVisible()
    language("zh")
    window._on_refresh_timeout()
    assert window.journal_label.text() == "⚠ 日志缺失 37 条事件"
    with qtbot.waitSignal(live.status_changed):
        live.inbox.post_status(replace(hole, counts=FeedCounts(missing=1)))
    window._on_refresh_timeout()
    assert window.journal_label.text() == "⚠ 日志缺失 1 条事件"


# ---------------------------------------------------------------------------- end to end


def test_desk_and_wall_against_a_server_that_loses_its_source_then_goes_silent(qtbot, tmp_path):
    """The real feed client against a PROTOCOL.md server written from the spec alone
    (tests/spec/server.py): source_ok false is stale with the reason while heartbeats
    still arrive; silence is stale after 3 x the hello's heartbeat_s."""
    from tests.spec.oracle import RETAIL, VIP, agent_record, at
    from tests.spec.server import SpecServer
    from ui.bridge import FeedBridge
    from ui.inbox import Inbox
    from ui.live import LiveFloor

    state = {"queues": [VIP, RETAIL], "agents": [agent_record()], "departments": []}
    with SpecServer(state=state, clock=at("12:00:00"), heartbeat_s=0.3) as server:
        inbox = Inbox()
        live = LiveFloor(inbox)
        window = MainWindow(live)
        qtbot.addWidget(window)
        wall = WallDisplay(live, beep=False)
        qtbot.addWidget(wall)
        bridge = FeedBridge(inbox, server.url, "T", db_url=f"sqlite:///{tmp_path / 'journal.db'}")
        bridge.start()
        try:
            qtbot.waitUntil(lambda: live.status is not None and live.status.state == "live", timeout=15_000)
            assert live.status.stale_after_s == pytest.approx(0.9)
            window._on_refresh_timeout()
            wall.refresh()
            assert window.banner.isHidden() and not wall.stale

            server.set_heartbeats(source_ok=False)
            qtbot.waitUntil(lambda: not live.status.source_ok, timeout=10_000)
            window._on_refresh_timeout()
            wall.refresh()
            assert window.badge.state() == "stale" and not window.banner.isHidden()
            assert window.connection.text().startswith("Stale · the server has lost its data source")
            assert wall.stale and wall.banner.text().startswith("DATA STALE — the server has lost its data source")

            server.set_heartbeats(source_ok=True)
            qtbot.waitUntil(lambda: live.status.source_ok, timeout=10_000)
            window._on_refresh_timeout()
            wall.refresh()
            assert window.badge.state() == "live" and window.banner.isHidden() and not wall.stale

            server.set_heartbeats(beating=False)  # silence: stale after 3 x 0.3 s, not 15 s
            qtbot.waitUntil(lambda: (window._on_refresh_timeout(), window.badge.state())[1] == "stale",
                            timeout=5_000)
            wall.refresh()
            assert wall.stale and "DATA STALE" in wall.banner.text()
        finally:
            bridge.stop()

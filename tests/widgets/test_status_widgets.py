"""AgentStateBar, ConnectionBadge, StaleBanner/StaleOverlay, PageIndicator, CountdownLabel."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tests.widgets.imaging import changed_share, luma, pixels, share_near
from widgets.agent_state_bar import AgentStateBar
from widgets.connection_badge import ConnectionBadge
from widgets.countdown import CountdownLabel
from widgets.page_indicator import PageIndicator
from widgets.palette import AGENT_STATE_COLORS, CONNECTION_STATES, THEMES
from widgets.stale_overlay import StaleBanner, StaleOverlay

WALL = THEMES["wall"]


def on_wall(widget: QWidget) -> QWidget:
    """``widget`` inside a container painted with the wall background, as on the wall."""
    from PySide6.QtGui import QColor, QPalette

    box = QWidget()
    pal = box.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor(WALL["background"]))
    box.setPalette(pal)
    box.setAutoFillBackground(True)
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(widget)
    return box


# -- AgentStateBar -------------------------------------------------------------------


def test_agent_bar_segments_are_proportional_and_coloured(qtbot, shots) -> None:
    bar = AgentStateBar({"available": 10, "on_call": 30, "break": 5, "offline": 5}, theme="wall")
    qtbot.addWidget(bar)
    bar.resize(1000, bar.sizeHint().height())
    assert bar.total() == 50
    assert bar.counts()["ringing"] == 0
    rects = bar.segment_rects()
    assert list(rects) == ["available", "on_call", "break", "offline"]  # fixed state order
    assert rects["available"].width() == pytest.approx(200, abs=1)
    assert rects["on_call"].width() == pytest.approx(600, abs=1)
    assert rects["on_call"].left() == pytest.approx(rects["available"].right(), abs=0.5)
    arr = pixels(bar, shots / "agent_state_bar.png")
    bar_rows = arr[: int(rects["on_call"].height())]
    assert share_near(bar_rows, AGENT_STATE_COLORS["on_call"], tol=10) > 0.5
    assert share_near(bar_rows, AGENT_STATE_COLORS["available"], tol=10) > 0.15
    # The legend (below the bar) has a swatch for every state, counted or not.
    legend = arr[int(rects["on_call"].height()):]
    for colour in AGENT_STATE_COLORS.values():
        assert share_near(legend, colour, tol=10) > 0.0005, colour


def test_agent_bar_refuses_bad_counts_and_keeps_the_old_ones(qtbot) -> None:
    bar = AgentStateBar({"available": 3})
    qtbot.addWidget(bar)
    with pytest.raises(ValueError, match="unknown agent state"):
        bar.set_counts({"lunch": 2})
    with pytest.raises(ValueError, match="whole numbers"):
        bar.set_counts({"available": -1})
    assert bar.counts()["available"] == 3
    bar.set_counts({})
    assert bar.total() == 0 and bar.segment_rects() == {}


def test_agent_bar_stale_dims_and_labels_are_in_the_accessible_text(qtbot) -> None:
    bar = AgentStateBar({"available": 4, "on_call": 8}, theme="wall")
    qtbot.addWidget(bar)
    bar.resize(900, bar.sizeHint().height())
    live = pixels(bar)
    bar.set_stale(True)
    stale = pixels(bar)
    assert float(luma(stale).mean()) < float(luma(live).mean())
    assert "Available 4" in bar.accessibleName() and "On call 8" in bar.accessibleName()


def test_agent_bar_scales_with_the_wall(qtbot) -> None:
    a, b = AgentStateBar(scale=1.0), AgentStateBar(scale=2.0)
    for w in (a, b):
        qtbot.addWidget(w)
    assert b.sizeHint().height() == pytest.approx(2 * a.sizeHint().height(), abs=2)


# -- ConnectionBadge -------------------------------------------------------------------


def test_connection_states_read_and_look_different(qtbot, shots) -> None:
    badge = ConnectionBadge(theme="wall")
    qtbot.addWidget(badge)
    texts, images = {}, {}
    for state in CONNECTION_STATES:
        badge.set_state(state, age_s=42.0)
        badge.resize(360, 40)
        texts[state] = badge.text()
        images[state] = pixels(badge, shots / f"connection_{state}.png")
    assert texts == {
        "live": "Live · updated 42 s ago",
        "reconnecting": "Reconnecting…",
        "stale": "Stale 42 s",
        "unauthorised": "Not authorised",
        "stopped": "Stopped",
    }
    for a in images:
        for b in images:
            if a < b:
                assert changed_share(images[a], images[b]) > 0.02, (a, b)
    assert share_near(images["stale"], WALL["stale_bg"], tol=10) > 0.3
    assert share_near(images["unauthorised"], WALL["breached_bg"], tol=10) > 0.3


def test_connection_age_formats_and_bad_state_is_refused(qtbot) -> None:
    badge = ConnectionBadge("stale", age_s=72)
    qtbot.addWidget(badge)
    assert badge.text() == "Stale 1:12" and badge.accessibleName() == "Stale 1:12"
    badge.set_age(None)
    assert badge.text() == "Stale ?"
    badge.set_state("live")
    assert badge.text() == "Live"
    with pytest.raises(ValueError, match="connection state"):
        badge.set_state("online")
    assert badge.state() == "live"


# -- StaleBanner / StaleOverlay ---------------------------------------------------------


def test_stale_banner_says_the_age_loudly(qtbot, shots) -> None:
    banner = StaleBanner(age_s=72, scale=1.0)
    qtbot.addWidget(banner)
    banner.resize(1600, banner.sizeHint().height())
    assert banner.text() == "DATA STALE — last update 1:12 ago"
    assert banner.text_pixel_size() >= 28
    arr = pixels(banner, shots / "stale_banner.png")
    assert share_near(arr, WALL["stale_bg"], tol=10) > 0.4
    assert share_near(arr, WALL["on_stale"], tol=40) > 0.05
    banner.set_age(None)
    assert banner.text() == "DATA STALE — no update received yet"
    assert StaleBanner(scale=2.0).text_pixel_size() == 2 * banner.text_pixel_size()


def test_stale_overlay_covers_and_follows_its_target(qtbot, shots) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    page.setStyleSheet(f"background: {WALL['surface']}; color: white; font-size: 72px;")
    QVBoxLayout(page).addWidget(QLabel("84.1%"))
    page.resize(1200, 600)
    page.show()  # a hidden window gets no resize events; the wall is always shown
    overlay = StaleOverlay(page, scale=1.0)
    assert overlay.isHidden()
    before = pixels(page)
    overlay.show_age(95)
    assert not overlay.isHidden() and overlay.geometry() == page.rect()
    assert overlay.text() == "DATA STALE — last update 1:35 ago"
    after = pixels(page, shots / "stale_overlay.png")
    assert float(luma(after).mean()) != float(luma(before).mean())
    band = overlay.banner_rect()
    rows = after[int(band.top()) + 2: int(band.bottom()) - 2]
    assert share_near(rows, WALL["stale_bg"], tol=10) > 0.4
    # Outside the band the page is darkened, not hidden: the label is still there, dimmer.
    outside_before = before[: int(band.top())]
    outside_after = after[: int(band.top())]
    assert float(luma(outside_after).max()) < float(luma(outside_before).max())
    page.resize(800, 500)
    assert overlay.geometry() == page.rect()
    overlay.clear()
    assert overlay.isHidden()
    page.resize(1200, 600)
    assert np.array_equal(pixels(page), before)


# -- PageIndicator -------------------------------------------------------------------------


def test_page_indicator_marks_the_current_page(qtbot, shots) -> None:
    dots = PageIndicator(count=4, current=1, theme="wall")
    box = on_wall(dots)
    qtbot.addWidget(box)
    box.resize(dots.sizeHint())
    box.show()  # lays the indicator out in its container
    assert dots.toolTip() == "Page 2 of 4"
    centers = dots.dot_centers()
    assert len(centers) == 4 and centers[0].x() < centers[3].x()
    arr = pixels(box, shots / "page_indicator.png")

    def white_near(i: int) -> float:
        c = centers[i]
        patch = arr[int(c.y()) - 3: int(c.y()) + 4, int(c.x()) - 3: int(c.x()) + 4]
        return share_near(patch, WALL["text"], tol=30)

    assert white_near(1) > 0.9 and white_near(0) < 0.2
    dots.set_current(3)
    arr = pixels(box)
    assert white_near(3) > 0.9 and white_near(1) < 0.2
    dots.set_progress(0.5)
    with_arc = pixels(box)
    assert share_near(with_arc, WALL["accent"], tol=30) > 0.0
    with pytest.raises(ValueError):
        dots.set_current(4)
    with pytest.raises(ValueError):
        dots.set_count(0)
    dots.set_count(2)
    assert dots.current() == 1


# -- CountdownLabel ---------------------------------------------------------------------------


def test_countdown_goes_amber_then_overdue_red(qtbot, shots) -> None:
    label = CountdownLabel(1800, warn_below=600, theme="wall")
    qtbot.addWidget(label)
    label.setStyleSheet("font-size: 28px;")
    label.resize(label.sizeHint())
    assert (label.text(), label.state()) == ("30:00", "ok")
    label.set_seconds_left(300)
    assert (label.text(), label.state()) == ("5:00", "warning")
    assert share_near(pixels(label, shots / "countdown_warning.png"), WALL["warning_bg"], tol=10) > 0.3
    label.set_seconds_left(-65)
    assert (label.text(), label.state()) == ("Overdue -1:05", "breached")
    assert share_near(pixels(label, shots / "countdown_overdue.png"), WALL["breached_bg"], tol=10) > 0.3
    label.set_seconds_left(None)
    assert (label.text(), label.state()) == ("—", "neutral")
    label.set_warn_below(None)
    label.set_seconds_left(10)
    assert label.state() == "ok"

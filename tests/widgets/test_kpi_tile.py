"""KpiTile: values, state (colour + icon + label + weight), stale dimming, scaling, flash."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSize

from tests.widgets.imaging import changed_share, ink_rows, luma, pixels, share_near
from widgets.kpi_tile import KpiTile
from widgets.palette import THEMES

WALL = THEMES["wall"]


def _tile(qtbot, **kw) -> KpiTile:
    tile = KpiTile(kw.pop("title", "Credit card · SL"), **kw)
    qtbot.addWidget(tile)
    tile.resize(QSize(520, 200))
    return tile


def test_constructed_values_are_read_back_and_rendered(qtbot, shots) -> None:
    tile = _tile(qtbot, value="84.1%", sub="waiting 12 · longest 3:41", state="ok", theme="wall")
    assert (tile.title(), tile.value(), tile.sub(), tile.state()) == (
        "Credit card · SL", "84.1%", "waiting 12 · longest 3:41", "ok")
    arr = pixels(tile, shots / "kpi_tile_ok.png")
    assert arr.shape == (200, 520, 3)
    # Not blank: the tile surface, white value text and the green state colour are all there.
    assert share_near(arr, WALL["surface"], tol=6) > 0.3
    assert share_near(arr, WALL["text"], tol=40) > 0.01
    assert share_near(arr, WALL["ok"], tol=40) > 0.001
    assert "84.1%" in tile.accessibleName() and "OK" in tile.accessibleName()


def test_each_state_looks_different_and_breached_is_loudest(qtbot, shots) -> None:
    tile = _tile(qtbot, value="76.4%", theme="wall", flash_on_breach=False)
    images = {}
    for state in ("neutral", "ok", "warning", "breached"):
        tile.set_state(state)
        images[state] = pixels(tile, shots / f"kpi_tile_{state}.png")
    for a in images:
        for b in images:
            if a < b:
                assert changed_share(images[a], images[b]) > 0.01, (a, b)
    # Breached tints the whole card red; warning puts amber on it.
    assert share_near(images["breached"], WALL["breached"], tol=40) > share_near(images["ok"], WALL["breached"], tol=40)
    assert share_near(images["warning"], WALL["warning"], tol=30) > 0.005
    assert share_near(images["ok"], WALL["warning"], tol=30) < 0.001


def test_state_text_and_weight_change_not_only_colour(qtbot) -> None:
    from widgets.state_chip import state_weight

    tile = _tile(qtbot, value="1", flash_on_breach=False)
    names = {}
    for state in ("ok", "warning", "breached"):
        tile.set_state(state)
        names[state] = tile.accessibleName()
    assert "OK" in names["ok"] and "Warning" in names["warning"] and "Breached" in names["breached"]
    assert state_weight("ok") < state_weight("warning") < state_weight("breached")


def test_unknown_state_is_refused_and_nothing_changes(qtbot) -> None:
    tile = _tile(qtbot, state="ok")
    with pytest.raises(ValueError, match="unknown SLA state"):
        tile.set_state("red")
    assert tile.state() == "ok"
    with pytest.raises(ValueError):
        KpiTile("x", scale=0)


def test_stale_dims_everything_and_shows_a_mark(qtbot, shots) -> None:
    tile = _tile(qtbot, value="84.1%", sub="waiting 12", state="breached", theme="wall", flash_on_breach=False)
    live = pixels(tile, shots / "kpi_tile_live.png")
    tile.set_stale(True)
    assert tile.is_stale()
    stale = pixels(tile, shots / "kpi_tile_stale.png")
    # The big white value is gone (dimmed): far fewer bright pixels than when live.
    bright_live = float((luma(live) > 200).mean())
    bright_stale = float((luma(stale) > 200).mean())
    assert bright_stale < bright_live * 0.6
    # The stale mark is drawn in the stale colour; the red breached card no longer shows.
    assert share_near(stale, WALL["stale_bg"], tol=20) > 0.003
    assert share_near(stale, WALL["breached_bg"], tol=20) < share_near(live, WALL["breached_bg"], tol=20)
    assert "Stale" in tile.accessibleName()
    tile.set_stale(False)
    assert np.array_equal(pixels(tile), live)


def test_fonts_at_2160p_are_twice_those_at_1080p(qtbot, shots) -> None:
    small = KpiTile("SL", value="88", scale=1.0, theme="wall")
    big = KpiTile("SL", value="88", scale=2.0, theme="wall")
    for t in (small, big):
        qtbot.addWidget(t)
        t.resize(t.sizeHint())
    assert small.pixel_sizes() == {"title": 28, "value": 72, "sub": 24}
    assert big.pixel_sizes() == {"title": 56, "value": 144, "sub": 48}
    assert big.sizeHint().height() == pytest.approx(2 * small.sizeHint().height(), abs=2)
    # Measure the painted value: the digits' ink height doubles too.
    a = pixels(small, shots / "kpi_tile_1080p.png")
    b = pixels(big, shots / "kpi_tile_2160p.png")

    def digit_height(arr: np.ndarray) -> int:
        white = luma(arr) > 230
        rows = np.flatnonzero(white.any(axis=1))
        return int(rows[-1] - rows[0])

    ratio = digit_height(b) / digit_height(a)
    assert 1.8 < ratio < 2.2, ratio
    # At 1080p the headline digits are drawn from a 72 px font: cap height well over 40 px.
    assert digit_height(a) > 40


def test_scale_none_sizes_fonts_from_the_tile_height(qtbot) -> None:
    tile = _tile(qtbot, scale=None)
    tile.resize(400, 100)
    small = tile.pixel_sizes()["value"]
    tile.resize(400, 300)
    assert tile.pixel_sizes()["value"] == pytest.approx(3 * small, rel=0.05)


def test_a_value_too_wide_shrinks_to_fit_instead_of_being_cut(qtbot) -> None:
    tile = _tile(qtbot, value="12,345,678", theme="wall", state="ok")
    tile.resize(300, 200)
    arr = pixels(tile)
    top, bottom = ink_rows(arr, WALL["background"])
    assert bottom < 200
    # The rightmost column of the tile's inner area stays free of white text.
    white = luma(arr) > 230
    assert not white[:, -12:].any()


def test_turning_breached_flashes_once_then_stays_marked(qtbot) -> None:
    tile = _tile(qtbot, state="ok", theme="wall", flash_s=0.3)  # a short flash keeps the test quick
    tile.set_state("breached")
    assert tile.is_flashing()
    flashing = pixels(tile)
    qtbot.waitUntil(lambda: not tile.is_flashing(), timeout=2000)
    after = pixels(tile)
    assert changed_share(flashing, after) > 0.001
    # Still breached and still red afterwards, without flashing.
    assert tile.state() == "breached"
    assert share_near(after, WALL["breached"], tol=40) > 0.01
    tile.set_state("warning")
    tile.set_state("breached")
    assert tile.is_flashing()


def test_update_values_sets_everything_at_once(qtbot) -> None:
    tile = _tile(qtbot, flash_on_breach=False)
    tile.update_values(value="3:41", sub="longest", state="warning")
    assert (tile.value(), tile.sub(), tile.state()) == ("3:41", "longest", "warning")
    tile.update_values(sub="x")
    assert (tile.value(), tile.sub(), tile.state()) == ("3:41", "x", "warning")

"""Painted widgets a screen reader can read (issue 12 point 6), and the colour-blind-safe
palette beside the default one.

Accessible names are read back through Qt's accessibility interface (what a screen
reader asks), not from the widgets' own attributes. The palette is checked by simulating
protanopia and deuteranopia (Machado et al. 2009, severity 1) on its state colours.
"""

from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QAccessible

from widgets.agent_state_bar import AgentStateBar
from widgets.countdown import CountdownLabel
from widgets.kpi_tile import KpiTile
from widgets.palette import (
    PALETTES, THEMES, contrast_ratio, current_palette, palette_colors, set_palette,
)
from widgets.state_chip import StateBadge


def spoken(widget) -> tuple[str, str]:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name), iface.text(QAccessible.Text.Description)


def test_a_tile_says_its_name_its_value_in_words_and_its_state(qtbot, zh):
    tile = KpiTile("信用卡服务", value="14", sub="服务水平 84.1% · 最长 3:41", state="warning")
    qtbot.addWidget(tile)
    tile.set_spoken_value("14 位排队")
    assert spoken(tile) == ("信用卡服务, 14 位排队, 预警", "服务水平 84.1% · 最长 3:41")
    tile.update_values(value="15", state="breached")
    tile.set_spoken_value("15 位排队")
    assert spoken(tile)[0] == "信用卡服务, 15 位排队, 超时"
    tile.set_stale(True)
    assert spoken(tile)[0] == "信用卡服务, 15 位排队, 过期"
    # without words for the value, the value itself
    plain = KpiTile("ASA", value="0:42", state="ok")
    qtbot.addWidget(plain)
    assert spoken(plain)[0] == "ASA, 0:42, 正常"


def test_the_agent_bar_chip_and_countdown_speak(qtbot):
    bar = AgentStateBar({"available": 3, "on_call": 5, "break": 1})
    qtbot.addWidget(bar)
    name, description = spoken(bar)
    assert name == "Agent states: Available 3, On call 5, Break 1"
    assert description.startswith("Available 3, Ringing 0, On call 5")
    chip = StateBadge("breached", "16:02")
    qtbot.addWidget(chip)
    assert spoken(chip)[0] == "Breached 16:02"
    countdown = CountdownLabel(500, warn_below=600)
    qtbot.addWidget(countdown)
    assert spoken(countdown)[0] == "Due in 8:20, Warning"
    countdown.set_seconds_left(1500)
    assert spoken(countdown)[0] == "Due in 25:00, OK"
    countdown.set_seconds_left(-65)
    assert spoken(countdown)[0] == "Overdue -1:05"


# ---------------------------------------------------------------------------- palette


_MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
}


def _linear(c: int) -> float:
    v = c / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_colour: str, deficiency: str) -> tuple[float, float, float]:
    """CIELAB of ``hex_colour`` as a person with ``deficiency`` sees it."""
    h = hex_colour.lstrip("#")
    lin = [_linear(int(h[i:i + 2], 16)) for i in (0, 2, 4)]
    m = _MACHADO[deficiency]
    sim = tuple(min(1.0, max(0.0, sum(m[row][k] * lin[k] for k in range(3)))) for row in range(3))
    return _lab(sim)  # type: ignore[arg-type]


def distance(a: str, b: str, deficiency: str) -> float:
    return math.dist(seen(a, deficiency), seen(b, deficiency))


@pytest.mark.parametrize("theme", ["normal", "wall"])
@pytest.mark.parametrize("deficiency", ["protanopia", "deuteranopia"])
def test_the_colourblind_palette_keeps_ok_warning_and_breach_apart(theme, deficiency):
    safe = palette_colors("colorblind", theme)
    default = palette_colors("default", theme)
    pairs = [("ok_bg", "breached_bg"), ("ok_bg", "warning_bg"), ("warning_bg", "breached_bg"),
             ("ok", "breached"), ("stale_bg", "ok_bg")]
    for a, b in pairs:
        assert distance(safe[a], safe[b], deficiency) >= 20, (a, b)
    # the point of it: where the default's text colours for ok and breach (green, red)
    # come close for these readers, the safe palette's (blue, orange) stay far apart
    assert (distance(safe["ok"], safe["breached"], deficiency)
            > 1.5 * distance(default["ok"], default["breached"], deficiency))


@pytest.mark.parametrize("theme", ["normal", "wall"])
def test_the_colourblind_palette_is_as_readable_as_the_default(theme):
    c = palette_colors("colorblind", theme)
    back = c["surface"] if theme == "wall" else c["background"]
    for state in ("ok", "warning", "breached", "stale"):
        assert contrast_ratio(c[state], back) >= 4.5, state
        assert contrast_ratio(c[f"on_{state}"], c[f"{state}_bg"]) >= 4.5, state
    assert len({c[f"{s}_bg"] for s in ("ok", "warning", "breached", "stale")}) == 4


def test_switching_the_palette_changes_the_themes_in_place_and_back(qtbot):
    desk = THEMES["normal"]  # widgets hold these very dicts
    tile = KpiTile("x", state="ok")
    qtbot.addWidget(tile)
    assert PALETTES == ("default", "colorblind") and current_palette() == "default"
    try:
        set_palette("colorblind")
        assert desk["ok"] == "#0B5CAD" and tile._colors is desk and tile._colors["breached_bg"] == "#B23C00"
    finally:
        set_palette("default")
    assert desk == palette_colors("default", "normal") and current_palette() == "default"
    with pytest.raises(ValueError, match="colorblind"):
        set_palette("sepia")

"""Palettes (contrast, completeness), wall metrics and the display formatters."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QLocale

from widgets.format import EMPTY, format_age, format_countdown, format_duration, format_number, format_percent
from widgets.metrics import HEADLINE_PX, LABEL_PX, TABLE_PX, scaled_px, wall_scale
from widgets.palette import (
    AGENT_STATE_COLORS,
    AGENT_STATES,
    SLA_STATES,
    THEMES,
    check_sla_state,
    contrast_ratio,
    readable_text_on,
    theme_colors,
)

EN = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
ZH = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
DE = QLocale(QLocale.Language.German, QLocale.Country.Germany)


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)
    with pytest.raises(ValueError):
        contrast_ratio("#FFF", "#000000")


def test_wall_theme_is_high_contrast() -> None:
    wall = THEMES["wall"]
    # Body text at AAA level on both the page and the tiles.
    for key in ("text", "text_muted"):
        assert contrast_ratio(wall[key], wall["background"]) >= 7.0, key
        assert contrast_ratio(wall[key], wall["surface"]) >= 7.0, key
    for state in ("ok", "warning", "breached", "stale"):
        assert contrast_ratio(wall[state], wall["surface"]) >= 4.5, state
        assert contrast_ratio(wall[f"on_{state}"], wall[f"{state}_bg"]) >= 4.5, state
    assert wall["background"] != THEMES["normal"]["background"]


def test_desk_theme_text_is_readable() -> None:
    desk = THEMES["normal"]
    for key in ("text", "text_muted", "ok", "warning", "breached", "stale", "accent"):
        assert contrast_ratio(desk[key], desk["background"]) >= 4.5, key
    for state in ("ok", "warning", "breached", "stale"):
        assert contrast_ratio(desk[f"on_{state}"], desk[f"{state}_bg"]) >= 4.5, state


def test_state_colours_are_distinct_per_theme() -> None:
    for theme in THEMES.values():
        fills = {theme[f"{s}_bg"] for s in ("ok", "warning", "breached", "stale")}
        assert len(fills) == 4


def test_agent_palette_covers_every_protocol_state_with_distinct_colours() -> None:
    assert set(AGENT_STATE_COLORS) == set(AGENT_STATES)
    assert len(set(AGENT_STATE_COLORS.values())) == len(AGENT_STATES)
    for colour in AGENT_STATE_COLORS.values():
        assert contrast_ratio(colour, readable_text_on(colour)) >= 4.5


def test_unknown_theme_and_state_are_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="normal"):
        theme_colors("dark")
    with pytest.raises(ValueError, match="breached"):
        check_sla_state("red")
    assert [check_sla_state(s) for s in SLA_STATES] == list(SLA_STATES)


def test_wall_scale_and_scaled_sizes() -> None:
    assert wall_scale(1080) == 1.0
    assert wall_scale(2160) == 2.0
    assert scaled_px(HEADLINE_PX, wall_scale(2160)) == 144
    assert scaled_px(LABEL_PX, wall_scale(720)) == 19
    assert scaled_px(TABLE_PX, 0.01) == 1
    with pytest.raises(ValueError):
        wall_scale(0)
    with pytest.raises(ValueError):
        scaled_px(10, 0)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00"), (59.9, "0:59"), (60, "1:00"), (754, "12:34"), (3599, "59:59"),
        (3600, "1:00:00"), (3725, "1:02:05"), (36000, "10:00:00"),
        (-0.5, "0:00"), (-1, "-0:01"), (-65, "-1:05"), (-3725, "-1:02:05"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_format_duration_of_nothing_is_a_dash() -> None:
    assert format_duration(None) == EMPTY
    assert format_duration(math.nan) == EMPTY
    assert format_duration(math.inf) == EMPTY


def test_countdown_states() -> None:
    assert format_countdown(None) == (EMPTY, "neutral")
    assert format_countdown(1800, warn_below=600) == ("30:00", "ok")
    assert format_countdown(599, warn_below=600) == ("9:59", "warning")
    assert format_countdown(0, warn_below=600) == ("0:00", "warning")
    assert format_countdown(-65, warn_below=600) == ("-1:05", "breached")
    assert format_countdown(100) == ("1:40", "ok")


def test_percent_has_one_decimal_in_the_locale_and_empty_is_a_dash() -> None:
    assert format_percent(0.8407, EN) == "84.1%"
    assert format_percent(0.8407, ZH) == "84.1%"
    assert format_percent(1.0, EN) == "100.0%"
    assert format_percent(0.0, EN) == "0.0%"
    assert format_percent(0.8407, DE).startswith("84,1")
    assert format_percent(None, EN) == EMPTY
    assert format_percent(math.nan, EN) == EMPTY


def test_numbers_follow_the_locale() -> None:
    assert format_number(1234567, EN) == "1,234,567"
    assert format_number(1234567, DE) == "1.234.567"
    assert format_number(211.44, EN, decimals=1) == "211.4"
    assert format_number(None, EN) == EMPTY


def test_age_reads_seconds_then_minutes() -> None:
    assert format_age(4.7, EN) == "4 s"
    assert format_age(59, EN) == "59 s"
    assert format_age(72, EN) == "1:12"
    assert format_age(3725, EN) == "1:02:05"
    assert format_age(-3, EN) == "0 s"  # a clock skew never shows a negative age
    assert format_age(None, EN) == EMPTY

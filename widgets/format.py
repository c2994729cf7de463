"""Formatting of figures for display: durations, countdowns, ages, percentages, counts.

UI.md: durations as m:ss or h:mm:ss, percentages with one decimal, numbers follow the
locale, an empty ratio is "—" (never 0 % or 100 %). Pure functions over QLocale.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLocale

from widgets.strings import seconds_text

#: Shown for a ratio or mean whose denominator is empty (KPI.md).
EMPTY = "—"


def _finite(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def format_duration(seconds: float | None) -> str:
    """m:ss under an hour, h:mm:ss from an hour; negative gets a leading "-"; None → "—".

    Whole seconds are truncated toward zero, so a countdown shows 0:00 only in its
    last second and an overdue one shows -0:01 after one full second.
    """
    if not _finite(seconds):
        return EMPTY
    assert seconds is not None
    sign = "-" if seconds < 0 and int(abs(seconds)) > 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def format_countdown(seconds_left: float | None, warn_below: float | None = None) -> tuple[str, str]:
    """Text and SLA state of a due-time countdown: ``("12:34", "ok")``, ``("-1:05", "breached")``.

    State is "breached" once overdue (negative), "warning" below ``warn_below`` seconds
    left, else "ok"; "neutral" with "—" when there is no due time.
    """
    if not _finite(seconds_left):
        return EMPTY, "neutral"
    assert seconds_left is not None
    text = format_duration(seconds_left)
    if seconds_left < 0:
        return text, "breached"
    if warn_below is not None and seconds_left < warn_below:
        return text, "warning"
    return text, "ok"


def format_age(seconds: float | None, locale: QLocale | None = None) -> str:
    """Data age for people: "42 s" under a minute, then m:ss / h:mm:ss; None → "—"."""
    if not _finite(seconds):
        return EMPTY
    assert seconds is not None
    seconds = max(0.0, seconds)
    if seconds < 60:
        return seconds_text((locale or QLocale()).toString(int(seconds)))
    return format_duration(seconds)


def format_percent(fraction: float | None, locale: QLocale | None = None, decimals: int = 1) -> str:
    """A ratio given as a fraction (0.8407) as "84.1%" in the locale; None/NaN → "—"."""
    if not _finite(fraction):
        return EMPTY
    assert fraction is not None
    loc = locale or QLocale()
    return f"{loc.toString(float(fraction) * 100.0, 'f', decimals)}{loc.percent()}"


def format_number(value: float | int | None, locale: QLocale | None = None, decimals: int = 0) -> str:
    """A count or mean with the locale's digit grouping ("1,234"); None/NaN → "—"."""
    if not _finite(value):
        return EMPTY
    assert value is not None
    loc = locale or QLocale()
    if decimals == 0:
        return loc.toString(int(round(value)))
    return loc.toString(float(value), "f", decimals)

"""The review periods a manager picks (today, yesterday, this week...), in the center's timezone.

Pure functions of "now" and the zone, so the dialog's choices are testable without a
clock. Periods are half-open [start, end) and start at local midnight; weeks start on
Monday (ISO 8601, as in China).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from supervisor.errors import UsageError
from supervisor.timeutil import parse_bound

PRESETS = ("today", "yesterday", "this_week", "last_week", "this_month", "last_month")


def _midnight(d: date, tz: tzinfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz)


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def preset_period(name: str, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a named period containing (or just before) ``now`` in zone ``tz``."""
    today = now.astimezone(tz).date()
    if name == "today":
        start = today
        end = today + timedelta(days=1)
    elif name == "yesterday":
        start = today - timedelta(days=1)
        end = today
    elif name == "this_week":
        start = today - timedelta(days=today.weekday())
        end = start + timedelta(days=7)
    elif name == "last_week":
        end = today - timedelta(days=today.weekday())
        start = end - timedelta(days=7)
    elif name == "this_month":
        start = _month_start(today)
        end = _next_month(today)
    elif name == "last_month":
        end = _month_start(today)
        start = _month_start(end - timedelta(days=1))
    else:
        raise ValueError(f"unknown period {name!r}; one of {', '.join(PRESETS)}")
    return _midnight(start, tz), _midnight(end, tz)


def parse_period(text_from: str, text_to: str, tz: tzinfo) -> tuple[datetime, datetime]:
    """The CLI's --from/--to: RFC 3339 or a date (local midnight); an empty or reversed
    period, or an unreadable time, is a usage error (exit 2)."""
    try:
        start = parse_bound(text_from, tz)
        end = parse_bound(text_to, tz)
    except ValueError as exc:
        raise UsageError(f"bad time: {exc}") from None
    check_period(start, end)
    return start, end


def check_period(start: datetime, end: datetime) -> None:
    """An empty or reversed period is a usage error."""
    if end == start:
        raise UsageError(f"the period is empty: --from and --to are both {start.isoformat()}")
    if end < start:
        raise UsageError(
            f"the period is reversed: --to {end.isoformat()} is before --from {start.isoformat()}"
        )

"""Server-time helpers: RFC 3339 with an offset, millisecond precision (PROTOCOL.md)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo

UTC = timezone.utc
CHINA = timezone(timedelta(hours=8), "CST")

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fmt(ts: datetime) -> str:
    """Format an aware datetime as the protocol's RFC 3339 string (milliseconds, offset)."""
    if ts.tzinfo is None:
        raise ValueError("protocol times must carry an offset")
    return ts.isoformat(timespec="milliseconds")


def parse(text: str) -> datetime:
    """Parse an RFC 3339 string with an offset; a naive time is an error."""
    ts = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if ts.tzinfo is None:
        raise ValueError(f"time {text!r} has no offset")
    return ts


def parse_bound(text: str, default_tz: tzinfo) -> datetime:
    """A CLI period bound: RFC 3339 with an offset, or a date meaning local midnight in `default_tz`."""
    text = text.strip()
    if _DATE_ONLY.match(text):
        d = date.fromisoformat(text)
        return datetime(d.year, d.month, d.day, tzinfo=default_tz)
    try:
        return parse(text)
    except ValueError as exc:
        raise ValueError(
            f"{text!r} is neither RFC 3339 with an offset nor a date YYYY-MM-DD"
        ) from exc


def seconds(delta: timedelta) -> float:
    """Seconds of a timedelta as a float (durations in the protocol are seconds)."""
    return delta.total_seconds()


def format_duration(secs: float | None) -> str:
    """m:ss below an hour, h:mm:ss above; negative durations keep their sign; None is an em dash."""
    if secs is None:
        return "—"
    sign = "-" if secs < 0 else ""
    total = int(abs(secs))
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    if h:
        return f"{sign}{h}:{m:02d}:{s:02d}"
    return f"{sign}{m}:{s:02d}"

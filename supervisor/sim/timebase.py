"""Simulated time: integer milliseconds, their protocol format, and the server's scaled clock.

The engine counts time in integer milliseconds since the Unix epoch so that a wait
computed from two protocol timestamps equals the engine's own wait exactly (the
protocol has millisecond precision) and event order never depends on float rounding.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo

UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)
MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000


def to_ms(ts: datetime) -> int:
    """An aware datetime as whole milliseconds since the Unix epoch (sub-ms truncated)."""
    if ts.tzinfo is None:
        raise ValueError("simulated times must carry an offset")
    return (ts - UNIX_EPOCH) // _MS


class Stamp:
    """Formats millisecond times as the protocol's RFC 3339 strings in one fixed offset.

    Every event carries one or more times, so formatting is on the hot path: with a
    fixed offset the date is cached per day and the clock is plain arithmetic, about
    five times cheaper than ``datetime.isoformat`` and exactly equal to it.
    """

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self._base = UNIX_EPOCH.astimezone(tz)
        offset = tz.utcoffset(None)
        self._offset_ms = None if offset is None else offset // _MS
        self._suffix = self._base.isoformat()[19:]  # "+08:00"
        self._day: int | None = None
        self._date = ""

    def dt(self, ms: int) -> datetime:
        return (UNIX_EPOCH + timedelta(milliseconds=ms)).astimezone(self.tz)

    def __call__(self, ms: int) -> str:
        if self._offset_ms is None:  # a zone with DST: no shortcut
            return self.dt(ms).isoformat(timespec="milliseconds")
        day, rem = divmod(ms + self._offset_ms, DAY_MS)
        if day != self._day:
            self._day = day
            self._date = (UNIX_EPOCH + timedelta(days=day)).date().isoformat()
        h, rem = divmod(rem, HOUR_MS)
        m, rem = divmod(rem, MINUTE_MS)
        s, milli = divmod(rem, 1000)
        return f"{self._date}T{h:02d}:{m:02d}:{s:02d}.{milli:03d}{self._suffix}"

    def day_start(self, ms: int) -> int:
        """Local midnight (in this offset) of the day containing ``ms``."""
        local = self.dt(ms)
        return to_ms(local.replace(hour=0, minute=0, second=0, microsecond=0))

    def local_seconds(self, ms: int) -> float:
        """Seconds since local midnight: the time-of-day the arrival profile is keyed on."""
        return (ms - self.day_start(ms)) / 1000.0


class SimClock:
    """simulated_now = origin + real_elapsed × speed, with pause; speed 0 is driven externally.

    At speed 0 there is no relation to real time: the server sets the clock to the
    engine's position as it generates (``set``), so hello/heartbeat report simulated time.
    """

    def __init__(
        self, origin_ms: int, speed: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.speed = speed
        self._mono = monotonic
        self._anchor_ms = origin_ms  # simulated time at the last (re)anchor
        self._anchor_real = monotonic()
        self._paused = False

    @property
    def paused(self) -> bool:
        return self._paused

    def now_ms(self) -> int:
        if self._paused or self.speed == 0:
            return self._anchor_ms
        return self._anchor_ms + int((self._mono() - self._anchor_real) * 1000.0 * self.speed)

    def set(self, ms: int) -> None:
        """Move the clock forward to ``ms`` (speed 0: the engine's position); never back."""
        if ms > self.now_ms():
            self._anchor_ms = ms
            self._anchor_real = self._mono()

    def pause(self) -> None:
        if not self._paused:
            self._anchor_ms = self.now_ms()
            self._paused = True

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            self._anchor_real = self._mono()

"""Waiting contacts over the day, sampled per minute of server time into a numpy buffer.

Fed per event during replay (so a resumed day draws its whole history at once) and per
tick when live; the chart redraws from the buffer at 1 Hz, never per event.

Bounded: one fixed buffer of 1,440 minutes, a ring over the day that is emptied when
the first time of a new day (in the center's timezone) arrives, so today's series
starts afresh at midnight and a wall running for weeks holds one day.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

import numpy as np

MINUTES_PER_DAY = 24 * 60


class TrendRecorder:
    """Peak waiting count per minute of the current server day (NaN where unseen)."""

    def __init__(self) -> None:
        self.day: date | None = None
        self.tz: tzinfo | None = None
        self.waiting = np.full(MINUTES_PER_DAY, np.nan)
        self._last_minute = -1
        self.version = 0  # bumps on every change, so a chart knows when to redraw

    def observe(self, ts: datetime, waiting: int, _event: object = None) -> None:
        if self.tz is not None and ts.utcoffset() != self.tz.utcoffset(ts):
            ts = ts.astimezone(self.tz)  # the day is the center's, whatever offset a time came in
        day = ts.date()
        if day != self.day:
            if self.day is not None and day < self.day:
                return  # an older day replayed after a newer one: not today's chart
            self.day = day
            self.tz = ts.tzinfo
            self.waiting[:] = np.nan
            self._last_minute = -1
        minute = ts.hour * 60 + ts.minute
        current = self.waiting[minute]
        if np.isnan(current) or waiting > current or minute != self._last_minute:
            # the first sample of a minute sets it; later ones keep the peak
            self.waiting[minute] = waiting if np.isnan(current) else max(current, waiting)
            self._last_minute = minute
            self.version += 1

    def observe_now(self, now: datetime, waiting: int) -> None:
        self.observe(now, waiting)

    def series(self) -> tuple[np.ndarray, np.ndarray]:
        """(epoch seconds, waiting) of the minutes seen today."""
        if self.day is None:
            return np.empty(0), np.empty(0)
        seen = ~np.isnan(self.waiting)
        minutes = np.nonzero(seen)[0]
        start = datetime(self.day.year, self.day.month, self.day.day, tzinfo=self.tz).timestamp()
        return start + minutes * 60.0, self.waiting[seen]

"""Server time as the desktop estimates it: the local clock plus the offset from hello/heartbeat.

Wait clocks and SLA colours run on server time (KPI.md), shown in the center's timezone
(the offset the server's own timestamps carry).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from supervisor.timeutil import CHINA, UTC


class ServerClock:
    """``now()`` in server time and the center's timezone; ``wall`` is injectable for tests."""

    def __init__(self, wall: Callable[[], datetime] | None = None, tz: tzinfo = CHINA) -> None:
        self._wall = wall or (lambda: datetime.now(UTC))
        self.offset_s = 0.0
        self.tz: tzinfo = tz

    def set_offset(self, offset_s: float | None) -> None:
        if offset_s is not None:
            self.offset_s = float(offset_s)

    def follow(self, ts: datetime | None) -> None:
        """Adopt the timezone of the server's timestamps (the center's offset)."""
        if ts is not None and ts.tzinfo is not None:
            self.tz = ts.tzinfo

    def now(self) -> datetime:
        return (self._wall() + timedelta(seconds=self.offset_s)).astimezone(self.tz)

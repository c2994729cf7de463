"""The feed's status reports: a frozen FeedStatus on every change, counters throttled."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from supervisor.feed.status import FeedCounts, FeedStatus, State

log = logging.getLogger("supervisor.feed.client")

STATUS_EVERY_S = 0.25  # counters and seq are reported at most this often


class StatusReporter:
    """Holds the current FeedStatus and the counters; calls ``on_status`` on the loop.

    A state or message change is reported at once; counter changes at most every
    STATUS_EVERY_S, and the last change is always reported (a trailing timer).
    """

    def __init__(self, status: FeedStatus, on_status: Callable[[FeedStatus], None] | None) -> None:
        self.status = status
        self.counts: dict[str, int] = dataclasses.asdict(FeedCounts())
        self._on_status = on_status
        self._last_emit = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # filled in by the client before each report
        self.live_fields: Callable[[], dict[str, Any]] = dict

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] += n

    def update(self, **changes: Any) -> None:
        """Change fields without reporting (the next report carries them)."""
        self.status = dataclasses.replace(self.status, **changes)

    def server_time(self, server_time: datetime) -> None:
        """Estimate server clock - local clock from a hello/heartbeat."""
        self.update(server_offset_s=server_time.timestamp() - time.time())

    def set_state(self, state: State, **changes: Any) -> None:
        old = self.status
        self.status = dataclasses.replace(old, state=state, **changes)
        if state != old.state or changes.get("message", old.message) != old.message or "retry_in_s" in changes:
            if state != old.state:
                log.info("feed %s -> %s", old.state, state)
            self.emit()

    def maybe_emit(self) -> None:
        if self._handle is not None:
            return  # a report is already due
        wait = self._last_emit + STATUS_EVERY_S - time.monotonic()
        if wait <= 0:
            self.emit()
        elif self._loop is not None:
            self._handle = self._loop.call_later(wait, self.emit)

    def emit(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._last_emit = time.monotonic()
        self.status = dataclasses.replace(self.status, counts=FeedCounts(**self.counts), **self.live_fields())
        if self._on_status is not None:
            try:
                self._on_status(self.status)
            except Exception:  # noqa: BLE001 - a consumer's bug must not stop the feed
                log.exception("on_status failed")

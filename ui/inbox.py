"""The one door from the asyncio thread into the Qt main thread.

The feed side appends under a lock and emits ``ready`` only when the inbox goes from
empty to non-empty, so a burst of a thousand batches costs the main thread one queued
signal and one drain (ARCHITECTURE.md: a list under a lock plus one queued signal).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from supervisor import wire
    from supervisor.forecast.live import LiveOutlook
    from ui.kpi_today import KpiToday
    from ui.status import FeedState


@dataclass(slots=True)
class Drained:
    """Everything that arrived since the last drain, in arrival order."""

    events: list[wire.Event] = field(default_factory=list)
    status: FeedState | None = None  # only the newest status matters
    kpi: KpiToday | None = None  # the newest KPI report, computed off the main thread
    forecast: LiveOutlook | None = None  # the newest live forecast
    first_posted: float | None = None  # time.monotonic() of the oldest item, for latency


class Inbox(QObject):
    """Thread-safe mailbox: ``post_*`` from any thread, ``drain`` on the main thread."""

    ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending = Drained()
        self._signalled = False

    def post_events(self, events: list[wire.Event]) -> None:
        if events:
            self._post(lambda d: d.events.extend(events))

    def post_status(self, status: FeedState) -> None:
        self._post(lambda d: setattr(d, "status", status))

    def post_kpi(self, report: KpiToday) -> None:
        self._post(lambda d: setattr(d, "kpi", report))

    def post_forecast(self, outlook: LiveOutlook) -> None:
        self._post(lambda d: setattr(d, "forecast", outlook))

    def _post(self, put: Callable[[Drained], object]) -> None:
        with self._lock:
            if self._pending.first_posted is None:
                self._pending.first_posted = time.monotonic()
            put(self._pending)
            signal = not self._signalled
            self._signalled = True
        if signal:
            # emitted from the feed thread: Qt queues it to the inbox's (main) thread
            self.ready.emit()

    def pending(self) -> bool:
        with self._lock:
            return self._signalled

    def drain(self) -> Drained:
        with self._lock:
            out, self._pending = self._pending, Drained()
            self._signalled = False
        return out

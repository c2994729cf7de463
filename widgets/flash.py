"""One-time attention flash: a key (a contact id, a tile) blinks a few times, then stops.

UI.md: a contact crossing its SLA draws the eye once, then stays marked without
flashing forever. The controller only keeps time; painters ask ``level(key)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject, QTimer, Signal


class FlashController(QObject):
    """Tracks which keys are flashing and ticks while any is; emits ``changed`` to repaint.

    ``flash(key)`` starts (or restarts) a flash of ``blinks`` on/off cycles lasting
    ``duration_s``; ``level(key)`` is 1.0 in the "on" half of a cycle, else 0.0. The timer
    runs only while something flashes, so an idle wall costs nothing.
    """

    #: Emitted on every tick while any key flashes, and once more when the last one ends.
    changed = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        duration_s: float = 3.0,
        blinks: int = 3,
        tick_ms: int = 100,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """``clock`` returns seconds (monotonic); tests pass a fake one to step time."""
        super().__init__(parent)
        if duration_s <= 0 or blinks < 1 or tick_ms < 1:
            raise ValueError("duration_s must be > 0, blinks >= 1, tick_ms >= 1")
        self._duration = float(duration_s)
        self._blinks = int(blinks)
        self._clock = clock or time.monotonic
        self._started: dict[Hashable, float] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def duration_s(self) -> float:
        return self._duration

    def flash(self, key: Hashable) -> None:
        """Start flashing ``key`` now (restart if it already flashes)."""
        self._started[key] = self._clock()
        if not self._timer.isActive():
            self._timer.start()
        self.changed.emit()

    def level(self, key: Hashable) -> float:
        """1.0 while ``key`` is in the bright half of a blink, else 0.0 (also when not flashing)."""
        start = self._started.get(key)
        if start is None:
            return 0.0
        elapsed = self._clock() - start
        if elapsed < 0 or elapsed >= self._duration:
            return 0.0
        cycle = self._duration / self._blinks
        return 1.0 if (elapsed % cycle) < cycle / 2 else 0.0

    def is_flashing(self, key: Hashable) -> bool:
        """True from ``flash(key)`` until its duration has passed."""
        start = self._started.get(key)
        return start is not None and 0 <= self._clock() - start < self._duration

    def active_keys(self) -> frozenset[Hashable]:
        """Keys still flashing."""
        return frozenset(k for k in self._started if self.is_flashing(k))

    def is_ticking(self) -> bool:
        """Whether the repaint timer runs (only while something flashes)."""
        return self._timer.isActive()

    def clear(self, key: Hashable | None = None) -> None:
        """Stop flashing ``key``, or everything when ``key`` is None."""
        if key is None:
            self._started.clear()
        else:
            self._started.pop(key, None)
        self._on_timer_timeout()

    def _on_timer_timeout(self) -> None:
        now = self._clock()
        for key in [k for k, t in self._started.items() if now - t >= self._duration]:
            del self._started[key]
        if not self._started:
            self._timer.stop()
        self.changed.emit()

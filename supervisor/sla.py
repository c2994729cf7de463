"""The response SLA of a queue: ok / warning / breached by server time, and time to breach.

Pure functions over plain values: the desktop's 1 Hz tick, the wall display and the KPI
engine all classify waits the same way (KPI.md: amber at W, red beyond T; answered
within T means wait <= T).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from supervisor.wire import DEFAULT_SLA_SECONDS, DEFAULT_WARN_SECONDS, Queue


class SlaState(str, Enum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Per-queue thresholds: T (sla_seconds) and W (warn_seconds)."""

    sla_seconds: float = DEFAULT_SLA_SECONDS
    warn_seconds: float = DEFAULT_WARN_SECONDS

    @classmethod
    def of(cls, queue: Queue | None) -> SlaPolicy:
        if queue is None:
            return DEFAULT_POLICY
        return cls(queue.sla_seconds, queue.warn_seconds)

    def state(self, wait_s: float) -> SlaState:
        """Breached once the wait exceeds T, warning from W on, ok before."""
        if wait_s > self.sla_seconds:
            return SlaState.BREACHED
        if wait_s >= self.warn_seconds:
            return SlaState.WARNING
        return SlaState.OK

    def time_to_breach(self, wait_s: float) -> float:
        """Seconds left before the SLA is breached; negative once breached."""
        return self.sla_seconds - wait_s

    def within(self, wait_s: float) -> bool:
        """Answered (or removed) within T: wait <= T."""
        return wait_s <= self.sla_seconds


DEFAULT_POLICY = SlaPolicy()


def wait_seconds(queued_at: datetime, server_now: datetime) -> float:
    """Live wait of a contact still waiting: server_now - queued_at, never negative."""
    return max(0.0, (server_now - queued_at).total_seconds())


def urgency_key(time_to_breach_s: float, priority: int, vip: bool) -> tuple[float, int, int]:
    """Sort key, most urgent first: breached (negative) before anything, then nearest breach.

    Ties go to higher priority, then VIP customers.
    """
    return (time_to_breach_s, -priority, 0 if vip else 1)


def crossed(previous_wait_s: float, wait_s: float, policy: SlaPolicy) -> bool:
    """True exactly once per contact: on the tick where its wait first passes T."""
    return previous_wait_s <= policy.sla_seconds < wait_s

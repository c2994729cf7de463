"""How busy the simulated center is: arrival profile, shifts, patience and handle times.

The numbers are tuned so a 60-agent floor on a weekday answers most contacts within
their queue's SLA (15 minutes; 5 at the VIP line, whose customers come first in the
routing and are less patient), is stretched at the late-morning and mid-afternoon peaks
(some contacts breach, abandonment rises) and is quiet at night. Arrivals scale with the
agent count, so 2,000 agents see the same picture with 33 times the traffic.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

# Contacts per scheduled agent per hour at each local hour 0..23 (interpolated linearly
# between hour midpoints). Two peaks: 10-11 h and 14-15 h; a dip at lunch; quiet night.
HOURLY_PER_AGENT: Final = (
    0.23, 0.20, 0.17, 0.20, 0.20, 0.22, 0.30, 1.30,
    2.30, 3.60, 5.60, 4.90, 3.90, 5.40, 6.50, 6.70,
    5.40, 3.00, 2.70, 1.80, 1.90, 1.30, 1.00, 0.60,
)
# Monday..Sunday: weekends are calmer at a bank's hotline.
WEEKDAY_FACTOR: Final = (1.08, 1.0, 0.98, 0.98, 1.02, 0.80, 0.72)
PEAK_PER_AGENT: Final = max(HOURLY_PER_AGENT) * max(WEEKDAY_FACTOR) * 1.15


def arrivals_per_agent_hour(local_seconds: float, weekday: int, day_factor: float) -> float:
    """The arrival intensity at a local time of day, per agent per hour."""
    pos = local_seconds / 3600.0 - 0.5  # hour midpoints carry the table's values
    lo = math.floor(pos)
    frac = pos - lo
    a = HOURLY_PER_AGENT[lo % 24]
    b = HOURLY_PER_AGENT[(lo + 1) % 24]
    return (a + (b - a) * frac) * WEEKDAY_FACTOR[weekday] * day_factor


@dataclass(frozen=True)
class Shift:
    """A shift template: start hour (local), length in hours, share of agents."""

    name: str
    start_h: float
    hours: float
    share: float
    meal: str  # the reason of the shift's meal break


SHIFTS: Final = (
    Shift("night", 22.0, 9.5, 0.05, "meal"),
    Shift("early", 7.0, 8.5, 0.22, "lunch"),
    Shift("day", 8.5, 8.5, 0.30, "lunch"),
    Shift("mid", 10.0, 8.5, 0.16, "lunch"),
    Shift("late", 13.0, 8.5, 0.17, "dinner"),
    Shift("evening", 15.5, 8.0, 0.10, "dinner"),
)
REST_DAY_SHARE: Final = 0.07


def rest_day_share(weekday: int) -> float:
    """Share of agents off on a day: weekend rosters shrink with weekend demand, as real
    centers plan them, so a Sunday is as busy per agent as a weekday, not idle."""
    working = (1.0 - REST_DAY_SHARE) * min(1.0, WEEKDAY_FACTOR[weekday] / WEEKDAY_FACTOR[1])
    return 1.0 - working


def assign_shifts(count: int) -> list[Shift]:
    """Shift templates for ``count`` agents in roster order, by largest remainder, interleaved.

    Interleaving (agent i gets the i-th pick of a spread sequence) makes every team,
    which is a contiguous block of the roster, span all shifts; a floor of six or more
    has at least one agent on every shift, so no hour is left unstaffed.
    """
    quotas = [s.share * count for s in SHIFTS]
    whole = [int(q) for q in quotas]
    for i in sorted(range(len(SHIFTS)), key=lambda i: quotas[i] - whole[i], reverse=True)[
        : count - sum(whole)
    ]:
        whole[i] += 1
    if count >= len(SHIFTS):  # a small floor still covers every hour: one per shift at least
        for k in range(len(SHIFTS)):
            if whole[k] == 0:
                whole[whole.index(max(whole))] -= 1
                whole[k] = 1
    # spread: shift k's agents at evenly spaced positions, merged by position
    slots: list[tuple[float, int]] = []
    for k, n in enumerate(whole):
        slots.extend(((j + 0.5) / n, k) for j in range(n))
    slots.sort()
    return [SHIFTS[k] for _, k in slots]


def lognormal(rng: random.Random, mean: float, sigma: float) -> float:
    """A lognormal draw with the given mean (not median)."""
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2.0, sigma)


# Talk time: mean seconds per channel, multiplied per queue (lending and VIP talk longer).
TALK_MEAN: Final = {"voice": 240.0, "chat": 380.0, "callback": 220.0, "email": 280.0}
TALK_QUEUE_FACTOR: Final = {
    "credit_card": 1.0, "deposit_transfer": 0.9, "e_banking": 1.0, "personal_loan": 1.3,
    "wealth": 1.25, "card_loss_fraud": 1.1, "vip": 1.3,
}
WRAP_MEAN: Final = {"voice": 30.0, "chat": 40.0, "callback": 30.0, "email": 45.0}


def talk_seconds(rng: random.Random, channel: str, queue: str) -> float:
    return max(8.0, lognormal(rng, TALK_MEAN[channel] * TALK_QUEUE_FACTOR.get(queue, 1.0), 0.7))


def wrap_seconds(rng: random.Random, channel: str, with_case: bool) -> float:
    extra = 20.0 if with_case else 0.0
    return max(5.0, lognormal(rng, WRAP_MEAN[channel] + extra, 0.4))


def ring_seconds(rng: random.Random, channel: str) -> float:
    if channel in ("chat", "email"):
        return rng.uniform(1.0, 3.0)  # offered on screen, accepted with a click
    return rng.uniform(2.0, 8.0)


SHORT_ABANDON_SHARE: Final = 0.05


def patience_seconds(rng: random.Random, channel: str, vip: bool) -> float | None:
    """How long a customer waits before giving up; None for contacts that never abandon.

    A few voice callers hang up within seconds (wrong number, the IVR menu was enough):
    the short abandons KPI.md leaves out of the rates.
    """
    if channel in ("callback", "email"):
        return None  # the customer is not on the line; the bank owes the contact
    if channel == "voice" and rng.random() < SHORT_ABANDON_SHARE:
        return rng.uniform(1.0, 4.9)
    mean = 800.0 if channel == "chat" else 600.0
    if vip:
        mean *= 0.8
    return max(6.0, lognormal(rng, mean, 0.8))


TRANSFER_SHARE: Final = 0.04  # misrouted voice/chat contacts moved to the right queue
VIP_OTHER_QUEUE_SHARE: Final = 0.05  # VIP customers who chose a non-VIP queue
RETURN_CALL_SHARE: Final = 0.06  # arrivals that chase an open case
SURVEY_SHARE: Final = 0.30

# Escalation timing: minutes. Departments work 08:30-21:00 except for urgent cases.
DEPT_OPEN_H: Final = 8.5
DEPT_CLOSE_H: Final = 21.0
ACK_MEAN_MIN: Final = 15.0
RESOLVE_MEDIAN_MIN: Final = {"urgent": 35.0, "high": 65.0, "normal": 75.0, "low": 90.0}
RESOLVE_SIGMA: Final = 0.5
DUE_MINUTES: Final = {"urgent": 60, "high": 120, "normal": 120, "low": 120}

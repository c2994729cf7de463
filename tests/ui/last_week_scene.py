"""Last week's traffic in a real SQLite journal, and its figures computed by hand from KPI.md.

The oracle never goes through the KPI engine: it reads the generator's own ground truth
(queue, queued_at, outcome and its time per contact) and applies KPI.md's definitions as
of a moment ``at``: offered = queued in [that midnight, at); an outcome after ``at`` is
not known yet (the contact is waiting); T of each queue as the snapshot said (credit_card
60 s, e_banking 900 s); short abandon 5 s; ratios rounded half-up to 4 decimals, seconds
to 1, each from exact integers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from tests.ui.events import T0, Stream, contact, queue

WEEK = timedelta(days=7)
QUEUE_T = {"credit_card": 60.0, "e_banking": 900.0}
SHORT = 5.0


@dataclass(frozen=True)
class Truth:
    call_id: str
    queue: str
    queued: datetime
    outcome: str  # answered | abandoned
    at: datetime  # when answered or abandoned


def week_traffic(day: datetime, seed: int = 12) -> list[Truth]:
    """A week-ago morning from 08:00 to 10:30 of ``day`` (that midnight), plus a contact
    queued the evening before and answered after midnight (not offered that day)."""
    rnd = random.Random(seed)
    out = [Truth("prev", "credit_card", day - timedelta(minutes=2), "answered", day + timedelta(minutes=1))]
    t = day + timedelta(hours=8)
    k = 0
    while t < day + timedelta(hours=10, minutes=30):
        q = "credit_card" if k % 3 else "e_banking"
        roll = rnd.random()
        if roll < 0.12:
            wait, outcome = rnd.choice([1.0, 3.0, 4.5]), "abandoned"  # short abandons
        elif roll < 0.25:
            wait, outcome = rnd.uniform(20, 400), "abandoned"
        else:
            wait, outcome = rnd.uniform(5, 150), "answered"
        out.append(Truth(f"w{k:03d}", q, t, outcome, t + timedelta(seconds=round(wait, 3))))
        t += timedelta(milliseconds=round(rnd.uniform(40, 110) * 1000))  # the wire carries ms
        k += 1
    return out


def week_events(day: datetime, truth: list[Truth], *, began: timedelta = timedelta(hours=1)) -> list[Any]:
    """The journal of that day: a snapshot ``began`` before midnight (the queues' T), then
    every queueing and outcome in time order."""
    s = Stream(day - began)
    events = [s.snapshot([queue("credit_card", "信用卡服务", sla=QUEUE_T["credit_card"], warn=40),
                          queue("e_banking", "网银与手机银行")])]
    items: list[tuple[datetime, int, Truth]] = []
    for c in truth:
        items.append((c.queued, 0, c))
        items.append((c.at, 1, c))
    items.sort(key=lambda i: (i[0], i[1]))
    for ts, kind, c in items:
        s.now = ts
        if kind == 0:
            events.append(s.queued(contact(c.call_id, c.queue, c.queued)))
        elif c.outcome == "answered":
            events.append(s.answered(c.call_id, "a-001"))
        else:
            events.append(s.abandoned(c.call_id))
    return events


def journal(url: str, events: list[Any], epoch: str = "e-week") -> None:
    from supervisor import wire
    from supervisor.store import Store, journal_row

    with Store(url) as store:
        store.append([journal_row(epoch, e, wire.encode(e)) for e in events])


def _round(value: Fraction, places: int) -> float:
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return float(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Expected:
    offered: int
    answered: int
    abandoned: int
    short: int
    waiting: int
    service_level: float | None  # abandons count against
    answered_only: float | None
    asa: float | None


def oracle(truth: list[Truth], day: datetime, at: datetime, queues: set[str] | None = None,
           start: datetime | None = None, end: datetime | None = None) -> Expected:
    """KPI.md by hand for the contacts queued in [start, end) (default [day, at)), as of ``at``."""
    lo, hi = start or day, min(end or at, at)
    offered = answered = abandoned = short = waiting = within = 0
    wait_us = 0
    for c in truth:
        if not lo <= c.queued < hi or (queues is not None and c.queue not in queues):
            continue
        offered += 1
        if c.at >= at:  # not known yet at ``at``
            waiting += 1
            continue
        wait = c.at - c.queued
        us = wait // timedelta(microseconds=1)
        if c.outcome == "answered":
            answered += 1
            wait_us += us
            within += us <= QUEUE_T[c.queue] * 1_000_000
        elif us < SHORT * 1_000_000:
            short += 1
        else:
            abandoned += 1
    return Expected(
        offered, answered, abandoned, short, waiting,
        _round(Fraction(within, answered + abandoned), 4) if answered + abandoned else None,
        _round(Fraction(within, answered), 4) if answered else None,
        _round(Fraction(wait_us, answered * 1_000_000), 1) if answered else None,
    )


def week_day(now: datetime = T0) -> datetime:
    return (now - WEEK).replace(hour=0, minute=0, second=0, microsecond=0)

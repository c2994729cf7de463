"""KPI.md figures of a scripted day, computed independently of the product.

Plain Python over the test's own list of contacts (queued_at, final queue, outcome, when,
and the T of the queue in force at that moment, which the test decides from what it
told the server). Rounding: exact rationals rounded half-up, ratios to 4 decimals,
seconds to 1 (KPI.md; the same rule the product states, written again here).

``Day`` also turns those contacts into the protocol events a server streams, so one list
is both the script and the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

TZ = timezone(timedelta(hours=8))
DAY = datetime(2026, 11, 20, tzinfo=TZ)
SHORT_ABANDON_S = 5
KEYS = ("offered", "answered", "abandoned", "short_abandoned", "answered_within_sla",
        "service_level", "abandonment_rate", "asa_seconds", "max_wait_seconds", "sla_breaches")


def at(hms: str) -> datetime:
    """A time of the scripted day, e.g. "09:15:02.123"."""
    h, m, s = hms.split(":")
    return DAY + timedelta(hours=int(h), minutes=int(m), milliseconds=round(float(s) * 1000))


def wire_time(t: datetime) -> str:
    return t.isoformat(timespec="milliseconds")


def half_up(value: Fraction, places: int) -> float:
    """``value`` rounded half-up (ties away from zero) to ``places`` decimals."""
    scale = 10 ** places
    magnitude = Fraction((abs(value) * scale + Fraction(1, 2)).__floor__(), scale)
    return float(magnitude if value >= 0 else -magnitude)


def ratio(num: int, den: int) -> float | None:
    return None if den == 0 else half_up(Fraction(num, den), 4)


def seconds(ms: Fraction | int) -> float:
    return half_up(Fraction(ms) / 1000, 1)


@dataclass
class Contact:
    call_id: str
    queue: str
    queued_at: datetime
    outcome: str | None = None  # "answered" | "abandoned" | None (still waiting)
    at: datetime | None = None
    T: float = 900  # sla_seconds of its queue in force at ``at``
    agent_id: str = "a-1"

    @property
    def wait_ms(self) -> int:
        assert self.at is not None
        return (self.at - self.queued_at) // timedelta(milliseconds=1)


def figures(contacts: list[Contact], start: datetime | None = None, end: datetime | None = None,
            queue: str | None = None) -> dict[str, Any]:
    """The ``kpi --json`` figures of ``KEYS`` for the contacts offered in [start, end)
    (and in ``queue``, when given). Contacts still waiting are not supported here."""
    cs = [c for c in contacts
          if (queue is None or c.queue == queue)
          and (start is None or c.queued_at >= start) and (end is None or c.queued_at < end)]
    assert all(c.outcome for c in cs), "the oracle does not model live waits"
    answered = [c for c in cs if c.outcome == "answered"]
    gone = [c for c in cs if c.outcome == "abandoned"]
    short = [c for c in gone if c.wait_ms < SHORT_ABANDON_S * 1000]
    abandoned = [c for c in gone if c.wait_ms >= SHORT_ABANDON_S * 1000]
    within = [c for c in answered if c.wait_ms <= c.T * 1000]
    breaches = [c for c in answered + gone if c.wait_ms > c.T * 1000]
    waits = [c.wait_ms for c in answered + gone]
    return {
        "offered": len(cs),
        "answered": len(answered),
        "abandoned": len(abandoned),
        "short_abandoned": len(short),
        "answered_within_sla": len(within),
        "service_level": ratio(len(within), len(answered) + len(abandoned)),
        "abandonment_rate": ratio(len(abandoned), len(cs) - len(short)),
        "asa_seconds": seconds(Fraction(sum(c.wait_ms for c in answered), len(answered)))
        if answered else None,
        "max_wait_seconds": seconds(max(waits)) if waits else None,
        "sla_breaches": len(breaches),
    }


def queue_record(qid: str, name: str, sla: float = 900, warn: float = 600) -> dict[str, Any]:
    return {"id": qid, "name": name, "sla_seconds": sla, "warn_seconds": warn}


VIP = queue_record("vip", "贵宾专线", 300, 180)
RETAIL = queue_record("retail", "零售业务")


def agent_record(agent_id: str = "a-1", state: str = "available", since: datetime = DAY) -> dict[str, Any]:
    return {"agent_id": agent_id, "name": "坐席一", "team": "一组", "skills": ["vip", "retail"],
            "state": state, "reason": None, "since": wire_time(since), "call_id": None}


def contact_record(c: Contact) -> dict[str, Any]:
    n = c.call_id.rsplit("-", 1)[-1].zfill(4)
    return {"call_id": c.call_id, "queue": c.queue, "channel": "voice", "priority": 0,
            "customer": {"id": f"k-{c.call_id}", "name": "张*丰", "phone": f"138****{n}",
                         "segment": "vip" if c.queue == "vip" else "standard", "masked": True},
            "queued_at": wire_time(c.queued_at), "case_id": None}


class Day:
    """Contacts of a scripted day and the events that tell them, in time order."""

    def __init__(self) -> None:
        self.contacts: list[Contact] = []
        self._extra: list[tuple[datetime, int, str, dict[str, Any]]] = []

    def add(self, queue: str, queued: str, outcome: str | None, wait_s: float | None,
            T: float = 900) -> Contact:
        q = at(queued)
        when = None if wait_s is None else q + timedelta(milliseconds=round(wait_s * 1000))
        c = Contact(f"c-{len(self.contacts) + 1}", queue, q, outcome, when, T)
        self.contacts.append(c)
        return c

    def extra(self, type_: str, data: dict[str, Any], when: datetime, order: int = -1) -> None:
        """Another event at ``when`` (``order`` < 0: before the contacts' events at that time)."""
        self._extra.append((when, order, type_, data))

    def events(self, start: datetime | None = None, end: datetime | None = None
               ) -> list[tuple[str, dict[str, Any], datetime]]:
        """(type, data, ts) of every event with start ≤ ts < end, sorted by time."""
        rows: list[tuple[datetime, int, str, dict[str, Any]]] = list(self._extra)
        for i, c in enumerate(self.contacts):
            rows.append((c.queued_at, i * 4, "call.queued", {"contact": contact_record(c)}))
            if c.outcome == "answered":
                assert c.at is not None
                rows.append((c.at, i * 4 + 1, "call.answered",
                             {"call_id": c.call_id, "agent_id": c.agent_id, "at": wire_time(c.at)}))
                end_at = c.at + timedelta(seconds=120)
                rows.append((end_at, i * 4 + 2, "call.ended", {"call_id": c.call_id, "agent_id": c.agent_id,
                                                               "at": wire_time(end_at), "case_id": None}))
            elif c.outcome == "abandoned":
                assert c.at is not None
                rows.append((c.at, i * 4 + 1, "call.abandoned", {"call_id": c.call_id, "at": wire_time(c.at)}))
        rows.sort(key=lambda r: (r[0], r[1]))
        return [(t, d, when) for when, _, t, d in rows
                if (start is None or when >= start) and (end is None or when < end)]


# (queue, outcome, wait seconds): waits around W=180, T=300 and T=900 so that vip's
# figures differ between T=300 and T=900, with ms just either side of each line
MORNING = [
    *(("vip", "answered", w) for w in (30, 120, 179.999, 180, 180.001, 250, 299.999, 300, 300.001,
                                        301, 450, 600, 899.999, 900, 900.001, 1200)),
    *(("vip", "abandoned", w) for w in (2, 4.999, 5, 200, 310, 950)),
    *(("retail", "answered", w) for w in (60, 180, 300, 301, 599, 600, 899.999, 900, 900.001, 1000,
                                           45.5, 333.3)),
    *(("retail", "abandoned", w) for w in (1, 5.001, 299, 301, 901, 1500)),
]


def morning(day: Day, vip_T: float = 300) -> None:
    """40 contacts queued 08:00–11:15 (every 5 minutes, queues interleaved), all gone by noon."""
    order = sorted(range(len(MORNING)), key=lambda i: (i * 7) % len(MORNING))  # mix queues and waits
    for slot, i in enumerate(order):
        queue, outcome, wait = MORNING[i]
        minutes = 8 * 60 + slot * 5
        day.add(queue, f"{minutes // 60:02d}:{minutes % 60:02d}:{(slot * 1.037) % 60:06.3f}", outcome, wait,
                T=vip_T if queue == "vip" else 900)


def afternoon(day: Day, start_minute: int = 12 * 60 + 5, n: int = 12, vip_T: float = 300) -> list[Contact]:
    """``n`` more contacts from ``start_minute``, every 4 minutes."""
    waits = [(("vip", "answered", 299.5)), ("retail", "answered", 901.25), ("vip", "answered", 310),
             ("vip", "abandoned", 3), ("retail", "abandoned", 420), ("vip", "abandoned", 301),
             ("retail", "answered", 12.25), ("vip", "answered", 100.05)]
    added = []
    for k in range(n):
        queue, outcome, wait = waits[k % len(waits)]
        minutes = start_minute + 4 * k
        added.append(day.add(queue, f"{minutes // 60:02d}:{minutes % 60:02d}:00.250", outcome, wait + k,
                             T=vip_T if queue == "vip" else 900))
    return added

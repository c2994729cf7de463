"""The figures of one period as immutable values, and their machine-readable form (KPI.md).

Values are already rounded (see ``rounding.py``) when these records are built, so a
wall tile, a spreadsheet cell and ``command-center kpi --json`` show the same digits.
``None`` is a ratio or mean with an empty denominator: "—" on screen, an empty cell in
a spreadsheet, ``null`` in JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMULAS: tuple[str, ...] = ("abandons_count_against", "answered_only", "removed_within_sla")


def rfc3339(ts: datetime) -> str:
    """RFC 3339 with the offset; whole seconds unless the time has a fraction."""
    return ts.isoformat(timespec="seconds" if ts.microsecond == 0 else "milliseconds")


@dataclass(frozen=True, slots=True)
class QueueFigures:
    """Queue and period figures of KPI.md for the contacts offered in a period.

    ``queue`` is None for the total over all queues. ``outcome_unknown`` counts contacts
    whose outcome a snapshot made unknown (they left the queue during a gap in the
    stream), so that answered + abandoned + short_abandoned + waiting + outcome_unknown
    == offered. ``aht_calls`` is the number of calls the AHT is the mean of (those whose
    ``call.ended`` is in the period and whose wrap-up has ended); ``surveys`` the number
    of scores behind the CSAT.
    """

    queue: str | None
    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    waiting: int
    outcome_unknown: int
    answered_within_sla: int
    abandoned_within_sla: int
    service_level: float | None
    abandonment_rate: float | None
    asa_seconds: float | None
    max_wait_seconds: float | None
    aht_seconds: float | None
    aht_calls: int
    sla_breaches: int
    csat: float | None
    csat_top2_share: float | None
    surveys: int

    def to_json(self) -> dict[str, Any]:
        """The queue object of KPI.md's machine-readable form."""
        return {
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "short_abandoned": self.short_abandoned,
            "waiting": self.waiting,
            "outcome_unknown": self.outcome_unknown,
            "answered_within_sla": self.answered_within_sla,
            "service_level": self.service_level,
            "abandonment_rate": self.abandonment_rate,
            "asa_seconds": self.asa_seconds,
            "max_wait_seconds": self.max_wait_seconds,
            "aht_seconds": self.aht_seconds,
            "sla_breaches": self.sla_breaches,
            "csat": self.csat,
            "csat_top2_share": self.csat_top2_share,
        }


@dataclass(frozen=True, slots=True)
class AgentFigures:
    """Agent figures of KPI.md. ``state_seconds`` holds every state except offline with
    time in the period (states with none are left out, as in KPI.md's example)."""

    agent_id: str
    name: str
    team: str
    handled: int
    aht_seconds: float | None
    aht_calls: int
    occupancy: float | None
    csat: float | None
    surveys: int
    state_seconds: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "handled": self.handled,
            "aht_seconds": self.aht_seconds,
            "occupancy": self.occupancy,
            "csat": self.csat,
            "state_seconds": dict(self.state_seconds),
        }


@dataclass(frozen=True, slots=True)
class EscalationFigures:
    """Escalation figures of KPI.md; ``overdue_open`` is taken at the report's server_now."""

    opened: int
    resolved: int
    resolved_on_time: int
    on_time_rate: float | None
    overdue_open: int
    mean_time_to_resolve_seconds: float | None
    reassignments: int

    def to_json(self) -> dict[str, Any]:
        return {
            "opened": self.opened,
            "resolved": self.resolved,
            "resolved_on_time": self.resolved_on_time,
            "on_time_rate": self.on_time_rate,
            "overdue_open": self.overdue_open,
            "mean_time_to_resolve_seconds": self.mean_time_to_resolve_seconds,
            "reassignments": self.reassignments,
        }


@dataclass(frozen=True, slots=True)
class KpiReport:
    """Every KPI.md figure of the period [start, end), as of ``server_now``."""

    start: datetime  # in the center's timezone
    end: datetime
    formula: str
    server_now: datetime | None
    short_abandon_s: float
    queues: dict[str, QueueFigures]  # in first-seen order of the queues
    total: QueueFigures
    agents: dict[str, AgentFigures]  # by agent id, sorted
    escalations: EscalationFigures

    def to_json(self) -> dict[str, Any]:
        """Exactly the object of KPI.md "Machine-readable form" (plus ``outcome_unknown``)."""
        return {
            "from": rfc3339(self.start),
            "to": rfc3339(self.end),
            "service_level_formula": self.formula,
            "queues": {name: q.to_json() for name, q in self.queues.items()},
            "total": self.total.to_json(),
            "agents": {aid: a.to_json() for aid, a in self.agents.items()},
            "escalations": self.escalations.to_json(),
        }

"""The figures of one period as immutable values, and their machine-readable form (KPI.md).

Values are already rounded (see ``rounding.py``) when these records are built, so a
wall tile, a spreadsheet cell and ``command-center kpi --json`` show the same digits.
``None`` is a ratio or mean with an empty denominator: "—" on screen, an empty cell in
a spreadsheet, ``null`` in JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
class QueueParameters:
    """A queue's name, T and W as the server told them (KPI.md "T and W of a contact").

    ``name``, ``sla_seconds`` and ``warn_seconds`` are those of the record in force at
    the end of the period ("" and the protocol's 900 / 600 when ``told`` is False: the
    server never sent a record of the queue). ``in_force`` lists the (T, W) values in
    force during the period, in time order, each with the time it took effect (None:
    already in force when the period began); more than one means T or W changed during
    the period, and contacts were measured against the values in force at their outcome.
    """

    queue: str
    name: str
    sla_seconds: float
    warn_seconds: float
    told: bool
    in_force: tuple[tuple[datetime | None, float, float], ...] = ()

    @property
    def changed(self) -> bool:
        """T or W changed during the period."""
        return len(self.in_force) > 1

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "sla_seconds": self.sla_seconds, "warn_seconds": self.warn_seconds}


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
    # name, T and W of each queue of ``queues`` (see QueueParameters)
    parameters: dict[str, QueueParameters] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The object of KPI.md "Machine-readable form": each queue has exactly KPI.md's
        keys plus ``outcome_unknown``, and its ``name``, ``sla_seconds`` and
        ``warn_seconds`` in force at the end of the period (the total has the figures only)."""
        return {
            "from": rfc3339(self.start),
            "to": rfc3339(self.end),
            "service_level_formula": self.formula,
            "queues": {name: self._queue_json(name, q) for name, q in self.queues.items()},
            "total": self.total.to_json(),
            "agents": {aid: a.to_json() for aid, a in self.agents.items()},
            "escalations": self.escalations.to_json(),
        }

    def _queue_json(self, name: str, q: QueueFigures) -> dict[str, Any]:
        params = self.parameters.get(name)
        return {**params.to_json(), **q.to_json()} if params is not None else q.to_json()

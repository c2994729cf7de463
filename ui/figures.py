"""What a queue tile shows: live figures of the floor joined with today's KPI figures.

Plain values (already formatted strings and an SLA state), so the desk tiles and the
wall tiles render the same numbers from one place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from supervisor.floor import Floor
from supervisor.floorstats import TOTAL, queues_now
from supervisor.timeutil import format_duration
from ui import names
from ui.i18n import fmt_int, fmt_percent


@dataclass(frozen=True, slots=True)
class TileFigures:
    queue_id: str  # floorstats.TOTAL for all queues
    title: str
    waiting: int
    waiting_text: str
    longest_wait: str
    state: str  # worst SLA state of the waiting contacts: ok / warning / breached
    breached: int
    service_level: str  # today, per the KPI formula in use
    service_level_ratio: float | None
    asa: str
    abandon: str
    available: int
    on_call: int
    formula: str = ""  # KPI.md's name of the service-level formula of service_level


def tile_figures(floor: Floor, now: datetime, report: Any | None, formula: str = "") -> list[TileFigures]:
    """Total first, then each queue in the floor's order; ``formula``: the one the service
    levels were computed with (the report's, when there is one)."""
    used = getattr(report, "formula", None)
    if isinstance(used, str):
        formula = used
    live = queues_now(floor, now)
    order = [TOTAL, *[q for q in live if q != TOTAL]]
    out: list[TileFigures] = []
    for qid in order:
        row = live[qid]
        figures = None
        if report is not None:
            figures = report.total if qid == TOTAL else report.queues.get(qid)
        if qid == TOTAL:
            title = names.total()
        else:
            queue = floor.queues.get(qid)
            title = names.queue(qid, queue.name if queue else row.name)
        sl = getattr(figures, "service_level", None)
        out.append(TileFigures(
            queue_id=qid,
            title=title,
            waiting=row.waiting,
            waiting_text=fmt_int(row.waiting),
            longest_wait=format_duration(row.longest_wait_s) if row.longest_wait_s is not None else "—",
            state=row.worst.value if row.waiting else "ok",
            breached=row.breached,
            service_level=fmt_percent(sl),
            service_level_ratio=sl,
            asa=format_duration(getattr(figures, "asa_seconds", None)),
            abandon=fmt_percent(getattr(figures, "abandonment_rate", None)),
            available=row.available,
            on_call=row.on_call,
            formula=formula,
        ))
    return out


def agent_state_counts(floor: Floor) -> Counter[str]:
    return Counter(a.state for a in floor.agents.values())

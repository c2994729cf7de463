"""What a queue tile shows: live figures of the floor joined with today's KPI figures.

Plain values (already formatted strings and an SLA state), so the desk tiles and the
wall tiles render the same numbers from one place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from supervisor.floor import Floor
from supervisor.floorstats import TOTAL, agent_in_scope, queues_now
from supervisor.timeutil import format_duration
from ui import names
from ui.i18n import fmt_int, fmt_percent
from ui.scope import Scope

if TYPE_CHECKING:
    from supervisor.kpi.report import KpiReport, QueueFigures


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
    offered: str = ""  # today so far
    # the same time of day a week ago (issue 12 point 3; ui.last_week): its service level,
    # offered and ASA, each with an arrow saying where today stands (↑ above, ↓ below,
    # → the same); all "" when the journal does not reach back: blank, never 0
    week_service_level: str = ""
    week_offered: str = ""
    week_asa: str = ""
    sl_arrow: str = ""
    offered_arrow: str = ""
    asa_arrow: str = ""

    @property
    def has_week(self) -> bool:
        return bool(self.week_offered)


def tile_figures(floor: Floor, now: datetime, report: KpiReport | None, formula: str = "",
                 week: KpiReport | None = None, scope: Scope | None = None) -> list[TileFigures]:
    """Total first, then each queue in the floor's order; ``formula``: the one the service
    levels were computed with (the report's, when there is one); ``week``: the report of
    the same time a week ago (``ui.last_week.WeekAgo.report``), None when not journaled;
    ``scope``: my floor, whose queues alone have tiles and whose contacts and agents alone
    the live counts hold (the feed thread computes the report over the same scope)."""
    if report is not None:
        formula = report.formula
    scope = scope or Scope()
    live = queues_now(floor, now, scope.queues, scope.teams)
    order = [TOTAL, *[q for q in live if q != TOTAL]]
    out: list[TileFigures] = []
    for qid in order:
        row = live[qid]
        figures: QueueFigures | None = None
        if report is not None:
            figures = report.total if qid == TOTAL else report.queues.get(qid)
        if qid == TOTAL:
            title = names.total()
        else:
            queue = floor.queues.get(qid)
            title = names.queue(qid, queue.name if queue else row.name)
        sl = None if figures is None else figures.service_level
        then: QueueFigures | None = None
        if week is not None:
            then = week.total if qid == TOTAL else week.queues.get(qid)
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
            asa=format_duration(None if figures is None else figures.asa_seconds),
            abandon=fmt_percent(None if figures is None else figures.abandonment_rate),
            available=row.available,
            on_call=row.on_call,
            formula=formula,
            offered=fmt_int(figures.offered) if figures is not None else "—",
            **_week_fields(figures, then),
        ))
    return out


def _week_fields(today: QueueFigures | None, then: QueueFigures | None) -> dict[str, str]:
    """The week-ago texts of a tile and the arrows of today against them (see TileFigures)."""
    if then is None:
        return {}
    from ui.last_week import arrow

    return {
        "week_service_level": fmt_percent(then.service_level),
        "week_offered": fmt_int(then.offered),
        "week_asa": format_duration(then.asa_seconds),
        "sl_arrow": arrow(None if today is None else today.service_level, then.service_level),
        "offered_arrow": arrow(None if today is None else today.offered, then.offered),
        "asa_arrow": arrow(None if today is None else today.asa_seconds, then.asa_seconds),
    }


def agent_state_counts(floor: Floor, scope: Scope | None = None) -> Counter[str]:
    """Agents by state: of my floor when ``scope`` is given."""
    if scope is None or scope.whole:
        return Counter(a.state for a in floor.agents.values())
    # grouped first, as queues_now does: the scope is asked once per (state, team, skills)
    out: Counter[str] = Counter()
    for (state, team, skills), n in Counter((a.state, a.team, a.skills) for a in floor.agents.values()).items():
        if agent_in_scope(team, skills, scope.queues, scope.teams):
            out[state] += n
    return out


def waiting_count(floor: Floor, scope: Scope | None = None) -> int:
    """Contacts waiting: in my floor's queues when ``scope`` has queues."""
    if scope is None or scope.queues is None:
        return len(floor.waiting)
    return sum(1 for c in floor.waiting.values() if scope.has_contact(c))

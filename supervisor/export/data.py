"""Everything one workbook shows, taken from the KPI engine and nothing else.

``collect`` asks the engine (``supervisor.kpi``'s builder, or the journal's facts by
query, ``supervisor.store.facts_query``) for the report, the interval table and the
lists; the sheet writers only lay these values out. No figure is computed here, so the
workbook and ``command-center kpi --json`` cannot disagree. From the facts, the breach
list streams: it is read from the database while its sheet is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from supervisor import wire
from supervisor.kpi import KpiBuilder, KpiReport
from supervisor.kpi.intervals import IntervalRow, interval_table
from supervisor.store.facts_query import FactFigures
from supervisor.kpi.lists import (
    ContactRow,
    EscalationRow,
    ReassignmentRow,
    escalation_list,
    reassignment_list,
    sla_breach_list,
)

# The breach list is built a few days at a time: one ContactRow per contact of a whole
# month would cost hundreds of megabytes for a list that keeps only the breaches.
BREACH_CHUNK = timedelta(days=7)


@dataclass(frozen=True)
class ExportData:
    """The engine's figures and lists for one period, plus what the summary names."""

    report: KpiReport
    intervals: list[IntervalRow]
    breaches: Sequence[ContactRow] | Any  # a list, or facts_query.SqlRows (len, [:n], iteration)
    escalations: list[EscalationRow]
    reassignments: list[ReassignmentRow]
    # the latest record of each queue fed (name, T and W now); the sheets name queues and
    # print T and W from the report's ``parameters``: in force at the end of the period
    queue_records: dict[str, wire.Queue]
    tz: tzinfo
    interval_minutes: int = 30
    queue_filter: tuple[str, ...] | None = None
    team_filter: tuple[str, ...] | None = None
    anomalies: dict[str, int] = field(default_factory=dict)


def _chunks(start: datetime, end: datetime, step: timedelta) -> Iterator[tuple[datetime, datetime]]:
    lo = start
    while lo < end:
        hi = min(lo + step, end)
        yield lo, hi
        lo = hi


def collect(
    builder: KpiBuilder | FactFigures,
    start: datetime,
    end: datetime,
    *,
    formula: str,
    queues: Sequence[str] | None = None,
    teams: Sequence[str] | None = None,
    interval_minutes: int = 30,
    cancelled: Callable[[], bool] | None = None,
) -> ExportData:
    """The engine's report, intervals and lists of [start, end) as of the journal's end."""
    if isinstance(builder, FactFigures):
        return _collect_facts(builder, start, end, formula=formula, queues=queues, teams=teams,
                              interval_minutes=interval_minutes)
    facts = builder.facts
    server_now = builder.server_now
    report = builder.report(
        start, end, formula=formula, server_now=server_now, queues=queues, teams=teams
    )
    intervals = interval_table(
        facts, start, end, minutes=interval_minutes, formula=formula,
        server_now=server_now, short_abandon_s=report.short_abandon_s, queues=queues,
    )
    breaches: list[ContactRow] = []
    for lo, hi in _chunks(start, end, BREACH_CHUNK):
        if cancelled is not None and cancelled():
            break
        breaches.extend(sla_breach_list(facts, lo, hi, server_now=server_now, queues=queues))
    tz = facts.center_tz or start.tzinfo
    assert tz is not None
    return ExportData(
        report=report,
        intervals=intervals,
        breaches=breaches,
        escalations=escalation_list(facts, start, end, server_now=server_now),
        reassignments=reassignment_list(facts, start, end),
        queue_records=dict(facts.queues),
        tz=tz,
        interval_minutes=interval_minutes,
        queue_filter=tuple(queues) if queues is not None else None,
        team_filter=tuple(teams) if teams is not None else None,
        anomalies=dict(builder.anomalies),
    )


def _collect_facts(
    figures: FactFigures,
    start: datetime,
    end: datetime,
    *,
    formula: str,
    queues: Sequence[str] | None,
    teams: Sequence[str] | None,
    interval_minutes: int,
) -> ExportData:
    server_now = figures.server_now
    report = figures.report(start, end, formula=formula, server_now=server_now, queues=queues, teams=teams)
    intervals = figures.intervals(
        start, end, minutes=interval_minutes, formula=formula, server_now=server_now,
        short_abandon_s=report.short_abandon_s, queues=queues,
    )
    tz = figures.facts.center_tz or start.tzinfo
    assert tz is not None
    return ExportData(
        report=report,
        intervals=intervals,
        breaches=figures.sla_breach_rows(start, end, server_now=server_now, queues=queues),
        escalations=figures.escalations(start, end, server_now=server_now),
        reassignments=figures.reassignments(start, end),
        queue_records=dict(figures.facts.queues),
        tz=tz,
        interval_minutes=interval_minutes,
        queue_filter=tuple(queues) if queues is not None else None,
        team_filter=tuple(teams) if teams is not None else None,
        anomalies=dict(figures.anomalies),
    )

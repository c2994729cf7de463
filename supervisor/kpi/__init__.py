"""The KPI engine: every figure of KPI.md from the event journal or the live stream.

Feed decoded ``wire`` events to a ``KpiBuilder`` (cheap, incremental), then ask it for
a ``KpiReport`` of any period, the interval table, or the lists behind the figures
(SLA breaches, contacts, escalations, reassignments). No I/O here: the CLI
(``supervisor.kpi_cli``) and the desktop read the store and feed the builder.
"""

from __future__ import annotations

from supervisor.kpi.builder import DEFAULT_FORMULA, KpiBuilder
from supervisor.kpi.intervals import IntervalRow, interval_table, series
from supervisor.kpi.lists import ContactRow, EscalationRow, ReassignmentRow
from supervisor.kpi.report import (
    FORMULAS,
    AgentFigures,
    EscalationFigures,
    KpiReport,
    QueueFigures,
)

__all__ = [
    "DEFAULT_FORMULA",
    "FORMULAS",
    "AgentFigures",
    "ContactRow",
    "EscalationFigures",
    "EscalationRow",
    "IntervalRow",
    "KpiBuilder",
    "KpiReport",
    "QueueFigures",
    "ReassignmentRow",
    "interval_table",
    "series",
]

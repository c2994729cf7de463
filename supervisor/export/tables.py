"""The table sheets: Queues, Intervals, Agents, Escalations, SLA breaches, Audit.

Each writer lays out the engine's values (``ExportData``) in typed columns with a frozen
header, an auto-filter and column widths; customer data goes through
``supervisor.masking`` and free text through ``mask_text``, so a default export never
holds a full phone or ID number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from supervisor import wire
from supervisor.export.cells import (
    BAD_FILL,
    BAD_FONT,
    GOOD_FILL,
    GOOD_FONT,
    Col,
    RowWriter,
    naive_local,
    text_width,
)
from supervisor.export.data import ExportData
from supervisor.export.labels import Labels
from supervisor.kpi.facts import REPORTED_STATES
from supervisor.kpi.report import QueueFigures, QueueParameters
from supervisor.masking import mask_name, mask_phone, mask_text

Tick = Callable[[int], None]  # called with rows written since the last call

# Targets of the headline figures (conditional formatting); the bank's review targets.
SL_TARGET = 0.80
ABANDON_TARGET = 0.05
CSAT_TARGET = 4.0

# Queue figure columns, in KPI.md order: (QueueFigures attribute, kind, width). The widths
# hold the values; a header's longest word widens its column (RowWriter), and the sheet
# prints one A4 landscape page wide at a size people can read (not a thin strip).
QUEUE_FIGURES: tuple[tuple[str, str, float], ...] = (
    ("offered", "count", 7),
    ("answered", "count", 7),
    ("abandoned", "count", 7),
    ("short_abandoned", "count", 7),
    ("waiting", "count", 7),
    ("outcome_unknown", "count", 7),
    ("answered_within_sla", "count", 7),
    ("service_level", "ratio", 8),
    ("abandonment_rate", "ratio", 8),
    ("asa_seconds", "duration", 10),
    ("max_wait_seconds", "duration", 10),
    ("aht_seconds", "duration", 10),
    ("sla_breaches", "count", 7),
    ("csat", "score", 6),
    ("csat_top2_share", "ratio", 8),
)
SLA_NOTE_WIDTH = 36  # the T/W note, wrapped, when a queue has one

INTERVAL_FIGURES: tuple[tuple[str, str, float], ...] = (
    ("offered", "count", 9),
    ("answered", "count", 9),
    ("abandoned", "count", 9),
    ("short_abandoned", "count", 9),
    ("service_level", "ratio", 10),
    ("asa_seconds", "duration", 12),
    ("aht_seconds", "duration", 12),
    ("max_wait_seconds", "duration", 12),
    ("sla_breaches", "count", 9),
)


def queue_display(queue_id: str, params: QueueParameters | None) -> str:
    """The queue's name as the server named it, in either language: a queue's name is the
    bank's, not a word of this program. It is the name of the latest record as of the
    end of the period (the one ``kpi --json`` gives, so both agree); the id when the
    server never named the queue; never an id made up into a name."""
    return params.name if params is not None and params.name.strip() else queue_id


def parameter_note(params: QueueParameters | None, labels: Labels, tz: Any) -> str | None:
    """A word for a manager when T/W were not what the columns beside it show all period
    long (changed during it), or were never told by the server (protocol defaults)."""
    if params is None:
        return None
    if params.changed:
        steps = []
        for since, t, w in params.in_force:
            values = labels.format("param.values", t=f"{t:g}", w=f"{w:g}")
            if since is None:
                steps.append(labels.format("param.from_start", values=values))
            else:
                when = naive_local(since, tz)
                assert when is not None
                steps.append(labels.format("param.from", values=values, at=when.strftime("%Y-%m-%d %H:%M:%S")))
        return labels.format("param.changed", steps=labels["param.sep"].join(steps))
    if not params.told:
        return labels["param.default"]
    return None


def person(p: wire.Person | None) -> str | None:
    if p is None:
        return None
    return f"{p.name} ({p.id})" if p.name and p.name != p.id else p.id


def _code(labels: Labels, prefix: str, value: str | None) -> str | None:
    if value is None:
        return None
    return labels.get(f"{prefix}.{value}", value)


def add_target_rules(ws: Any, cell_range: str, first_cell: str, kind: str) -> None:
    """Green/red against the target; blanks (empty denominators) get no colour."""
    c = first_cell
    if kind == "service_level":
        good, bad = f"{c}>={SL_TARGET}", f"{c}<{SL_TARGET}"
    elif kind == "abandonment_rate":
        good, bad = f"{c}<={ABANDON_TARGET}", f"{c}>{ABANDON_TARGET}"
    elif kind == "csat":
        good, bad = f"{c}>={CSAT_TARGET}", f"{c}<{CSAT_TARGET}"
    else:
        raise ValueError(kind)
    ws.conditional_formatting.add(
        cell_range, FormulaRule(formula=[f"AND(ISNUMBER({c}),{good})"], fill=GOOD_FILL, font=GOOD_FONT)
    )
    ws.conditional_formatting.add(
        cell_range, FormulaRule(formula=[f"AND(ISNUMBER({c}),{bad})"], fill=BAD_FILL, font=BAD_FONT)
    )


def _figure_values(f: QueueFigures, spec: Sequence[tuple[str, str, float]]) -> list[Any]:
    return [getattr(f, name) for name, _, _ in spec]


def _target_rules_for(ws: Any, w: RowWriter, spec: Sequence[tuple[str, str, float]], last_row: int) -> None:
    if last_row < 2:
        return
    for name in ("service_level", "abandonment_rate", "csat"):
        if any(n == name for n, _, _ in spec):
            col = w.letter(name)
            add_target_rules(ws, f"{col}2:{col}{last_row}", f"{col}2", name)


def write_queues(ws: Any, data: ExportData, labels: Labels) -> int:
    """A row per queue with every queue figure of KPI.md, and the total row."""
    notes = {qid: parameter_note(data.report.parameters.get(qid), labels, data.tz) for qid in data.report.queues}
    cols = [Col("queue", "text", _text_width(data.report.queues, 10, 16)),
            Col("queue_name", "text", _text_width(
                [queue_display(q, data.report.parameters.get(q)) for q in data.report.queues], 10, 18)),
            Col("sla_seconds", "seconds", 6), Col("warn_seconds", "seconds", 6)]
    cols += [Col(name, kind, width) for name, kind, width in QUEUE_FIGURES]
    # a narrow column when no queue has a note (the usual case), a wrapped one otherwise
    cols.append(Col("sla_note", "text", SLA_NOTE_WIDTH, wrap=True) if any(notes.values())
                else Col("sla_note", "text", 8))
    w = RowWriter(ws, cols, [labels[f"col.{c.key}"] for c in cols], freeze="C2")
    for qid, fig in data.report.queues.items():
        params = data.report.parameters.get(qid)
        # T and W in force at the end of the period (each contact was measured against
        # the T in force at its outcome: KPI.md); the note says when they changed
        t = params.sla_seconds if params is not None else wire.DEFAULT_SLA_SECONDS
        warn = params.warn_seconds if params is not None else wire.DEFAULT_WARN_SECONDS
        w.append([qid, queue_display(qid, params), t, warn,
                  *_figure_values(fig, QUEUE_FIGURES), notes[qid]])
    last_data = w.rows
    w.append([labels["total"], labels["all_queues"], None, None,
              *_figure_values(data.report.total, QUEUE_FIGURES), None], total=True)
    _target_rules_for(ws, w, QUEUE_FIGURES, w.rows)
    # the filter covers the queue rows only, so sorting never moves the total
    last = get_column_letter(len(cols))
    ws.auto_filter.ref = f"A1:{last}{last_data}"
    return w.rows - 1


def _text_width(values: Any, least: float, most: float) -> float:
    """A text column as wide as its longest value (CJK counted double), within [least, most]."""
    longest = max((text_width(str(v)) for v in values), default=0)
    return min(most, max(least, longest + 1.5))


def interval_order(data: ExportData) -> list[Any]:
    """The engine's interval rows, all-queue block first (the charts read it), then per queue."""
    total = [r for r in data.intervals if r.queue is None]
    by_queue: dict[str, list[Any]] = {}
    for r in data.intervals:
        if r.queue is not None:
            by_queue.setdefault(r.queue, []).append(r)
    out = list(total)
    for rows in by_queue.values():
        out.extend(rows)
    return out


def interval_columns() -> list[Col]:
    cols = [Col("interval_start", "interval", 18.5), Col("queue", "text", 14), Col("queue_name", "text", 16)]
    cols += [Col(name, kind, width) for name, kind, width in INTERVAL_FIGURES]
    return cols


def write_intervals(ws: Any, data: ExportData, labels: Labels, tick: Tick) -> int:
    """Per interval per queue: offered, answered, abandoned, service level, ASA, AHT, max wait."""
    cols = interval_columns()
    w = RowWriter(ws, cols, [labels[f"col.{c.key}"] for c in cols], freeze="D2")
    tz = data.tz
    all_name = labels["all_queues"]
    n = 0
    for r in interval_order(data):
        qid = r.queue
        shown = all_name if qid is None else queue_display(qid, data.report.parameters.get(qid))
        w.append([naive_local(r.start, tz), qid if qid is not None else "*", shown,
                  *_figure_values(r.figures, INTERVAL_FIGURES)])
        n += 1
        if n % 2000 == 0:
            tick(2000)
    tick(n % 2000)
    _target_rules_for(ws, w, INTERVAL_FIGURES, w.rows)
    w.finish()
    return w.rows - 1


def agent_columns() -> list[Col]:
    cols = [Col("agent_id", "text", 12), Col("agent_name", "text", 12), Col("team", "text", 12),
            Col("handled", "count", 9), Col("aht_seconds", "duration", 12), Col("occupancy", "ratio", 10),
            Col("csat", "score", 9)]
    cols += [Col(f"state.{s}", "duration", 12) for s in REPORTED_STATES]
    return cols


def write_agents(ws: Any, data: ExportData, labels: Labels) -> int:
    """Handled, AHT, occupancy, CSAT and the time in each state of every agent."""
    cols = agent_columns()
    w = RowWriter(ws, cols, [labels[f"col.{c.key}"] for c in cols], freeze="B2")
    for aid, a in data.report.agents.items():
        # a state without time in the period is a real zero, not an unknown
        states = [a.state_seconds.get(s, 0.0) for s in REPORTED_STATES]
        w.append([aid, a.name or None, a.team or None, a.handled, a.aht_seconds, a.occupancy, a.csat, *states])
    if w.rows > 1:
        col = w.letter("csat")
        add_target_rules(ws, f"{col}2:{col}{w.rows}", f"{col}2", "csat")
    w.finish()
    return w.rows - 1


def escalation_columns() -> list[Col]:
    return [Col("escalation_id", "text", 14), Col("case_id", "text", 14), Col("department", "text", 16),
            Col("owner", "text", 18), Col("severity", "text", 9), Col("status", "text", 10),
            Col("opened_at", "datetime", 19), Col("due_at", "datetime", 19), Col("resolved_at", "datetime", 19),
            Col("on_time", "text", 7), Col("time_to_resolve", "duration", 13), Col("reassignments", "count", 9),
            Col("overdue", "text", 9), Col("summary", "text", 32, wrap=True)]


def write_escalations(ws: Any, data: ExportData, labels: Labels, tick: Tick) -> int:
    """Each escalation active in the period: who owns it, when due and resolved, on time."""
    cols = escalation_columns()
    w = RowWriter(ws, cols, [labels[f"col.{c.key}"] for c in cols], freeze="B2")
    tz = data.tz
    yes, no = labels["yes"], labels["no"]
    for e in data.escalations:
        w.append([
            e.escalation_id, e.case_id or None, e.department, person(e.owner),
            _code(labels, "severity", e.severity), _code(labels, "status", e.status),
            naive_local(e.opened_at, tz), naive_local(e.due_at, tz), naive_local(e.resolved_at, tz),
            None if e.on_time is None else (yes if e.on_time else no),
            e.time_to_resolve_seconds, e.reassignments,
            yes if e.overdue_open else None,
            mask_text(e.summary) if e.summary else None,
        ])
    tick(len(data.escalations))
    w.finish()
    return w.rows - 1


def breach_columns() -> list[Col]:
    return [Col("call_id", "text", 14), Col("queue", "text", 12), Col("channel", "text", 8),
            Col("customer_id", "text", 14), Col("customer_name", "text", 10), Col("customer_phone", "text", 14),
            Col("segment", "text", 8), Col("queued_at", "datetime", 19), Col("wait", "duration_ms", 13),
            Col("outcome", "text", 9), Col("agent", "text", 12), Col("case_id", "text", 14)]


def breach_row(r: Any, labels: Labels, tz: Any) -> list[Any]:
    """One breached contact, the customer masked (masking.py): never a full number."""
    cust = r.customer
    return [
        r.call_id, r.queue, _code(labels, "channel", r.channel),
        mask_text(cust.id) if cust is not None else None,
        mask_name(cust.name) if cust is not None and cust.name else None,
        mask_phone(cust.phone) if cust is not None and cust.phone else None,
        _code(labels, "segment", cust.segment) if cust is not None else None,
        naive_local(r.queued_at, tz), r.wait_seconds, _code(labels, "outcome", r.outcome),
        r.agent_id, r.case_id,
    ]


def write_breaches(ws: Any, data: ExportData, labels: Labels, tick: Tick,
                   cancelled: Callable[[], bool]) -> tuple[int, int]:
    """Each breached contact; returns (rows written, rows in the list) — Excel caps a sheet."""
    cols = breach_columns()
    w = RowWriter(ws, cols, [labels[f"col.{c.key}"] for c in cols], freeze="B2")
    tz = data.tz
    room = w.room()
    n = 0
    for r in data.breaches[:room]:
        w.append(breach_row(r, labels, tz))
        n += 1
        if n % 5000 == 0:
            tick(5000)
            if cancelled():
                break
    tick(n % 5000)
    w.finish()
    return n, len(data.breaches)


def write_audit(ws: Any, data: ExportData, labels: Labels) -> int:
    """The reassignments of the period: who moved which escalation, from whom, to whom, why.

    They come from the journal (the server's ``escalation.reassigned`` broadcasts as this
    desktop recorded them); the sheet says so, and that the server's audit trail, which
    also holds every reveal of customer data, is the record of truth (issue 9)."""
    cols = [Col("at", "datetime", 19), Col("escalation_id", "text", 14), Col("department", "text", 16),
            Col("by", "text", 18), Col("from_owner", "text", 18), Col("to_owner", "text", 18),
            Col("reason", "text", 32, wrap=True)]
    # which record this is: the journal's copy of the server's broadcasts, not the audit of truth
    w = RowWriter(ws, cols, [labels[f"col.{c.key}"] for c in cols], freeze="B2", note=labels["audit_note"])
    for r in data.reassignments:
        w.append([naive_local(r.at, data.tz), r.escalation_id, r.department or None, person(r.by),
                  person(r.from_owner), person(r.to_owner), mask_text(r.reason) if r.reason else None])
    w.finish()
    return w.rows - 1

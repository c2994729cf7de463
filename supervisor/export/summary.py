"""The Summary sheet: period, timezone, the service-level formula in words, T/W/S, the
headline figures against their targets, and the native Excel charts by interval."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font

from supervisor import wire
from supervisor.export.cells import (
    COUNT,
    DATETIME,
    DURATION,
    HEADER_FILL,
    HEADER_FONT,
    PERCENT,
    SCORE,
    duration_value,
    fit_to_width,
    naive_local,
)
from supervisor.export.data import ExportData
from supervisor.export.labels import Labels
from supervisor.export.tables import (
    ABANDON_TARGET,
    CSAT_TARGET,
    SL_TARGET,
    add_target_rules,
    interval_columns,
)

# Headline queue figures: (key in KPI.md JSON, kind, target kind or None)
HEADLINE: tuple[tuple[str, str, str | None], ...] = (
    ("offered", "count", None),
    ("answered", "count", None),
    ("abandoned", "count", None),
    ("short_abandoned", "count", None),
    ("waiting", "count", None),
    ("outcome_unknown", "count", None),
    ("answered_within_sla", "count", None),
    ("service_level", "ratio", "service_level"),
    ("abandonment_rate", "ratio", "abandonment_rate"),
    ("asa_seconds", "duration", None),
    ("max_wait_seconds", "duration", None),
    ("aht_seconds", "duration", None),
    ("sla_breaches", "count", None),
    ("csat", "score", "csat"),
    ("csat_top2_share", "ratio", None),
)

ESCALATION_HEADLINE: tuple[tuple[str, str], ...] = (
    ("opened", "count"),
    ("resolved", "count"),
    ("resolved_on_time", "count"),
    ("on_time_rate", "ratio"),
    ("overdue_open", "count"),
    ("mean_time_to_resolve_seconds", "duration"),
    ("reassignments", "count"),
)

_FMT = {"count": COUNT, "ratio": PERCENT, "duration": DURATION, "score": SCORE}

# Where the headline table starts, so tests and charts can find it
LABEL_COL = "A"
VALUE_COL = "B"


def tz_name(tz: Any, at: datetime) -> str:
    """UTC+08:00 (with the zone's own name when it has one, e.g. CST)."""
    offset = at.astimezone(tz).strftime("%z")
    text = f"UTC{offset[:3]}:{offset[3:]}"
    name = at.astimezone(tz).tzname()
    if name and not name.startswith("UTC"):
        text += f" ({name})"
    return text


def _param(values: set[float]) -> float | None:
    return next(iter(values)) if len(values) == 1 else None


class SummaryWriter:
    """Writes the summary rows (write-only: top to bottom) and remembers where each figure went."""

    def __init__(self, ws: Any, labels: Labels) -> None:
        self.ws = ws
        self.labels = labels
        self.row = 0
        self.cells: dict[str, str] = {}  # figure key -> cell coordinate
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 40
        ws.column_dimensions["C"].width = 12
        ws.sheet_view.showGridLines = False
        fit_to_width(ws)

    def _cell(self, value: Any, fmt: str | None = None, font: Font | None = None) -> Cell:
        c = Cell(self.ws, 1, 1, value)
        if fmt is not None:
            c.number_format = fmt
        if font is not None:
            c.font = font
        return c

    def line(self, *values: Any) -> None:
        self.ws.append(list(values))
        self.row += 1

    def pair(self, key: str, value: Any, fmt: str | None = None) -> None:
        cell = self._cell(value, fmt)
        cell.alignment = Alignment(horizontal="left")  # long text overflows into the empty columns
        self.line(self._cell(self.labels[key], font=Font(bold=True)), cell)

    def header(self, *keys: str) -> None:
        cells = []
        for k in keys:
            c = self._cell(self.labels[k], font=HEADER_FONT)
            c.fill = HEADER_FILL
            cells.append(c)
        self.line(*cells)

    def figure(self, key: str, label: str, value: Any, kind: str, target: str | None) -> None:
        if kind == "duration":
            value = duration_value(value)
        cell = self._cell(value, _FMT[kind]) if value is not None else None
        self.line(self._cell(label), cell, target)
        self.cells[key] = f"{VALUE_COL}{self.row}"


def _target_text(kind: str | None) -> str | None:
    if kind == "service_level":
        return f"≥ {SL_TARGET:.0%}"
    if kind == "abandonment_rate":
        return f"≤ {ABANDON_TARGET:.0%}"
    if kind == "csat":
        return f"≥ {CSAT_TARGET:.1f}"
    return None


def write_summary(ws: Any, data: ExportData, labels: Labels, generated: datetime, *,
                  truncated: list[tuple[str, int, int]] | None = None) -> dict[str, str]:
    """Write the summary; returns figure key → cell (``esc.`` prefix for escalations)."""
    s = SummaryWriter(ws, labels)
    r = data.report
    tz = data.tz
    s.line(s._cell(labels["title"], font=Font(bold=True, size=16)))
    s.line()
    s.pair("period.from", naive_local(r.start, tz), DATETIME)
    s.pair("period.to", naive_local(r.end, tz), DATETIME)
    s.pair("timezone", f"{tz_name(tz, r.start)} — {labels['timezone.note']}")
    s.pair("data_until", naive_local(r.server_now, tz), DATETIME)
    s.pair("generated", naive_local(generated, tz), DATETIME)
    s.pair("formula", labels[f"formula.{r.formula}"])
    # T and W in force at the end of the period: one number when every queue had the
    # same values all period long, else a pointer to the Queues sheet, which has them all
    params = [r.parameters.get(q) for q in r.queues]
    changed = any(p is not None and p.changed for p in params)
    t_values = {p.sla_seconds if p else wire.DEFAULT_SLA_SECONDS for p in params}
    w_values = {p.warn_seconds if p else wire.DEFAULT_WARN_SECONDS for p in params}
    t = _param(t_values) if params else wire.DEFAULT_SLA_SECONDS
    w = _param(w_values) if params else wire.DEFAULT_WARN_SECONDS
    varies = labels["param.T.changed"] if changed else labels["param.T.varies"]
    if changed:
        t = w = None
    s.pair("param.T", t if t is not None else varies, "0" if t is not None else None)
    s.pair("param.W", w if w is not None else varies, "0" if w is not None else None)
    s.pair("param.S", r.short_abandon_s, "0.#")
    s.pair("param.interval", data.interval_minutes, "0")
    s.pair("filter.queues", ", ".join(data.queue_filter) if data.queue_filter is not None else labels["filter.none"])
    s.pair("filter.teams", ", ".join(data.team_filter) if data.team_filter is not None else labels["filter.none"])
    s.line()
    s.header("headline", "value", "target")
    total = r.total
    for key, kind, target in HEADLINE:
        s.figure(key, labels[f"col.{key}"], getattr(total, key), kind, _target_text(target))
        if target is not None:
            cell = s.cells[key]
            add_target_rules(ws, cell, cell, target)
    esc = r.escalations
    for key, kind in ESCALATION_HEADLINE:
        s.figure(f"esc.{key}", labels[f"esc.{key}"], getattr(esc, key), kind, None)
    s.line()
    s.line(s._cell(labels["empty_note"]))
    s.line(s._cell(labels["masking_note"]))
    for sheet, n, total_rows in truncated or ():
        s.line(s._cell(labels.format("truncated_note", sheet=sheet, n=n, total=total_rows), font=Font(color="9C0006")))
    ws.freeze_panes = None
    return s.cells


def add_charts(summary_ws: Any, intervals_ws: Any, n_total_rows: int, labels: Labels) -> None:
    """Service level and volume by interval (all queues) as native Excel charts.

    They read the all-queue block at the top of the Intervals sheet (rows 2..n+1).
    """
    if n_total_rows <= 0:
        return
    cols = [c.key for c in interval_columns()]
    first, last = 1, n_total_rows + 1  # header row gives the series titles
    cat = Reference(intervals_ws, min_col=cols.index("interval_start") + 1, min_row=2, max_row=last)

    sl = LineChart()
    sl.title = labels["chart.service_level"]
    sl.height, sl.width = 8, 22
    sl_col = cols.index("service_level") + 1
    sl.add_data(Reference(intervals_ws, min_col=sl_col, min_row=first, max_row=last), titles_from_data=True)
    sl.set_categories(cat)
    for series in sl.series:
        # markers: an interval between two empty ones (no calls) is still visible
        series.marker.symbol = "circle"
        series.marker.size = 4
        series.smooth = False
    sl.display_blanks = "gap"
    sl.y_axis.number_format = "0%"
    sl.y_axis.scaling.min = 0
    sl.y_axis.scaling.max = 1
    _axes(sl)
    summary_ws.add_chart(sl, "E3")

    vol = BarChart()
    vol.type = "col"
    vol.grouping = "clustered"
    vol.title = labels["chart.volume"]
    vol.height, vol.width = 8, 22
    c0 = cols.index("offered") + 1
    vol.add_data(Reference(intervals_ws, min_col=c0, max_col=c0 + 2, min_row=first, max_row=last),
                 titles_from_data=True)
    vol.set_categories(cat)
    _axes(vol)
    summary_ws.add_chart(vol, "E21")


def _axes(chart: Any) -> None:
    # openpyxl >= 3.1 leaves axes "deleted" unless told otherwise; Excel then hides them
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.number_format = "mm-dd hh:mm"
    chart.x_axis.auto = False  # a text axis: a date axis would lump 30-minute intervals into days
    chart.legend.position = "b"

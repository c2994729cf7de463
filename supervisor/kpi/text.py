"""The readable form of a ``KpiReport``: aligned tables for people (``command-center kpi``).

Durations as m:ss (h:mm:ss from an hour on), ratios as percents with one decimal, "—"
for a ratio or mean with an empty denominator. Column widths count East Asian wide
characters as two, so Chinese names stay aligned in a terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from supervisor.kpi.report import KpiReport, QueueFigures, rfc3339
from supervisor.timeutil import format_duration

DASH = "—"

QUEUE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("offered", "offered"),
    ("answered", "answered"),
    ("abandoned", "abandoned"),
    ("short_abandoned", "short"),
    ("waiting", "waiting"),
    ("outcome_unknown", "unknown"),
    ("answered_within_sla", "within T"),
    ("service_level", "SL"),
    ("abandonment_rate", "abandon"),
    ("asa_seconds", "ASA"),
    ("max_wait_seconds", "max wait"),
    ("aht_seconds", "AHT"),
    ("sla_breaches", "breaches"),
    ("csat", "CSAT"),
    ("csat_top2_share", "CSAT 4-5"),
)
_RATIOS = frozenset({"service_level", "abandonment_rate", "csat_top2_share", "occupancy", "on_time_rate"})
_DURATIONS = frozenset({
    "asa_seconds", "max_wait_seconds", "aht_seconds", "mean_time_to_resolve_seconds",
})


def width(text: str) -> int:
    """Terminal columns of ``text`` (wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def percent(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f}%"


def cell(key: str, value: object) -> str:
    """One figure as text: percent, m:ss, a score with two decimals, or a count."""
    if value is None:
        return DASH
    if key in _RATIOS:
        return percent(value)  # type: ignore[arg-type]
    if key in _DURATIONS or key.startswith("state:"):
        return format_duration(value)  # type: ignore[arg-type]
    if key == "csat":
        return f"{value:.2f}"
    return str(value)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, label_column: bool = True) -> list[str]:
    """Right-aligned figures two spaces apart; the first column left-aligned when it labels rows."""
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        parts = []
        for i, text in enumerate(r):
            pad = " " * (widths[i] - width(text))
            parts.append(text + pad if i == 0 and label_column else pad + text)
        lines.append("  ".join(parts).rstrip())
    return lines


def _queue_row(name: str, q: QueueFigures) -> list[str]:
    return [name, *(cell(key, getattr(q, key)) for key, _ in QUEUE_COLUMNS)]


def _seconds(value: float) -> str:
    return f"{value:g}"


def _queue_label(report: KpiReport, queue: str) -> str:
    """The queue's id, with the server's name when it differs."""
    params = report.parameters.get(queue)
    if params is not None and params.name and params.name != queue:
        return f"{queue} {params.name}"
    return queue


def _parameter_lines(report: KpiReport) -> list[str]:
    """T and W of each queue in force at the end of the period, and any change during it."""
    rows = []
    for queue in report.queues:
        p = report.parameters.get(queue)
        if p is None:
            continue
        note = "" if p.told else "protocol default (the server never said)"
        if p.changed:
            steps = ", ".join(
                f"T={_seconds(t)} W={_seconds(w)}"
                + (f" from {rfc3339(since)}" if since is not None else " at the start")
                for since, t, w in p.in_force
            )
            note = f"changed during the period: {steps}"
        rows.append([_queue_label(report, queue), _seconds(p.sla_seconds), _seconds(p.warn_seconds), note])
    if not rows:
        return []
    return ["", "Queue parameters (in force at the end of the period; each contact is measured "
            "against T in force at its outcome)", *table(["queue", "T (s)", "W (s)", ""], rows)]


def render(
    report: KpiReport,
    *,
    missing_events: int = 0,
    anomalies: Mapping[str, int] | None = None,
) -> str:
    """The whole report as text: queues with their total, agents, escalations, and a word
    on the events the figures could not see (missing from the journal, anomalies)."""
    lines = [
        f"Period {rfc3339(report.start)} to {rfc3339(report.end)}",
        f"Service level formula: {report.formula}"
        + (f"   (as of server time {rfc3339(report.server_now)})" if report.server_now else ""),
    ]
    if missing_events:
        lines.append(
            f"Missing events: {missing_events} event(s) of the stream are not in the journal "
            "(lost in a gap); figures may be incomplete."
        )
    if anomalies and sum(anomalies.values()):
        lines.append(
            "Anomalies: " + "; ".join(f"{reason}: {n}" for reason, n in sorted(anomalies.items()) if n)
        )
    lines += ["", "Queues"]
    rows = [_queue_row(_queue_label(report, name), q) for name, q in report.queues.items()]
    rows.append(_queue_row("TOTAL", report.total))
    lines += table(["queue", *(label for _, label in QUEUE_COLUMNS)], rows)
    lines += _parameter_lines(report)

    lines += ["", "Agents"]
    if report.agents:
        states = [
            s for s in ("available", "ringing", "on_call", "wrap_up", "break", "meeting", "training")
            if any(s in a.state_seconds for a in report.agents.values())
        ]
        agent_rows = []
        for agent_id, a in report.agents.items():
            label = f"{agent_id} {a.name}".strip() if a.name and a.name != agent_id else agent_id
            agent_rows.append([
                label, a.team or DASH, str(a.handled), cell("aht_seconds", a.aht_seconds),
                percent(a.occupancy), cell("csat", a.csat),
                *(format_duration(a.state_seconds.get(s, 0.0)) for s in states),
            ])
        lines += table(["agent", "team", "handled", "AHT", "occupancy", "CSAT", *states], agent_rows)
    else:
        lines.append("(no agent activity in the period)")

    e = report.escalations
    lines += ["", "Escalations"]
    lines += table(
        ["opened", "resolved", "on time", "on-time rate", "overdue open", "mean time to resolve",
         "reassignments"],
        [[str(e.opened), str(e.resolved), str(e.resolved_on_time), percent(e.on_time_rate),
          str(e.overdue_open), format_duration(e.mean_time_to_resolve_seconds), str(e.reassignments)]],
        label_column=False,
    )
    return "\n".join(lines)

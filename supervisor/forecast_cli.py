"""``command-center forecast --db DB --at T [--json]`` (CLI.md; issue "live forecast").

Reads the journal's events before T only (``Store.iter_events(until=T)``) into the KPI
engine, maps its facts onto the samples of ``supervisor.forecast.estimate`` (the agents'
skills, which the engine does not keep, are taken from the same events), and prints per
queue the estimates and the Erlang A prediction for the next 30 minutes: one JSON object
with ``--json``, else a table saying what each figure came from.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from supervisor import timeutil, wire
from supervisor.errors import CommandCenterError, UsageError
from supervisor.forecast.estimate import (
    DEFAULT_TARGET,
    WEEK_SECONDS,
    WINDOW_SECONDS,
    AgentSample,
    ContactSample,
    QueueForecast,
    estimate,
    forecast,
)
from supervisor.kpi import KpiBuilder
from supervisor.kpi.facts import seconds
from supervisor.kpi.period import FALLBACK_TZ


def _parse_at(text: str, tz: Any) -> datetime:
    try:
        return timeutil.parse_bound(text, tz)
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None


class _Skills:
    """The skills of each agent as the latest agent record before T told them."""

    def __init__(self) -> None:
        self.skills: dict[str, tuple[str, ...]] = {}
        self.first_ts: datetime | None = None
        self.week_seen = False

    def watch(self, events: Iterator[wire.Event], week: tuple[datetime, datetime]) -> Iterator[wire.Event]:
        for event in events:
            if self.first_ts is None or event.ts < self.first_ts:
                self.first_ts = event.ts
            if week[0] <= event.ts < week[1]:
                self.week_seen = True
            if isinstance(event, wire.AgentStateChanged):
                self.skills[event.data.agent.agent_id] = tuple(event.data.agent.skills)
            elif isinstance(event, wire.Snapshot):
                for agent in event.data.agents:
                    self.skills[agent.agent_id] = tuple(agent.skills)
            yield event


def compute(url: str, at_text: str, target: float = DEFAULT_TARGET) -> tuple[datetime, dict[str, QueueForecast]]:
    """The forecast of every queue the journal knows, from its events before ``at``."""
    from supervisor.store import db_reason, open_journal

    try:
        timeutil.parse_bound(at_text, FALLBACK_TZ)
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None
    store = open_journal(url)
    try:
        tz = store.center_tz() or FALLBACK_TZ
        at = _parse_at(at_text, tz)
        week = (at - timedelta(seconds=WEEK_SECONDS), at - timedelta(seconds=WEEK_SECONDS - WINDOW_SECONDS))
        builder = KpiBuilder()
        watcher = _Skills()
        builder.feed_many(watcher.watch(store.iter_events(until=at), week))
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot read the journal database: {db_reason(exc)}") from None
    finally:
        store.close()
    facts = builder.facts
    at_s = at.timestamp()
    at_us = round(at_s * 1_000_000)
    contacts = [
        ContactSample(
            queue=c.queue, queued=seconds(c.queued_us), outcome=c.outcome,
            left=seconds(c.outcome_us) if c.outcome_us is not None else None,
            ended=seconds(c.ended_us) if c.ended_us is not None else None,
            handle=seconds(c.handle_us) if c.handle_us is not None else None,
        )
        for c in facts.contacts.values()
        if c.queue is not None and c.queued_us is not None
    ]
    agents = [AgentSample(a.agent_id, a.state, watcher.skills.get(a.agent_id, ())) for a in facts.agents.values()]
    queues = list(facts.queue_order) or list(facts.queues)
    sla = {q: seconds(facts.sla_us_at(q, at_us)) for q in queues}
    week_covered = watcher.first_ts is not None and watcher.first_ts <= week[0] and watcher.week_seen
    inputs = estimate(at_s, queues, contacts, agents, sla, week_covered=week_covered)
    return at, {q: forecast(i, target) for q, i in inputs.items()}


def to_json(at: datetime, forecasts: dict[str, QueueForecast]) -> dict[str, Any]:
    return {"at": timeutil.fmt(at), "queues": {q: f.to_json() for q, f in forecasts.items()}}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None, fmt: str = "{:.1f}") -> str:
    return "—" if x is None else fmt.format(x)


def render(at: datetime, forecasts: dict[str, QueueForecast]) -> str:
    lines = [f"forecast at {timeutil.fmt(at)} for the next 30 minutes (Erlang A, from the journal before it)"]
    if not forecasts:
        lines.append("no queue in the journal")
    for q, f in forecasts.items():
        i, r = f.inputs, f.result
        lines.append("")
        lines.append(f"{q}  (T = {i.sla_seconds:g} s, target {_pct(f.target_service_level)})")
        week = "" if i.week_contacts is None else f", blended half and half with {i.week_contacts} in the same 30 min a week ago"
        lines.append(f"  arrivals/h   {_num(i.arrivals_per_hour)}   ({i.recent_contacts} queued in the last 30 min{week})")
        lines.append(f"  handle       {_num(i.mean_handle_seconds)} s   (mean of {i.handle_samples} calls ended in the last hour)")
        patience = "no abandonment seen: none modelled" if i.patience_seconds is None else f"{i.patience_seconds:.1f} s"
        lines.append(f"  patience     {patience}   ({i.abandons} abandoned ÷ {i.waiting_seconds:.0f} s waited in the last hour)")
        lines.append(f"  agents       {i.agents}   (staffed with the skill; shared agents split by load: {i.agent_share:.2f})")
        if r is None:
            lines.append(f"  not enough data: {i.recent_contacts} contacts in the last 30 min (at least 20 needed)"
                         + ("" if i.mean_handle_seconds is not None else ", no handle time in the last hour"))
            continue
        lines.append(f"  service level {_pct(r.service_level)}   abandonment {_pct(r.prob_abandon)}   "
                     f"ASA {_num(r.asa if r.asa != float('inf') else None)} s   "
                     f"agents needed {'—' if f.agents_needed is None else f.agents_needed}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    at, forecasts = compute(args.db, args.at)
    if args.json:
        sys.stdout.write(json.dumps(to_json(at, forecasts), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(at, forecasts) + "\n")
    return 0

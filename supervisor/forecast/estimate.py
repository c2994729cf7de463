"""Live estimates per queue from what the journal told before a moment, and the forecast.

Pure functions over plain samples (``ContactSample``, ``AgentSample``): the CLI
(``supervisor.forecast_cli``) and the desktop map their facts onto them. Times are epoch
seconds; ``at`` is the moment of the forecast and nothing at or after it is used.

The inputs, per queue (each kept with the counts it came from, so a supervisor can see why):

* λ, arrivals per hour: contacts first queued in ``[at − 30 min, at)``, × 2. When the
  journal covers the interval being forecast a week earlier (``[at − 7 d, at − 7 d + 30 min)``:
  it has events in it and began before it), that count × 2 is averaged with it,
  half and half: the recent rate says how busy the floor is, last week's same
  interval where the day is going.
* μ, 1 / mean handle (talk + wrap-up, KPI.md) of the calls that ended in the last hour.
* θ, abandonments ÷ total time spent waiting, over contacts that left the queue (answered
  or abandoned) in the last hour, plus the wait so far of those still waiting at ``at``
  (censored observations: this is the maximum-likelihood rate of an exponential patience).
  No abandonment seen: θ = 0 (Erlang C) and ``patience_seconds`` is None (no limit seen);
  the patience is never taken below 1 s.
* n, agents staffed at ``at`` (available, ringing, on call or in wrap-up) who have the
  queue's skill. An agent with several skills among the forecast queues is shared between
  them in proportion to each queue's offered load λ/μ (equal shares when no load is
  known); an agent who lists no skills is counted as able to take every queue. Each
  queue's shares are summed and rounded to the nearest whole agent.
* Too thin to forecast (``enough_data`` False, every number None): fewer than
  ``MIN_CONTACTS`` (20) contacts queued in the last 30 minutes, or no handle time in the
  last hour.

The forecast for the next 30 minutes is the stationary Erlang A of those inputs (the
floor as it is now, held for half an hour), with the queue's T in force at ``at``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from supervisor.forecast.erlang import ErlangResult, agents_needed, erlang_a

WINDOW_SECONDS = 1800.0  # λ: the last 30 minutes; the forecast horizon
HISTORY_SECONDS = 3600.0  # μ and θ: the last hour
WEEK_SECONDS = 7 * 86400.0
MIN_CONTACTS = 20
DEFAULT_TARGET = 0.8
STAFFED = frozenset({"available", "ringing", "on_call", "wrap_up"})


@dataclass(frozen=True, slots=True)
class ContactSample:
    queue: str
    queued: float  # first queued_at
    outcome: str  # answered | abandoned | waiting | unknown
    left: float | None = None  # answered or abandoned at
    ended: float | None = None  # call ended at
    handle: float | None = None  # talk + wrap-up, seconds


@dataclass(frozen=True, slots=True)
class AgentSample:
    agent_id: str
    state: str | None
    skills: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueueInputs:
    queue: str
    at: float
    sla_seconds: float
    recent_contacts: int  # queued in the last 30 minutes
    week_contacts: int | None  # queued in the forecast interval a week ago (None: not journaled)
    arrivals_per_hour: float
    handle_samples: int
    mean_handle_seconds: float | None
    abandons: int
    waiting_seconds: float  # total time spent waiting behind θ
    patience_seconds: float | None  # 1/θ; None: no abandonment seen (θ = 0)
    agent_share: float  # staffed agents with the skill, multi-skilled ones shared
    agents: int
    enough_data: bool


@dataclass(frozen=True, slots=True)
class QueueForecast:
    inputs: QueueInputs
    target_service_level: float
    result: ErlangResult | None  # None when the data is too thin
    agents_needed: int | None

    def to_json(self) -> dict[str, object]:
        """The issue's object for one queue: numbers are the model's, unrounded; None
        (null) for each number when the data is too thin, or an infinite wait."""
        i, r = self.inputs, self.result
        sla: float | int = int(i.sla_seconds) if float(i.sla_seconds).is_integer() else i.sla_seconds
        if r is None:
            return {"arrivals_per_hour": None, "mean_handle_seconds": None, "patience_seconds": None,
                    "agents": None, "sla_seconds": sla, "target_service_level": self.target_service_level,
                    "service_level": None, "abandonment_rate": None, "asa_seconds": None,
                    "agents_needed": None, "enough_data": False}
        return {
            "arrivals_per_hour": i.arrivals_per_hour, "mean_handle_seconds": i.mean_handle_seconds,
            "patience_seconds": i.patience_seconds, "agents": i.agents, "sla_seconds": sla,
            "target_service_level": self.target_service_level, "service_level": r.service_level,
            "abandonment_rate": r.prob_abandon, "asa_seconds": _finite(r.asa),
            "agents_needed": self.agents_needed, "enough_data": True,
        }


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5 + 1e-9))


def agent_share(skills: Iterable[str], queues: list[str], load: Mapping[str, float]) -> dict[str, float]:
    """How much of one agent each forecast queue gets: the agent's skills among ``queues``
    (every queue when the agent lists no skills), split in proportion to each queue's
    offered load λ/μ (``load``; equal parts when none is known). Sums to 1, or {} when
    the agent has none of the queues' skills."""
    listed = tuple(skills)
    skilled = list(dict.fromkeys(q for q in listed if q in load)) if listed else list(queues)
    if not skilled:
        return {}
    total = sum(load.get(q, 0.0) for q in skilled)
    return {q: (load.get(q, 0.0) / total if total > 0 else 1.0 / len(skilled)) for q in skilled}


def estimate(
    at: float,
    queues: Iterable[str],
    contacts: Iterable[ContactSample],
    agents: Iterable[AgentSample],
    sla_seconds: Mapping[str, float],
    *,
    week_covered: bool = False,
) -> dict[str, QueueInputs]:
    """The inputs of every queue in ``queues`` at ``at`` (see the module doc).
    ``week_covered``: the journal holds the forecast interval a week ago."""
    names = list(dict.fromkeys(queues))
    recent = dict.fromkeys(names, 0)
    week = dict.fromkeys(names, 0)
    handles: dict[str, list[float]] = {q: [] for q in names}
    abandons = dict.fromkeys(names, 0)
    waited = dict.fromkeys(names, 0.0)
    w_start, w_end = at - WEEK_SECONDS, at - WEEK_SECONDS + WINDOW_SECONDS
    for c in contacts:
        q = c.queue
        if q not in recent:
            continue
        if at - WINDOW_SECONDS <= c.queued < at:
            recent[q] += 1
        if w_start <= c.queued < w_end:
            week[q] += 1
        if c.handle is not None and c.ended is not None and at - HISTORY_SECONDS <= c.ended < at:
            handles[q].append(c.handle)
        if c.outcome in ("answered", "abandoned") and c.left is not None and c.left < at:
            if at - HISTORY_SECONDS <= c.left:
                waited[q] += max(0.0, c.left - c.queued)
                abandons[q] += c.outcome == "abandoned"
        elif c.outcome == "waiting" and c.queued < at:
            waited[q] += at - max(c.queued, at - HISTORY_SECONDS)

    rate: dict[str, float] = {}
    handle_mean: dict[str, float | None] = {}
    for q in names:
        per_hour = recent[q] * 3600.0 / WINDOW_SECONDS
        if week_covered:
            per_hour = 0.5 * per_hour + 0.5 * week[q] * 3600.0 / WINDOW_SECONDS
        rate[q] = per_hour
        handle_mean[q] = sum(handles[q]) / len(handles[q]) if handles[q] else None

    load = {q: rate[q] * (handle_mean[q] or 0.0) for q in names}
    share = dict.fromkeys(names, 0.0)
    for a in agents:
        if a.state not in STAFFED:
            continue
        for q, part in agent_share(a.skills, names, load).items():
            share[q] += part

    out: dict[str, QueueInputs] = {}
    for q in names:
        enough = recent[q] >= MIN_CONTACTS and handle_mean[q] is not None
        patience = max(waited[q] / abandons[q], 1.0) if abandons[q] else None
        out[q] = QueueInputs(
            queue=q, at=at, sla_seconds=float(sla_seconds.get(q, 900.0)), recent_contacts=recent[q],
            week_contacts=week[q] if week_covered else None, arrivals_per_hour=rate[q],
            handle_samples=len(handles[q]), mean_handle_seconds=handle_mean[q], abandons=abandons[q],
            waiting_seconds=waited[q], patience_seconds=patience, agent_share=share[q],
            agents=_round_half_up(share[q]), enough_data=enough,
        )
    return out


def forecast(inputs: QueueInputs, target: float = DEFAULT_TARGET) -> QueueForecast:
    """Erlang A of the printed inputs (λ = arrivals_per_hour/3600, μ = 1/mean_handle_seconds,
    θ = 1/patience_seconds or 0) for the queue's T, and the fewest agents reaching ``target``."""
    if not inputs.enough_data or inputs.mean_handle_seconds is None or inputs.mean_handle_seconds <= 0:
        return QueueForecast(inputs, target, None, None)
    lam = inputs.arrivals_per_hour / 3600.0
    mu = 1.0 / inputs.mean_handle_seconds
    theta = 1.0 / inputs.patience_seconds if inputs.patience_seconds else 0.0
    result = erlang_a(lam, mu, theta, inputs.agents, inputs.sla_seconds)
    needed = agents_needed(lam, mu, theta, inputs.sla_seconds, target)
    return QueueForecast(inputs, target, result, needed)

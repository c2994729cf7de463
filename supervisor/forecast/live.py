"""The live forecast of the desktop: per queue the next 30 minutes, what to do about it,
and the rates behind each waiting contact's breach risk. Pure (no Qt, no I/O, no clock):
the desktop's feed thread maps its facts onto plain samples and calls ``outlook``.

* ``SampleCache`` keeps the contacts of the last hour and a half as ``ContactSample``
  by call id, refreshed from whatever the caller harvests (the desktop's KPI builder
  folds settled contacts away after a few minutes; the forecast needs an hour of them).
* ``outlook`` runs ``estimate`` and ``forecast`` (the same rules as
  ``command-center forecast``), and says when the inputs are too thin to forecast: fewer
  than 20 contacts in the last 30 minutes, no handle time in the last hour, or less than
  30 minutes of the day observed (a desktop started at 08:10 does not know 07:40–08:10:
  its arrival rate would be a third of the truth).
* For a queue forecast below its target: the extra agents needed (the fewest agents
  reaching the target, minus those counted now), and "who should come back": the agents
  on break, in a meeting or in training who have the queue's skill, ranked greedily —
  at each step the one whose return lifts the forecast most (ties: the larger share of
  the agent this queue gets, then a break before a meeting before training — a break is
  meant to end, the others are planned work — then the longest away) — each with the service level once
  they and everyone above them are back. An agent with several skills brings this queue
  the share the estimate would count for them (split by offered load), so the list says
  what calling them back really buys here: a part of an agent lifts the level in
  proportion between the whole numbers of agents around it (from the agents the forecast
  counts). Up to ``MAX_COMEBACKS`` are ranked; those up
  to the one that reaches the target are marked ``needed`` (the others are the next
  choices, should one of them not be able to come).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from supervisor.forecast.erlang import ModelError, erlang_a
from supervisor.forecast.estimate import (
    DEFAULT_TARGET,
    HISTORY_SECONDS,
    MIN_CONTACTS,
    WINDOW_SECONDS,
    AgentSample,
    ContactSample,
    QueueForecast,
    QueueInputs,
    agent_share,
    estimate,
    forecast,
)

AWAY_STATES = ("break", "meeting", "training")  # who could come back
KEEP_SECONDS = HISTORY_SECONDS + WINDOW_SECONDS  # samples older than this are of no use
MAX_COMEBACKS = 8  # listed per queue at most

# why a queue has no forecast (the screens word them)
FEW_CONTACTS = "few_contacts"
NO_HANDLE = "no_handle"
SHORT_HISTORY = "short_history"


@dataclass(frozen=True, slots=True)
class AwayAgent:
    """An agent off the phones who has skills (break / meeting / training)."""

    agent_id: str
    name: str
    state: str
    since: float  # epoch seconds the state began
    skills: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Comeback:
    """One agent who could come back to a queue, in rank order."""

    agent_id: str
    name: str
    state: str
    since: float
    share: float  # of this agent the queue would get (1.0: single-skilled)
    agents: float  # the queue's agents once this one and those ranked above are back (shares add)
    service_level: float  # the forecast then
    gain: float  # service level added by this agent (after those above)
    needed: bool  # among the fewest of the ranking who bring the queue to its target


@dataclass(frozen=True, slots=True)
class QueueOutlook:
    forecast: QueueForecast
    thin: tuple[str, ...] = ()  # FEW_CONTACTS / NO_HANDLE / SHORT_HISTORY; () when forecast
    extra_agents: int | None = None  # agents_needed − agents now (≥ 0); None without a forecast
    comebacks: tuple[Comeback, ...] = ()  # ranked; empty unless below target
    away_with_skill: int = 0  # agents away with the skill (the comebacks are among them)

    @property
    def inputs(self) -> QueueInputs:
        return self.forecast.inputs

    @property
    def service_level(self) -> float | None:
        r = self.forecast.result
        return None if r is None else r.service_level

    @property
    def below_target(self) -> bool:
        sl = self.service_level
        return sl is not None and sl < self.forecast.target_service_level

    def rates(self) -> tuple[float, float, int] | None:
        """(μ, θ, n) per second of the forecast, for a waiting contact's breach risk; None
        when there is no forecast."""
        r = self.forecast.result
        if r is None:
            return None
        return r.service_rate, r.patience_rate, r.agents


@dataclass(frozen=True, slots=True)
class LiveOutlook:
    at: float  # server time of the forecast (epoch seconds); nothing at or after it used
    observed_since: float | None  # the first moment the desktop's facts cover
    week_covered: bool
    queues: dict[str, QueueOutlook] = field(default_factory=dict)

    @property
    def horizon(self) -> float:
        """The end of the forecast's half hour."""
        return self.at + WINDOW_SECONDS

    def worst(self) -> tuple[str, QueueOutlook] | None:
        """The queue furthest below its target, if any is."""
        below = [(q, o) for q, o in self.queues.items() if o.below_target]
        if not below:
            return None
        return min(below, key=lambda qo: (qo[1].service_level or 0.0) - qo[1].forecast.target_service_level)


class SampleCache:
    """Contacts of the last ``KEEP_SECONDS`` by call id, as last harvested."""

    def __init__(self) -> None:
        self.samples: dict[str, ContactSample] = {}

    def __len__(self) -> int:
        return len(self.samples)

    def update(self, items: Iterable[tuple[str, ContactSample]], present: set[str] | None = None) -> None:
        """Take the newest state of each contact. ``present``: every call id the source
        holds now; a contact cached as waiting that the source no longer holds was dropped
        there without an outcome (a snapshot gap, a prune) and leaves the cache."""
        samples = self.samples
        for call_id, sample in items:
            samples[call_id] = sample
        if present is not None:
            for call_id in [k for k, s in samples.items() if s.outcome == "waiting" and k not in present]:
                del samples[call_id]

    def expire(self, now: float) -> int:
        """Forget contacts whose last time is older than ``KEEP_SECONDS`` before ``now``."""
        horizon = now - KEEP_SECONDS
        old = [k for k, s in self.samples.items()
               if s.outcome != "waiting" and max(s.queued, s.left or s.queued, s.ended or s.queued) < horizon]
        for k in old:
            del self.samples[k]
        return len(old)

    def values(self) -> list[ContactSample]:
        return list(self.samples.values())


def outlook(
    at: float,
    queues: Iterable[str],
    contacts: Iterable[ContactSample],
    agents: Iterable[AgentSample],
    sla_seconds: Mapping[str, float],
    *,
    away: Iterable[AwayAgent] = (),
    observed_since: float | None = None,
    week_covered: bool = False,
    targets: Mapping[str, float] | None = None,
) -> LiveOutlook:
    """Estimates, forecast and what to do for every queue at ``at`` (see the module doc)."""
    names = list(dict.fromkeys(queues))
    inputs = estimate(at, names, contacts, agents, sla_seconds, week_covered=week_covered)
    load = {q: i.arrivals_per_hour * (i.mean_handle_seconds or 0.0) for q, i in inputs.items()}
    short = observed_since is None or observed_since > at - WINDOW_SECONDS
    away_list = [a for a in away if a.state in AWAY_STATES]
    out: dict[str, QueueOutlook] = {}
    for q in names:
        i = inputs[q]
        thin: list[str] = []
        if i.recent_contacts < MIN_CONTACTS:
            thin.append(FEW_CONTACTS)
        if i.mean_handle_seconds is None:
            thin.append(NO_HANDLE)
        if short:
            thin.append(SHORT_HISTORY)
        if thin and i.enough_data:
            i = replace(i, enough_data=False)
        target = (targets or {}).get(q, DEFAULT_TARGET)
        f = forecast(i, target)
        if f.result is None:
            out[q] = QueueOutlook(f, tuple(thin) or (FEW_CONTACTS,))
            continue
        extra = None if f.agents_needed is None else max(0, f.agents_needed - i.agents)
        candidates = [(a, agent_share(a.skills, names, load).get(q, 0.0)) for a in away_list]
        candidates = [(a, s) for a, s in candidates if s > 0]
        ranked: tuple[Comeback, ...] = ()
        if f.result.service_level < target and candidates:
            ranked = _rank(f, candidates)
        out[q] = QueueOutlook(f, (), extra, ranked, len(candidates))
    return LiveOutlook(at, observed_since, week_covered, out)


def _rank(f: QueueForecast, candidates: list[tuple[AwayAgent, float]]) -> tuple[Comeback, ...]:
    """Greedy: each step the candidate whose return lifts the service level most."""
    i, r = f.inputs, f.result
    assert r is not None
    lam, mu, theta, sla = r.arrival_rate, r.service_rate, r.patience_rate, r.sla_seconds
    levels: dict[int, float] = {i.agents: r.service_level}

    def level(n: int) -> float:
        if n not in levels:
            try:
                levels[n] = erlang_a(lam, mu, theta, n, sla).service_level
            except ModelError:
                levels[n] = 0.0
        return levels[n]

    def between(x: float) -> float:
        # a fractional agent (a shared one's part) lifts the level in proportion, between
        # the whole numbers of agents around it: rounding would make every part worth 0 or 1
        lo = int(math.floor(x + 1e-9))
        frac = x - lo
        return level(lo) if frac < 1e-9 else level(lo) + frac * (level(lo + 1) - level(lo))

    # from the agents the forecast counts (rounded), each return adds its share
    share = float(i.agents)
    current = level(i.agents)
    left = list(candidates)
    out: list[Comeback] = []
    while left and len(out) < MAX_COMEBACKS:
        def key(item: tuple[AwayAgent, float]) -> tuple[float, float, int, float, str]:
            a, s = item
            return (-(between(share + s) - current), -s, AWAY_STATES.index(a.state), a.since, a.agent_id)

        best = min(left, key=key)
        left.remove(best)
        a, s = best
        share += s
        n = share
        sl = between(share)
        reached = bool(out) and out[-1].service_level >= f.target_service_level
        out.append(Comeback(a.agent_id, a.name, a.state, a.since, s, n, sl, sl - current, not reached))
        current = sl
    return tuple(out)


def breach_rates(o: LiveOutlook | None) -> dict[str, tuple[float, float, int, float]]:
    """Per queue with a forecast: (μ, θ, n, T) for ``breach.breach_probability``."""
    if o is None:
        return {}
    out: dict[str, tuple[float, float, int, float]] = {}
    for q, qo in o.queues.items():
        rates = qo.rates()
        if rates is not None:
            out[q] = (*rates, qo.inputs.sla_seconds)
    return out

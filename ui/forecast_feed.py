"""The live forecast, computed on the feed thread (no Qt here), like today's KPI figures.

``LiveForecaster`` sits beside the KPI builder in ``FeedBridge``: it sees every event the
builder is fed (``observe``: each agent's skills, which the KPI facts do not keep, and
the first moment the facts cover), harvests the builder's contact facts before each KPI
pass folds the settled ones away (``harvest``: the forecast needs the last hour, the
folded builder keeps minutes), and every ``FORECAST_EVERY_S`` of server time computes
``supervisor.forecast.live.outlook`` — the rules of ``command-center forecast`` — which
the bridge posts through the inbox. The same interval a week ago comes from the journal
(``WeekAgo``), read a two-hour slice at a time.

How agents count (n): staffed agents (available, ringing, on call, wrap-up) with the
queue's skill; one with several skills among the queues is split between them in
proportion to each queue's offered load λ/μ, so no agent is counted twice
(``estimate.agent_share``).
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from supervisor import wire
from supervisor.forecast.estimate import WEEK_SECONDS, WINDOW_SECONDS, AgentSample, ContactSample
from supervisor.forecast.live import AWAY_STATES, AwayAgent, LiveOutlook, SampleCache, outlook

if TYPE_CHECKING:
    from supervisor.kpi.facts import KpiFacts
    from supervisor.store import Store

log = logging.getLogger(__name__)

FORECAST_EVERY_S = 10.0  # server seconds between two forecasts
WEEK_SLICE_S = 2 * 3600.0  # the journal a week ago is read this much at a time
_US = 1_000_000


class WeekAgo:
    """Contacts queued in the journal a week before, a slice at a time.

    ``covered(at)``: the journal began before ``at − 7 d`` and holds events in the half
    hour from there (the CLI's rule). Contacts count in the queue they ended in (a KPI
    builder over the slice), as ``estimate`` counts them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._span: tuple[float, float] | None = None
        self._began: float | None = None  # ts of the journal's first row
        self._ts: list[float] = []  # every event ts of the slice, sorted
        self._samples: list[ContactSample] = []
        self.loads = 0

    def _load(self, start: float) -> None:
        from supervisor.kpi.builder import KpiBuilder

        since = datetime.fromtimestamp(start, timezone.utc)
        until = since + timedelta(seconds=WEEK_SLICE_S)
        first = self.store.first_id_since(datetime(1970, 1, 2, tzinfo=timezone.utc))
        self._began = None
        if first is not None:
            for event in self.store.iter_events(from_id=first, before_id=first + 1):
                self._began = event.ts.timestamp()
        builder = KpiBuilder()
        ts: list[float] = []
        for event in self.store.iter_events(since=since, until=until):
            ts.append(event.ts.timestamp())
            builder.feed(event)
        ts.sort()
        self._ts = ts
        self._samples = [ContactSample(c.queue, c.queued_us / _US, "unknown")
                         for c in builder.facts.contacts.values()
                         if c.queue is not None and c.queued_us is not None]
        self._span = (start, start + WEEK_SLICE_S)
        self.loads += 1

    def contacts(self, at: float) -> tuple[bool, list[ContactSample]]:
        """(covered, the slice's contacts) for the forecast at ``at``."""
        w0, w1 = at - WEEK_SECONDS, at - WEEK_SECONDS + WINDOW_SECONDS
        span = self._span
        if span is None or not (span[0] <= w0 and w1 <= span[1]):
            self._load(w0)
        if self._began is None or self._began > w0:
            return False, []
        i = bisect_left(self._ts, w0)
        if i >= len(self._ts) or self._ts[i] >= w1:
            return False, []
        return True, self._samples


class LiveForecaster:
    """Feed-thread state of the live forecast; ``step(facts)`` returns a new outlook or None."""

    def __init__(self, store: Store | None = None, every_s: float = FORECAST_EVERY_S) -> None:
        self.cache = SampleCache()
        self.skills: dict[str, tuple[str, ...]] = {}
        self.first_ts: float | None = None
        self.every_s = every_s
        self.week = WeekAgo(store) if store is not None else None
        self._last_at: float | None = None

    def observe(self, events: Iterable[wire.Event]) -> None:
        """Every event the KPI builder is fed: skills and the first moment covered."""
        skills = self.skills
        for event in events:
            ts = getattr(event, "ts", None)
            if ts is not None and not isinstance(event, wire.UnknownEvent):
                t = ts.timestamp()
                if self.first_ts is None or t < self.first_ts:
                    self.first_ts = t
            if isinstance(event, wire.AgentStateChanged):
                skills[event.data.agent.agent_id] = tuple(event.data.agent.skills)
            elif isinstance(event, wire.Snapshot):
                for agent in event.data.agents:
                    skills[agent.agent_id] = tuple(agent.skills)

    def harvest(self, facts: KpiFacts) -> None:
        """The builder's contacts as samples, before its next fold drops the settled ones."""
        items = []
        for c in facts.contacts.values():
            if c.queue is None or c.queued_us is None:
                continue
            handle = c.handle_us
            items.append((c.call_id, ContactSample(
                queue=c.queue, queued=c.queued_us / _US, outcome=c.outcome,
                left=None if c.outcome_us is None else c.outcome_us / _US,
                ended=None if c.ended_us is None else c.ended_us / _US,
                handle=None if handle is None else handle / _US)))
        self.cache.update(items, set(facts.contacts))

    def due(self, facts: KpiFacts) -> bool:
        last = facts.last_us
        return last is not None and (self._last_at is None or not 0 <= last / _US - self._last_at < self.every_s)

    def compute(self, facts: KpiFacts, targets: dict[str, float] | None = None) -> LiveOutlook | None:
        """The outlook as of the builder's latest server time (nothing after it is known)."""
        if facts.last_us is None:
            return None
        # as ``command-center forecast --at`` the latest server time: [at − 30 min, at), what
        # happened at that very microsecond counts from the next forecast on
        at_us = facts.last_us
        at = at_us / _US
        self._last_at = at
        self.cache.expire(at)
        queues = list(facts.queue_order) or list(facts.queues)
        sla = {q: facts.sla_us_at(q, at_us) / _US for q in queues}
        agents = [AgentSample(a.agent_id, a.state, self.skills.get(a.agent_id, ())) for a in facts.agents.values()]
        away = [AwayAgent(a.agent_id, a.name or a.agent_id, a.state, a.since_us / _US,
                          self.skills.get(a.agent_id, ()))
                for a in facts.agents.values() if a.state in AWAY_STATES]
        contacts = self.cache.values()
        week_covered = False
        if self.week is not None:
            try:
                week_covered, week = self.week.contacts(at)
            except Exception:  # the journal unreadable a moment: no week blend this time
                log.exception("reading the journal a week ago failed")
                week_covered, week = False, []
            contacts = contacts + week
        return outlook(at, queues, contacts, agents, sla, away=away, observed_since=self.first_ts,
                       week_covered=week_covered, targets=targets)

    def step(self, facts: KpiFacts) -> LiveOutlook | None:
        """Harvest, and forecast when due (call before the KPI pass folds)."""
        self.harvest(facts)
        if not self.due(facts):
            return None
        return self.compute(facts)

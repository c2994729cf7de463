"""Folding settled facts into exact integer aggregates: a KPI builder of bounded size.

A desktop keeps today's figures for a whole day (a wall display: 24/7). Holding one
``ContactFact`` per contact and every agent state interval until midnight grows with
the day (~100,000 contacts and ~460,000 intervals at 2,000 agents) and so does the
cost of every refresh. With folding on (``enable_folding``; the desktop's ``TodayKpi``
turns it on, the CLI and exports never do), ``fold_settled`` regularly moves what can
no longer change into aggregates and drops it:

- a contact is SETTLED when its outcome is final and every figure of it is known: it was
  seen queued, its queue's T was told by the server (a queue record exists), and it was
  abandoned, or answered with its ``call.ended`` and the end of its wrap-up known (or
  never knowable: the agent was dropped by a snapshot); and its latest time (queued,
  outcome, end, end of wrap-up) is older than the settle margin (30 min by default)
  before the latest server time. Settled contacts are fed, in one batch, to the SAME
  ``figures.accumulate_queues`` the reports use, into ``QueueAcc`` per (queue, 30-min
  bucket) and ``AgentAcc`` per (agent, day): integer counts and microsecond sums that
  add exactly, so figures computed from folded + live parts are the ones computed from
  every contact. The SLA breaches among them keep their ``ContactRow`` (built by
  ``lists``, as the breach list builds it) for the breach list;
- agent state intervals that ended before the margin are summed per (agent, local day,
  state), each interval cut at midnight, and dropped from the timeline.

Each aggregate cell remembers the earliest and latest time placed in it (a contact's
``queued_at`` or ``call.ended`` for queue cells; ``answered.at``/``call.ended`` and the
clipped state intervals for agent cells). A period sees a cell whole or not at all: a
report, interval row or list whose bounds would cut through a cell's times raises
``FoldedPeriodError``. The desktop only asks for periods that start at a local midnight
(today's report, today's breaches, 30-min intervals), which never cut a cell. Asking
for every contact (``contacts()``) of a period with folded contacts, or for another
short-abandon S than the folded one, raises too: use a builder without folding (the CLI).

Late facts: a ``survey.completed`` for a contact already folded still counts (CSAT of
its queue cell, its agent cell and its breach row): for ``SURVEY_GRACE`` (2 h) after a
contact is folded, ``recent`` maps its call_id to its cells (the builder's survey
handler calls ``survey_after_fold`` when it holds no fact for the call). A survey later
than that is NOT counted in any figure (a desktop that folds differs there from
``command-center kpi``) and is counted in the builder's anomalies as
"survey.completed for a contact folded long ago" (a 64-bit hash of every call_id folded
today and yesterday tells it from an unknown contact: 8 bytes a contact).

Other late events about a folded contact: the domain interpreter still knows the
contact, so a repeated ``call.queued``/``call.answered``/``call.abandoned`` or a
snapshot listing it as waiting is an anomaly and ignored, as without folding. One that
is "applied as far as it can be" (a ``call.ended`` for a contact abandoned) makes the
builder create a new fact for that call_id: within ``SURVEY_GRACE`` of the fold, the
next fold pass (run before every refresh of ``TodayKpi``) removes it, or empties it
while it counts as waiting, and counts ``folded.anomalies["event for a contact already
folded"]``; without folding it would only have set the end time of a contact that no
figure takes a handle time from.

A queue record that takes effect at or before the outcome of a contact already folded
in that queue and changes T (a snapshot or ``queue.updated`` whose ts is older than
the margin) cannot re-measure it: counted as ``folded.anomalies["queue record ..."]``.
"""

from __future__ import annotations

from array import array
from collections import deque
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from supervisor.kpi.facts import (
    ABANDONED,
    ANSWERED,
    UNKNOWN,
    US_PER_S,
    WAITING,
    ContactFact,
    KpiFacts,
    to_us,
)
from supervisor.kpi.figures import AgentAcc, QueueAcc, accumulate_queues

if TYPE_CHECKING:
    from supervisor.kpi.lists import ContactRow

MINUTE_US = 60 * US_PER_S
DAY_US = 24 * 60 * MINUTE_US
SETTLE_MARGIN_US = 30 * MINUTE_US
SURVEY_GRACE_US = 2 * 60 * MINUTE_US
SHORT_ABANDON_S = 5.0

ANOMALY_RESURRECTED = "event for a contact already folded"
ANOMALY_SURVEY_LONG_AGO = "survey.completed for a contact folded long ago"
ANOMALY_QUEUE_RECORD = "queue record changing T before the outcome of contacts already folded"


class FoldedPeriodError(ValueError):
    """A query that folded aggregates cannot answer exactly (see the module docstring)."""


class Span:
    """The earliest and latest time placed in an aggregate cell (``hi`` inclusive)."""

    __slots__ = ("lo", "hi")

    def __init__(self, t_us: int) -> None:
        self.lo = self.hi = t_us

    def add(self, t_us: int) -> None:
        if t_us < self.lo:
            self.lo = t_us
        elif t_us > self.hi:
            self.hi = t_us

    def inside(self, start_us: int, end_us: int, what: str) -> bool:
        """True when every time of the cell is in [start, end), False when none is."""
        if self.hi < start_us or self.lo >= end_us:
            return False
        if start_us <= self.lo and self.hi < end_us:
            return True
        raise FoldedPeriodError(
            f"the period cuts through {what} folded into aggregates (folding keeps only sums of "
            "settled contacts and agent states: ask for periods that start at a local midnight "
            "and step by whole intervals, or use a KPI builder without folding)"
        )


def _span(spans: dict[int, Span], key: int, t_us: int) -> None:
    s = spans.get(key)
    if s is None:
        spans[key] = Span(t_us)
    else:
        s.add(t_us)


class FoldedFacts:
    """The aggregates of the contacts and agent state intervals folded so far."""

    def __init__(
        self,
        *,
        origin_us: int,
        step_us: int,
        margin_us: int = SETTLE_MARGIN_US,
        grace_us: int = SURVEY_GRACE_US,
        every_us: int = 0,
        short_abandon_s: float = SHORT_ABANDON_S,
    ) -> None:
        if step_us <= 0 or DAY_US % step_us:
            raise ValueError("the folding interval must divide a day")
        self.origin_us = origin_us  # a local midnight: day and bucket numbers count from it
        self.step_us = step_us
        self.margin_us = margin_us
        self.grace_us = grace_us
        self.every_us = every_us  # fold at most this often (server time)
        self.short_abandon_s = short_abandon_s
        self.short_us = round(short_abandon_s * US_PER_S)
        self.last_fold_us: int | None = None
        # (bucket, queue) -> sums; bucket = (t - origin) // step
        self.queues: dict[tuple[int, str], QueueAcc] = {}
        self.queue_spans: dict[int, Span] = {}
        # (day, agent) -> sums of the agent's calls answered / ended that day
        self.agents: dict[tuple[int, str], AgentAcc] = {}
        # (day, agent) -> µs in each state that day
        self.states: dict[tuple[int, str], dict[str, int]] = {}
        self.agent_spans: dict[int, Span] = {}  # per day: placements of agents and states
        # the SLA breaches folded: call_id -> ((queued_us, call_id), row)
        self.breaches: dict[str, tuple[tuple[int, str], ContactRow]] = {}
        # call_id -> (queue cell, agent cell) of contacts folded lately, in fold order; the
        # cell keys are the very tuples keying ``queues``/``agents`` (shared, not copied)
        self.recent: dict[str, tuple[tuple[int, str], tuple[int, str] | None]] = {}
        # (forget at, how many) per fold pass, oldest first: ``recent`` expires by passes
        self.recent_passes: deque[tuple[int, int]] = deque()
        # per day of folding: hashes of every call_id folded that day
        self.gone: dict[int, array[int]] = {}
        self.max_outcome: dict[str, int] = {}  # per queue: the latest outcome folded
        self.anomalies: Counter[str] = Counter()
        self.contacts_folded = 0
        self.intervals_folded = 0

    # ------------------------------------------------------------------ numbering

    def bucket(self, t_us: int) -> int:
        return (t_us - self.origin_us) // self.step_us

    def day(self, t_us: int) -> int:
        return (t_us - self.origin_us) // DAY_US

    def day_start(self, day: int) -> int:
        return self.origin_us + day * DAY_US

    def held(self) -> dict[str, int]:
        """How much is held (for benchmarks and logs)."""
        return {
            "queue_cells": len(self.queues), "agent_cells": len(self.agents),
            "state_cells": len(self.states), "breach_rows": len(self.breaches),
            "recent": len(self.recent), "gone": sum(len(a) for a in self.gone.values()),
        }

    # ------------------------------------------------------------------ queries

    def _check_short(self, short_us: int) -> None:
        if short_us != self.short_us:
            raise FoldedPeriodError(
                f"contacts were folded with short abandon S = {self.short_abandon_s:g} s; "
                "other values need a KPI builder without folding"
            )

    def add_to_report(
        self,
        accs: dict[tuple[int, str], QueueAcc],
        agent_accs: dict[str, AgentAcc],
        start_us: int,
        end_us: int,
        short_us: int,
        queues: frozenset[str] | None,
    ) -> dict[str, dict[str, int]]:
        """Merge the folded sums of [start, end) into a report's (bucket 0) accumulators;
        returns the folded state time per agent in the period."""
        self.add_to_intervals(accs, start_us, end_us, None, short_us, queues)
        spent: dict[str, dict[str, int]] = {}
        days = [d for d, span in self.agent_spans.items() if span.inside(start_us, end_us, "agent time")]
        if not days:
            return spent
        wanted = frozenset(days)
        for (d, agent_id), acc in self.agents.items():
            if d in wanted:
                mine = agent_accs.get(agent_id)
                if mine is None:
                    mine = agent_accs[agent_id] = AgentAcc()
                mine.merge(acc)
        for (d, agent_id), totals in self.states.items():
            if d in wanted:
                out = spent.get(agent_id)
                if out is None:
                    spent[agent_id] = dict(totals)
                else:
                    for state, us in totals.items():
                        out[state] = out.get(state, 0) + us
        return spent

    def add_to_intervals(
        self,
        accs: dict[tuple[int, str], QueueAcc],
        start_us: int,
        end_us: int,
        step_us: int | None,
        short_us: int,
        queues: frozenset[str] | None,
    ) -> None:
        """Merge the folded queue sums into ``accumulate_queues``' (bucket, queue) sums of
        [start, end) (one bucket 0 without ``step_us``)."""
        target: dict[int, int] = {}  # folded bucket -> bucket of the query
        for b, span in self.queue_spans.items():
            if span.inside(start_us, end_us, "contacts"):
                if step_us is None:
                    target[b] = 0
                    continue
                j = (span.lo - start_us) // step_us
                if (span.hi - start_us) // step_us != j:
                    raise FoldedPeriodError(
                        "an interval of this table cuts through contacts folded into 30-minute "
                        "aggregates: ask for intervals of whole folded buckets from a local "
                        "midnight, or use a KPI builder without folding"
                    )
                target[b] = j
        if not target:
            return
        self._check_short(short_us)
        for (b, queue), acc in self.queues.items():
            into = target.get(b)
            if into is None or (queues is not None and queue not in queues):
                continue
            mine = accs.get((into, queue))
            if mine is None:
                mine = accs[(into, queue)] = QueueAcc()
            mine.merge(acc)

    def breach_rows(
        self, start_us: int, end_us: int, short_us: int, queues: frozenset[str] | None
    ) -> list[tuple[tuple[int, str], ContactRow]]:
        """The folded SLA breaches offered in [start, end), with their sort keys."""
        out = [
            (key, row) for key, row in self.breaches.values()
            if start_us <= key[0] < end_us and (queues is None or row.queue in queues)
        ]
        if out:
            self._check_short(short_us)
        return out

    def check_contacts(self, start_us: int, end_us: int) -> None:
        """``contacts()`` of [start, end): an error when contacts of it were folded."""
        for span in self.queue_spans.values():
            if span.hi >= start_us and span.lo < end_us:
                raise FoldedPeriodError(
                    "contacts of this period were folded into aggregates (the desktop keeps "
                    "no per-contact record of settled contacts): list them with a KPI builder "
                    "without folding, e.g. `command-center kpi` over the journal"
                )

    def queue_record_added(
        self, queue: str, at_us: int, sla_us: int, sla_before_us: int, first_start_us: int | None
    ) -> None:
        """A queue record took effect at ``at_us``: counted when it changes T for contacts
        already folded (they keep the T in force when they were folded)."""
        latest = self.max_outcome.get(queue)
        if latest is None or sla_us == sla_before_us:
            return
        if at_us <= latest or (first_start_us is not None and at_us < first_start_us):
            self.anomalies[ANOMALY_QUEUE_RECORD] += 1

    # ------------------------------------------------------------------ forgetting

    def prune(self, before_us: int) -> int:
        """Drop what no period starting at ``before_us`` or later can see; returns how many cells."""
        removed = 0
        for b in [b for b, s in self.queue_spans.items() if s.hi < before_us]:
            del self.queue_spans[b]
        for key in [k for k in self.queues if k[0] not in self.queue_spans]:
            del self.queues[key]
            removed += 1
        for d in [d for d, s in self.agent_spans.items() if s.hi < before_us]:
            del self.agent_spans[d]
        for key in [k for k in self.agents if k[0] not in self.agent_spans]:
            del self.agents[key]
            removed += 1
        for key in [k for k in self.states if k[0] not in self.agent_spans]:
            del self.states[key]
            removed += 1
        for cid in [cid for cid, (key, _) in self.breaches.items() if key[0] < before_us]:
            del self.breaches[cid]
            removed += 1
        # a survey arriving a day later is "for an unknown contact", as without folding
        keep_from = self.day(before_us) - 1
        for d in [d for d in self.gone if d < keep_from]:
            del self.gone[d]
        return removed


def enable_folding(
    facts: KpiFacts,
    *,
    minutes: int = 30,
    margin_s: float = SETTLE_MARGIN_US / US_PER_S,
    every_s: float = 60.0,
    grace_s: float = SURVEY_GRACE_US / US_PER_S,
    short_abandon_s: float = SHORT_ABANDON_S,
) -> FoldedFacts:
    """Turn folding on for ``facts`` (once; later calls return the same aggregates).

    Its figures of periods starting at a local midnight (days, ``minutes`` intervals)
    stay exact; the days and buckets count from a midnight in the zone of the first
    event fed (the center's), known at the first fold.
    """
    if facts.folded is None:
        facts.folded = FoldedFacts(
            origin_us=0,  # set at the first fold, once the center's zone is known
            step_us=minutes * MINUTE_US,
            margin_us=round(margin_s * US_PER_S),
            grace_us=round(grace_s * US_PER_S),
            every_us=round(every_s * US_PER_S),
            short_abandon_s=short_abandon_s,
        )
        facts.folded.last_fold_us = None
    return facts.folded


def _hash(call_id: str) -> int:
    return hash(call_id)  # stable within the process, which is all that is asked of it


def _settled(c: ContactFact, horizon_us: int, facts: KpiFacts, pending: set[int]) -> bool:
    """Final, with every figure known, and its latest time at or before the horizon."""
    q_us, o_us = c.queued_us, c.outcome_us
    if q_us is None or o_us is None or c.queue is None or q_us > horizon_us or o_us > horizon_us:
        return False
    if not facts.queue_history.get(c.queue):
        return False  # T not told yet: a first queue record would apply to it (QueueHistory)
    outcome = c.outcome
    if outcome == ABANDONED:
        e_us = c.ended_us
        return (e_us is None or e_us <= horizon_us) and id(c) not in pending
    if outcome != ANSWERED:
        return False
    e_us, w_us = c.ended_us, c.wrap_end_us
    if e_us is None or e_us > horizon_us:
        return False
    if w_us is None:
        return id(c) not in pending  # the end of wrap-up can no longer come
    return w_us <= horizon_us


def fold_settled(facts: KpiFacts, *, force: bool = False) -> int:
    """Fold what has settled by the latest server time fed; returns how many contacts."""
    folded = facts.folded
    if folded is None or facts.last_us is None or facts.center_tz is None:
        return 0
    now_us = facts.last_us
    if folded.last_fold_us is None:
        folded.origin_us = to_us(datetime(2000, 1, 1, tzinfo=facts.center_tz))
    _forget_resurrected(facts, folded)
    _expire_recent(folded, now_us)
    if not force and folded.last_fold_us is not None and now_us - folded.last_fold_us < folded.every_us:
        return 0
    folded.last_fold_us = now_us
    horizon = now_us - folded.margin_us
    n = _fold_contacts(facts, folded, horizon, now_us)
    _fold_states(facts, folded, horizon)
    return n


def _fold_contacts(facts: KpiFacts, folded: FoldedFacts, horizon: int, now_us: int) -> int:
    from supervisor.kpi.lists import contact_row

    pending = {id(c) for a in facts.agents.values() for c in a.pending_wrap}
    batch = [c for c in facts.contacts.values() if _settled(c, horizon, facts, pending)]
    if not batch:
        return 0
    # the figures' own accumulation, one local day at a time (agent cells are per day)
    days: set[int] = set()
    for c in batch:
        days.add(folded.day(c.queued_us))  # type: ignore[arg-type]
        days.add(folded.day(c.outcome_us))  # type: ignore[arg-type]
        if c.ended_us is not None:
            days.add(folded.day(c.ended_us))
    per_day = DAY_US // folded.step_us
    for d in sorted(days):
        d0 = folded.day_start(d)
        agent_accs: dict[str, AgentAcc] = {}
        accs = accumulate_queues(
            batch, facts, d0, d0 + DAY_US, now_us=now_us, short_us=folded.short_us,
            step_us=folded.step_us, agents=agent_accs,
        )
        for (j, q_name), acc in accs.items():
            key = (d * per_day + j, q_name)
            mine = folded.queues.get(key)
            if mine is None:
                folded.queues[key] = acc
            else:
                mine.merge(acc)
        for agent_id, ag in agent_accs.items():
            akey = (d, agent_id)
            have = folded.agents.get(akey)
            if have is None:
                folded.agents[akey] = ag
            else:
                have.merge(ag)
    tz = facts.center_tz
    assert tz is not None
    forget_at = now_us + folded.grace_us
    gone = folded.gone.get(folded.day(now_us))
    if gone is None:
        gone = folded.gone[folded.day(now_us)] = array("q")
    contacts = facts.contacts
    # one tuple per cell, shared by every recent entry of it
    keys: dict[tuple[int, str], tuple[int, str]] = {k: k for k in folded.queues}
    keys.update((k, k) for k in folded.agents)
    folded.recent_passes.append((forget_at, len(batch)))
    for c in batch:
        q_us, o_us, queue = c.queued_us, c.outcome_us, c.queue
        assert q_us is not None and o_us is not None and queue is not None
        # where accumulate_queues placed it: offered at queued_at, handle at call.ended,
        # handled by its agent at the answer
        _span(folded.queue_spans, folded.bucket(q_us), q_us)
        agent_cell = None
        if c.outcome == ANSWERED:
            if c.ended_us is not None and c.wrap_end_us is not None:
                _span(folded.queue_spans, folded.bucket(c.ended_us), c.ended_us)
                if c.answered_by or c.ended_by:
                    _span(folded.agent_spans, folded.day(c.ended_us), c.ended_us)
            if c.answered_by is not None:
                _span(folded.agent_spans, folded.day(o_us), o_us)
                agent_cell = (folded.day(o_us), c.answered_by)
        if o_us > folded.max_outcome.get(queue, o_us - 1):
            folded.max_outcome[queue] = o_us
        wait = o_us - q_us if o_us > q_us else 0
        if wait > facts.sla_us_of(c, now_us):
            row = contact_row(c, facts, tz, now_us, folded.short_us)
            folded.breaches[c.call_id] = ((q_us, c.call_id), row)
        qkey = (folded.bucket(q_us), queue)
        folded.recent[c.call_id] = (keys.setdefault(qkey, qkey),
                                    None if agent_cell is None else keys.setdefault(agent_cell, agent_cell))
        gone.append(_hash(c.call_id))
        del contacts[c.call_id]
    folded.contacts_folded += len(batch)
    return len(batch)


def _fold_states(facts: KpiFacts, folded: FoldedFacts, horizon: int) -> None:
    """Sum the state intervals that ended by the horizon per (day, agent, state)."""
    states, spans = folded.states, folded.agent_spans
    for a in facts.agents.values():
        t = a.timeline
        k = bisect_right(t.ends, horizon)
        if not k:
            continue
        for i in range(k):
            s0, s1, state = t.starts[i], t.ends[i], t.states[i]
            while s0 < s1:
                d = folded.day(s0)
                cut = folded.day_start(d + 1)
                part_end = s1 if s1 < cut else cut
                totals = states.get((d, a.agent_id))
                if totals is None:
                    totals = states[(d, a.agent_id)] = {}
                totals[state] = totals.get(state, 0) + part_end - s0
                _span(spans, d, s0)
                _span(spans, d, part_end - 1)
                s0 = part_end
        t.drop_first(k)
        folded.intervals_folded += k


def _expire_recent(folded: FoldedFacts, now_us: int) -> None:
    recent, passes = folded.recent, folded.recent_passes
    while passes and passes[0][0] <= now_us:
        _, n = passes.popleft()
        for _ in range(n):
            if not recent:
                break
            del recent[next(iter(recent))]


def _forget_resurrected(facts: KpiFacts, folded: FoldedFacts) -> None:
    """Facts the builder made anew for a contact folded lately (a late repeat of one of its
    events): the builder without folding ignores such events, so they count nowhere."""
    contacts, recent = facts.contacts, folded.recent
    if not recent or not contacts:
        return
    small, big = (recent, contacts) if len(recent) < len(contacts) else (contacts, recent)
    for cid in [cid for cid in small if cid in big]:
        c = contacts[cid]
        if c.queue is None and c.queued_us is None and c.answered_by is None and c.ended_by is None \
                and not c.scores:
            continue  # already emptied
        folded.anomalies[ANOMALY_RESURRECTED] += 1
        if c.outcome == WAITING:
            # the builder may count it among its waiting contacts: keep it, counting nowhere
            c.queue = c.first_queue = None
            c.queued_us = c.outcome_us = c.ended_us = c.wrap_end_us = None
            c.answered_by = c.ended_by = None
            c.scores = None
        else:
            assert c.outcome in (ANSWERED, ABANDONED, UNKNOWN)
            del contacts[cid]


class Survey(Protocol):
    """A survey as the builder is told it (``wire.SurveyCompletedData`` or the domain's fact)."""

    @property
    def call_id(self) -> str: ...
    @property
    def score(self) -> int: ...
    @property
    def case_id(self) -> str | None: ...


def survey_after_fold(facts: KpiFacts, data: Survey, anomalies: Counter[str]) -> bool:
    """A survey for a contact the builder no longer holds: True when folding accounted
    for it (its contact was folded lately: counted; or long ago: an anomaly).

    The builder calls it (one line in its survey handler) when it has no fact for the
    survey's contact; False: not a contact folded, the builder's own rule applies."""
    folded = facts.folded
    if folded is None:
        return False
    entry = folded.recent.get(data.call_id)
    if entry is None:
        if getattr(data, "known", True) is False:
            return False  # the interpreter never knew it (or forgot it): its anomaly, not ours
        h = _hash(data.call_id)
        if any(h in hashes for hashes in folded.gone.values()):
            anomalies[ANOMALY_SURVEY_LONG_AGO] += 1
            return True
        return False
    queue_cell, agent_cell = entry
    score = data.score
    acc = folded.queues.get(queue_cell)
    if acc is not None:
        acc.add_scores((score,))
    if agent_cell is not None:
        ag = folded.agents.get(agent_cell)
        if ag is not None:
            ag.add_scores((score,))
    hit = folded.breaches.get(data.call_id)
    if hit is not None:
        key, row = hit
        case_id = row.case_id if row.case_id is not None else data.case_id
        folded.breaches[data.call_id] = (key, replace(row, scores=(*row.scores, score), case_id=case_id))
    return True

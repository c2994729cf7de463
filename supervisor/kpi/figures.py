"""Pure functions from KPI facts to the figures of KPI.md for a period [start, end).

Which period a fact belongs to (KPI.md):
- queue figures count the contacts OFFERED in the period (first ``queued_at`` in it),
  whenever their outcome came; their queue is the one they were answered or abandoned
  in; ``waiting`` is still waiting at the end of what was fed, and a live wait is
  ``server_now − queued_at``; CSAT is over the surveys of those contacts;
- AHT is over the contacts whose ``call.ended`` is in the period (and whose wrap-up has
  ended, so the handle time is known);
- an agent's ``handled`` and CSAT are over the calls the agent answered in the period,
  the agent's AHT over the agent's calls ended in the period (as for queues), and state
  time is clipped to the period (the open state runs to ``server_now``);
- escalations: opened / resolved (on time or not, time to resolve) by ``opened_at`` /
  ``resolved.at`` in the period, reassignments by their ``at``; ``overdue_open`` is the
  state at ``server_now`` (open and past due), whatever the period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone, tzinfo

from supervisor import wire

from supervisor.kpi.facts import (
    ABANDONED,
    ANSWERED,
    REPORTED_STATES,
    STAFFED_STATES,
    US_PER_S,
    WAITING,
    WORK_STATES,
    AgentFact,
    ContactFact,
    DEFAULT_SLA_US,
    EscalationFact,
    KpiFacts,
    QueueHistory,
    clamp,
    from_us,
    to_us,
)
from supervisor.kpi.report import (
    FORMULAS,
    AgentFigures,
    EscalationFigures,
    KpiReport,
    QueueFigures,
    QueueParameters,
)
from supervisor.kpi.rounding import mean_score, mean_seconds, ratio, total_seconds


class QueueAcc:
    """Exact running sums for one queue (or the total) over one period or interval."""

    __slots__ = (
        "offered", "answered", "abandoned", "short", "waiting", "unknown",
        "within", "abandoned_within", "answer_wait_us", "max_wait_us",
        "handle_us", "handle_n", "breaches", "score_sum", "score_n", "score_top2",
    )

    def __init__(self) -> None:
        self.offered = self.answered = self.abandoned = self.short = 0
        self.waiting = self.unknown = self.within = self.abandoned_within = 0
        self.answer_wait_us = 0
        self.max_wait_us: int | None = None
        self.handle_us = self.handle_n = self.breaches = 0
        self.score_sum = self.score_n = self.score_top2 = 0

    def add_offered(self, c: ContactFact, sla_us: int, short_us: int, now_us: int) -> None:
        """Count a contact offered in the period (its outcome as known now)."""
        self.offered += 1
        outcome = c.outcome
        if outcome == ANSWERED or outcome == ABANDONED:
            wait = c.outcome_us - c.queued_us  # type: ignore[operator]
            if wait < 0:
                wait = 0  # answered or abandoned "before" it was queued: an anomaly, clamped
            if self.max_wait_us is None or wait > self.max_wait_us:
                self.max_wait_us = wait
            if wait > sla_us:
                self.breaches += 1
            if outcome == ANSWERED:
                self.answered += 1
                self.answer_wait_us += wait
                if wait <= sla_us:
                    self.within += 1
            elif wait < short_us:
                self.short += 1
            else:
                self.abandoned += 1
                if wait <= sla_us:
                    self.abandoned_within += 1
        elif outcome == WAITING:
            self.waiting += 1
            if now_us - c.queued_us > sla_us:  # type: ignore[operator]
                self.breaches += 1
        else:  # UNKNOWN: left the queue during a gap; not a breach anyone can prove
            self.unknown += 1
        scores = c.scores
        if scores:
            self.add_scores(scores)

    def add_scores(self, scores: Iterable[int]) -> None:
        """Surveys of a contact counted here (CSAT, CSAT %: scores 4-5)."""
        for s in scores:
            self.score_sum += s
            if s >= 4:
                self.score_top2 += 1
            self.score_n += 1

    def merge(self, other: QueueAcc) -> None:
        for name in QueueAcc.__slots__:
            if name == "max_wait_us":
                if other.max_wait_us is not None and (
                    self.max_wait_us is None or other.max_wait_us > self.max_wait_us
                ):
                    self.max_wait_us = other.max_wait_us
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def service_level(self, formula: str) -> float | None:
        if formula == "abandons_count_against":
            return ratio(self.within, self.answered + self.abandoned)
        if formula == "answered_only":
            return ratio(self.within, self.answered)
        if formula == "removed_within_sla":
            return ratio(self.within + self.abandoned_within + self.short, self.offered)
        raise ValueError(f"unknown service level formula {formula!r}; one of {', '.join(FORMULAS)}")

    def figures(self, queue: str | None, formula: str) -> QueueFigures:
        return QueueFigures(
            queue=queue,
            offered=self.offered,
            answered=self.answered,
            abandoned=self.abandoned,
            short_abandoned=self.short,
            waiting=self.waiting,
            outcome_unknown=self.unknown,
            answered_within_sla=self.within,
            abandoned_within_sla=self.abandoned_within,
            service_level=self.service_level(formula),
            abandonment_rate=ratio(self.abandoned, self.offered - self.short),
            asa_seconds=mean_seconds(self.answer_wait_us, self.answered),
            max_wait_seconds=(
                None if self.max_wait_us is None else mean_seconds(self.max_wait_us, 1)
            ),
            aht_seconds=mean_seconds(self.handle_us, self.handle_n),
            aht_calls=self.handle_n,
            sla_breaches=self.breaches,
            csat=mean_score(self.score_sum, self.score_n),
            csat_top2_share=ratio(self.score_top2, self.score_n),
            surveys=self.score_n,
        )


class AgentAcc:
    """Exact running sums for one agent over one period."""

    __slots__ = ("handled", "handle_us", "handle_n", "score_sum", "score_n")

    def __init__(self) -> None:
        self.handled = self.handle_us = self.handle_n = self.score_sum = self.score_n = 0

    def add_scores(self, scores: Sequence[int]) -> None:
        """Surveys of a call the agent answered."""
        self.score_sum += sum(scores)
        self.score_n += len(scores)

    def merge(self, other: AgentAcc) -> None:
        self.handled += other.handled
        self.handle_us += other.handle_us
        self.handle_n += other.handle_n
        self.score_sum += other.score_sum
        self.score_n += other.score_n


def check_formula(formula: str) -> None:
    """A service-level formula of KPI.md by its name, or ValueError naming the choices."""
    if formula not in FORMULAS:
        raise ValueError(f"unknown service level formula {formula!r}; one of {', '.join(FORMULAS)}")


def period_us(start: datetime, end: datetime) -> tuple[int, int]:
    """The period's bounds in microseconds; an empty or reversed period is an error."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("period bounds must carry an offset")
    start_us, end_us = to_us(start), to_us(end)
    if end_us <= start_us:
        raise ValueError("the period is empty: its end must come after its start")
    return start_us, end_us


def now_us_of(facts: KpiFacts, server_now: datetime | None) -> int:
    """server_now in microseconds: given, else the latest server time fed, else 0."""
    if server_now is not None:
        return to_us(server_now)
    return facts.last_us if facts.last_us is not None else 0


def accumulate_queues(
    contacts: Iterable[ContactFact],
    facts: KpiFacts,
    start_us: int,
    end_us: int,
    *,
    now_us: int,
    short_us: int,
    step_us: int | None = None,
    queues: Sequence[str] | None = None,
    agents: dict[str, AgentAcc] | None = None,
) -> dict[tuple[int, str], QueueAcc]:
    """One pass over the contacts: per (bucket, queue) sums, and per-agent sums if asked.

    Without ``step_us`` there is one bucket, 0. A contact is offered in the bucket of its
    first ``queued_at``; its handle time counts in the bucket of its ``call.ended``.
    """
    accs: dict[tuple[int, str], QueueAcc] = {}
    wanted = None if queues is None else frozenset(queues)
    # T per contact (KPI.md): a queue whose T never changed has one T for every contact;
    # only a queue with several records bisects its short history, at the outcome time
    sla_fixed: dict[str, int] = {}
    sla_varies: dict[str, QueueHistory] = {}
    history = facts.queue_history
    # the hot loop of every report: locals only, the handle time inlined
    # (talk + wrap-up = wrap_end - answered)
    for c in contacts:
        queue = c.queue  # None when not counted in queue figures (unknown or filtered out)
        if queue is not None and wanted is not None and queue not in wanted:
            queue = None
        q_us = c.queued_us
        if queue is not None and q_us is not None and start_us <= q_us < end_us:
            sla = sla_fixed.get(queue)
            if sla is None:
                h = sla_varies.get(queue)
                if h is None:
                    h = history.get(queue)
                    if h is None or len(h) == 1:
                        sla = sla_fixed[queue] = h.sla_us[0] if h else DEFAULT_SLA_US
                    else:
                        sla_varies[queue] = h
                if sla is None:
                    o = c.outcome
                    sla = h.sla_at(  # type: ignore[union-attr]
                        c.outcome_us if (o == ANSWERED or o == ABANDONED) else now_us  # type: ignore[arg-type]
                    )
            key = (0 if step_us is None else (q_us - start_us) // step_us, queue)
            acc = accs.get(key)
            if acc is None:
                acc = accs[key] = QueueAcc()
            acc.add_offered(c, sla, short_us, now_us)
        answered = c.outcome == ANSWERED
        if not answered:
            continue
        e_us = c.ended_us
        if e_us is not None and start_us <= e_us < end_us:
            w_us, a_us = c.wrap_end_us, c.outcome_us
            if w_us is not None and a_us is not None:
                # talk + wrap-up, each clamped at 0 when its times contradict each other
                # (an end "before" the answer counts as at the answer: see facts.py)
                end = e_us if e_us > a_us else a_us
                handle = (end - a_us) + (w_us - end if w_us > end else 0)
                if queue is not None:
                    key = (0 if step_us is None else (e_us - start_us) // step_us, queue)
                    acc = accs.get(key)
                    if acc is None:
                        acc = accs[key] = QueueAcc()
                    acc.handle_us += handle
                    acc.handle_n += 1
                if agents is not None:
                    agent_id = c.answered_by or c.ended_by
                    if agent_id is not None:
                        ag = agents.get(agent_id)
                        if ag is None:
                            ag = agents[agent_id] = AgentAcc()
                        ag.handle_us += handle
                        ag.handle_n += 1
        if agents is not None and c.answered_by is not None:
            a_us = c.outcome_us
            if a_us is not None and start_us <= a_us < end_us:
                ag = agents.get(c.answered_by)
                if ag is None:
                    ag = agents[c.answered_by] = AgentAcc()
                ag.handled += 1
                if c.scores:
                    ag.add_scores(c.scores)
    return accs


def state_us(a: AgentFact, start_us: int, end_us: int, now_us: int) -> dict[str, int]:
    """Microseconds the agent spent in each state within [start, end), up to server_now."""
    out = a.timeline.spent(start_us, end_us)
    if a.state is not None:
        lo = a.since_us if a.since_us > start_us else start_us
        hi = min(end_us, now_us)
        if hi > lo:
            out[a.state] = out.get(a.state, 0) + hi - lo
    return out


def agent_figures(
    facts: KpiFacts,
    accs: dict[str, AgentAcc],
    start_us: int,
    end_us: int,
    now_us: int,
    teams: Sequence[str] | None = None,
    folded_spent: dict[str, dict[str, int]] | None = None,
) -> dict[str, AgentFigures]:
    """Figures of every agent with work, state time (other than offline) or calls in the period.

    ``folded_spent``: state time in the period of intervals folded away (``fold.py``),
    added to what the agents' timelines still hold.
    """
    wanted = None if teams is None else frozenset(teams)
    out: dict[str, AgentFigures] = {}
    ids = set(accs)
    if folded_spent:
        ids.update(folded_spent)
    for agent_id, known in facts.agents.items():
        if agent_id not in ids and (known.state not in (None, "offline") or len(known.timeline)):
            ids.add(agent_id)
    for agent_id in sorted(ids):
        a = facts.agents.get(agent_id)
        if wanted is not None and (a is None or a.team not in wanted):
            continue
        spent = state_us(a, start_us, end_us, now_us) if a is not None else {}
        extra = folded_spent.get(agent_id) if folded_spent else None
        if extra:
            for state, us in extra.items():
                spent[state] = spent.get(state, 0) + us
        acc = accs.get(agent_id)
        if acc is None:
            if not any(spent.get(s) for s in REPORTED_STATES):
                continue  # offline (or unknown) for the whole period, no calls: not in it
            acc = AgentAcc()
        staffed = sum(us for s, us in spent.items() if s in STAFFED_STATES)
        working = sum(us for s, us in spent.items() if s in WORK_STATES)
        out[agent_id] = AgentFigures(
            agent_id=agent_id,
            name=a.name if a is not None else "",
            team=a.team if a is not None else "",
            handled=acc.handled,
            aht_seconds=mean_seconds(acc.handle_us, acc.handle_n),
            aht_calls=acc.handle_n,
            occupancy=ratio(working, staffed),
            csat=mean_score(acc.score_sum, acc.score_n),
            surveys=acc.score_n,
            state_seconds={
                s: total_seconds(spent[s]) for s in REPORTED_STATES if spent.get(s)
            },
        )
    return out


def open_at(e: EscalationFact, now_us: int) -> bool:
    """Opened by server_now and not resolved by then (resolved at an unknown time counts as resolved)."""
    if e.opened_us is not None and e.opened_us > now_us:
        return False
    if e.status != "resolved":
        return True
    return e.resolved_us is not None and e.resolved_us > now_us


def escalation_figures(facts: KpiFacts, start_us: int, end_us: int, now_us: int) -> EscalationFigures:
    """Escalation figures of KPI.md for [start, end), overdue ones at server_now."""
    opened = resolved = on_time = overdue = 0
    resolve_us = 0
    for e in facts.escalations.values():
        if e.opened_us is None or e.due_us is None:
            # known only from a reassignment or resolution: no record to count it by
            continue
        if start_us <= e.opened_us < end_us:
            opened += 1
        r_us = e.resolved_us
        if e.status == "resolved" and r_us is not None and start_us <= r_us < end_us:
            resolved += 1
            if r_us <= e.due_us:
                on_time += 1
            resolve_us += clamp(r_us - e.opened_us)  # resolved "before" opened: 0
        if now_us > e.due_us and open_at(e, now_us):
            overdue += 1
    reassignments = sum(1 for r in facts.reassignments if start_us <= r.at_us < end_us)
    return EscalationFigures(
        opened=opened,
        resolved=resolved,
        resolved_on_time=on_time,
        on_time_rate=ratio(on_time, resolved),
        overdue_open=overdue,
        mean_time_to_resolve_seconds=mean_seconds(resolve_us, resolved),
        reassignments=reassignments,
    )


def queue_parameters(facts: KpiFacts, queue: str, start_us: int, end_us: int, tz: tzinfo) -> QueueParameters:
    """Name, T and W of ``queue`` in force at the end of [start, end), and the (T, W)
    values in force during it (see ``QueueParameters``)."""
    history = facts.queue_history.get(queue)
    if not history:
        t, w = wire.DEFAULT_SLA_SECONDS, wire.DEFAULT_WARN_SECONDS
        return QueueParameters(queue, "", t, w, told=False, in_force=((None, t, w),))
    first = history.index_at(start_us)
    last = history.index_at(end_us - 1)
    rec = history.records[first]
    in_force: list[tuple[datetime | None, float, float]] = [(None, rec.sla_seconds, rec.warn_seconds)]
    for i in range(first + 1, last + 1):
        rec = history.records[i]
        if (rec.sla_seconds, rec.warn_seconds) != in_force[-1][1:]:
            in_force.append((from_us(history.starts[i], tz), rec.sla_seconds, rec.warn_seconds))
    end_rec = history.records[last]
    return QueueParameters(
        queue, end_rec.name, end_rec.sla_seconds, end_rec.warn_seconds, told=True,
        in_force=tuple(in_force),
    )


def build_report(
    facts: KpiFacts,
    start: datetime,
    end: datetime,
    *,
    formula: str = "abandons_count_against",
    server_now: datetime | None = None,
    short_abandon_s: float = 5,
    queues: Sequence[str] | None = None,
    teams: Sequence[str] | None = None,
) -> KpiReport:
    """All figures of KPI.md for [start, end). ``queues``/``teams`` restrict queues and agents."""
    check_formula(formula)
    start_us, end_us = period_us(start, end)
    now_us = now_us_of(facts, server_now)
    short_us = round(short_abandon_s * US_PER_S)
    agent_accs: dict[str, AgentAcc] = {}
    accs = accumulate_queues(
        facts.contacts.values(), facts, start_us, end_us, now_us=now_us, short_us=short_us,
        queues=queues, agents=agent_accs,
    )
    folded_spent = None
    if facts.folded is not None:  # the sums of the contacts and states folded away
        folded_spent = facts.folded.add_to_report(
            accs, agent_accs, start_us, end_us, short_us, None if queues is None else frozenset(queues)
        )
    names = [q for q in facts.queue_order if queues is None or q in queues]
    total = QueueAcc()
    queue_figs: dict[str, QueueFigures] = {}
    for name in names:
        acc = accs.get((0, name)) or QueueAcc()
        total.merge(acc)
        queue_figs[name] = acc.figures(name, formula)
    tz = facts.center_tz or start.tzinfo or timezone.utc
    parameters = {name: queue_parameters(facts, name, start_us, end_us, tz) for name in names}
    return KpiReport(
        start=start.astimezone(tz),
        end=end.astimezone(tz),
        formula=formula,
        server_now=from_us(now_us, tz) if (server_now is not None or facts.last_us is not None) else None,
        short_abandon_s=short_abandon_s,
        queues=queue_figs,
        total=total.figures(None, formula),
        agents=agent_figures(facts, agent_accs, start_us, end_us, now_us, teams, folded_spent),
        escalations=escalation_figures(facts, start_us, end_us, now_us),
        parameters=parameters,
    )


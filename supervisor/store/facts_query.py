"""KPI.md's figures by query: SQL aggregates over the fact tables (``facts.py``).

``FactFigures`` answers what ``KpiBuilder`` answers (``report``, ``intervals``,
``sla_breaches``, ``contacts``, ``escalations``, ``reassignments``) without reading the
journal: the database groups the contacts by queue and interval (and the agents' calls
and state intervals by agent) and returns exact integer sums (microseconds, counts,
score sums); the figures are then rounded by the KPI engine's own rules and records
(``supervisor.kpi.rounding``, ``report``), so both paths give the same digits. The
small tables (queue records, escalations, reassignments) are read whole into a
``KpiFacts`` and go through the engine's own pure functions. The long lists stream.

The same SQL runs on SQLite and PostgreSQL: integer arithmetic and CASE only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from supervisor.kpi.facts import (
    DEFAULT_SLA_US,
    REPORTED_STATES,
    STAFFED_STATES,
    US_PER_S,
    WORK_STATES,
    ContactFact,
    EscalationFact,
    KpiFacts,
    QueueHistory,
    ReassignmentFact,
    from_us,
)
from supervisor.kpi.figures import (
    AgentAcc,
    QueueAcc,
    check_formula,
    period_us,
    queue_parameters,
)
from supervisor.kpi.intervals import IntervalRow, interval_rows
from supervisor.kpi.lists import ContactRow, EscalationRow, ReassignmentRow, contact_row, escalation_list, reassignment_list
from supervisor.kpi.report import AgentFigures, EscalationFigures, KpiReport, QueueFigures
from supervisor.kpi.rounding import mean_score, mean_seconds, ratio, total_seconds
from supervisor.store import schema
from supervisor.store.facts import DAY_US, decode_customer, decode_person, decode_queue, decode_reassignment

DEFAULT_FORMULA = "abandons_count_against"
STREAM_CHUNK = 2_000


def _num(v: Any) -> int:
    return 0 if v is None else int(v)


class _Sql:
    """Bound parameters for one query (named p0, p1, …)."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def __call__(self, value: Any) -> str:
        if type(value) is int:
            return str(value)  # integers inline: PostgreSQL then knows their type
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"


class FactFigures:
    """Figures of a journal's facts. Holds a connection pool, not the facts."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self.facts = KpiFacts()  # queue records, escalations, reassignments, clock: small
        self.anomalies: Counter[str] = Counter()
        self._load()

    # ------------------------------------------------------------------ the small tables

    def _load(self) -> None:
        facts = self.facts
        with self._engine.connect() as conn:
            meta = {k: v for k, v in conn.execute(sa.select(schema.fact_meta.c.key, schema.fact_meta.c.value))}
            self._tz_s = int(meta.get("first_tz_s") or 0)
            if meta.get("first_tz_s") is not None:
                facts.center_tz = timezone(timedelta(seconds=int(meta["first_tz_s"])))
            if meta.get("last_us") is not None:
                facts.last_us = int(meta["last_us"])
            qo = schema.queue_order
            for (queue,) in conn.execute(sa.select(qo.c.queue).order_by(qo.c.ord)):
                facts.queue_order[queue] = None
            qr = schema.queue_records
            for row in conn.execute(sa.select(qr).order_by(qr.c.queue, qr.c.idx)):
                h = facts.queue_history.get(row.queue)
                if h is None:
                    h = facts.queue_history[row.queue] = QueueHistory()
                rec = decode_queue(row.record)
                h.starts.append(int(row.at_us))
                h.records.append(rec)
                h.sla_us.append(round(rec.sla_seconds * US_PER_S))
            for queue, h in facts.queue_history.items():
                facts.queues[queue] = h.latest
            fa = schema.fact_anomalies
            for reason, n in conn.execute(sa.select(fa.c.reason, fa.c.n)):
                self.anomalies[reason] = int(n)

    @property
    def server_now(self) -> datetime | None:
        facts = self.facts
        if facts.last_us is None or facts.center_tz is None:
            return None
        return from_us(facts.last_us, facts.center_tz)

    def _now_us(self, server_now: datetime | None) -> int:
        if server_now is not None:
            from supervisor.kpi.facts import to_us
            return to_us(server_now)
        return self.facts.last_us if self.facts.last_us is not None else 0

    def _tz(self, start: datetime) -> Any:
        return self.facts.center_tz or start.tzinfo or timezone.utc

    # ------------------------------------------------------------------ SQL pieces

    def _sla_sql(self, p: _Sql, now_us: int) -> str:
        """T of each contact (KPI.md): its final queue's record in force at its outcome,
        or now while it waits; the queue histories are short, so a CASE says it."""
        t = f"(CASE WHEN outcome IN ('answered', 'abandoned') THEN outcome_us ELSE {p(now_us)} END)"
        arms = []
        for queue, h in self.facts.queue_history.items():
            if len(h.sla_us) == 1:
                arms.append(f"WHEN {p(queue)} THEN {p(h.sla_us[0])}")
                continue
            inner = " ".join(f"WHEN {t} >= {p(h.starts[i])} THEN {p(h.sla_us[i])}"
                             for i in range(len(h.starts) - 1, 0, -1))
            arms.append(f"WHEN {p(queue)} THEN (CASE {inner} ELSE {p(h.sla_us[0])} END)")
        if not arms:
            return p(DEFAULT_SLA_US)
        return f"(CASE queue {' '.join(arms)} ELSE {p(DEFAULT_SLA_US)} END)"

    @staticmethod
    def _queue_filter(p: _Sql, queues: Sequence[str] | None) -> str:
        if queues is None:
            return ""
        if not queues:
            return " AND 1 = 0"
        return f" AND queue IN ({', '.join(p(q) for q in queues)})"

    def _queue_accs(self, conn: sa.Connection, start_us: int, end_us: int, now_us: int, short_us: int,
                    step_us: int | None, queues: Sequence[str] | None) -> dict[tuple[int, str], QueueAcc]:
        p = _Sql()
        sla = self._sla_sql(p, now_us)
        s, e, now, short = p(start_us), p(end_us), p(now_us), p(short_us)
        bucket = "0" if step_us is None else f"((queued_us - {s}) / {p(step_us)})"
        where = f"queued_us >= {s} AND queued_us < {e} AND queue IS NOT NULL{self._queue_filter(p, queues)}"
        inner = (
            f"SELECT {bucket} AS b, queue, outcome, queued_us, score_sum, score_n, score_top2, {sla} AS sla,"
            " CASE WHEN outcome_us > queued_us THEN outcome_us - queued_us ELSE 0 END AS wait"
            f" FROM contact_facts{self._scan_hint(start_us, end_us)} WHERE {where}"
        )
        done = "outcome IN ('answered', 'abandoned')"
        sql = (
            "SELECT b, queue, COUNT(*),"
            " SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN outcome = 'abandoned' AND wait >= {short} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN outcome = 'abandoned' AND wait < {short} THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN outcome = 'waiting' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN outcome = 'unknown' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN outcome = 'answered' AND wait <= sla THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN outcome = 'abandoned' AND wait >= {short} AND wait <= sla THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN outcome = 'answered' THEN wait ELSE 0 END),"
            f" MAX(CASE WHEN {done} THEN wait END),"
            f" SUM(CASE WHEN ({done} AND wait > sla) OR (outcome = 'waiting' AND {now} - queued_us > sla)"
            " THEN 1 ELSE 0 END),"
            " SUM(score_sum), SUM(score_n), SUM(score_top2)"
            f" FROM ({inner}) AS c GROUP BY b, queue"
        )
        accs: dict[tuple[int, str], QueueAcc] = {}
        for row in conn.execute(sa.text(sql), p.params):
            acc = accs[(int(row[0]), row[1])] = QueueAcc()
            (acc.offered, acc.answered, acc.abandoned, acc.short, acc.waiting, acc.unknown, acc.within,
             acc.abandoned_within, acc.answer_wait_us) = (_num(v) for v in row[2:11])
            acc.max_wait_us = None if row[11] is None else int(row[11])
            acc.breaches, acc.score_sum, acc.score_n, acc.score_top2 = (_num(v) for v in row[12:16])
        # handle times count where the call ended (talk + wrap-up, each clamped at 0)
        p = _Sql()
        s, e = p(start_us), p(end_us)
        bucket = "0" if step_us is None else f"((ended_us - {s}) / {p(step_us)})"
        sql = (
            f"SELECT {bucket} AS b, queue, SUM({_HANDLE}), COUNT(*)"
            f" FROM contact_facts{self._scan_hint(start_us, end_us)} WHERE ended_us >= {s} AND ended_us < {e} AND outcome = 'answered'"
            " AND wrap_end_us IS NOT NULL AND outcome_us IS NOT NULL AND queue IS NOT NULL"
            f"{self._queue_filter(p, queues)} GROUP BY b, queue"
        )
        for row in conn.execute(sa.text(sql), p.params):
            key = (int(row[0]), row[1])
            qacc = accs.get(key)
            if qacc is None:
                qacc = accs[key] = QueueAcc()
            qacc.handle_us += _num(row[2])
            qacc.handle_n += _num(row[3])
        return accs

    def _report_accs(self, conn: sa.Connection, start_us: int, end_us: int, now_us: int, short_us: int,
                     queues: Sequence[str] | None) -> tuple[dict[str, QueueAcc], dict[str, AgentAcc]]:
        """One pass over the contacts of the period for a report: sums per queue and per
        agent (as ``kpi.figures.accumulate_queues``), grouped by (queue, agent) in SQL.

        A contact counts for its queue when offered in the period; its handle time for
        its queue and its agent (who answered it, else who ended it) when it ended in the
        period; it is handled (with its surveys) by its agent when answered in it."""
        p = _Sql()
        sla = self._sla_sql(p, now_us)
        s, e, now, short = p(start_us), p(end_us), p(now_us), p(short_us)
        offered = f"queued_us >= {s} AND queued_us < {e} AND queue IS NOT NULL{self._queue_filter(p, queues)}"
        handle = (f"outcome = 'answered' AND ended_us >= {s} AND ended_us < {e}"
                  " AND wrap_end_us IS NOT NULL AND outcome_us IS NOT NULL")
        handled = f"outcome = 'answered' AND answered_by IS NOT NULL AND outcome_us >= {s} AND outcome_us < {e}"
        inner = (
            f"SELECT queue, answered_by, CASE WHEN answered_by IS NULL THEN ended_by END AS ended_by,"
            f" outcome, queued_us, score_sum, score_n, score_top2,"
            f" CASE WHEN {offered} THEN 1 ELSE 0 END AS o, CASE WHEN {handle} THEN 1 ELSE 0 END AS h,"
            f" CASE WHEN {handled} THEN 1 ELSE 0 END AS a,"
            f" CASE WHEN {offered} THEN {sla} END AS sla,"
            " CASE WHEN outcome_us > queued_us THEN outcome_us - queued_us ELSE 0 END AS wait,"
            f" CASE WHEN {handle} THEN {_HANDLE} END AS handle"
            f" FROM contact_facts{self._scan_hint(start_us, end_us)}"
            f" WHERE (queued_us >= {s} AND queued_us < {e}) OR (ended_us >= {s} AND ended_us < {e})"
            f" OR (outcome_us >= {s} AND outcome_us < {e})"
        )
        done = "outcome IN ('answered', 'abandoned')"
        sql = (
            "SELECT queue, answered_by, ended_by, SUM(o),"
            " SUM(CASE WHEN o = 1 AND outcome = 'answered' THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN o = 1 AND outcome = 'abandoned' AND wait >= {short} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN o = 1 AND outcome = 'abandoned' AND wait < {short} THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN o = 1 AND outcome = 'waiting' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN o = 1 AND outcome = 'unknown' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN o = 1 AND outcome = 'answered' AND wait <= sla THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN o = 1 AND outcome = 'abandoned' AND wait >= {short} AND wait <= sla THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN o = 1 AND outcome = 'answered' THEN wait ELSE 0 END),"
            f" MAX(CASE WHEN o = 1 AND {done} THEN wait END),"
            f" SUM(CASE WHEN o = 1 AND (({done} AND wait > sla) OR (outcome = 'waiting' AND {now} - queued_us > sla))"
            " THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN o = 1 THEN score_sum ELSE 0 END), SUM(CASE WHEN o = 1 THEN score_n ELSE 0 END),"
            " SUM(CASE WHEN o = 1 THEN score_top2 ELSE 0 END),"
            " SUM(CASE WHEN h = 1 THEN handle ELSE 0 END), SUM(h),"
            " SUM(a), SUM(CASE WHEN a = 1 THEN score_sum ELSE 0 END), SUM(CASE WHEN a = 1 THEN score_n ELSE 0 END)"
            f" FROM ({inner}) AS c GROUP BY queue, answered_by, ended_by"
        )
        wanted = None if queues is None else frozenset(queues)
        qaccs: dict[str, QueueAcc] = {}
        aaccs: dict[str, AgentAcc] = {}
        for row in conn.execute(sa.text(sql), p.params):
            queue, answered_by, ended_by = row[0], row[1], row[2]
            n_off, n_handle, n_handled = _num(row[3]), _num(row[18]), _num(row[19])
            handle_us = _num(row[17])
            if queue is not None and (wanted is None or queue in wanted) and (n_off or n_handle):
                acc = qaccs.get(queue)
                if acc is None:
                    acc = qaccs[queue] = QueueAcc()
                part = QueueAcc()
                part.offered = n_off
                (part.answered, part.abandoned, part.short, part.waiting, part.unknown, part.within,
                 part.abandoned_within, part.answer_wait_us) = (_num(v) for v in row[4:12])
                part.max_wait_us = None if row[12] is None else int(row[12])
                part.breaches, part.score_sum, part.score_n, part.score_top2 = (_num(v) for v in row[13:17])
                part.handle_us, part.handle_n = handle_us, n_handle
                acc.merge(part)
            agent_id = answered_by or ended_by
            if n_handle and agent_id is not None:
                ag = aaccs.get(agent_id)
                if ag is None:
                    ag = aaccs[agent_id] = AgentAcc()
                ag.handle_us += handle_us
                ag.handle_n += n_handle
            if n_handled:
                assert answered_by is not None
                ag = aaccs.get(answered_by)
                if ag is None:
                    ag = aaccs[answered_by] = AgentAcc()
                ag.handled += n_handled
                ag.score_sum += _num(row[20])
                ag.score_n += _num(row[21])
        return qaccs, aaccs

    def _scan_hint(self, start_us: int, end_us: int) -> str:
        """SQLite: a period of more than a few days reads the whole table in order rather
        than through the time indexes (a month of index lookups costs more than a scan)."""
        if self._engine.dialect.name == "sqlite" and end_us - start_us > 3 * DAY_US:
            return " NOT INDEXED"
        return ""

    def _state_us(self, conn: sa.Connection, start_us: int, end_us: int, now_us: int
                  ) -> tuple[dict[str, dict[str, int]], dict[str, tuple[str, str]]]:
        """Microseconds per agent per state within the period (closed intervals clipped,
        the open state up to server_now), and every agent's (name, team).

        Whole days of the center come from the day sums; the rest of the period (its
        first and last part days) from the interval pieces, each within one day."""
        spent: dict[str, dict[str, int]] = {}

        def add(rows: Any) -> None:
            for agent_id, state, us in rows:
                if _num(us) > 0:
                    mine = spent.setdefault(agent_id, {})
                    mine[state] = mine.get(state, 0) + _num(us)

        off = self._tz_s * US_PER_S
        first_day = (start_us + off) // DAY_US * DAY_US - off  # the day the period starts in
        d0 = first_day if first_day == start_us else first_day + DAY_US  # first whole day
        d1 = (end_us + off) // DAY_US * DAY_US - off  # the end of the last whole day
        windows = []
        if d0 < d1:
            p = _Sql()
            add(conn.execute(sa.text(
                "SELECT agent_id, state, SUM(us) FROM agent_state_days"
                f" WHERE day_us >= {p(d0)} AND day_us < {p(d1)} GROUP BY agent_id, state"), p.params))
            if start_us < d0:
                windows.append((start_us, d0))
            if d1 < end_us:
                windows.append((d1, end_us))
        else:
            windows.append((start_us, end_us))
        for lo, hi in windows:
            p = _Sql()
            day = (lo + off) // DAY_US * DAY_US - off  # pieces overlapping [lo, hi) start in it or later
            add(conn.execute(sa.text(
                f"SELECT agent_id, state, SUM((CASE WHEN end_us < {p(hi)} THEN end_us ELSE {p(hi)} END)"
                f" - (CASE WHEN start_us > {p(lo)} THEN start_us ELSE {p(lo)} END))"
                f" FROM agent_intervals WHERE start_us >= {p(day)} AND start_us < {p(hi)} AND end_us > {p(lo)}"
                " GROUP BY agent_id, state"), p.params))
        who: dict[str, tuple[str, str]] = {}
        af = schema.agent_facts
        for row in conn.execute(sa.select(af)):
            who[row.agent_id] = (row.name, row.team)
            if row.state is not None:
                lo = max(int(row.since_us), start_us)
                hi = min(end_us, now_us)
                if hi > lo:
                    mine = spent.setdefault(row.agent_id, {})
                    mine[row.state] = mine.get(row.state, 0) + hi - lo
        return spent, who

    def _escalation_figures(self, conn: sa.Connection, start_us: int, end_us: int, now_us: int
                            ) -> EscalationFigures:
        """``kpi.figures.escalation_figures`` by query (a month holds many escalations)."""
        p = _Sql()
        s, e, now = p(start_us), p(end_us), p(now_us)
        resolved_here = f"status = 'resolved' AND resolved_us IS NOT NULL AND resolved_us >= {s} AND resolved_us < {e}"
        row = conn.execute(sa.text(
            f"SELECT SUM(CASE WHEN opened_us >= {s} AND opened_us < {e} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {resolved_here} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {resolved_here} AND resolved_us <= due_us THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {resolved_here} AND resolved_us > opened_us THEN resolved_us - opened_us ELSE 0 END),"
            f" SUM(CASE WHEN {now} > due_us AND opened_us <= {now} AND (status <> 'resolved'"
            f" OR (resolved_us IS NOT NULL AND resolved_us > {now})) THEN 1 ELSE 0 END)"
            " FROM escalation_facts WHERE opened_us IS NOT NULL AND due_us IS NOT NULL"), p.params).one()
        opened, resolved, on_time, resolve_us, overdue = (_num(v) for v in row)
        p = _Sql()
        reassignments = _num(conn.execute(sa.text(
            f"SELECT COUNT(*) FROM reassignment_facts WHERE at_us >= {p(start_us)} AND at_us < {p(end_us)}"),
            p.params).scalar())
        return EscalationFigures(
            opened=opened, resolved=resolved, resolved_on_time=on_time, on_time_rate=ratio(on_time, resolved),
            overdue_open=overdue, mean_time_to_resolve_seconds=mean_seconds(resolve_us, resolved),
            reassignments=reassignments,
        )

    def missing_events(self) -> int:
        """``Store.missing_events`` from the facts: seqs skipped inside each epoch's range."""
        with self._engine.connect() as conn:
            snaps: dict[str, int] = {
                epoch: int(n) for epoch, n in conn.execute(sa.text("SELECT epoch, COUNT(*) FROM snapshot_seqs GROUP BY epoch"))}
            return sum(
                int(hi) - int(lo) + 1 - int(n) - snaps.get(epoch, 0)
                for epoch, lo, hi, n in conn.execute(sa.text("SELECT epoch, min_seq, max_seq, events FROM epoch_seqs"))
            )

    # ------------------------------------------------------------------ figures

    def report(
        self,
        start: datetime,
        end: datetime,
        *,
        formula: str = DEFAULT_FORMULA,
        server_now: datetime | None = None,
        short_abandon_s: float = 5,
        queues: Sequence[str] | None = None,
        teams: Sequence[str] | None = None,
    ) -> KpiReport:
        """The KPI.md figures of [start, end), as ``KpiBuilder.report`` gives them."""
        check_formula(formula)
        start_us, end_us = period_us(start, end)
        now_us = self._now_us(server_now)
        short_us = round(short_abandon_s * US_PER_S)
        facts = self.facts
        with self._engine.connect() as conn:
            qaccs, agent_accs = self._report_accs(conn, start_us, end_us, now_us, short_us, queues)
            spent, who = self._state_us(conn, start_us, end_us, now_us)
            escalations = self._escalation_figures(conn, start_us, end_us, now_us)
        names = [q for q in facts.queue_order if queues is None or q in queues]
        total = QueueAcc()
        queue_figs: dict[str, QueueFigures] = {}
        for name in names:
            acc = qaccs.get(name) or QueueAcc()
            total.merge(acc)
            queue_figs[name] = acc.figures(name, formula)
        tz = self._tz(start)
        return KpiReport(
            start=start.astimezone(tz),
            end=end.astimezone(tz),
            formula=formula,
            server_now=from_us(now_us, tz) if (server_now is not None or facts.last_us is not None) else None,
            short_abandon_s=short_abandon_s,
            queues=queue_figs,
            total=total.figures(None, formula),
            agents=_agent_figures(agent_accs, spent, who, teams),
            escalations=escalations,
            parameters={name: queue_parameters(facts, name, start_us, end_us, tz) for name in names},
        )

    def intervals(
        self,
        start: datetime,
        end: datetime,
        *,
        minutes: int = 30,
        formula: str = DEFAULT_FORMULA,
        server_now: datetime | None = None,
        short_abandon_s: float = 5,
        queues: Sequence[str] | None = None,
        include_total: bool = True,
    ) -> list[IntervalRow]:
        """Queue figures per queue per ``minutes``, as ``kpi.intervals.interval_table``."""
        check_formula(formula)
        if minutes <= 0:
            raise ValueError("the interval must be at least one minute")
        start_us, end_us = period_us(start, end)
        step_us = minutes * 60 * US_PER_S
        short_us = round(short_abandon_s * US_PER_S)
        with self._engine.connect() as conn:
            accs = self._queue_accs(conn, start_us, end_us, self._now_us(server_now), short_us, step_us, queues)
        names = [q for q in self.facts.queue_order if queues is None or q in queues]
        return interval_rows(accs, names, start_us, end_us, step_us, self._tz(start), formula,
                             include_total=include_total)

    # ------------------------------------------------------------------ lists

    def _offered_sql(self, p: _Sql, start_us: int, end_us: int, queues: Sequence[str] | None) -> str:
        return (f"queued_us >= {p(start_us)} AND queued_us < {p(end_us)} AND queue IS NOT NULL"
                f"{self._queue_filter(p, queues)}")

    def _order(self) -> str:
        # the engine sorts call ids by code point: SQLite's BINARY, PostgreSQL's "C"
        return ' ORDER BY queued_us, call_id COLLATE "C"' if self._engine.dialect.name == "postgresql" \
            else " ORDER BY queued_us, call_id"

    def _stream(self, sql: str, params: dict[str, Any], start: datetime, now_us: int,
                short_us: int) -> Iterator[ContactRow]:
        tz = self._tz(start)
        facts = self.facts
        with self._engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=STREAM_CHUNK).execute(
                sa.text(sql), params)
            for row in result:
                yield contact_row(_contact_fact(row), facts, tz, now_us, short_us)

    def sla_breach_rows(
        self,
        start: datetime,
        end: datetime,
        *,
        server_now: datetime | None = None,
        short_abandon_s: float = 5,
        queues: Sequence[str] | None = None,
    ) -> SqlRows:
        """The SLA breaches of KPI.md, streamed in order of queued_at (``len`` counts them)."""
        start_us, end_us = period_us(start, end)
        now_us = self._now_us(server_now)
        p = _Sql()
        sla = self._sla_sql(p, now_us)
        where = (
            f"{self._offered_sql(p, start_us, end_us, queues)} AND ("
            f"(outcome IN ('answered', 'abandoned') AND"
            f" (CASE WHEN outcome_us > queued_us THEN outcome_us - queued_us ELSE 0 END) > {sla})"
            f" OR (outcome = 'waiting' AND {p(now_us)} - queued_us > {sla}))"
        )
        return SqlRows(self, where, p.params, start, now_us, round(short_abandon_s * US_PER_S),
                       hint=self._scan_hint(start_us, end_us))

    def sla_breaches(self, start: datetime, end: datetime, **kw: Any) -> list[ContactRow]:
        return list(self.sla_breach_rows(start, end, **kw))

    def contact_rows(
        self,
        start: datetime,
        end: datetime,
        *,
        server_now: datetime | None = None,
        short_abandon_s: float = 5,
        queues: Sequence[str] | None = None,
    ) -> SqlRows:
        """Every contact offered in [start, end), streamed in order of queued_at."""
        start_us, end_us = period_us(start, end)
        p = _Sql()
        where = self._offered_sql(p, start_us, end_us, queues)
        return SqlRows(self, where, p.params, start, self._now_us(server_now), round(short_abandon_s * US_PER_S))

    def contacts(self, start: datetime, end: datetime, **kw: Any) -> list[ContactRow]:
        return list(self.contact_rows(start, end, **kw))

    def _escalation_facts(self, where: Any) -> KpiFacts:
        """A KpiFacts holding the clock and the escalations ``where`` selects (a month's
        lists are read when asked, not with every report)."""
        facts = KpiFacts(center_tz=self.facts.center_tz, last_us=self.facts.last_us)
        ef = schema.escalation_facts
        with self._engine.connect() as conn:
            for row in conn.execute(sa.select(ef).where(where)):
                e = EscalationFact(row.escalation_id)
                e.case_id, e.department, e.severity, e.summary = row.case_id, row.department, row.severity, row.summary
                e.owner = decode_person(row.owner)
                e.status = row.status
                e.opened_us = None if row.opened_us is None else int(row.opened_us)
                e.due_us = None if row.due_us is None else int(row.due_us)
                e.resolved_us = None if row.resolved_us is None else int(row.resolved_us)
                e.resolved_exact = bool(row.resolved_exact)
                e.resolution = row.resolution
                e.reassignments = int(row.reassignments)
                facts.escalations[e.escalation_id] = e
        return facts

    def escalations(self, start: datetime, end: datetime, *, server_now: datetime | None = None
                    ) -> list[EscalationRow]:
        """Escalations active in [start, end) (``kpi.lists.escalation_list``)."""
        start_us, end_us = period_us(start, end)
        ef = schema.escalation_facts
        facts = self._escalation_facts(sa.and_(
            ef.c.opened_us.is_not(None), ef.c.opened_us < end_us,
            sa.not_(sa.and_(ef.c.status == "resolved",
                            sa.or_(ef.c.resolved_us.is_(None), ef.c.resolved_us < start_us)))))
        return escalation_list(facts, start, end, server_now=server_now)

    def reassignments(self, start: datetime, end: datetime) -> list[ReassignmentRow]:
        """Reassignments made in [start, end) (``kpi.lists.reassignment_list``)."""
        start_us, end_us = period_us(start, end)
        rf = schema.reassignment_facts
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(rf).where(rf.c.at_us >= start_us, rf.c.at_us < end_us)
                                .order_by(rf.c.id)).all()
        facts = self._escalation_facts(schema.escalation_facts.c.escalation_id.in_(
            sa.select(rf.c.escalation_id).where(rf.c.at_us >= start_us, rf.c.at_us < end_us)))
        for row in rows:
            by, from_owner, to_owner = decode_reassignment(row.detail)
            facts.reassignments.append(
                ReassignmentFact(row.escalation_id, int(row.at_us), by, from_owner, to_owner, row.reason))
        return reassignment_list(facts, start, end)


class SqlRows:
    """A list of contacts read as it is walked: ``len`` is one COUNT, iterating (or a
    slice ``[:n]``) one streamed query; nothing is held between walks."""

    def __init__(self, source: FactFigures, where: str, params: dict[str, Any], start: datetime,
                 now_us: int, short_us: int, hint: str = "") -> None:
        self._from = f"contact_facts{hint}"
        self._source = source
        self._where = where
        self._params = params
        self._start = start
        self._now_us = now_us
        self._short_us = short_us
        self._len: int | None = None

    def __len__(self) -> int:
        if self._len is None:
            with self._source._engine.connect() as conn:
                self._len = int(conn.execute(
                    sa.text(f"SELECT COUNT(*) FROM {self._from} WHERE {self._where}"), self._params).scalar_one())
        return self._len

    def _rows(self, limit: int | None = None) -> Iterator[ContactRow]:
        sql = f"SELECT * FROM {self._from} WHERE {self._where}{self._source._order()}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._source._stream(sql, self._params, self._start, self._now_us, self._short_us)

    def __iter__(self) -> Iterator[ContactRow]:
        return self._rows()

    def __getitem__(self, index: slice) -> Iterator[ContactRow]:
        if not isinstance(index, slice) or index.start not in (None, 0) or index.step not in (None, 1):
            raise TypeError("only a leading slice [:n] of streamed rows is supported")
        return self._rows(None if index.stop is None else max(index.stop, 0))


_HANDLE = (
    "((CASE WHEN ended_us > outcome_us THEN ended_us ELSE outcome_us END) - outcome_us"
    " + CASE WHEN wrap_end_us > (CASE WHEN ended_us > outcome_us THEN ended_us ELSE outcome_us END)"
    " THEN wrap_end_us - (CASE WHEN ended_us > outcome_us THEN ended_us ELSE outcome_us END) ELSE 0 END)"
)


def _contact_fact(row: Any) -> ContactFact:
    c = ContactFact(row.call_id)
    c.queue, c.first_queue, c.channel = row.queue, row.first_queue, row.channel
    c.customer = decode_customer(row.customer)
    c.priority = int(row.priority)
    c.case_id = row.case_id
    c.queued_us = None if row.queued_us is None else int(row.queued_us)
    c.outcome = row.outcome
    c.outcome_us = None if row.outcome_us is None else int(row.outcome_us)
    c.answered_by = row.answered_by
    c.ended_us = None if row.ended_us is None else int(row.ended_us)
    c.ended_by = row.ended_by
    c.wrap_end_us = None if row.wrap_end_us is None else int(row.wrap_end_us)
    c.transfers = int(row.transfers)
    c.scores = [int(s) for s in row.scores.split(",")] if row.scores else None
    return c


def _agent_figures(accs: dict[str, AgentAcc], spent: dict[str, dict[str, int]],
                   who: dict[str, tuple[str, str]], teams: Sequence[str] | None) -> dict[str, AgentFigures]:
    """As ``kpi.figures.agent_figures``: every agent with calls or time in a reported state."""
    wanted = None if teams is None else frozenset(teams)
    out: dict[str, AgentFigures] = {}
    for agent_id in sorted(set(accs) | set(spent)):
        known = who.get(agent_id)
        if wanted is not None and (known is None or known[1] not in wanted):
            continue
        mine = spent.get(agent_id, {})
        acc = accs.get(agent_id)
        if acc is None:
            if not any(mine.get(s) for s in REPORTED_STATES):
                continue
            acc = AgentAcc()
        staffed = sum(us for s, us in mine.items() if s in STAFFED_STATES)
        working = sum(us for s, us in mine.items() if s in WORK_STATES)
        name, team = known if known is not None else ("", "")
        out[agent_id] = AgentFigures(
            agent_id=agent_id, name=name, team=team, handled=acc.handled,
            aht_seconds=mean_seconds(acc.handle_us, acc.handle_n), aht_calls=acc.handle_n,
            occupancy=ratio(working, staffed), csat=mean_score(acc.score_sum, acc.score_n),
            surveys=acc.score_n,
            state_seconds={s: total_seconds(mine[s]) for s in REPORTED_STATES if mine.get(s)},
        )
    return out

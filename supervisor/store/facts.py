"""The facts beside the journal: what the domain's interpreter decided, kept as rows.

``FactKeeper`` feeds every newly journaled event, in journal order, to one
``supervisor.domain.Interpreter`` and maps the facts it returns onto the fact tables of
``schema`` (one row per contact, per closed agent state interval, per escalation, the
queue records with the time each took effect, anomaly counts), in the transaction that
journals the events (``Store.append``). The mapping is the KPI engine's own
(``supervisor.kpi.builder``: same fields, same rules), so SQL aggregates over the rows
give exactly the figures the engine gives from the events (``facts_query``).

``fact_meta.applied_id`` is the last journal row the facts include. A keeper that finds
the journal ahead of it (another writer, an older version, a journal from before the
facts) reads the missing rows first, so the facts are always those of a journal prefix.
A keeper starting on facts already kept restores its interpreter from the rows (what
deciding needs: agents' states, contacts still waiting, talking or in wrap-up, open
escalations) by feeding it the events those rows stand for.

Memory stays bounded: contacts settled more than ``horizon`` before the latest server
time are forgotten by the interpreter and the keeper (a later event about one reads its
row again; only its anomaly text can differ from a full replay's).
"""

from __future__ import annotations

import logging
import operator
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import msgspec
import sqlalchemy as sa

from supervisor import domain, wire
from supervisor.kpi.facts import US_PER_S, QueueHistory, from_us, to_us
from supervisor.store import schema
from supervisor.store.schema import MINUTE_US
from supervisor.store.payload import unpack

log = logging.getLogger(__name__)

UTC = timezone.utc
HORIZON = timedelta(minutes=30)
FORGET_EVERY = 20_000  # events between forgetting settled contacts
CATCH_UP_CHUNK = 5_000

WAITING, ANSWERED, ABANDONED, UNKNOWN = "waiting", "answered", "abandoned", "unknown"

_json = msgspec.json.Encoder()
_customer = msgspec.json.Decoder(wire.Customer)
_person = msgspec.json.Decoder(wire.Person)
_queue = msgspec.json.Decoder(wire.Queue)
_escalation = msgspec.json.Decoder(wire.Escalation)

_C_COLS = tuple(c.name for c in schema.contact_facts.columns)


class _Contact:
    """One contact_facts row being kept (the columns of the table, in order)."""

    __slots__ = _C_COLS

    def __init__(self, call_id: str) -> None:
        self.call_id = call_id
        self.queue: str | None = None
        self.first_queue: str | None = None
        self.channel: str | None = None
        self.customer: str | None = None
        self.priority = 0
        self.case_id: str | None = None
        self.queued_us: int | None = None
        self.outcome = WAITING
        self.outcome_us: int | None = None
        self.answered_by: str | None = None
        self.ended_us: int | None = None
        self.ended_by: str | None = None
        self.wrap_end_us: int | None = None
        self.wrap_pending = 0
        self.transfers = 0
        self.scores: str | None = None
        self.score_sum = self.score_n = self.score_top2 = 0

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _C_COLS}

    @classmethod
    def of_row(cls, row: Any) -> _Contact:
        c = cls.__new__(cls)
        for name in _C_COLS:
            setattr(c, name, getattr(row, name))
        return c


_c_tuple = operator.attrgetter(*_C_COLS)
_A_COLS = ("agent_id", "name", "team", "state", "since_us", "call_id")
_a_tuple = operator.attrgetter(*_A_COLS)
_I_COLS = ("agent_id", "state", "start_us", "end_us")
_D_COLS = ("agent_id", "state", "day_us", "us")
DAY_US = 86_400 * US_PER_S
_ROW = "id, payload, call_id, epoch, seq, part, ts"
_EVENT_AT_SEQ = {
    pg: f"SELECT 1 FROM journal WHERE epoch = {m} AND seq = {m} AND part = 0"
    for pg, m in ((False, "?"), (True, "%s"))
}
_MARKS_SQL = {
    pg: (f"INSERT INTO ts_marks (minute_us, min_id, max_id) VALUES ({m}, {m}, {m})"
         " ON CONFLICT (minute_us) DO UPDATE SET"
         " min_id = CASE WHEN excluded.min_id < ts_marks.min_id THEN excluded.min_id ELSE ts_marks.min_id END,"
         " max_id = CASE WHEN excluded.max_id > ts_marks.max_id THEN excluded.max_id ELSE ts_marks.max_id END")
    for pg, m in ((False, "?"), (True, "%s"))
}


def _minute_us(minute: str | int) -> int:
    if isinstance(minute, int):
        return minute
    return to_us(datetime.fromisoformat(minute).replace(tzinfo=UTC))


_SEQS_SQL = {
    pg: (f"INSERT INTO epoch_seqs (epoch, min_seq, max_seq, events) VALUES ({m}, {m}, {m}, {m})"
         " ON CONFLICT (epoch) DO UPDATE SET"
         " min_seq = CASE WHEN excluded.min_seq < epoch_seqs.min_seq THEN excluded.min_seq ELSE epoch_seqs.min_seq END,"
         " max_seq = CASE WHEN excluded.max_seq > epoch_seqs.max_seq THEN excluded.max_seq ELSE epoch_seqs.max_seq END,"
         " events = epoch_seqs.events + excluded.events")
    for pg, m in ((False, "?"), (True, "%s"))
}


class _Agent:
    __slots__ = ("agent_id", "name", "team", "state", "since_us", "call_id", "pending")

    def __init__(self, agent_id: str) -> None:
        self.agent_id = agent_id
        self.name = ""
        self.team = ""
        self.state: str | None = None
        self.since_us = 0
        self.call_id: str | None = None
        self.pending: set[str] = set()  # calls ended whose wrap-up end is still to come

    def values(self) -> dict[str, Any]:
        return {"agent_id": self.agent_id, "name": self.name, "team": self.team,
                "state": self.state, "since_us": self.since_us, "call_id": self.call_id}


_E_COLS = tuple(c.name for c in schema.escalation_facts.columns)


class _Escalation:
    __slots__ = _E_COLS

    def __init__(self, escalation_id: str) -> None:
        self.escalation_id = escalation_id
        self.record: str | None = None
        self.case_id = ""
        self.department = ""
        self.owner: str | None = None
        self.severity = "normal"
        self.summary = ""
        self.status = "open"
        self.opened_us: int | None = None
        self.due_us: int | None = None
        self.resolved_us: int | None = None
        self.resolved_exact = 0
        self.resolution = ""
        self.reassignments = 0

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _E_COLS}

    @classmethod
    def of_row(cls, row: Any) -> _Escalation:
        e = cls.__new__(cls)
        for name in _E_COLS:
            setattr(e, name, getattr(row, name))
        return e


class _Joiner:
    """Snapshot parts joined again across batches, exactly as ``Store.iter_events`` does."""

    def __init__(self) -> None:
        self.parts: list[wire.Snapshot] = []

    def feed(self, event: wire.Event) -> wire.Event | None:
        parts = self.parts
        if parts and not (isinstance(event, wire.Snapshot) and event.seq == parts[0].seq
                          and event.part == len(parts) + 1):
            self.parts = parts = []
        if isinstance(event, wire.Snapshot) and event.parts is not None and event.parts > 1:
            if event.part != len(parts) + 1:
                return None
            parts.append(event)
            if len(parts) == event.parts:
                self.parts = []
                return wire.join_snapshot(parts)
            return None
        return event


def upsert(conn: sa.Connection, table: sa.Table, keys: Sequence[str], rows: list[dict[str, Any]],
            add: Sequence[str] = ()) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE: every other column replaced, ``add`` ones summed."""
    if not rows:
        return
    stmt: Any
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql
        rows = _no_nul(rows)
        stmt = postgresql.insert(table)
    else:
        from sqlalchemy.dialects import sqlite
        stmt = sqlite.insert(table)
    sets = {
        c.name: (table.c[c.name] + stmt.excluded[c.name]) if c.name in add else stmt.excluded[c.name]
        for c in table.columns if c.name not in keys
    }
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=sets), rows)


def _no_nul(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """PostgreSQL TEXT cannot hold NUL: an id with one is kept as the journal keeps it."""
    out = rows
    for i, row in enumerate(rows):
        if any(type(v) is str and "\x00" in v for v in row.values()):
            if out is rows:
                out = list(rows)
            out[i] = {k: v.replace("\x00", "\ufffd") if type(v) is str else v for k, v in row.items()}
    return out


_SQL: dict[tuple[str, str, tuple[str, ...], bool, tuple[str, ...]], str] = {}


def write_tuples(conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: list[tuple[Any, ...]],
                 keys: Sequence[str] = (), add: Sequence[str] = ()) -> None:
    """The hot path of ``upsert`` (or a plain INSERT without ``keys``): rows as tuples in
    ``columns`` order, one DBAPI executemany, no per-row SQLAlchemy work."""
    if not rows:
        return
    pg = conn.dialect.name == "postgresql"
    key = (conn.dialect.name, table.name, tuple(columns), bool(keys), tuple(add))
    sql = _SQL.get(key)
    if sql is None:
        mark = "%s" if pg else "?"
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
               f"VALUES ({', '.join([mark] * len(columns))})")
        if keys:
            sets = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" if c in add else f"{c} = excluded.{c}"
                             for c in columns if c not in keys)
            sql += f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
        _SQL[key] = sql
    if pg and any(type(v) is str and "\x00" in v for row in rows for v in row):
        rows = [tuple(v.replace("\x00", "\ufffd") if type(v) is str else v for v in row) for row in rows]
    conn.exec_driver_sql(sql, rows)  # type: ignore[arg-type]


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if conn.dialect.name == "postgresql":
        rows = _no_nul(rows)
    conn.execute(table.insert(), rows)


class FactKeeper:
    """Keeps the fact tables of one store up to date with its journal (see the module)."""

    def __init__(self, horizon: timedelta | None = None) -> None:
        self._horizon_us = (horizon or HORIZON) // timedelta(microseconds=1)
        self.applied_id: int | None = None  # None: not yet read from the database
        self._reset()

    def _reset(self) -> None:
        self.interpreter = domain.Interpreter()
        self._handlers = self.interpreter.handlers
        self._joiner = _Joiner()
        self._contacts: dict[str, _Contact] = {}
        self._agents: dict[str, _Agent] = {}
        self._escalations: dict[str, _Escalation] = {}
        self._queues: dict[str, QueueHistory] = {}
        self._queue_order: dict[str, int] = {}
        self._snapshot_seqs: set[tuple[str, int]] = set()
        self._first_tz_s: int | None = None
        self._last_us: int | None = None
        self._since_forget = 0
        self._clear_dirty()
        self._on: dict[type, Callable[[Any], None]] = {
            domain.ContactQueued: self._on_queued,
            domain.ContactQueuedLate: self._on_queued_late,
            domain.ContactTransferred: self._on_transferred,
            domain.ContactAnswered: self._on_answered,
            domain.ContactAbandoned: self._on_abandoned,
            domain.ContactEnded: self._on_ended,
            domain.WrapUpEnded: self._on_wrap_up_ended,
            domain.ContactLost: self._on_lost,
            domain.SurveyCompleted: self._on_survey,
            domain.AgentStateChanged: self._on_agent_state,
            domain.AgentUnknown: self._on_agent_unknown,
            domain.QueueDefined: self._on_queue,
            domain.EscalationOpened: self._on_escalation,
            domain.EscalationUpdated: self._on_escalation,
            domain.EscalationReopened: self._on_reopened,
            domain.EscalationResolved: self._on_resolved,
            domain.EscalationReassigned: self._on_reassigned,
            domain.ServerTime: self._on_server_time,
            domain.Anomaly: self._on_anomaly,
        }

    def _clear_dirty(self) -> None:
        self._d_contacts: dict[str, _Contact] = {}
        self._d_agents: dict[str, _Agent] = {}
        self._d_escalations: dict[str, _Escalation] = {}
        self._d_queues: set[str] = set()
        self._d_order: dict[str, int] = {}
        self._intervals: list[tuple[str, str, int, int]] = []
        self._days: dict[tuple[str, str, int], int] = {}
        self._seqs: dict[str, list[int]] = {}  # epoch -> [min seq, max seq, rows of part 0]
        self._snap_add: set[tuple[str, int]] = set()
        self._snap_del: set[tuple[str, int]] = set()
        self._minutes: dict[str | int, list[int]] = {}  # minute -> [first, last row id]
        self._reassigned: list[dict[str, Any]] = []
        self._anomalies: Counter[str] = Counter()

    # ------------------------------------------------------------------ the store's side

    def lock(self, conn: sa.Connection) -> int:
        """Take the facts' write lock in ``conn``'s transaction (PostgreSQL: the
        ``applied_id`` row, FOR UPDATE; SQLite's BEGIN IMMEDIATE already serialises
        writers) and return ``applied_id``. The journal writer takes it BEFORE inserting
        rows, so row ids are handed out in the order the facts are applied."""
        meta = schema.fact_meta
        query = sa.select(meta.c.value).where(meta.c.key == "applied_id")
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return int(conn.execute(query).scalar_one())

    def sync(self, conn: sa.Connection, limit: int | None = None) -> bool:
        """Bring the facts up to the journal in ``conn``'s transaction (which the caller
        commits): restore a fresh keeper, read rows journaled since ``applied_id``. With
        ``limit``, at most that many rows; returns True when the facts are complete."""
        applied = self.lock(conn)
        if self.applied_id is not None and applied > self.applied_id:
            # another writer kept the facts of rows this keeper has not seen: tell its
            # interpreter what they were (their rows are written already)
            self._fast_forward(conn, applied)
        if self.applied_id is None or self.applied_id != applied:
            # fresh, or the facts are not where this keeper left them (a transaction of
            # its own rolled back, a rebuild): start from what the rows say
            self._reset()
            self._restore(conn, applied)
            self.applied_id = applied
        j = schema.journal
        read = 0
        while limit is None or read < limit:
            n = CATCH_UP_CHUNK if limit is None else min(CATCH_UP_CHUNK, limit - read)
            # plain DBAPI rows: this runs on every write, over every row just journaled
            mark = "%s" if conn.dialect.name == "postgresql" else "?"
            rows = conn.exec_driver_sql(
                f"SELECT {_ROW} FROM journal WHERE id > {mark} ORDER BY id LIMIT {int(n)}",
                (self.applied_id,),
            ).fetchall()
            if not rows:
                self.flush(conn)
                return True
            self.apply(conn, rows)
            read += len(rows)
        self.flush(conn)
        return conn.execute(sa.select(j.c.id).where(j.c.id > self.applied_id).limit(1)).first() is None

    def _fast_forward(self, conn: sa.Connection, applied: int) -> None:
        mark = "%s" if conn.dialect.name == "postgresql" else "?"
        while self.applied_id is not None and self.applied_id < applied:
            rows = conn.exec_driver_sql(
                f"SELECT {_ROW} FROM journal WHERE id > {mark} AND id <= {mark}"
                f" ORDER BY id LIMIT {CATCH_UP_CHUNK}", (self.applied_id, applied),
            ).fetchall()
            if not rows:
                break
            self.apply(conn, rows)
            self._clear_dirty()  # already written by the writer that journaled them

    def apply(self, conn: sa.Connection, rows: Sequence[Any]) -> None:
        """Feed journal rows (``_ROW``), in id order, newer than ``applied_id``."""
        self._prefetch(conn, {row[2] for row in rows if row[2] is not None})
        decode = wire.decode
        last = self.applied_id
        seqs = self._seqs
        minutes = self._minutes
        for row_id, payload, _, epoch, seq, part, ts in rows:
            last = row_id
            # the row's minute: SQLite's text "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) cut at the
            # minute, PostgreSQL's datetime; converted once per minute of the batch
            minute = ts[:16] if type(ts) is str else to_us(ts) // MINUTE_US * MINUTE_US
            got_m = minutes.get(minute)
            if got_m is None:
                minutes[minute] = [row_id, row_id]
            else:
                got_m[1] = row_id
            got = seqs.get(epoch)
            if got is None:
                seqs[epoch] = [seq, seq, 0]
            else:
                if seq < got[0]:
                    got[0] = seq
                if seq > got[1]:
                    got[1] = seq
            if part == 0:
                seqs[epoch][2] += 1
                if (epoch, seq) in self._snapshot_seqs:  # the event at a snapshot's seq
                    self._snapshot_seqs.discard((epoch, seq))
                    self._snap_del.add((epoch, seq))
            elif (epoch, seq) not in self._snapshot_seqs and conn.exec_driver_sql(
                    _EVENT_AT_SEQ[conn.dialect.name == "postgresql"], (epoch, seq)).first() is None:
                self._snapshot_seqs.add((epoch, seq))  # a seq journaled as a snapshot only
                self._snap_del.discard((epoch, seq))
                self._snap_add.add((epoch, seq))
            try:
                event = decode(unpack(payload))
            except (wire.Rejected, ValueError, zlib.error):
                continue  # never journaled by this program: skipped as iter_events does
            if isinstance(event, wire.UnknownEvent):
                continue
            joined = self._joiner.feed(event)
            if joined is not None:
                self.feed(joined)
        self.applied_id = last

    def _prefetch(self, conn: sa.Connection, call_ids: set[str]) -> None:
        """The rows of contacts these events name that the keeper does not hold (forgotten
        ones), read once per batch rather than once per event."""
        missing = sorted(cid for cid in call_ids if cid not in self._contacts)
        cf = schema.contact_facts
        for i in range(0, len(missing), 500):
            for row in conn.execute(sa.select(cf).where(cf.c.call_id.in_(missing[i:i + 500]))):
                self._contacts[row.call_id] = _Contact.of_row(row)

    def feed(self, event: wire.Event) -> None:
        """One event's facts onto the rows (as ``KpiBuilder.feed`` does onto KpiFacts)."""
        ts = event.ts
        if self._first_tz_s is None:
            offset = ts.utcoffset()
            self._first_tz_s = int(offset.total_seconds()) if offset is not None else 0
        ts_us = to_us(ts)
        if self._last_us is None or ts_us > self._last_us:
            self._last_us = ts_us
        interpret = self._handlers.get(type(event))
        if interpret is not None:
            on = self._on
            for fact in interpret(event):
                handler = on.get(type(fact))
                if handler is not None:
                    handler(fact)
        self._since_forget += 1

    def flush(self, conn: sa.Connection) -> None:
        """Write the rows changed since the last flush, and ``applied_id``."""
        if self._d_contacts:
            write_tuples(conn, schema.contact_facts, _C_COLS,
                         [_c_tuple(c) for c in self._d_contacts.values()], keys=("call_id",))
        if self._intervals:
            write_tuples(conn, schema.agent_intervals, _I_COLS, self._intervals)
            write_tuples(conn, schema.agent_state_days, _D_COLS,
                         [(*key, us) for key, us in self._days.items()], keys=_D_COLS[:3], add=("us",))
        if self._d_agents:
            write_tuples(conn, schema.agent_facts, _A_COLS,
                         [_a_tuple(a) for a in self._d_agents.values()], keys=("agent_id",))
        if self._d_queues:
            qr = schema.queue_records
            conn.execute(qr.delete().where(qr.c.queue.in_(
                [q.replace("\x00", "\ufffd") for q in sorted(self._d_queues)])))
            _insert(conn, qr, [
                {"queue": q, "idx": i, "at_us": at, "record": _json.encode(rec).decode()}
                for q in sorted(self._d_queues)
                for i, (at, rec) in enumerate(zip(self._queues[q].starts, self._queues[q].records))
            ])
        if self._d_order:
            _insert(conn, schema.queue_order,
                    [{"queue": q, "ord": n} for q, n in self._d_order.items()])
        if self._d_escalations:
            upsert(conn, schema.escalation_facts, ("escalation_id",),
                    [e.values() for e in self._d_escalations.values()])
        if self._reassigned:
            _insert(conn, schema.reassignment_facts, self._reassigned)
        if self._anomalies:
            upsert(conn, schema.fact_anomalies, ("reason",),
                    [{"reason": r, "n": n} for r, n in self._anomalies.items()], add=("n",))
        if self._minutes:
            conn.exec_driver_sql(_MARKS_SQL[conn.dialect.name == "postgresql"], [
                (_minute_us(m), lo, hi) for m, (lo, hi) in self._minutes.items()])
        if self._seqs:
            conn.exec_driver_sql(_SEQS_SQL[conn.dialect.name == "postgresql"],
                                 [(e, lo, hi, n) for e, (lo, hi, n) in self._seqs.items()])
        if self._snap_add:
            write_tuples(conn, schema.snapshot_seqs, ("epoch", "seq"), sorted(self._snap_add))
        if self._snap_del:
            ss = schema.snapshot_seqs
            for e, q in sorted(self._snap_del):
                conn.execute(ss.delete().where(ss.c.epoch == e, ss.c.seq == q))
        meta = {"applied_id": self.applied_id or 0, "last_us": self._last_us, "first_tz_s": self._first_tz_s}
        upsert(conn, schema.fact_meta, ("key",), [{"key": k, "value": v} for k, v in meta.items()])
        self._clear_dirty()
        if self._since_forget >= FORGET_EVERY:
            self._forget()

    def _forget(self) -> None:
        self._since_forget = 0
        if self._last_us is None:
            return
        before = from_us(self._last_us - self._horizon_us, UTC)
        self.interpreter.forget(before)
        known = self.interpreter.outcome
        # a contact whose wrap-up is still running stays: its end comes with an agent.state
        gone = [cid for cid, c in self._contacts.items() if not c.wrap_pending and known(cid) is None]
        for cid in gone:
            del self._contacts[cid]

    # ------------------------------------------------------------------ restoring

    def _restore(self, conn: sa.Connection, applied: int) -> None:
        """A fresh interpreter told what the rows say, when they say anything."""
        if not applied:
            return
        meta = dict(conn.execute(sa.select(schema.fact_meta.c.key, schema.fact_meta.c.value)).all())
        self._first_tz_s = meta.get("first_tz_s")
        self._last_us = meta.get("last_us")
        for row in conn.execute(sa.select(schema.snapshot_seqs)):
            self._snapshot_seqs.add((row.epoch, int(row.seq)))
        for row in conn.execute(sa.select(schema.queue_order)):
            self._queue_order[row.queue] = int(row.ord)
        qr = schema.queue_records
        for row in conn.execute(sa.select(qr).order_by(qr.c.queue, qr.c.idx)):
            h = self._queues.get(row.queue)
            if h is None:
                h = self._queues[row.queue] = QueueHistory()
            rec = _queue.decode(row.record)
            h.starts.append(int(row.at_us))
            h.records.append(rec)
            h.sla_us.append(round(rec.sla_seconds * 1_000_000))
        # What the interpreter decides from, told as the events it was told. Its facts
        # are dropped: the rows already hold them.
        tz = timezone(timedelta(seconds=self._first_tz_s or 0))
        feed = self.interpreter.feed
        for row in conn.execute(sa.select(schema.agent_facts)):
            a = self._agents[row.agent_id] = _Agent(row.agent_id)
            a.name, a.team, a.state, a.since_us, a.call_id = row.name, row.team, row.state, int(row.since_us), row.call_id
            if a.state is not None:
                feed(_event(wire.AgentStateChanged, from_us(a.since_us, tz), wire.AgentStateData(
                    wire.Agent(a.agent_id, a.state, from_us(a.since_us, tz), a.name, a.team,  # type: ignore[arg-type]
                               call_id=a.call_id))))
        cf = schema.contact_facts
        recent = (self._last_us or 0) - self._horizon_us
        query = sa.select(cf).where(sa.or_(
            cf.c.outcome == WAITING, cf.c.wrap_pending == 1,
            sa.and_(cf.c.outcome == ANSWERED, cf.c.ended_us.is_(None)),
            cf.c.queued_us >= recent, cf.c.outcome_us >= recent, cf.c.ended_us >= recent,
        )).order_by(cf.c.queued_us, cf.c.call_id)
        for row in conn.execute(query):
            c = _Contact.of_row(row)
            self._contacts[c.call_id] = c
            self._restore_contact(c, tz)
            if c.wrap_pending:
                agent_id = c.answered_by or c.ended_by
                if agent_id is not None:
                    self._agent(agent_id).pending.add(c.call_id)
        ef = schema.escalation_facts
        for row in conn.execute(sa.select(ef)):
            e = self._escalations[row.escalation_id] = _Escalation.of_row(row)
            if e.record is not None and (e.status != "resolved" or (e.resolved_us or 0) >= recent):
                esc = _escalation.decode(e.record)
                at = from_us(e.resolved_us, tz) if e.resolved_us is not None else esc.opened_at
                feed(_event(wire.EscalationUpdated, at, wire.EscalationData(esc)))
                if e.resolved_exact and e.resolved_us is not None:
                    feed(_event(wire.EscalationResolved, at, wire.EscalationResolvedData(
                        e.escalation_id, at, e.resolution)))

    def _restore_contact(self, c: _Contact, tz: timezone) -> None:
        feed = self.interpreter.feed
        if c.queued_us is not None and c.queue is not None:
            customer = _customer.decode(c.customer) if c.customer else wire.Customer("?")
            at = from_us(c.queued_us, tz)
            feed(_event(wire.CallQueued, at, wire.CallQueuedData(wire.Contact(
                c.call_id, c.queue, c.channel or "voice", customer, at, c.priority, c.case_id))))  # type: ignore[arg-type]
        elif c.queue is not None:
            at = from_us(c.outcome_us or c.ended_us or 0, tz)
            feed(_event(wire.CallTransferred, at, wire.CallTransferredData(c.call_id, c.queue, at)))
        if c.outcome == ANSWERED and c.outcome_us is not None and c.answered_by is not None:
            at = from_us(c.outcome_us, tz)
            feed(_event(wire.CallAnswered, at, wire.CallAnsweredData(c.call_id, c.answered_by, at)))
        elif c.outcome == ABANDONED and c.outcome_us is not None:
            at = from_us(c.outcome_us, tz)
            feed(_event(wire.CallAbandoned, at, wire.CallAbandonedData(c.call_id, at)))
        if c.wrap_pending and c.ended_us is not None and c.ended_by is not None:
            # only an end still waiting for its wrap-up: the interpreter puts it back on
            # its agent's pending list (the agent's state was restored first)
            at = from_us(c.ended_us, tz)
            feed(_event(wire.CallEnded, at, wire.CallEndedData(c.call_id, c.ended_by, at, c.case_id)))

    # ------------------------------------------------------------------ rows

    def _contact(self, call_id: str, create: bool = True) -> _Contact | None:
        c = self._contacts.get(call_id)
        if c is None:
            if not create:
                return None
            c = self._contacts[call_id] = _Contact(call_id)
        self._d_contacts[call_id] = c
        return c

    def _see_queue(self, queue: str) -> None:
        if queue not in self._queue_order:
            self._queue_order[queue] = self._d_order[queue] = len(self._queue_order)

    def _establish(self, contact: wire.Contact, c: _Contact) -> None:
        c.queued_us = to_us(contact.queued_at)
        if c.first_queue is None:
            c.first_queue = contact.queue
        c.queue = contact.queue
        c.channel = contact.channel
        c.customer = _json.encode(contact.customer).decode()
        c.priority = contact.priority
        if contact.case_id is not None:
            c.case_id = contact.case_id
        self._see_queue(contact.queue)

    def _on_queued(self, f: domain.ContactQueued) -> None:
        c = self._contact(f.contact.call_id)
        assert c is not None
        c.outcome = WAITING
        self._establish(f.contact, c)

    def _on_queued_late(self, f: domain.ContactQueuedLate) -> None:
        c = self._contact(f.contact.call_id)
        assert c is not None
        self._establish(f.contact, c)

    def _on_transferred(self, f: domain.ContactTransferred) -> None:
        c = self._contact(f.call_id)
        assert c is not None
        if c.first_queue is None:
            c.first_queue = f.to_queue
        c.queue = f.to_queue
        c.transfers += 1
        self._see_queue(f.to_queue)

    def _on_answered(self, f: domain.ContactAnswered) -> None:
        c = self._contact(f.call_id)
        assert c is not None
        c.outcome = ANSWERED
        c.outcome_us = to_us(f.at)
        c.answered_by = f.agent_id

    def _on_abandoned(self, f: domain.ContactAbandoned) -> None:
        c = self._contact(f.call_id)
        assert c is not None
        c.outcome = ABANDONED
        c.outcome_us = to_us(f.at)

    def _on_lost(self, f: domain.ContactLost) -> None:
        c = self._contact(f.call_id, create=False)
        if c is not None:
            c.outcome = UNKNOWN

    def _on_ended(self, f: domain.ContactEnded) -> None:
        c = self._contact(f.call_id)
        assert c is not None
        c.ended_us = to_us(f.at)
        c.ended_by = f.agent_id
        if f.case_id is not None:
            c.case_id = f.case_id
        a = self._agent(f.answered_by or f.agent_id)
        c.wrap_pending = 1 if f.wrap_pending else 0
        if f.wrap_pending:
            a.pending.add(c.call_id)

    def _on_wrap_up_ended(self, f: domain.WrapUpEnded) -> None:
        c = self._contact(f.call_id, create=False)
        if c is None:
            return
        c.wrap_end_us = to_us(f.at)
        c.wrap_pending = 0
        a = self._agents.get(f.agent_id)
        if a is not None:
            a.pending.discard(f.call_id)

    def _on_survey(self, f: domain.SurveyCompleted) -> None:
        c = self._contact(f.call_id, create=False)
        if c is None:
            return
        c.scores = str(f.score) if c.scores is None else f"{c.scores},{f.score}"
        c.score_sum += f.score
        c.score_n += 1
        if f.score >= 4:
            c.score_top2 += 1
        if c.case_id is None and f.case_id is not None:
            c.case_id = f.case_id

    def _agent(self, agent_id: str) -> _Agent:
        a = self._agents.get(agent_id)
        if a is None:
            a = self._agents[agent_id] = _Agent(agent_id)
        self._d_agents[agent_id] = a
        return a

    def _on_agent_state(self, f: domain.AgentStateChanged) -> None:
        agent = f.agent
        a = self._agent(agent.agent_id)
        since_us = to_us(agent.since)
        if a.state is not None and since_us > a.since_us:
            self._interval(a.agent_id, a.state, a.since_us, since_us)
        a.state = agent.state
        a.since_us = since_us
        a.call_id = agent.call_id
        a.name = agent.name
        a.team = agent.team

    def _interval(self, agent_id: str, state: str, start_us: int, end_us: int) -> None:
        """A closed state interval, kept in pieces within one day of the center each,
        and added to the agent's day sums (so a month's state time is a sum of days)."""
        off = (self._first_tz_s or 0) * US_PER_S
        days = self._days
        while start_us < end_us:
            day = (start_us + off) // DAY_US * DAY_US - off
            cut = min(end_us, day + DAY_US)
            self._intervals.append((agent_id, state, start_us, cut))
            key = (agent_id, state, day)
            days[key] = days.get(key, 0) + cut - start_us
            start_us = cut

    def _on_agent_unknown(self, f: domain.AgentUnknown) -> None:
        a = self._agents.get(f.agent_id)
        if a is None:
            return
        self._d_agents[f.agent_id] = a
        end_us = to_us(f.end)
        if a.state is not None and end_us > a.since_us:
            self._interval(a.agent_id, a.state, a.since_us, end_us)
        a.state = None
        a.since_us = max(a.since_us, end_us)
        a.call_id = None
        for call_id in a.pending:  # the end of those wrap-ups will never be seen
            c = self._contact(call_id, create=False)
            if c is not None:
                c.wrap_pending = 0
        a.pending.clear()

    def _on_queue(self, f: domain.QueueDefined) -> None:
        record = f.queue
        h = self._queues.get(record.id)
        if h is None:
            h = self._queues[record.id] = QueueHistory()
        if h.add(to_us(f.at), record):
            self._d_queues.add(record.id)
        self._see_queue(record.id)

    def _escalation(self, escalation_id: str) -> _Escalation:
        e = self._escalations.get(escalation_id)
        if e is None:
            e = self._escalations[escalation_id] = _Escalation(escalation_id)
        self._d_escalations[escalation_id] = e
        return e

    def _on_escalation(self, f: domain.EscalationOpened | domain.EscalationUpdated) -> None:
        rec = f.escalation
        e = self._escalation(rec.escalation_id)
        e.record = _json.encode(rec).decode()
        e.case_id = rec.case_id
        e.department = rec.department
        e.owner = _json.encode(rec.owner).decode()
        e.severity = rec.severity
        e.summary = rec.summary
        e.opened_us = to_us(rec.opened_at)
        e.due_us = to_us(rec.due_at)
        e.status = rec.status

    def _on_reopened(self, f: domain.EscalationReopened) -> None:
        e = self._escalation(f.escalation_id)
        e.resolved_us = None
        e.resolved_exact = 0

    def _on_resolved(self, f: domain.EscalationResolved) -> None:
        e = self._escalation(f.escalation_id)
        e.status = "resolved"
        e.resolved_us = to_us(f.at)
        e.resolved_exact = 1 if f.exact else 0
        if f.exact:
            e.resolution = f.resolution

    def _on_reassigned(self, f: domain.EscalationReassigned) -> None:
        e = self._escalation(f.escalation_id)
        e.reassignments += 1
        e.owner = _json.encode(f.to_owner).decode()
        self._reassigned.append({
            "escalation_id": f.escalation_id, "at_us": to_us(f.at), "reason": f.reason,
            "detail": _json.encode([f.by, f.from_owner, f.to_owner]).decode(),
        })

    def _on_server_time(self, f: domain.ServerTime) -> None:
        us = to_us(f.at)
        if self._last_us is None or us > self._last_us:
            self._last_us = us

    def _on_anomaly(self, f: domain.Anomaly) -> None:
        self._anomalies[f.reason] += 1


def _event(cls: type, at: datetime, data: Any) -> Any:
    return cls(v=1, seq=0, ts=at, data=data)


def decode_person(text: str | None) -> wire.Person | None:
    return None if text is None else _person.decode(text)


def decode_customer(text: str | None) -> wire.Customer | None:
    return None if text is None else _customer.decode(text)


def decode_queue(text: str) -> wire.Queue:
    return _queue.decode(text)


_persons = msgspec.json.Decoder(tuple[wire.Person, wire.Person, wire.Person])


def decode_reassignment(text: str) -> tuple[wire.Person, wire.Person, wire.Person]:
    """(by, from_owner, to_owner) of a reassignment_facts row."""
    return _persons.decode(text)

"""The journal store: every stream event once, the quarantine, and the audit trail.

Synchronous SQLAlchemy on purpose: the feed client calls it from one worker thread, the
KPI engine and the desktop from theirs. SQLite (the default, a file) and PostgreSQL (by
URL) are both first-class; writes are idempotent on (epoch, seq) on both.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.pool import StaticPool

from supervisor import wire
from supervisor.errors import CannotConnect, CommandCenterError, UsageError
from supervisor.masking import mask_free_text
from supervisor.paths import private_dir, private_file, tighten
from supervisor.store import schema
from supervisor.store.facts import FactKeeper, upsert
from supervisor.store.migrations import migrate
from supervisor.store.payload import pack, unpack
from supervisor.store.rows import JournalRow, QuarantineEntry

log = logging.getLogger(__name__)

UTC = timezone.utc
CHUNK = 5_000  # rows per query when streaming the journal
ROWS_PER_INSERT = 2_000  # x 10 columns: under SQLite's 32,766 and PostgreSQL's 65,535 parameters
_IN_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class AuditEntry:
    """One audited action: a reassignment request and its result, a reveal of masked data."""

    id: int
    kind: str
    actor: dict[str, Any]
    at: datetime  # aware, UTC
    subject_id: str
    detail: dict[str, Any]


def engine_for(url: str) -> sa.Engine:
    """An engine for a journal URL, set up as the store needs it (SQLite: WAL, real BEGINs)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise UsageError(f"{url!r} is not a database URL (e.g. sqlite:///journal.db)") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        memory = database in ("", ":memory:") or database.startswith("file::memory:")
        if not memory:
            try:
                path = Path(database).expanduser()
                private_dir(path.parent)
                if not database.startswith("file:"):
                    # 0600 before SQLite opens it: SQLite gives the -wal and -shm files it
                    # makes beside it the database's mode
                    private_file(path)
                    tighten(path.with_name(path.name + "-wal"))
                    tighten(path.with_name(path.name + "-shm"))
            except OSError as exc:
                raise CannotConnect(
                    f"cannot open the journal database {database}: {exc.strerror or exc}"
                ) from None
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if memory:
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        engine = sa.create_engine(parsed, **kwargs)
        _sqlite_setup(engine, memory)
        return engine
    if backend == "postgresql":
        return sa.create_engine(parsed, pool_pre_ping=True)
    raise UsageError(f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://")


def _sqlite_setup(engine: sa.Engine, memory: bool) -> None:
    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is too lazy
        # to take the write lock when a migration needs it)
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        if not memory:
            _set_wal(cur)  # readers never block the recorder
        cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
        # checkpoint every 16 MiB of WAL, not 4: the index pages the recorder touches on
        # every commit are copied back once per checkpoint, so fewer checkpoints copy less
        cur.execute("PRAGMA wal_autocheckpoint=4096")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def _set_wal(cur: Any, patience_s: float = 30.0) -> None:
    """Switch a SQLite file to WAL. Two processes opening a new file at once can get
    "database is locked" here without SQLite's busy handler being asked, so retry."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def insert_sizes(total: int) -> list[tuple[int, int]]:
    """(start, rows) of the INSERT statements journaling ``total`` rows: whole statements of
    ROWS_PER_INSERT rows, then the rest in powers of two (1,000 rows: 512 + 256 + 128 + 64
    + 32 + 8).

    Every distinct row count is another SQL text, and the driver keeps the statements it
    prepared (Python's sqlite3: 128 per connection; psycopg: server-side after a few
    runs). A statement of 2,000 rows x 10 parameters is about a megabyte prepared, so one
    text per batch size made a recorder hold ~120 MB in SQLite by mid-morning (measured
    with benchmarks/bench_soak_recorder.py); with these sizes there are at most 12 texts.
    """
    out: list[tuple[int, int]] = []
    start = 0
    while total - start >= ROWS_PER_INSERT:
        out.append((start, ROWS_PER_INSERT))
        start += ROWS_PER_INSERT
    rest = total - start
    size = 1 << (ROWS_PER_INSERT.bit_length() - 1)
    while rest:
        if rest >= size:
            out.append((start, size))
            start += size
            rest -= size
        size >>= 1
    return out


class Store:
    """The journal database at ``url``; the schema is created or migrated on open."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = engine_for(url)
        self.dialect = self._engine.dialect.name
        try:
            self.schema_version = migrate(self._engine)
        except sa.exc.OperationalError as exc:
            self._engine.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise CannotConnect(f"cannot open the journal database: {reason}") from None
        except BaseException:
            self._engine.dispose()
            raise
        self._insert_sql: dict[int, str] = {}
        self._keeper: FactKeeper | None = None  # made by the first write (readers need none)

    def _insert_journal_sql(self, n: int) -> str:
        """One INSERT of ``n`` rows, idempotent on (epoch, seq).

        The recorder's hot path: plain DBAPI, no per-row SQLAlchemy processing, and many
        rows per statement. One statement per row (executemany) hands the GIL back and
        forth per row between this writer thread and the socket reader, which cost more
        than SQLite's own work.
        """
        sql = self._insert_sql.get(n)
        if sql is None:
            if self.dialect == "sqlite":
                # ts arrives as POSIX seconds; the stored text is exactly what SQLAlchemy's
                # DATETIME writes ("YYYY-MM-DD HH:MM:SS.ffffff", UTC) at the protocol's
                # millisecond precision, so bounds bound through the ORM type compare right
                ts = "strftime('%Y-%m-%d %H:%M:%f', ?, 'unixepoch') || '000'"
                row = f"(?, ?, ?, ?, {ts}, ?, ?, ?, ?, ?)"
            else:
                row = f"({', '.join(['%s'] * len(JournalRow._fields))})"
            sql = (
                f"INSERT INTO journal ({', '.join(JournalRow._fields)}) VALUES "
                f"{', '.join([row] * n)} ON CONFLICT (epoch, seq, part) DO NOTHING"
            )
            self._insert_sql[n] = sql
        return sql

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, for readers that need their own queries."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self) -> Any:
        """A connection in a write transaction (SQLite: take the write lock at BEGIN)."""
        conn = self._engine.connect()
        if self.dialect == "sqlite":
            conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        return _Tx(conn)

    # ------------------------------------------------------------------ writes

    def append(
        self, rows: Sequence[JournalRow], quarantine: Sequence[QuarantineEntry] = ()
    ) -> int:
        """Journal ``rows`` (and quarantine entries) in one transaction; return how many
        rows were new. A row whose (epoch, seq) is already journaled is skipped."""
        if not rows and not quarantine:
            return 0
        inserted = 0
        with self._write() as conn:
            if rows:
                self.keeper.lock(conn)  # row ids in the order the facts are applied
                sqlite = self.dialect == "sqlite"
                for i, n in insert_sizes(len(rows)):
                    chunk = rows[i : i + n]
                    if sqlite:
                        # SQLite turns the POSIX time into SQLAlchemy's naive-UTC DATETIME
                        # text itself (see _insert_journal_sql): C work, outside the GIL;
                        # the message is kept compact (payload.py)
                        flat = tuple(chain.from_iterable(
                            (e, q, n, t, ts.timestamp(), c, k, x, a, pack(p))
                            for e, q, n, t, ts, c, k, x, a, p in chunk
                        ))
                    else:
                        flat = tuple(chain.from_iterable(chunk))  # type: ignore[arg-type]
                    result = conn.exec_driver_sql(self._insert_journal_sql(len(chunk)), flat)
                    inserted += max(result.rowcount, 0)
            if quarantine:
                conn.execute(schema.quarantine.insert(), [_quarantine_values(q) for q in quarantine])
            if inserted:
                # the facts of the new rows, in the same transaction (supervisor/store/facts.py)
                self._keep_facts(conn)
        return inserted

    def _keep_facts(self, conn: sa.Connection) -> None:
        """The facts of the rows just journaled. The events are what was received and the
        facts only what was made of them: a failure here (a fault in the facts' code) is
        logged and undone alone, the rows are still journaled, and the facts catch up on
        a later write or at the next ``kpi`` (a database failure fails the whole write,
        which the writer retries)."""
        savepoint = conn.begin_nested()
        try:
            self.keeper.sync(conn)
        except sa.exc.OperationalError:
            savepoint.rollback()
            raise
        except Exception:  # noqa: BLE001 - see the docstring
            savepoint.rollback()
            self._keeper = None  # the next write starts from what the rows say
            log.exception("the facts of the journal could not be kept; the events are journaled")
        else:
            savepoint.commit()

    @property
    def keeper(self) -> FactKeeper:
        if self._keeper is None:
            self._keeper = FactKeeper()
        return self._keeper

    def catch_up_facts(self, chunk: int = 50_000, progress: Any = None) -> int:
        """Bring the facts up to the journal, ``chunk`` rows per transaction (a journal
        from before the facts, or written by an older version). Returns rows read."""
        total = 0
        while True:
            with self._write() as conn:
                before = self.keeper.applied_id or 0
                done = self.keeper.sync(conn, limit=chunk)
                total += (self.keeper.applied_id or 0) - before
            if progress is not None:
                progress(self.keeper.applied_id or 0)
            if done:
                return total

    def rebuild_facts(self, chunk: int = 50_000, progress: Any = None) -> int:
        """Drop every fact and keep them again from the whole journal (refused once the
        journal was pruned: the facts of the dropped events could not come back)."""
        with self._write() as conn:
            meta = schema.fact_meta
            if conn.execute(sa.select(meta.c.value).where(meta.c.key == "pruned_id")).scalar():
                raise CommandCenterError(
                    "this journal was pruned: its oldest facts no longer have events to be rebuilt from")
            for table in reversed(schema.FACT_TABLES):
                conn.execute(table.delete())
            conn.execute(schema.fact_meta.insert().values(key="applied_id", value=0))
        self._keeper = None
        return self.catch_up_facts(chunk, progress)

    def prune_events(self, before: datetime) -> int:
        """Drop journal rows with ts before ``before`` whose facts are kept (the facts stay);
        returns how many went. The caller decides the bound (``maintenance.prune_bound``)."""
        if before.tzinfo is None:
            raise ValueError("before must be an aware datetime")
        j, meta = schema.journal, schema.fact_meta
        dropped = 0
        while True:
            with self._write() as conn:
                applied = int(conn.execute(
                    sa.select(meta.c.value).where(meta.c.key == "applied_id")).scalar_one())
                bounds = self._marked(conn, None, before)
                top = min(applied, bounds[1]) if bounds is not None else 0
                ids = sa.select(j.c.id).where(j.c.id <= top, j.c.ts < before).order_by(j.c.id).limit(CHUNK * 4)
                last = None
                chunk = [row_id for (row_id,) in conn.execute(ids)]
                if chunk:
                    last = chunk[-1]
                    result = conn.execute(j.delete().where(j.c.id >= chunk[0], j.c.id <= last, j.c.ts < before))
                    dropped += max(result.rowcount, 0)
                    old = conn.execute(sa.select(meta.c.value).where(meta.c.key == "pruned_id")).scalar()
                    upsert(conn, meta, ("key",), [{"key": "pruned_id", "value": max(int(old or 0), last)}])
            if last is None:
                return dropped

    def facts_complete(self) -> bool:
        """The facts include every journaled row (so figures can be read from them)."""
        j, meta = schema.journal, schema.fact_meta
        with self._engine.connect() as conn:
            applied = conn.execute(sa.select(meta.c.value).where(meta.c.key == "applied_id")).scalar()
            newest = conn.execute(sa.select(sa.func.max(j.c.id))).scalar()
        return newest is None or (applied is not None and int(applied) >= int(newest))

    def add_quarantine(self, entries: Iterable[QuarantineEntry]) -> None:
        """Keep rejected messages for inspection."""
        entries = list(entries)
        if entries:
            self.append((), entries)

    def add_audit(
        self, kind: str, actor: dict[str, Any], at: datetime, subject_id: str,
        detail: dict[str, Any],
    ) -> None:
        """Record an audited action (e.g. kind "reassign" with its result in ``detail``)."""
        with self._write() as conn:
            conn.execute(
                schema.audit.insert().values(
                    kind=kind, actor=actor, at=at, subject_id=subject_id, detail=detail
                )
            )

    # ------------------------------------------------------------------ reads

    def last_position(self) -> tuple[str, int] | None:
        """(epoch, seq) of the newest journaled event, to resume the stream from."""
        j = schema.journal
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(j.c.epoch, j.c.seq).order_by(j.c.id.desc()).limit(1)).first()
        return (row.epoch, int(row.seq)) if row else None

    def missing_events(self) -> int:
        """Events the journal is missing: seqs skipped inside each epoch's journaled range.

        A gap that no resume could fill ends in a snapshot; the state is whole again, but
        the events in between (and what they would have told the figures) are not here.
        """
        j = schema.journal
        query = sa.select(
            sa.func.max(j.c.seq) - sa.func.min(j.c.seq) + 1 - sa.func.count(sa.distinct(j.c.seq))
        ).group_by(j.c.epoch)
        with self._engine.connect() as conn:
            return sum(int(n) for (n,) in conn.execute(query))

    def seq_count(self) -> int:
        """Stream positions journaled: (epoch, seq) pairs, each once (a snapshot that a
        backfill journals beside the event at its seq is not another position)."""
        j = schema.journal
        inner = sa.select(j.c.epoch, j.c.seq).distinct().subquery()
        with self._engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(inner)).scalar_one())

    def event_count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(schema.journal)).scalar_one())

    def quarantine_count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(schema.quarantine)).scalar_one())

    def quarantined(self, limit: int | None = None) -> list[QuarantineEntry]:
        """Quarantined messages, oldest first (the newest ``limit`` when given)."""
        q = schema.quarantine
        query = sa.select(q).order_by(q.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as conn:
            rows = list(conn.execute(query))
        rows.reverse()
        return [
            QuarantineEntry(
                kind=r.kind, reason=r.reason, received_at=r.received_at, raw=r.raw,
                encoding=r.encoding, size=int(r.size), truncated=bool(r.truncated),
                epoch=r.epoch, id=int(r.id),
            )
            for r in rows
        ]

    def audit(
        self, subject_ids: Iterable[str] | None = None, kinds: Iterable[str] | None = None
    ) -> list[AuditEntry]:
        """Audit entries in the order they were added, optionally for some subjects/kinds."""
        a = schema.audit
        query = sa.select(a).order_by(a.c.id)
        if subject_ids is not None:
            query = query.where(a.c.subject_id.in_(list(subject_ids)))
        if kinds is not None:
            query = query.where(a.c.kind.in_(list(kinds)))
        with self._engine.connect() as conn:
            return [
                AuditEntry(int(r.id), r.kind, r.actor, r.at, r.subject_id, r.detail)
                for r in conn.execute(query)
            ]

    def last_snapshot(self, epoch: str) -> tuple[int, datetime] | None:
        """(row id, ts) of the newest snapshot of ``epoch``: where a whole state starts."""
        j = schema.journal
        query = (sa.select(j.c.id, j.c.ts).where(j.c.epoch == epoch, j.c.type == "snapshot")
                 .order_by(j.c.id.desc()).limit(1))
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return (int(row.id), row.ts) if row else None

    def newest_ts(self) -> datetime | None:
        """The ts of the newest journaled event (journal order), aware UTC."""
        j = schema.journal
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(j.c.ts).order_by(j.c.id.desc()).limit(1)).first()
        return row.ts if row else None

    def _marked(self, conn: sa.Connection, since: datetime | None, until: datetime | None
                ) -> tuple[int, int] | None:
        """(lowest, highest) row id that can hold an event with ``since <= ts < until``,
        from the minute marks (schema.ts_marks); None when no row can."""
        m = schema.ts_marks
        conds = []
        if since is not None:
            conds.append(m.c.minute_us >= _to_us(since) // schema.MINUTE_US * schema.MINUTE_US)
        if until is not None:
            conds.append(m.c.minute_us <= (_to_us(until) - 1) // schema.MINUTE_US * schema.MINUTE_US)
        lo, hi = conn.execute(sa.select(sa.func.min(m.c.min_id), sa.func.max(m.c.max_id)).where(*conds)).one()
        return None if lo is None else (int(lo), int(hi))

    def first_id_since(self, since: datetime) -> int | None:
        """Row id of the first event with ts >= ``since`` (journal order), if any."""
        j = schema.journal
        with self._engine.connect() as conn:
            bounds = self._marked(conn, since, None)
            if bounds is None:
                return None
            # in id order from the first row of since's minute: the first match ends it
            value = conn.execute(sa.select(j.c.id).where(j.c.id >= bounds[0], j.c.id <= bounds[1], j.c.ts >= since)
                                 .order_by(j.c.id).limit(1)).scalar()
        return int(value) if value is not None else None

    def iter_events(
        self, since: datetime | None = None, until: datetime | None = None, *,
        from_id: int | None = None, before_id: int | None = None,
    ) -> Iterator[wire.Event]:
        """Journaled events with ``since <= ts < until`` (and ``from_id <= id < before_id``),
        decoded, in journal order.

        Streamed in chunks of a few thousand rows, each read in its own short transaction,
        so a month of events never sits in memory and never holds a lock on the recorder.
        """
        j = schema.journal
        ids: list[Any] = []  # bounds on the row id (the primary key)
        if from_id is not None:
            ids.append(j.c.id >= from_id)
        if before_id is not None:
            ids.append(j.c.id < before_id)
        for bound, name in ((since, "since"), (until, "until")):
            if bound is not None and bound.tzinfo is None:
                raise ValueError(f"{name} must be an aware datetime")
        conds = list(ids)  # and on ts, checked row by row
        if since is not None:
            conds.append(j.c.ts >= since)
        if until is not None:
            conds.append(j.c.ts < until)
        with self._engine.connect() as conn:
            if since is not None or until is not None:
                # the minute marks bound the rows of the period (the journal has no ts index)
                bounds = self._marked(conn, since, until)
                if bounds is None:
                    return
                ids += [j.c.id >= bounds[0], j.c.id <= bounds[1]]
            lo, hi = conn.execute(sa.select(sa.func.min(j.c.id), sa.func.max(j.c.id)).where(*ids)).one()
        if lo is None:
            return
        # walk the id range by primary key: the marks only say where to start and stop
        after = lo - 1
        while after < hi:
            query = (
                sa.select(j.c.id, j.c.payload)
                .where(j.c.id > after, j.c.id <= hi, *conds)
                .order_by(j.c.id)
                .limit(CHUNK)
            )
            with self._engine.connect() as conn:
                chunk = conn.execute(query).all()
            if not chunk:
                return
            after = chunk[-1].id
            yield from _decode_rows(chunk)

    def events_for(
        self,
        call_ids: Iterable[str] = (),
        case_ids: Iterable[str] = (),
        escalation_ids: Iterable[str] = (),
        agent_ids: Iterable[str] = (),
    ) -> list[wire.Event]:
        """Every journaled event that names any of these ids, in journal order."""
        j = schema.journal
        wanted = [
            (j.c.call_id, sorted(set(call_ids))),
            (j.c.case_id, sorted(set(case_ids))),
            (j.c.escalation_id, sorted(set(escalation_ids))),
            (j.c.agent_id, sorted(set(agent_ids))),
        ]
        found: dict[int, str] = {}
        with self._engine.connect() as conn:
            for column, ids in wanted:
                for i in range(0, len(ids), _IN_CHUNK):
                    query = sa.select(j.c.id, j.c.payload).where(column.in_(ids[i : i + _IN_CHUNK]))
                    found.update({row_id: payload for row_id, payload in conn.execute(query)})
        return list(_decode_rows(sorted(found.items())))

    def center_tz(self) -> tzinfo | None:
        """The UTC offset of the journal's events (from the newest one), None when empty."""
        j = schema.journal
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(j.c.payload).order_by(j.c.id.desc()).limit(1)).first()
        if row is None:
            return None
        try:
            return _ts_only.decode(unpack(row.payload)).ts.tzinfo
        except (msgspec.DecodeError, ValueError, zlib.error):
            return None


def _to_us(ts: datetime) -> int:
    return (ts - _EPOCH) // timedelta(microseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _TsOnly(msgspec.Struct):
    ts: wire.Time


_ts_only = msgspec.json.Decoder(_TsOnly)


def _decode_rows(rows: Iterable[Any]) -> Iterator[wire.Event]:
    parts: list[wire.Snapshot] = []  # a snapshot journaled in parts, joined again here
    for row_id, payload in rows:
        try:
            event = wire.decode(unpack(payload))
        except (ValueError, zlib.error) as exc:  # a hand-edited or damaged compact payload
            log.warning("journal row %s cannot be read and is skipped: %s", row_id, exc)
            continue
        except wire.Rejected as exc:
            # only accepted messages are journaled, so this is a hand-edited database
            log.warning("journal row %s cannot be decoded and is skipped: %s", row_id,
                        mask_free_text(exc.reason))
            continue
        if isinstance(event, wire.UnknownEvent):
            log.debug("journal row %s has unknown type %r and is skipped", row_id, event.type)
            continue
        if parts and not (isinstance(event, wire.Snapshot) and event.seq == parts[0].seq
                          and event.part == len(parts) + 1):
            log.warning("journal row %s: a snapshot in parts is incomplete and is skipped", row_id)
            parts = []
        if isinstance(event, wire.Snapshot) and event.parts is not None and event.parts > 1:
            if event.part != len(parts) + 1:
                log.warning("journal row %s: snapshot part %s out of order, skipped", row_id, event.part)
                continue
            parts.append(event)
            if len(parts) == event.parts:
                yield wire.join_snapshot(parts)
                parts = []
            continue
        yield event


def _quarantine_values(q: QuarantineEntry) -> dict[str, Any]:
    return {
        "received_at": q.received_at, "kind": q.kind, "reason": q.reason, "epoch": q.epoch,
        "raw": q.raw, "encoding": q.encoding, "size": q.size, "truncated": q.truncated,
    }


class _Tx:
    """Context manager: a connection with a transaction, committed on success."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> sa.Connection:
        self._conn.begin()
        return self._conn

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None:
                self._conn.commit()
            else:
                self._conn.rollback()
        finally:
            self._conn.close()

"""Schema migrations: ordered steps recorded in the ``schema_version`` table.

Opening a store brings any older database up to date inside one transaction, under a
lock, so a desktop and a recorder opening the same database at once cannot both migrate.
A step is never edited once released: a change to a table is a new step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from supervisor.errors import CommandCenterError
from supervisor.store import schema


class SchemaError(CommandCenterError):
    """The database is not a journal this version can use."""


@dataclass(frozen=True)
class Step:
    version: int
    what: str
    apply: Callable[[sa.Connection], None]


def _journal_v1(metadata: sa.MetaData, name: str = "journal") -> sa.Table:
    """The journal as first released (frozen: step 1 must create exactly this)."""
    return sa.Table(
        name, metadata,
        sa.Column("id", schema.Id, primary_key=True, autoincrement=True),
        sa.Column("epoch", sa.Text, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("ts", schema.UtcTimestamp, nullable=False),
        sa.Column("call_id", sa.Text),
        sa.Column("case_id", sa.Text),
        sa.Column("escalation_id", sa.Text),
        sa.Column("agent_id", sa.Text),
        sa.Column("payload", sa.Text, nullable=False),
        sa.UniqueConstraint("epoch", "seq", name="uq_journal_epoch_seq"),
        sa.Index("ix_journal_ts", "ts"),
        *(
            sa.Index(
                f"ix_journal_{col}", col,
                sqlite_where=sa.text(f"{col} IS NOT NULL"),
                postgresql_where=sa.text(f"{col} IS NOT NULL"),
            )
            for col in ("call_id", "case_id", "escalation_id", "agent_id")
        ),
    )


def _journal_v2(metadata: sa.MetaData) -> sa.Table:
    """The journal as step 2 made it (frozen; step 6 dropped its ts index)."""
    return sa.Table(
        "journal", metadata,
        sa.Column("id", schema.Id, primary_key=True, autoincrement=True),
        sa.Column("epoch", sa.Text, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("part", sa.Integer, nullable=False, server_default="0"),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("ts", schema.UtcTimestamp, nullable=False),
        sa.Column("call_id", sa.Text),
        sa.Column("case_id", sa.Text),
        sa.Column("escalation_id", sa.Text),
        sa.Column("agent_id", sa.Text),
        sa.Column("payload", sa.Text, nullable=False),
        sa.UniqueConstraint("epoch", "seq", "part", name="uq_journal_epoch_seq_part"),
        sa.Index("ix_journal_ts", "ts"),
        *(
            sa.Index(
                f"ix_journal_{name}", name,
                sqlite_where=sa.text(f"{name} IS NOT NULL"),
                postgresql_where=sa.text(f"{name} IS NOT NULL"),
            )
            for name in ("call_id", "case_id", "escalation_id", "agent_id")
        ),
    )


def _v1(conn: sa.Connection) -> None:
    # The tables as first released. A table a later step alters is frozen above, so a
    # fresh database still replays history exactly.
    _journal_v1(sa.MetaData()).create(conn)
    for table in (schema.quarantine, schema.audit):
        table.create(conn)


def _v2(conn: sa.Connection) -> None:
    """Journal key (epoch, seq) -> (epoch, seq, part): a snapshot and the event at its seq
    both fit, and so do the parts of one snapshot. Existing snapshots become part 1."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE journal ADD COLUMN part INTEGER NOT NULL DEFAULT 0")
        conn.exec_driver_sql("UPDATE journal SET part = 1 WHERE type = 'snapshot'")
        conn.exec_driver_sql("ALTER TABLE journal DROP CONSTRAINT uq_journal_epoch_seq")
        conn.exec_driver_sql(
            "ALTER TABLE journal ADD CONSTRAINT uq_journal_epoch_seq_part UNIQUE (epoch, seq, part)")
        return
    # SQLite cannot drop a table constraint: rebuild the table, keeping every id
    conn.exec_driver_sql("ALTER TABLE journal RENAME TO journal_v1")
    for index in ("ix_journal_ts", "ix_journal_call_id", "ix_journal_case_id",
                  "ix_journal_escalation_id", "ix_journal_agent_id"):
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
    _journal_v2(sa.MetaData()).create(conn)
    conn.exec_driver_sql(
        "INSERT INTO journal (id, epoch, seq, part, type, ts, call_id, case_id, escalation_id,"
        " agent_id, payload) SELECT id, epoch, seq, CASE WHEN type = 'snapshot' THEN 1 ELSE 0 END,"
        " type, ts, call_id, case_id, escalation_id, agent_id, payload FROM journal_v1 ORDER BY id")
    conn.exec_driver_sql("DROP TABLE journal_v1")


def _v3(conn: sa.Connection) -> None:
    """The facts beside the journal (one row per contact, per agent state interval, ...).
    They start empty with applied_id 0: the journal writer, or ``command-center
    rebuild-facts``, fills them from the journal (supervisor/store/facts.py)."""
    for table in schema.FACT_TABLES_V3:
        table.create(conn)
    conn.execute(schema.fact_meta.insert().values(key="applied_id", value=0))


def _v4(conn: sa.Connection) -> None:
    """Nothing to change: from now on SQLite journals hold new payloads compact
    (supervisor/store/payload.py), which a program of version 3 could not read; the
    version number keeps such a program from opening the journal."""


def _v5(conn: sa.Connection) -> None:
    """Agents' state time per day and what each epoch holds of its seqs, beside the
    facts: the facts start again from the journal (derived data; the journal writer or
    the first ``kpi`` keeps them again)."""
    for table in (schema.agent_state_days, schema.epoch_seqs, schema.snapshot_seqs):
        table.create(conn)
    meta = schema.fact_meta
    if conn.execute(sa.select(meta.c.value).where(meta.c.key == "pruned_id")).scalar():
        raise SchemaError("this journal was pruned by a test version of the command center; "
                          "its facts cannot be kept again from its events")
    for table in reversed(schema.FACT_TABLES_V3):
        conn.execute(table.delete())
    conn.execute(meta.insert().values(key="applied_id", value=0))


def _v6(conn: sa.Connection) -> None:
    """The journal's ts index (about 40 bytes an event on SQLite) gives way to a mark per
    minute (``schema.ts_marks``), filled here from the journal, then kept with the facts."""
    schema.ts_marks.create(conn)
    if conn.dialect.name == "postgresql":
        minute = f"(FLOOR(EXTRACT(EPOCH FROM ts) / 60)::BIGINT * {schema.MINUTE_US})"
    else:  # naive UTC text, see schema.UtcTimestamp
        minute = f"(CAST(strftime('%s', ts) AS INTEGER) / 60 * {schema.MINUTE_US})"
    conn.exec_driver_sql(
        f"INSERT INTO ts_marks (minute_us, min_id, max_id)"
        f" SELECT {minute}, MIN(id), MAX(id) FROM journal GROUP BY {minute}")
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_journal_ts")


STEPS: tuple[Step, ...] = (
    Step(1, "journal, quarantine and audit tables", _v1),
    Step(2, "journal keyed by (epoch, seq, part)", _v2),
    Step(3, "facts beside the journal: contacts, agent intervals, queues, escalations", _v3),
    Step(4, "compact payloads on SQLite", _v4),
    Step(5, "agents' state time per day, seqs per epoch", _v5),
    Step(6, "minute marks in place of the journal's ts index", _v6),
)

# Any other advisory lock user picks its own key; this one is "cc-journal" in ASCII.
_PG_LOCK_KEY = 0x63632D6A6F75726E


def current_version(conn: sa.Connection) -> int | None:
    """The schema version of the database, or None when it has no version table."""
    if not sa.inspect(conn).has_table(schema.schema_version.name):
        return None
    value = conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar()
    return int(value) if value is not None else 0


def migrate(engine: sa.Engine, steps: Sequence[Step] = STEPS) -> int:
    """Apply every step newer than the database's version; return the resulting version."""
    latest = steps[-1].version if steps else 0
    if [s.version for s in steps] != list(range(1, latest + 1)):
        raise ValueError("migration steps must be numbered 1, 2, 3, … in order")
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # take the write lock now: two processes must not both see "version 0"
            conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
            version = current_version(conn)
            if version is None:
                inspector = sa.inspect(conn)
                ours = [t for t in ("journal", "quarantine", "audit") if inspector.has_table(t)]
                if ours:
                    raise SchemaError(
                        f"the database already has table(s) {', '.join(ours)} but no schema "
                        "version: it is not a command center journal"
                    )
                schema.schema_version.create(conn)
                conn.execute(schema.schema_version.insert().values(version=0))
                version = 0
            if version > latest:
                raise SchemaError(
                    f"the journal has schema version {version}, newer than this program "
                    f"knows ({latest}); use a newer version of the command center"
                )
            for step in steps[version:]:
                step.apply(conn)
                conn.execute(schema.schema_version.update().values(version=step.version))
            return max(version, latest)

"""The journal database's tables: the event journal, the quarantine and the audit trail.

Ids and texts are unbounded TEXT: an id longer than some guessed limit must never make a
whole batch of valid events fail to insert.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

UTC = timezone.utc

metadata = sa.MetaData()

# INTEGER PRIMARY KEY on SQLite is the rowid (journal order for free); BIGINT elsewhere.
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class UtcTimestamp(sa.TypeDecorator[datetime]):
    """An aware datetime stored as UTC; read back as an aware UTC datetime.

    SQLite has no time zone type: SQLAlchemy's DATETIME would silently drop the offset,
    so the value is converted to UTC first and stored naive.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"expected an aware datetime, got {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

journal = sa.Table(
    "journal",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),  # journal order
    sa.Column("epoch", sa.Text, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    # 0: the event at seq; 1..N: part i of the snapshot taken at seq (see rows.JournalRow)
    sa.Column("part", sa.Integer, nullable=False, server_default="0"),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("ts", UtcTimestamp, nullable=False),
    # the ids a drill-down looks events up by
    sa.Column("call_id", sa.Text),
    sa.Column("case_id", sa.Text),
    sa.Column("escalation_id", sa.Text),
    sa.Column("agent_id", sa.Text),
    # the message exactly as received, so wire.decode can read it again
    sa.Column("payload", sa.Text, nullable=False),
    sa.UniqueConstraint("epoch", "seq", "part", name="uq_journal_epoch_seq_part"),
    # no index on ts (v6): ts_marks says which rows hold each minute's events
    # Partial: most events name only one or two of these ids, and every index entry is
    # paid for on the recorder's hot path. "id IN (…)" implies "IS NOT NULL", so the
    # drill-down's lookups use them on both SQLite and PostgreSQL.
    *(
        sa.Index(
            f"ix_journal_{name}", name,
            sqlite_where=sa.text(f"{name} IS NOT NULL"),
            postgresql_where=sa.text(f"{name} IS NOT NULL"),
        )
        for name in ("call_id", "case_id", "escalation_id", "agent_id")
    ),
)

quarantine = sa.Table(
    "quarantine",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("received_at", UtcTimestamp, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # malformed | version | binary | oversized | ...
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("epoch", sa.Text),  # the connection's epoch when known
    sa.Column("raw", sa.Text, nullable=False),  # the message, or base64 of its bytes
    sa.Column("encoding", sa.Text, nullable=False),  # "text" | "base64"
    sa.Column("size", sa.BigInteger, nullable=False),  # bytes of the whole message
    sa.Column("truncated", sa.Boolean, nullable=False),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("actor", sa.JSON, nullable=False),
    sa.Column("at", UtcTimestamp, nullable=False),
    sa.Column("subject_id", sa.Text, nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
    sa.Index("ix_audit_subject_id", "subject_id"),
    sa.Index("ix_audit_kind", "kind"),
)


# --------------------------------------------------------------------------- facts (v3)
#
# Beside the raw journal, what the domain's interpreter decided of it, one row per
# contact and per closed agent state interval (supervisor/store/facts.py keeps them in
# the journal's own transaction). Times are integer microseconds since the Unix epoch,
# exactly as the KPI engine keeps them, so SQL sums and comparisons are exact.

contact_facts = sa.Table(
    "contact_facts",
    metadata,
    sa.Column("call_id", sa.Text, primary_key=True),
    sa.Column("queue", sa.Text),  # the queue it is in, or was answered or abandoned in
    sa.Column("first_queue", sa.Text),
    sa.Column("channel", sa.Text),
    sa.Column("customer", sa.Text),  # the wire record as JSON (masked as journaled)
    sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
    sa.Column("case_id", sa.Text),
    sa.Column("queued_us", sa.BigInteger),  # first queued_at; NULL when never seen queued
    sa.Column("outcome", sa.Text, nullable=False),  # waiting | answered | abandoned | unknown
    sa.Column("outcome_us", sa.BigInteger),
    sa.Column("answered_by", sa.Text),
    sa.Column("ended_us", sa.BigInteger),
    sa.Column("ended_by", sa.Text),
    sa.Column("wrap_end_us", sa.BigInteger),
    sa.Column("wrap_pending", sa.Integer, nullable=False, server_default="0"),
    sa.Column("transfers", sa.Integer, nullable=False, server_default="0"),
    sa.Column("scores", sa.Text),  # survey scores in arrival order, "5,4"; NULL: none
    sa.Column("score_sum", sa.Integer, nullable=False, server_default="0"),
    sa.Column("score_n", sa.Integer, nullable=False, server_default="0"),
    sa.Column("score_top2", sa.Integer, nullable=False, server_default="0"),
    sa.Index("ix_contact_facts_queued_us", "queued_us"),
    sa.Index("ix_contact_facts_ended_us", "ended_us"),
    sa.Index("ix_contact_facts_outcome_us", "outcome_us"),
)

agent_intervals = sa.Table(
    "agent_intervals",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("agent_id", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("start_us", sa.BigInteger, nullable=False),
    sa.Column("end_us", sa.BigInteger, nullable=False),
    sa.Index("ix_agent_intervals_start_us", "start_us"),
)

# an agent's time in each state per day of the center (its offset: fact_meta.first_tz_s),
# the sum of the agent_intervals pieces of that day (each piece lies within one day)
agent_state_days = sa.Table(
    "agent_state_days",
    metadata,
    sa.Column("agent_id", sa.Text, primary_key=True),
    sa.Column("state", sa.Text, primary_key=True),
    sa.Column("day_us", sa.BigInteger, primary_key=True),
    sa.Column("us", sa.BigInteger, nullable=False),
)

agent_facts = sa.Table(
    "agent_facts",
    metadata,
    sa.Column("agent_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, server_default=""),
    sa.Column("team", sa.Text, nullable=False, server_default=""),
    sa.Column("state", sa.Text),  # the open state; NULL: unknown
    sa.Column("since_us", sa.BigInteger, nullable=False),
    sa.Column("call_id", sa.Text),
)

queue_records = sa.Table(
    "queue_records",
    metadata,
    sa.Column("queue", sa.Text, primary_key=True),
    sa.Column("idx", sa.Integer, primary_key=True),  # order in the queue's history
    sa.Column("at_us", sa.BigInteger, nullable=False),  # when the record took effect
    sa.Column("record", sa.Text, nullable=False),  # the wire record as JSON
)

queue_order = sa.Table(
    "queue_order",
    metadata,
    sa.Column("queue", sa.Text, primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),  # first-seen order
)

escalation_facts = sa.Table(
    "escalation_facts",
    metadata,
    sa.Column("escalation_id", sa.Text, primary_key=True),
    sa.Column("record", sa.Text),  # the latest wire record as JSON; NULL: never seen
    sa.Column("case_id", sa.Text, nullable=False, server_default=""),
    sa.Column("department", sa.Text, nullable=False, server_default=""),
    sa.Column("owner", sa.Text),  # the owner now (a reassignment moves it), JSON
    sa.Column("severity", sa.Text, nullable=False, server_default="normal"),
    sa.Column("summary", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("opened_us", sa.BigInteger),
    sa.Column("due_us", sa.BigInteger),
    sa.Column("resolved_us", sa.BigInteger),
    sa.Column("resolved_exact", sa.Integer, nullable=False, server_default="0"),
    sa.Column("resolution", sa.Text, nullable=False, server_default=""),
    sa.Column("reassignments", sa.Integer, nullable=False, server_default="0"),
)

reassignment_facts = sa.Table(
    "reassignment_facts",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("escalation_id", sa.Text, nullable=False),
    sa.Column("at_us", sa.BigInteger, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),  # by, from, to (JSON)
    sa.Column("reason", sa.Text, nullable=False),
)

fact_anomalies = sa.Table(
    "fact_anomalies",
    metadata,
    sa.Column("reason", sa.Text, primary_key=True),
    sa.Column("n", sa.BigInteger, nullable=False),
)

# per epoch, what the journal holds of its seqs (missing events = max - min + 1 - distinct):
# ``events`` counts rows of part 0 (one per seq, by the journal's key); a seq journaled
# only as snapshot parts is in snapshot_seqs
epoch_seqs = sa.Table(
    "epoch_seqs",
    metadata,
    sa.Column("epoch", sa.Text, primary_key=True),
    sa.Column("min_seq", sa.BigInteger, nullable=False),
    sa.Column("max_seq", sa.BigInteger, nullable=False),
    sa.Column("events", sa.BigInteger, nullable=False),
)

snapshot_seqs = sa.Table(
    "snapshot_seqs",
    metadata,
    sa.Column("epoch", sa.Text, primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True),
)

# for each minute (of ts, UTC, in µs), the first and last journal row id holding an event
# of it: what finds the rows of a time range, in place of an index on journal.ts (a
# month has ~45,000 minutes, not ~25 million index entries); kept with the facts
ts_marks = sa.Table(
    "ts_marks",
    metadata,
    sa.Column("minute_us", sa.BigInteger, primary_key=True),
    sa.Column("min_id", sa.BigInteger, nullable=False),
    sa.Column("max_id", sa.BigInteger, nullable=False),
)

# applied_id: the last journal row the facts include; first_tz_s: the offset of the
# first event; last_us: the latest server time seen
fact_meta = sa.Table(
    "fact_meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.BigInteger),
)

# the facts of schema v3; v5 added agent_state_days, epoch_seqs and snapshot_seqs
FACT_TABLES_V3 = (contact_facts, agent_intervals, agent_facts, queue_records, queue_order,
                  escalation_facts, reassignment_facts, fact_anomalies, fact_meta)
FACT_TABLES = (*FACT_TABLES_V3, agent_state_days, epoch_seqs, snapshot_seqs)
MINUTE_US = 60_000_000

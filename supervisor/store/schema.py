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
    sa.Index("ix_journal_ts", "ts"),
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

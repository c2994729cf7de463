"""The journal store (SQLite by default, PostgreSQL by URL): events, quarantine, audit."""

from __future__ import annotations

from supervisor.store.migrations import SchemaError
from supervisor.store.payload import payload_text
from supervisor.store.rows import JournalRow, QuarantineEntry, journal_row
from supervisor.store.reading import db_reason, open_journal, sqlite_file
from supervisor.store.store import AuditEntry, Store

__all__ = [
    "AuditEntry", "JournalRow", "QuarantineEntry", "SchemaError", "Store",
    "db_reason", "journal_row", "open_journal", "payload_text", "sqlite_file",
]

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


def _v1(conn: sa.Connection) -> None:
    # The tables as first released. If a later step alters one of them, freeze a copy of
    # its original definition here so that a fresh database still replays history exactly.
    for table in (schema.journal, schema.quarantine, schema.audit):
        table.create(conn)


STEPS: tuple[Step, ...] = (Step(1, "journal, quarantine and audit tables", _v1),)

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

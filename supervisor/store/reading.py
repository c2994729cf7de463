"""Opening a journal to read it (kpi, export): never creates one, and fails in one sentence."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from supervisor.errors import CannotConnect, CommandCenterError
from supervisor.store.store import Store


def sqlite_file(url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or None for other databases and in-memory ones."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def db_reason(exc: BaseException) -> str:
    """The driver's own first line of an error, for a one-sentence message."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def open_journal(url: str) -> Store:
    """Open an existing journal for reading; a missing SQLite file is an error (never created)."""
    path = sqlite_file(url)
    if path is not None:
        try:
            exists = path.is_file()
        except OSError as exc:
            raise CommandCenterError(f"cannot read the journal {path}: {exc.strerror}") from None
        if not exists:
            raise CommandCenterError(f"there is no journal database at {path}")
    try:
        return Store(url)
    except CannotConnect as exc:
        if path is not None:  # a local file that cannot be opened is unreadable, not unreachable
            raise CommandCenterError(f"cannot read the journal {path}: {exc}") from None
        raise
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot read the journal database: {db_reason(exc)}") from None

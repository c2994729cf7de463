"""Reading the journal into the KPI engine for an export, with progress and cancellation.

The same reading as ``command-center kpi`` (``supervisor.kpi_cli.read_journal``): every
journaled event, in journal order, into one ``KpiBuilder``; the center's timezone from
the journal. It only adds a progress callback and a cancel check between chunks, which
the desktop's export dialog needs on its worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

import sqlalchemy as sa

from supervisor import wire
from supervisor.errors import CommandCenterError
from supervisor.export.atomic import ExportCancelled
from supervisor.kpi import KpiBuilder
from supervisor.kpi.period import FALLBACK_TZ
from supervisor.store import Store, open_journal
from supervisor.store import db_reason as _reason

Progress = Callable[[float, str], None]  # (fraction 0..1 of this stage, stage key)

CHECK_EVERY = 5_000  # events between progress reports and cancel checks


def open_store(url: str) -> Store:
    """Open the journal for reading; a missing SQLite file is an error (never created)."""
    return open_journal(url)


def center_tz_of(url: str) -> tzinfo:
    """The journal's timezone (its events' offset), or the product's center when empty."""
    store = open_store(url)
    try:
        return store.center_tz() or FALLBACK_TZ
    finally:
        store.close()


def read_journal(
    url: str,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[KpiBuilder, tzinfo]:
    """Every journaled event fed into a new builder, and the center's timezone.

    Raises ``ExportCancelled`` as soon as ``cancelled()`` is true (checked every few
    thousand events), ``CommandCenterError`` with one sentence when the journal cannot
    be read.
    """
    store = open_store(url)
    try:
        tz = store.center_tz() or FALLBACK_TZ
        total = store.event_count() if progress is not None else 0
        builder = KpiBuilder()
        feed = builder.feed
        n = 0
        for event in store.iter_events():
            feed(event)
            n += 1
            if n % CHECK_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise ExportCancelled("the export was cancelled")
                if progress is not None and total:
                    progress(min(n / total, 1.0), "reading")
        if progress is not None:
            progress(1.0, "reading")
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot read the journal database: {_reason(exc)}") from None
    finally:
        store.close()
    return builder, tz


def recent_filters(url: str, since: datetime) -> tuple[list[tuple[str, str]], list[str]]:
    """Queues (id, name) and agent teams seen in the journal since ``since``: the choices
    of the export dialog's filters, read from recent events only (cheap on a long journal)."""
    store = open_store(url)
    queues: dict[str, str] = {}
    teams: set[str] = set()
    try:
        for event in store.iter_events(since=since):
            if isinstance(event, wire.Snapshot):
                for q in event.data.queues:
                    queues[q.id] = q.name or queues.get(q.id, "")
                teams.update(a.team for a in event.data.agents if a.team)
            elif isinstance(event, wire.QueueUpdated):
                q = event.data.queue
                queues[q.id] = q.name or queues.get(q.id, "")
            elif isinstance(event, wire.CallQueued):
                queues.setdefault(event.data.contact.queue, "")
            elif isinstance(event, wire.AgentStateChanged) and event.data.agent.team:
                teams.add(event.data.agent.team)
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot read the journal database: {_reason(exc)}") from None
    finally:
        store.close()
    return sorted(queues.items()), sorted(teams)

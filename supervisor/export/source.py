"""The figures engine of an export, with progress and cancellation.

The same as ``command-center kpi`` (``supervisor.kpi_cli.read_figures``): the facts kept
beside the journal, aggregated by SQL (``supervisor.store.facts_query.FactFigures``);
a journal whose facts lag behind gets them kept first, once. ``CC_KPI_ENGINE=events``
feeds every journaled event, in journal order, into one ``KpiBuilder`` instead. Both
report progress and check for cancellation between chunks, which the desktop's export
dialog needs on its worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

import os

import sqlalchemy as sa

from supervisor import wire
from supervisor.errors import CommandCenterError
from supervisor.export.atomic import ExportCancelled
from supervisor.kpi import KpiBuilder
from supervisor.kpi.period import FALLBACK_TZ
from supervisor.store import Store, open_journal
from supervisor.store import db_reason as _reason
from supervisor.store.facts_query import FactFigures

ENGINE_ENV = "CC_KPI_ENGINE"  # "events": read the journal into a KpiBuilder

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
) -> tuple[KpiBuilder | FactFigures, tzinfo]:
    """The journal's figures engine (see the module), and the center's timezone."""
    if os.environ.get(ENGINE_ENV, "facts") == "events":
        return read_events(url, progress=progress, cancelled=cancelled)
    store = open_store(url)
    try:
        tz = store.center_tz() or FALLBACK_TZ
        if not store.facts_complete():
            total = store.event_count() if progress is not None else 0

            def caught_up(applied: int) -> None:
                if cancelled is not None and cancelled():
                    raise ExportCancelled("the export was cancelled")
                if progress is not None and total:
                    progress(min(applied / total, 1.0), "reading")

            store.catch_up_facts(progress=caught_up)
        figures = FactFigures(store.engine)
        if progress is not None:
            progress(1.0, "reading")
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot read the journal database: {_reason(exc)}") from None
    finally:
        store.close()
    return figures, tz


def read_events(
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

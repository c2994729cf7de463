"""``command-center rebuild-facts --db DB`` and ``command-center prune --db DB --before DATE``.

rebuild-facts: drop the facts kept beside the journal and keep them again from every
journaled event (a journal from before the facts, or after a change of their rules).

prune: keep the facts, drop the raw events journaled before DATE (midnight in the
center's timezone). Figures of any period keep coming from the facts; what goes is
the events themselves (a contact's event-by-event drill-down, the case file's
timeline before DATE). The current month is never touched, nor are events whose facts
are not yet kept. SQLite reuses the freed pages for new events; ``VACUUM`` (with the
recorder stopped) gives them back to the file system.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

import sqlalchemy as sa

from supervisor import timeutil
from supervisor.errors import CommandCenterError, UsageError
from supervisor.store.reading import db_reason, open_journal

FALLBACK_TZ = timeutil.CHINA


def run_rebuild(args: argparse.Namespace) -> int:
    store = open_journal(args.db)
    try:
        total = store.event_count()

        def progress(applied: int) -> None:
            if sys.stderr.isatty() and total:
                sys.stderr.write(f"\r{min(applied, total):,} of {total:,} journal rows")

        read = store.rebuild_facts(progress=progress)
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        print(f"kept the facts of {read} journal rows")
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot rebuild the journal's facts: {db_reason(exc)}") from None
    finally:
        store.close()
    return 0


def prune_bound(text: str, now: datetime) -> datetime:
    """The --before bound (a date or RFC 3339 time, read in ``now``'s zone), refused when it
    reaches into the month of ``now``."""
    assert now.tzinfo is not None
    try:
        before = timeutil.parse_bound(text, now.tzinfo)
    except ValueError as exc:
        raise UsageError(f"--before: {exc}") from None
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if before > month:
        raise UsageError(
            f"--before {text} reaches into the current month: events from "
            f"{month.date().isoformat()} on are never pruned")
    return before


def run_prune(args: argparse.Namespace) -> int:
    try:
        timeutil.parse_bound(args.before, FALLBACK_TZ)
    except ValueError as exc:
        raise UsageError(f"--before: {exc}") from None
    store = open_journal(args.db)
    try:
        tz = store.center_tz() or FALLBACK_TZ
        before = prune_bound(args.before, datetime.now(tz))
        store.catch_up_facts()  # never drop an event whose facts are not kept
        dropped = store.prune_events(before)
        print(f"dropped {dropped} journal rows before {before.isoformat()}; their facts are kept")
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot prune the journal: {db_reason(exc)}") from None
    finally:
        store.close()
    return 0

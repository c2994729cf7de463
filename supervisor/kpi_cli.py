"""``command-center kpi --db DB --from T --to T [--json] [--formula F]`` (CLI.md, KPI.md).

The figures come from the facts the journal writer keeps beside the journal
(``supervisor.store.facts``): SQL aggregates grouped by queue and agent
(``supervisor.store.facts_query``), so a month takes seconds and little memory. A
journal whose facts lag behind it (written before they existed) gets them kept first,
once. ``CC_KPI_ENGINE=events`` reads the whole journal into a ``KpiBuilder`` instead
(the engine the desktop uses live; both give the same figures, which the tests check).
Either way it prints one JSON object or an aligned table, each saying how many events
the journal is missing and which anomalies the engine met. Periods are read as the
export reads them (``supervisor.kpi.period``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from supervisor.errors import CommandCenterError
from supervisor.kpi import KpiBuilder, KpiReport
from supervisor.kpi.period import FALLBACK_TZ, check_bound, resolve_period
from supervisor.kpi.text import render

if TYPE_CHECKING:
    from supervisor.store.facts_query import FactFigures

ENGINE_ENV = "CC_KPI_ENGINE"  # "events": read the journal into a KpiBuilder; else the facts


def read_journal(url: str) -> tuple[KpiBuilder, tzinfo, int]:
    """Every journaled event fed into a builder, the center's timezone, and how many
    events the journal is missing (``Store.missing_events``: seqs skipped in an epoch).

    Raises ``CommandCenterError`` with one sentence when the journal cannot be read: a
    missing SQLite file is an error here (reading never creates a database).
    """
    from supervisor.store import db_reason, open_journal

    store = open_journal(url)
    try:
        builder = KpiBuilder()
        tz = store.center_tz() or FALLBACK_TZ
        builder.feed_many(store.iter_events())
        missing = store.missing_events()
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot read the journal database: {db_reason(exc)}") from None
    finally:
        store.close()
    return builder, tz, missing


def read_figures(url: str) -> tuple[KpiBuilder | FactFigures, tzinfo, int]:
    """The journal's figures engine (its facts by query, or ``CC_KPI_ENGINE=events``:
    every event fed into a builder), the center's timezone, and the missing events."""
    if os.environ.get(ENGINE_ENV, "facts") == "events":
        return read_journal(url)
    from supervisor.store import db_reason, open_journal
    from supervisor.store.facts_query import FactFigures

    store = open_journal(url)
    try:
        tz = store.center_tz() or FALLBACK_TZ
        if not store.facts_complete():
            sys.stderr.write("keeping the facts of this journal (once: it was written before them)\n")
            store.catch_up_facts()
        figures = FactFigures(store.engine)
        return figures, tz, figures.missing_events()
    except sa.exc.SQLAlchemyError as exc:
        raise CommandCenterError(f"cannot read the journal database: {db_reason(exc)}") from None
    finally:
        store.close()


def load_journal(url: str) -> tuple[KpiBuilder, tzinfo]:
    """Every journaled event fed into a builder, and the center's timezone (see ``read_journal``)."""
    builder, tz, _ = read_journal(url)
    return builder, tz


def report_json(report: KpiReport, missing_events: int, anomalies: Mapping[str, int]) -> dict[str, Any]:
    """KPI.md's object, plus how much of the stream the figures could not see:
    ``missing_events`` (events lost in gaps of the journal) and ``anomalies`` (events
    that contradicted the others or named unknown ids, by reason)."""
    out = report.to_json()
    out["missing_events"] = missing_events
    out["anomalies"] = {reason: n for reason, n in sorted(anomalies.items()) if n}
    return out


def run(args: argparse.Namespace) -> int:
    check_bound(args.from_, "--from")
    check_bound(args.to, "--to")
    builder, tz, missing = read_figures(args.db)
    start, end = resolve_period(args.from_, args.to, tz)
    report = builder.report(start, end, formula=args.formula)
    if args.json:
        data = report_json(report, missing, builder.anomalies)
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(report, missing_events=missing, anomalies=builder.anomalies) + "\n")
    return 0


__all__ = ["FALLBACK_TZ", "check_bound", "load_journal", "read_figures", "read_journal", "report_json", "resolve_period", "run"]

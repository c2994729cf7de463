"""``command-center export --db DB --from T --to T --out FILE.xlsx`` (CLI.md).

Usage errors (a bad time, an empty or reversed period, a target that is not .xlsx) exit
2 before the journal is read; an unwritable or locked target exits 1 with one sentence,
and an existing file is never damaged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from supervisor.export.atomic import check_target
from supervisor.export.labels import default_lang
from supervisor.export.source import center_tz_of
from supervisor.export.workbook import ExportRequest, export_workbook
from supervisor.kpi.period import check_bound, resolve_period


def run(args: argparse.Namespace) -> int:
    check_bound(args.from_, "--from")
    check_bound(args.to, "--to")
    out = Path(args.out).expanduser()
    check_target(out)
    tz = center_tz_of(args.db)
    start, end = resolve_period(args.from_, args.to, tz)
    req = ExportRequest(
        db_url=args.db,
        start=start,
        end=end,
        out=out,
        formula=args.formula,
        lang=args.lang or default_lang(),
        queues=tuple(args.queue) if args.queue else None,
        teams=tuple(args.team) if args.team else None,
    )
    result = export_workbook(req)
    print(f"{result.path}", file=sys.stdout)
    return 0

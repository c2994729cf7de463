"""The ``command-center`` command (CLI.md): argument parsing, dispatch and exit codes.

Each form's work lives in the module named for it; this file only parses, dispatches
and turns expected failures into one sentence on stderr and the exit code of CLI.md.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from supervisor.errors import CommandCenterError, UsageError

EPILOG = """\
exit codes: 0 ok, 2 usage, 3 not authorised or forbidden, 4 not found / conflict /
refused by the server, 5 cannot connect, 1 anything else.
DB is an SQLAlchemy URL (sqlite:///path.db, postgresql+psycopg://user@host/db); the
default is a SQLite file in the user's data directory. A command that takes --token also
takes --token-file PATH and reads the CC_TOKEN environment variable. Times T are RFC 3339 with an
offset (2026-11-20T00:00:00+08:00) or a date (2026-11-20: midnight in the center's
timezone, the offset of the journal's events)."""


def _positive_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _token_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token", help="bearer token (visible to other users in ps: prefer "
                        "--token-file or the CC_TOKEN environment variable)")
    parser.add_argument("--token-file", metavar="PATH",
                        help="file holding the bearer token, readable by its owner alone")


def _scope_args(parser: argparse.ArgumentParser) -> None:
    """My floor (issue 12 point 2) for this run: a wall PC that watches one area."""
    parser.add_argument("--queues", metavar="Q1,Q2", default=None,
                        help="show only these queues (ids as the server sends them, comma-separated) "
                        "for this run (default: the scope chosen in the settings, else all)")
    parser.add_argument("--teams", metavar="T1,T2", default=None,
                        help="show only the agents of these teams (names as the server sends them, "
                        "comma-separated) for this run (default: as chosen in the settings, else all)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="command-center",
        description="Supervisor command center for a bank's contact center. "
        "Without a command it starts the desktop app.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        # no prefix matching: "kpi --to" must never be read as the desktop's "--token"
        allow_abbrev=False,
    )
    parser.add_argument("--url", help="queue event websocket, ws://HOST:PORT/v1/events or wss://…")
    _token_args(parser)
    parser.add_argument("--db", help="journal database URL (default: SQLite in the user data dir)")
    parser.add_argument("--wall", action="store_true", help="start in wall-display mode")
    parser.add_argument("--lang", choices=["zh", "en"], help="UI language (default: from the locale)")
    parser.add_argument("--ca-file", help="CA certificate file for wss:// servers")
    parser.add_argument("--formula", default=None,
                        choices=["abandons_count_against", "answered_only", "removed_within_sla"],
                        help="service-level formula of KPI.md the screens show, for this run "
                        "(default: the one last chosen in the View menu, else abandons_count_against)")
    _scope_args(parser)
    parser.add_argument("--self-test", action="store_true",
                        help="open the main window offscreen, render it, exit 0 (smoke test)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    parser.set_defaults(command=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="simulator on a free loopback port + the desktop connected to it")
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    demo.add_argument("--speed", type=_positive_float, default=1.0, help="simulated seconds per real second")
    demo.add_argument("--wall", action="store_true", help="start in wall-display mode")
    demo.add_argument("--lang", choices=["zh", "en"], help="UI language")
    demo.add_argument("--db", help="journal database URL (default: a fresh SQLite file for the demo)")
    demo.add_argument("--agents", type=int, default=60, help="number of simulated agents")
    _scope_args(demo)
    demo.add_argument("--source", choices=["simulator", "asterisk"], default="simulator",
                      help="asterisk: the simulator's day as AMI frames through the real Asterisk gateway")

    sim = sub.add_parser("simulate", help="the simulator server of PROTOCOL.md")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--seed", type=int, default=None)
    sim.add_argument("--speed", type=_positive_float, default=1.0,
                     help="simulated seconds per real second; 0 = as fast as possible")
    sim.add_argument("--agents", type=int, default=60)
    sim.add_argument("--tokens", help="JSON file mapping token -> {id, name, role}")
    sim.add_argument("--replay", help="a raw_monthly file of the anonymous bank data")
    sim.add_argument("--date", help="the day to replay, YYYY-MM-DD")
    sim.add_argument("--tls-cert", help="certificate (PEM) to serve wss://")
    sim.add_argument("--tls-key", help="private key (PEM) to serve wss://")
    sim.add_argument("--start", help="simulated start time, RFC 3339 (default: now in +08:00)")
    sim.add_argument("--hours", type=float, default=None,
                     help="stop generating after this many simulated hours (default: run forever)")
    sim.add_argument("--heartbeat", type=float, default=5.0, help="heartbeat interval, seconds")
    sim.add_argument("--buffer", type=int, default=1_000_000, help="replay buffer size, events")
    sim.add_argument("--audit", metavar="PATH",
                     help="append the audit of reveals and reassignments to this JSON Lines file "
                          "(created 0600; default: kept in memory only)")
    sim.add_argument("--print-url", action="store_true", help="print the websocket URL on stdout when listening")
    sim.add_argument("--prerun", type=_positive_float, default=0.0, metavar="H",
                     help="generate H simulated hours of history at once before serving (a buffered backlog)")
    sim.add_argument("--queues", metavar="FILE",
                     help="JSON list of queue records {id, name, sla_seconds, warn_seconds} over the "
                     "simulator's own (VIP 300/180 s, others 900/600 s); re-read when it changes")

    rec = sub.add_parser("record", help="headless: journal every event into the store")
    rec.add_argument("--url", required=True)
    _token_args(rec)
    rec.add_argument("--db", required=True)
    rec.add_argument("--duration", type=_positive_float, default=None, help="stop after S seconds")
    rec.add_argument("--ca-file", help="CA certificate file for wss://")

    kpi = sub.add_parser("kpi", help="the figures of KPI.md for a period")
    kpi.add_argument("--db", required=True)
    kpi.add_argument("--from", dest="from_", required=True, metavar="T")
    kpi.add_argument("--to", required=True, metavar="T")
    kpi.add_argument("--json", action="store_true", help="one JSON object on stdout")
    kpi.add_argument("--formula", default="abandons_count_against",
                     choices=["abandons_count_against", "answered_only", "removed_within_sla"])

    rb = sub.add_parser("rebuild-facts", help="keep the journal's per-contact facts again from every event")
    rb.add_argument("--db", required=True)

    pr = sub.add_parser("prune", help="drop raw events before a date, keeping their facts "
                        "(never the current month)")
    pr.add_argument("--db", required=True)
    pr.add_argument("--before", required=True, metavar="DATE",
                    help="drop events before this date (midnight in the center's timezone) or RFC 3339 time")

    fc = sub.add_parser("forecast", help="Erlang A estimates and predictions per queue for the next 30 minutes")
    fc.add_argument("--db", required=True)
    fc.add_argument("--at", required=True, metavar="T", help="the moment of the forecast: only events before it are read")
    fc.add_argument("--json", action="store_true", help="one JSON object on stdout")

    exp = sub.add_parser("export", help="the performance-review workbook")
    exp.add_argument("--db", required=True)
    exp.add_argument("--from", dest="from_", required=True, metavar="T")
    exp.add_argument("--to", required=True, metavar="T")
    exp.add_argument("--out", required=True, metavar="FILE.xlsx")
    exp.add_argument("--formula", default="abandons_count_against",
                     choices=["abandons_count_against", "answered_only", "removed_within_sla"])
    exp.add_argument("--lang", choices=["zh", "en"], help="header language (default: from the locale)")
    exp.add_argument("--queue", action="append", help="only this queue (repeatable)")
    exp.add_argument("--team", action="append", help="only agents of this team (repeatable)")

    rea = sub.add_parser("reassign", help="reassign an escalation; exit 0 when the server confirms")
    rea.add_argument("--url", required=True)
    _token_args(rea)
    rea.add_argument("escalation_id", metavar="ESCALATION_ID")
    rea.add_argument("to_owner", metavar="TO_OWNER")
    rea.add_argument("--reason", required=True)
    rea.add_argument("--ca-file", help="CA certificate file for wss://")
    rea.add_argument("--timeout", type=_positive_float, default=10.0,
                     help="seconds to wait for the server's result")
    gw = sub.add_parser("gateway", help="a server of PROTOCOL.md in front of a real PBX")
    gw_sub = gw.add_subparsers(dest="pbx", metavar="PBX", required=True)
    ast = gw_sub.add_parser("asterisk", help="in front of Asterisk's manager interface (AMI)")
    ast.add_argument("--ami", required=True, metavar="HOST:PORT", help="Asterisk's manager interface, e.g. pbx:5038")
    ast.add_argument("--ami-user", required=True, metavar="USER", help="manager.conf user (read = agent,call)")
    ast.add_argument("--ami-secret-file", required=True, metavar="FILE", help="file holding that user's secret")
    ast.add_argument("--host", default="127.0.0.1")
    ast.add_argument("--port", type=int, default=8765)
    ast.add_argument("--tokens", help="JSON file mapping token -> {id, name, role} (default: the demo tokens)")
    ast.add_argument("--queues", metavar="FILE",
                     help="JSON list of queue records {id (the Asterisk queue name), name, sla_seconds, "
                     "warn_seconds, wrapuptime}; queues not listed get 900/600 s and their Asterisk name")
    ast.add_argument("--center-tz", default="+08:00", metavar="OFFSET", help="the center's UTC offset (+08:00)")
    ast.add_argument("--tls-cert", help="certificate (PEM) to serve wss://")
    ast.add_argument("--tls-key", help="private key (PEM) to serve wss://")
    ast.add_argument("--heartbeat", type=float, default=5.0, help="heartbeat interval, seconds")
    ast.add_argument("--retry-max", type=float, default=30.0, metavar="S",
                     help="longest wait between attempts to reach AMI, seconds")
    ast.add_argument("--audit", metavar="PATH", help="JSON Lines file where reveals are audited")
    ast.add_argument("--print-url", action="store_true", help="print the websocket URL on stdout when listening")

    imp = sub.add_parser("import", help="history kept by another system into the journal")
    imp_sub = imp.add_subparsers(dest="source", metavar="SOURCE", required=True)
    qlog = imp_sub.add_parser("queue-log", help="Asterisk's queue_log; importing a file again adds only its new lines")
    qlog.add_argument("file", metavar="FILE", help="the queue_log file (e.g. /var/log/asterisk/queue_log)")
    qlog.add_argument("--db", required=True)
    qlog.add_argument("--center-tz", default="+08:00", metavar="OFFSET", help="the center's UTC offset (+08:00)")
    qlog.add_argument("--queues", metavar="FILE",
                      help="JSON list of queue records {id (the Asterisk queue name), name, sla_seconds, "
                      "warn_seconds, wrapuptime}, as for the gateway")

    return parser


# form -> "module:function"; imported lazily so `kpi` never loads Qt and `--help` is instant
_DISPATCH = {
    None: "ui.app:run_desktop",
    "demo": "ui.app:run_demo",
    "simulate": "supervisor.sim.serve:run",
    "record": "supervisor.recorder:run",
    "kpi": "supervisor.kpi_cli:run",
    "rebuild-facts": "supervisor.store.maintenance:run_rebuild",
    "prune": "supervisor.store.maintenance:run_prune",
    "forecast": "supervisor.forecast_cli:run",
    "export": "supervisor.export.cli:run",
    "reassign": "supervisor.commands:run_reassign",
    "gateway": "supervisor.gateway.serve:run",
    "import": "supervisor.gateway.queuelog:run",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    module_name, func_name = _DISPATCH[args.command].split(":")
    try:
        if hasattr(args, "token_file"):
            from supervisor.tokens import resolve_token

            args.token = resolve_token(args.token, args.token_file)
            if args.token is None and args.command in ("record", "reassign"):
                raise UsageError("no token: give --token-file PATH or set CC_TOKEN")
        func = getattr(importlib.import_module(module_name), func_name)
        return int(func(args) or 0)
    except CommandCenterError as exc:
        print(f"command-center: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130

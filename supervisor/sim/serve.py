"""``command-center simulate``: run the simulator server until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import signal
import ssl
import sys
from datetime import date

from supervisor.errors import CommandCenterError, UsageError
from supervisor.sim.audit import AuditError
from supervisor.sim.replay import ReplayError
from supervisor.sim.server import SimConfig, SimulatorServer
from supervisor.sim.tokens import TokenError
from supervisor.timeutil import parse


def config_from_args(args: argparse.Namespace) -> SimConfig:
    """The run's configuration from the parsed options; bad input is a UsageError."""
    if (args.replay is None) != (args.date is None):
        raise UsageError("--replay and --date go together: the file and the day to replay")
    replay_date = None
    if args.date is not None:
        try:
            replay_date = date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date {args.date!r} is not a date YYYY-MM-DD") from None
    start = None
    if args.start is not None:
        if args.replay is not None:
            raise UsageError("--start does not apply to --replay, which starts at the day's midnight; use --prerun")
        try:
            start = parse(args.start)
        except ValueError:
            raise UsageError(f"--start {args.start!r} is not RFC 3339 with an offset") from None
    if args.agents < 1:
        raise UsageError("--agents must be at least 1")
    if args.heartbeat <= 0:
        raise UsageError("--heartbeat must be positive")
    if args.buffer < 1:
        raise UsageError("--buffer must be at least 1")
    if args.hours is not None and args.hours < 0:
        raise UsageError("--hours must be 0 or more")
    if (args.tls_cert is None) != (args.tls_key is None):
        raise UsageError("--tls-cert and --tls-key go together")
    return SimConfig(
        seed=args.seed,
        speed=args.speed,
        agents=args.agents,
        start=start,
        hours=args.hours,
        prerun_hours=getattr(args, "prerun", 0.0) or 0.0,
        heartbeat_s=args.heartbeat,
        buffer=args.buffer,
        tokens=args.tokens,
        replay=args.replay,
        replay_date=replay_date,
        queues=getattr(args, "queues", None),
        audit=getattr(args, "audit", None),
    )


def tls_context(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    if cert is None or key is None:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        ctx.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"cannot load the TLS certificate {cert} and key {key}: {exc}") from None
    return ctx


def run(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    ctx = tls_context(args.tls_cert, args.tls_key)
    try:
        server = SimulatorServer(cfg, args.host, args.port, ctx)
    except (TokenError, ReplayError, AuditError) as exc:
        raise UsageError(str(exc)) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return asyncio.run(_serve(server, args.print_url))


async def _serve(server: SimulatorServer, print_url: bool) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await server.start()
    except OSError as exc:
        server.audit.close()
        raise CommandCenterError(
            f"cannot listen on {server.host}:{server.port}: {exc.strerror or exc}"
        ) from None
    try:
        if print_url:
            print(server.url, flush=True)
            what = "replay" if server.cfg.replay else f"seed {server.seed}"
            print(f"simulator: {what}, epoch {server.epoch}, audit to {server.audit.where}",
                  file=sys.stderr, flush=True)
        else:
            print(f"Simulator listening on {server.url}", flush=True)
            what = (f"replaying {server.cfg.replay} {server.cfg.replay_date}" if server.cfg.replay
                    else f"seed {server.seed}, {server.cfg.agents} agents")
            print(f"  {what}, speed {server.cfg.speed:g}, epoch {server.epoch}", flush=True)
            tokens = ", ".join(f"{t} ({u['role']})" for t, u in server.tokens.items())
            print(f"  tokens: {tokens}" if server.cfg.tokens is None else
                  f"  {len(server.tokens)} tokens from {server.cfg.tokens}", flush=True)
            if server.queue_file is not None:
                print(f"  queues from {server.queue_file} (re-read when it changes)", flush=True)
            print("  customer data masked for every role; reveals (duty leads, managers) and "
                  f"reassignments audited to {server.audit.where}", flush=True)
            print("  Ctrl+C stops it.", file=sys.stderr, flush=True)
        await stop.wait()
    finally:
        await server.stop()
    return 0

"""``command-center gateway asterisk``: serve PROTOCOL.md in front of a live Asterisk."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import sys
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from supervisor.errors import CommandCenterError, UsageError
from supervisor.gateway.server import GatewayConfig, GatewayServer
from supervisor.sim import queues as queue_records
from supervisor.sim.serve import tls_context
from supervisor.sim.tokens import TokenError

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def parse_tz(text: str) -> tzinfo:
    m = _OFFSET.match(text.strip())
    if not m:
        raise UsageError(f"--center-tz {text!r} is not an offset such as +08:00")
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))


def read_queues(path: str | None) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The queue records of ``--queues`` (simulator format) and each one's ``wrapuptime``,
    a field the gateway reads beside the record (Asterisk's queues.conf value)."""
    if path is None:
        return [], {}
    try:
        records, _ignored = queue_records.read_file(path)
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except queue_records.QueueFileError as exc:
        raise UsageError(str(exc)) from None
    for rec in records:
        queue_records.merge(rec, None, path)  # validate warn < sla with defaults
    wrapup = {}
    for item in raw:
        w = item.get("wrapuptime")
        if w is not None:
            if not isinstance(w, (int, float)) or w < 0:
                raise UsageError(f"queues file {path}: wrapuptime of {item['id']!r} must be a number of seconds")
            wrapup[item["id"]] = float(w)
    return records, wrapup


def config_from_args(args: argparse.Namespace) -> GatewayConfig:
    host, sep, port = args.ami.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise UsageError(f"--ami {args.ami!r} is not HOST:PORT (Asterisk's manager port is usually 5038)")
    try:
        secret = Path(args.ami_secret_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UsageError(f"cannot read the AMI secret file {args.ami_secret_file}: {exc.strerror or exc}") from None
    if not secret:
        raise UsageError(f"the AMI secret file {args.ami_secret_file} is empty")
    if (args.tls_cert is None) != (args.tls_key is None):
        raise UsageError("--tls-cert and --tls-key go together")
    records, wrapup = read_queues(args.queues)
    return GatewayConfig(
        ami_host=host.strip("[]"), ami_port=int(port), ami_user=args.ami_user, ami_secret=secret,
        tokens=args.tokens, queues=records, wrapup=wrapup, tz=parse_tz(args.center_tz),
        heartbeat_s=args.heartbeat, retry_max_s=args.retry_max, audit=args.audit)


def run(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    ctx = tls_context(args.tls_cert, args.tls_key)
    try:
        server = GatewayServer(cfg, args.host, args.port, ctx)
    except TokenError as exc:
        raise UsageError(str(exc)) from None
    return asyncio.run(_serve(server, args.print_url))


async def _serve(server: GatewayServer, print_url: bool) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await server.start()
    except OSError as exc:
        raise CommandCenterError(f"cannot listen on {server.host}:{server.port}: {exc.strerror or exc}") from None
    try:
        if print_url:
            print(server.url, flush=True)
        else:
            print(f"Asterisk gateway listening on {server.url}", flush=True)
            print(f"  AMI {server.cfg.ami_user}@{server.cfg.ami_host}:{server.cfg.ami_port}, epoch {server.epoch}",
                  flush=True)
            print("  Ctrl+C stops it.", file=sys.stderr, flush=True)
        await stop.wait()
    finally:
        await server.stop()
    return 0

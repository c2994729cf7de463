"""``command-center reassign``: one command to the server, exit 0 only when it confirms."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from supervisor.errors import CannotConnect, CommandCenterError, NotAuthorised, Refused, UsageError
from supervisor.feed import CommandOutcome, FeedClient

CONNECT_TIMEOUT_S = 10.0


class OutcomeUnknown(CommandCenterError):
    """No result came in time: the reassignment may or may not have happened."""


def run_reassign(args: argparse.Namespace) -> int:
    asyncio.run(reassign(
        args.url, args.token, args.escalation_id, args.to_owner, args.reason,
        timeout=args.timeout, ca_file=getattr(args, "ca_file", None),
    ))
    print(f"escalation {args.escalation_id} reassigned to {args.to_owner}")
    return 0


async def reassign(
    url: str, token: str, escalation_id: str, to_owner: str, reason: str, *,
    timeout: float = 10.0, ca_file: str | None = None,
) -> CommandOutcome:
    """Connect, send the command, wait for the server's result; raise unless it is ok."""
    if not reason.strip():
        raise UsageError("a reason is required for a reassignment")
    client = FeedClient(url, token, ca_file=ca_file, first_connect_attempts=1,
                        open_timeout_s=CONNECT_TIMEOUT_S)
    feed = asyncio.ensure_future(client.run())
    live = asyncio.ensure_future(client.wait_live())
    try:
        done, _ = await asyncio.wait({feed, live}, timeout=CONNECT_TIMEOUT_S + 1,
                                     return_when=asyncio.FIRST_COMPLETED)
        if feed in done:
            feed.result()  # NotAuthorised, CannotConnect, ProtocolVersionError
            raise CannotConnect(f"cannot connect to {url}: the connection ended before the server said hello")
        if live not in done:
            raise CannotConnect(f"cannot connect to {url}: no answer within {CONNECT_TIMEOUT_S:g} s")
        outcome = await client.reassign(escalation_id, to_owner, reason, timeout=timeout)
    finally:
        live.cancel()
        await client.stop()
        with contextlib.suppress(CommandCenterError):
            await feed
    return _checked(outcome, escalation_id)


def _checked(outcome: CommandOutcome, escalation_id: str) -> CommandOutcome:
    if outcome.status == "ok":
        return outcome
    if outcome.status == "unknown":
        raise OutcomeUnknown(
            f"outcome unknown: the server did not answer within the timeout; check escalation "
            f"{escalation_id} before trying again"
        )
    detail = f"{outcome.message} ({outcome.code})" if outcome.message else str(outcome.code)
    if outcome.code == "forbidden":
        raise NotAuthorised(f"forbidden: {detail}")
    if outcome.code == "not_connected":
        raise CannotConnect(f"cannot connect: {outcome.message}")
    raise Refused(f"the server refused the reassignment: {detail}")

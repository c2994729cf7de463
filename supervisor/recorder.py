"""``command-center record``: journal every event of a feed until stopped.

Headless and unattended (a service or a cron job): it backfills whatever the server
still holds, survives lost connections by resuming, and on SIGINT/SIGTERM or at the end
of ``--duration`` writes everything received before it exits, so nothing is lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from supervisor import collector
from supervisor.feed import Backoff, FeedClient, JournalLost
from supervisor.store import Store

log = logging.getLogger(__name__)

FIRST_CONNECT_ATTEMPTS = 3  # then exit 5: a wrong URL should not hang a cron job


def tune_process() -> None:
    """Interpreter settings for a process that journals tens of thousands of messages a
    second with two threads (socket reader, journal writer).

    - GC (``supervisor.collector.settle``): startup objects are frozen out of every
      collection, and the young generation is collected every 20,000 allocations instead of 700. Decoded events are
      short-lived and acyclic: a little memory for ~10 % less CPU.
    - GIL switch interval 0.2 ms instead of 5: the writer drops the GIL while SQLite
      works and must get it back from the busy reader; at 5 ms it spent most of its time
      waiting, and the journal, not the socket, set the pace (measured: ~27k -> ~40k
      events/s in benchmarks/bench_journal.py).
    """
    collector.settle()
    sys.setswitchinterval(0.0002)


def run(args: argparse.Namespace) -> int:
    tune_process()
    store = Store(args.db)
    try:
        before = store.seq_count()
        code = asyncio.run(record(args.url, args.token, store, duration=args.duration,
                                  ca_file=getattr(args, "ca_file", None)))
        after = store.seq_count()
        position = store.last_position()
        where = f" (journal at epoch {position[0]}, seq {position[1]})" if position else ""
        missing = store.missing_events()
        # a hole is said on stdout with the summary, not only in the log: a cron job's
        # mail is where someone sees it
        hole = (f"; the journal is missing {missing} events (gaps the server could not replay)"
                if missing else "")
        print(f"recorded {after - before} new events{where}; "
              f"{store.quarantine_count()} messages in quarantine{hole}")
        return code
    finally:
        store.close()


async def record(
    url: str, token: str, store: Store, *, duration: float | None = None, ca_file: str | None = None,
    backoff: Backoff | None = None,
) -> int:
    """Record into ``store`` until a signal or ``duration`` seconds; raise on a fatal error."""
    client = FeedClient(url, token, ca_file=ca_file, store=store, backfill=True,
                        first_connect_attempts=FIRST_CONNECT_ATTEMPTS, backoff=backoff)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    _on_signals(loop, stop)
    feed = asyncio.ensure_future(client.run())
    stopper = asyncio.ensure_future(stop.wait())
    try:
        done, _ = await asyncio.wait({feed, stopper}, timeout=duration,
                                     return_when=asyncio.FIRST_COMPLETED)
        if feed in done:
            feed.result()  # NotAuthorised, CannotConnect, ProtocolVersionError: exit codes
            return 1
        await client.stop()  # flushes everything received to the store
        await feed
        _check_nothing_lost(client, store)
        return 0
    finally:
        stopper.cancel()
        if not feed.done():
            feed.cancel()
            with contextlib.suppress(BaseException):
                await feed


def _check_nothing_lost(client: FeedClient, store: Store) -> None:
    """The last event handed to the journal must be the journal's last row."""
    handed = client.journal_position
    if handed is not None and store.last_position() != handed:
        raise JournalLost(
            f"the journal ends at {store.last_position()} but events up to {handed} were received"
        )


def _on_signals(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
            if sys.platform == "win32" and sig == signal.SIGINT:
                signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))

"""The queue event feed client (PROTOCOL.md): connect, subscribe, resume, journal, command.

Runs on an asyncio loop (the desktop's I/O thread, or the recorder's main thread). Every
message is decoded once; stream events are checked against the last seq (duplicates
dropped, a gap answered by a resume, never guessed), handed to ``on_batch`` in coalesced
lists and to the journal writer thread. Nothing a server sends can crash it: bad
messages are quarantined and counted; only a refused token or another protocol version
stop it, and those do not retry.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Callable
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI
from websockets.uri import parse_uri

from supervisor import wire
from supervisor.errors import CannotConnect, NotAuthorised, UsageError
from supervisor.feed.backoff import Backoff
from supervisor.feed.inbound import FRESH, RESUME, Fatal, Inbound
from supervisor.feed.position import StreamPosition
from supervisor.feed.reporting import StatusReporter
from supervisor.feed.requests import PendingCommands
from supervisor.feed.status import (
    STALE_AFTER_HEARTBEATS, CommandOutcome, FeedCounts, FeedStatus, State,
)
from supervisor.feed.writer import JournalLost, JournalWriter
from supervisor.store import Store

log = logging.getLogger(__name__)

# Anything up to this is read and then quarantined as oversized (> 1 MiB); beyond it the
# websockets library closes the connection rather than buffer an absurd message.
HARD_MAX_BYTES = 16 * wire.MAX_MESSAGE_BYTES
RESET_BACKOFF_AFTER_S = 5.0  # a session that lived this long was not a flapping one
WRITER_HIGH_WATER = 50_000  # rows queued for the database before reading pauses



class FeedClient:
    """One subscription to a queue event server, kept alive until :meth:`stop`.

    ``on_batch`` gets, on the loop's thread, lists of stream events in seq order
    (snapshots included) and the ``Hello`` of each session; ``on_status`` a new
    :class:`FeedStatus` on every state change and at most every 0.25 s otherwise;
    ``on_command_result`` every command result, including late ones (``late=True``).
    ``backfill`` (the recorder) asks a server whose stream it has no position in for
    its whole replay buffer instead of a snapshot. ``first_connect_attempts`` makes
    :meth:`run` raise ``CannotConnect`` when that many first attempts all fail.
    """

    def __init__(
        self,
        url: str,
        token: str,
        *,
        ca_file: str | None = None,
        store: Store | None = None,
        resume: tuple[str, int] | None = None,
        on_batch: Callable[[list[wire.Event]], None] | None = None,
        on_status: Callable[[FeedStatus], None] | None = None,
        on_command_result: Callable[[CommandOutcome], None] | None = None,
        on_history: Callable[[list[wire.Event]], None] | None = None,
        on_preview: Callable[[wire.Snapshot], None] | None = None,
        backfill: bool = False,
        first_connect_attempts: int | None = None,
        batch_rows: int = 1_000,
        batch_delay_s: float = 0.005,
        open_timeout_s: float = 10.0,
        backoff: Backoff | None = None,
    ) -> None:
        try:
            parse_uri(url)
        except InvalidURI:
            raise UsageError(f"{url!r} is not a websocket URL (ws://HOST:PORT/v1/events or wss://…)") from None
        self._token = token
        self._ssl: ssl.SSLContext | None = None
        scheme, sep, rest = url.partition("://")
        url = f"{scheme.lower()}{sep}{rest}"  # schemes are case-insensitive (RFC 3986)
        self.url = url
        if url.startswith("wss://"):
            try:
                self._ssl = ssl.create_default_context(cafile=ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise UsageError(f"cannot read the CA file {ca_file!r}: {exc}") from None
        elif ca_file:
            log.warning("--ca-file is ignored for a ws:// URL (no TLS)")
        self._store = store
        self._first_connect_attempts = first_connect_attempts
        self._open_timeout = open_timeout_s
        self._backoff = backoff or Backoff()

        start = resume if resume is not None else (store.last_position() if store else None)
        # a journal whose epoch holds no snapshot (stopped in the middle of its backfill,
        # or written by an older version) first fetches one, then resumes from its end
        need_snapshot = bool(start and store is not None and store.last_snapshot(start[0]) is None)
        self._pos = StreamPosition(*start, need_snapshot=need_snapshot) if start else StreamPosition()
        self._report = StatusReporter(
            FeedStatus(state="connecting", epoch=self._pos.epoch, seq=self._pos.seq), on_status
        )
        self._commands = PendingCommands()
        self._in = Inbound(self._pos, self._report, self._commands, on_batch, on_command_result,
                           backfill, batch_rows, batch_delay_s, on_history, on_preview)
        self._report.live_fields = lambda: {
            "epoch": self._pos.epoch, "seq": self._pos.seq, "heartbeat_s": self._in.heartbeat_s,
            "last_message_monotonic": self._in.last_message,
        }
        self._count = self._report.counts
        self.recent_quarantine = self._in.recent_quarantine

        self._loop: asyncio.AbstractEventLoop | None = None
        self._ws: ClientConnection | None = None
        self._live: asyncio.Event | None = None
        self._stop_requested: asyncio.Event | None = None
        self._done: asyncio.Event | None = None
        self._running = False
        self._writer: JournalWriter | None = None
        self._session_task: asyncio.Future[str | None] | None = None

    # ------------------------------------------------------------------ public

    @property
    def status(self) -> FeedStatus:
        return self._report.status

    @property
    def position(self) -> tuple[str, int] | None:
        """(epoch, seq) of the last stream event accepted."""
        return self._pos.resume_from

    @property
    def counts(self) -> FeedCounts:
        """The counters now (``status.counts`` is at most 0.25 s old)."""
        return FeedCounts(**self._count)

    @property
    def journal_position(self) -> tuple[str, int] | None:
        """(epoch, seq) of the last event this client handed to the journal, if any."""
        return self._in.journal_position

    async def wait_live(self, timeout: float | None = None) -> bool:
        """Wait until a session is live (hello received); False on timeout.

        Call it while :meth:`run` is running (it may be awaited right after starting it).
        """
        self._setup_loop()
        assert self._live is not None
        try:
            await asyncio.wait_for(self._live.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def run(self) -> None:
        """Connect, subscribe and keep the stream until :meth:`stop`.

        Raises ``NotAuthorised`` (HTTP 401/403) and ``ProtocolVersionError`` without
        retrying, and ``CannotConnect`` when ``first_connect_attempts`` all failed.
        """
        if self._running:
            raise RuntimeError("FeedClient.run() is already running")
        self._running = True
        self._setup_loop()
        assert self._stop_requested is not None
        connected_once = False
        planned = False  # this connection follows a gap or a backfill, not a failure
        attempts = 0
        last_error = ""
        try:
            while not self._stop_requested.is_set():
                state = "connecting" if not connected_once else self._waiting_state()
                self._report.set_state(state, retry_in_s=None)
                attempts += 1
                started = time.monotonic()
                self._session_task = asyncio.ensure_future(self._session(counts_as_reconnect=(
                    connected_once and not planned)))
                try:
                    result = await self._session_task
                except asyncio.CancelledError:
                    if self._stop_requested.is_set() and self._session_task.cancelled():
                        break  # stop() during a connection attempt
                    raise
                except Fatal as fatal:
                    self._report.set_state(fatal.state, message=str(fatal.error))
                    raise fatal.error from None
                except _ConnectFailed as exc:
                    last_error = str(exc)
                    result = None
                    if (
                        not connected_once
                        and self._first_connect_attempts is not None
                        and attempts >= self._first_connect_attempts
                    ):
                        raise CannotConnect(f"cannot connect to {self.url}: {last_error}") from None
                else:
                    connected_once = True
                    last_error = ""
                if self._stop_requested.is_set():
                    break
                planned = result in (RESUME, FRESH)
                if planned:
                    continue  # a gap, a hole or a backfill: subscribe again at once, no backoff
                if connected_once and time.monotonic() - started >= RESET_BACKOFF_AFTER_S:
                    self._backoff.reset()
                await self._wait_before_retry(self._backoff.next(), last_error)
        finally:
            await self._shutdown()

    async def stop(self) -> None:
        """Stop: close the connection, write everything received to the store."""
        if not self._running:
            self._setup_loop()
            await self._shutdown()
            return
        assert self._stop_requested is not None and self._done is not None
        self._stop_requested.set()
        ws = self._ws
        if ws is not None:
            await ws.close()  # the reader sees the close, flushes and returns
        elif self._session_task is not None and not self._session_task.done():
            self._session_task.cancel()  # still connecting: do not wait for open_timeout
        await self._done.wait()

    async def reassign(
        self, escalation_id: str, to_owner: str, reason: str, timeout: float = 10.0
    ) -> CommandOutcome:
        """Ask the server to reassign an escalation; wait up to ``timeout`` seconds.

        "unknown" means no result came in time: the command may still take effect, and
        its result, if it comes, goes to ``on_command_result`` with ``late=True``.
        "error" with code "not_connected" means nothing was sent.
        """
        request_id = PendingCommands.new_id()
        return await self._command(
            request_id, wire.reassign_command(request_id, escalation_id, to_owner, reason), timeout)

    async def reveal(
        self, customer_id: str, case_id: str | None, reason: str, timeout: float = 10.0
    ) -> CommandOutcome:
        """Ask the server for one customer's unmasked record (``customer.reveal``).

        The outcome's ``customer`` holds the record when the server agreed; it is for the
        caller to show and forget, never to store: nothing on this path logs it, hands it
        to ``on_command_result`` or keeps it. The server audits the reveal. Same outcomes
        as :meth:`reassign`; a result that comes after "unknown" is dropped, record and all.
        """
        request_id = PendingCommands.new_id()
        return await self._command(
            request_id, wire.reveal_command(request_id, customer_id, case_id, reason), timeout)

    async def _command(self, request_id: str, command: dict[str, Any], timeout: float) -> CommandOutcome:
        """Send one command and wait for its result until ``timeout`` (see :meth:`reassign`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        not_sent = CommandOutcome(request_id, "error", "not_connected",
                                  "not connected to the server; nothing was sent")
        if self._live is None or not await self.wait_live(timeout):
            return not_sent
        ws = self._ws
        if ws is None:
            return not_sent
        future = self._commands.expect(request_id)
        message = wire.encode(command)
        try:
            await ws.send(message.decode("utf-8"))  # a text frame, as the protocol requires
        except ConnectionClosed:
            self._commands.forget(request_id)
            return not_sent
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - loop.time()))
        except TimeoutError:
            self._commands.timed_out(request_id)
            return CommandOutcome(
                request_id, "unknown", None,
                f"no result from the server within {timeout:g} s; the outcome is unknown",
            )

    # ------------------------------------------------------------------ session

    def _setup_loop(self) -> None:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._report.attach(self._loop)
            self._live = asyncio.Event()
            self._in.loop, self._in.live = self._loop, self._live
            self._stop_requested = asyncio.Event()
            self._done = asyncio.Event()
        assert self._done is not None
        if self._store is not None and self._writer is None and not self._done.is_set():
            loop = self._loop

            def on_written(inserted: int, submitted: int) -> None:
                loop.call_soon_threadsafe(self._in.written, inserted)

            def on_error(message: str | None) -> None:
                loop.call_soon_threadsafe(self._in.write_error, message)

            self._writer = JournalWriter(self._store, on_written=on_written, on_error=on_error)
            self._in.writer = self._writer

    async def _session(self, counts_as_reconnect: bool) -> str | None:
        """One connection: returns None when it ends, RESUME for a planned reconnect."""
        try:
            ws = await connect(
                self.url,
                additional_headers={"Authorization": f"Bearer {self._token}"},
                ssl=self._ssl,
                open_timeout=self._open_timeout,
                max_size=HARD_MAX_BYTES,
                max_queue=256,
                compression=None,  # CPU matters more than bandwidth on a bank LAN
                close_timeout=2.0,
                user_agent_header=f"command-center websockets/{websockets.__version__}",
                logger=_WS_LOG,
            )
        except InvalidStatus as exc:
            code = exc.response.status_code
            if code in (401, 403):
                raise Fatal(NotAuthorised(
                    f"not authorised: the server refused the token (HTTP {code})"), "not_authorised"
                ) from None
            raise _ConnectFailed(f"the server answered HTTP {code}") from None
        except (OSError, TimeoutError, websockets.exceptions.InvalidHandshake) as exc:
            raise _ConnectFailed(_describe(exc)) from None
        assert self._stop_requested is not None and self._live is not None
        if self._stop_requested.is_set():
            await ws.close()
            return None
        self._ws = ws
        if counts_as_reconnect:
            self._count["reconnects"] += 1
        watchdog = asyncio.ensure_future(self._watchdog(ws))
        result: str | None = None
        try:
            resume = self._pos.resume_from
            if resume is not None:
                self._count["resumes"] += 1
            subscribe = wire.Subscribe(*resume) if resume else wire.Subscribe()
            await ws.send(wire.encode(subscribe.to_message()).decode("utf-8"))
            self._in.last_message = time.monotonic()
            result = await self._read(ws)
        except ConnectionClosed:
            pass
        finally:
            watchdog.cancel()
            self._ws = None
            self._live.clear()
            self._in.flush()
            await ws.close()
            self._note_close(ws)
        return result

    async def _read(self, ws: ClientConnection) -> str | None:
        writer = self._writer
        on_message = self._in.on_message
        while True:
            action = on_message(await ws.recv())
            if action is not None:
                return action
            if writer is not None and writer.backlog > WRITER_HIGH_WATER:
                # the database is behind: stop reading (TCP pushes back on the server)
                self._in.flush()
                while writer.backlog > WRITER_HIGH_WATER // 2:
                    await asyncio.sleep(0.01)
                    # we are the silent side here, not the server
                    self._in.last_message = time.monotonic()

    async def _watchdog(self, ws: ClientConnection) -> None:
        """Close a connection that has been silent for 3 heartbeats (the data is stale)."""
        while True:
            silent_for = time.monotonic() - (self._in.last_message or time.monotonic())
            limit = STALE_AFTER_HEARTBEATS * self._in.heartbeat_s
            if silent_for >= limit:
                log.warning("nothing heard for %.1f s: data is stale, reconnecting", silent_for)
                self._report.set_state("stale", message=f"nothing heard from the server for {silent_for:.0f} s")
                ws.transport.abort()
                return
            await asyncio.sleep(min(limit - silent_for + 0.01, 1.0))

    def _waiting_state(self) -> State:
        last = self._in.last_message
        if last is not None and time.monotonic() - last >= STALE_AFTER_HEARTBEATS * self._in.heartbeat_s:
            return "stale"
        return "reconnecting"

    async def _wait_before_retry(self, delay: float, error: str) -> None:
        assert self._stop_requested is not None
        end = time.monotonic() + delay
        message = f"{error}; " if error else ""
        while not self._stop_requested.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return
            self._report.set_state(self._waiting_state(), retry_in_s=round(left, 1),
                                   message=f"{message}retrying in {left:.0f} s")
            # wake when the data turns stale, to show it
            until_stale = None
            last = self._in.last_message
            if last is not None and self._waiting_state() != "stale":
                until_stale = last + STALE_AFTER_HEARTBEATS * self._in.heartbeat_s - time.monotonic()
            step = left if until_stale is None else max(0.01, min(left, until_stale))
            try:
                await asyncio.wait_for(self._stop_requested.wait(), step)
            except TimeoutError:
                pass

    def _note_close(self, ws: ClientConnection) -> None:
        # a frame over HARD_MAX_BYTES or invalid UTF-8 makes websockets close with 1009/1007;
        # there is no message to keep, but the event is recorded like any rejected message
        sent = ws.protocol.close_sent
        if sent is not None and sent.code in (1007, 1009):
            kind = "oversized" if sent.code == 1009 else "malformed"
            self._in.quarantine(b"", kind, f"connection closed by the client: {sent.reason or sent.code}")
            self._in.flush()

    async def _shutdown(self) -> None:
        assert self._done is not None and self._loop is not None
        self._in.flush()
        self._commands.cancel_all()
        writer, self._writer = self._writer, None
        self._in.writer = None
        unwritten = await self._loop.run_in_executor(None, writer.close) if writer else 0
        if unwritten:
            self._report.set_state("stopped", message=f"{unwritten} journal rows could not be written")
        elif self._report.status.state in ("not_authorised", "version_error"):
            self._report.emit()  # keep the reason on screen: it is why we stopped
        else:
            self._report.set_state("stopped", retry_in_s=None, message="")
        self._running = False
        self._done.set()
        if unwritten:
            raise JournalLost(f"the journal database kept failing: {unwritten} rows were not written")

class _NoFrameLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """The websockets library's logger without its DEBUG level, which prints every frame:
    a frame can hold a reveal's unmasked record (or an older server's unmasked stream),
    and no log may. Connection events (INFO and above) are logged as before."""

    def isEnabledFor(self, level: int) -> bool:
        return level > logging.DEBUG and self.logger.isEnabledFor(level)


_WS_LOG = _NoFrameLog(logging.getLogger("websockets.client"), {})


class _ConnectFailed(Exception):
    """One connection attempt failed (refused, timed out, TLS, HTTP error): retry."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the server's certificate is not trusted ({exc.verify_message})"
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]

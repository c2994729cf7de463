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
import dataclasses
import logging
import ssl
import time
import uuid
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI
from websockets.uri import parse_uri

from supervisor import wire
from supervisor.errors import CannotConnect, NotAuthorised, ProtocolVersionError, UsageError
from supervisor.feed.backoff import Backoff
from supervisor.feed.status import CommandOutcome, FeedCounts, FeedStatus, State
from supervisor.feed.writer import JournalLost, JournalWriter
from supervisor.store import JournalRow, QuarantineEntry, Store, journal_row

log = logging.getLogger(__name__)

UTC = timezone.utc
# Anything up to this is read and then quarantined as oversized (> 1 MiB); beyond it the
# websockets library closes the connection rather than buffer an absurd message.
HARD_MAX_BYTES = 16 * wire.MAX_MESSAGE_BYTES
STALE_AFTER_HEARTBEATS = 3
RESET_BACKOFF_AFTER_S = 5.0  # a session that lived this long was not a flapping one
STATUS_EVERY_S = 0.25  # counters and seq are reported at most this often
WRITER_HIGH_WATER = 50_000  # rows queued for the database before reading pauses
_LOG_FIRST_N = 10

_RESUME = "resume"  # a gap: reconnect at once with the last position
_STREAM_CLASSES = frozenset(wire.EVENT_TYPES[t] for t in wire.STREAM_TYPES)
_QUARTER_MAX = wire.MAX_MESSAGE_BYTES // 4  # a str this short cannot exceed the limit in UTF-8
_decode = wire.decode
_monotonic = time.monotonic


class _Fatal(Exception):
    def __init__(self, error: NotAuthorised | ProtocolVersionError, state: State) -> None:
        super().__init__(str(error))
        self.error = error
        self.state = state


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
        self.url = url
        self._token = token
        self._ssl: ssl.SSLContext | None = None
        if url.startswith("wss://"):
            try:
                self._ssl = ssl.create_default_context(cafile=ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise UsageError(f"cannot read the CA file {ca_file!r}: {exc}") from None
        elif ca_file:
            log.warning("--ca-file is ignored for a ws:// URL (no TLS)")
        self._store = store
        self._on_batch = on_batch
        self._on_status = on_status
        self._on_command_result = on_command_result
        self._backfill = backfill
        self._first_connect_attempts = first_connect_attempts
        self._batch_rows = batch_rows
        self._batch_delay = batch_delay_s
        self._open_timeout = open_timeout_s
        self._backoff = backoff or Backoff()

        position = resume if resume is not None else (store.last_position() if store else None)
        self._epoch: str | None = position[0] if position else None
        self._seq: int | None = position[1] if position else None
        self._backfilled: set[str] = set()
        self._gap_retry: tuple[str, int] | None = None  # position a gap-resume was tried from
        self._journal_position: tuple[str, int] | None = None

        self._status = FeedStatus(state="connecting", epoch=self._epoch, seq=self._seq)
        self._counts: dict[str, int] = dataclasses.asdict(FeedCounts())
        self._last_status_emit = 0.0
        self._status_handle: asyncio.TimerHandle | None = None
        self._last_message: float | None = None
        self._heartbeat_s = 5.0

        self._pending_events: list[wire.Event] = []  # only with an on_batch to give them to
        self._pending_n = 0  # stream events accepted since the last flush
        self._pending_rows: list[JournalRow] = []
        self._pending_quarantine: list[QuarantineEntry] = []
        self._flush_handle: asyncio.TimerHandle | None = None
        self.recent_quarantine: deque[QuarantineEntry] = deque(maxlen=100)

        self._requests: dict[str, asyncio.Future[CommandOutcome]] = {}
        self._late: set[str] = set()

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
        return self._status

    @property
    def position(self) -> tuple[str, int] | None:
        """(epoch, seq) of the last stream event accepted."""
        return (self._epoch, self._seq) if self._epoch is not None and self._seq is not None else None

    @property
    def counts(self) -> FeedCounts:
        """The counters now (``status.counts`` is at most 0.25 s old)."""
        return FeedCounts(**self._counts)

    @property
    def journal_position(self) -> tuple[str, int] | None:
        """(epoch, seq) of the last event this client handed to the journal, if any."""
        return self._journal_position

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
        assert self._stop_requested is not None and self._done is not None
        connected_once = False
        attempts = 0
        last_error = ""
        try:
            while not self._stop_requested.is_set():
                self._set_state("connecting" if not connected_once else self._waiting_state(),
                                retry_in_s=None)
                attempts += 1
                started = time.monotonic()
                self._session_task = asyncio.ensure_future(self._session())
                try:
                    result = await self._session_task
                except asyncio.CancelledError:
                    if self._stop_requested.is_set() and self._session_task.cancelled():
                        break  # stop() during a connection attempt
                    raise
                except _Fatal as fatal:
                    self._set_state(fatal.state, message=str(fatal.error))
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
                if result == _RESUME:
                    continue  # a gap: resume at once, no backoff
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
        """
        request_id = f"r-{uuid.uuid4().hex}"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if self._live is None or not self._live.is_set():
            live = self._live
            try:
                if live is None:
                    raise TimeoutError
                await asyncio.wait_for(live.wait(), timeout)
            except TimeoutError:
                return CommandOutcome(request_id, "error", "not_connected",
                                      "not connected to the server; nothing was sent")
        ws = self._ws
        if ws is None:
            return CommandOutcome(request_id, "error", "not_connected",
                                  "not connected to the server; nothing was sent")
        future: asyncio.Future[CommandOutcome] = loop.create_future()
        self._requests[request_id] = future
        message = wire.encode(wire.reassign_command(request_id, escalation_id, to_owner, reason))
        try:
            await ws.send(message.decode("utf-8"))  # a text frame, as the protocol requires
        except ConnectionClosed:
            self._requests.pop(request_id, None)
            return CommandOutcome(request_id, "error", "not_connected",
                                  "the connection closed before the command was sent")
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - loop.time()))
        except TimeoutError:
            self._requests.pop(request_id, None)
            self._late.add(request_id)
            return CommandOutcome(
                request_id, "unknown", None,
                f"no result from the server within {timeout:g} s; the outcome is unknown",
            )

    # ------------------------------------------------------------------ session

    def _setup_loop(self) -> None:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._live = asyncio.Event()
            self._stop_requested = asyncio.Event()
            self._done = asyncio.Event()
        if self._store is not None and self._writer is None:
            loop = self._loop

            def on_written(inserted: int, submitted: int) -> None:
                loop.call_soon_threadsafe(self._written, inserted, submitted)

            def on_error(message: str | None) -> None:
                loop.call_soon_threadsafe(self._write_error, message)

            self._writer = JournalWriter(self._store, on_written=on_written, on_error=on_error)

    async def _session(self) -> str | None:
        """One connection: returns None when it ends, _RESUME on a gap."""
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
            )
        except InvalidStatus as exc:
            code = exc.response.status_code
            if code in (401, 403):
                raise _Fatal(NotAuthorised(
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
        if self._status.state != "connecting":
            self._count("reconnects")
        watchdog = asyncio.ensure_future(self._watchdog(ws))
        result: str | None = None
        try:
            subscribe = wire.Subscribe(self._epoch, self._seq)
            if subscribe.epoch is not None and subscribe.after_seq is not None:
                self._count("resumes")
            await ws.send(wire.encode(subscribe.to_message()).decode("utf-8"))
            self._last_message = time.monotonic()
            result = await self._read(ws)
        except ConnectionClosed:
            pass
        finally:
            watchdog.cancel()
            self._ws = None
            self._live.clear()
            self._flush()
            await ws.close()
            self._note_close(ws)
        return result

    async def _read(self, ws: ClientConnection) -> str | None:
        writer = self._writer
        while True:
            message = await ws.recv()
            action = self._on_message(message)
            if action is not None:
                return action
            if writer is not None and writer.backlog > WRITER_HIGH_WATER:
                # the database is behind: stop reading (TCP pushes back on the server)
                self._flush()
                while writer.backlog > WRITER_HIGH_WATER // 2:
                    await asyncio.sleep(0.01)
                    # we are the silent side here, not the server
                    self._last_message = time.monotonic()

    async def _watchdog(self, ws: ClientConnection) -> None:
        """Close a connection that has been silent for 3 heartbeats (the data is stale)."""
        while True:
            silent_for = time.monotonic() - (self._last_message or time.monotonic())
            limit = STALE_AFTER_HEARTBEATS * self._heartbeat_s
            if silent_for >= limit:
                log.warning("nothing heard for %.1f s: data is stale, reconnecting", silent_for)
                self._set_state("stale", message=f"nothing heard from the server for {silent_for:.0f} s")
                ws.transport.abort()
                return
            await asyncio.sleep(min(limit - silent_for + 0.01, 1.0))

    def _waiting_state(self) -> State:
        last = self._last_message
        if last is not None and time.monotonic() - last >= STALE_AFTER_HEARTBEATS * self._heartbeat_s:
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
            self._set_state(self._waiting_state(), retry_in_s=round(left, 1),
                            message=f"{message}retrying in {left:.0f} s")
            # wake when the data turns stale, to show it
            until_stale = None
            if self._last_message is not None and self._waiting_state() != "stale":
                until_stale = self._last_message + STALE_AFTER_HEARTBEATS * self._heartbeat_s - time.monotonic()
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
            self._quarantine(b"", kind, f"connection closed by the client: {sent.reason or sent.code}")
            self._flush()

    async def _shutdown(self) -> None:
        assert self._done is not None and self._loop is not None
        self._flush()
        writer, self._writer = self._writer, None
        if writer is not None:
            unwritten = await self._loop.run_in_executor(None, writer.close)
            if unwritten:
                self._set_state("stopped", message=f"{unwritten} journal rows could not be written")
                self._running = False
                self._done.set()
                raise JournalLost(f"the journal database kept failing: {unwritten} rows were not written")
        for future in self._requests.values():
            if not future.done():
                future.cancel()
        if self._status.state in ("not_authorised", "version_error"):
            self._emit()  # keep the reason on screen: it is why we stopped
        else:
            self._set_state("stopped", retry_in_s=None, message="")
        self._running = False
        self._done.set()

    # ------------------------------------------------------------------ messages

    def _on_message(self, message: str | bytes) -> str | None:
        # the hot path: runs for every message, so the common case is tested first
        self._last_message = _monotonic()
        self._counts["received"] += 1
        if message.__class__ is not str:
            self._quarantine(message, "binary", "binary frame: the protocol sends only text messages")
            return None
        if len(message) > _QUARTER_MAX and len(message.encode("utf-8")) > wire.MAX_MESSAGE_BYTES:
            self._quarantine(message, "oversized", f"message larger than {wire.MAX_MESSAGE_BYTES} bytes")
            return None
        try:
            event = _decode(message)
        except wire.Rejected as exc:
            self._quarantine(message, exc.kind, exc.reason)
            if exc.kind == "version":
                self._flush()
                raise _Fatal(ProtocolVersionError(
                    f"the server speaks another protocol version ({exc.reason}); this client "
                    f"speaks version {wire.PROTOCOL_VERSION}"), "version_error") from None
            return None
        cls = event.__class__
        if cls in _STREAM_CLASSES:
            return self._on_stream(event, message)  # type: ignore[arg-type]
        if cls is wire.Heartbeat:
            self._server_time(event.data.server_time)  # type: ignore[union-attr]
            self._maybe_status()
            return None
        if cls is wire.Hello:
            return self._on_hello(event)  # type: ignore[arg-type]
        if cls is wire.CommandResult:
            self._on_command_result_event(event)  # type: ignore[arg-type]
            return None
        return self._on_unknown(event)  # type: ignore[arg-type]

    def _on_stream(self, event: wire.Event, message: str) -> str | None:
        epoch = self._epoch
        if epoch is None:
            self._quarantine(message, "malformed", "stream event before hello: no epoch to file it under")
            return None
        seq = event.seq
        last = self._seq
        if last is not None and seq != last + 1:
            if seq <= last:
                self._counts["duplicates"] += 1
                return None
            if event.__class__ is not wire.Snapshot and self._gap(last, seq) == _RESUME:
                return _RESUME
        self._seq = seq
        if event.__class__ is wire.Snapshot:
            self._counts["snapshots"] += 1
        if self._on_batch is not None:  # the recorder keeps no decoded events around
            self._pending_events.append(event)
        if self._writer is not None:
            self._pending_rows.append(journal_row(epoch, event, message))
        self._pending_n += 1
        if self._pending_n >= self._batch_rows:
            self._flush()
        elif self._flush_handle is None:
            assert self._loop is not None
            self._flush_handle = self._loop.call_later(self._batch_delay, self._flush)
        return None

    def _gap(self, last: int, seq: int) -> str | None:
        """A seq gap after ``last``: resume once from there; if the same gap comes back,
        the server cannot fill it (e.g. the event is malformed at the source): accept it."""
        assert self._epoch is not None
        where = (self._epoch, last)
        self._counts["gaps"] += 1
        if self._gap_retry != where:
            self._gap_retry = where
            log.warning("seq gap: after %d came %d; resuming from %d", last, seq, last)
            self._set_state(self._status.state, message=f"events {last + 1}–{seq - 1} missing; resuming")
            return _RESUME
        self._counts["gaps_accepted"] += 1
        log.error("seq gap %d–%d persists after a resume; those events are lost", last + 1, seq - 1)
        return None

    def _on_unknown(self, event: wire.UnknownEvent) -> str | None:
        self._counts["unknown_types"] += 1
        if self._counts["unknown_types"] <= _LOG_FIRST_N:
            log.info("ignoring a message of unknown type %r", event.type)
        # a future stream type advances the seq; a future control type repeats it
        last = self._seq
        if last is not None and self._epoch is not None:
            if event.seq == last + 1:
                self._seq = event.seq
            elif event.seq > last + 1 and self._gap(last, event.seq) == _RESUME:
                return _RESUME
        return None

    def _on_hello(self, hello: wire.Hello) -> str | None:
        data = hello.data
        assert self._live is not None
        self._heartbeat_s = data.heartbeat_s
        self._server_time(data.server_time)
        if data.epoch != self._epoch:
            if self._epoch is not None:
                log.warning("the server's stream epoch changed (%s -> %s): starting over from its snapshot",
                            self._epoch, data.epoch)
            self._epoch, self._seq = data.epoch, None
        if self._backfill and self._seq is None and data.epoch not in self._backfilled:
            # ask again for everything the server still holds, from the start of the epoch
            self._backfilled.add(data.epoch)
            self._seq = 0
            return _RESUME
        self._live.set()
        if self._on_batch is not None:
            self._pending_events.append(hello)
        self._status = dataclasses.replace(self._status, user=data.user, server_seq=hello.seq)
        self._flush()
        self._set_state("live", retry_in_s=None, message="")
        return None

    def _on_command_result_event(self, event: wire.CommandResult) -> None:
        data = event.data
        request_id = data.request_id
        if data.ok:
            outcome = CommandOutcome(request_id, "ok")
        else:
            error = data.error or wire.CommandError(code="error", message="")
            outcome = CommandOutcome(request_id, "error", error.code, error.message)
        future = self._requests.pop(request_id, None)
        if future is not None and not future.done():
            future.set_result(outcome)
        elif request_id in self._late:
            self._late.discard(request_id)
            outcome = dataclasses.replace(outcome, late=True)
            log.warning("late command result %s: %s", request_id, outcome.status)
        if self._on_command_result is not None:
            try:
                self._on_command_result(outcome)
            except Exception:  # noqa: BLE001 - a consumer's bug must not stop the feed
                log.exception("on_command_result failed")

    def _server_time(self, server_time: datetime) -> None:
        offset = server_time.timestamp() - time.time()
        self._status = dataclasses.replace(self._status, server_offset_s=offset, heartbeat_s=self._heartbeat_s)

    def _quarantine(self, message: str | bytes, kind: str, reason: str) -> None:
        self._counts["quarantined"] += 1
        n = self._counts["quarantined"]
        if n <= _LOG_FIRST_N or n % 1000 == 0:
            log.warning("quarantined message #%d (%s): %s", n, kind, reason)
        entry = QuarantineEntry.of(message, kind, reason, datetime.now(UTC), self._epoch)
        self.recent_quarantine.append(entry)
        if self._writer is not None:
            self._pending_quarantine.append(entry)
        self._maybe_status()

    # ------------------------------------------------------------------ batches, status

    def _flush(self) -> None:
        self._pending_n = 0
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        if self._pending_rows or self._pending_quarantine:
            if self._pending_rows:
                last = self._pending_rows[-1]
                self._journal_position = (last.epoch, last.seq)
            rows, self._pending_rows = self._pending_rows, []
            entries, self._pending_quarantine = self._pending_quarantine, []
            if self._writer is not None:
                self._writer.submit(rows, entries)
        if self._pending_events:
            events, self._pending_events = self._pending_events, []
            if self._on_batch is not None:
                try:
                    self._on_batch(events)
                except Exception:  # noqa: BLE001 - a consumer's bug must not stop the feed
                    log.exception("on_batch failed")
        self._maybe_status()

    def _written(self, inserted: int, submitted: int) -> None:
        self._counts["journaled"] += inserted
        self._maybe_status()

    def _write_error(self, message: str | None) -> None:
        if message is not None:
            self._counts["write_errors"] += 1
        self._set_state(self._status.state, message=message or "")

    def _count(self, name: str) -> None:
        self._counts[name] += 1

    def _maybe_status(self) -> None:
        """Report counters at most every STATUS_EVERY_S, and always the last change."""
        if self._status_handle is not None:
            return  # a report is already due
        wait = self._last_status_emit + STATUS_EVERY_S - time.monotonic()
        if wait <= 0:
            self._emit()
        elif self._loop is not None:
            self._status_handle = self._loop.call_later(wait, self._emit)

    def _set_state(self, state: State, **changes: Any) -> None:
        old = self._status
        self._status = dataclasses.replace(old, state=state, **changes)
        if state != old.state or changes.get("message", old.message) != old.message or "retry_in_s" in changes:
            if state != old.state:
                log.info("feed %s -> %s", old.state, state)
            self._emit()

    def _emit(self) -> None:
        if self._status_handle is not None:
            self._status_handle.cancel()
            self._status_handle = None
        self._last_status_emit = time.monotonic()
        self._status = dataclasses.replace(
            self._status,
            epoch=self._epoch,
            seq=self._seq,
            heartbeat_s=self._heartbeat_s,
            last_message_monotonic=self._last_message,
            counts=FeedCounts(**self._counts),
        )
        if self._on_status is not None:
            try:
                self._on_status(self._status)
            except Exception:  # noqa: BLE001 - a consumer's bug must not stop the feed
                log.exception("on_status failed")


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

"""What the feed client does with each message it reads (no sockets, no threads).

Decode once; check the seq of stream events (duplicates dropped, a gap ends the session
for a resume); coalesce accepted events for ``on_batch`` and journal rows for the
writer; quarantine and count everything else. This is the hot path of the recorder:
the common case is tested first and nothing is looked up twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone

from supervisor import wire
from supervisor.errors import NotAuthorised, ProtocolVersionError
from supervisor.feed.position import StreamPosition, Verdict
from supervisor.feed.reporting import StatusReporter
from supervisor.feed.requests import PendingCommands
from supervisor.feed.status import CommandOutcome, State
from supervisor.feed.writer import JournalWriter
from supervisor.store import JournalRow, QuarantineEntry, journal_row

log = logging.getLogger("supervisor.feed.client")

UTC = timezone.utc
RESUME = "resume"  # end the session for a planned reconnect: resume at once, no backoff
_LOG_FIRST_N = 10
_STREAM_CLASSES = frozenset(wire.EVENT_TYPES[t] for t in wire.STREAM_TYPES)
_QUARTER_MAX = wire.MAX_MESSAGE_BYTES // 4  # a str this short cannot exceed the limit in UTF-8
_decode = wire.decode
_monotonic = time.monotonic


class Fatal(Exception):
    """Stop for good: a refused token or another protocol version."""

    def __init__(self, error: NotAuthorised | ProtocolVersionError, state: State) -> None:
        super().__init__(str(error))
        self.error = error
        self.state = state


class Inbound:
    """The client's message handling; ``on_message`` returns RESUME to end the session."""

    def __init__(
        self,
        pos: StreamPosition,
        report: StatusReporter,
        commands: PendingCommands,
        on_batch: Callable[[list[wire.Event]], None] | None,
        on_result: Callable[[CommandOutcome], None] | None,
        backfill: bool,
        batch_rows: int,
        batch_delay_s: float,
    ) -> None:
        self.pos = pos
        self.report = report
        self.commands = commands
        self.count = report.counts  # incremented directly on the hot path
        self.on_batch = on_batch
        self.on_result = on_result
        self.backfill = backfill
        self.batch_rows = batch_rows
        self.batch_delay = batch_delay_s
        self.last_message: float | None = None  # time.monotonic() of the last message
        self.heartbeat_s = 5.0
        self.journal_position: tuple[str, int] | None = None
        self.recent_quarantine: deque[QuarantineEntry] = deque(maxlen=100)
        self.writer: JournalWriter | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.live: asyncio.Event | None = None  # set on hello
        self._events: list[wire.Event] = []  # only with an on_batch to give them to
        self._n = 0  # stream events accepted since the last flush
        self._rows: list[JournalRow] = []
        self._quarantine: list[QuarantineEntry] = []
        self._flush_handle: asyncio.TimerHandle | None = None

    def on_message(self, message: str | bytes) -> str | None:
        self.last_message = _monotonic()
        self.count["received"] += 1
        if message.__class__ is not str:
            self.quarantine(message, "binary", "binary frame: the protocol sends only text messages")
            return None
        if len(message) > _QUARTER_MAX and len(message.encode("utf-8")) > wire.MAX_MESSAGE_BYTES:
            self.quarantine(message, "oversized", f"message larger than {wire.MAX_MESSAGE_BYTES} bytes")
            return None
        try:
            event = _decode(message)
        except wire.Rejected as exc:
            self.quarantine(message, exc.kind, exc.reason)
            if exc.kind == "version":
                self.flush()
                raise Fatal(ProtocolVersionError(
                    f"the server speaks another protocol version ({exc.reason}); this client "
                    f"speaks version {wire.PROTOCOL_VERSION}"), "version_error") from None
            return None
        cls = event.__class__
        if cls in _STREAM_CLASSES:
            return self._stream(event, message)  # type: ignore[arg-type]
        if cls is wire.Heartbeat:
            self.report.server_time(event.data.server_time)  # type: ignore[union-attr]
            self.report.maybe_emit()
            return None
        if cls is wire.Hello:
            return self._hello(event)  # type: ignore[arg-type]
        if cls is wire.CommandResult:
            self._command_result(event)  # type: ignore[arg-type]
            return None
        return self._unknown(event)  # type: ignore[arg-type]

    def _stream(self, event: wire.Event, message: str) -> str | None:
        epoch = self.pos.epoch
        if epoch is None:
            self.quarantine(message, "malformed", "stream event before hello: no epoch to file it under")
            return None
        last = self.pos.seq
        verdict = self.pos.check(event.seq, event.__class__ is wire.Snapshot)
        if verdict is not Verdict.ACCEPT:
            if verdict is Verdict.DUPLICATE:
                self.count["duplicates"] += 1
                return None
            if self._gap(verdict, last, event.seq):
                return RESUME
        if event.__class__ is wire.Snapshot:
            self.count["snapshots"] += 1
        if self.on_batch is not None:  # the recorder keeps no decoded events around
            self._events.append(event)
        if self.writer is not None:
            self._rows.append(journal_row(epoch, event, message))
        self._n += 1
        if self._n >= self.batch_rows:
            self.flush()
        elif self._flush_handle is None:
            assert self.loop is not None
            self._flush_handle = self.loop.call_later(self.batch_delay, self.flush)
        return None

    def _gap(self, verdict: Verdict, last: int | None, seq: int) -> bool:
        """Count and log a gap; True when the session should end for a resume."""
        self.count["gaps"] += 1
        if verdict is Verdict.RESUME:
            log.warning("seq gap: after %s came %d; resuming from %s", last, seq, last)
            self.report.set_state(self.report.status.state,
                                  message=f"events after {last} up to {seq - 1} missing; resuming")
            return True
        self.count["gaps_accepted"] += 1
        log.error("seq gap after %s up to %d persists after a resume; those events are lost", last, seq - 1)
        return False

    def _unknown(self, event: wire.UnknownEvent) -> str | None:
        self.count["unknown_types"] += 1
        if self.count["unknown_types"] <= _LOG_FIRST_N:
            log.info("ignoring a message of unknown type %r", event.type)
        last = self.pos.seq
        verdict = self.pos.check_unknown(event.seq)
        if verdict in (Verdict.RESUME, Verdict.ACCEPT_AFTER_GAP) and self._gap(verdict, last, event.seq):
            return RESUME
        return None

    def _hello(self, hello: wire.Hello) -> str | None:
        data = hello.data
        self.heartbeat_s = data.heartbeat_s
        self.report.server_time(data.server_time)
        if self.pos.epoch is not None and data.epoch != self.pos.epoch:
            log.warning("the server's stream epoch changed (%s -> %s): starting over from its snapshot",
                        self.pos.epoch, data.epoch)
        if self.pos.on_hello(data.epoch, self.backfill):
            return RESUME  # ask again for everything the server holds of this epoch
        if self.live is not None:
            self.live.set()
        if self.on_batch is not None:
            self._events.append(hello)
        self.report.update(user=data.user, server_seq=hello.seq)
        self.flush()
        self.report.set_state("live", retry_in_s=None, message="")
        return None

    def _command_result(self, event: wire.CommandResult) -> None:
        outcome = self.commands.resolve(event)
        if self.on_result is not None:
            try:
                self.on_result(outcome)
            except Exception:  # noqa: BLE001 - a consumer's bug must not stop the feed
                log.exception("on_command_result failed")

    def quarantine(self, message: str | bytes, kind: str, reason: str) -> None:
        self.count["quarantined"] += 1
        n = self.count["quarantined"]
        if n <= _LOG_FIRST_N or n % 1000 == 0:
            log.warning("quarantined message #%d (%s): %s", n, kind, reason)
        entry = QuarantineEntry.of(message, kind, reason, datetime.now(UTC), self.pos.epoch)
        self.recent_quarantine.append(entry)
        if self.writer is not None:
            self._quarantine.append(entry)
        self.report.maybe_emit()

    def flush(self) -> None:
        """Hand what is pending to the journal writer and to ``on_batch``."""
        self._n = 0
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        if self._rows or self._quarantine:
            if self._rows:
                last = self._rows[-1]
                self.journal_position = (last.epoch, last.seq)
            rows, self._rows = self._rows, []
            entries, self._quarantine = self._quarantine, []
            if self.writer is not None:
                self.writer.submit(rows, entries)
        if self._events:
            events, self._events = self._events, []
            if self.on_batch is not None:
                try:
                    self.on_batch(events)
                except Exception:  # noqa: BLE001 - a consumer's bug must not stop the feed
                    log.exception("on_batch failed")
        self.report.maybe_emit()

    def written(self, inserted: int) -> None:
        """The writer committed (called on the loop)."""
        self.count["journaled"] += inserted
        self.report.maybe_emit()

    def write_error(self, message: str | None) -> None:
        """The writer failed (a message) or recovered (None); called on the loop."""
        if message is not None:
            self.count["write_errors"] += 1
        self.report.set_state(self.report.status.state, message=message or "")

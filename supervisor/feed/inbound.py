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
from supervisor.feed.scrub import CARRIES_CUSTOMER_DATA, Scrubber, mask_unknown
from supervisor.feed.scrub import encode as _encode_masked
from supervisor.feed.status import CommandOutcome, State
from supervisor.feed.writer import JournalWriter
from supervisor.masking import mask_free_text
from supervisor.store import JournalRow, QuarantineEntry, journal_row
from supervisor.store.rows import QUARANTINE_KEEP_BYTES

log = logging.getLogger("supervisor.feed.client")

UTC = timezone.utc
RESUME = "resume"  # end the session for a planned reconnect: resume at once, no backoff
FRESH = "fresh"  # end the session and subscribe without resume: a hole no resume can fill
RECENT_SEQS = 4096  # accepted events remembered to tell a harmless duplicate from a conflict
CLOCK_SLACK_US = 60_000_000  # event times may step back this much (servers' clocks jitter)
_LOG_FIRST_N = 10
_STREAM_CLASSES = frozenset(wire.EVENT_TYPES[t] for t in wire.STREAM_TYPES)
_CUSTOMER_CLASSES = CARRIES_CUSTOMER_DATA
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
        on_history: Callable[[list[wire.Event]], None] | None = None,
        on_preview: Callable[[wire.Snapshot], None] | None = None,
    ) -> None:
        self.pos = pos
        self.report = report
        self.commands = commands
        self.count = report.counts  # incremented directly on the hot path
        self.on_batch = on_batch
        # A backfill replays the epoch's events before the snapshot that started it. With
        # ``on_history`` those go there (e.g. only to the KPI engine, in journal order)
        # and ``on_preview`` gets the snapshot at once (the live floor shows it without
        # replaying the day); without them ``on_batch`` gets everything in journal order.
        self.on_history = on_history
        self.on_preview = on_preview
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
        self._history: list[wire.Event] = []
        # the snapshot that opened a backfill, released right after the event at its seq
        self._held: tuple[wire.Snapshot, list[str]] | None = None
        self._parts: list[tuple[wire.Snapshot, str]] = []  # parts of a snapshot so far
        self._recent: dict[int, wire.Event] = {}  # seq -> accepted event, the last RECENT_SEQS
        self._last_ts_us: int | None = None
        self.source_ok = True
        # masks what an older server streams unmasked, before it is journaled or handed on
        self.scrub = Scrubber()

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
            return self._heartbeat(event)  # type: ignore[arg-type]
        if cls is wire.Hello:
            return self._hello(event)  # type: ignore[arg-type]
        if cls is wire.CommandResult:
            self._command_result(event)  # type: ignore[arg-type]
            return None
        return self._unknown(event, message)  # type: ignore[arg-type]

    def _stream(self, event: wire.Event, message: str) -> str | None:
        epoch = self.pos.epoch
        if epoch is None:
            self.quarantine(message, "malformed", "stream event before hello: no epoch to file it under")
            return None
        cls = event.__class__
        if cls in _CUSTOMER_CLASSES:
            masked = self.scrub(event)
            if masked is not event:
                # an unmasked record (an older server): from here on only the masked one
                # exists, in the journal, the seq checks, the quarantine and on screen
                if self.scrub.events_masked == 1:
                    log.warning("the server streams customer data unmasked (an older server?): "
                                "the client masks it before it stores or shows it")
                event, message = masked, _encode_masked(masked)
        if self._parts and (cls is not wire.Snapshot or event.seq != self._parts[0][0].seq):
            return self._part_missing(f"snapshot part {len(self._parts) + 1} of "
                                      f"{self._parts[0][0].parts} never came")
        if cls is wire.Snapshot and event.parts is not None and event.parts > 1:  # type: ignore[attr-defined]
            return self._snapshot_part(event, message)  # type: ignore[arg-type]
        return self._accept(event, [message])

    def _accept(self, event: wire.Event, messages: list[str]) -> str | None:
        """The seq check and what follows; ``messages`` holds a snapshot's parts."""
        epoch = self.pos.epoch
        assert epoch is not None
        last = self.pos.seq
        is_snapshot = event.__class__ is wire.Snapshot
        verdict = self.pos.check(event.seq, is_snapshot)
        if verdict is not Verdict.ACCEPT:
            if verdict is Verdict.DUPLICATE:
                self._duplicate(event, messages[0])
                return None
            if verdict is not Verdict.ACCEPT_AFTER_GAP:
                return self._gap(verdict, last, event, messages[0])
            self._accept_after_gap(last, event.seq)
        if is_snapshot:
            self.count["snapshots"] += 1
            missing = self.pos.hole_closed_by(event.seq)
            if missing:
                self.count["missing"] += missing
                log.error("a fresh snapshot at seq %d closes a hole: %d events are missing "
                          "from the journal", event.seq, missing)
            if self._held is not None and event.seq >= self._held[0].seq:
                # the backfill was answered with a newer snapshot: the buffer did not reach back
                self._held = None
                self._events.extend(self._history)  # what was replayed, in order
                self._history.clear()
            if self.pos.seq is not None and self._backfill_wanted:
                self._backfill_wanted = False
                if event.seq > self.pos.backfill_from:  # else nothing is missed: take it as it is
                    return self._hold(event, messages)  # type: ignore[arg-type]
                self.pos.start_backfill()
                self.pos.seq = event.seq
        self._check_clock(event)
        recent = self._recent
        recent[event.seq] = event
        if len(recent) > RECENT_SEQS:
            del recent[next(iter(recent))]
        history = self._held is not None
        if history:
            if self.on_batch is not None or self.on_history is not None:
                self._history.append(event)
        elif self.on_batch is not None:  # the recorder keeps no decoded events around
            self._events.append(event)
        if self.writer is not None:
            for message in messages:
                self._rows.append(journal_row(epoch, event if len(messages) == 1 else
                                              _decode(message), message))  # type: ignore[arg-type]
        if history and self._held is not None and event.seq >= self._held[0].seq:
            self._release_held()
        self._n += 1
        if self._n >= self.batch_rows:
            self.flush()
        elif self._flush_handle is None:
            assert self.loop is not None
            self._flush_handle = self.loop.call_later(self.batch_delay, self.flush)
        return None

    _backfill_wanted = False
    _heartbeats_in_parts = 0

    def _hold(self, snapshot: wire.Snapshot, messages: list[str]) -> str:
        """Keep the snapshot that opened a backfill; ask for the events before it (from
        the epoch's start, or from the journal's end when only the snapshot was missing)."""
        self._held = (snapshot, messages)
        if self.on_preview is not None and self.on_history is not None:
            self.flush()
            try:
                self.on_preview(snapshot)
            except Exception:  # noqa: BLE001 - a consumer's bug must not stop the feed
                log.exception("on_preview failed")
        self.pos.start_backfill()
        return RESUME

    def _release_held(self) -> None:
        """The replay reached the held snapshot's seq: journal it right after that event."""
        assert self._held is not None and self.pos.epoch is not None
        snapshot, messages = self._held
        self._held = None
        if self.writer is not None:
            for message in messages:
                part = snapshot if len(messages) == 1 else _decode(message)
                self._rows.append(journal_row(self.pos.epoch, part, message))  # type: ignore[arg-type]
        if self.on_history is not None and self.on_preview is not None:
            self._history.append(snapshot)  # the live floor has it already
            self.flush()  # history before anything live
        elif self.on_batch is not None:
            self._events.extend(self._history)
            self._history.clear()
            self._events.append(snapshot)

    def _snapshot_part(self, part: wire.Snapshot, message: str) -> str | None:
        parts = self._parts
        expected = len(parts) + 1
        if part.part != expected or (parts and part.parts != parts[0][0].parts):
            return self._part_missing(f"snapshot part {part.part} of {part.parts} came "
                                      f"where part {expected} was due")
        parts.append((part, message))
        self._heartbeats_in_parts = 0
        if len(parts) < (part.parts or 1):
            return None
        self._parts = []
        whole = wire.join_snapshot([p for p, _ in parts])
        return self._accept(whole, [m for _, m in parts])

    def _part_missing(self, reason: str) -> str:
        """A snapshot whose parts do not all arrive is treated like a gap: resume."""
        self._parts = []
        self.count["gaps"] += 1
        log.warning("%s: resuming", reason)
        self.report.set_state(self.report.status.state, message=f"{reason}; resuming")
        return RESUME

    def _duplicate(self, event: wire.Event, message: str) -> None:
        """A seq already seen: harmless when it repeats the event, a conflict otherwise."""
        self.count["duplicates"] += 1
        if event.__class__ is wire.Snapshot:
            return  # a snapshot carries the seq of the event before it: no conflict
        seen = self._recent.get(event.seq)
        if seen is not None and seen != event:
            self.count["conflicts"] += 1
            self.quarantine(message, "conflict",
                            f"seq {event.seq} came again with other content than the event "
                            f"accepted for it; the first one is kept")

    def _check_clock(self, event: wire.Event) -> None:
        ts_us = int(event.ts.timestamp() * 1_000_000)
        last = self._last_ts_us
        if last is not None and ts_us < last - CLOCK_SLACK_US:
            self.count["clock_anomalies"] += 1
            if self.count["clock_anomalies"] <= _LOG_FIRST_N:
                log.warning("event seq %d is %.0f s older than the one before it", event.seq,
                            (last - ts_us) / 1e6)
            return
        if last is None or ts_us > last:
            self._last_ts_us = ts_us

    def _gap(self, verdict: Verdict, last: int | None, event: wire.Event | wire.UnknownEvent,
             message: str) -> str | None:
        """Count and log a gap; what the session does next."""
        seq = event.seq
        if verdict is Verdict.RESUME:
            self.count["gaps"] += 1
            log.warning("seq gap: after %s came %d; resuming from %s", last, seq, last)
            self.report.set_state(self.report.status.state,
                                  message=f"events after {last} up to {seq - 1} missing; resuming")
            return RESUME
        if verdict is Verdict.SET_ASIDE:
            self.quarantine(message, "seq_jump",
                            f"seq {seq} after {last} came again after a resume; set aside")
            return None
        return self._fresh(last)

    def _accept_after_gap(self, last: int | None, seq: int) -> None:
        missing = seq - (last or 0) - 1
        self.count["gaps"] += 1
        self.count["gaps_accepted"] += 1
        self.count["missing"] += missing
        log.error("after a resume and a fresh subscription the stream still jumps from %s to "
                  "%d: %d events are lost", last, seq, missing)

    def _fresh(self, last: int | None) -> str:
        self.count["gaps_accepted"] += 1
        log.error("the gap after seq %s persists after a resume: starting afresh from a "
                  "snapshot; the events in between are lost", last)
        self.report.set_state(self.report.status.state,
                              message=f"events after {last} cannot be replayed; starting afresh")
        return FRESH

    def _unknown(self, event: wire.UnknownEvent, message: str) -> str | None:
        self.count["unknown_types"] += 1
        if self.count["unknown_types"] <= _LOG_FIRST_N:
            log.info("ignoring a message of unknown type %r", mask_free_text(event.type))
        last = self.pos.seq
        verdict = self.pos.check_unknown(event.seq)
        if verdict is Verdict.ACCEPT:
            # a future stream type: journaled (a later version can read it), every string in
            # it masked: nothing says whether the server masked what it holds
            if self.writer is not None and self.pos.epoch is not None:
                self._rows.append(journal_row(self.pos.epoch, event, mask_unknown(event, message)))
                self.flush()
            return None
        if verdict is Verdict.DUPLICATE:
            return None
        if verdict is Verdict.ACCEPT_AFTER_GAP:
            self._accept_after_gap(last, event.seq)
            return None
        if verdict is Verdict.SET_ASIDE:
            return None  # counted above; an unknown type is never journaled anyway
        return self._gap(verdict, last, event, message)

    def _heartbeat(self, event: wire.Heartbeat) -> str | None:
        data = event.data
        if self._parts:
            # parts come one after the other; heartbeats may slip in between, but a
            # second one with the snapshot still incomplete means a part went missing
            self._heartbeats_in_parts += 1
            if self._heartbeats_in_parts >= 2 or event.seq > self._parts[0][0].seq:
                return self._part_missing(f"snapshot part {len(self._parts) + 1} of "
                                          f"{self._parts[0][0].parts} never came")
        self.report.server_time(data.server_time)
        if data.source_ok != self.source_ok:
            self._set_source(data.source_ok)
        else:
            self.report.maybe_emit()
        if self.pos.heard_current(event.seq) is Verdict.FRESH:
            return self._fresh(self.pos.hole_after)
        return None

    def _set_source(self, ok: bool) -> None:
        self.source_ok = ok
        if ok:
            log.info("the server's source is back")
            self.report.update(source_ok=True)
            self.report.set_state(self.report.status.state, message="")
        else:
            log.warning("the server has lost its source system: the data is stale")
            self.report.update(source_ok=False)
            self.report.set_state(self.report.status.state,
                                  message="the server has lost its source system; the data is stale")

    def _hello(self, hello: wire.Hello) -> str | None:
        data = hello.data
        self.heartbeat_s = data.heartbeat_s
        self.report.server_time(data.server_time)
        self._parts = []
        if self.pos.epoch is not None and data.epoch != self.pos.epoch:
            log.warning("the server's stream epoch changed (%s -> %s): starting over from its snapshot",
                        self.pos.epoch, data.epoch)
            self._held = None
            self._history.clear()
            self._recent.clear()
        self._backfill_wanted = self.pos.on_hello(data.epoch, self.backfill)
        if self.live is not None:
            self.live.set()
        if self.on_batch is not None:
            self._events.append(hello)
        self.report.update(user=data.user, server_seq=hello.seq)
        if not self.source_ok:
            self._set_source(True)  # a new session: its heartbeats will say
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
        # the entry masks phone, ID and card numbers in the kept message and in the reason
        # (a decoder's reason can quote a value), so the log line shows the masked reason;
        # and the names of customers seen lately, should the message hold one
        kept = message[:QUARANTINE_KEEP_BYTES]
        sample = kept if isinstance(kept, str) else kept.decode("utf-8", "ignore")
        entry = QuarantineEntry.of(message, kind, reason, datetime.now(UTC), self.pos.epoch,
                                   self.scrub.names_in(sample))
        if n <= _LOG_FIRST_N or n % 1000 == 0:
            log.warning("quarantined message #%d (%s): %s", n, kind, entry.reason)
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
        if self._history and self.on_history is not None and self.on_preview is not None:
            history, self._history = self._history, []
            try:
                self.on_history(history)
            except Exception:  # noqa: BLE001 - a consumer's bug must not stop the feed
                log.exception("on_history failed")
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

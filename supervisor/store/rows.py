"""What one journaled event or one quarantined message looks like as a row.

The journal keeps the message text as received (so ``wire.decode`` reads it again) plus
the few ids a drill-down looks events up by; an event whose customer data an older server
sent unmasked is kept as the client masked it (supervisor/feed/scrub.py), re-encoded.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from supervisor import wire
from supervisor.masking import mask_free_text

QUARANTINE_KEEP_BYTES = 64 * 1024  # enough to see what went wrong; an 800 MiB frame is not kept


class JournalRow(NamedTuple):
    epoch: str
    seq: int
    # 0 for an event; 1..N for the parts of a snapshot, which carries the seq of the
    # last event before it, so both can be journaled (a backfill journals event N and
    # the snapshot taken at N)
    part: int
    type: str
    ts: datetime
    call_id: str | None
    case_id: str | None
    escalation_id: str | None
    agent_id: str | None
    payload: str


def _clean(value: str | None) -> str | None:
    # PostgreSQL TEXT cannot hold NUL; a JSON "\u0000" in an id must not sink the batch
    if value is None or "\x00" not in value:
        return value
    return value.replace("\x00", "\ufffd")


# Each maker builds the whole row of one event type. This runs once per event on the
# recorder's hot path, so it builds the tuple directly (a NamedTuple's own __new__ is a
# Python function) and looks nothing up twice.
_new = tuple.__new__
Maker = Callable[[str, Any, str], JournalRow]


IdsOf = Callable[[Any], tuple[str | None, str | None, str | None, str | None]]


def _row(cls: type, ids: IdsOf) -> Maker:
    tag: str = cls.__struct_config__.tag  # type: ignore[attr-defined]

    if cls is wire.Snapshot:
        def make(epoch: str, e: Any, payload: str) -> JournalRow:
            return _new(JournalRow, (epoch, e.seq, e.part or 1, tag, e.ts, None, None, None, None, payload))  # type: ignore[type-var]
    else:
        def make(epoch: str, e: Any, payload: str) -> JournalRow:
            return _new(JournalRow, (epoch, e.seq, 0, tag, e.ts, *ids(e.data), payload))  # type: ignore[type-var]

    return make


# per stream event type, its (call_id, case_id, escalation_id, agent_id)
_IDS: dict[type, IdsOf] = {
    wire.Snapshot: lambda d: (None, None, None, None),
    wire.QueueUpdated: lambda d: (None, None, None, None),
    wire.CallQueued: lambda d: (d.contact.call_id, d.contact.case_id, None, None),
    wire.CallTransferred: lambda d: (d.call_id, None, None, None),
    wire.CallAnswered: lambda d: (d.call_id, None, None, d.agent_id),
    wire.CallAbandoned: lambda d: (d.call_id, None, None, None),
    wire.CallEnded: lambda d: (d.call_id, d.case_id, None, d.agent_id),
    # the agent's current call too, so a call's drill-down shows the agent ringing/talking
    wire.AgentStateChanged: lambda d: (d.agent.call_id, None, None, d.agent.agent_id),
    wire.CaseOpened: lambda d: (None, d.case.case_id, None, None),
    wire.CaseUpdated: lambda d: (None, d.case.case_id, None, None),
    wire.EscalationOpened: lambda d: (None, d.escalation.case_id or None, d.escalation.escalation_id, None),
    wire.EscalationUpdated: lambda d: (None, d.escalation.case_id or None, d.escalation.escalation_id, None),
    wire.EscalationReassigned: lambda d: (None, None, d.escalation_id, None),
    wire.EscalationResolved: lambda d: (None, None, d.escalation_id, None),
    wire.SurveyCompleted: lambda d: (d.call_id, d.case_id, None, None),
}
assert {c.__struct_config__.tag for c in _IDS} == wire.STREAM_TYPES  # type: ignore[attr-defined]
_MAKERS: dict[type, Maker] = {cls: _row(cls, ids) for cls, ids in _IDS.items()}


def journal_row(epoch: str, event: wire.Event | wire.UnknownEvent, payload: str | bytes) -> JournalRow:
    """The journal row of one stream event; ``payload`` is the message as received."""
    if type(event) is wire.UnknownEvent:
        # a stream event of a type this version does not know: kept for a later version,
        # and so that its seq is no hole in the journal
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8")
        return _new(JournalRow, (epoch, event.seq, 0, event.type, event.ts,  # type: ignore[type-var]
                                 None, None, None, None, payload))
    make = _MAKERS.get(type(event))
    if make is None:
        raise ValueError(f"{type(event).__name__} is not a stream event and is not journaled")
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8")
    row = make(epoch, event, payload)
    # a raw NUL cannot appear in valid JSON, so an id can only hold one through this escape
    if "\\u0000" in payload:
        row = row._replace(call_id=_clean(row.call_id), case_id=_clean(row.case_id),
                           escalation_id=_clean(row.escalation_id), agent_id=_clean(row.agent_id))
    return row


@dataclass(frozen=True)
class QuarantineEntry:
    """A message that was not accepted, kept for inspection.

    ``raw`` is the message text, or base64 of its bytes when ``encoding`` is "base64"
    (binary frames, text that a database cannot hold); at most 64 KiB of it is kept.
    """

    kind: str
    reason: str
    received_at: datetime
    raw: str
    encoding: str
    size: int
    truncated: bool
    epoch: str | None = None
    id: int | None = None

    @classmethod
    def of(
        cls, message: str | bytes, kind: str, reason: str, received_at: datetime,
        epoch: str | None = None, known_names: Iterable[str] = (),
    ) -> QuarantineEntry:
        """Build an entry from a raw message, keeping it safe to store and to show.

        Customer data never reaches the quarantine in full: phone, ID and bank card numbers
        in the kept part (and in the reason, which can quote a value) are masked in place
        (``mask_free_text``), and so are ``known_names`` (the customers the client saw
        recently) and the names of customer records in the message when it is JSON at all. A binary frame (kept as base64) is masked the same way over its bytes
        read as UTF-8, undecodable bytes left as they are: a server that sends JSON in a
        binary frame is masked like text; bytes that are not text (compressed, say) cannot
        be read for numbers and are kept as received, which only a broken server sends.
        """
        if isinstance(message, str):
            data = message.encode("utf-8", "surrogatepass")
            text: str | None = message if "\x00" not in message else None
        else:
            data = message
            text = None
        truncated = len(data) > QUARANTINE_KEEP_BYTES
        kept = data[:QUARANTINE_KEEP_BYTES]
        reason = mask_free_text(reason)
        names = tuple(known_names)
        if text is not None:
            try:
                # cut on a character boundary; never store half a character
                raw = kept.decode("utf-8", "ignore") if truncated else text
                raw.encode("utf-8")
                return cls(kind, reason, received_at, _mask_kept(raw, names), "text", len(data), truncated, epoch)
            except UnicodeError:
                pass
        masked = _mask_kept(kept.decode("utf-8", "surrogateescape"), names).encode("utf-8", "surrogateescape")
        raw = base64.b64encode(masked).decode("ascii")
        return cls(kind, reason, received_at, raw, "base64", len(data), truncated, epoch)

    def raw_bytes(self) -> bytes:
        """The kept part of the message as bytes."""
        if self.encoding == "base64":
            return base64.b64decode(self.raw)
        return self.raw.encode("utf-8")

    def preview(self, limit: int = 200) -> str:
        """A short, printable view of the message for a table or a log line."""
        data = self.raw_bytes()[: limit * 4]
        text = data.decode("utf-8", "backslashreplace")
        text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
        return text[:limit] + ("…" if len(text) > limit or self.truncated else "")


_NAME_FIELD = re.compile(r'"name"\s*:\s*"((?:[^"\\]|\\.){1,60})"')


def _customer_names(text: str) -> tuple[str, ...]:
    """The names of customer records in a message (for masking them in it): read as JSON
    when it is, else every ``"name": "…"`` in it (a message cut short, say)."""
    if '"name"' not in text:
        return ()
    names: list[str] = []
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        for m in _NAME_FIELD.finditer(text):
            try:
                names.append(json.loads(f'"{m.group(1)}"'))
            except ValueError:
                names.append(m.group(1))
        return tuple(dict.fromkeys(n for n in names if n.strip()))
    stack = [value]
    while stack and len(names) < 1000:
        item = stack.pop()
        if isinstance(item, dict):
            customer = item.get("customer")
            if isinstance(customer, dict) and isinstance(customer.get("name"), str):
                names.append(customer["name"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return tuple(dict.fromkeys(n for n in names if n.strip()))


def _mask_kept(text: str, known_names: tuple[str, ...] = ()) -> str:
    """What is kept of a quarantined message, its customer data masked (see ``of``)."""
    return mask_free_text(text, known_names + _customer_names(text))

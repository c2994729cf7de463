"""What one journaled event or one quarantined message looks like as a row.

The journal keeps the message text exactly as received (so ``wire.decode`` reads it
again) plus the few ids a drill-down looks events up by.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from supervisor import wire

QUARANTINE_KEEP_BYTES = 64 * 1024  # enough to see what went wrong; an 800 MiB frame is not kept


class JournalRow(NamedTuple):
    epoch: str
    seq: int
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


Ids = tuple[str | None, str | None, str | None, str | None]  # call, case, escalation, agent

_NO_IDS: Ids = (None, None, None, None)


def _ids_contact(e: Any) -> Ids:
    return (e.data.contact.call_id, e.data.contact.case_id, None, None)


def _ids_call(e: Any) -> Ids:
    return (e.data.call_id, None, None, None)


def _ids_call_agent(e: Any) -> Ids:
    return (e.data.call_id, None, None, e.data.agent_id)


def _ids_call_ended(e: Any) -> Ids:
    return (e.data.call_id, e.data.case_id, None, e.data.agent_id)


def _ids_agent(e: Any) -> Ids:
    # the agent's current call, so a call's drill-down shows the agent ringing/talking
    return (e.data.agent.call_id, None, None, e.data.agent.agent_id)


def _ids_case(e: Any) -> Ids:
    return (None, e.data.case.case_id, None, None)


def _ids_escalation(e: Any) -> Ids:
    return (None, e.data.escalation.case_id or None, e.data.escalation.escalation_id, None)


def _ids_escalation_id(e: Any) -> Ids:
    return (None, None, e.data.escalation_id, None)


def _ids_survey(e: Any) -> Ids:
    return (e.data.call_id, e.data.case_id, None, None)


_IDS: dict[type, Callable[[Any], Ids]] = {
    wire.Snapshot: lambda e: _NO_IDS,
    wire.CallQueued: _ids_contact,
    wire.CallTransferred: _ids_call,
    wire.CallAnswered: _ids_call_agent,
    wire.CallAbandoned: _ids_call,
    wire.CallEnded: _ids_call_ended,
    wire.AgentStateChanged: _ids_agent,
    wire.CaseOpened: _ids_case,
    wire.CaseUpdated: _ids_case,
    wire.EscalationOpened: _ids_escalation,
    wire.EscalationUpdated: _ids_escalation,
    wire.EscalationReassigned: _ids_escalation_id,
    wire.EscalationResolved: _ids_escalation_id,
    wire.SurveyCompleted: _ids_survey,
}
assert {c.__struct_config__.tag for c in _IDS} == wire.STREAM_TYPES  # type: ignore[attr-defined]


def journal_row(epoch: str, event: wire.Event, payload: str | bytes) -> JournalRow:
    """The journal row of one stream event; ``payload`` is the message as received."""
    ids = _IDS.get(type(event))
    if ids is None:
        raise ValueError(f"{type(event).__name__} is not a stream event and is not journaled")
    call_id, case_id, escalation_id, agent_id = ids(event)
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8")
    return JournalRow(
        epoch,
        event.seq,
        event.__struct_config__.tag,  # type: ignore[arg-type]
        event.ts,
        _clean(call_id),
        _clean(case_id),
        _clean(escalation_id),
        _clean(agent_id),
        payload,
    )


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
        epoch: str | None = None,
    ) -> QuarantineEntry:
        """Build an entry from a raw message, keeping it safe to store and to show."""
        if isinstance(message, str):
            data = message.encode("utf-8", "surrogatepass")
            text: str | None = message if "\x00" not in message else None
        else:
            data = message
            text = None
        truncated = len(data) > QUARANTINE_KEEP_BYTES
        kept = data[:QUARANTINE_KEEP_BYTES]
        if text is not None:
            try:
                # cut on a character boundary; never store half a character
                raw = kept.decode("utf-8", "ignore") if truncated else text
                raw.encode("utf-8")
                return cls(kind, reason, received_at, raw, "text", len(data), truncated, epoch)
            except UnicodeError:
                pass
        raw = base64.b64encode(kept).decode("ascii")
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

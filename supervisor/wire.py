"""The queue event protocol (PROTOCOL.md, version 1) as typed, frozen records.

Everything a server sends is decoded here, and everything malformed stops here with a
reason. Decoding and validation happen in one pass (msgspec), so a valid message costs
about as much as a bare ``json.loads``; only a rejected message pays for a second look
to tell an unknown event type (ignored and counted) from a malformed one (quarantined).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

import msgspec

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 1 << 20  # a message larger than 1 MiB is a protocol error
MAX_DEPTH = 32  # JSON nested deeper than this is a protocol error
MAX_INT = (1 << 53) - 1  # integers (seq, priority, scores) lie in 0 … 2^53 − 1
# Times outside these years are absurd: no contact center event happened or will happen
# then, and one such time would move "today" or "now" by centuries.
MIN_YEAR, MAX_YEAR = 1990, 2200
DEFAULT_SLA_SECONDS = 900.0
DEFAULT_WARN_SECONDS = 600.0

Time = Annotated[datetime, msgspec.Meta(tz=True)]
Seq = Annotated[int, msgspec.Meta(ge=0, le=MAX_INT)]
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_INT)]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]

Channel = Literal["voice", "chat", "callback", "email"]
AgentStateName = Literal[
    "offline", "available", "ringing", "on_call", "wrap_up", "break", "meeting", "training"
]
CaseCategory = Literal["inquiry", "complaint", "service_request", "card_loss", "fraud_report"]
CaseStatus = Literal["open", "pending", "closed"]
Severity = Literal["low", "normal", "high", "urgent"]
EscalationStatus = Literal["open", "in_progress", "resolved"]
Role = Literal["floor_supervisor", "duty_lead", "manager"]
ErrorCode = Literal["forbidden", "not_found", "invalid", "conflict"]

AGENT_STATES: tuple[str, ...] = AgentStateName.__args__  # type: ignore[attr-defined]
CHANNELS: tuple[str, ...] = Channel.__args__  # type: ignore[attr-defined]
CASE_CATEGORIES: tuple[str, ...] = CaseCategory.__args__  # type: ignore[attr-defined]
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=False):
    """Base of every protocol record: immutable, unknown fields ignored."""


# --------------------------------------------------------------------------- entities


class Customer(Record, frozen=True):
    id: NonEmpty
    name: str = ""
    phone: str = ""
    segment: Literal["vip", "standard"] = "standard"
    # PROTOCOL.md: servers mask every streamed record and say so; an older server that
    # omits the flag is treated as unmasked (the client masks before storing or showing)
    masked: bool = False


class Queue(Record, frozen=True):
    id: NonEmpty
    name: str = ""
    sla_seconds: Annotated[float, msgspec.Meta(gt=0)] = DEFAULT_SLA_SECONDS
    warn_seconds: Annotated[float, msgspec.Meta(ge=0)] = DEFAULT_WARN_SECONDS


class Contact(Record, frozen=True):
    call_id: NonEmpty
    queue: NonEmpty
    channel: Channel
    customer: Customer
    queued_at: Time
    priority: Count = 0
    case_id: str | None = None


class Agent(Record, frozen=True):
    agent_id: NonEmpty
    state: AgentStateName
    since: Time
    name: str = ""
    team: str = ""
    skills: tuple[str, ...] = ()
    reason: str | None = None
    call_id: str | None = None


class Note(Record, frozen=True):
    at: Time
    text: str
    by: str = ""


class Case(Record, frozen=True):
    case_id: NonEmpty
    category: CaseCategory
    status: CaseStatus
    opened_at: Time
    customer: Customer | None = None
    subject: str = ""
    call_ids: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()


class Person(Record, frozen=True):
    """An owner, a department member, or the user who did something."""

    id: NonEmpty
    name: str = ""


class Escalation(Record, frozen=True):
    escalation_id: NonEmpty
    case_id: str
    department: NonEmpty
    owner: Person
    severity: Severity
    status: EscalationStatus
    opened_at: Time
    due_at: Time
    summary: str = ""


class Department(Record, frozen=True):
    id: NonEmpty
    name: str = ""
    members: tuple[Person, ...] = ()


class User(Record, frozen=True):
    id: NonEmpty
    role: Role
    name: str = ""


class CommandError(Record, frozen=True):
    code: str  # forbidden | not_found | invalid | conflict (others tolerated, shown as-is)
    message: str = ""


# --------------------------------------------------------------------------- event data


class SnapshotData(Record, frozen=True):
    queues: tuple[Queue, ...] = ()
    agents: tuple[Agent, ...] = ()
    waiting: tuple[Contact, ...] = ()
    cases: tuple[Case, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    departments: tuple[Department, ...] = ()
    # PROTOCOL.md can be read as putting "part"/"parts" beside the lists: accepted there
    # too, and moved to the envelope on decode (see ``_check_event``)
    part: Annotated[int, msgspec.Meta(ge=1, le=MAX_INT)] | None = None
    parts: Annotated[int, msgspec.Meta(ge=1, le=MAX_INT)] | None = None


class CallQueuedData(Record, frozen=True):
    contact: Contact


class CallTransferredData(Record, frozen=True):
    call_id: NonEmpty
    queue: NonEmpty
    at: Time


class CallAnsweredData(Record, frozen=True):
    call_id: NonEmpty
    agent_id: NonEmpty
    at: Time


class CallAbandonedData(Record, frozen=True):
    call_id: NonEmpty
    at: Time


class CallEndedData(Record, frozen=True):
    call_id: NonEmpty
    agent_id: NonEmpty
    at: Time
    case_id: str | None = None


class AgentStateData(Record, frozen=True):
    agent: Agent


class CaseData(Record, frozen=True):
    case: Case


class EscalationData(Record, frozen=True):
    escalation: Escalation


class EscalationReassignedData(Record, frozen=True):
    escalation_id: NonEmpty
    from_owner: Person
    to_owner: Person
    by: Person
    at: Time
    reason: str = ""


class EscalationResolvedData(Record, frozen=True):
    escalation_id: NonEmpty
    at: Time
    resolution: str = ""


class SurveyCompletedData(Record, frozen=True):
    call_id: NonEmpty
    score: Annotated[int, msgspec.Meta(ge=1, le=5)]
    at: Time
    case_id: str | None = None


class HeartbeatData(Record, frozen=True):
    server_time: Time
    # false while a relaying server (a gateway in front of a PBX) has lost its source:
    # the data is stale exactly as when heartbeats stop
    source_ok: bool = True


class QueueUpdatedData(Record, frozen=True):
    queue: Queue


class HelloData(Record, frozen=True):
    epoch: NonEmpty
    user: User
    server_time: Time
    server: str = ""
    heartbeat_s: Annotated[float, msgspec.Meta(gt=0)] = 5.0


class CommandResultData(Record, frozen=True):
    request_id: NonEmpty
    ok: bool
    error: CommandError | None = None
    # the unmasked record, only in answer to customer.reveal and only to its sender;
    # never journaled, logged or shown after its dialog closes
    customer: Customer | None = None


# --------------------------------------------------------------------------- envelopes


class Event(msgspec.Struct, frozen=True, tag_field="type"):
    """Server -> client envelope. ``type`` is the tag; subclasses fix ``data``."""

    v: int
    seq: Seq
    ts: Time


class Snapshot(Event, frozen=True, tag="snapshot"):
    data: SnapshotData
    # a snapshot too large for one message comes as parts 1..parts with the same seq
    part: Annotated[int, msgspec.Meta(ge=1, le=MAX_INT)] | None = None
    parts: Annotated[int, msgspec.Meta(ge=1, le=MAX_INT)] | None = None


class QueueUpdated(Event, frozen=True, tag="queue.updated"):
    data: QueueUpdatedData


class CallQueued(Event, frozen=True, tag="call.queued"):
    data: CallQueuedData


class CallTransferred(Event, frozen=True, tag="call.transferred"):
    data: CallTransferredData


class CallAnswered(Event, frozen=True, tag="call.answered"):
    data: CallAnsweredData


class CallAbandoned(Event, frozen=True, tag="call.abandoned"):
    data: CallAbandonedData


class CallEnded(Event, frozen=True, tag="call.ended"):
    data: CallEndedData


class AgentStateChanged(Event, frozen=True, tag="agent.state"):
    data: AgentStateData


class CaseOpened(Event, frozen=True, tag="case.opened"):
    data: CaseData


class CaseUpdated(Event, frozen=True, tag="case.updated"):
    data: CaseData


class EscalationOpened(Event, frozen=True, tag="escalation.opened"):
    data: EscalationData


class EscalationUpdated(Event, frozen=True, tag="escalation.updated"):
    data: EscalationData


class EscalationReassigned(Event, frozen=True, tag="escalation.reassigned"):
    data: EscalationReassignedData


class EscalationResolved(Event, frozen=True, tag="escalation.resolved"):
    data: EscalationResolvedData


class SurveyCompleted(Event, frozen=True, tag="survey.completed"):
    data: SurveyCompletedData


class Heartbeat(Event, frozen=True, tag="heartbeat"):
    data: HeartbeatData


class Hello(Event, frozen=True, tag="hello"):
    data: HelloData


class CommandResult(Event, frozen=True, tag="command.result"):
    data: CommandResultData


AnyEvent = Union[
    Snapshot,
    QueueUpdated,
    CallQueued,
    CallTransferred,
    CallAnswered,
    CallAbandoned,
    CallEnded,
    AgentStateChanged,
    CaseOpened,
    CaseUpdated,
    EscalationOpened,
    EscalationUpdated,
    EscalationReassigned,
    EscalationResolved,
    SurveyCompleted,
    Heartbeat,
    Hello,
    CommandResult,
]

EVENT_TYPES: dict[str, type[Event]] = {
    cls.__struct_config__.tag: cls  # type: ignore[misc]
    for cls in AnyEvent.__args__  # type: ignore[attr-defined]
}
# Messages that carry the current seq without advancing it (never journaled as stream events).
CONTROL_TYPES = frozenset({"hello", "heartbeat", "command.result"})
# Events that form the sequenced stream: the journal holds exactly these.
STREAM_TYPES = frozenset(EVENT_TYPES) - CONTROL_TYPES


class UnknownEvent(msgspec.Struct, frozen=True):
    """A well-formed envelope of a type this client does not know: ignored and counted."""

    v: int
    seq: Seq
    ts: Time
    type: str
    data: dict[str, Any] = {}


class _LooseEnvelope(msgspec.Struct, frozen=True):
    v: Annotated[int, msgspec.Meta(ge=0, le=MAX_INT)]
    seq: Seq
    ts: Time
    type: str
    data: dict[str, Any]


class _VersionOnly(msgspec.Struct):
    v: Annotated[int, msgspec.Meta(ge=-MAX_INT, le=MAX_INT)]


class Rejected(Exception):
    """A message that cannot be accepted. ``kind`` is 'malformed' or 'version'."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


_event_decoder = msgspec.json.Decoder(AnyEvent)
_loose_decoder = msgspec.json.Decoder(_LooseEnvelope)
_version_decoder = msgspec.json.Decoder(_VersionOnly)


def decode(raw: bytes | str) -> Event | UnknownEvent:
    """Decode one server message.

    Returns a typed event, or an ``UnknownEvent`` for a well-formed envelope of an
    unknown type. Raises ``Rejected`` with a reason for anything else: not JSON, a
    missing field, a wrong type, an integer outside 0 … 2^53 − 1, a time outside
    MIN_YEAR … MAX_YEAR, nesting deeper than MAX_DEPTH, an oversized message, or another
    major version.
    """
    if isinstance(raw, str):
        # len(str) <= len(utf-8 bytes), so only long strings need the exact byte count
        if len(raw) > MAX_MESSAGE_BYTES // 4 and len(raw.encode("utf-8")) > MAX_MESSAGE_BYTES:
            raise Rejected("malformed", f"message larger than {MAX_MESSAGE_BYTES} bytes")
    elif len(raw) > MAX_MESSAGE_BYTES:
        raise Rejected("malformed", f"message larger than {MAX_MESSAGE_BYTES} bytes")
    try:
        event: Event = _event_decoder.decode(raw)
    except msgspec.DecodeError as exc:
        return _second_look(raw, exc)
    except RecursionError:
        raise Rejected("malformed", f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if event.v != PROTOCOL_VERSION:
        raise Rejected("version", f"unsupported protocol version {event.v}")
    if event.__class__ is Snapshot:
        event = _parts_in_envelope(event)  # type: ignore[arg-type]
    _check_event(event)
    return event


def _parts_in_envelope(snapshot: Snapshot) -> Snapshot:
    """``part``/``parts`` given inside ``data`` count as given in the envelope."""
    data = snapshot.data
    if snapshot.part is None and snapshot.parts is None and (data.part is not None or data.parts is not None):
        return msgspec.structs.replace(snapshot, part=data.part, parts=data.parts)
    return snapshot


def join_snapshot(parts: list[Snapshot]) -> Snapshot:
    """One snapshot from its parts 1..N (PROTOCOL.md): the lists of all parts, in order."""
    first = parts[0]
    if len(parts) == 1 and first.parts in (None, 1):
        return first
    data = SnapshotData(
        queues=tuple(q for p in parts for q in p.data.queues),
        agents=tuple(a for p in parts for a in p.data.agents),
        waiting=tuple(c for p in parts for c in p.data.waiting),
        cases=tuple(c for p in parts for c in p.data.cases),
        escalations=tuple(e for p in parts for e in p.data.escalations),
        departments=tuple(d for p in parts for d in p.data.departments),
    )
    return Snapshot(v=first.v, seq=first.seq, ts=parts[-1].ts, data=data)


def _check_time(what: str, t: datetime) -> None:
    if not MIN_YEAR <= t.year <= MAX_YEAR:
        raise Rejected("malformed", f"{what} {t.isoformat()} is absurd (outside {MIN_YEAR}–{MAX_YEAR})")


def _check_event(event: Event) -> None:
    """What a schema cannot say: plausible times, consistent snapshot parts."""
    _check_time("ts", event.ts)
    cls = event.__class__
    if cls is Heartbeat or cls is Hello:
        _check_time("server_time", event.data.server_time)  # type: ignore[attr-defined]
    elif cls is Snapshot:
        part, parts = event.part, event.parts  # type: ignore[attr-defined]
        if (part is None) != (parts is None) or (part is not None and part > parts):
            raise Rejected("malformed", f"snapshot part {part} of {parts} is inconsistent")


def _depth(value: Any) -> int:
    """Nesting depth of decoded JSON, without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > deepest:
            deepest = depth
            if deepest > MAX_DEPTH:
                return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _second_look(raw: bytes | str, exc: msgspec.DecodeError) -> UnknownEvent:
    """Tell a version mismatch or an unknown type from a malformed message."""
    try:
        version = _version_decoder.decode(raw).v
    except msgspec.DecodeError:
        version = PROTOCOL_VERSION
    except RecursionError:
        raise Rejected("malformed", f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if version != PROTOCOL_VERSION:
        raise Rejected("version", f"unsupported protocol version {version}") from None
    if isinstance(exc, msgspec.ValidationError):
        try:
            loose = _loose_decoder.decode(raw)
        except msgspec.DecodeError:
            pass
        except RecursionError:
            raise Rejected("malformed", f"JSON nested deeper than {MAX_DEPTH} levels") from None
        else:
            if loose.type not in EVENT_TYPES:
                # the envelope is one level, its data the second
                if _depth(loose.data) + 1 > MAX_DEPTH:
                    raise Rejected("malformed", f"JSON nested deeper than {MAX_DEPTH} levels")
                _check_time("ts", loose.ts)
                return UnknownEvent(loose.v, loose.seq, loose.ts, loose.type, loose.data)
    raise Rejected("malformed", str(exc)) from None


# --------------------------------------------------------------------------- client -> server


class Subscribe(msgspec.Struct, frozen=True):
    """A client's subscription, with the stream position to resume from."""

    epoch: str | None = None
    after_seq: int | None = None

    def to_message(self) -> dict[str, Any]:
        resume = (
            {"epoch": self.epoch, "after_seq": self.after_seq}
            if self.epoch is not None and self.after_seq is not None
            else None
        )
        return {"v": PROTOCOL_VERSION, "type": "subscribe", "data": {"resume": resume}}


def reassign_command(
    request_id: str, escalation_id: str, to_owner: str, reason: str
) -> dict[str, Any]:
    """The ``escalation.reassign`` command message."""
    return {
        "v": PROTOCOL_VERSION,
        "type": "escalation.reassign",
        "data": {
            "request_id": request_id,
            "escalation_id": escalation_id,
            "to_owner": to_owner,
            "reason": reason,
        },
    }


def reveal_command(
    request_id: str, customer_id: str, case_id: str | None, reason: str
) -> dict[str, Any]:
    """The ``customer.reveal`` command message (duty leads and managers, with a reason)."""
    return {
        "v": PROTOCOL_VERSION,
        "type": "customer.reveal",
        "data": {
            "request_id": request_id,
            "customer_id": customer_id,
            "case_id": case_id,
            "reason": reason,
        },
    }


# Client commands as the server parses them.


class ResumeFrom(msgspec.Struct, frozen=True):
    epoch: str
    after_seq: Annotated[int, msgspec.Meta(ge=0, le=MAX_INT)]


class SubscribeData(msgspec.Struct, frozen=True):
    resume: ResumeFrom | None = None


class ReassignData(msgspec.Struct, frozen=True):
    request_id: NonEmpty
    escalation_id: str
    to_owner: str
    reason: str = ""


class RevealData(msgspec.Struct, frozen=True):
    request_id: NonEmpty
    customer_id: str
    case_id: str | None = None
    reason: str = ""


class ClientMessage(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    v: int = PROTOCOL_VERSION


class SubscribeMessage(ClientMessage, frozen=True, tag="subscribe"):
    data: SubscribeData = SubscribeData()


class ReassignMessage(ClientMessage, frozen=True, tag="escalation.reassign"):
    data: ReassignData


class RevealMessage(ClientMessage, frozen=True, tag="customer.reveal"):
    data: RevealData


_client_decoder = msgspec.json.Decoder(Union[SubscribeMessage, ReassignMessage, RevealMessage])


def decode_client(raw: bytes | str) -> SubscribeMessage | ReassignMessage | RevealMessage:
    """Decode a client -> server message (the simulator's side). Raises ``Rejected``."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise Rejected("malformed", f"message larger than {MAX_MESSAGE_BYTES} bytes")
    try:
        msg = _client_decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise Rejected("malformed", str(exc)) from None
    except RecursionError:
        raise Rejected("malformed", f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if msg.v != PROTOCOL_VERSION:
        raise Rejected("version", f"unsupported protocol version {msg.v}")
    return msg


def encode(obj: Any) -> bytes:
    """JSON-encode a record or plain structure (datetimes as RFC 3339)."""
    return msgspec.json.encode(obj)


def to_builtins(obj: Any) -> Any:
    """A record as plain JSON-ready builtins (datetimes as strings)."""
    return msgspec.to_builtins(obj)

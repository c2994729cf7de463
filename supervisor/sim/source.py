"""What the server needs from an event source: the synthetic engine or a replayed day.

A source is pure: it owns a simulated clock position (``now_ms``), produces the events
up to a requested time in time order, describes its live state as a snapshot, and
applies commands. The server owns real time, sockets and sequence numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from supervisor.sim.timebase import Stamp

Json = dict[str, Any]
# One generated event: {"type": str, "ts": RFC 3339 str, "data": {...}}.
SimEvent = dict[str, Any]

ROLES_THAT_REASSIGN = frozenset({"duty_lead"})
ROLES_THAT_REVEAL = frozenset({"duty_lead", "manager"})


@dataclass(frozen=True)
class CommandOutcome:
    """A command's answer (``command.result`` data without the request id) and its events."""

    ok: bool
    code: str | None = None  # forbidden | not_found | invalid | conflict
    message: str = ""
    events: list[SimEvent] = field(default_factory=list)

    def result(self, request_id: str) -> Json:
        if self.ok:
            return {"request_id": request_id, "ok": True}
        return {
            "request_id": request_id,
            "ok": False,
            "error": {"code": self.code, "message": self.message},
        }


def refuse(code: str, message: str) -> CommandOutcome:
    return CommandOutcome(False, code, message)


class Source(Protocol):
    stamp: Stamp
    start_ms: int
    now_ms: int
    end_ms: int | None
    queues: list[Json]  # the queue records, as the snapshot lists them

    def set_queue(self, record: Json) -> list[SimEvent]:
        """Add or change a queue record at ``now_ms``: its ``queue.updated``, or [] if unchanged."""
        ...

    @property
    def finished(self) -> bool: ...

    def advance_ms(self, until_ms: int, max_events: int | None = None) -> list[SimEvent]: ...

    def snapshot(self) -> Json: ...

    def reassign(
        self, user: Json, escalation_id: str, to_owner: str, reason: str
    ) -> CommandOutcome: ...

    # The server's truth about customers. Everything a source streams or snapshots is
    # masked (PROTOCOL.md); these give the full record, for an authorised reveal only.

    def customer_record(self, customer_id: str) -> Json | None:
        """The full record (``"masked": false``) of a customer the source knows, or None."""
        ...

    def customer_records(self) -> list[Json]:
        """Every customer known now, unmasked (tests use it as the oracle of what must not leak)."""
        ...

    def case_customer(self, case_id: str) -> str | None:
        """The customer id of a case the source still holds, or None."""
        ...

    def escalation_facts(self, escalation_id: str) -> Json | None:
        """``{"case_id", "customer_id", "owner"}`` of a live escalation (for the audit), or None."""
        ...

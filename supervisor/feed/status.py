"""What the feed client reports: its connection state and the outcome of a command."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from supervisor import wire

State = Literal[
    "connecting", "live", "reconnecting", "stale", "not_authorised", "version_error", "stopped"
]
# states after which run() has returned for good
FINAL_STATES = frozenset({"not_authorised", "version_error", "stopped"})


@dataclass(frozen=True)
class FeedCounts:
    """Running totals since the client was created."""

    received: int = 0  # messages read from the socket
    journaled: int = 0  # rows the store confirmed as new
    duplicates: int = 0  # stream events with seq <= the last one, dropped
    quarantined: int = 0  # malformed, binary, oversized or other-version messages
    unknown_types: int = 0  # well-formed messages of a type this client does not know
    gaps: int = 0  # seq gaps seen (each answered by a resume)
    gaps_accepted: int = 0  # gaps that a resume could not fill (the events are lost)
    resumes: int = 0  # re-subscriptions with a resume position
    reconnects: int = 0  # connections after the first
    snapshots: int = 0
    write_errors: int = 0  # failed journal transactions (retried, never dropped)


@dataclass(frozen=True)
class FeedStatus:
    """The feed as the desktop shows it; frozen, a new one on every change."""

    state: State
    user: wire.User | None = None
    epoch: str | None = None
    seq: int | None = None  # the last stream event accepted
    server_seq: int | None = None  # the server's seq when it said hello (replay progress)
    server_offset_s: float = 0.0  # server clock - local clock; server_now = time.time() + this
    heartbeat_s: float = 5.0
    last_message_monotonic: float | None = None  # time.monotonic() of the last message heard
    counts: FeedCounts = field(default_factory=FeedCounts)
    retry_in_s: float | None = None  # seconds until the next connection attempt
    message: str = ""  # one sentence for the user: why reconnecting, what failed


@dataclass(frozen=True)
class CommandOutcome:
    """The result of a command: "ok", "error" (``code``/``message`` from the server, or
    "not_connected" when nothing was sent) or "unknown" (no answer in time)."""

    request_id: str
    status: Literal["ok", "error", "unknown"]
    code: str | None = None
    message: str = ""
    late: bool = False  # a result that arrived after the caller stopped waiting

    @property
    def ok(self) -> bool:
        return self.status == "ok"

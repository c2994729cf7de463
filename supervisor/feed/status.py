"""What the feed client reports: its connection state and the outcome of a command."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from supervisor import wire

State = Literal[
    "connecting", "live", "reconnecting", "stale", "not_authorised", "version_error", "stopped"
]
STALE_AFTER_HEARTBEATS = 3
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
    gaps_accepted: int = 0  # gaps that a resume could not fill: ended in a fresh snapshot
    missing: int = 0  # events lost in those gaps (the journal's hole, as far as this client saw)
    conflicts: int = 0  # a seq seen again with other content than the event accepted for it
    clock_anomalies: int = 0  # times that run backwards against the stream
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
    # False while a relaying server has lost its source (PROTOCOL.md heartbeat): the data
    # is stale, with ``message`` saying why, exactly as when heartbeats stop
    source_ok: bool = True
    last_message_monotonic: float | None = None  # time.monotonic() of the last message heard
    counts: FeedCounts = field(default_factory=FeedCounts)
    retry_in_s: float | None = None  # seconds until the next connection attempt
    message: str = ""  # one sentence for the user: why reconnecting, what failed

    @property
    def stale_after_s(self) -> float:
        """PROTOCOL.md: data is stale after 3 x the server's heartbeat_s of silence."""
        return STALE_AFTER_HEARTBEATS * self.heartbeat_s


@dataclass(frozen=True)
class CommandOutcome:
    """The result of a command: "ok", "error" (``code``/``message`` from the server, or
    "not_connected" when nothing was sent) or "unknown" (no answer in time); for a reveal
    that succeeded, the unmasked ``customer`` (to show, never to keep)."""

    request_id: str
    status: Literal["ok", "error", "unknown"]
    code: str | None = None
    message: str = ""
    late: bool = False  # a result that arrived after the caller stopped waiting
    # the unmasked record a ``customer.reveal`` answer carries, only in the outcome its own
    # caller awaits (never in one handed to ``on_command_result``, never in a late one);
    # kept out of repr so no log line or traceback that prints an outcome can show it
    customer: wire.Customer | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

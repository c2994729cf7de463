"""Where the client is in the server's stream, and what each arriving seq means (sans I/O).

Pure bookkeeping, no sockets and no clock, so the rules of PROTOCOL.md (duplicates
dropped, a gap answered by a resume and never guessed, a snapshot replaces) can be
tested on their own.

A gap is answered by one resume. When the same jump comes back after that resume, the
jumping event is set aside (quarantined) and the next one decides: if it continues the
stream from where we were, the jump was a bogus event and nothing valid is lost; if it
continues after the jump, the server really cannot fill the hole, and the client starts
afresh from a snapshot (``FRESH``) and reports the hole. Should even that bring the same
gap back (a server whose snapshot is older than its stream), the jump is accepted and
counted, so no server can keep the client reconnecting in a loop.
"""

from __future__ import annotations

from enum import Enum


class Verdict(Enum):
    ACCEPT = "accept"  # the next event: apply and journal it
    DUPLICATE = "duplicate"  # seq already seen: drop it
    RESUME = "resume"  # a gap: reconnect and resume from the position
    SET_ASIDE = "set_aside"  # the same jump came back after a resume: quarantine this
    # event, keep the position, and let the next event tell a bogus seq from a real hole
    FRESH = "fresh"  # a hole no resume can fill: re-subscribe without resume (snapshot)
    ACCEPT_AFTER_GAP = "accept_after_gap"  # even a fresh subscription brought the same gap
    # back (a server that replays a stale snapshot): accept the jump, count the hole


class StreamPosition:
    """The (epoch, seq) of the last accepted stream event, and the gap-retry memory."""

    def __init__(self, epoch: str | None = None, seq: int | None = None, *,
                 need_snapshot: bool = False) -> None:
        self.epoch = epoch
        self.seq = seq
        # A journal whose epoch holds no snapshot (a client stopped in the middle of its
        # backfill, before the held snapshot was journaled) lacks what only a snapshot
        # tells: subscribe without resume to get one, hold it, then replay from here.
        self._replay_from: int | None = None
        if need_snapshot and epoch is not None and seq is not None:
            self._replay_from, self.seq = seq, None
        self._gap_retry: tuple[str, int] | None = None  # position a gap-resume was tried from
        self._set_aside: int | None = None  # seq of a jumping event set aside
        self._fresh_tried: tuple[str, int] | None = None  # position a FRESH was tried from
        self._backfilled: set[str] = set()
        # after FRESH: the last seq before the hole, to count what the snapshot skipped
        self.hole_after: int | None = None

    @property
    def resume_from(self) -> tuple[str, int] | None:
        return (self.epoch, self.seq) if self.epoch is not None and self.seq is not None else None

    def on_hello(self, epoch: str, backfill: bool) -> bool:
        """A session began in ``epoch``. True when the client should ask for the epoch's
        whole replay buffer (``backfill``, once per epoch) once it has the snapshot."""
        if epoch != self.epoch:
            # another stream: nothing of ours applies; the server sends a snapshot
            self.epoch, self.seq = epoch, None
            self._gap_retry = self._set_aside = None
            self.hole_after = None
            self._replay_from = None
        if self.seq is not None:
            return False
        return self._replay_from is not None or (backfill and epoch not in self._backfilled)

    @property
    def backfill_from(self) -> int:
        """The seq a backfill replays after: 0 (the epoch's start), or the journal's end."""
        return self._replay_from if self._replay_from is not None else 0

    def start_backfill(self) -> None:
        """Ask for everything after ``backfill_from``."""
        assert self.epoch is not None
        self._backfilled.add(self.epoch)
        self.seq = self.backfill_from
        self._replay_from = None

    def check(self, seq: int, snapshot: bool = False) -> Verdict:
        """What a stream event with ``seq`` means; ACCEPT advances the position."""
        last = self.seq
        if last is None or seq == last + 1:
            self.seq = seq
            self._set_aside = None
            return Verdict.ACCEPT
        if seq <= last:
            return Verdict.DUPLICATE
        if snapshot:  # a snapshot replaces the state: what it skips over is not lost
            self.seq = seq
            self._set_aside = None
            return Verdict.ACCEPT
        assert self.epoch is not None
        aside = self._set_aside
        if aside is not None:
            self._set_aside = None
            # the event after a set-aside jump continues after it: the hole is real
            return self._fresh() if seq > aside else self._aside(seq)
        where = (self.epoch, last)
        if self._fresh_tried == where:
            self.seq = seq
            return Verdict.ACCEPT_AFTER_GAP
        if self._gap_retry != where:
            self._gap_retry = where
            return Verdict.RESUME
        return self._aside(seq)

    def check_unknown(self, seq: int) -> Verdict:
        """A message of a type this client does not know: a future stream type advances
        the seq (so it is no gap), a future control type repeats it."""
        last = self.seq
        if last is None or seq <= last:
            return Verdict.DUPLICATE  # nothing to advance
        return self.check(seq)

    def heard_current(self, seq: int) -> Verdict | None:
        """A control message says the server's stream is at ``seq``. While a jump is set
        aside, a server already past it confirms the hole is real."""
        aside = self._set_aside
        if aside is not None and self.seq is not None and seq >= aside:
            self._set_aside = None
            return self._fresh()
        return None

    def _aside(self, seq: int) -> Verdict:
        self._set_aside = seq
        return Verdict.SET_ASIDE

    def _fresh(self) -> Verdict:
        assert self.epoch is not None and self.seq is not None
        self._fresh_tried = (self.epoch, self.seq)
        self._backfilled.add(self.epoch)  # a replay cannot fill this hole either
        self.hole_after = self.seq
        self.seq = None  # subscribe without resume: the server sends a snapshot
        self._gap_retry = None
        return Verdict.FRESH

    def hole_closed_by(self, snapshot_seq: int) -> int:
        """After FRESH, the snapshot at ``snapshot_seq`` arrived: how many events the
        journal misses (the snapshot stands for the event at its own seq)."""
        after, self.hole_after = self.hole_after, None
        if after is None:
            return 0
        return max(0, snapshot_seq - after - 1)

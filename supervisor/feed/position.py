"""Where the client is in the server's stream, and what each arriving seq means (sans I/O).

Pure bookkeeping, no sockets and no clock, so the rules of PROTOCOL.md (duplicates
dropped, a gap answered by a resume and never guessed, a snapshot replaces) can be
tested on their own.
"""

from __future__ import annotations

from enum import Enum


class Verdict(Enum):
    ACCEPT = "accept"  # the next event: apply and journal it
    DUPLICATE = "duplicate"  # seq already seen: drop it
    RESUME = "resume"  # a gap: reconnect and resume from the position
    ACCEPT_AFTER_GAP = "accept_after_gap"  # the same gap came back after a resume: the
    # server cannot fill it (the event is broken at the source); accept and count the loss


class StreamPosition:
    """The (epoch, seq) of the last accepted stream event, and the gap-retry memory."""

    def __init__(self, epoch: str | None = None, seq: int | None = None) -> None:
        self.epoch = epoch
        self.seq = seq
        self._gap_retry: tuple[str, int] | None = None  # position a gap-resume was tried from
        self._backfilled: set[str] = set()

    @property
    def resume_from(self) -> tuple[str, int] | None:
        return (self.epoch, self.seq) if self.epoch is not None and self.seq is not None else None

    def on_hello(self, epoch: str, backfill: bool) -> bool:
        """A session began in ``epoch``. True when the client should reconnect at once
        to ask for the epoch's whole replay buffer (``backfill``, once per epoch)."""
        if epoch != self.epoch:
            # another stream: nothing of ours applies; the server sends a snapshot
            self.epoch, self.seq = epoch, None
        if backfill and self.seq is None and epoch not in self._backfilled:
            self._backfilled.add(epoch)
            self.seq = 0  # "everything after 0": the replay from the start of the epoch
            return True
        return False

    def check(self, seq: int, snapshot: bool = False) -> Verdict:
        """What a stream event with ``seq`` means; ACCEPT* verdicts advance the position."""
        last = self.seq
        if last is None or seq == last + 1:
            self.seq = seq
            return Verdict.ACCEPT
        if seq <= last:
            return Verdict.DUPLICATE
        if snapshot:  # a snapshot replaces the state: what it skips over is not lost
            self.seq = seq
            return Verdict.ACCEPT
        assert self.epoch is not None
        where = (self.epoch, last)
        if self._gap_retry != where:
            self._gap_retry = where
            return Verdict.RESUME
        self.seq = seq
        return Verdict.ACCEPT_AFTER_GAP

    def check_unknown(self, seq: int) -> Verdict:
        """A message of a type this client does not know: a future stream type advances
        the seq (so it is no gap), a future control type repeats it."""
        last = self.seq
        if last is None or seq <= last:
            return Verdict.DUPLICATE  # nothing to advance
        return self.check(seq)

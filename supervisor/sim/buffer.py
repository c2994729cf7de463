"""The bounded replay buffer: the last N encoded stream events, indexed by seq.

A ring over a plain list, so reading any buffered seq is O(1) (a deque is O(n) in
the middle) and memory stays bounded however long the server runs. Events are stored
encoded, once, and sent as they are to every subscriber.
"""

from __future__ import annotations


class ReplayBuffer:
    """Encoded events with seq first_seq..last_seq; seq numbering starts at 1."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("the replay buffer must hold at least one event")
        self.capacity = capacity
        self._items: list[bytes] = []
        self.last_seq = 0  # the newest event's seq; 0 before the first

    def __len__(self) -> int:
        return len(self._items)

    @property
    def first_seq(self) -> int:
        """The oldest buffered seq (last_seq + 1 when empty)."""
        return self.last_seq - len(self._items) + 1

    def append(self, payload: bytes) -> int:
        seq = self.last_seq + 1
        if len(self._items) < self.capacity:
            self._items.append(payload)
        else:
            self._items[(seq - 1) % self.capacity] = payload
        self.last_seq = seq
        return seq

    def holds(self, seq: int) -> bool:
        return self.first_seq <= seq <= self.last_seq

    def get(self, seq: int) -> bytes:
        if not self.holds(seq):
            raise KeyError(seq)
        if len(self._items) < self.capacity:
            return self._items[seq - 1]
        return self._items[(seq - 1) % self.capacity]

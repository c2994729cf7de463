"""What a few tests need beyond ``SpecServer``: a session held at the door, a snapshot part
that never comes.

``hold(after_seq)`` keeps every subscribe that resumes after that seq waiting before its
hello (the client sees a connected socket and nothing else) until ``release()``: a test
can look at what a client shows between a first snapshot and the replay it then asks
for. ``cut_replay(k)`` ends the next replay after seq ``k``. ``drop_part(i)`` leaves part ``i`` out of the next parted snapshot the server sends
(PROTOCOL.md: the client treats a missing part like a gap).

Where a part says which it is: PROTOCOL.md's snapshot row puts ``"part": i, "parts": N``
beside "a subset of the lists", and ``SpecServer`` sends them inside ``data``;
``parts_in_envelope=True`` sends them beside ``seq`` instead (the other reading of the
sentence, and the one the product's own tests use). A client should take either.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.spec.server import SpecServer


class ExtraServer(SpecServer):
    def __init__(self, *, parts_in_envelope: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.parts_in_envelope = parts_in_envelope
        self._held_after: int | None = None
        self._gate: asyncio.Event | None = None
        self.held = 0  # subscribes that reached the gate while it was closed
        self._drop_next: int | None = None
        self._cut_next: int | None = None
        self.dropped: list[int] = []  # seqs of the snapshots sent with a part left out

    def __enter__(self) -> ExtraServer:
        self.start()
        return self

    # ------------------------------------------------------------------ test hooks

    def hold(self, after_seq: int) -> None:
        """Hold every subscribe resuming after ``after_seq`` until ``release()``."""
        def go() -> None:
            self._held_after = after_seq
            self._gate = asyncio.Event()

        self._call(go)

    def release(self) -> None:
        def go() -> None:
            if self._gate is not None:
                self._gate.set()
            self._held_after = None

        self._call(go)

    def drop_part(self, part: int) -> None:
        """Leave ``part`` (1-based) out of the next snapshot sent in parts."""
        self._call(lambda: setattr(self, "_drop_next", part))

    def cut_replay(self, last: int) -> None:
        """The next replay stops after seq ``last`` (the rest is never sent on that
        connection): a client caught in the middle of a backfill, for as long as the test likes."""
        self._call(lambda: setattr(self, "_cut_next", last))

    # ------------------------------------------------------------------ overrides

    def _replay_after(self, resume: Any) -> list[str] | None:
        frames = super()._replay_after(resume)
        if frames is not None and self._cut_next is not None:
            last, self._cut_next = self._cut_next, None
            frames = [f for f in frames if json.loads(f)["seq"] <= last]
        return frames

    async def _before_session(self, resume: Any) -> None:
        gate = self._gate
        if gate is None or gate.is_set() or not isinstance(resume, dict):
            return
        if resume.get("after_seq") != self._held_after:
            return
        self.held += 1
        await gate.wait()

    def _snapshot(self) -> list[str]:
        frames = super()._snapshot()
        if len(frames) < 2:
            return frames  # not a parted one: a drop waits for the next
        messages = [json.loads(f) for f in frames]
        if self.parts_in_envelope:
            for m in messages:
                m["part"], m["parts"] = m["data"].pop("part"), m["data"].pop("parts")
        drop, self._drop_next = self._drop_next, None
        if drop is not None:
            messages = [m for m in messages if (m.get("part") or m["data"].get("part")) != drop]
            self.dropped.append(self.seq)
        return [json.dumps(m, ensure_ascii=False) for m in messages]

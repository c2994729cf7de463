"""Drive a FeedClient in a test: collect what it hands out, wait for conditions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from supervisor import wire
from supervisor.feed import CommandOutcome, FeedClient, FeedStatus

T = TypeVar("T")


def run(coro: Awaitable[T], timeout: float = 30.0) -> T:
    """Run a test coroutine on a fresh loop with an overall time limit."""

    async def limited() -> T:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(limited())


async def until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


class Watched:
    """A FeedClient plus everything it reported, running as a task."""

    def __init__(self, url: str, token: str = "good", **kw: Any) -> None:
        self.batches: list[list[wire.Event]] = []
        self.statuses: list[FeedStatus] = []
        self.results: list[CommandOutcome] = []
        self.client = FeedClient(
            url, token, on_batch=self.batches.append, on_status=self.statuses.append,
            on_command_result=self.results.append, **kw,
        )
        self.task: asyncio.Task[None] | None = None

    def start(self) -> Watched:
        self.task = asyncio.ensure_future(self.client.run())
        return self

    @property
    def events(self) -> list[wire.Event]:
        """Stream events handed out, in order (hellos left out)."""
        return [e for batch in self.batches for e in batch if not isinstance(e, wire.Hello)]

    @property
    def seqs(self) -> list[int]:
        return [e.seq for e in self.events]

    @property
    def states(self) -> list[str]:
        out: list[str] = []
        for s in self.statuses:
            if not out or out[-1] != s.state:
                out.append(s.state)
        return out

    async def stop(self) -> None:
        await self.client.stop()
        assert self.task is not None
        await asyncio.wait_for(self.task, 10)

"""Commands in flight: request ids, their futures, and results that come too late."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections import OrderedDict

from supervisor import wire
from supervisor.feed.status import CommandOutcome

log = logging.getLogger("supervisor.feed.client")

_KEEP_LATE = 1_000  # timed-out request ids remembered, to mark their results late


class PendingCommands:
    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[CommandOutcome]] = {}
        self._timed_out: OrderedDict[str, None] = OrderedDict()

    @staticmethod
    def new_id() -> str:
        return f"r-{uuid.uuid4().hex}"

    def expect(self, request_id: str) -> asyncio.Future[CommandOutcome]:
        future: asyncio.Future[CommandOutcome] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = future
        return future

    def forget(self, request_id: str) -> None:
        """Nothing was sent after all."""
        self._waiting.pop(request_id, None)

    def timed_out(self, request_id: str) -> None:
        self._waiting.pop(request_id, None)
        self._timed_out[request_id] = None
        while len(self._timed_out) > _KEEP_LATE:
            self._timed_out.popitem(last=False)

    def resolve(self, event: wire.CommandResult) -> CommandOutcome:
        """The outcome a command.result carries; wakes its waiter, or marks it late.

        The unmasked customer of a reveal's answer goes only into the outcome its waiter
        gets. The outcome returned here (handed to ``on_command_result`` listeners, which
        may log or audit it) never carries it, and a late answer's record is dropped: the
        person who asked was already told "unknown" and nothing is showing it.
        """
        data = event.data
        if data.ok:
            outcome = CommandOutcome(data.request_id, "ok")
        else:
            error = data.error or wire.CommandError(code="error", message="")
            outcome = CommandOutcome(data.request_id, "error", error.code, error.message)
        future = self._waiting.pop(data.request_id, None)
        if future is not None and not future.done():
            if data.ok and data.customer is not None:
                future.set_result(dataclasses.replace(outcome, customer=data.customer))
            else:
                future.set_result(outcome)
        elif data.request_id in self._timed_out:
            del self._timed_out[data.request_id]
            outcome = dataclasses.replace(outcome, late=True)
            log.warning("late command result %s: %s%s", data.request_id, outcome.status,
                        " (a customer record: dropped)" if data.customer is not None else "")
        return outcome

    def cancel_all(self) -> None:
        for future in self._waiting.values():
            if not future.done():
                future.cancel()
        self._waiting.clear()

"""Helpers for the simulator tests: a real websocket client and an independent state model."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from typing import Any, TypeVar

from websockets.asyncio.client import ClientConnection, connect

from supervisor import wire

T = TypeVar("T")


def run(coro: Awaitable[T], timeout: float = 30.0) -> T:
    """Run an async scenario with a hard time limit, so a hang fails instead of blocking."""

    async def limited() -> T:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(limited())


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def open_client(
    url: str, token: str = "demo-supervisor", resume: tuple[str, int] | None = None,
    subscribe: bool = True, **kwargs: Any,
) -> ClientConnection:
    # max_queue=None: the library reads everything off the socket, so closing is quick even
    # when the test stopped reading; tests of slow readers pass a bounded max_queue.
    kwargs.setdefault("max_queue", None)
    ws = await connect(url, additional_headers=auth(token), max_size=None, compression=None, **kwargs)
    if subscribe:
        sub = wire.Subscribe(*resume) if resume else wire.Subscribe()
        await ws.send(json.dumps(sub.to_message()))
    return ws


async def hangup(ws: ClientConnection) -> None:
    """Drop the connection at once (no close handshake): for clients that stopped reading."""
    if ws.transport is not None:
        ws.transport.abort()
    await asyncio.sleep(0)


async def recv(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    async with asyncio.timeout(timeout):  # not wait_for: no task per message, no loop turn
        raw = await ws.recv()
    assert isinstance(raw, str), "the server sent a binary frame"
    msg: dict[str, Any] = json.loads(raw)
    return msg


async def recv_until(ws: ClientConnection, pred: Any, timeout: float = 10.0) -> list[dict[str, Any]]:
    """Messages up to and including the first one matching ``pred``."""
    out: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        left = deadline - loop.time()
        if left <= 0:
            raise asyncio.TimeoutError(f"no matching message within {timeout} s ({len(out)} others)")
        msg = await recv(ws, left)
        out.append(msg)
        if pred(msg):
            return out


def stream_only(msgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in msgs if m["type"] not in wire.CONTROL_TYPES]


class Mirror:
    """An independent reducer of the protocol: snapshot replaces, events update.

    Used to prove that a snapshot plus the events after it equals the server's own
    state — the property every client relies on.
    """

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.queues = {q["id"]: q for q in snapshot["queues"]}
        self.agents = {a["agent_id"]: a for a in snapshot["agents"]}
        self.waiting = {c["call_id"]: c for c in snapshot["waiting"]}
        self.cases = {c["case_id"]: c for c in snapshot["cases"]}
        self.escalations = {e["escalation_id"]: e for e in snapshot["escalations"]}
        self.departments = {d["id"]: d for d in snapshot["departments"]}
        self.anomalies: list[str] = []

    def apply(self, ev: dict[str, Any]) -> None:
        kind, d = ev["type"], ev["data"]
        if kind == "snapshot":
            self.__init__(d)  # type: ignore[misc]
        elif kind == "call.queued":
            self.waiting[d["contact"]["call_id"]] = d["contact"]
        elif kind == "call.transferred":
            if d["call_id"] not in self.waiting:
                self.anomalies.append(f"transfer of unknown {d['call_id']}")
            else:
                self.waiting[d["call_id"]] = dict(self.waiting[d["call_id"]], queue=d["queue"])
        elif kind in ("call.answered", "call.abandoned"):
            if self.waiting.pop(d["call_id"], None) is None:
                self.anomalies.append(f"{kind} of unknown {d['call_id']}")
        elif kind == "queue.updated":
            self.queues[d["queue"]["id"]] = d["queue"]
        elif kind == "agent.state":
            self.agents[d["agent"]["agent_id"]] = d["agent"]
        elif kind in ("case.opened", "case.updated"):
            self.cases[d["case"]["case_id"]] = d["case"]
        elif kind in ("escalation.opened", "escalation.updated"):
            self.escalations[d["escalation"]["escalation_id"]] = d["escalation"]

    def state(self) -> dict[str, Any]:
        return {
            "queues": sorted(self.queues.values(), key=lambda q: q["id"]),
            "agents": sorted(self.agents.values(), key=lambda a: a["agent_id"]),
            "waiting": sorted(self.waiting.values(), key=lambda c: c["call_id"]),
            "cases": sorted(self.cases.values(), key=lambda c: c["case_id"]),
            "escalations": sorted(self.escalations.values(), key=lambda e: e["escalation_id"]),
            "departments": sorted(self.departments.values(), key=lambda d: d["id"]),
        }


def canonical(state: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's data in a fixed order, for comparing with a Mirror."""
    keys = {"queues": "id", "agents": "agent_id", "waiting": "call_id", "cases": "case_id",
            "escalations": "escalation_id", "departments": "id"}
    return {k: sorted(state[k], key=lambda x: x[key]) for k, key in keys.items()}

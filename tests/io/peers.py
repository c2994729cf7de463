"""Small real websocket servers for the client tests: each connection runs a test's script.

They speak the protocol only as far as a test says, which is the point: a real server
that sends bad input on purpose, on loopback port 0.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response


@dataclass
class Peer:
    """One accepted connection, as a script sees it."""

    ws: ServerConnection
    index: int  # 0 for the first connection, 1 for the next …
    resume: dict[str, Any] | None  # the client's resume position, None on a first connect
    commands: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    sent: int = 0  # messages sent so far: tests wait on this, not on the clock

    async def send(self, *messages: str | bytes) -> None:
        for message in messages:
            await self.ws.send(message)
            self.sent += 1


Script = Callable[[Peer], Awaitable[None]]


class ScriptedServer:
    """``async with ScriptedServer(script) as srv``: ``srv.url``, ``srv.handshakes``,
    ``srv.resumes`` (the resume of every subscribe, in order)."""

    def __init__(self, script: Script, tokens: frozenset[str] = frozenset({"good"}), **serve_kw: Any) -> None:
        self.script = script
        self.tokens = tokens
        self.handshakes = 0
        self.refused = 0
        self.resumes: list[dict[str, Any] | None] = []
        self.peers: list[Peer] = []
        self.errors: list[BaseException] = []  # a script's failed assertions fail the test
        self._serve_kw = serve_kw
        self._server: Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        scheme = "wss" if self._serve_kw.get("ssl") else "ws"
        return f"{scheme}://127.0.0.1:{port}/v1/events"

    async def __aenter__(self) -> ScriptedServer:
        self._server = await serve(
            self._handler, "127.0.0.1", 0, process_request=self._check,
            max_size=None, compression=None, **self._serve_kw,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
        if self.errors and exc[0] is None:
            raise AssertionError(f"the server script failed: {self.errors[0]!r}") from self.errors[0]

    def _check(self, connection: ServerConnection, request: Request) -> Response | None:
        self.handshakes += 1
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[len("Bearer "):] not in self.tokens:
            self.refused += 1
            return connection.respond(HTTPStatus.UNAUTHORIZED, "unknown token\n")
        if request.path != "/v1/events":
            return connection.respond(HTTPStatus.NOT_FOUND, "no such path\n")
        return None

    async def _handler(self, ws: ServerConnection) -> None:
        first = json.loads(await ws.recv())
        assert first["type"] == "subscribe", first
        resume = first["data"].get("resume")
        self.resumes.append(resume)
        peer = Peer(ws, len(self.peers), resume)
        self.peers.append(peer)
        reader = asyncio.ensure_future(self._read_commands(peer))
        script = asyncio.ensure_future(self.script(peer))
        script.add_done_callback(self._script_done)
        try:
            await ws.wait_closed()  # the line stays up until the client or the script closes it
        finally:
            reader.cancel()
            script.cancel()

    def _script_done(self, task: asyncio.Future[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self.errors.append(task.exception())  # type: ignore[arg-type]

    @staticmethod
    async def _read_commands(peer: Peer) -> None:
        async for message in peer.ws:
            await peer.commands.put(json.loads(message))

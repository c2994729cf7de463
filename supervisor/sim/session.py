"""One subscriber's connection: its reader, and its own sender with a cursor into the buffer.

Each connection has its own pump task, so a slow client only ever waits for its own
socket: it lags behind inside the replay buffer and loses nothing, and the others run
at full speed. A client that falls out of the buffer altogether is closed (1013) and
resumes like any reconnecting client, which gets it a fresh snapshot.

Control messages (hello, heartbeat, command.result) carry the seq of the last stream
event this connection has been sent, so they never look like a gap to the client.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import datetime
from typing import Any, Protocol

import msgspec
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from supervisor import wire
from supervisor.timeutil import fmt



class Host(Protocol):
    """What a session needs of its server: the simulator, or the Asterisk gateway.

    A server may also have ``handle_reveal(session, data)`` (``customer.reveal``) and
    ``heartbeat_data()`` (a heartbeat's data; default: just ``server_time``).
    """

    buffer: Any  # a ReplayBuffer
    epoch: str
    heartbeat_s: float

    @property
    def paused(self) -> bool: ...
    def sim_now(self) -> datetime: ...
    def snapshot_message(self, seq: int) -> bytes: ...
    def hello_data(self, user: dict[str, str]) -> dict[str, Any]: ...
    def subscribed(self, session: Session) -> None: ...
    def progressed(self) -> None: ...
    def handle_reassign(self, session: Session, data: wire.ReassignData) -> None: ...

log = logging.getLogger("supervisor.sim")

BATCH = 256  # stream events sent between looks at control messages and heartbeats

# Close codes (RFC 6455): why a client is disconnected.
CLOSE_UNSUPPORTED_DATA = 1003  # a binary frame
CLOSE_INVALID_PAYLOAD = 1007  # not JSON, or not a JSON object
CLOSE_POLICY = 1008  # a message that breaks the protocol
CLOSE_TRY_AGAIN = 1013  # fell behind the replay buffer: resubscribe

COMMANDS = frozenset({"escalation.reassign", "customer.reveal"})

_loose = msgspec.json.Decoder()
_Control = tuple[int, str, Any]  # (send once this seq is out, kind, payload)


class Session:
    """A connected client: its user, its position in the stream and its outgoing queue."""

    def __init__(self, server: Host, ws: ServerConnection, user: dict[str, str]) -> None:
        self.server = server
        self.ws = ws
        self.user = user
        self.cursor: int | None = None  # next stream seq to send; None until subscribed
        self.last_sent = 0  # seq of the last stream event this client was sent
        self._controls: deque[_Control] = deque()
        self._subscribe: wire.ResumeFrom | None | bool = False  # False: none pending
        self._wake = asyncio.Event()
        self._next_heartbeat = 0.0
        self._closing = False

    # ------------------------------------------------------------------ inbound

    async def run(self) -> None:
        pump = asyncio.create_task(self._pump(), name=f"sim-pump-{id(self):x}")
        pump.add_done_callback(self._pump_done)
        try:
            async for raw in self.ws:
                if not await self._on_message(raw):
                    break
        except ConnectionClosed:
            pass
        finally:
            pump.cancel()
            try:
                await pump
            except (asyncio.CancelledError, ConnectionClosed):
                pass

    def _pump_done(self, task: asyncio.Task[None]) -> None:
        """A sender that died of a bug must not leave a silent connection behind."""
        if task.cancelled() or task.exception() is None:
            return
        log.error("sender for %s failed", self.user.get("id"), exc_info=task.exception())
        self._closing = True
        asyncio.ensure_future(self.ws.close(1011, "internal error"))

    async def _close(self, code: int, reason: str) -> None:
        log.info("closing %s (%s): %s", self.user.get("id"), code, reason)
        self._closing = True
        await self.ws.close(code, reason)

    async def _on_message(self, raw: str | bytes) -> bool:
        """Handle one client message; False once the connection is being closed."""
        if isinstance(raw, bytes):
            await self._close(CLOSE_UNSUPPORTED_DATA, "binary frames are a protocol error")
            return False
        try:
            msg = wire.decode_client(raw)
        except wire.Rejected as rejected:
            return await self._on_rejected(raw, rejected)
        if isinstance(msg, wire.SubscribeMessage):
            self._subscribe = msg.data.resume
            self.wake()
        elif isinstance(msg, wire.ReassignMessage):
            self.server.handle_reassign(self, msg.data)
        else:  # customer.reveal: the simulator answers it (see server.handle_reveal)
            handle_reveal = getattr(self.server, "handle_reveal", None)
            if handle_reveal is not None:
                handle_reveal(self, msg.data)
        return True

    async def _on_rejected(self, raw: str, rejected: wire.Rejected) -> bool:
        try:
            loose = _loose.decode(raw)
        except msgspec.DecodeError:
            await self._close(CLOSE_INVALID_PAYLOAD, "message is not valid JSON")
            return False
        if not isinstance(loose, dict):
            await self._close(CLOSE_INVALID_PAYLOAD, "message is not a JSON object")
            return False
        if rejected.kind == "version":
            await self._close(CLOSE_POLICY, rejected.reason[:120])
            return False
        data = loose.get("data")
        request_id = data.get("request_id") if isinstance(data, dict) else None
        kind = loose.get("type")
        if isinstance(request_id, str) and request_id and kind != "subscribe":
            # a command we cannot run: answer it rather than drop the connection
            what = "malformed" if kind in COMMANDS else f"unknown command type {kind!r}"
            self.command_result({"request_id": request_id, "ok": False,
                                 "error": {"code": "invalid", "message": f"{what}: {rejected.reason}"}})
            return True
        if kind == "subscribe" or kind in COMMANDS:
            await self._close(CLOSE_POLICY, f"malformed {kind}: {rejected.reason}"[:120])
            return False
        log.info("ignored client message of type %r from %s", kind, self.user.get("id"))
        return True

    # ------------------------------------------------------------------ outbound

    def wake(self) -> None:
        """Something to send (new stream events, a control message, a resume): look again."""
        self._wake.set()

    def command_result(self, result: dict[str, Any], after_seq: int = 0) -> None:
        """Queue a command.result; it goes out once the stream reached ``after_seq``."""
        self._controls.append((after_seq, "command.result", result))
        self.wake()

    def raw(self, frame: str | bytes) -> None:
        self._controls.append((0, "raw", frame))
        self.wake()

    def _control(self, type_: str, data: dict[str, Any]) -> bytes:
        return wire.encode({
            "v": wire.PROTOCOL_VERSION, "seq": self.last_sent,
            "ts": fmt(self.server.sim_now()), "type": type_, "data": data,
        })

    def _begin(self, resume: wire.ResumeFrom | None) -> None:
        """A subscribe: hello, then either the buffered events after after_seq or a snapshot."""
        srv = self.server
        buf = srv.buffer
        head = buf.last_seq
        snapshot: list[bytes] = []
        if (
            resume is not None
            and resume.epoch == srv.epoch
            and buf.first_seq - 1 <= resume.after_seq <= head
        ):
            position = resume.after_seq
        else:
            position = head
            many = getattr(srv, "snapshot_messages", None)  # parts when the state exceeds 1 MiB
            snapshot = many(head) if many is not None else [srv.snapshot_message(head)]
        self.last_sent = position
        self.cursor = position + 1
        # a re-subscribe starts over: nothing queued for the old position goes out, but every
        # command is still answered (one sent right after the subscribe, before its hello, too)
        self._controls = deque(c for c in self._controls if c[1] in ("raw", "command.result"))
        self._controls.appendleft((0, "bytes", self._control("hello", srv.hello_data(self.user))))
        for i, part in enumerate(snapshot, 1):
            self._controls.insert(i, (0, "bytes", part))
        self._next_heartbeat = asyncio.get_running_loop().time() + srv.heartbeat_s
        srv.subscribed(self)

    async def _pump(self) -> None:
        srv = self.server
        buf = srv.buffer
        ws = self.ws
        loop = asyncio.get_running_loop()
        try:
            while not self._closing:
                if self._subscribe is not False:
                    resume, self._subscribe = self._subscribe, False
                    assert resume is not True
                    self._begin(resume)
                if self.cursor is not None and not srv.paused and loop.time() >= self._next_heartbeat:
                    self._next_heartbeat = loop.time() + srv.heartbeat_s
                    beat = getattr(srv, "heartbeat_data", None)  # a gateway adds source_ok
                    data = beat() if beat is not None else {"server_time": fmt(srv.sim_now())}
                    await ws.send(self._control("heartbeat", data), text=True)
                if self._controls and self._controls[0][0] <= self.last_sent:
                    _, kind, payload = self._controls.popleft()
                    if kind == "bytes":
                        await ws.send(payload, text=True)
                    elif kind == "raw":
                        await ws.send(payload)  # str -> text frame, bytes -> binary frame
                    else:
                        await ws.send(self._control(kind, payload), text=True)
                    continue
                if self.cursor is not None and self.cursor <= buf.last_seq:
                    if self.cursor < buf.first_seq:
                        await self._close(CLOSE_TRY_AGAIN, "fell behind the replay buffer; resubscribe")
                        return
                    end = min(buf.last_seq, self.cursor + BATCH - 1)
                    for seq in range(self.cursor, end + 1):
                        if not buf.holds(seq):
                            break  # overwritten while we waited for the socket
                        await ws.send(buf.get(seq), text=True)
                        self.last_sent = seq
                        self.cursor = seq + 1
                    srv.progressed()
                    await asyncio.sleep(0)  # a long backlog must not starve the other clients
                    continue
                self._wake.clear()
                timeout = None
                if self.cursor is not None and not srv.paused:
                    timeout = max(0.0, self._next_heartbeat - loop.time())
                try:
                    async with asyncio.timeout(timeout):
                        await self._wake.wait()
                except TimeoutError:
                    pass
        except ConnectionClosed:
            pass

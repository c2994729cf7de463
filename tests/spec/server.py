"""An independent server of PROTOCOL.md, written from the spec alone, driven by a test.

Nothing here comes from ``supervisor``: only ``websockets`` and the standard library, so
that the product's client is checked against the contract, not against its own
simulator. The test scripts everything: the epoch, the user, the stream (seq 1..N is
assigned here), how far back the replay buffer reaches, the live state a snapshot is
built from, and the server's clock (scripted time: the latest event's ``ts`` unless set).

Session rules (PROTOCOL.md "Session"): a subscribe whose resume names the current epoch
and an ``after_seq`` still inside the buffer gets ``hello`` + the replay + live; anything
else gets ``hello`` + one ``snapshot`` at the current seq + live. Every subscribe is
recorded in ``subscribes`` so tests can assert where the client asked to resume.
"""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import Future
from datetime import datetime
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

PATH = "/v1/events"
STATE_KEYS = ("queues", "agents", "waiting", "cases", "escalations", "departments")


def rfc3339(at: datetime | str) -> str:
    """A time on the wire: RFC 3339 with offset and milliseconds."""
    return at if isinstance(at, str) else at.isoformat(timespec="milliseconds")


class SpecServer:
    """A scripted PROTOCOL.md server on 127.0.0.1, port 0, in a thread of its own.

    ``events`` are ``(type, data, ts)``; ``buffer_from`` is the first seq the replay
    buffer still holds (1 = "all"). Use as a context manager, or ``start()``/``close()``.
    """

    def __init__(
        self, *, epoch: str = "E1", events: list[tuple[str, dict[str, Any], Any]] = (),  # type: ignore[assignment]
        state: dict[str, list[Any]] | None = None, user: dict[str, str] | None = None,
        tokens: tuple[str, ...] = ("T",), heartbeat_s: float = 1.0, buffer_from: int = 1,
        clock: datetime | str | None = None, name: str = "spec-server", snapshot_parts: int = 1,
    ) -> None:
        self.epoch = epoch
        self.user = user or {"id": "u7", "name": "值班长", "role": "duty_lead"}
        self.tokens = set(tokens)
        self.heartbeat_s = heartbeat_s
        self.buffer_from = buffer_from
        self.name = name
        self.snapshot_parts = snapshot_parts
        self.state: dict[str, list[Any]] = {k: list((state or {}).get(k, [])) for k in STATE_KEYS}
        self.log: list[dict[str, Any]] = []  # the epoch's stream, as sent (envelopes)
        self.seq = 0
        self.clock = rfc3339(clock) if clock is not None else None
        self.subscribes: list[dict[str, Any] | None] = []  # the resume of every subscribe
        self.refused = 0  # handshakes answered 401
        self.heartbeats_sent = 0
        self.beating = True
        self.source_ok = True
        self._conns: dict[ServerConnection, asyncio.Queue[Any]] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: Any = None
        self.port = 0
        for type_, data, ts in events:
            self._append(type_, data, ts, None)

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{PATH}"

    def start(self) -> SpecServer:
        self._thread.start()

        async def listen() -> Any:
            return await serve(self._handler, "127.0.0.1", 0, process_request=self._check,
                               max_size=None, compression=None)

        self._server = self._run(listen())
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def close(self) -> None:
        async def shut() -> None:
            self._server.close()
            await self._server.wait_closed()

        self._run(shut())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> SpecServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, coro: Any) -> Any:
        """Run a coroutine on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=30)

    def _call(self, fn: Any, *args: Any) -> Any:
        """Call ``fn`` on the server's loop (all state belongs to it) and wait."""
        done: Future[Any] = Future()

        def call() -> None:
            try:
                done.set_result(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - handed back to the test
                done.set_exception(exc)

        self._loop.call_soon_threadsafe(call)
        return done.result(timeout=30)

    # ------------------------------------------------------------------ test hooks

    def append(self, type_: str, data: dict[str, Any], ts: Any, *, seq: int | None = None) -> int:
        """A stream event, live: journaled in the buffer and sent to every subscriber.
        ``seq`` forces a seq (a server-side jump); otherwise the next one."""
        return self._call(self._append, type_, data, ts, seq)  # type: ignore[no-any-return]

    def send_raw(self, frame: str | bytes) -> None:
        """A frame exactly as given (bytes: a binary frame) to every live subscriber; it is
        not part of the stream and is never replayed."""
        self._call(self._broadcast, frame)

    def envelope(self, type_: str, data: dict[str, Any], ts: Any, seq: int) -> str:
        """The text of an envelope with any seq (for hostile frames)."""
        return json.dumps({"v": 1, "seq": seq, "ts": rfc3339(ts), "type": type_, "data": data},
                          ensure_ascii=False)

    def send_snapshot(self) -> None:
        """A snapshot of ``state`` at the current seq to every live subscriber."""
        def send() -> None:
            for frame in self._snapshot():
                self._broadcast(frame)

        self._call(send)

    def send_heartbeat(self, server_time: str | None = None, source_ok: bool | None = None) -> None:
        self._call(lambda: self._broadcast(self._heartbeat(server_time, source_ok)))

    def set_heartbeats(self, beating: bool = True, source_ok: bool = True) -> None:
        """Stop or resume the periodic heartbeat, and what its ``source_ok`` says."""
        self.beating, self.source_ok = beating, source_ok

    def drop(self) -> None:
        """Close every connection (the clients should resume)."""
        self._call(self._drop)

    def restart(self, epoch: str | None = None, events: list[tuple[str, dict[str, Any], Any]] = ()) -> None:  # type: ignore[assignment]
        """Drop everyone; with a new epoch the stream starts again at seq 1 with an empty
        buffer, then ``events`` (already produced before anyone reconnects)."""
        def go() -> None:
            self._drop()
            if epoch is not None and epoch != self.epoch:
                self.epoch, self.log, self.seq, self.buffer_from = epoch, [], 0, 1
            for type_, data, ts in events:
                self._append(type_, data, ts, None)

        self._call(go)

    def stream(self) -> list[dict[str, Any]]:
        """A copy of the epoch's stream (envelopes)."""
        return self._call(lambda: list(self.log))  # type: ignore[no-any-return]

    def live(self) -> int:
        """How many subscribers are connected now."""
        return self._call(lambda: len(self._conns))  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ protocol

    def _append(self, type_: str, data: dict[str, Any], ts: Any, seq: int | None) -> int:
        self.seq = self.seq + 1 if seq is None else seq
        self.clock = rfc3339(ts)
        message = {"v": 1, "seq": self.seq, "ts": self.clock, "type": type_, "data": data}
        self.log.append(message)
        self._broadcast(json.dumps(message, ensure_ascii=False))
        return self.seq

    def _broadcast(self, frame: str | bytes | None) -> None:
        for queue in self._conns.values():
            queue.put_nowait(frame)

    def _drop(self) -> None:
        self._broadcast(None)  # each sender closes its connection after what is queued

    def _now(self, at: str | None = None) -> str:
        return at or self.clock or "2026-11-20T00:00:00.000+08:00"

    def _control(self, type_: str, data: dict[str, Any]) -> str:
        """hello / heartbeat: the current seq, not advancing it."""
        return json.dumps({"v": 1, "seq": self.seq, "ts": self._now(), "type": type_, "data": data},
                          ensure_ascii=False)

    def _hello(self) -> str:
        return self._control("hello", {"server": self.name, "epoch": self.epoch, "user": self.user,
                                       "server_time": self._now(), "heartbeat_s": self.heartbeat_s})

    def _heartbeat(self, server_time: str | None = None, source_ok: bool | None = None) -> str:
        self.heartbeats_sent += 1
        ok = self.source_ok if source_ok is None else source_ok
        return self._control("heartbeat", {"server_time": self._now(server_time), "source_ok": ok})

    def _snapshot(self) -> list[str]:
        """The whole state at the current seq: one message, or N parts of the same seq."""
        n = max(1, self.snapshot_parts)
        parts: list[dict[str, Any]] = [{k: [] for k in STATE_KEYS} for _ in range(n)]
        for key in STATE_KEYS:
            for i, item in enumerate(self.state[key]):
                parts[i % n][key].append(item)
        frames = []
        for i, data in enumerate(parts, 1):
            if n > 1:
                data = {**data, "part": i, "parts": n}
            frames.append(json.dumps({"v": 1, "seq": self.seq, "ts": self._now(), "type": "snapshot",
                                      "data": data}, ensure_ascii=False))
        return frames

    def _replay_after(self, resume: Any) -> list[str] | None:
        """The replay a resume asks for, or None when it cannot be served (-> snapshot)."""
        if not isinstance(resume, dict) or resume.get("epoch") != self.epoch:
            return None
        after = resume.get("after_seq")
        if not isinstance(after, int) or isinstance(after, bool) or after > self.seq:
            return None
        if after + 1 < self.buffer_from:  # the buffer no longer reaches back that far
            return None
        return [json.dumps(m, ensure_ascii=False) for m in self.log if m["seq"] > after]

    async def _check(self, connection: ServerConnection, request: Any) -> Any:
        if request.path.split("?")[0] != PATH:
            return connection.respond(HTTPStatus.NOT_FOUND, "no such path\n")
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[len("Bearer "):] not in self.tokens:
            self.refused += 1
            return connection.respond(HTTPStatus.UNAUTHORIZED, "unknown token\n")
        return None

    async def _handler(self, ws: ServerConnection) -> None:
        try:
            first = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert first["type"] == "subscribe"
        except Exception:  # noqa: BLE001 - not a subscriber: hang up
            await ws.close(1002, "expected subscribe")
            return
        resume = (first.get("data") or {}).get("resume")
        self.subscribes.append(resume)
        await self._before_session(resume)
        # hello, then the replay or a snapshot, then live: queued without yielding, so no
        # live event can slip in between
        out: asyncio.Queue[Any] = asyncio.Queue()
        out.put_nowait(self._hello())
        replay = self._replay_after(resume)
        for frame in replay if replay is not None else self._snapshot():
            out.put_nowait(frame)
        self._conns[ws] = out
        tasks = [asyncio.ensure_future(self._send(ws, out)), asyncio.ensure_future(self._beat(out))]
        try:
            async for _ in ws:  # commands are not part of these tests: read and ignore
                pass
        except Exception:  # noqa: BLE001 - a client that vanishes is not the server's error
            pass
        finally:
            self._conns.pop(ws, None)
            for task in tasks:
                task.cancel()

    async def _before_session(self, resume: Any) -> None:
        """Called once a subscribe is recorded, before its hello and replay or snapshot are
        built (a subclass may hold a session here; nothing live is lost meanwhile)."""

    async def _send(self, ws: ServerConnection, out: asyncio.Queue[Any]) -> None:
        try:
            while (frame := await out.get()) is not None:
                await ws.send(frame)
        except Exception:  # noqa: BLE001 - connection gone
            pass
        self._conns.pop(ws, None)
        await ws.close()

    async def _beat(self, out: asyncio.Queue[Any]) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            if self.beating:
                out.put_nowait(self._heartbeat())

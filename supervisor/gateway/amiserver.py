"""A small scripted AMI server on loopback: stands in for Asterisk in tests, the demo and
the benchmark. It speaks the manager protocol as Asterisk does (banner, ``Login``,
``Ping`` with its clock, ``Command: manager show user``, ``QueueStatus`` as an event
list, events with ``Timestamp:`` as with ``timestampevents = yes``) and plays a script.

A script is a list of sessions, one per successful login: the ``QueueStatus`` items
Asterisk would list then (``QueueParams``, ``QueueMember``, ``QueueEntry``) and the
events that follow, each at a time in seconds from ``base`` (None: sent without a
``Timestamp:``), then ``after``: "hold" the connection open or "drop" it. The PBX clock
jumps to each event's time as it is sent, so a day replays as fast as it is read
(``speed`` 0), or at ``speed`` times real time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from supervisor.gateway.ami import FrameParser, encode

ScriptEvent = tuple[float | None, dict[str, Any]]


@dataclass
class AmiSession:
    status: list[dict[str, Any]] = field(default_factory=list)
    events: Iterable[ScriptEvent] = ()
    after: str = "hold"  # or "drop"


class AmiServer:
    def __init__(self, sessions: list[AmiSession], user: str = "gateway", secret: str = "s3cret",
                 read_perm: str = "agent,call", allow_command: bool = True, base: float = 1_700_000_000.0,
                 speed: float = 0.0, host: str = "127.0.0.1", port: int = 0, version: str = "5.0.1") -> None:
        self.sessions = list(sessions)
        self.user, self.secret = user, secret
        self.read_perm, self.allow_command = read_perm, allow_command
        self.base, self.speed = base, speed
        self.host, self.port, self.version = host, port, version
        self.t = 0.0  # script time of the last event sent
        self._t_real = time.monotonic()
        self.logins = 0
        self.played = 0  # sessions started (QueueStatus answered)
        self.failed_logins = 0
        self.connections = 0
        self.sent_events = 0
        self.finished = asyncio.Event()  # the current session's events are all out
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def _next_session(self) -> AmiSession:
        """The script's next session; past its end, the last status again with no events."""
        i, self.played = self.played, self.played + 1
        if i < len(self.sessions):
            return self.sessions[i]
        last = self.sessions[-1] if self.sessions else AmiSession()
        return AmiSession(last.status, (), "hold")

    def now(self) -> float:
        """The PBX clock: the script time reached, then (at a finite ``speed``) real time
        times ``speed`` onward; at speed 0 it stands still between events."""
        if self.speed <= 0:
            return self.base + self.t
        return self.base + self.t + (time.monotonic() - self._t_real) * self.speed

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        await self.go_down()

    async def go_down(self) -> None:
        """Stop listening and cut every connection (Asterisk stopped)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        await self.drop()

    async def drop(self) -> None:
        """Cut every connection, as a network failure or an Asterisk restart would."""
        for w in list(self._writers):
            w.transport.abort()
        self._writers.clear()
        await asyncio.sleep(0)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        parser = FrameParser()
        authed = False
        player: asyncio.Task[None] | None = None
        try:
            writer.write(f"Asterisk Call Manager/{self.version}\r\n".encode())
            await writer.drain()
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                for frame in parser.feed(data):
                    action = frame.get("action", "").lower()
                    aid = frame.get("actionid", "")
                    if action == "login":
                        if frame.get("username") == self.user and frame.get("secret") == self.secret:
                            authed = True
                            self.logins += 1
                            writer.write(encode({"Response": "Success", "ActionID": aid,
                                                 "Message": "Authentication accepted"}))
                        else:
                            self.failed_logins += 1
                            writer.write(encode({"Response": "Error", "ActionID": aid,
                                                 "Message": "Authentication failed"}))
                            await writer.drain()
                            writer.close()  # as Asterisk does after a failed login
                            return
                    elif not authed:
                        writer.write(encode({"Response": "Error", "ActionID": aid,
                                             "Message": "Permission denied"}))
                    elif action == "ping":
                        writer.write(encode({"Response": "Success", "ActionID": aid, "Ping": "Pong",
                                             "Timestamp": f"{self.now():.6f}"}))
                    elif action == "command":
                        if not self.allow_command:
                            writer.write(encode({"Response": "Error", "ActionID": aid,
                                                 "Message": "Permission denied"}))
                        else:
                            out = (f"          username: {self.user}\n            secret: <Set>\n"
                                   f"         read perm: {self.read_perm}\n        write perm: system,command")
                            writer.write(encode({"Response": "Success", "ActionID": aid,
                                                 "Message": "Command output follows", "Output": out}))
                    elif action == "queuestatus":
                        session = self._next_session()
                        writer.write(encode({"Response": "Success", "ActionID": aid, "EventList": "start",
                                             "Message": "Queue status will follow"}))
                        for item in session.status:
                            writer.write(encode({**item, "ActionID": aid}))
                        writer.write(encode({"Event": "QueueStatusComplete", "ActionID": aid,
                                             "EventList": "Complete", "ListItems": len(session.status)}))
                        await writer.drain()
                        self.finished.clear()
                        player = asyncio.create_task(self._play(writer, session))
                    else:
                        writer.write(encode({"Response": "Error", "ActionID": aid,
                                             "Message": "Invalid/unknown command"}))
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            if player is not None:
                player.cancel()
            self._writers.discard(writer)
            try:
                writer.close()
            except (OSError, RuntimeError):
                pass

    async def _play(self, writer: asyncio.StreamWriter, session: AmiSession) -> None:
        try:
            n = 0
            for t, fields in session.events:
                if t is not None:
                    if self.speed > 0:
                        wait = (t - self.t) / self.speed - (time.monotonic() - self._t_real)
                        if wait > 0:
                            await asyncio.sleep(wait)
                    self.t = max(self.t, t)
                    self._t_real = time.monotonic()
                    fields = {**fields, "Timestamp": f"{self.base + t:.6f}"}
                writer.write(encode(fields))
                self.sent_events += 1
                n += 1
                if n % 200 == 0:
                    await writer.drain()
            await writer.drain()
            self.finished.set()
            if session.after == "drop":
                writer.transport.abort()
        except (ConnectionError, OSError):
            pass


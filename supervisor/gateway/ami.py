"""The Asterisk Manager Interface on the wire: frames, a sans-I/O parser, a small client.

AMI is line-based text over TCP: a banner line (``Asterisk Call Manager/5.0.1``), then
messages of ``Key: Value`` lines, each ended by an empty line. Keys are case-insensitive
(``ActionID``, ``Actionid``): a parsed frame holds them lower-cased. A key that repeats
(``Output:`` of a command, ``ChanVariable``) is kept joined with newlines; a line without
``: `` (the raw output of an old ``Response: Follows``) goes under ``_body``.

Why not panoramisk: it installs and runs on Python 3.11, but its last release is from
2021 and its ``Manager`` hides exactly the faults the gateway must tell apart: a wrong
secret is only ``authenticated = False`` while it silently logs in again every two
seconds (an Asterisk with fail2ban bans the gateway), a refused connection is retried
forever without telling the caller, and the retry delay is a whole number of seconds
without backoff. Reading frames is forty lines; owning them makes every fault a sentence.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Mapping
from typing import Any

Frame = dict[str, str]
BANNER = re.compile(rb"^Asterisk Call Manager/(\S+)")
CONNECT_TIMEOUT_S = 5.0
LOGIN_TIMEOUT_S = 10.0


class AmiError(Exception):
    """A fault of the AMI side; its message is one sentence for the operator."""


class AmiUnreachable(AmiError):
    pass


class AmiAuthFailed(AmiError):
    pass


class AmiNoAgentClass(AmiError):
    pass


class AmiLost(AmiError):
    pass


class FrameParser:
    """Bytes in, frames out. Tolerates ``\\n`` line ends and a missing blank line between
    two messages (a second ``Event:``/``Response:`` line starts a new frame: seen in
    captured traffic)."""

    def __init__(self) -> None:
        self._buf = b""
        self._lines: list[bytes] = []
        self.banner: str | None = None
        self._banner_pending = True

    def feed(self, data: bytes) -> list[Frame]:
        self._buf += data
        out: list[Frame] = []
        while True:
            nl = self._buf.find(b"\n")
            if nl < 0:
                break
            line, self._buf = self._buf[:nl].rstrip(b"\r"), self._buf[nl + 1:]
            if self._banner_pending:
                m = BANNER.match(line)
                if m:
                    self.banner = m.group(1).decode("ascii", "replace")
                    self._banner_pending = False
                    continue
                if line:
                    self._banner_pending = False
            if not line:
                if self._lines:
                    out.append(_frame(self._lines))
                    self._lines = []
                continue
            low = line[:9].lower()
            if self._lines and (low.startswith(b"event:") or low.startswith(b"response:")):
                out.append(_frame(self._lines))
                self._lines = []
            self._lines.append(line)
        return out


def _frame(lines: list[bytes]) -> Frame:
    frame: Frame = {}
    for raw in lines:
        text = raw.decode("utf-8", "replace")
        key, sep, value = text.partition(":")
        if not sep or " " in key.strip():
            key, value = "_body", text
        else:
            key, value = key.strip().lower(), value.strip()
        frame[key] = f"{frame[key]}\n{value}" if key in frame else value
    return frame


def encode(fields: Mapping[str, Any]) -> bytes:
    """One AMI message (an action or, for a server, a response or event)."""
    lines = []
    for key, value in fields.items():
        for part in str(value).split("\n"):
            lines.append(f"{key}: {part}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def read_perm(output: str) -> list[str] | None:
    """The read classes in the output of ``manager show user NAME``; None when absent."""
    m = re.search(r"read perm:\s*([^\n]*)", output)
    if not m:
        return None
    return [p.strip().lower() for p in m.group(1).split(",") if p.strip()]


class AmiClient:
    """One AMI connection: login, actions, and the frames that arrive."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, where: str) -> None:
        self._reader = reader
        self._writer = writer
        self.where = where
        self._parser = FrameParser()
        self._pending: list[Frame] = []
        self._ids = itertools.count(1)

    @classmethod
    async def connect(cls, host: str, port: int, timeout: float = CONNECT_TIMEOUT_S) -> AmiClient:
        where = f"{host}:{port}"
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        except TimeoutError:
            raise AmiUnreachable(f"Asterisk's manager interface at {where} did not answer "
                                 f"within {timeout:g} s") from None
        except OSError as exc:
            raise AmiUnreachable(f"cannot reach Asterisk's manager interface at {where}: "
                                 f"{exc.strerror or exc}") from None
        return cls(reader, writer, where)

    @property
    def banner(self) -> str | None:
        return self._parser.banner

    async def send(self, fields: Mapping[str, Any]) -> str:
        """Send an action; returns its ActionID."""
        action_id = f"cc-{next(self._ids)}"
        try:
            self._writer.write(encode({**fields, "ActionID": action_id}))
            await self._writer.drain()
        except OSError as exc:
            raise AmiLost(f"the connection to Asterisk at {self.where} dropped: "
                          f"{exc.strerror or exc}") from None
        return action_id

    async def read(self) -> Frame:
        """The next frame; AmiLost when Asterisk closed the connection."""
        while not self._pending:
            try:
                data = await self._reader.read(65536)
            except OSError as exc:
                raise AmiLost(f"the connection to Asterisk at {self.where} dropped: "
                              f"{exc.strerror or exc}") from None
            if not data:
                raise AmiLost(f"Asterisk at {self.where} closed the manager connection")
            self._pending.extend(self._parser.feed(data))
        return self._pending.pop(0)

    async def response(self, action_id: str, timeout: float, on_event: Any = None) -> Frame:
        """Wait for the response to ``action_id``; other frames go to ``on_event``."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.read()
                if "response" in frame and frame.get("actionid") == action_id:
                    return frame
                if on_event is not None:
                    on_event(frame)

    async def login(self, user: str, secret: str) -> None:
        action_id = await self.send({"Action": "Login", "Username": user, "Secret": secret, "Events": "on"})
        try:
            resp = await self.response(action_id, LOGIN_TIMEOUT_S)
        except TimeoutError:
            raise AmiLost(f"Asterisk at {self.where} did not answer the login within "
                          f"{LOGIN_TIMEOUT_S:g} s") from None
        if resp.get("response", "").lower() != "success":
            why = resp.get("message", "refused")
            raise AmiAuthFailed(
                f"Asterisk at {self.where} refused the login of manager user {user!r} ({why}): "
                "check the user and the secret file against manager.conf")

    async def close(self) -> None:
        try:
            self._writer.close()
            await self._writer.wait_closed()
        except (OSError, RuntimeError):
            pass

"""The gateway server: PROTOCOL.md on a websocket, fed by one AMI connection.

The websocket side is the simulator's (``supervisor.sim.session.Session``, its
``ReplayBuffer``, its tokens): every desktop and recorder sees the same server. The AMI
side logs in, asks ``QueueStatus`` and maps the event stream through ``AsteriskFloor``.
When AMI is unreachable, refuses the login, lacks the ``agent`` read class or drops,
the reason is logged in one sentence (once while it lasts), heartbeats go on with
``source_ok: false``, and the gateway tries again with backoff; each (re)connect asks
``QueueStatus`` again and publishes a new snapshot: it never guesses what it missed.

Time: AMI's ``Timestamp:`` when the PBX sends it, else the gateway's clock corrected by
the PBX clock that ``Ping`` told at login (so unstamped times agree with stamped ones).
The floor's timers fire between frames on the stream's clock (``AsteriskFloor.stream_time``:
the last frame's time plus how long AMI has been quiet since), never on that corrected
clock alone, which runs ahead of the frames whenever they arrive late.
"""

from __future__ import annotations

import asyncio
import http
import json
import logging
import secrets
import ssl as ssl_module
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from supervisor import escalations, wire
from supervisor.gateway import ami
from supervisor.gateway.floor import AsteriskFloor, Event
from supervisor.sim.buffer import ReplayBuffer
from supervisor.sim.fit import fit_snapshot
from supervisor.sim.session import Session
from supervisor.sim.tokens import bearer_token, resolve_tokens
from supervisor.timeutil import fmt

log = logging.getLogger("supervisor.gateway")
PATH = "/v1/events"
STATUS_TIMEOUT_S = 60.0
STOP_GRACE_S = 2.0


@dataclass(frozen=True)
class GatewayConfig:
    ami_host: str
    ami_port: int
    ami_user: str
    ami_secret: str
    tokens: Mapping[str, Mapping[str, str]] | str | Path | None = None
    queues: list[dict[str, Any]] = field(default_factory=list)  # queue records of --queues
    wrapup: dict[str, float] = field(default_factory=dict)  # queue -> wrap-up seconds
    tz: tzinfo = timezone(timedelta(hours=8))
    heartbeat_s: float = 5.0
    buffer: int = 1_000_000
    retry_min_s: float = 1.0
    retry_max_s: float = 30.0
    ping_s: float = 20.0  # an idle AMI connection is pinged; no answer in 2 x this: dropped
    audit: str | Path | None = None  # JSON lines of reveals
    server_name: str = "command-center Asterisk gateway"
    clock: Callable[[], float] = time.time


class GatewayServer:
    """``async with GatewayServer(cfg, host, port)``: serves until stopped."""

    def __init__(self, cfg: GatewayConfig, host: str = "127.0.0.1", port: int = 0,
                 ssl: ssl_module.SSLContext | None = None) -> None:
        self.cfg = cfg
        self.host, self.port, self.ssl = host, port, ssl
        self.tokens = resolve_tokens(cfg.tokens)
        self.epoch = secrets.token_hex(6)
        self.buffer = ReplayBuffer(cfg.buffer)
        self.heartbeat_s = cfg.heartbeat_s
        self.floor = AsteriskFloor(cfg.queues, cfg.wrapup, cfg.tz)
        self.source_ok = False
        self.source_reason = "not connected to Asterisk yet"
        self.offset_s = 0.0  # PBX clock minus ours, from Ping
        self.connects = 0  # successful QueueStatus rebuilds
        self.frames = 0  # AMI frames read
        self._heard_at = 0.0  # cfg.clock() when the floor last heard a frame or a QueueStatus
        self._sessions: set[Session] = set()
        self._users: weakref.WeakKeyDictionary[ServerConnection, dict[str, str]] = weakref.WeakKeyDictionary()
        self._server: Server | None = None
        self._ami_task: asyncio.Task[None] | None = None
        self._said: str | None = None
        self.state_changed = asyncio.Event()

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> GatewayServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        # no stream event before AMI's QueueStatus: a subscriber meanwhile gets the configured
        # queues in its own snapshot (at seq 0), and the stream starts with what Asterisk said
        self._server = await serve(
            self._handler, self.host, self.port, ssl=self.ssl, process_request=self._process_request,
            max_size=wire.MAX_MESSAGE_BYTES, compression=None)
        self.port = self._server.sockets[0].getsockname()[1]
        self._ami_task = asyncio.create_task(self._ami_loop(), name="gateway-ami")
        log.info("gateway on %s for Asterisk %s:%s (epoch %s)", self.url, self.cfg.ami_host, self.cfg.ami_port, self.epoch)

    async def stop(self) -> None:
        if self._ami_task is not None:
            self._ami_task.cancel()
            try:
                await self._ami_task
            except asyncio.CancelledError:
                pass
            self._ami_task = None
        if self._server is not None:
            self._server.close()
            try:
                await asyncio.wait_for(self._server.wait_closed(), STOP_GRACE_S)
            except TimeoutError:
                for s in list(self._sessions):
                    if s.ws.transport is not None:
                        s.ws.transport.abort()
                await self._server.wait_closed()
            self._server = None

    @property
    def url(self) -> str:
        scheme = "wss" if self.ssl is not None else "ws"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{PATH}"

    # ------------------------------------------------------------------ time

    def now_ms(self) -> int:
        """The PBX's clock as best known (ours, corrected by what Ping told)."""
        return int(round((self.cfg.clock() + self.offset_s) * 1000))

    def stream_ms(self) -> int:
        """The clock of the floor's timers: the stream's, run on by our clock while AMI is quiet."""
        return self.floor.stream_time(self.now_ms(), (self.cfg.clock() - self._heard_at) * 1000)

    def sim_now(self) -> datetime:
        return datetime.fromtimestamp(self.now_ms() / 1000, self.cfg.tz)

    # ------------------------------------------------------------------ what Session needs

    @property
    def paused(self) -> bool:
        return False  # heartbeats go on while AMI is down: they carry source_ok

    def hello_data(self, user: dict[str, str]) -> dict[str, Any]:
        return {"server": self.cfg.server_name, "epoch": self.epoch, "user": dict(user),
                "server_time": fmt(self.sim_now()), "heartbeat_s": self.heartbeat_s}

    def heartbeat_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"server_time": fmt(self.sim_now()), "source_ok": self.source_ok}
        if not self.source_ok:
            data["reason"] = self.source_reason  # not in PROTOCOL.md: clients ignore it, people reading the wire do not
        return data

    def snapshot_message(self, seq: int) -> bytes:
        data, dropped = fit_snapshot(self.floor.snapshot_data())
        if dropped:
            log.info("snapshot trimmed to 1 MiB; left out: %s", dropped)
        return wire.encode({"v": wire.PROTOCOL_VERSION, "seq": seq, "ts": fmt(self.sim_now()),
                            "type": "snapshot", "data": data})

    def subscribed(self, session: Session) -> None:
        pass

    def progressed(self) -> None:
        pass

    def handle_reassign(self, session: Session, data: wire.ReassignData) -> None:
        session.command_result({"request_id": data.request_id, "ok": False, "error": {
            "code": "not_found", "message": "this gateway relays Asterisk, which has no escalations"}})

    def handle_reveal(self, session: Session, data: wire.RevealData) -> None:
        role = session.user.get("role")
        if not escalations.can_reveal(role):
            result: dict[str, Any] = {"request_id": data.request_id, "ok": False, "error": {
                "code": "forbidden", "message": f"role {role} may not reveal customer data"}}
        elif not data.reason.strip():
            result = {"request_id": data.request_id, "ok": False,
                      "error": {"code": "invalid", "message": "a reveal needs a reason"}}
        else:
            customer = self.floor.customer(data.customer_id)
            if customer is None:
                result = {"request_id": data.request_id, "ok": False, "error": {
                    "code": "not_found", "message": "no live call of that customer (the gateway keeps only live calls)"}}
            else:
                result = {"request_id": data.request_id, "ok": True, "customer": customer}
                self._audit(session.user, data)
        session.command_result(result, self.buffer.last_seq if session.cursor is not None else 0)

    def _audit(self, user: Mapping[str, str], data: wire.RevealData) -> None:
        entry = {"at": fmt(self.sim_now()), "action": "reveal", "by": user.get("id"), "role": user.get("role"),
                 "customer_id": data.customer_id, "case_id": data.case_id, "reason": data.reason}
        log.info("reveal of %s by %s (%s)", data.customer_id, user.get("id"), user.get("role"))
        if self.cfg.audit is not None:
            with open(self.cfg.audit, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    # ------------------------------------------------------------------ stream

    def _publish(self, events: list[Event]) -> None:
        buf = self.buffer
        for ev in events:
            data = ev["data"]
            if ev["type"] == "snapshot":
                data, dropped = fit_snapshot(data)
                if dropped:
                    log.info("snapshot trimmed to 1 MiB; left out: %s", dropped)
            buf.append(wire.encode({"v": wire.PROTOCOL_VERSION, "seq": buf.last_seq + 1, "ts": ev["ts"],
                                    "type": ev["type"], "data": data}))
        if events:
            for s in self._sessions:
                s.wake()

    # ------------------------------------------------------------------ AMI

    def _lost(self, reason: str) -> None:
        self.source_ok = False
        self.source_reason = reason
        if reason != self._said:
            log.warning("%s; the websocket side stays up and says the data is stale", reason)
            self._said = reason
        self.state_changed.set()

    async def _ami_loop(self) -> None:
        delay = self.cfg.retry_min_s
        while True:
            client: ami.AmiClient | None = None
            try:
                client = await ami.AmiClient.connect(self.cfg.ami_host, self.cfg.ami_port)
                await client.login(self.cfg.ami_user, self.cfg.ami_secret)
                await self._check_agent_class(client)
                await self._ping_clock(client)
                await self._follow(client)
            except ami.AmiError as exc:
                self._lost(str(exc))
                if isinstance(exc, ami.AmiLost) and self.connects:
                    delay = self.cfg.retry_min_s  # a drop after a good session: try again soon
            except TimeoutError:
                self._lost(f"Asterisk at {self.cfg.ami_host}:{self.cfg.ami_port} stopped answering")
            finally:
                if client is not None:
                    await client.close()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.cfg.retry_max_s)

    async def _check_agent_class(self, client: ami.AmiClient) -> None:
        """Queue events are of the ``agent`` class: without it the floor would look quiet.

        Asterisk tells a session its read classes nowhere but in ``manager show user``;
        an AMI user allowed to run it is checked, one that is not is trusted (said once).
        """
        action_id = await client.send({"Action": "Command", "Command": f"manager show user {self.cfg.ami_user}"})
        resp = await client.response(action_id, 10.0)
        output = "\n".join(v for k, v in resp.items() if k in ("output", "_body"))
        perms = ami.read_perm(output)
        if perms is None:
            log.info("cannot check the read classes of manager user %r (%s); make sure it has read = agent,call",
                     self.cfg.ami_user, resp.get("message", "no answer"))
            return
        if "agent" not in perms and "all" not in perms:
            raise ami.AmiNoAgentClass(
                f"manager user {self.cfg.ami_user!r} on Asterisk at {client.where} lacks the 'agent' read class "
                f"(it has read = {','.join(perms) or 'nothing'}), so no queue events reach the gateway: "
                "add agent to its read line in manager.conf and reload the manager")

    async def _ping_clock(self, client: ami.AmiClient) -> None:
        before = self.cfg.clock()
        action_id = await client.send({"Action": "Ping"})
        resp = await client.response(action_id, 10.0)
        stamp = resp.get("timestamp")
        if stamp:
            try:
                self.offset_s = float(stamp) - (before + self.cfg.clock()) / 2
            except ValueError:
                pass

    async def _follow(self, client: ami.AmiClient) -> None:
        floor = self.floor
        status_id = await client.send({"Action": "QueueStatus"})
        floor.status_begin()
        status_deadline = time.monotonic() + STATUS_TIMEOUT_S
        ping_out: str | None = None
        while True:
            timeout = self.cfg.ping_s
            due = floor.due()
            if due is not None and not floor.collecting:
                timeout = min(timeout, max(0.0, (due - self.stream_ms()) / 1000))
            if floor.collecting:
                timeout = min(timeout, max(0.0, status_deadline - time.monotonic()))
            try:
                async with asyncio.timeout(timeout):
                    frame = await client.read()
            except TimeoutError:
                if floor.collecting:
                    raise ami.AmiLost(f"Asterisk at {client.where} did not finish QueueStatus "
                                      f"within {STATUS_TIMEOUT_S:g} s") from None
                if due is not None and due <= self.stream_ms():
                    self._publish(floor.tick(self.stream_ms()))
                    continue
                if ping_out is not None:
                    raise ami.AmiLost(f"Asterisk at {client.where} stopped answering (no reply to a ping "
                                      f"in {self.cfg.ping_s:g} s)") from None
                ping_out = await client.send({"Action": "Ping"})
                continue
            self.frames += 1
            ping_out = None
            if frame.get("actionid") == status_id:
                event = frame.get("event", "").lower()
                if event == "queuestatuscomplete":
                    self._publish(floor.status_end(self.now_ms()))
                    self._heard_at = self.cfg.clock()
                    self.connects += 1
                    self.source_ok = True
                    self._said = None
                    log.info("Asterisk at %s: queue state rebuilt from QueueStatus", client.where)
                    self.state_changed.set()
                elif event:
                    floor.status_item(frame)
                elif frame.get("response", "").lower() == "error":
                    raise ami.AmiLost(f"Asterisk at {client.where} refused QueueStatus: {frame.get('message', '')}")
                continue
            if "event" in frame:
                now = self.now_ms()
                at = floor.event_time(frame, now)
                if at > now:  # a stamped event is evidence of the PBX clock: never run behind it
                    self.offset_s += (at - now) / 1000
                self._publish(floor.handle(frame, at))
                self._heard_at = self.cfg.clock()

    # ------------------------------------------------------------------ connections

    async def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if urlsplit(request.path).path != PATH:
            return connection.respond(http.HTTPStatus.NOT_FOUND, f"not found; the event stream is at {PATH}\n")
        token = bearer_token(request.headers.get("Authorization"))
        user = self.tokens.get(token) if token is not None else None
        if user is None:
            response = connection.respond(http.HTTPStatus.UNAUTHORIZED,
                                          "missing bearer token\n" if token is None else "unknown token\n")
            response.headers["WWW-Authenticate"] = 'Bearer realm="command-center"'
            return response
        self._users[connection] = user
        return None

    async def _handler(self, ws: ServerConnection) -> None:
        user = self._users.pop(ws, None)
        if user is None:
            await ws.close(1011, "no user")
            return
        session = Session(self, ws, user)
        self._sessions.add(session)
        try:
            await session.run()
        finally:
            self._sessions.discard(session)

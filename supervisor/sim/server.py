"""The simulator's websocket server (PROTOCOL.md) and its Python API for tests and the demo.

One asyncio loop runs the generator (advancing the source with the simulated clock),
the replay buffer, and one ``Session`` per client. ``start_in_thread`` runs the same
server on its own loop thread for synchronous callers (Qt tests, the desktop's demo).
"""

from __future__ import annotations

import asyncio
import http
import logging
import secrets
import ssl as ssl_module
import threading
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import msgspec
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from supervisor import wire
from supervisor.sim.audit import AuditError, AuditTrail
from supervisor.sim.buffer import ReplayBuffer
from supervisor.sim import queues
from supervisor.sim.casework import MAX_REASON_CHARS
from supervisor.sim.fit import fit_snapshot, split_snapshot
from supervisor.sim.session import Session
from supervisor.sim.source import ROLES_THAT_REVEAL, CommandOutcome, SimEvent, Source, refuse
from supervisor.sim.timebase import DAY_MS, HOUR_MS, SimClock
from supervisor.sim.tokens import bearer_token, resolve_tokens
from supervisor.timeutil import CHINA, fmt

log = logging.getLogger("supervisor.sim")

PATH = "/v1/events"
CHUNK = 500  # events generated per slice before other tasks get a turn (about 10 ms)
TICK_S = 0.05  # real seconds between generator ticks at a finite speed
STOP_GRACE_S = 2.0  # how long stop() waits for clients to answer the close handshake
T = TypeVar("T")


@dataclass(frozen=True)
class SimConfig:
    """Everything that shapes a simulator run (the ``simulate`` options as Python)."""

    seed: int | None = None  # None: a random seed, reported as SimulatorServer.seed
    speed: float = 1.0  # simulated seconds per real second; 0 = as fast as subscribers read
    agents: int = 60
    start: datetime | None = None  # simulated start (aware, fixed offset); None: now in +08:00; not for replays
    hours: float | None = None  # stop generating after this many simulated hours
    prerun_hours: float = 0.0  # simulated history generated before serving (buffered backlog)
    heartbeat_s: float = 5.0
    buffer: int = 1_000_000  # replay buffer size, events
    tokens: Mapping[str, Mapping[str, str]] | str | Path | None = None  # None: demo tokens
    replay: str | Path | None = None  # a raw_monthly file of the anonymous bank data
    replay_date: date | str | None = None  # the day to replay, with ``replay``
    server_name: str = "command-center simulator"
    lead_events: int = 20_000  # speed 0: how far generation may run ahead of the fastest reader
    # Queue records over the source's own (queues.py): a JSON file, re-read when it changes
    # on disk (checked every queues_poll_s real seconds), or the records themselves.
    queues: str | Path | Sequence[Mapping[str, Any]] | None = None
    queues_poll_s: float = 1.0
    # Where reveals and reassignments are audited: a JSON Lines file (created 0600, appended
    # to, fsynced per entry; see audit.py), or None to keep the trail in memory.
    audit: str | Path | None = None

    def validate(self) -> None:
        if self.speed < 0:
            raise ValueError("speed must be 0 or more")
        if self.agents < 1:
            raise ValueError("the simulator needs at least one agent")
        if self.heartbeat_s <= 0:
            raise ValueError("the heartbeat interval must be positive")
        if self.buffer < 1:
            raise ValueError("the replay buffer must hold at least one event")
        if self.hours is not None and self.hours < 0:
            raise ValueError("hours must be 0 or more")
        if self.prerun_hours < 0:
            raise ValueError("prerun hours must be 0 or more")
        if self.start is not None and self.start.tzinfo is None:
            raise ValueError("the start time needs an offset")
        if (self.replay is None) != (self.replay_date is None):
            raise ValueError("a replay needs both a file and a date")
        if self.queues_poll_s <= 0:
            raise ValueError("the queues file check interval must be positive")


def build_source(cfg: SimConfig, seed: int) -> Source:
    """The engine, or a replayed day when the config names a file."""
    if cfg.replay is not None and cfg.replay_date is not None:
        from supervisor.sim.replay import ReplayDay

        return ReplayDay.from_file(cfg.replay, cfg.replay_date, hours=cfg.hours)
    from supervisor.sim.engine import Engine

    start = cfg.start or datetime.now(CHINA).replace(microsecond=0)
    return Engine(seed, start, agents=cfg.agents, hours=cfg.hours)


class SimulatorServer:
    """A simulator speaking PROTOCOL.md on ``ws(s)://host:port/v1/events``; ``async with`` it."""

    def __init__(
        self, cfg: SimConfig, host: str = "127.0.0.1", port: int = 0,
        ssl: ssl_module.SSLContext | None = None,
    ) -> None:
        cfg.validate()
        self.cfg = cfg
        self.host = host
        self.port = port
        self.ssl = ssl
        self.seed = cfg.seed if cfg.seed is not None else secrets.randbelow(2**31)
        self.tokens = resolve_tokens(cfg.tokens)
        self.source: Source = build_source(cfg, self.seed)
        self.epoch = secrets.token_hex(6)  # a restarted server is a new stream
        self.buffer = ReplayBuffer(cfg.buffer)
        self.heartbeat_s = cfg.heartbeat_s
        self.hold_commands = False  # test hook: apply commands but never answer them
        self._clock = SimClock(self.source.now_ms, cfg.speed)
        self._sessions: set[Session] = set()
        self._users: weakref.WeakKeyDictionary[ServerConnection, dict[str, str]] = weakref.WeakKeyDictionary()
        self._server: Server | None = None
        self._generator: asyncio.Task[None] | None = None
        self._progress = asyncio.Event()
        self._resumed = asyncio.Event()
        self._resumed.set()
        self._stopping = False
        self._queue_defaults = [dict(q) for q in self.source.queues]
        self.audit = AuditTrail(cfg.audit)  # last: nothing after it can fail and leak the file
        self.queue_file = Path(cfg.queues) if isinstance(cfg.queues, (str, Path)) else None
        self._queue_sig: tuple[int, int, int] | None = None
        self._watcher: asyncio.Task[None] | None = None
        if cfg.queues is not None:
            self._load_queues()

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> SimulatorServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        src = self.source
        self._publish([{"type": "snapshot", "ts": src.stamp(src.now_ms), "data": self.snapshot_data()}])
        if self.cfg.prerun_hours > 0:
            self._publish(src.advance_ms(src.now_ms + int(self.cfg.prerun_hours * HOUR_MS)))
        self._clock = SimClock(src.now_ms, self.cfg.speed)
        self._server = await serve(
            self._handler, self.host, self.port, ssl=self.ssl,
            process_request=self._process_request,
            max_size=wire.MAX_MESSAGE_BYTES,  # larger client messages: closed with 1009
            compression=None,  # every subscriber gets the same bytes; deflate would cost per client
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._generator = asyncio.create_task(self._generate(), name="sim-generator")
        if self.queue_file is not None:
            self._watcher = asyncio.create_task(self._watch_queue_file(), name="sim-queues")
        log.info("simulator on %s (seed %s, epoch %s)", self.url, self.seed, self.epoch)

    async def stop(self) -> None:
        self._stopping = True
        if self._watcher is not None:
            self._watcher.cancel()
            try:
                await self._watcher
            except asyncio.CancelledError:
                pass
            self._watcher = None
        if self._generator is not None:
            self._generator.cancel()
            try:
                await self._generator
            except asyncio.CancelledError:
                pass
            self._generator = None
        if self._server is not None:
            self._server.close()  # close frames (1001) to every client...
            try:
                await asyncio.wait_for(self._server.wait_closed(), STOP_GRACE_S)
            except TimeoutError:  # ...but a client that stopped reading never answers: cut it
                for s in list(self._sessions):
                    if s.ws.transport is not None:
                        s.ws.transport.abort()
                await self._server.wait_closed()
            self._server = None
        self.audit.close()

    # ------------------------------------------------------------------ the public surface

    @property
    def url(self) -> str:
        scheme = "wss" if self.ssl is not None else "ws"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{PATH}"

    @property
    def seq(self) -> int:
        """The current seq: that of the newest stream event."""
        return self.buffer.last_seq

    @property
    def paused(self) -> bool:
        return self._clock.paused

    def state(self) -> dict[str, Any]:
        """A consistent, independent copy of the live state as ``snapshot`` data, at ``seq``.

        Always complete: a ``snapshot`` message may leave out old cases to fit 1 MiB.
        """
        return msgspec.json.decode(msgspec.json.encode(self.source.snapshot()))

    def state_at(self) -> tuple[int, dict[str, Any]]:
        """``(seq, state)`` taken together: the state after the event with that seq."""
        return self.buffer.last_seq, self.state()

    def customer_records(self) -> list[dict[str, Any]]:
        """The server's customer table, unmasked: what the stream must never carry in full."""
        return self.source.customer_records()

    def sim_now(self) -> datetime:
        return self.source.stamp.dt(self._clock.now_ms())

    def pause(self) -> None:
        """Freeze generation and heartbeats (clients should mark the feed stale)."""
        self._clock.pause()
        self._resumed.clear()

    def resume(self) -> None:
        self._clock.resume()
        self._resumed.set()
        for s in self._sessions:
            s.wake()

    async def drop_connections(self) -> None:
        """Abruptly cut every client connection (no close frame), as a network failure would."""
        for s in list(self._sessions):
            transport = s.ws.transport
            if transport is not None:
                transport.abort()
        await asyncio.sleep(0)

    async def send_raw(self, frame: str | bytes) -> None:
        """Send an arbitrary frame to every client, outside the seq stream (str: text, bytes: binary)."""
        for s in list(self._sessions):
            s.raw(frame)
        await asyncio.sleep(0)

    # ------------------------------------------------------------------ queues

    def set_queue(self, record: Mapping[str, Any] | wire.Queue) -> bool:
        """Add or change a queue now; True when that broadcast a ``queue.updated``.

        ``record`` is a queue record; fields it leaves out keep their current values. It is
        a stream event: it takes the next seq, sits in the replay buffer, and later
        snapshots list the new record. An invalid record raises ``queues.QueueFileError``.
        """
        given = msgspec.structs.asdict(record) if isinstance(record, wire.Queue) else dict(record)
        current = {q["id"]: q for q in self.source.queues}
        full = queues.merge(given, current.get(given.get("id", "")))
        self._catch_up()
        events = self.source.set_queue(full)
        self._publish(events)
        return bool(events)

    def check_queue_file(self) -> int:
        """Re-read the ``--queues`` file if it changed on disk; the number of queues updated.

        Every record that now differs is broadcast as a ``queue.updated``. A record taken
        out of the file returns to the simulator's own values; a queue the simulator does
        not have stays listed (the protocol has no way to remove one). A file that turned
        invalid is logged in one sentence and ignored: the current records stay.
        """
        path = self.queue_file
        if path is None:
            return 0
        sig = queues.signature(path)
        if sig == self._queue_sig:
            return 0
        self._queue_sig = sig
        if sig is None:
            log.warning("queues file %s is gone; keeping the current queues", path)
            return 0
        try:
            wanted = self._read_queue_file(path)
        except queues.QueueFileError as exc:
            log.warning("%s; keeping the current queues", exc)
            return 0
        self._catch_up()
        events = []
        for rec in wanted:
            events.extend(self.source.set_queue(rec))
        self._publish(events)
        if events:
            log.info("queues file %s changed: %s updated", path,
                     ", ".join(ev["data"]["queue"]["id"] for ev in events))
        return len(events)

    def _load_queues(self) -> None:
        """Apply ``cfg.queues`` before the first snapshot (no events: it is the initial state)."""
        spec = self.cfg.queues
        if self.queue_file is not None:
            self._queue_sig = queues.signature(self.queue_file)
            wanted = self._read_queue_file(self.queue_file)
        else:
            assert spec is not None and not isinstance(spec, (str, Path))
            wanted = queues.resolve(spec, self._queue_defaults)
        for rec in wanted:
            self.source.set_queue(rec)

    def _read_queue_file(self, path: Path) -> list[dict[str, Any]]:
        given, ignored = queues.read_file(path)
        wanted = queues.resolve(given, self._queue_defaults, str(path))
        if ignored:
            log.warning("queues file %s: ignoring fields that are not queue record fields: %s",
                        path, ", ".join(ignored))
        unknown = queues.unknown_ids(given, self._queue_defaults)
        if unknown:
            log.warning(
                "queues file %s: %s not simulated here (the simulated queues are %s); listed, with no contacts",
                path, ", ".join(repr(u) for u in unknown) + (" is" if len(unknown) == 1 else " are"),
                ", ".join(q["id"] for q in self._queue_defaults),
            )
        return wanted

    async def _watch_queue_file(self) -> None:
        """Check the queues file every ``queues_poll_s`` real seconds (whatever the speed)."""
        while True:
            await asyncio.sleep(self.cfg.queues_poll_s)
            try:
                self.check_queue_file()
            except Exception:  # a bug here must not end the watching for the whole run
                log.exception("checking the queues file %s failed", self.queue_file)

    # ------------------------------------------------------------------ stream

    def _publish(self, events: list[SimEvent]) -> None:
        buf = self.buffer
        encode = wire.encode
        for ev in events:
            buf.append(encode({
                "v": wire.PROTOCOL_VERSION, "seq": buf.last_seq + 1, "ts": ev["ts"],
                "type": ev["type"], "data": ev["data"],
            }))
        if events:
            for s in self._sessions:
                s.wake()

    def snapshot_data(self) -> dict[str, Any]:
        """The live state as snapshot data that fits one message (see ``fit``)."""
        data, dropped = fit_snapshot(self.source.snapshot())
        if dropped:
            log.info("snapshot trimmed to 1 MiB; left out: %s", dropped)
        return data

    def snapshot_message(self, seq: int) -> bytes:
        src = self.source
        return wire.encode({
            "v": wire.PROTOCOL_VERSION, "seq": seq, "ts": src.stamp(src.now_ms),
            "type": "snapshot", "data": self.snapshot_data(),
        })

    def snapshot_messages(self, seq: int) -> list[bytes]:
        """The whole live state at ``seq``: one message, or parts when it exceeds 1 MiB
        (PROTOCOL.md), so a desktop joining a 10,000-agent floor mid-day gets all of it."""
        src = self.source
        ts = src.stamp(src.now_ms)
        parts = split_snapshot(self.source.snapshot())
        if len(parts) == 1:
            return [wire.encode({"v": wire.PROTOCOL_VERSION, "seq": seq, "ts": ts,
                                 "type": "snapshot", "data": parts[0]})]
        return [
            wire.encode({"v": wire.PROTOCOL_VERSION, "seq": seq, "ts": ts, "type": "snapshot",
                         "part": i, "parts": len(parts), "data": part})
            for i, part in enumerate(parts, 1)
        ]

    def hello_data(self, user: dict[str, str]) -> dict[str, Any]:
        return {
            "server": self.cfg.server_name, "epoch": self.epoch, "user": dict(user),
            "server_time": fmt(self.sim_now()), "heartbeat_s": self.heartbeat_s,
        }

    def subscribed(self, session: Session) -> None:
        self._progress.set()

    def progressed(self) -> None:
        self._progress.set()

    def _fastest_lag(self) -> int | None:
        """Events the most advanced subscriber has yet to receive; None without subscribers."""
        cursors = [s.cursor for s in self._sessions if s.cursor is not None]
        if not cursors:
            return None
        return self.buffer.last_seq + 1 - max(cursors)

    async def _generate(self) -> None:
        src = self.source
        speed = self.cfg.speed
        while not src.finished:
            if not self._resumed.is_set():
                await self._resumed.wait()
                continue
            if speed == 0:
                # As fast as the fastest reader: never far ahead of it, never without one,
                # and never so far that even the fastest would fall out of the buffer.
                lag = self._fastest_lag()
                room = max(1, min(self.cfg.lead_events, self.buffer.capacity - 16)) - (lag or 0)
                if lag is None or room <= 0:
                    self._progress.clear()
                    await self._progress.wait()
                    continue
                target = src.now_ms + DAY_MS
                if src.end_ms is not None:
                    target = min(target, src.end_ms)
                events = src.advance_ms(target, min(CHUNK, room))
                self._clock.set(src.now_ms)
                self._publish(events)
                await asyncio.sleep(0)
                continue
            events = src.advance_ms(self._clock.now_ms(), CHUNK)
            self._publish(events)
            await asyncio.sleep(0 if len(events) >= CHUNK else TICK_S)

    def _catch_up(self) -> None:
        """Bring the source to the simulated now before a command acts on it."""
        if self.cfg.speed > 0 and not self.paused:
            target = self._clock.now_ms()
            while self.source.now_ms < target and not self.source.finished:
                self._publish(self.source.advance_ms(target))

    # ------------------------------------------------------------------ connections

    async def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if urlsplit(request.path).path != PATH:
            return connection.respond(http.HTTPStatus.NOT_FOUND, f"not found; the event stream is at {PATH}\n")
        token = bearer_token(request.headers.get("Authorization"))
        user = self.tokens.get(token) if token is not None else None
        if user is None:
            response = connection.respond(
                http.HTTPStatus.UNAUTHORIZED,
                "missing bearer token\n" if token is None else "unknown token\n",
            )
            response.headers["WWW-Authenticate"] = 'Bearer realm="command-center"'
            return response
        self._users[connection] = user
        return None

    async def _handler(self, ws: ServerConnection) -> None:
        user = self._users.pop(ws, None)
        if user is None:  # cannot happen: the handshake checked the token
            await ws.close(1011, "no user")
            return
        session = Session(self, ws, user)
        self._sessions.add(session)
        try:
            await session.run()
        finally:
            self._sessions.discard(session)

    def handle_reassign(self, session: Session, data: wire.ReassignData) -> None:
        """Apply ``escalation.reassign`` now; the sender's result follows the broadcast events.

        Audited, granted or refused. The audit entry is written before the events go out;
        if it cannot be written the reassignment (already applied) stands and the failure
        is logged as an error: the trail's gap is then visible in the server's log.
        """
        self._catch_up()
        facts = self.source.escalation_facts(data.escalation_id) or {}
        outcome = self.source.reassign(session.user, data.escalation_id, data.to_owner, data.reason)
        to_owner: dict[str, Any] = {"id": data.to_owner}
        for ev in outcome.events:
            if ev["type"] == "escalation.reassigned":
                to_owner = dict(ev["data"]["to_owner"])
        try:
            self.audit.write(self._audit_entry(
                "reassign", session.user, outcome, data.request_id, data.reason,
                customer_id=facts.get("customer_id"), case_id=facts.get("case_id"),
                escalation_id=data.escalation_id, from_owner=facts.get("owner"), to_owner=to_owner,
            ))
        except AuditError as exc:
            log.error("%s: reassignment of %s by %s not audited", exc, data.escalation_id, session.user.get("id"))
        self._publish(outcome.events)
        if self.hold_commands:
            return
        after = self.buffer.last_seq if session.cursor is not None else 0
        session.command_result(outcome.result(data.request_id), after)

    def handle_reveal(self, session: Session, data: wire.RevealData) -> None:
        """``customer.reveal``: the full record to the sender alone, audited; never broadcast.

        Refused with ``forbidden`` (a role other than duty lead or manager), ``invalid`` (no
        reason, or a case of another customer) or ``not_found`` (a customer the server does
        not know). A ``case_id`` the server no longer holds is recorded as given. Granted or
        refused, the attempt is audited first; a reveal the trail cannot record is refused
        (``unavailable``): nothing is shown that is not audited.
        """
        user = session.user
        outcome, record = self._reveal(user, data)
        try:
            self.audit.write(self._audit_entry(
                "reveal", user, outcome, data.request_id, data.reason,
                customer_id=data.customer_id, case_id=data.case_id,
            ))
        except AuditError as exc:
            log.error("%s: reveal of %s by %s refused", exc, data.customer_id, user.get("id"))
            outcome, record = refuse("unavailable", "the server cannot write its audit trail; nothing was revealed"), None
        log.info("reveal of %s by %s (%s): %s", data.customer_id, user.get("id"), user.get("role"),
                 "granted" if outcome.ok else outcome.code)
        if self.hold_commands:
            return
        result = outcome.result(data.request_id)
        if record is not None:
            result["customer"] = record
        session.command_result(result)  # now: a reveal waits for no stream event

    def _reveal(self, user: Mapping[str, str], data: wire.RevealData) -> tuple[CommandOutcome, dict[str, Any] | None]:
        role = user.get("role")
        if role not in ROLES_THAT_REVEAL:
            return refuse("forbidden", f"role {role!r} may not reveal customer data; a duty lead or a manager may"), None
        reason = data.reason.strip()
        if not reason:
            return refuse("invalid", "a reason is required to reveal customer data"), None
        if len(reason) > MAX_REASON_CHARS:
            return refuse("invalid", f"the reason is longer than {MAX_REASON_CHARS} characters"), None
        record = self.source.customer_record(data.customer_id)
        if record is None:
            return refuse("not_found", f"no customer {data.customer_id!r}"), None
        if data.case_id is not None:
            owner = self.source.case_customer(data.case_id)
            if owner is not None and owner != data.customer_id:
                return refuse("invalid", f"case {data.case_id} is not customer {data.customer_id}'s"), None
        return CommandOutcome(True), record

    def _audit_entry(
        self, kind: str, user: Mapping[str, str], outcome: CommandOutcome, request_id: str, reason: str,
        *, customer_id: str | None, case_id: str | None, escalation_id: str | None = None,
        from_owner: Mapping[str, Any] | None = None, to_owner: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        reason = reason.strip()
        if len(reason) > MAX_REASON_CHARS:
            reason = reason[:MAX_REASON_CHARS] + "…"
        entry: dict[str, Any] = {
            "at": fmt(self.sim_now()), "kind": kind,
            "user": {"id": user.get("id", ""), "name": user.get("name", ""), "role": user.get("role", "")},
            "customer_id": customer_id, "case_id": case_id, "escalation_id": escalation_id,
            "reason": reason, "result": "ok" if outcome.ok else outcome.code, "request_id": request_id,
        }
        if kind == "reassign":
            entry["from"] = dict(from_owner) if from_owner is not None else None
            entry["to"] = dict(to_owner) if to_owner is not None else None
        return entry


# ---------------------------------------------------------------------- in a thread


class SimulatorThread:
    """A ``SimulatorServer`` on its own event-loop thread, for synchronous callers."""

    def __init__(
        self, cfg: SimConfig, host: str = "127.0.0.1", port: int = 0,
        ssl: ssl_module.SSLContext | None = None,
    ) -> None:
        self._args = (cfg, host, port, ssl)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="simulator", daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._server: SimulatorServer | None = None
        self._stop: asyncio.Event | None = None

    def start(self, timeout: float = 120.0) -> SimulatorThread:
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the simulator did not start in time")
        if self._error is not None:
            raise self._error
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._main())
        finally:
            self._loop.close()

    async def _main(self) -> None:
        cfg, host, port, ssl = self._args
        self._stop = asyncio.Event()
        try:
            server = SimulatorServer(cfg, host, port, ssl)
            async with server:
                self._server = server
                self._ready.set()
                await self._stop.wait()
        except BaseException as exc:  # reported to the caller of start()
            self._error = exc
            self._ready.set()

    @property
    def server(self) -> SimulatorServer:
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        return self._server

    def _call(self, fn: Callable[[], Awaitable[T]], timeout: float = 30.0) -> T:
        async def wrapper() -> T:
            return await fn()

        return asyncio.run_coroutine_threadsafe(wrapper(), self._loop).result(timeout)

    def _sync(self, fn: Callable[[], T], timeout: float = 30.0) -> T:
        async def wrapper() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(wrapper(), self._loop).result(timeout)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def epoch(self) -> str:
        return self.server.epoch

    @property
    def seed(self) -> int:
        return self.server.seed

    @property
    def seq(self) -> int:
        return self._sync(lambda: self.server.seq)

    @property
    def hold_commands(self) -> bool:
        return self.server.hold_commands

    @hold_commands.setter
    def hold_commands(self, value: bool) -> None:
        self._sync(lambda: setattr(self.server, "hold_commands", value))

    def state(self) -> dict[str, Any]:
        return self._sync(self.server.state)

    def customer_records(self) -> list[dict[str, Any]]:
        return self._sync(self.server.customer_records)

    def audit_entries(self) -> list[dict[str, Any]]:
        return self._sync(lambda: list(self.server.audit.entries))

    def state_at(self) -> tuple[int, dict[str, Any]]:
        return self._sync(self.server.state_at)

    def pause(self) -> None:
        self._sync(self.server.pause)

    def set_queue(self, record: Mapping[str, Any] | wire.Queue) -> bool:
        return self._sync(lambda: self.server.set_queue(record))

    def check_queue_file(self) -> int:
        return self._sync(self.server.check_queue_file)

    def resume(self) -> None:
        self._sync(self.server.resume)

    def drop_connections(self) -> None:
        self._call(self.server.drop_connections)

    def send_raw(self, frame: str | bytes) -> None:
        self._call(lambda: self.server.send_raw(frame))

    def stop(self) -> None:
        if self._thread.is_alive() and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)

    def __enter__(self) -> SimulatorThread:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_in_thread(
    cfg: SimConfig, host: str = "127.0.0.1", port: int = 0, ssl: ssl_module.SSLContext | None = None
) -> SimulatorThread:
    """Start a simulator on its own thread; returns once it listens (raises if it cannot)."""
    return SimulatorThread(cfg, host, port, ssl).start()

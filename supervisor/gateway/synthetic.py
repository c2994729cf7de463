"""A synthetic AMI day: the simulator's day rendered as the frames Asterisk would send.

The inverse of ``floor``'s mapping, for the load benchmark, the demo
(``command-center demo --source asterisk``) and the end-to-end test; nothing here is
traffic captured from a PBX. The simulator's engine (``supervisor.sim.engine``) runs
in-process and each of its protocol events becomes what app_queue would say of it
(Asterisk 13+ names, ``Timestamp:`` as with ``timestampevents = yes``):

- ``call.queued`` → ``QueueCallerJoin`` (the caller's real number and name: the gateway
  masks them); ``call.transferred`` → ``QueueCallerLeave`` + ``QueueCallerJoin`` in the
  new queue; ``call.abandoned`` → ``QueueCallerAbandon`` + ``QueueCallerLeave``.
- an agent ``ringing`` → ``AgentCalled``; ``call.answered`` → ``QueueCallerLeave`` +
  ``AgentConnect``; ringing that ends otherwise (the caller still there) →
  ``AgentRingNoAnswer``.
- ``call.ended`` → ``AgentComplete`` with the member's ``Wrapuptime`` (Asterisk 16+) set to
  the wrap-up the simulator then gives the agent: the frame is held back, and every later
  frame behind it, until the agent's next state tells how long it was (a lookahead of one
  wrap-up in simulated time; the frames still go out in time order).
- an agent logging in / out → ``QueueMemberAdded`` / ``QueueMemberRemoved`` in each of its
  queues (dynamic members); ``break`` / ``meeting`` / ``training`` → ``QueueMemberPause``
  per queue with ``PausedReason`` (naming the state for the last two, as the gateway reads
  it), back to ``available`` → ``QueueMemberPause`` with ``Paused: 0``.
- the engine's start state → the ``QueueStatus`` items (``QueueParams``, ``QueueMember``,
  ``QueueEntry``) of the first login.

Every simulator contact becomes a queue call (Asterisk queues only calls), so offered,
answered and abandoned agree with the simulator's own events; cases, escalations and
surveys have no AMI form and are left out. Members are ``Local/<agent id>@agents``.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

from supervisor.gateway.amiserver import AmiSession, ScriptEvent
from supervisor.gateway.floor import state_word
from supervisor.sim.engine import Engine
from supervisor.timeutil import parse

Json = dict[str, Any]
PAUSED_STATES = {"break", "meeting", "training"}


def interface(agent_id: str) -> str:
    return f"Local/{agent_id}@agents"


def pause_reason(state: str, reason: str | None) -> str:
    text = reason or state
    return text if state_word(text) == state else f"{state}: {text}"


class _Agent:
    __slots__ = ("agent_id", "name", "skills", "state", "member", "paused", "ringing", "pending")

    def __init__(self, rec: Json) -> None:
        self.agent_id = rec["agent_id"]
        self.name = rec["name"]
        self.skills: list[str] = list(rec["skills"])
        self.state = rec["state"]
        self.member = rec["state"] != "offline"
        self.paused = rec["state"] in PAUSED_STATES
        self.ringing: str | None = rec["call_id"] if rec["state"] == "ringing" else None
        self.pending: list[Any] | None = None  # the held AgentComplete [t, fields, ready, end_ms]


class AmiRenderer:
    """Protocol events of the engine in, AMI frames (time, fields) out, in time order."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.base_ms = engine.start_ms
        self._uids: dict[str, str] = {}  # call_id -> Uniqueid
        self._queue: dict[str, str] = {}  # call_id -> its queue now
        self._queued_ms: dict[str, int] = {}
        self._gone: set[str] = set()  # calls answered or abandoned
        self._seq = itertools.count(1)
        self._out: deque[list[Any]] = deque()  # [t, fields, ready]
        self.agents: dict[str, _Agent] = {}
        snap = engine.snapshot()
        self._snapshot = snap
        for rec in snap["agents"]:
            self.agents[rec["agent_id"]] = _Agent(rec)
        for c in snap["waiting"]:
            self._call(c)

    # ------------------------------------------------------------------ helpers

    def _call(self, contact: Json) -> str:
        call_id = contact["call_id"]
        uid = self._uids.get(call_id)
        if uid is None:
            ms = int(parse(contact["queued_at"]).timestamp() * 1000)
            uid = self._uids[call_id] = f"{ms // 1000}.{next(self._seq)}"
            self._queued_ms[call_id] = ms
        self._queue[call_id] = contact["queue"]
        return uid

    def _t(self, ts: str) -> float:
        return (int(parse(ts).timestamp() * 1000) - self.base_ms) / 1000

    def _emit(self, t: float, fields: Json) -> None:
        self._out.append([t, fields, True])

    def _caller_id(self, contact: Json) -> tuple[str, str]:
        cust = contact.get("customer") or {}
        found = self.engine.find_customer(cust.get("id", "")) if cust.get("id") else None
        if found is not None:
            return found.phone or "", found.name or ""
        return cust.get("phone", ""), cust.get("name", "")

    def _member_fields(self, a: _Agent, queue: str) -> Json:
        return {"Queue": queue, "MemberName": a.name, "Interface": interface(a.agent_id),
                "StateInterface": interface(a.agent_id), "Membership": "dynamic", "Penalty": 0}

    # ------------------------------------------------------------------ QueueStatus

    def status(self) -> list[Json]:
        """The QueueStatus items of the engine's state when the renderer was made."""
        snap = self._snapshot
        now_ms = self.base_ms
        items: list[Json] = []
        waiting_by_queue: dict[str, list[Json]] = {}
        for c in snap["waiting"]:
            waiting_by_queue.setdefault(c["queue"], []).append(c)
        for q in snap["queues"]:
            items.append({"Event": "QueueParams", "Queue": q["id"], "Max": 0, "Strategy": "rrmemory",
                          "Calls": len(waiting_by_queue.get(q["id"], [])), "Holdtime": 0, "TalkTime": 0,
                          "Completed": 0, "Abandoned": 0, "ServiceLevel": int(q["sla_seconds"]),
                          "ServicelevelPerf": 0.0, "Weight": 0})
        for a in self.agents.values():
            if not a.member:
                continue
            status = 2 if a.state == "on_call" else 6 if a.state == "ringing" else 1
            for q in a.skills:
                items.append({"Event": "QueueMember", **self._member_fields(a, q), "CallsTaken": 0,
                              "LastCall": 0, "LastPause": 0, "InCall": 1 if a.state == "on_call" else 0,
                              "Status": status, "Paused": 1 if a.paused else 0,
                              "PausedReason": pause_reason(a.state, None) if a.paused else ""})
        for queue, contacts in waiting_by_queue.items():
            for pos, c in enumerate(contacts, 1):
                number, name = self._caller_id(c)
                items.append({"Event": "QueueEntry", "Queue": queue, "Position": pos, "Uniqueid": self._uids[c["call_id"]],
                              "CallerIDNum": number or "unknown", "CallerIDName": name or "unknown",
                              "Wait": max(0, (now_ms - self._queued_ms[c["call_id"]]) // 1000), "Priority": 0})
        return items

    # ------------------------------------------------------------------ events

    def feed(self, events: list[Json]) -> Iterator[ScriptEvent]:
        """Render engine events; yield the frames no held frame stands before."""
        for ev in events:
            fn = _RENDER.get(ev["type"])
            if fn is not None:
                fn(self, ev)
        yield from self._release()

    def flush(self) -> Iterator[ScriptEvent]:
        """The end of the run: held frames go with the wrap-up seen so far."""
        for a in self.agents.values():
            if a.pending is not None:
                a.pending[2] = True
                a.pending = None
        yield from self._release()

    def _release(self) -> Iterator[ScriptEvent]:
        out = self._out
        while out and out[0][2]:
            item = out.popleft()
            t, fields = item[0], item[1]
            yield t, fields

    def _queued(self, ev: Json) -> None:
        c = ev["data"]["contact"]
        uid = self._call(c)
        number, name = self._caller_id(c)
        self._emit(self._t(ev["ts"]), {"Event": "QueueCallerJoin", "Queue": c["queue"], "Uniqueid": uid,
                                       "Channel": f"PJSIP/trunk-{uid}", "CallerIDNum": number or "unknown",
                                       "CallerIDName": name or "unknown", "Position": 1, "Count": 1,
                                       "Priority": c.get("priority", 0)})

    def _transferred(self, ev: Json) -> None:
        d = ev["data"]
        call_id = d["call_id"]
        uid = self._uids.get(call_id)
        if uid is None:
            return
        t = self._t(ev["ts"])
        self._emit(t, {"Event": "QueueCallerLeave", "Queue": self._queue[call_id], "Uniqueid": uid,
                       "Position": 1, "Count": 0})
        self._queue[call_id] = d["queue"]
        self._emit(t, {"Event": "QueueCallerJoin", "Queue": d["queue"], "Uniqueid": uid,
                       "Channel": f"PJSIP/trunk-{uid}", "Position": 1, "Count": 1})

    def _hold(self, call_id: str, ts: str) -> int:
        return max(0, (int(parse(ts).timestamp() * 1000) - self._queued_ms.get(call_id, 0)) // 1000)

    def _abandoned(self, ev: Json) -> None:
        call_id = ev["data"]["call_id"]
        uid = self._uids.get(call_id)
        if uid is None:
            return
        self._gone.add(call_id)
        t = self._t(ev["ts"])
        queue = self._queue[call_id]
        self._emit(t, {"Event": "QueueCallerAbandon", "Queue": queue, "Uniqueid": uid, "Position": 1,
                       "OriginalPosition": 1, "HoldTime": self._hold(call_id, ev["ts"])})
        self._emit(t, {"Event": "QueueCallerLeave", "Queue": queue, "Uniqueid": uid, "Position": 1, "Count": 0})

    def _answered(self, ev: Json) -> None:
        d = ev["data"]
        call_id = d["call_id"]
        uid = self._uids.get(call_id)
        a = self.agents.get(d["agent_id"])
        if uid is None or a is None:
            return
        self._gone.add(call_id)
        t = self._t(ev["ts"])
        queue = self._queue[call_id]
        self._emit(t, {"Event": "QueueCallerLeave", "Queue": queue, "Uniqueid": uid, "Position": 1, "Count": 0})
        self._emit(t, {"Event": "AgentConnect", **self._member_fields(a, queue), "Uniqueid": uid,
                       "HoldTime": self._hold(call_id, ev["ts"]), "RingTime": 0})

    def _ended(self, ev: Json) -> None:
        d = ev["data"]
        call_id = d["call_id"]
        uid = self._uids.get(call_id)
        a = self.agents.get(d["agent_id"])
        if uid is None or a is None:
            return
        ms = int(parse(ev["ts"]).timestamp() * 1000)
        queue = self._queue.get(call_id, a.skills[0] if a.skills else "")
        held = [self._t(ev["ts"]), {"Event": "AgentComplete", **self._member_fields(a, queue), "Uniqueid": uid,
                                    "HoldTime": 0, "TalkTime": 0, "Reason": "agent", "Wrapuptime": 0}, False, ms]
        if a.pending is not None:  # a second end before the wrap-up of the first was told
            a.pending[2] = True
        a.pending = held
        self._out.append(held)
        for key in (call_id,):
            self._uids.pop(key, None)
            self._queue.pop(key, None)
            self._queued_ms.pop(key, None)
            self._gone.discard(key)

    def _agent_state(self, ev: Json) -> None:
        rec = ev["data"]["agent"]
        a = self.agents.get(rec["agent_id"])
        if a is None:
            a = self.agents[rec["agent_id"]] = _Agent({**rec, "state": "offline"})
        new = rec["state"]
        t = self._t(ev["ts"])
        if new == "wrap_up":
            a.state = new
            return
        if a.pending is not None:
            end_ms = a.pending[3]
            now_ms = int(parse(ev["ts"]).timestamp() * 1000)
            a.pending[1]["Wrapuptime"] = f"{max(0, now_ms - end_ms) / 1000:.3f}"
            a.pending[2] = True
            a.pending = None
        if a.state == "ringing" and a.ringing is not None and new != "on_call":
            call_id = a.ringing
            if call_id not in self._gone and call_id in self._uids:
                self._emit(t, {"Event": "AgentRingNoAnswer", **self._member_fields(a, self._queue[call_id]),
                               "Uniqueid": self._uids[call_id], "RingTime": 0})
        a.ringing = None
        a.skills = list(rec["skills"]) or a.skills
        if new == "ringing":
            call_id = rec.get("call_id")
            if call_id in self._uids:
                a.ringing = call_id
                self._emit(t, {"Event": "AgentCalled", **self._member_fields(a, self._queue[call_id]),
                               "Uniqueid": self._uids[call_id], "DestChannel": f"{interface(a.agent_id)}-ring"})
        elif new == "offline":
            if a.member:
                for q in a.skills:
                    self._emit(t, {"Event": "QueueMemberRemoved", **self._member_fields(a, q)})
            a.member = a.paused = False
        elif new == "available" or new in PAUSED_STATES:
            paused = new in PAUSED_STATES
            reason = pause_reason(new, rec.get("reason")) if paused else ""
            if not a.member:
                for q in a.skills:
                    self._emit(t, {"Event": "QueueMemberAdded", **self._member_fields(a, q), "Status": 1,
                                   "Paused": 1 if paused else 0, "PausedReason": reason})
                a.member = True
            elif paused or a.paused:
                for q in a.skills:
                    self._emit(t, {"Event": "QueueMemberPause", **self._member_fields(a, q), "Status": 1,
                                   "Paused": 1 if paused else 0, "PausedReason": reason})
            a.paused = paused
        a.state = new


_RENDER: dict[str, Callable[[AmiRenderer, Json], None]] = {
    "call.queued": AmiRenderer._queued,
    "call.transferred": AmiRenderer._transferred,
    "call.abandoned": AmiRenderer._abandoned,
    "call.answered": AmiRenderer._answered,
    "call.ended": AmiRenderer._ended,
    "agent.state": AmiRenderer._agent_state,
}


def synthetic_session(engine: Engine, until: datetime | None = None, step_s: float = 60.0,
                      tap: Callable[[list[Json]], None] | None = None, after: str = "hold") -> AmiSession:
    """The AMI script of the engine's run from now to ``until`` (or its own end): the
    QueueStatus of its start state and the frames of its events, rendered lazily as the
    AMI server sends them. ``tap`` sees the engine's own events (for comparison)."""
    renderer = AmiRenderer(engine)
    end_ms = int(until.timestamp() * 1000) if until is not None else engine.end_ms
    if end_ms is None:
        raise ValueError("a synthetic session needs an end: until, or an engine made with hours")

    def frames() -> Iterator[ScriptEvent]:
        step = int(step_s * 1000)
        while engine.now_ms < end_ms:
            events = engine.advance_ms(min(end_ms, engine.now_ms + step))
            if tap is not None:
                tap(events)
            yield from renderer.feed(events)
        yield from renderer.flush()

    return AmiSession(renderer.status(), frames(), after)


class DemoPbx:
    """``command-center demo --source asterisk``: a synthetic AMI day served by the AMI
    server and the real gateway in front of it, both on loopback on their own thread.
    ``url`` is the gateway's websocket; ``stop()`` ends both."""

    def __init__(self, seed: int, start: datetime, agents: int = 60, speed: float = 1.0,
                 hours: float = 24.0, heartbeat_s: float = 5.0) -> None:
        import asyncio
        import threading

        from supervisor.gateway.amiserver import AmiServer
        from supervisor.gateway.server import GatewayConfig, GatewayServer

        self.engine = Engine(seed, start, agents=agents, hours=hours)
        self._loop = asyncio.new_event_loop()
        self.ami = AmiServer([synthetic_session(self.engine)], user="demo", secret="demo",
                             base=self.engine.start_ms / 1000, speed=speed)
        self._thread = threading.Thread(target=self._loop.run_forever, name="demo-pbx", daemon=True)
        self._thread.start()
        self._call(self.ami.start())
        cfg = GatewayConfig(ami_host="127.0.0.1", ami_port=self.ami.port, ami_user="demo", ami_secret="demo",
                            queues=list(self.engine.queues), tz=start.tzinfo or timezone.utc,
                            heartbeat_s=heartbeat_s, clock=self.ami.now)
        self.gateway = GatewayServer(cfg)
        self._call(self.gateway.start())

    def _call(self, coro: Any) -> Any:
        import asyncio

        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(30)

    @property
    def url(self) -> str:
        return self.gateway.url

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        try:
            self._call(self.gateway.stop())
            self._call(self.ami.stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

"""The gateway's core: AMI frames in, PROTOCOL.md events out. Sans-I/O: no sockets, no
clock (every call is given the time, in epoch milliseconds), no threads.

The state is rebuilt from ``QueueStatus`` on every (re)connect (``status_begin`` …
``status_item`` … ``status_end``, which yields one ``snapshot``); in between, the event
stream is mapped one frame at a time (``handle``). Asterisk 13+ names and the Asterisk 11
ones (``Join``, ``Leave``, ``QueueMemberPaused``, ``AgentCalled: iface``) both work.

- An agent is a queue member, keyed by its interface (``Local/1001@agents``,
  ``PJSIP/1001``): the same in every queue it serves (its ``skills``) and across
  reconnects. Its state follows from what is known of it, strongest first: talking to
  a queue caller, ringing for one, in wrap-up, logged out or unreachable (offline),
  paused in every queue (``break``, or ``meeting``/``training`` when the pause reason
  says so, the reason kept), a device busy outside the queues (``on_call``), ringing,
  else available.
- A caller is a queue entry, keyed by its channel's ``Uniqueid``: joined in a queue it is
  ``call.queued``; joining another while known is ``call.transferred`` (its wait clock
  keeps running); ``AgentConnect`` answers it, ``QueueCallerAbandon`` abandons it. A
  ``QueueCallerLeave`` that is neither (exit key, queue timeout) waits ``LEAVE_GRACE_MS``
  for what follows on the same channel: a join elsewhere is a transfer, an answer an
  answer; nothing, or its hangup, is an abandon at the time it left.
- Timers (a leave's grace, a wrap-up's end) run on the event stream's clock, not the
  gateway's: ``heard`` is the time the last frame told, and ``stream_time`` runs it on
  only by how long the stream has been quiet. Frames stamped before a timer's due time
  can still be on their way when the gateway's clock has passed it (AMI delivering late,
  a gateway catching up on a backlog, a Ping that told a clock ahead of the events): a
  ``QueueCallerLeave`` and the ``AgentConnect`` of the same instant, split across two
  reads, must stay one answered call, not an abandon and a second ``call.queued``.
- Wrap-up: after ``AgentComplete`` the agent is in ``wrap_up`` for the member's
  ``Wrapuptime`` (Asterisk 16+ sends it per member) or the queue's ``wrapuptime`` from
  the queues file, then available: the end is a timer (``due``/``tick``), as in Asterisk.
- Customer data: numbers and names are masked in every event; the raw values stay in
  memory for ``customer()`` (``customer.reveal``) while the call is live.
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from supervisor import masking, wire
from supervisor.gateway.ami import Frame
from supervisor.sim import queues as queue_records
from supervisor.timeutil import fmt

Json = dict[str, Any]
Event = dict[str, Any]  # {"type", "ts", "data"}: a stream event before its seq
LEAVE_GRACE_MS = 5_000

# device states of app_queue / devicestate.h
DEV_UNKNOWN, DEV_NOT_INUSE, DEV_INUSE, DEV_BUSY, DEV_INVALID, DEV_UNAVAILABLE, DEV_RINGING, DEV_RINGINUSE, DEV_ONHOLD = range(9)
_BUSY = {DEV_INUSE, DEV_BUSY, DEV_ONHOLD, DEV_RINGINUSE}
_GONE = {DEV_INVALID, DEV_UNAVAILABLE}
_NO_NAME = {"", "<unknown>", "unknown", "anonymous"}


@dataclass
class Member:
    agent_id: str
    name: str = ""
    paused: dict[str, tuple[bool, str]] = field(default_factory=dict)  # queue -> (paused, reason)
    device: int = DEV_NOT_INUSE
    wrapup_s: float = 0.0  # the member's own Wrapuptime (Asterisk 16+); 0: the queue's
    talking: str | None = None  # call id of the queue call it is on
    ringing: str | None = None
    wrap_until: int | None = None
    wrap_call: str | None = None
    since: int = 0
    pause_since: int | None = None
    last: tuple[Any, ...] | None = None  # what was last said of it: (state, reason, call_id, skills)


@dataclass
class Caller:
    call_id: str
    uniqueid: str
    queue: str
    queued_at: int
    number: str
    name: str
    priority: int = 0
    left_at: int | None = None  # left a queue without an outcome yet
    agent: str | None = None  # answered by


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(float(text)) if text not in (None, "") else default
    except ValueError:
        return default


def _float(text: str | None, default: float = 0.0) -> float:
    try:
        return float(text) if text not in (None, "") else default
    except ValueError:
        return default


def _interface(f: Frame) -> str:
    # 13+: Interface; 11: Location (QueueMember*), Member (AgentConnect), AgentCalled (AgentCalled)
    for key in ("interface", "location", "member", "agentcalled", "stateinterface"):
        value = f.get(key)
        if value:
            return value
    return f.get("membername") or f.get("name") or ""


def _uniqueid(f: Frame) -> str:
    return f.get("uniqueid") or f.get("linkedid") or f.get("channel") or ""


def call_id_of(uniqueid: str) -> str:
    return f"c-{uniqueid}"


def customer_id_of(uniqueid: str) -> str:
    return "k-" + hashlib.sha256(uniqueid.encode()).hexdigest()[:12]


def state_word(reason: str) -> str:
    """The protocol state of a pause with this reason."""
    low = reason.lower()
    for word in ("meeting", "training"):
        if word in low:
            return word
    return "break"


class AsteriskFloor:
    """The live floor as the gateway knows it from AMI."""

    def __init__(self, queue_file_records: list[Json] | None = None, wrapup: dict[str, float] | None = None,
                 tz: tzinfo = timezone(timedelta(hours=8))) -> None:
        self.tz = tz
        self.configured = {r["id"]: queue_records.merge(r, None) for r in (queue_file_records or [])}
        self.queues: dict[str, Json] = dict(self.configured)
        self.wrapup = dict(wrapup or {})
        self.members: dict[str, Member] = {}
        self.callers: dict[str, Caller] = {}  # by uniqueid
        self._collecting: dict[str, list[Frame]] | None = None
        self._held: list[tuple[Frame, int]] = []
        self.ignored = 0
        # timers (when, 0 wrap-up end | 1 leave decided, member interface | caller uniqueid),
        # checked against the member or caller when due: O(log n) a frame, not O(agents)
        self._timers: list[tuple[int, int, str]] = []
        self._rung: dict[str, list[Member]] = {}  # call id -> members rung for it
        self.heard: int | None = None  # the stream's clock: the time the last frame (or QueueStatus) told

    # ------------------------------------------------------------------ helpers

    def stamp(self, ms: int) -> str:
        return fmt(datetime.fromtimestamp(ms / 1000, self.tz))

    @staticmethod
    def event_time(f: Frame, now_ms: int) -> int:
        """AMI's ``Timestamp:`` (timestampevents=yes) when present, else the given clock."""
        ts = f.get("timestamp")
        if ts:
            try:
                return int(round(float(ts) * 1000))
            except ValueError:
                pass
        return now_ms

    def _queue(self, name: str, now: int, out: list[Event]) -> None:
        if name and name not in self.queues:
            self.queues[name] = queue_records.base_record(name)
            out.append({"type": "queue.updated", "ts": self.stamp(now), "data": {"queue": dict(self.queues[name])}})

    def _member(self, f: Frame) -> Member | None:
        iface = _interface(f)
        if not iface:
            return None
        m = self.members.get(iface)
        if m is None:
            m = self.members[iface] = Member(iface)
        name = f.get("membername") or f.get("name") or f.get("agentname") or ""
        if name and name != iface:
            m.name = name
        if not m.name:
            m.name = iface
        wrap = f.get("wrapuptime")
        if wrap not in (None, ""):
            m.wrapup_s = _float(wrap)
        return m

    def _state(self, m: Member) -> tuple[str, str | None, str | None]:
        if m.talking:
            return "on_call", None, m.talking
        if m.ringing:
            return "ringing", None, m.ringing
        if m.wrap_until is not None:
            return "wrap_up", None, m.wrap_call
        if not m.paused or m.device in _GONE:
            return "offline", None, None
        if all(p for p, _ in m.paused.values()):
            reasons = [r for p, r in m.paused.values() if r]
            reason = reasons[0] if reasons else None
            return state_word(reason or ""), reason, None
        if m.device in _BUSY:
            return "on_call", None, None
        if m.device == DEV_RINGING:
            return "ringing", None, None
        return "available", None, None

    def _record(self, m: Member) -> Json:
        state, reason, call_id = self._state(m)
        return {"agent_id": m.agent_id, "name": m.name, "team": "", "skills": sorted(m.paused),
                "state": state, "reason": reason, "since": self.stamp(m.since), "call_id": call_id}

    def _say(self, m: Member, now: int, out: list[Event], since: int | None = None) -> None:
        """An ``agent.state`` when what is known of the agent changed."""
        state, reason, call_id = self._state(m)
        key = (state, reason, call_id, tuple(sorted(m.paused)))
        if key == m.last:
            return
        if m.last is None or (state, reason, call_id) != m.last[:3]:
            m.since = now if since is None else since
        m.last = key
        out.append({"type": "agent.state", "ts": self.stamp(now), "data": {"agent": self._record(m)}})

    def _contact(self, c: Caller) -> Json:
        return {
            "call_id": c.call_id, "queue": c.queue, "channel": "voice", "priority": c.priority,
            "customer": {"id": customer_id_of(c.uniqueid), "name": masking.mask_name(c.name) if c.name else "",
                         "phone": masking.mask_phone(c.number) if c.number else "",
                         "segment": "standard", "masked": True},
            "queued_at": self.stamp(c.queued_at), "case_id": None,
        }

    def _caller(self, f: Frame, queue: str, queued_at: int) -> Caller:
        uid = _uniqueid(f)
        number = f.get("calleridnum", "")
        name = f.get("calleridname", "")
        return Caller(call_id_of(uid), uid, queue, queued_at,
                      "" if number.lower() in _NO_NAME else number,
                      "" if name.lower() in _NO_NAME else name, _int(f.get("priority")))

    def _release_ringing(self, call_id: str, now: int, out: list[Event], but: Member | None = None) -> None:
        for other in self._rung.pop(call_id, ()):
            if other.ringing == call_id and other is not but and self.members.get(other.agent_id) is other:
                other.ringing = None
                self._say(other, now, out)

    # ------------------------------------------------------------------ QueueStatus

    def status_begin(self) -> None:
        """A QueueStatus was asked: its items come next; events meanwhile are held."""
        self._collecting = {"queueparams": [], "queuemember": [], "queueentry": []}
        self._held = []

    @property
    def collecting(self) -> bool:
        return self._collecting is not None

    def status_item(self, f: Frame) -> None:
        if self._collecting is not None:
            self._collecting.setdefault(f.get("event", "").lower(), []).append(f)

    def status_end(self, now: int) -> list[Event]:
        """The state as QueueStatus told it, as one ``snapshot``; then the held events."""
        got = self._collecting or {}
        self._collecting = None
        self._hear(now)
        self._rung = {}
        self.queues = dict(self.configured)
        for f in got.get("queueparams", []):
            name = f.get("queue", "")
            if name and name not in self.queues:
                self.queues[name] = queue_records.base_record(name)
        before = self.members
        self.members = {}
        for f in got.get("queuemember", []):
            queue = f.get("queue", "")
            iface = _interface(f)
            if not iface or not queue:
                continue
            m = self.members.get(iface)
            if m is None:
                old = before.get(iface)
                m = self.members[iface] = Member(iface)
                if old is not None:  # what memory knows and QueueStatus does not contradict
                    m.name, m.wrapup_s, m.since, m.last = old.name, old.wrapup_s, old.since, old.last
                    if old.wrap_until is not None and old.wrap_until > now:
                        m.wrap_until, m.wrap_call = old.wrap_until, old.wrap_call
                        heapq.heappush(self._timers, (old.wrap_until, 0, iface))
                    in_call = f.get("incall")
                    busy = _int(in_call) == 1 if in_call not in (None, "") else _int(f.get("status")) in _BUSY
                    if old.talking and busy:
                        m.talking = old.talking
            self._member(f)
            self.queues.setdefault(queue, queue_records.base_record(queue))
            reason = f.get("pausedreason", "")
            m.paused[queue] = (f.get("paused") == "1", reason)
            m.device = _int(f.get("status"), DEV_NOT_INUSE)
            last_pause = _int(f.get("lastpause"))
            if f.get("paused") == "1" and last_pause > 0:
                m.pause_since = last_pause * 1000
        old_callers = self.callers
        self.callers = {uid: c for uid, c in old_callers.items() if c.agent is not None and any(
            m.talking == c.call_id for m in self.members.values())}
        for f in got.get("queueentry", []):
            uid = _uniqueid(f)
            queue = f.get("queue", "")
            if not uid or not queue:
                continue
            self.queues.setdefault(queue, queue_records.base_record(queue))
            old_c = old_callers.get(uid)
            if old_c is not None and old_c.agent is None:
                c = old_c  # the same contact, counted once: its first queued_at stays
                c.queue, c.left_at = queue, None
            else:
                c = self._caller(f, queue, now - int(_float(f.get("wait")) * 1000))
            self.callers[uid] = c
        agents = []
        for m in self.members.values():
            st, why, on = self._state(m)
            key = (st, why, on, tuple(sorted(m.paused)))
            state = st
            if m.last is None or key[:3] != m.last[:3]:
                m.since = m.pause_since if (m.pause_since and state in ("break", "meeting", "training")) else now
            m.last = key
            agents.append(self._record(m))
        waiting = [self._contact(c) for c in self.callers.values() if c.agent is None]
        out: list[Event] = [{"type": "snapshot", "ts": self.stamp(now), "data": {
            "queues": [dict(q) for q in self.queues.values()], "agents": agents, "waiting": waiting,
            "cases": [], "escalations": [], "departments": []}}]
        held, self._held = self._held, []
        for frame, t in held:
            out.extend(self.handle(frame, t))
        return out

    def snapshot_data(self) -> Json:
        """The live state now, as snapshot data (for a subscriber without a resume)."""
        return {"queues": [dict(q) for q in self.queues.values()],
                "agents": [self._record(m) for m in self.members.values()],
                "waiting": [self._contact(c) for c in self.callers.values() if c.agent is None and c.left_at is None],
                "cases": [], "escalations": [], "departments": []}

    # ------------------------------------------------------------------ timers

    def _live_timer(self, t: int, kind: int, key: str) -> bool:
        if kind == 0:
            m = self.members.get(key)
            return m is not None and m.wrap_until == t
        c = self.callers.get(key)
        return c is not None and c.left_at is not None and c.left_at + LEAVE_GRACE_MS == t

    def _hear(self, now: int) -> None:
        # the last time told, not the latest: after a QueueStatus (told at the gateway's clock)
        # the first stamped frame sets the stream's clock, even when that is earlier
        self.heard = now

    def stream_time(self, now: int, quiet_ms: float) -> int:
        """The time ``tick`` goes by between frames: the stream's clock (``heard``) run on by
        how long the stream has been quiet (``quiet_ms``, measured by the caller since the
        last frame), never later than the gateway's clock ``now``. A timer due by ``now``
        but not by the stream waits: what decides it may be stamped earlier and unread."""
        if self.heard is None:
            return now
        return min(now, self.heard + max(0, int(quiet_ms)))

    def due(self) -> int | None:
        """When ``tick`` has something to do (epoch ms), or None."""
        timers = self._timers
        while timers and not self._live_timer(*timers[0]):
            heapq.heappop(timers)  # a wrap-up or a leave that something else ended first
        return timers[0][0] if timers else None

    def tick(self, now: int) -> list[Event]:
        out: list[Event] = []
        timers = self._timers
        while True:
            due = self.due()
            if due is None or due > now:
                return out
            t, kind, key = heapq.heappop(timers)
            if kind == 0:
                m = self.members[key]
                m.wrap_until = m.wrap_call = None
                self._say(m, t, out, since=t)
            else:
                c = self.callers[key]
                self._abandon(c, t, c.left_at if c.left_at is not None else t, out)

    # ------------------------------------------------------------------ events

    def handle(self, f: Frame, now: int) -> list[Event]:
        """One AMI event at ``now`` (use ``event_time``); the protocol events it means."""
        if self._collecting is not None:
            self._held.append((f, now))
            return []
        self._hear(now)
        out = self.tick(now)
        name = f.get("event", "").lower()
        fn = _HANDLERS.get(name)
        if fn is None:
            self.ignored += 1
            return out
        fn(self, f, now, out)
        return out

    def _join(self, f: Frame, now: int, out: list[Event]) -> None:
        queue = f.get("queue", "")
        uid = _uniqueid(f)
        if not uid or not queue:
            return
        self._queue(queue, now, out)
        c = self.callers.get(uid)
        if c is not None and c.agent is None:
            if c.queue == queue and c.left_at is None:
                return  # told twice (an event held across QueueStatus)
            c.queue, c.left_at = queue, None
            out.append({"type": "call.transferred", "ts": self.stamp(now),
                        "data": {"call_id": c.call_id, "queue": queue, "at": self.stamp(now)}})
            return
        c = self.callers[uid] = self._caller(f, queue, now)
        out.append({"type": "call.queued", "ts": self.stamp(now), "data": {"contact": self._contact(c)}})

    def _known(self, f: Frame, now: int, out: list[Event]) -> Caller | None:
        """The caller of an outcome; one never seen joining is told from the event's own
        HoldTime (it was in the queue that long), so the outcome is not lost."""
        uid = _uniqueid(f)
        if not uid:
            return None
        c = self.callers.get(uid)
        if c is not None:
            return c
        queue = f.get("queue", "")
        if not queue:
            return None
        self._queue(queue, now, out)
        hold = _float(f.get("holdtime"))
        c = self.callers[uid] = self._caller(f, queue, now - int(hold * 1000))
        out.append({"type": "call.queued", "ts": self.stamp(now), "data": {"contact": self._contact(c)}})
        return c

    def _leave(self, f: Frame, now: int, out: list[Event]) -> None:
        c = self.callers.get(_uniqueid(f))
        if c is None or c.agent is not None:
            return
        if c.queue == f.get("queue", c.queue) and c.left_at is None:
            c.left_at = now
            heapq.heappush(self._timers, (now + LEAVE_GRACE_MS, 1, c.uniqueid))

    def _abandon(self, c: Caller, now: int, at: int, out: list[Event]) -> None:
        self.callers.pop(c.uniqueid, None)
        out.append({"type": "call.abandoned", "ts": self.stamp(now),
                    "data": {"call_id": c.call_id, "at": self.stamp(at)}})
        self._release_ringing(c.call_id, now, out)

    def _caller_abandon(self, f: Frame, now: int, out: list[Event]) -> None:
        c = self._known(f, now, out)
        if c is not None and c.agent is None:
            self._abandon(c, now, now, out)

    def _hangup(self, f: Frame, now: int, out: list[Event]) -> None:
        c = self.callers.get(_uniqueid(f))
        if c is not None and c.agent is None and c.left_at is not None:
            self._abandon(c, now, c.left_at, out)

    def _called(self, f: Frame, now: int, out: list[Event]) -> None:
        m = self._member(f)
        c = self.callers.get(_uniqueid(f))
        if m is None or c is None or c.agent is not None:
            return
        queue = f.get("queue", "")
        self._queue(queue, now, out)
        if queue and queue not in m.paused:
            m.paused[queue] = (False, "")
        m.ringing = c.call_id
        self._rung.setdefault(c.call_id, []).append(m)
        self._say(m, now, out)

    def _no_answer(self, f: Frame, now: int, out: list[Event]) -> None:
        m = self._member(f)
        if m is not None and m.ringing is not None:
            m.ringing = None
            self._say(m, now, out)

    def _connect(self, f: Frame, now: int, out: list[Event]) -> None:
        m = self._member(f)
        c = self._known(f, now, out)
        if m is None or c is None or c.agent is not None:
            return
        c.agent, c.left_at = m.agent_id, None
        out.append({"type": "call.answered", "ts": self.stamp(now),
                    "data": {"call_id": c.call_id, "agent_id": m.agent_id, "at": self.stamp(now)}})
        m.ringing, m.talking, m.wrap_until, m.wrap_call = None, c.call_id, None, None
        if c.queue not in m.paused:
            m.paused[c.queue] = (False, "")
        self._say(m, now, out)
        self._release_ringing(c.call_id, now, out, but=m)

    def _complete(self, f: Frame, now: int, out: list[Event]) -> None:
        m = self._member(f)
        if m is None:
            return
        c = self.callers.get(_uniqueid(f))
        if c is not None and c.agent == m.agent_id:
            self.callers.pop(c.uniqueid, None)
            out.append({"type": "call.ended", "ts": self.stamp(now),
                        "data": {"call_id": c.call_id, "agent_id": m.agent_id, "at": self.stamp(now), "case_id": None}})
            wrap = m.wrapup_s or self.wrapup.get(c.queue, 0.0)
            if wrap > 0:
                m.wrap_until, m.wrap_call = now + int(wrap * 1000), c.call_id
                heapq.heappush(self._timers, (m.wrap_until, 0, m.agent_id))
        m.talking = None
        self._say(m, now, out)

    def _member_status(self, f: Frame, now: int, out: list[Event]) -> None:
        m = self._member(f)
        queue = f.get("queue", "")
        if m is None:
            return
        if queue:
            self._queue(queue, now, out)
            was = m.paused.get(queue, (False, ""))
            paused = f.get("paused", "1" if was[0] else "0") == "1"
            reason = f.get("pausedreason", was[1] if paused else "")
            m.paused[queue] = (paused, reason if paused else "")
        if f.get("status"):
            m.device = _int(f.get("status"), m.device)
        self._say(m, now, out)

    def _pause(self, f: Frame, now: int, out: list[Event]) -> None:
        m = self._member(f)
        if m is None:
            return
        paused = f.get("paused") == "1"
        reason = (f.get("pausedreason") or f.get("reason") or "") if paused else ""
        if reason == "<nil>":
            reason = ""
        queue = f.get("queue", "")
        targets = [queue] if queue else list(m.paused)
        for q in targets:
            self._queue(q, now, out)
            m.paused[q] = (paused, reason)
        if f.get("status"):
            m.device = _int(f.get("status"), m.device)
        self._say(m, now, out)

    def _added(self, f: Frame, now: int, out: list[Event]) -> None:
        self._member_status(f, now, out)

    def _removed(self, f: Frame, now: int, out: list[Event]) -> None:
        m = self._member(f)
        if m is None:
            return
        m.paused.pop(f.get("queue", ""), None)
        self._say(m, now, out)

    # ------------------------------------------------------------------ reveal

    def customer(self, customer_id: str) -> Json | None:
        """The unmasked customer of a live call, or None."""
        for c in self.callers.values():
            if customer_id_of(c.uniqueid) == customer_id:
                return {"id": customer_id, "name": c.name, "phone": c.number, "segment": "standard", "masked": False}
        return None


_HANDLERS = {
    "queuecallerjoin": AsteriskFloor._join, "join": AsteriskFloor._join,
    "queuecallerleave": AsteriskFloor._leave, "leave": AsteriskFloor._leave,
    "queuecallerabandon": AsteriskFloor._caller_abandon,
    "hangup": AsteriskFloor._hangup,
    "agentcalled": AsteriskFloor._called,
    "agentringnoanswer": AsteriskFloor._no_answer, "agentdump": AsteriskFloor._no_answer,
    "agentconnect": AsteriskFloor._connect,
    "agentcomplete": AsteriskFloor._complete,
    "queuememberstatus": AsteriskFloor._member_status,
    "queuememberpause": AsteriskFloor._pause, "queuememberpaused": AsteriskFloor._pause,
    "queuememberadded": AsteriskFloor._added,
    "queuememberremoved": AsteriskFloor._removed,
}

# the protocol's records, for a reader: what this module promises to produce
PRODUCES = (wire.Snapshot, wire.CallQueued, wire.CallTransferred, wire.CallAnswered, wire.CallAbandoned,
            wire.CallEnded, wire.AgentStateChanged, wire.QueueUpdated)

"""``command-center import queue-log FILE --db DB``: Asterisk's ``queue_log`` history into
the journal, so ``kpi`` and ``export`` cover months from before the command center.

The file (docs.asterisk.org, "Queue Logs") has one event a line,
``epoch|callid|queuename|agent|event|data1|data2|…``: a Unix time in seconds, the
caller channel's ``Uniqueid`` ("NONE" for a member's own lines), the queue ("NONE" for
all queues), the member (its name as app_queue logs it: the interface unless
``membername`` is set; "NONE" for a caller's own lines), the verb and its parameters.
Each line is mapped in file order, sans-I/O, by ``QueueLogMapper`` into the stream events
of PROTOCOL.md, the way the gateway maps the same moments from AMI:

- ``ENTERQUEUE(url|callerid|origposition[|calleridname])`` → ``call.queued`` (the number
  and name masked; the customer id is the gateway's, from the caller's Uniqueid). A caller
  who left a queue (``EXIT*``) and enters another within ``LEAVE_GRACE_S`` is
  ``call.transferred``, its wait clock running from its first entry.
- ``CONNECT(holdtime|bridgeduniqueid|ringtime)`` → ``call.answered`` and the member
  ``on_call``.
- ``COMPLETEAGENT`` / ``COMPLETECALLER(holdtime|calltime|origposition)`` and a transfer
  by the member, ``TRANSFER(extension|context|holdtime|calltime|origposition)``,
  ``BLINDTRANSFER`` (same fields), ``ATTENDEDTRANSFER(method|method-data|holdtime|calltime|
  origposition)`` → ``call.ended``; the member goes to ``wrap_up`` for the queue's
  ``wrapuptime`` from ``--queues`` (queue_log does not say when wrap-up ends), else back.
- ``ABANDON(position|origposition|waittime)`` → ``call.abandoned``.
- ``EXITWITHTIMEOUT(position|origposition|waittime)``, ``EXITEMPTY`` (same fields),
  ``EXITWITHKEY(key|position|origposition|waittime)``: the caller left without an agent;
  entering another queue within ``LEAVE_GRACE_S`` is a transfer, otherwise it is
  ``call.abandoned`` at the time it left (as the gateway decides ``QueueCallerLeave``).
- ``ADDMEMBER`` / ``REMOVEMEMBER`` (the member joins or leaves the queue),
  ``PAUSE(reason)`` / ``UNPAUSE`` (one queue; the reason is PauseQueueMember's),
  ``PAUSEALL(reason)`` / ``UNPAUSEALL``, ``AGENTLOGIN(channel)`` / ``AGENTLOGOFF(channel|
  logintime)`` and the old ``AGENTCALLBACKLOGIN`` / ``AGENTCALLBACKLOGOFF`` → ``agent.state``,
  with the gateway's rules: paused in every queue it serves is ``break`` (``meeting`` or
  ``training`` when the reason says so, the reason kept), in no queue or logged off is
  ``offline``, else ``available``.
- ``RINGNOANSWER(ringtime)`` tells that the member serves the queue; ``AGENTDUMP``,
  ``RINGCANCELED``, ``SYSCOMPAT``, ``JOINEMPTY``/``JOINUNAVAIL`` (the caller never
  waited: not offered), ``QUEUESTART``, ``CONFIGRELOAD`` and QueueMetrics' ``INFO``,
  ``CALLERONHOLD``/``CALLEROFFHOLD`` change nothing the figures measure: read, not used.
  A verb not listed here is counted and named in the summary, never an error.
- An outcome line (``CONNECT``, ``COMPLETE*``, ``ABANDON``, ``EXIT*``) of a caller whose
  ``ENTERQUEUE`` is not in the file (it is in the rotated file before) is told from its
  own hold, wait and call times, so the outcome is not lost. A caller who enters a queue
  again after an outcome (transferred back into a queue by an agent) is a new contact,
  ``c-<uniqueid>-2``.

Idempotency (the journal is unique on (epoch, seq, part)): each UTC day of the file is
its own epoch, ``qlog-YYYYMMDD-<hash of the first line of that day in this file>``, and
the events of that day's lines are numbered 1, 2, 3 … in file order. The mapping never
looks ahead (a decision that waits, the end of a wrap-up or of an exit's grace, is made
by the first later line past it), so the events of a file's first N lines are the same
whatever follows: importing the same file again adds nothing, and a file that has grown
since adds only the events of its new lines. A last line without its newline is still
being written and waits for the next import. A rotated file (``queue_log.1``) keeps its
first lines, so its epochs; the new ``queue_log`` starts with other lines, so other
epochs, and numbering never collides. The day of an epoch is the UTC day, so a second
import with another ``--center-tz`` finds its rows already there. Queue records of
``--queues`` (a queue not listed: 900 s / 600 s and its Asterisk name, as the gateway
says) are journaled as ``queue.updated`` at the first line naming the queue, each
record in its own one-event epoch (``qlogq-<hash of the record>``), so adding or
changing ``--queues`` later adds the records without renumbering any day.

Not covered: ringing time (queue_log says how long a member rang only when it is over);
a concatenation of files already imported is not recognised as them; history imported
after live events of the same agents is read after them (journal order), so import a
PBX's history before recording it live, oldest file first.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

from supervisor import masking, wire
from supervisor.errors import CommandCenterError, UsageError
from supervisor.gateway.floor import call_id_of, customer_id_of, state_word
from supervisor.sim import queues as queue_records
from supervisor.timeutil import fmt

Json = dict[str, Any]
Event = dict[str, Any]  # {"type", "ts", "data"}, before its epoch and seq
LEAVE_GRACE_S = 5.0
MAX_REPORTED = 50  # bad lines told one by one; the rest counted
BATCH = 5_000

_NONE = {"", "NONE"}
_NO_NAME = {"", "<unknown>", "unknown", "anonymous"}
ENDS = {"COMPLETEAGENT", "COMPLETECALLER", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"}
EXITS = {"EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY"}
# read, understood, and nothing the figures measure
QUIET = {"RINGNOANSWER", "AGENTDUMP", "RINGCANCELED", "SYSCOMPAT", "JOINEMPTY", "JOINUNAVAIL",
         "QUEUESTART", "CONFIGRELOAD", "INFO", "CALLERONHOLD", "CALLEROFFHOLD"}


class BadLine(ValueError):
    """A line that cannot be read; the message is one sentence saying why."""


@dataclass
class Line:
    number: int
    t: float  # seconds
    callid: str
    queue: str
    agent: str
    verb: str
    data: list[str]


def parse_line(number: int, text: str) -> Line:
    fields = text.split("|")
    if len(fields) < 5:
        raise BadLine(f"has {len(fields)} field{'s' if len(fields) != 1 else ''} where queue_log has at least 5 "
                      "(time|callid|queue|agent|event)")
    try:
        t = float(fields[0])
    except ValueError:
        raise BadLine(f"the time {fields[0][:40]!r} is not a Unix time in seconds") from None
    if not math.isfinite(t) or t <= 0 or t > 32_503_680_000:  # before year 3000
        raise BadLine(f"the time {fields[0][:40]!r} is not a Unix time in seconds")
    verb = fields[4].strip().upper()
    if not verb or not verb.replace("_", "").isalnum():
        raise BadLine(f"the event {fields[4][:40]!r} is not a queue_log verb")
    return Line(number, t, fields[1].strip(), fields[2].strip(), fields[3].strip(), verb, fields[5:])


def _number(line: Line, index: int, what: str) -> float:
    value = line.data[index].strip() if index < len(line.data) else ""
    try:
        n = float(value)
    except ValueError:
        raise BadLine(f"{line.verb} needs {what} (parameter {index + 1}) as a number of seconds, "
                      f"not {value[:40]!r}") from None
    if not math.isfinite(n) or n < 0:
        raise BadLine(f"{line.verb} needs {what} (parameter {index + 1}) as a number of seconds, "
                      f"not {value[:40]!r}")
    return n


@dataclass
class Caller:
    call_id: str
    uniqueid: str
    queue: str
    queued_ms: int
    agent: str | None = None  # answered by
    left_ms: int | None = None  # left a queue without an agent (EXIT*): decided later
    done: bool = False


@dataclass
class Member:
    agent_id: str
    queues: dict[str, tuple[bool, str]] = field(default_factory=dict)
    all_paused: tuple[bool, str] = (False, "")  # PAUSEALL of a member whose queues are not known yet
    logged_off: bool = False
    logged_in: bool = False
    talking: str | None = None
    wrap_until: int | None = None
    wrap_call: str | None = None
    since: int = 0
    last: tuple[Any, ...] | None = None


class QueueLogMapper:
    """queue_log lines in, PROTOCOL.md events out (no I/O, no clock, no lookahead)."""

    def __init__(self, tz: tzinfo, records: Iterable[Json] = (), wrapup: dict[str, float] | None = None) -> None:
        self.tz = tz
        self.records = {r["id"]: queue_records.merge(r, None) for r in records}
        self.wrapup = dict(wrapup or {})
        self.callers: dict[str, Caller] = {}
        self.lives: Counter[str] = Counter()
        self.members: dict[str, Member] = {}
        self.seen_queues: set[str] = set()
        self.queue_events: list[tuple[Json, Event]] = []  # (record, queue.updated), for their own epochs

    # ------------------------------------------------------------------ helpers

    def stamp(self, ms: int) -> str:
        return fmt(datetime.fromtimestamp(ms / 1000, self.tz))

    def _queue(self, name: str, now: int) -> None:
        if name in _NONE or name in self.seen_queues:
            return
        self.seen_queues.add(name)
        record = self.records.get(name) or queue_records.base_record(name)
        self.queue_events.append((record, {"type": "queue.updated", "ts": self.stamp(now),
                                           "data": {"queue": dict(record)}}))

    def _member(self, name: str) -> Member:
        m = self.members.get(name)
        if m is None:
            m = self.members[name] = Member(name)
        return m

    def _state(self, m: Member) -> tuple[str, str | None, str | None]:
        if m.talking:
            return "on_call", None, m.talking
        if m.wrap_until is not None:
            return "wrap_up", None, m.wrap_call
        if m.logged_off:
            return "offline", None, None
        if not m.queues:
            if m.all_paused[0]:
                return state_word(m.all_paused[1]), m.all_paused[1] or None, None
            return ("available", None, None) if m.logged_in else ("offline", None, None)
        if all(p for p, _ in m.queues.values()):
            reasons = [r for p, r in m.queues.values() if r]
            reason = reasons[0] if reasons else None
            return state_word(reason or ""), reason, None
        return "available", None, None

    def _say(self, m: Member, now: int, out: list[Event]) -> None:
        state, reason, call_id = self._state(m)
        key = (state, reason, call_id, tuple(sorted(m.queues)))
        if key == m.last:
            return
        if m.last is None or key[:3] != m.last[:3]:
            m.since = now
        m.last = key
        out.append({"type": "agent.state", "ts": self.stamp(now), "data": {"agent": {
            "agent_id": m.agent_id, "name": m.agent_id, "team": "", "skills": sorted(m.queues),
            "state": state, "reason": reason, "since": self.stamp(m.since), "call_id": call_id}}})

    def _contact(self, c: Caller, number: str, name: str) -> Json:
        return {"call_id": c.call_id, "queue": c.queue, "channel": "voice", "priority": 0,
                "customer": {"id": customer_id_of(c.uniqueid),
                             "name": masking.mask_name(name) if name else "",
                             "phone": masking.mask_phone(number) if number else "",
                             "segment": "standard", "masked": True},
                "queued_at": self.stamp(c.queued_ms), "case_id": None}

    def _new_caller(self, line: Line, queued_ms: int, now: int, out: list[Event],
                    number: str = "", name: str = "") -> Caller:
        uid = line.callid
        self.lives[uid] += 1
        life = self.lives[uid]
        call_id = call_id_of(uid) if life == 1 else f"{call_id_of(uid)}-{life}"
        c = self.callers[uid] = Caller(call_id, uid, line.queue, queued_ms)
        number = "" if number.lower() in _NO_NAME else number
        name = "" if name.lower() in _NO_NAME else name
        out.append({"type": "call.queued", "ts": self.stamp(now), "data": {"contact": self._contact(c, number, name)}})
        return c

    def _live(self, uid: str) -> Caller | None:
        c = self.callers.get(uid)
        return c if c is not None and not c.done else None

    # ------------------------------------------------------------------ timers

    def _due(self, now: int, out: list[Event]) -> None:
        """What waited for time to pass: wrap-ups ended, exits that were not transfers."""
        pending: list[tuple[int, int, Any]] = []
        for m in self.members.values():
            if m.wrap_until is not None and m.wrap_until <= now:
                pending.append((m.wrap_until, 0, m))
        for c in self.callers.values():
            if c.left_ms is not None and not c.done and c.left_ms + LEAVE_GRACE_S * 1000 <= now:
                pending.append((c.left_ms + int(LEAVE_GRACE_S * 1000), 1, c))
        pending.sort(key=lambda p: (p[0], p[1]))
        for at, kind, obj in pending:
            if kind == 0:
                obj.wrap_until = obj.wrap_call = None
                self._say(obj, at, out)
            else:
                self._abandon(obj, at, obj.left_ms, out)

    def _abandon(self, c: Caller, now: int, at: int, out: list[Event]) -> None:
        c.done, c.left_ms = True, None
        out.append({"type": "call.abandoned", "ts": self.stamp(now), "data": {"call_id": c.call_id, "at": self.stamp(at)}})

    # ------------------------------------------------------------------ lines

    def feed(self, line: Line) -> list[Event]:
        """The events of one line (BadLine when it cannot be used)."""
        now = int(round(line.t * 1000))
        verb = line.verb
        handler = _HANDLERS.get(verb)
        if handler is None:
            return []
        self._check(line)
        out: list[Event] = []
        self._due(now, out)
        handler(self, line, now, out)
        return out

    @staticmethod
    def known(verb: str) -> bool:
        return verb in _HANDLERS or verb in QUIET

    def _check(self, line: Line) -> None:
        verb = line.verb
        if verb in CALLER_VERBS:
            if line.callid in _NONE:
                raise BadLine(f"{verb} without the caller's unique id (field 2)")
            if line.queue in _NONE:
                raise BadLine(f"{verb} without a queue name (field 3)")
        if verb in MEMBER_VERBS or verb == "CONNECT" or verb in ENDS:
            if line.agent in _NONE:
                raise BadLine(f"{verb} without the queue member (field 4)")
        if verb in ("ADDMEMBER", "REMOVEMEMBER") and line.queue in _NONE:
            raise BadLine(f"{verb} without a queue name (field 3)")
        for index, what in _NUMBERS.get(verb, ()):
            _number(line, index, what)  # before anything changes: a bad line changes nothing

    def _enter(self, line: Line, now: int, out: list[Event]) -> None:
        self._queue(line.queue, now)
        c = self._live(line.callid)
        if c is not None and c.agent is None:
            if c.queue == line.queue and c.left_ms is None:
                return  # entered twice: nothing new
            c.queue, c.left_ms = line.queue, None
            out.append({"type": "call.transferred", "ts": self.stamp(now),
                        "data": {"call_id": c.call_id, "queue": line.queue, "at": self.stamp(now)}})
            return
        number = line.data[1].strip() if len(line.data) > 1 else ""
        name = line.data[3].strip() if len(line.data) > 3 else ""
        self._new_caller(line, now, now, out, number, name)

    def _waiting(self, line: Line, now: int, out: list[Event], wait_s: float) -> Caller:
        """The waiting caller of an outcome line; one never seen entering is told from the
        line's own wait (it was queued that long ago)."""
        self._queue(line.queue, now)
        c = self._live(line.callid)
        if c is None:
            c = self._new_caller(line, now - int(round(wait_s * 1000)), now, out)
        return c

    def _abandon_line(self, line: Line, now: int, out: list[Event]) -> None:
        wait = _number(line, 2, "the wait time")
        c = self._waiting(line, now, out, wait)
        if c.agent is None:
            self._abandon(c, now, now, out)

    def _exit(self, line: Line, now: int, out: list[Event]) -> None:
        wait = _number(line, 3 if line.verb == "EXITWITHKEY" else 2, "the wait time")
        c = self._waiting(line, now, out, wait)
        if c.agent is None and c.left_ms is None:
            c.left_ms = now

    def _answer(self, c: Caller, m: Member, queue: str, at: int, now: int, out: list[Event]) -> None:
        c.agent, c.left_ms = m.agent_id, None
        out.append({"type": "call.answered", "ts": self.stamp(now),
                    "data": {"call_id": c.call_id, "agent_id": m.agent_id, "at": self.stamp(at)}})
        m.talking, m.wrap_until, m.wrap_call, m.logged_off = c.call_id, None, None, False
        if queue not in m.queues:
            m.queues[queue] = (False, "")
        self._say(m, at, out)

    def _connect(self, line: Line, now: int, out: list[Event]) -> None:
        hold = _number(line, 0, "the hold time")
        c = self._waiting(line, now, out, hold)
        if c.agent is not None:
            return  # told twice
        self._answer(c, self._member(line.agent), line.queue, now, now, out)

    def _end(self, line: Line, now: int, out: list[Event]) -> None:
        i = 0 if line.verb.startswith("COMPLETE") else 2
        hold = _number(line, i, "the hold time")
        talk = _number(line, i + 1, "the call time")
        m = self._member(line.agent)
        answered = now - int(round(talk * 1000))
        c = self._live(line.callid)
        if c is None or c.agent is None:
            if c is None:
                self._queue(line.queue, now)
                c = self._new_caller(line, answered - int(round(hold * 1000)), now, out)
            self._answer(c, m, line.queue, answered, now, out)
        elif c.agent != m.agent_id:
            m = self._member(c.agent)
        c.done = True
        out.append({"type": "call.ended", "ts": self.stamp(now),
                    "data": {"call_id": c.call_id, "agent_id": m.agent_id, "at": self.stamp(now), "case_id": None}})
        if m.talking == c.call_id:
            m.talking = None
            wrap = self.wrapup.get(c.queue, 0.0)
            if wrap > 0:
                m.wrap_until, m.wrap_call = now + int(round(wrap * 1000)), c.call_id
        self._say(m, now, out)

    def _ring_no_answer(self, line: Line, now: int, out: list[Event]) -> None:
        if line.agent in _NONE or line.queue in _NONE:
            return
        self._queue(line.queue, now)
        m = self._member(line.agent)
        if line.queue not in m.queues:
            m.queues[line.queue] = (False, "")
            self._say(m, now, out)

    def _add(self, line: Line, now: int, out: list[Event]) -> None:
        self._queue(line.queue, now)
        m = self._member(line.agent)
        m.logged_off = False
        if line.queue not in m.queues:
            m.queues[line.queue] = m.all_paused
        self._say(m, now, out)

    def _remove(self, line: Line, now: int, out: list[Event]) -> None:
        m = self._member(line.agent)
        m.queues.pop(line.queue, None)
        self._say(m, now, out)

    def _pause(self, line: Line, now: int, out: list[Event]) -> None:
        paused = line.verb in ("PAUSE", "PAUSEALL")
        reason = (line.data[0].strip() if line.data else "") if paused else ""
        m = self._member(line.agent)
        if line.verb.endswith("ALL") or line.queue in _NONE:
            m.all_paused = (paused, reason)
            for q in m.queues:
                m.queues[q] = (paused, reason)
        else:
            self._queue(line.queue, now)
            m.queues[line.queue] = (paused, reason)
            if not paused:
                m.all_paused = (False, "")
        self._say(m, now, out)

    def _login(self, line: Line, now: int, out: list[Event]) -> None:
        m = self._member(line.agent)
        m.logged_in, m.logged_off = True, False
        self._say(m, now, out)

    def _logoff(self, line: Line, now: int, out: list[Event]) -> None:
        m = self._member(line.agent)
        m.logged_in, m.logged_off = False, True
        m.wrap_until = m.wrap_call = None
        self._say(m, now, out)


_HANDLERS = {
    "ENTERQUEUE": QueueLogMapper._enter,
    "ABANDON": QueueLogMapper._abandon_line,
    **{verb: QueueLogMapper._exit for verb in EXITS},
    "CONNECT": QueueLogMapper._connect,
    **{verb: QueueLogMapper._end for verb in ENDS},
    "RINGNOANSWER": QueueLogMapper._ring_no_answer,
    "ADDMEMBER": QueueLogMapper._add,
    "REMOVEMEMBER": QueueLogMapper._remove,
    "PAUSE": QueueLogMapper._pause, "UNPAUSE": QueueLogMapper._pause,
    "PAUSEALL": QueueLogMapper._pause, "UNPAUSEALL": QueueLogMapper._pause,
    "AGENTLOGIN": QueueLogMapper._login, "AGENTCALLBACKLOGIN": QueueLogMapper._login,
    "AGENTLOGOFF": QueueLogMapper._logoff, "AGENTCALLBACKLOGOFF": QueueLogMapper._logoff,
}
_NUMBERS: dict[str, tuple[tuple[int, str], ...]] = {
    "ABANDON": ((2, "the wait time"),), "EXITWITHTIMEOUT": ((2, "the wait time"),),
    "EXITEMPTY": ((2, "the wait time"),), "EXITWITHKEY": ((3, "the wait time"),),
    "CONNECT": ((0, "the hold time"),),
    "COMPLETEAGENT": ((0, "the hold time"), (1, "the call time")),
    "COMPLETECALLER": ((0, "the hold time"), (1, "the call time")),
    **{verb: ((2, "the hold time"), (3, "the call time")) for verb in ("TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER")},
}
CALLER_VERBS = {"ENTERQUEUE", "ABANDON", "CONNECT", *EXITS, *ENDS}
MEMBER_VERBS = {"ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL",
                "AGENTLOGIN", "AGENTCALLBACKLOGIN", "AGENTLOGOFF", "AGENTCALLBACKLOGOFF"}


# ---------------------------------------------------------------------- the file


@dataclass
class ImportSummary:
    path: str
    lines: int = 0  # complete lines read
    used: int = 0  # lines that told the figures something (or could have: a duplicate)
    quiet: int = 0  # known verbs with nothing to measure
    unknown: Counter[str] = field(default_factory=Counter)  # verbs not known
    bad: list[tuple[int, str]] = field(default_factory=list)
    partial: bool = False  # a last line still being written, left for later
    blank: int = 0
    events: int = 0
    new: int = 0
    days: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def text(self) -> str:
        span = ""
        if self.first is not None and self.last is not None:
            span = f", {self.first.date().isoformat()} … {self.last.date().isoformat()}"
        parts = [f"queue_log {self.path}: {self.lines} lines read, {self.used} imported, "
                 f"{self.quiet + sum(self.unknown.values())} with nothing to measure, {len(self.bad)} skipped as bad"]
        parts.append(f"; {self.events} events ({self.new} new in the journal) over {self.days} day"
                     f"{'s' if self.days != 1 else ''}{span}")
        if self.unknown:
            parts.append("; verbs not known: " + ", ".join(f"{v} x{n}" for v, n in self.unknown.most_common()))
        if self.partial:
            parts.append("; the last line is still being written and waits for the next import")
        return "".join(parts)


def _day_epoch(day: str, raw: bytes) -> str:
    return f"qlog-{day}-{hashlib.sha256(raw).hexdigest()[:16]}"


def _queue_epoch(record: Json) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return f"qlogq-{hashlib.sha256(text).hexdigest()[:16]}"


def _row(epoch: str, seq: int, ev: Event) -> Any:
    from supervisor.store import journal_row

    payload = wire.encode({"v": wire.PROTOCOL_VERSION, "seq": seq, "ts": ev["ts"], "type": ev["type"], "data": ev["data"]})
    return journal_row(epoch, wire.decode(payload), payload)


def read_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line without its end) of every complete line."""
    start, number = 0, 0
    while True:
        nl = data.find(b"\n", start)
        if nl < 0:
            return
        number += 1
        yield number, data[start:nl].rstrip(b"\r")
        start = nl + 1


def rows_of(data: bytes, mapper: QueueLogMapper, summary: ImportSummary) -> Iterator[Any]:
    """The journal rows of a queue_log's bytes (see the module doc for epoch and seq)."""
    day: str | None = None
    epoch = ""
    seq = 0
    days: set[str] = set()
    queue_epochs_done = 0
    summary.partial = bool(data) and not data.endswith(b"\n") and bool(data[data.rfind(b"\n") + 1:].strip())
    for number, raw in read_lines(data):
        summary.lines += 1
        if not raw.strip():
            summary.blank += 1
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")  # a caller name in a legacy charset: the rest is ASCII
        try:
            line = parse_line(number, text)
            if not mapper.known(line.verb):
                summary.unknown[line.verb] += 1
                continue
            if line.verb in QUIET and line.verb != "RINGNOANSWER":
                summary.quiet += 1
                continue
            line_day = datetime.fromtimestamp(line.t, timezone.utc).strftime("%Y%m%d")
            events = mapper.feed(line)
        except BadLine as exc:
            summary.bad.append((number, str(exc)))
            continue
        summary.used += 1
        when = datetime.fromtimestamp(line.t, mapper.tz)
        summary.first = when if summary.first is None or when < summary.first else summary.first
        summary.last = when if summary.last is None or when > summary.last else summary.last
        if day is None or line_day > day:
            day, epoch, seq = line_day, _day_epoch(line_day, raw), 0
            days.add(line_day)
        while queue_epochs_done < len(mapper.queue_events):
            record, ev = mapper.queue_events[queue_epochs_done]
            queue_epochs_done += 1
            summary.events += 1
            yield _row(_queue_epoch(record), 1, ev)
        for ev in events:
            seq += 1
            summary.events += 1
            yield _row(epoch, seq, ev)
    summary.days = len(days)


def import_queue_log(path: str | Path, store: Any, tz: tzinfo, records: Iterable[Json] = (),
                     wrapup: dict[str, float] | None = None) -> ImportSummary:
    """Import one queue_log file into ``store`` (a ``supervisor.store.Store``)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the queue_log {path}: {exc.strerror or exc}") from None
    summary = ImportSummary(str(path))
    mapper = QueueLogMapper(tz, records, wrapup)
    batch: list[Any] = []
    for row in rows_of(data, mapper, summary):
        batch.append(row)
        if len(batch) >= BATCH:
            summary.new += store.append(batch)
            batch = []
    if batch:
        summary.new += store.append(batch)
    return summary


def run(args: argparse.Namespace) -> int:
    from supervisor.gateway.serve import parse_tz, read_queues
    from supervisor.store import Store

    tz = parse_tz(args.center_tz)
    records, wrapup = read_queues(getattr(args, "queues", None))
    if not Path(args.file).is_file():
        raise UsageError(f"no queue_log file at {args.file}")
    store = Store(args.db)
    try:
        summary = import_queue_log(args.file, store, tz, records, wrapup)
    except CommandCenterError:
        raise
    finally:
        store.close()
    for number, why in summary.bad[:MAX_REPORTED]:
        print(f"{args.file}:{number}: skipped: {why}", file=sys.stderr)
    if len(summary.bad) > MAX_REPORTED:
        print(f"{args.file}: … and {len(summary.bad) - MAX_REPORTED} more bad lines skipped", file=sys.stderr)
    print(summary.text())
    return 0

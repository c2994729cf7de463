"""A scripted day at the contact center, and its figures computed independently.

The day is described as plain facts (who called, which queue, when they were answered
or hung up, how long talk and wrap-up took, agents' state timelines, escalations). The
protocol stream is generated from those facts; the expected figures are computed from
the same facts with plain datetime and Fraction arithmetic, never through the engine.
The engine has to rediscover everything from the events (queues after transfers,
wrap-up ends from agents' state changes, outcomes lost at a snapshot, ...).

Period: 2026-11-20 [00:00, 24:00) +08:00. Queues: credit_card (T=900), deposit
(T=300), vip (T=900, idle all day). S = 5 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from math import floor
from typing import Any

from tests.kpi.script import DAY, Script, at, contact, escalation, queue
from tests.kpi.script import agent as agent_rec

START = DAY
END = DAY + timedelta(days=1)
S = Fraction(5)
SLA = {"credit_card": 900, "deposit": 300, "vip": 900}
QUEUES = [queue("credit_card", 900), queue("deposit", 300), queue("vip", 900)]
TEAMS = {"a1": "一组", "a2": "一组", "a3": "二组", "a4": "二组"}
SNAPSHOT_AT = at("10:30:00")


@dataclass
class Call:
    call_id: str
    path: list[tuple[datetime, str]]  # (time, queue): queued, then transfers; [] = never seen queued
    outcome: str  # answered | abandoned | waiting | unknown
    at: datetime | None = None  # answered or abandoned at
    agent: str | None = None
    ended: datetime | None = None
    wrap_end: datetime | None = None  # when the answering agent left wrap-up (the truth)
    scores: list[int] = field(default_factory=list)
    via_snapshot: bool = False  # first seen in the 10:30 snapshot's waiting list


CALLS = [
    Call("c0", [(at("23:50:00", -1), "credit_card")], "answered", at("00:05:00"), "a1",
         at("00:10:00"), at("00:11:00"), [4]),
    Call("c1", [(at("09:00:00"), "credit_card")], "answered", at("09:02:00"), "a1",
         at("09:07:00"), at("09:08:30"), [5]),
    Call("c2", [(at("09:01:00"), "credit_card")], "answered", at("09:16:00"), "a2",  # wait = T exactly
         at("09:20:00"), at("09:21:00"), [4]),
    Call("c3", [(at("09:03:00"), "credit_card")], "answered", at("09:18:00.001"), "a1",  # T + 1 ms
         at("09:25:00"), at("09:26:00"), [2]),
    Call("c4", [(at("09:05:00"), "credit_card")], "abandoned", at("09:05:04.999")),  # short
    Call("c5", [(at("09:06:00"), "credit_card")], "abandoned", at("09:06:05")),  # S exactly: not short
    Call("c6", [(at("09:10:00"), "credit_card")], "abandoned", at("09:30:00")),  # beyond T
    Call("c7", [(at("09:20:00"), "deposit"), (at("09:25:00"), "credit_card")], "answered",
         at("09:31:00"), "a2", at("09:40:00"), at("09:42:00"), [3]),  # wrap-up ends at a break
    Call("c8", [(at("23:40:00"), "credit_card")], "waiting"),  # still waiting at the end
    Call("c9", [(at("23:58:00"), "credit_card")], "answered", at("00:08:00", 1), "a1",
         at("00:15:00", 1), at("00:16:00", 1)),
    Call("d1", [(at("10:00:00"), "deposit")], "answered", at("10:04:00"), "a3",
         at("10:10:00"), at("10:10:00"), [5]),  # no wrap-up at all
    Call("d2", [(at("10:01:00"), "deposit")], "answered", at("10:06:00.500"), "a4",
         at("10:12:00"), at("10:13:30")),
    Call("d3", [(at("10:02:00"), "deposit")], "abandoned", at("10:02:02")),
    Call("d4", [(at("10:03:00"), "deposit")], "abandoned", at("10:08:00")),  # abandoned at T
    Call("d5", [(at("10:05:00"), "deposit")], "unknown"),  # gone from the 10:30 snapshot
    Call("d6", [(at("10:20:00"), "deposit")], "answered", at("10:35:00"), "a3",
         at("10:40:00"), at("10:41:00")),
    Call("d7", [(at("10:25:00"), "deposit")], "abandoned", at("10:50:00"), via_snapshot=True),
    Call("x1", [], "answered", at("11:00:00"), "a4", at("11:05:00"), at("11:06:00")),  # never queued
]

# agent -> [(since, state, call_id, reason)]
TIMELINES: dict[str, list[tuple[datetime, str, str | None, str | None]]] = {
    "a1": [
        (at("18:00:00", -1), "offline", None, None), (at("23:45:00", -1), "available", None, None),
        (at("00:05:00"), "on_call", "c0", None), (at("00:10:00"), "wrap_up", "c0", None),
        (at("00:11:00"), "available", None, None), (at("09:02:00"), "on_call", "c1", None),
        (at("09:07:00"), "wrap_up", "c1", None), (at("09:08:30"), "available", None, None),
        (at("09:18:00.001"), "on_call", "c3", None), (at("09:25:00"), "wrap_up", "c3", None),
        (at("09:26:00"), "available", None, None), (at("12:00:00"), "break", None, "lunch"),
        (at("13:00:00"), "available", None, None), (at("18:00:00"), "offline", None, None),
        (at("23:50:00"), "available", None, None), (at("00:08:00", 1), "on_call", "c9", None),
        (at("00:15:00", 1), "wrap_up", "c9", None), (at("00:16:00", 1), "available", None, None),
        (at("00:20:00", 1), "offline", None, None),
    ],
    "a2": [
        (at("08:00:00"), "available", None, None), (at("09:16:00"), "on_call", "c2", None),
        (at("09:20:00"), "wrap_up", "c2", None), (at("09:21:00"), "available", None, None),
        (at("09:31:00"), "on_call", "c7", None), (at("09:40:00"), "wrap_up", "c7", None),
        (at("09:42:00"), "break", None, "rest"), (at("09:57:00"), "available", None, None),
        (at("14:00:00"), "meeting", None, "team_meeting"), (at("15:00:00"), "available", None, None),
        (at("17:00:00"), "offline", None, None),
    ],
    "a3": [
        (at("09:30:00"), "available", None, None), (at("10:04:00"), "on_call", "d1", None),
        (at("10:10:00"), "available", None, None), (at("10:34:50"), "ringing", "d6", None),
        (at("10:35:00"), "on_call", "d6", None), (at("10:40:00"), "wrap_up", "d6", None),
        (at("10:41:00"), "available", None, None), (at("18:00:00"), "offline", None, None),
    ],
    "a4": [
        (at("09:30:00"), "available", None, None), (at("10:06:00.500"), "on_call", "d2", None),
        (at("10:12:00"), "wrap_up", "d2", None), (at("10:13:30"), "available", None, None),
        (at("11:00:00"), "on_call", "x1", None), (at("11:05:00"), "wrap_up", "x1", None),
        (at("11:06:00"), "available", None, None), (at("18:00:00"), "offline", None, None),
    ],
}


@dataclass
class Esc:
    eid: str
    opened: datetime
    due: datetime
    resolved: datetime | None
    reassigned: list[tuple[datetime, str, str, str]] = field(default_factory=list)  # (at, from, to, why)
    in_first_snapshot: bool = False


ESCALATIONS = [
    Esc("e6", at("20:00:00", -1), at("22:00:00", -1), at("08:30:00"), in_first_snapshot=True),
    Esc("e1", at("08:00:00"), at("10:00:00"), at("09:30:00")),
    Esc("e2", at("09:00:00"), at("11:00:00"), at("11:00:00")),  # resolved exactly at due: on time
    Esc("e3", at("10:00:00"), at("12:00:00"), at("13:00:00"),
        [(at("10:30:30"), "o1", "o2", "休假"), (at("11:00:00"), "o2", "o3", "专业对口")]),
    Esc("e4", at("14:00:00"), at("16:00:00"), None, [(at("00:01:00", 1), "o1", "o2", "升级")]),
    Esc("e5", at("23:00:00"), at("01:00:00", 1), None),  # open, not yet due at the end
    Esc("e7", at("15:00:00"), at("17:00:00"), at("00:05:00", 1)),  # resolved the next day
]
GHOST_SURVEY_AT = at("12:00:00")


# --------------------------------------------------------------------------- the stream


def _owner_at(e: Esc, t: datetime) -> str:
    owner = "o1"
    for when, _, to, _ in e.reassigned:
        if when <= t:
            owner = to
    return owner


def _agent_at(agent_id: str, t: datetime) -> dict[str, Any] | None:
    rec = None
    for since, state, call_id, reason in TIMELINES[agent_id]:
        if since <= t:
            rec = agent_rec(agent_id, state, since, team=TEAMS[agent_id], call_id=call_id, reason=reason)
    return rec


def build_script() -> Script:
    """The day's stream in journal order (events sorted by time, stable)."""
    items: list[tuple[datetime, int, str, Any]] = []

    def add(ts: datetime, kind: str, *args: Any) -> None:
        items.append((ts, len(items), kind, args))

    for c in CALLS:
        if c.path and not c.via_snapshot:
            add(c.path[0][0], "queued", c.call_id, c.path[0][1])
        for when, q in c.path[1:]:
            add(when, "transferred", c.call_id, q)
        if c.outcome == "answered":
            add(c.at, "answered", c.call_id, c.agent)
            add(c.ended, "ended", c.call_id, c.agent)
        elif c.outcome == "abandoned":
            add(c.at, "abandoned", c.call_id)
        for i, score in enumerate(c.scores):
            add(c.wrap_end + timedelta(minutes=2 + i), "survey", c.call_id, score)
    for agent_id, timeline in TIMELINES.items():
        for since, state, call_id, reason in timeline:
            if agent_id == "a1" and since < at("23:40:00", -1):
                continue  # known from the first snapshot
            add(since, "state", agent_id, state, call_id, reason)
    for e in ESCALATIONS:
        if not e.in_first_snapshot:
            add(e.opened, "esc_opened", e)
        for when, frm, to, why in e.reassigned:
            add(when, "reassigned", e, frm, to, why)
        if e.resolved is not None:
            add(e.resolved, "resolved", e)
    add(at("14:30:00"), "esc_progress", ESCALATIONS[4])
    add(GHOST_SURVEY_AT, "survey", "ghost", 1)
    add(SNAPSHOT_AT, "snapshot2")
    items.sort(key=lambda item: (item[0], item[1]))

    s = Script("E1")
    first = at("23:40:00", -1)
    s.snapshot(first, queues=QUEUES, agents=[_agent_at("a1", first)],
               escalations=[escalation("e6", ESCALATIONS[0].opened, ESCALATIONS[0].due, status="in_progress")])
    for ts, _, kind, args in items:
        if kind == "queued":
            s.queued(ts, args[0], args[1])
        elif kind == "transferred":
            s.transferred(ts, *args)
        elif kind == "answered":
            s.answered(ts, *args)
        elif kind == "ended":
            s.ended(ts, *args)
        elif kind == "abandoned":
            s.abandoned(ts, *args)
        elif kind == "survey":
            s.survey(ts, *args)
        elif kind == "state":
            agent_id, state, call_id, reason = args
            s.emit("agent.state", ts, {"agent": agent_rec(agent_id, state, ts, team=TEAMS[agent_id],
                                                            call_id=call_id, reason=reason)})
        elif kind == "esc_opened":
            e = args[0]
            s.esc_opened(ts, escalation(e.eid, e.opened, e.due))
        elif kind == "esc_progress":
            e = args[0]
            s.esc_updated(ts, escalation(e.eid, e.opened, e.due, status="in_progress",
                                         owner=_owner_at(e, ts)))
        elif kind == "reassigned":
            e, frm, to, why = args
            s.reassigned(ts, e.eid, frm, to, why)
            s.esc_updated(ts, escalation(e.eid, e.opened, e.due, owner=to))
        elif kind == "resolved":
            e = args[0]
            s.resolved(ts, e.eid)
            s.esc_updated(ts, escalation(e.eid, e.opened, e.due, status="resolved", owner=_owner_at(e, ts)))
        elif kind == "snapshot2":
            # a reconnect that could not resume: a new epoch starting with a snapshot
            s.new_epoch("E2")
            waiting = [contact(c.call_id, c.path[-1][1], c.path[0][0]) for c in CALLS
                       if c.call_id in ("d6", "d7")]
            escs = [escalation("e1", ESCALATIONS[1].opened, ESCALATIONS[1].due, status="resolved"),
                    escalation("e2", ESCALATIONS[2].opened, ESCALATIONS[2].due),
                    escalation("e3", ESCALATIONS[3].opened, ESCALATIONS[3].due)]
            agents = [rec for a in TIMELINES if (rec := _agent_at(a, ts)) is not None]
            s.snapshot(ts, queues=QUEUES, agents=agents, waiting=waiting, escalations=escs)
        else:  # pragma: no cover
            raise AssertionError(kind)
    return s


def last_event_time() -> datetime:
    """The end of the journal: the latest time anything happened in the day's facts."""
    times = [t for c in CALLS for t in (c.at, c.ended, c.wrap_end) if t is not None]
    times += [since for tl in TIMELINES.values() for since, *_ in tl]
    times += [t for e in ESCALATIONS for t in (e.opened, e.resolved) if t is not None]
    times += [when for e in ESCALATIONS for when, *_ in e.reassigned]
    return max(times)


# --------------------------------------------------------------------------- expected figures


def secs(d: timedelta) -> Fraction:
    return Fraction(d // timedelta(microseconds=1), 1_000_000)


def rnd(x: Fraction | None, places: int) -> float | None:
    """Half-up rounding of an exact value (what a spreadsheet's ROUND does)."""
    if x is None:
        return None
    scaled = x * 10**places
    n = floor(scaled + Fraction(1, 2)) if scaled >= 0 else -floor(-scaled + Fraction(1, 2))
    return n / 10**places


def div(a: Fraction | int, b: Fraction | int) -> Fraction | None:
    return None if b == 0 else Fraction(a) / Fraction(b)


def in_period(t: datetime | None, start: datetime = START, end: datetime = END) -> bool:
    return t is not None and start <= t < end


def queue_of(c: Call) -> str | None:
    return c.path[-1][1] if c.path else None


def expected_queue(calls: list[Call], formula: str, now: datetime, sla: int | None = None) -> dict[str, Any]:
    """The figures of one queue (or, with mixed queues, the total) from the facts."""
    offered = [c for c in calls if c.path and in_period(c.path[0][0])]

    def wait(c: Call) -> Fraction:
        return secs(c.at - c.path[0][0])

    def t_of(c: Call) -> int:
        return SLA[queue_of(c)]

    answered = [c for c in offered if c.outcome == "answered"]
    all_abandoned = [c for c in offered if c.outcome == "abandoned"]
    short = [c for c in all_abandoned if wait(c) < S]
    abandoned = [c for c in all_abandoned if wait(c) >= S]
    waiting = [c for c in offered if c.outcome == "waiting"]
    unknown = [c for c in offered if c.outcome == "unknown"]
    within = [c for c in answered if wait(c) <= t_of(c)]
    abandoned_within = [c for c in abandoned if wait(c) <= t_of(c)]
    breaches = ([c for c in answered + all_abandoned if wait(c) > t_of(c)]
                + [c for c in waiting if secs(now - c.path[0][0]) > t_of(c)])
    if formula == "abandons_count_against":
        sl = div(len(within), len(answered) + len(abandoned))
    elif formula == "answered_only":
        sl = div(len(within), len(answered))
    else:
        sl = div(len(within) + len(abandoned_within) + len(short), len(offered))
    waits = [wait(c) for c in answered + all_abandoned]
    handled = [c for c in calls if c.path and c.outcome == "answered" and in_period(c.ended)]
    handles = [secs(c.wrap_end - c.at) for c in handled]
    scores = [s for c in offered for s in c.scores]
    return {
        "offered": len(offered),
        "answered": len(answered),
        "abandoned": len(abandoned),
        "short_abandoned": len(short),
        "waiting": len(waiting),
        "outcome_unknown": len(unknown),
        "answered_within_sla": len(within),
        "service_level": rnd(sl, 4),
        "abandonment_rate": rnd(div(len(abandoned), len(offered) - len(short)), 4),
        "asa_seconds": rnd(div(sum(wait(c) for c in answered), len(answered)), 1),
        "max_wait_seconds": rnd(max(waits), 1) if waits else None,
        "aht_seconds": rnd(div(sum(handles), len(handles)), 1),
        "sla_breaches": len(breaches),
        "csat": rnd(div(sum(scores), len(scores)), 2),
        "csat_top2_share": rnd(div(sum(1 for s in scores if s >= 4), len(scores)), 4),
    }


def expected_agent(agent_id: str, now: datetime) -> dict[str, Any]:
    timeline = TIMELINES[agent_id]
    spent: dict[str, Fraction] = {}
    for i, (since, state, _, _) in enumerate(timeline):
        until = timeline[i + 1][0] if i + 1 < len(timeline) else now
        lo, hi = max(since, START), min(until, END)
        if hi > lo:
            spent[state] = spent.get(state, Fraction(0)) + secs(hi - lo)
    answered = [c for c in CALLS if c.agent == agent_id and in_period(c.at)]
    ended = [c for c in CALLS if c.agent == agent_id and in_period(c.ended)]
    scores = [s for c in answered for s in c.scores]
    work = spent.get("on_call", 0) + spent.get("wrap_up", 0)
    staffed = work + spent.get("available", 0) + spent.get("ringing", 0)
    order = ["available", "ringing", "on_call", "wrap_up", "break", "meeting", "training"]
    return {
        "handled": len(answered),
        "aht_seconds": rnd(div(sum(secs(c.wrap_end - c.at) for c in ended), len(ended)), 1),
        "occupancy": rnd(div(work, staffed), 4),
        "csat": rnd(div(sum(scores), len(scores)), 2),
        "state_seconds": {s: rnd(spent[s], 1) for s in order if spent.get(s)},
    }


def expected_escalations(now: datetime) -> dict[str, Any]:
    opened = [e for e in ESCALATIONS if in_period(e.opened)]
    resolved = [e for e in ESCALATIONS if in_period(e.resolved)]
    on_time = [e for e in resolved if e.resolved <= e.due]
    overdue = [e for e in ESCALATIONS if (e.resolved is None or e.resolved > now) and now > e.due]
    reassignments = [r for e in ESCALATIONS for r in e.reassigned if in_period(r[0])]
    return {
        "opened": len(opened),
        "resolved": len(resolved),
        "resolved_on_time": len(on_time),
        "on_time_rate": rnd(div(len(on_time), len(resolved)), 4),
        "overdue_open": len(overdue),
        "mean_time_to_resolve_seconds": rnd(
            div(sum(secs(e.resolved - e.opened) for e in resolved), len(resolved)), 1),
        "reassignments": len(reassignments),
    }


def expected_json(formula: str = "abandons_count_against") -> dict[str, Any]:
    now = last_event_time()
    queues = {q["id"]: {"name": q["name"], "sla_seconds": q["sla_seconds"], "warn_seconds": q["warn_seconds"],
                        **expected_queue([c for c in CALLS if queue_of(c) == q["id"]], formula, now)}
              for q in QUEUES}
    return {
        "from": "2026-11-20T00:00:00+08:00",
        "to": "2026-11-21T00:00:00+08:00",
        "service_level_formula": formula,
        "queues": queues,
        "total": expected_queue([c for c in CALLS if c.path], formula, now),
        "agents": {a: expected_agent(a, now) for a in sorted(TIMELINES)},
        "escalations": expected_escalations(now),
    }


# What the day's stream holds that the figures cannot use: x1 answered without ever being
# queued, and the ghost survey; both epochs are journaled without a gap.
ANOMALIES = {"call.answered for an unknown contact": 1, "survey.completed for an unknown contact": 1}


def expected_cli_json(formula: str = "abandons_count_against") -> dict[str, Any]:
    """``command-center kpi --json``: KPI.md's object plus missing events and anomalies."""
    return {**expected_json(formula), "missing_events": 0, "anomalies": ANOMALIES}

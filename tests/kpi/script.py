"""Scripted protocol streams for the KPI tests: real messages, decoded by the real wire.

A ``Script`` collects (epoch, raw JSON text) in journal order; ``events()`` decodes them
for the engine, ``write(store)`` journals them exactly as the recorder would.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from supervisor import timeutil, wire

TZ = timeutil.CHINA
DAY = datetime(2026, 11, 20, tzinfo=TZ)


def at(hms: str, day: int = 0) -> datetime:
    """A time of the scripted day: "09:16:00.001", day -1 / 0 / +1 relative to DAY."""
    h, m, s = hms.split(":")
    return DAY + timedelta(days=day, hours=int(h), minutes=int(m), seconds=float(s))


def person(pid: str, name: str = "") -> dict[str, Any]:
    return {"id": pid, "name": name or f"员工{pid}"}


def customer(cid: str) -> dict[str, Any]:
    return {"id": f"k-{cid}", "name": "张三丰", "phone": "13812345678", "segment": "standard"}


def contact(call_id: str, queue: str, queued_at: datetime, *, channel: str = "voice",
            priority: int = 0, case_id: str | None = None) -> dict[str, Any]:
    return {
        "call_id": call_id, "queue": queue, "channel": channel, "priority": priority,
        "customer": customer(call_id), "queued_at": timeutil.fmt(queued_at), "case_id": case_id,
    }


def agent(agent_id: str, state: str, since: datetime, *, team: str = "一组",
          call_id: str | None = None, reason: str | None = None) -> dict[str, Any]:
    return {
        "agent_id": agent_id, "name": f"坐席{agent_id}", "team": team, "skills": ["credit_card"],
        "state": state, "reason": reason, "since": timeutil.fmt(since), "call_id": call_id,
    }


def queue(qid: str, sla: float = 900, warn: float = 600) -> dict[str, Any]:
    return {"id": qid, "name": qid, "sla_seconds": sla, "warn_seconds": warn}


def escalation(eid: str, opened: datetime, due: datetime, *, owner: str = "o1",
               status: str = "open", department: str = "credit_card_center") -> dict[str, Any]:
    return {
        "escalation_id": eid, "case_id": f"case-{eid}", "department": department,
        "owner": person(owner), "severity": "normal", "status": status,
        "opened_at": timeutil.fmt(opened), "due_at": timeutil.fmt(due), "summary": "投诉",
    }


class Script:
    """A stream in journal order, possibly across epochs."""

    def __init__(self, epoch: str = "E1") -> None:
        self.epoch = epoch
        self.seq = 0
        self.messages: list[tuple[str, str]] = []

    def new_epoch(self, epoch: str) -> None:
        self.epoch, self.seq = epoch, 0

    def emit(self, type_: str, ts: datetime, data: dict[str, Any]) -> None:
        self.seq += 1
        text = json.dumps(
            {"v": 1, "seq": self.seq, "ts": timeutil.fmt(ts), "type": type_, "data": data},
            ensure_ascii=False,
        )
        self.messages.append((self.epoch, text))

    # the protocol's stream events
    def snapshot(self, ts: datetime, *, queues: Sequence[dict[str, Any]],
                 agents: Sequence[dict[str, Any] | None] = (), waiting: Sequence[dict[str, Any]] = (),
                 escalations: Sequence[dict[str, Any]] = ()) -> None:
        self.emit("snapshot", ts, {"queues": list(queues), "agents": list(agents),
                                   "waiting": list(waiting), "cases": [],
                                   "escalations": list(escalations), "departments": []})

    def queued(self, ts: datetime, call_id: str, queue_id: str, **kw: Any) -> None:
        self.emit("call.queued", ts, {"contact": contact(call_id, queue_id, ts, **kw)})

    def transferred(self, ts: datetime, call_id: str, queue_id: str) -> None:
        self.emit("call.transferred", ts, {"call_id": call_id, "queue": queue_id, "at": timeutil.fmt(ts)})

    def answered(self, ts: datetime, call_id: str, agent_id: str) -> None:
        self.emit("call.answered", ts, {"call_id": call_id, "agent_id": agent_id, "at": timeutil.fmt(ts)})

    def abandoned(self, ts: datetime, call_id: str) -> None:
        self.emit("call.abandoned", ts, {"call_id": call_id, "at": timeutil.fmt(ts)})

    def ended(self, ts: datetime, call_id: str, agent_id: str, case_id: str | None = None) -> None:
        self.emit("call.ended", ts, {"call_id": call_id, "agent_id": agent_id,
                                     "at": timeutil.fmt(ts), "case_id": case_id})

    def state(self, ts: datetime, agent_id: str, state: str, **kw: Any) -> None:
        self.emit("agent.state", ts, {"agent": agent(agent_id, state, ts, **kw)})

    def esc_opened(self, ts: datetime, rec: dict[str, Any]) -> None:
        self.emit("escalation.opened", ts, {"escalation": rec})

    def esc_updated(self, ts: datetime, rec: dict[str, Any]) -> None:
        self.emit("escalation.updated", ts, {"escalation": rec})

    def reassigned(self, ts: datetime, eid: str, from_owner: str, to_owner: str, reason: str,
                   by: str = "lead-1") -> None:
        self.emit("escalation.reassigned", ts, {
            "escalation_id": eid, "from_owner": person(from_owner), "to_owner": person(to_owner),
            "by": person(by), "reason": reason, "at": timeutil.fmt(ts),
        })

    def resolved(self, ts: datetime, eid: str) -> None:
        self.emit("escalation.resolved", ts, {"escalation_id": eid, "at": timeutil.fmt(ts),
                                              "resolution": "已处理"})

    def survey(self, ts: datetime, call_id: str, score: int) -> None:
        self.emit("survey.completed", ts, {"call_id": call_id, "case_id": None, "score": score,
                                           "at": timeutil.fmt(ts)})

    # reading it back
    def events(self) -> list[wire.Event]:
        out = []
        for _, text in self.messages:
            event = wire.decode(text)
            assert isinstance(event, wire.Event), text
            out.append(event)
        return out

    def write(self, store: Any) -> int:
        """Journal every message into a ``supervisor.store.Store``, as the recorder does."""
        from supervisor.store import journal_row

        rows = []
        for epoch, text in self.messages:
            event = wire.decode(text)
            assert isinstance(event, wire.Event)
            rows.append(journal_row(epoch, event, text))
        return int(store.append(rows))

"""Real protocol events for UI tests, built as JSON and decoded by supervisor.wire."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from supervisor import wire
from supervisor.timeutil import CHINA, fmt

T0 = datetime(2026, 11, 22, 9, 0, 0, tzinfo=CHINA)


class Stream:
    """A sequenced stream: every helper returns one decoded event with the next seq."""

    def __init__(self, start: datetime = T0) -> None:
        self.seq = 0
        self.now = start

    def _event(self, type_: str, data: dict[str, Any], at: datetime | None = None) -> Any:
        self.seq += 1
        ts = at or self.now
        return wire.decode(wire.encode({"v": 1, "seq": self.seq, "ts": fmt(ts), "type": type_, "data": data}))

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def snapshot(self, queues: list[dict], agents: list[dict] = (), waiting: list[dict] = (),
                 cases: list[dict] = (), escalations: list[dict] = (), departments: list[dict] = ()) -> Any:
        return self._event("snapshot", {"queues": queues, "agents": list(agents), "waiting": list(waiting),
                                        "cases": list(cases), "escalations": list(escalations),
                                        "departments": list(departments)})

    def queued(self, contact: dict) -> Any:
        return self._event("call.queued", {"contact": contact})

    def answered(self, call_id: str, agent_id: str) -> Any:
        return self._event("call.answered", {"call_id": call_id, "agent_id": agent_id, "at": fmt(self.now)})

    def abandoned(self, call_id: str) -> Any:
        return self._event("call.abandoned", {"call_id": call_id, "at": fmt(self.now)})

    def transferred(self, call_id: str, queue: str) -> Any:
        return self._event("call.transferred", {"call_id": call_id, "queue": queue, "at": fmt(self.now)})

    def agent(self, record: dict) -> Any:
        return self._event("agent.state", {"agent": record})

    def case(self, record: dict, opened: bool = True) -> Any:
        return self._event("case.opened" if opened else "case.updated", {"case": record})

    def escalation(self, record: dict, opened: bool = True) -> Any:
        return self._event("escalation.opened" if opened else "escalation.updated", {"escalation": record})

    def resolved(self, escalation_id: str) -> Any:
        return self._event("escalation.resolved", {"escalation_id": escalation_id, "at": fmt(self.now),
                                                   "resolution": "done"})


def queue(qid: str, name: str, sla: float = 900, warn: float = 600) -> dict:
    return {"id": qid, "name": name, "sla_seconds": sla, "warn_seconds": warn}


def contact(call_id: str, q: str, queued_at: datetime, *, name: str = "张三丰", phone: str = "13812345678",
            vip: bool = False, case_id: str | None = None, channel: str = "voice", priority: int = 0) -> dict:
    return {"call_id": call_id, "queue": q, "channel": channel, "priority": priority,
            "customer": {"id": f"k-{call_id}", "name": name, "phone": phone,
                         "segment": "vip" if vip else "standard"},
            "queued_at": fmt(queued_at), "case_id": case_id}


def agent(agent_id: str, state: str, since: datetime, *, name: str = "", team: str = "A组",
          skills: tuple[str, ...] = ("credit_card",), reason: str | None = None,
          call_id: str | None = None) -> dict:
    return {"agent_id": agent_id, "name": name or f"坐席{agent_id}", "team": team, "skills": list(skills),
            "state": state, "reason": reason, "since": fmt(since), "call_id": call_id}


def case(case_id: str, category: str, opened_at: datetime) -> dict:
    return {"case_id": case_id, "category": category, "status": "open", "subject": "卡片丢失 13812345678",
            "opened_at": fmt(opened_at), "call_ids": [], "notes": []}


def escalation(esc_id: str, due_at: datetime, opened_at: datetime, *, severity: str = "high",
               department: str = "it", status: str = "open") -> dict:
    return {"escalation_id": esc_id, "case_id": f"case-{esc_id}", "department": department,
            "owner": {"id": "s-1", "name": "李四"}, "severity": severity, "status": status,
            "opened_at": fmt(opened_at), "due_at": fmt(due_at), "summary": "客户投诉 13812345678"}

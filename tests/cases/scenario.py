"""One case's life as a real event stream, journaled into a real SQLite store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from supervisor import timeutil, wire
from supervisor.floor import Floor
from supervisor.store import Store, journal_row
from tests.core.events import T0, Stream, agent, contact, queue

PHONE = "13812345678"
ID_NUMBER = "110101199003074512"
NAME = "张三丰"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def person(pid: str, name: str) -> dict[str, str]:
    return {"id": pid, "name": name}


DEPARTMENTS = [
    {"id": "credit_card_center", "name": "信用卡中心",
     "members": [person("s-1", "李雷"), person("s-2", "韩梅梅"), person("s-3", "王芳")]},
    {"id": "it", "name": "科技部", "members": [person("s-9", "赵强")]},
]


def case_record(case_id: str, *, status: str = "open", call_ids: tuple[str, ...] = (),
                notes: tuple[dict[str, Any], ...] = (), category: str = "complaint",
                subject: str = f"客户来电投诉年费, 回拨 {PHONE}") -> dict[str, Any]:
    return {
        "case_id": case_id, "category": category, "subject": subject, "status": status,
        "opened_at": timeutil.fmt(at(0)),
        "customer": {"id": "k-1", "name": NAME, "phone": PHONE, "segment": "vip"},
        "call_ids": list(call_ids), "notes": list(notes),
    }


def escalation(eid: str, case_id: str, *, owner: dict[str, str], due_s: float, status: str = "open",
               severity: str = "high", department: str = "credit_card_center",
               opened_s: float = 300) -> dict[str, Any]:
    return {
        "escalation_id": eid, "case_id": case_id, "department": department, "owner": owner,
        "severity": severity, "status": status, "opened_at": timeutil.fmt(at(opened_s)),
        "due_at": timeutil.fmt(at(due_s)), "summary": f"身份证 {ID_NUMBER} 客户要求减免年费",
    }


@dataclass
class Scenario:
    stream: Stream
    events: list[wire.Event] = field(default_factory=list)
    case_seqs: list[int] = field(default_factory=list)  # the seqs of events belonging to case-1

    def add(self, type_: str, data: dict[str, Any], ts: datetime, mine: bool) -> wire.Event:
        ev = self.stream.msg(type_, data, ts)
        self.events.append(ev)
        if mine:
            self.case_seqs.append(ev.seq)
        return ev

    def journal(self, store: Store, epoch: str = "E1") -> None:
        rows = [journal_row(epoch, ev, raw) for ev, raw in zip(self.events, self.stream.raw, strict=True)]
        store.append(rows)

    def floor(self) -> Floor:
        floor = Floor()
        floor.apply_batch(self.events)
        return floor


def case_life() -> Scenario:
    """case-1: a call queued, transferred, answered, ended, a survey, notes, an escalation
    that is reassigned and resolved; plus another customer's call that must not show."""
    s = Scenario(Stream())
    s.add("snapshot", {"queues": [queue("credit_card", "信用卡服务"), queue("complaints", "投诉")],
                       "agents": [agent("a-1", "available", at(-600))], "waiting": [], "cases": [],
                       "escalations": [], "departments": DEPARTMENTS}, at(-1), False)
    s.add("case.opened", {"case": case_record("case-1", call_ids=("c-1",))}, at(0), True)
    s.add("call.queued", {"contact": contact("c-1", "credit_card", at(1), name=NAME, phone=PHONE,
                                             case_id="case-1", segment="vip")}, at(1), True)
    s.add("call.queued", {"contact": contact("c-2", "credit_card", at(2), name="李四", phone="13900001111")},
          at(2), False)
    s.add("call.transferred", {"call_id": "c-1", "queue": "complaints", "at": timeutil.fmt(at(30))}, at(30), True)
    s.add("agent.state", {"agent": agent("a-1", "ringing", at(40), call_id="c-1")}, at(40), True)
    s.add("call.answered", {"call_id": "c-1", "agent_id": "a-1", "at": timeutil.fmt(at(45))}, at(45), True)
    s.add("agent.state", {"agent": agent("a-1", "on_call", at(45), call_id="c-1")}, at(45), True)
    s.add("call.abandoned", {"call_id": "c-2", "at": timeutil.fmt(at(60))}, at(60), False)
    s.add("call.ended", {"call_id": "c-1", "agent_id": "a-1", "at": timeutil.fmt(at(240)),
                         "case_id": "case-1"}, at(240), True)
    s.add("agent.state", {"agent": agent("a-1", "wrap_up", at(240))}, at(240), False)
    note = {"at": timeutil.fmt(at(250)), "by": "坐席a-1", "text": f"客户手机 {PHONE} 要求回电"}
    s.add("case.updated", {"case": case_record("case-1", status="pending", call_ids=("c-1",), notes=(note,))},
          at(260), True)
    s.add("survey.completed", {"call_id": "c-1", "case_id": "case-1", "score": 2,
                               "at": timeutil.fmt(at(280))}, at(280), True)
    esc = escalation("e-1", "case-1", owner=person("s-1", "李雷"), due_s=300 + 7200)
    s.add("escalation.opened", {"escalation": esc}, at(300), True)
    s.add("escalation.opened", {"escalation": escalation("e-9", "case-9", owner=person("s-2", "韩梅梅"),
                                                          due_s=9000)}, at(310), False)
    s.add("escalation.reassigned", {"escalation_id": "e-1", "from_owner": person("s-1", "李雷"),
                                    "to_owner": person("s-2", "韩梅梅"), "by": person("u-7", "值班长"),
                                    "reason": "李雷休假", "at": timeutil.fmt(at(600))}, at(600), True)
    s.add("escalation.updated", {"escalation": {**esc, "owner": person("s-2", "韩梅梅"),
                                                "status": "in_progress"}}, at(600), True)
    s.add("escalation.resolved", {"escalation_id": "e-1", "at": timeutil.fmt(at(3600)),
                                  "resolution": "已减免年费"}, at(3600), True)
    return s


def open_store(tmp_path: Path, name: str = "journal.db") -> Store:
    return Store(f"sqlite:///{tmp_path / name}")

"""Building protocol messages for tests: plain dicts, encoded and decoded through the real wire."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from supervisor import timeutil, wire

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=timeutil.CHINA)


class Stream:
    """A scripted server stream: each call returns the decoded event with the next seq."""

    def __init__(self, start: datetime = T0) -> None:
        self.seq = 0
        self.now = start
        self.raw: list[str] = []

    def at(self, seconds: float) -> datetime:
        return T0 + timedelta(seconds=seconds)

    def msg(self, type_: str, data: dict[str, Any], ts: datetime | None = None) -> wire.Event:
        self.seq += 1
        if ts is not None:
            self.now = ts
        text = json.dumps(
            {"v": 1, "seq": self.seq, "ts": timeutil.fmt(self.now), "type": type_, "data": data},
            ensure_ascii=False,
        )
        self.raw.append(text)
        event = wire.decode(text)
        assert isinstance(event, wire.Event)
        return event


def contact(call_id: str, queue: str, queued_at: datetime, *, name: str = "张三",
            phone: str = "13812345678", segment: str = "standard", case_id: str | None = None,
            priority: int = 0) -> dict[str, Any]:
    return {
        "call_id": call_id, "queue": queue, "channel": "voice", "priority": priority,
        "customer": {"id": f"k-{call_id}", "name": name, "phone": phone, "segment": segment},
        "queued_at": timeutil.fmt(queued_at), "case_id": case_id,
    }


def agent(agent_id: str, state: str, since: datetime, *, call_id: str | None = None,
          skills: tuple[str, ...] = ("credit_card",), team: str = "一组", reason: str | None = None) -> dict[str, Any]:
    return {
        "agent_id": agent_id, "name": f"坐席{agent_id}", "team": team, "skills": list(skills),
        "state": state, "reason": reason, "since": timeutil.fmt(since), "call_id": call_id,
    }


def queue(qid: str, name: str = "", sla: float = 900, warn: float = 600) -> dict[str, Any]:
    return {"id": qid, "name": name or qid, "sla_seconds": sla, "warn_seconds": warn}

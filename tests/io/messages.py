"""Protocol messages for the I/O tests, written as JSON text the way a server sends them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=CST)


def ts(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat(timespec="milliseconds")


def envelope(type_: str, seq: int, data: dict[str, Any], at: float | None = None, v: int = 1) -> str:
    return json.dumps(
        {"v": v, "seq": seq, "ts": ts(seq if at is None else at), "type": type_, "data": data},
        ensure_ascii=False,
    )


def hello(epoch: str, seq: int, heartbeat_s: float = 5.0, role: str = "duty_lead") -> str:
    return envelope("hello", seq, {
        "server": "test", "epoch": epoch, "heartbeat_s": heartbeat_s,
        "user": {"id": "u1", "name": "值班长", "role": role},
        "server_time": datetime.now(CST).isoformat(timespec="milliseconds"),
    })


def heartbeat(seq: int) -> str:
    return envelope("heartbeat", seq, {"server_time": datetime.now(CST).isoformat(timespec="milliseconds")})


def snapshot(seq: int) -> str:
    return envelope("snapshot", seq, {
        "queues": [{"id": "credit_card", "name": "信用卡服务"}],
        "agents": [], "waiting": [], "cases": [], "escalations": [], "departments": [],
    })


def queued(seq: int, call_id: str | None = None, case_id: str | None = None) -> str:
    """A valid stream event; the default call id is derived from the seq."""
    return envelope("call.queued", seq, {"contact": {
        "call_id": call_id or f"c-{seq}", "queue": "credit_card", "channel": "voice",
        "customer": {"id": "k-1", "name": "张三", "phone": "13812345678", "segment": "vip"},
        "queued_at": ts(seq), "case_id": case_id,
    }})


def answered(seq: int, call_id: str, agent_id: str) -> str:
    return envelope("call.answered", seq, {"call_id": call_id, "agent_id": agent_id, "at": ts(seq)})


def command_result(seq: int, request_id: str, ok: bool, code: str = "", message: str = "") -> str:
    data: dict[str, Any] = {"request_id": request_id, "ok": ok}
    if not ok:
        data["error"] = {"code": code, "message": message}
    return envelope("command.result", seq, data)

"""A floor with escalations in every state, for the board and the dialogs."""

from __future__ import annotations

from datetime import datetime, timedelta

from supervisor.floor import Floor
from tests.cases.scenario import DEPARTMENTS, at, case_record, escalation, person
from tests.core.events import Stream, queue

NOW = at(3 * 3600)  # 12:00 server time


def board_floor() -> tuple[Floor, datetime]:
    def due_in(minutes: float) -> float:
        return (NOW - at(0)).total_seconds() + minutes * 60

    escs = [
        escalation("e-late", "case-1", owner=person("s-1", "李雷"), due_s=due_in(-42), severity="urgent"),
        escalation("e-soon", "case-2", owner=person("s-2", "韩梅梅"), due_s=due_in(12), severity="high"),
        escalation("e-ok", "case-3", owner=person("s-1", "李雷"), due_s=due_in(95), severity="normal"),
        escalation("e-it", "case-4", owner=person("s-9", "赵强"), due_s=due_in(-5), severity="low",
                   department="it", status="in_progress"),
        escalation("e-done", "case-5", owner=person("s-3", "王芳"), due_s=due_in(-300), status="resolved"),
    ]
    st = Stream()
    snap = st.msg("snapshot", {
        "queues": [queue("credit_card", "信用卡服务")], "agents": [], "waiting": [],
        "cases": [case_record(f"case-{i}") for i in range(1, 6)],
        "escalations": escs, "departments": DEPARTMENTS}, at(0))
    floor = Floor()
    floor.apply_batch([snap])
    return floor, NOW


def minutes(m: float) -> timedelta:
    return timedelta(minutes=m)

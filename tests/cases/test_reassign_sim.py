"""Reassignment round trips through the real simulator and the desktop's real feed path.

The simulator runs on its own thread (loopback, port 0); the desktop side is the
product's own FeedBridge (FeedClient on an asyncio thread, journaling to a SQLite file)
feeding a LiveFloor on the Qt thread, exactly as the app does.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from supervisor import wire
from supervisor.feed import FeedClient
from supervisor.sim.server import SimConfig, SimulatorThread, start_in_thread
from supervisor.store import Store
from supervisor.timeutil import CHINA
from ui.bridge import FeedBridge
from ui.case_dialog import CaseDialog
from ui.inbox import Inbox
from ui.live import LiveFloor
from ui.reassign_dialog import ReassignDialog, audit_to

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorThread]:
    server = start_in_thread(SimConfig(seed=5, speed=1.0, agents=30, prerun_hours=3,
                                       start=datetime(2026, 11, 23, 9, 0, tzinfo=CHINA)))
    try:
        yield server
    finally:
        server.stop()


class Desk:
    """One signed-in desktop: bridge + live floor + its journal."""

    def __init__(self, qtbot: Any, sim: SimulatorThread, token: str, db: Path) -> None:
        self.results: list[Any] = []
        self.inbox = Inbox()
        self.live = LiveFloor(self.inbox)
        self.db_url = f"sqlite:///{db}"
        factory = functools.partial(FeedClient, on_command_result=self.results.append)
        self.bridge = FeedBridge(self.inbox, sim.url, token, db_url=self.db_url, kpi=False,
                                 client_factory=factory)
        self.bridge.start()
        qtbot.waitUntil(lambda: bool(self.live.floor.escalations) and self.user() is not None, timeout=10_000)
        self.store = Store(self.db_url)  # the desktop's own reader of the same journal

    def user(self) -> wire.User | None:
        status = self.live.status
        return getattr(status, "user", None) if status is not None else None

    def actor(self) -> dict[str, str]:
        user = self.user()
        assert user is not None
        return {"id": user.id, "name": user.name, "role": user.role}

    def open_escalation(self) -> wire.Escalation:
        floor = self.live.floor
        for esc in sorted(floor.escalations.values(), key=lambda e: e.escalation_id):
            dept = floor.departments.get(esc.department)
            if esc.status != "resolved" and dept is not None and len(dept.members) >= 2:
                return esc
        raise AssertionError("the simulator has no open escalation")

    def close(self) -> None:
        self.store.close()
        self.bridge.stop()


@pytest.fixture
def lead(qtbot, sim, tmp_path: Path) -> Iterator[Desk]:  # type: ignore[no-untyped-def]
    desk = Desk(qtbot, sim, "demo-lead", tmp_path / "lead.db")
    yield desk
    sim.hold_commands = False
    desk.close()


def dialog_for(qtbot, desk: Desk, esc: wire.Escalation, timeout: float = 10.0) -> ReassignDialog:  # type: ignore[no-untyped-def]
    live = desk.live
    dlg = ReassignDialog(esc, live.floor.departments,
                         functools.partial(desk.bridge.reassign, esc.escalation_id, timeout=timeout),
                         None, role=desk.actor()["role"], floor=live.floor,
                         audit=audit_to(desk.store, desk.actor(), live.clock.now), timeout_s=timeout)
    live.changed.connect(dlg.on_floor_changed)
    qtbot.addWidget(dlg)
    return dlg


def pick_owner(dlg: ReassignDialog, reason: str) -> str:
    dlg.owner_combo.setCurrentIndex(1)
    dlg.reason_edit.setPlainText(reason)
    return str(dlg.owner_combo.currentData())


def test_round_trip_ok_shows_the_servers_broadcast_and_is_audited(qtbot, lead: Desk) -> None:  # type: ignore[no-untyped-def]
    esc = lead.open_escalation()
    dlg = dialog_for(qtbot, lead, esc)
    to = pick_owner(dlg, "原负责人休假，转交处理")
    with qtbot.waitSignal(dlg.outcome_received, timeout=10_000) as got:
        dlg.send_button.click()  # pending until the answer (tested without a race in test_reassign_dialog)
    assert got.args[0].status == "ok"
    # the owner on screen is the server's word, from its broadcast
    qtbot.waitUntil(lambda: lead.live.floor.escalations[esc.escalation_id].owner.id == to, timeout=10_000)
    qtbot.waitUntil(lambda: dlg.owner_now_label.text() == lead.live.floor.escalations[esc.escalation_id].owner.name)
    assert "now shows" in dlg.status_label.text()
    [entry] = lead.store.audit(kinds=["reassign"])
    assert entry.actor["role"] == "duty_lead" and entry.subject_id == esc.escalation_id
    assert (entry.detail["from"]["id"], entry.detail["to"]["id"], entry.detail["result"]) == (esc.owner.id, to, "ok")
    assert entry.detail["reason"] == "原负责人休假，转交处理"

    # the case's drill-down shows the request (audit) and the server's reassignment (journal)
    def journaled() -> bool:
        return any(isinstance(e, wire.EscalationReassigned)
                   for e in lead.store.events_for(escalation_ids=[esc.escalation_id]))
    qtbot.waitUntil(journaled, timeout=10_000)
    case = CaseDialog(esc.case_id, lead.store, lead.live.floor, "duty_lead", True, lead.actor())
    qtbot.addWidget(case)
    kinds = [case.timeline.item(r, 1).text() for r in range(case.timeline.rowCount())]
    assert "Reassignment (audit)" in kinds and "Reassigned" in kinds


def test_conflict_when_it_was_resolved_meanwhile(qtbot, lead: Desk) -> None:  # type: ignore[no-untyped-def]
    resolved = [e for e in lead.live.floor.escalations.values() if e.status == "resolved"]
    if not resolved:
        pytest.fail("the simulator's morning has no resolved escalation to conflict with")
    stale = msgspec.structs.replace(resolved[0], status="in_progress")  # what a slow screen still showed
    dlg = dialog_for(qtbot, lead, stale)
    pick_owner(dlg, "转交")
    with qtbot.waitSignal(dlg.outcome_received, timeout=10_000) as got:
        dlg.send_button.click()
    assert got.args[0].code == "conflict"
    assert dlg.state == "failed" and "resolved or changed meanwhile" in dlg.status_label.text()
    assert [a.detail["result"] for a in lead.store.audit(kinds=["reassign"])] == ["conflict"]


def test_timeout_says_unknown_then_shows_the_servers_truth(qtbot, sim, lead: Desk) -> None:  # type: ignore[no-untyped-def]
    esc = lead.open_escalation()
    sim.hold_commands = True  # the server applies the command but never answers it
    dlg = dialog_for(qtbot, lead, esc, timeout=0.5)
    to = pick_owner(dlg, "超时测试")
    with qtbot.waitSignal(dlg.outcome_received, timeout=10_000) as got:
        dlg.send_button.click()
    assert got.args[0].status == "unknown"
    assert dlg.state in ("unknown", "done")  # the broadcast may already have settled it
    qtbot.waitUntil(lambda: dlg.state == "done", timeout=10_000)
    assert lead.live.floor.escalations[esc.escalation_id].owner.id == to
    assert "now shows" in dlg.status_label.text()
    assert [a.detail["result"] for a in lead.store.audit(kinds=["reassign"])] == ["unknown"]


def test_not_found_and_invalid_from_the_server(qtbot, lead: Desk) -> None:  # type: ignore[no-untyped-def]
    esc = lead.open_escalation()
    member = lead.live.floor.departments[esc.department].members
    other = next(m for m in member if m.id != esc.owner.id)
    gone = lead.bridge.reassign("e-does-not-exist", other.id, "x").result(15)
    assert (gone.status, gone.code) == ("error", "not_found")
    empty = lead.bridge.reassign(esc.escalation_id, other.id, "   ").result(15)
    assert (empty.status, empty.code) == ("error", "invalid")
    nobody = lead.bridge.reassign(esc.escalation_id, "s-nobody", "x").result(15)
    assert (nobody.status, nobody.code) == ("error", "invalid")


@pytest.mark.parametrize("token", ["demo-supervisor", "demo-manager"])
def test_the_server_refuses_roles_without_the_right(qtbot, sim, tmp_path: Path, token: str) -> None:  # type: ignore[no-untyped-def]
    desk = Desk(qtbot, sim, token, tmp_path / "other.db")
    try:
        esc = desk.open_escalation()
        other = next(m for m in desk.live.floor.departments[esc.department].members if m.id != esc.owner.id)
        outcome = desk.bridge.reassign(esc.escalation_id, other.id, "试图转交").result(15)
        assert (outcome.status, outcome.code) == ("error", "forbidden")
        assert desk.live.floor.escalations[esc.escalation_id].owner.id == esc.owner.id
        # and the desktop never offers it: the dialog refuses to send for this role
        dlg = dialog_for(qtbot, desk, esc)
        assert not dlg.send_button.isEnabled() and not dlg.owner_combo.isEnabled()
    finally:
        desk.close()

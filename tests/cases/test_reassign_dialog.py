"""The reassign dialog's states with answers delivered from another thread, as the bridge does."""

from __future__ import annotations

import concurrent.futures
import threading
from pathlib import Path

import pytest

from supervisor.feed.status import CommandOutcome
from tests.cases.board_floor import board_floor
from tests.cases.qttext import visible_text
from tests.cases.scenario import ID_NUMBER, open_store
from ui.reassign_dialog import ReassignDialog, audit_to

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

LEAD = {"id": "u-7", "name": "值班长", "role": "duty_lead"}


class Sender:
    """``submit`` that records what was sent and lets the test answer from a worker thread."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.futures: list[concurrent.futures.Future[CommandOutcome]] = []

    def __call__(self, to_owner: str, reason: str) -> concurrent.futures.Future[CommandOutcome]:
        self.sent.append((to_owner, reason))
        fut: concurrent.futures.Future[CommandOutcome] = concurrent.futures.Future()
        self.futures.append(fut)
        return fut

    def answer(self, outcome: CommandOutcome | BaseException) -> None:
        fut = self.futures[-1]
        t = threading.Thread(target=lambda: fut.set_exception(outcome) if isinstance(outcome, BaseException)
                             else fut.set_result(outcome))
        t.start()
        t.join()


@pytest.fixture
def setup(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    floor, now = board_floor()
    store = open_store(tmp_path)
    sender = Sender()
    dlg = ReassignDialog(floor.escalations["e-soon"], floor.departments, sender, None, role="duty_lead",
                         floor=floor, audit=audit_to(store, LEAD, lambda: now), timeout_s=10)
    qtbot.addWidget(dlg)
    yield dlg, sender, store, floor
    store.close()


def choose(dlg: ReassignDialog, owner: str, reason: str, dept: str | None = None) -> None:
    if dept is not None:
        dlg.department_combo.setCurrentIndex(dlg.department_combo.findData(dept))
    dlg.owner_combo.setCurrentIndex(dlg.owner_combo.findData(owner))
    dlg.reason_edit.setPlainText(reason)


def test_owner_and_reason_are_required_and_the_current_owner_is_not_offered(setup) -> None:  # type: ignore[no-untyped-def]
    dlg, sender, _, _ = setup
    owners = [dlg.owner_combo.itemData(i) for i in range(dlg.owner_combo.count())]
    assert owners == ["", "s-1", "s-3"]  # s-2 owns it
    assert not dlg.send_button.isEnabled()
    choose(dlg, "s-1", "")
    assert not dlg.send_button.isEnabled() and dlg.problem_label.text() == "A reason is required."
    dlg.reason_edit.setPlainText("   ")
    assert not dlg.send_button.isEnabled()
    dlg.reason_edit.setPlainText("李雷熟悉该客户")
    assert dlg.send_button.isEnabled() and dlg.problem_label.text() == ""
    choose(dlg, "s-9", "交给科技部", dept="it")  # another department
    assert dlg.send_button.isEnabled()
    assert ID_NUMBER not in visible_text(dlg)  # the summary is masked


def test_pending_then_ok_never_changes_the_owner_itself(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    dlg, sender, store, floor = setup
    choose(dlg, "s-1", "李雷熟悉该客户")
    dlg.send_button.click()
    assert sender.sent == [("s-1", "李雷熟悉该客户")]
    assert dlg.state == "pending" and not dlg.send_button.isEnabled() and not dlg.owner_combo.isEnabled()
    assert "waiting for the server" in dlg.status_label.text()
    with qtbot.waitSignal(dlg.outcome_received):
        sender.answer(CommandOutcome("r-1", "ok"))
    assert dlg.state == "done"
    assert dlg.owner_now_label.text() == "韩梅梅"  # still the server's word until its broadcast
    assert floor.escalations["e-soon"].owner.id == "s-2"
    [entry] = store.audit()
    assert entry.kind == "reassign" and entry.subject_id == "e-soon" and entry.actor["id"] == "u-7"
    assert entry.detail["from"]["id"] == "s-2" and entry.detail["to"]["id"] == "s-1"
    assert entry.detail["reason"] == "李雷熟悉该客户" and entry.detail["result"] == "ok"
    assert entry.detail["case_id"] == "case-2" and entry.detail["request_id"] == "r-1"


@pytest.mark.parametrize("code,needle,can_retry", [
    ("forbidden", "may not reassign", False),
    ("not_found", "does not know this escalation", False),
    ("conflict", "resolved or changed meanwhile", True),
    ("invalid", "Refused as invalid", True),
    ("not_connected", "no connection", True),
])
def test_every_refusal_gets_a_clear_message(qtbot, setup, code: str, needle: str, can_retry: bool) -> None:  # type: ignore[no-untyped-def]
    dlg, sender, store, _ = setup
    choose(dlg, "s-1", "原因")
    dlg.send_button.click()
    with qtbot.waitSignal(dlg.outcome_received):
        sender.answer(CommandOutcome("r-2", "error", code, "server words"))
    assert dlg.state == "failed"
    assert needle in dlg.status_label.text() and "server words" in dlg.status_label.text()
    assert dlg.send_button.isEnabled() == can_retry
    assert [a.detail["result"] for a in store.audit()] == [code]


def test_a_broken_bridge_is_reported_not_raised(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    dlg, sender, store, _ = setup
    choose(dlg, "s-1", "原因")
    dlg.send_button.click()
    with qtbot.waitSignal(dlg.outcome_received):
        sender.answer(RuntimeError("not connected"))
    assert dlg.state == "failed"
    assert "no connection" in dlg.status_label.text()
    assert dlg.send_button.isEnabled()


def test_unknown_then_late_answer_then_the_servers_truth(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    dlg, sender, store, floor = setup
    choose(dlg, "s-1", "原因")
    dlg.send_button.click()
    with qtbot.waitSignal(dlg.outcome_received):
        sender.answer(CommandOutcome("r-3", "unknown", None, "no result within 10 s"))
    assert dlg.state == "unknown" and "outcome is unknown" in dlg.status_label.text()
    dlg.on_command_result(CommandOutcome("r-other", "ok", late=True))  # someone else's answer
    assert dlg.state == "unknown"
    dlg.on_command_result(CommandOutcome("r-3", "ok", late=True))
    assert dlg.state == "done" and "late answer" in dlg.status_label.text()
    assert [(a.detail["result"], a.detail["late"]) for a in store.audit()] == [("unknown", False), ("ok", True)]


def test_after_an_unknown_outcome_the_broadcast_settles_it(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    from tests.cases.scenario import person
    from tests.core.events import Stream

    dlg, sender, store, floor = setup
    choose(dlg, "s-1", "原因")
    dlg.send_button.click()
    with qtbot.waitSignal(dlg.outcome_received):
        sender.answer(CommandOutcome("r-4", "unknown", None, "no result within 10 s"))
    st = Stream()
    st.seq = floor.seq or 0
    ev = st.msg("escalation.reassigned", {"escalation_id": "e-soon", "from_owner": person("s-2", "韩梅梅"),
                                          "to_owner": person("s-1", "李雷"), "by": person("u-7", "值班长"),
                                          "reason": "原因", "at": "2026-11-22T12:00:01.000+08:00"})
    dlg.on_floor_changed(floor.apply_batch([ev]))
    assert dlg.owner_now_label.text() == "李雷"
    assert dlg.state == "done" and "now shows 李雷" in dlg.status_label.text()


def test_a_late_answer_may_come_from_the_clients_thread(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    dlg, sender, store, _ = setup
    choose(dlg, "s-1", "原因")
    dlg.send_button.click()
    with qtbot.waitSignal(dlg.outcome_received):
        sender.answer(CommandOutcome("r-5", "unknown", None, "no result within 10 s"))
    t = threading.Thread(target=dlg.on_command_result,
                         args=(CommandOutcome("r-5", "error", "conflict", "resolved", late=True),))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: dlg.state == "failed")
    assert "late answer" in dlg.status_label.text() and "resolved or changed meanwhile" in dlg.status_label.text()

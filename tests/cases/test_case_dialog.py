"""The case dialog on a real journal: contents and masking for every role (the reveal: test_reveal.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervisor.masking import contains_unmasked_number
from tests.cases.qttext import visible_text
from tests.cases.scenario import ID_NUMBER, NAME, PHONE, at, case_life, open_store
from ui.case_dialog import CaseDialog

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

LEAD = {"id": "u-7", "name": "值班长", "role": "duty_lead"}


@pytest.fixture
def journal(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = case_life()
    store = open_store(tmp_path)
    s.journal(store)
    yield s, store
    store.close()


def dialog(qtbot, journal, role: str, **kw):  # type: ignore[no-untyped-def]
    s, store = journal
    d = CaseDialog("case-1", store, s.floor(), role, True, LEAD, None, now=lambda: at(4000), **kw)
    qtbot.addWidget(d)
    return d


@pytest.mark.parametrize("role", ["floor_supervisor", "duty_lead", "manager"])
def test_no_full_customer_data_reaches_a_masked_drill_down(qtbot, journal, role: str) -> None:  # type: ignore[no-untyped-def]
    d = dialog(qtbot, journal, role)
    text = visible_text(d)
    assert not contains_unmasked_number(text, [PHONE, ID_NUMBER])
    assert NAME not in text
    assert "张*丰" in text and "138****5678" in text
    assert "110***********4512" in text  # the escalation summary's ID number, masked


def test_the_drill_down_shows_the_case_and_its_timeline(qtbot, journal) -> None:  # type: ignore[no-untyped-def]
    d = dialog(qtbot, journal, "floor_supervisor")
    assert d._fields["category"].text() == "Complaint"
    assert d._fields["status"].text() == "Pending"
    assert d.calls.rowCount() == 1 and d.calls.item(0, 0).text() == "c-1"
    assert d.calls.item(0, 5).text() == "坐席a-1" and d.calls.item(0, 8).text() == "2 / 5"
    events = [d.timeline.item(r, 1).text() for r in range(d.timeline.rowCount())]
    assert events == ["Case opened", "Queued", "Transferred", "Agent", "Answered", "Agent", "Ended", "Note",
                      "Case updated", "Survey", "Escalated", "Reassigned", "Escalation updated", "Resolved"]
    details = visible_text(d.timeline)
    assert "李雷 → 韩梅梅 by 值班长: 李雷休假" in details
    assert "status: Open → Pending" in details
    assert d.escalations.item(0, 2).text() == "韩梅梅"
    assert d.load_ms < 200


def test_floor_supervisors_and_the_wall_never_get_the_reveal(qtbot, journal) -> None:  # type: ignore[no-untyped-def]
    d = dialog(qtbot, journal, "floor_supervisor")
    assert not d.reveal_action.allowed and d.reveal_button.isHidden()
    d.reveal_action.trigger()  # even if triggered somehow: nothing happens
    assert d.masked and journal[1].audit() == []
    wall = dialog(qtbot, journal, "manager", wall=True)
    assert not wall.reveal_action.allowed and wall.reveal_button.isHidden()
    assert wall.reassign_button is None


def test_only_duty_leads_get_the_reassign_action(qtbot, journal) -> None:  # type: ignore[no-untyped-def]
    for role in ("floor_supervisor", "manager"):
        assert dialog(qtbot, journal, role).reassign_button is None
    lead = dialog(qtbot, journal, "duty_lead")
    assert lead.reassign_button is not None
    assert not lead.reassign_button.isEnabled()  # its only escalation is resolved


def test_an_unknown_case_says_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with open_store(tmp_path) as store:
        d = CaseDialog("case-x", store, None, "duty_lead")
        qtbot.addWidget(d)
        assert "Nothing about this case" in d.status_label.text()
        assert d.timeline.rowCount() == 0


def test_for_key_opens_the_case_behind_any_row(qtbot, journal) -> None:  # type: ignore[no-untyped-def]
    s, store = journal
    floor = s.floor()
    for key in ("c-1", "a-1", "e-1", "case-1"):
        d = CaseDialog.for_key(key, store, floor, "floor_supervisor")
        assert d is not None and d.case_id == "case-1"
        qtbot.addWidget(d)
    assert CaseDialog.for_key("c-2", store, floor, "floor_supervisor") is None  # a call with no case


def test_the_dialog_follows_the_floor_and_reads_the_journal_again(qtbot, journal) -> None:  # type: ignore[no-untyped-def]
    from supervisor.store import journal_row
    from tests.cases.scenario import case_record

    s, store = journal
    floor = s.floor()
    d = CaseDialog("case-1", store, floor, "floor_supervisor", True, LEAD, None)
    qtbot.addWidget(d)
    rows = d.timeline.rowCount()
    note = {"at": "2026-11-22T10:30:00.000+08:00", "by": "李雷", "text": "已电话回访"}
    ev = s.add("case.updated", {"case": case_record("case-1", status="closed", call_ids=("c-1",), notes=(
        {"at": "2026-11-22T09:04:10.000+08:00", "by": "坐席a-1", "text": "客户手机 13812345678 要求回电"}, note))},
        at(5400), True)
    changes = floor.apply_batch([ev])
    d.on_floor_changed(changes)  # the floor knows first: the header follows at once
    assert d._fields["status"].text() == "Closed"
    store.append([journal_row("E1", ev, s.stream.raw[-1])])  # the writer catches up a moment later
    qtbot.waitUntil(lambda: d.timeline.rowCount() == rows + 2, timeout=3000)  # the update and its note
    last = d.timeline.rowCount() - 1
    assert [d.timeline.item(r, 1).text() for r in (last - 1, last)] == ["Case updated", "Note"]
    assert "已电话回访" in d.timeline.item(last, 2).text()

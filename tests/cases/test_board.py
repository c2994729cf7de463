"""The escalation board widget: figures, filters, sort by due, overdue marks, role-gated action."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from supervisor import escalations as rules
from supervisor.floor import Changes
from tests.cases.board_floor import board_floor, minutes
from tests.cases.scenario import person
from tests.core.events import Stream
from ui import palette
from ui.escalation_board import BoardModel, EscalationBoard
from ui.models.base import ID_ROLE, STATE_ROLE

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def shown_ids(board: EscalationBoard) -> list[str]:
    return [board.proxy.index(r, 0).data(ID_ROLE) for r in range(board.proxy.rowCount())]


def figures(board: EscalationBoard) -> dict[str, tuple[str, str, str]]:
    t = board.figures
    return {t.item(r, 0).text(): (t.item(r, 1).text(), t.item(r, 2).text(), t.item(r, 3).text())
            for r in range(t.rowCount())}


def make(qtbot, role: str = "duty_lead") -> EscalationBoard:  # type: ignore[no-untyped-def]
    floor, now = board_floor()
    board = EscalationBoard(floor, role)
    qtbot.addWidget(board)
    board.tick(now)
    return board


def test_model_passes_the_model_tester(qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    floor, now = board_floor()
    model = BoardModel(floor)
    model.apply(Changes(reset=True))
    model.tick(now)
    qtmodeltester.check(model)


def test_sorted_by_due_resolved_hidden_and_overdue_marked(qtbot) -> None:  # type: ignore[no-untyped-def]
    board = make(qtbot)
    assert shown_ids(board) == ["e-late", "e-it", "e-soon", "e-ok"]
    first = board.proxy.index(0, BoardModel.STATE)
    assert first.data(STATE_ROLE) == "overdue"
    assert first.data().startswith("✕")  # a symbol, not colour alone
    assert first.data(Qt.ItemDataRole.BackgroundRole) == palette.OVERDUE_BG
    assert first.data(Qt.ItemDataRole.FontRole).bold()
    assert board.proxy.index(0, BoardModel.DUE_IN).data().startswith("42:00")
    soon = board.proxy.index(2, BoardModel.STATE)
    assert soon.data(STATE_ROLE) == "due_soon" and soon.data().startswith("!")
    assert board.proxy.index(3, BoardModel.STATE).data().startswith("✓")
    assert board.count_label.text() == "4 shown, 2 overdue"


def test_per_department_figures(qtbot) -> None:  # type: ignore[no-untyped-def]
    board = make(qtbot)
    figs = figures(board)
    assert figs["Credit card center"] == ("3", "✕ 1", "! 1")
    assert figs["IT"] == ("1", "✕ 1", "0")
    assert board.figures.item(0, 2).background().color() == palette.OVERDUE_BG


def test_filters(qtbot) -> None:  # type: ignore[no-untyped-def]
    board = make(qtbot)
    board.overdue_check.setChecked(True)
    assert shown_ids(board) == ["e-late", "e-it"]
    board.overdue_check.setChecked(False)
    board.department_combo.setCurrentIndex(board.department_combo.findData("it"))
    assert shown_ids(board) == ["e-it"]
    board.department_combo.setCurrentIndex(0)
    board.owner_combo.setCurrentIndex(board.owner_combo.findData("s-1"))
    assert shown_ids(board) == ["e-late", "e-ok"]
    board.owner_combo.setCurrentIndex(0)
    board.severity_combo.setCurrentIndex(board.severity_combo.findData("high"))
    assert shown_ids(board) == ["e-soon"]
    board.set_filter(rules.BoardFilter(include_resolved=True))
    assert shown_ids(board)[0] == "e-done" and len(shown_ids(board)) == 5
    assert board.severity_combo.currentIndex() == 0


def test_time_moves_an_escalation_into_overdue(qtbot) -> None:  # type: ignore[no-untyped-def]
    floor, now = board_floor()
    board = EscalationBoard(floor, "duty_lead")
    qtbot.addWidget(board)
    board.tick(now)
    board.overdue_check.setChecked(True)
    assert "e-soon" not in shown_ids(board)
    board.tick(now + minutes(13))
    assert shown_ids(board) == ["e-late", "e-it", "e-soon"]
    assert figures(board)["Credit card center"][1] == "✕ 2"


def test_live_updates_show_the_servers_owner(qtbot) -> None:  # type: ignore[no-untyped-def]
    floor, now = board_floor()
    board = EscalationBoard(floor, "duty_lead")
    qtbot.addWidget(board)
    board.tick(now)
    st = Stream()
    st.seq = floor.seq or 0
    ev = st.msg("escalation.reassigned", {"escalation_id": "e-ok", "from_owner": person("s-1", "李雷"),
                                          "to_owner": person("s-3", "王芳"), "by": person("u-1", "值班长"),
                                          "reason": "x", "at": "2026-11-22T12:00:00.000+08:00"}, now)
    changes = floor.apply_batch([ev])
    board.apply(changes)
    row = shown_ids(board).index("e-ok")
    assert board.proxy.index(row, BoardModel.OWNER).data() == "王芳"
    assert board.owner_combo.findData("s-3") >= 0


@pytest.mark.parametrize("role,visible", [("duty_lead", True), ("floor_supervisor", False), ("manager", False)])
def test_only_duty_leads_see_the_reassign_action(qtbot, role: str, visible: bool) -> None:  # type: ignore[no-untyped-def]
    board = make(qtbot, role)
    assert (board.reassign_button is not None) == visible
    texts = [b.text() for b in board.findChildren(type(board.open_case_button))]
    assert any("Reassign" in t for t in texts) == visible


def test_selecting_and_asking(qtbot) -> None:  # type: ignore[no-untyped-def]
    board = make(qtbot)
    board.table.selectRow(0)
    assert board.reassign_button is not None and board.reassign_button.isEnabled()
    with qtbot.waitSignal(board.reassign_requested) as got:
        board.reassign_button.click()
    assert got.args == ["e-late"]
    with qtbot.waitSignal(board.case_requested) as got:
        board.open_case_button.click()
    assert got.args == ["case-1"]

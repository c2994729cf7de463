"""Render the case dialog, the escalation board and the reassign dialog to PNG in English and
Chinese (artifacts/screenshots/, to look at), and check the Chinese screens are Chinese."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QApplication

import resources
from tests.cases.board_floor import board_floor
from tests.cases.qttext import visible_text
from tests.cases.scenario import at, case_life, open_store
from ui import look
from ui.case_dialog import CaseDialog
from ui.escalation_board import EscalationBoard
from ui.reassign_dialog import ReassignDialog

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

SHOTS = Path(os.environ.get("CC_SHOTS", Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"))
LEAD = {"id": "u-7", "name": "值班长", "role": "duty_lead"}


@pytest.fixture(params=["en", "zh"])
def lang(request, qapp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    before_font, before_sheet = QApplication.font(), qapp.styleSheet()
    look.apply(qapp)
    translator = QTranslator()
    if request.param == "zh":
        qm = resources.root() / "i18n" / "command_center_zh_CN.qm"
        assert translator.load(str(qm)), f"could not load {qm}"
        qapp.installTranslator(translator)
    try:
        yield request.param
    finally:
        qapp.removeTranslator(translator)
        qapp.setStyleSheet(before_sheet)
        QApplication.setFont(QFont(before_font))


def save(widget, name: str) -> QImage:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    pixmap = widget.grab()
    path = SHOTS / f"{name}.png"
    assert pixmap.save(str(path)), path
    image = pixmap.toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20, f"{name} looks blank"
    return image


def test_case_dialog(qtbot, tmp_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tests.cases.test_reveal import CUSTOMER, NAME, PHONE, Server, masked_at_rest, ok, refused
    from ui.reveal import ReasonDialog

    with open_store(tmp_path) as store:
        s = masked_at_rest(store)  # the journal as the client keeps it: masked at rest
        d = CaseDialog("case-1", store, s.floor(), "duty_lead", True, LEAD, None, now=lambda: at(4000))
        qtbot.addWidget(d)
        d.resize(1100, 760)
        save(d, f"case_dialog_{lang}")
        server = Server()
        revealed = CaseDialog("case-1", store, s.floor(), "manager", True, LEAD, None, now=lambda: at(4000),
                              reveal=server, ask_reveal_reason=lambda: "客户来电核实身份")
        qtbot.addWidget(revealed)
        revealed.resize(1100, 900)
        revealed.reveal_action.trigger()
        save(revealed, f"case_dialog_asking_{lang}")
        server.answer(ok(), thread=False)
        assert not revealed.masked and revealed._fields["phone"].text() == PHONE
        revealed.timeline.scrollToBottom()
        save(revealed, f"case_dialog_revealed_{lang}")
        refusing = CaseDialog("case-1", store, s.floor(), "manager", True, LEAD, None, now=lambda: at(4000),
                              reveal=server, ask_reveal_reason=lambda: "核实")
        qtbot.addWidget(refusing)
        refusing.resize(1100, 760)
        refusing.reveal_action.trigger()
        server.answer(refused("forbidden"), thread=False)
        save(refusing, f"case_dialog_refused_{lang}")
        reason = ReasonDialog("case-1")
        qtbot.addWidget(reason)
        reason.reason_edit.setPlainText("客户来电要求核实身份")
        save(reason, f"reveal_reason_{lang}")
        assert CUSTOMER.name == NAME
        if lang == "zh":
            assert d.windowTitle().startswith("工单")
            assert d.timeline.horizontalHeaderItem(1).text() != "Event"
            assert d._fields["category"].text() == "投诉"
            for w in (revealed, refusing, reason):
                text = visible_text(w)
                assert not any(word in text for word in ("Reveal", "server", "Refused", "Customer ID")), text


def test_escalation_board(qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    floor, now = board_floor()
    board = EscalationBoard(floor, "duty_lead")
    qtbot.addWidget(board)
    board.tick(now)
    board.resize(1200, 520)
    board.table.resizeColumnsToContents()
    save(board, f"escalation_board_{lang}")
    if lang == "zh":
        assert board.overdue_check.text() != "Overdue only"


def test_reassign_dialog(qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    floor, _now = board_floor()
    dlg = ReassignDialog(floor.escalations["e-late"], floor.departments,
                         functools.partial(lambda to, reason: Future()), None, role="duty_lead", floor=floor,
                         audit=None)
    qtbot.addWidget(dlg)
    dlg.owner_combo.setCurrentIndex(1)
    dlg.reason_edit.setPlainText("李雷休假，转交韩梅梅跟进" if lang == "zh" else "Li Lei is on leave")
    dlg.send_button.click()  # the pending state
    dlg.resize(560, 420)
    save(dlg, f"reassign_dialog_pending_{lang}")

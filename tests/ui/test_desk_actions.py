"""The desk's requests open the real dialogs: a row opens its case from the journal, a case's
escalation opens the reassignment (duty lead), Ctrl+E opens the export, against the simulator.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSettings

from supervisor.sim.server import SimConfig, start_in_thread
from supervisor.timeutil import CHINA
from ui.bridge import FeedBridge
from ui.models.base import ID_ROLE
from ui.shell import Shell


def test_rows_open_cases_and_ctrl_e_opens_the_export(qtbot, tmp_path):
    sim = start_in_thread(SimConfig(seed=5, speed=30.0, agents=30, start=datetime(2026, 11, 20, 10, 0, tzinfo=CHINA),
                                    prerun_hours=2.0, heartbeat_s=0.5))
    db = f"sqlite:///{tmp_path / 'journal.db'}"
    shell = Shell(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                  bridge_factory=lambda inbox: FeedBridge(inbox, sim.url, "demo-lead", db_url=db,
                                                         resume=(sim.epoch, 0)),
                  beep=False, db_url=db, lang="en")
    try:
        shell.start()
        live = shell.live
        qtbot.waitUntil(lambda: live.status is not None and live.status.state == "live", timeout=15_000)
        qtbot.waitUntil(lambda: live.escalations.rowCount() > 0, timeout=15_000)
        sim.pause()
        seq = sim.state_at()[0]
        qtbot.waitUntil(lambda: live.floor.seq == seq, timeout=15_000)
        # the journal writer catches up with what the floor shows
        qtbot.waitUntil(lambda: shell.actions.store().last_position() == (sim.epoch, seq), timeout=15_000)

        esc_id = live.escalations.ids()[0]
        esc = live.floor.escalations[esc_id]
        with qtbot.waitSignal(shell.window.case_requested) as requested:
            view = shell.window.escalations_view
            row = next(r for r in range(view.model().rowCount())
                       if view.model().index(r, 0).data(ID_ROLE) == esc_id)
            view.activated.emit(view.model().index(row, 0))
        assert requested.args == [esc.case_id]
        dialog = shell.actions.dialogs[-1]
        assert dialog.case_id == esc.case_id and dialog.isVisible()

        dialog.reassign_requested.emit(esc_id)  # the case's escalation, as its button does
        reassign = shell.actions.dialogs[-1]
        assert reassign.escalation.escalation_id == esc_id and reassign.isVisible()
        assert reassign.on_command_result in shell.bridge.command_listeners  # late answers reach it

        shell.window.board_action.trigger()  # Ctrl+B
        board = shell.actions.board
        assert board is not None and board.isVisible() and board.isWindow()
        assert board.model.rowCount() == len(live.floor.escalations)

        # the command path: main thread -> asyncio thread -> server -> the floor shows the truth
        sim.resume()
        dept = live.floor.departments[esc.department]
        new_owner = next(m for m in dept.members if m.id != esc.owner.id)
        outcome = shell.bridge.reassign(esc_id, new_owner.id, "on leave today").result(timeout=15)
        assert outcome.ok, outcome
        qtbot.waitUntil(lambda: live.floor.escalations[esc_id].owner.id == new_owner.id, timeout=10_000)

        shell.window.export_action.trigger()
        export = shell.actions.dialogs[-1]
        assert type(export).__name__ == "ExportDialog"
        shell.shutdown()
        assert shell.actions.dialogs == [] or all(not d.isVisible() for d in shell.actions.dialogs)
    finally:
        shell.dispose()
        sim.stop()

"""What the desk window's requests open: the case drill-down (from any row), the
reassignment (from a case, duty leads only) and the workbook export (Ctrl+E).

The dialogs are other modules' work; this is only the wiring: a read-only Store on the
main thread for the journal look-ups (small indexed queries), the signed-in user from
the feed's status, the bridge for commands, and the live floor so dialogs follow it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QMainWindow

from supervisor.floor import Changes
from ui import names
from ui.bridge import FeedBridge
from ui.live import LiveFloor

if TYPE_CHECKING:
    from supervisor import wire
    from supervisor.feed import CommandOutcome
    from supervisor.store import Store
    from ui.case_dialog import CaseDialog
    from ui.escalation_board import EscalationBoard
    from ui.export_dialog import ExportDialog
    from ui.reassign_dialog import ReassignDialog

log = logging.getLogger(__name__)


class DeskActions(QObject):
    def __init__(self, live: LiveFloor, window: QMainWindow, db_url: str | None, lang: str,
                 bridge: FeedBridge | None = None) -> None:
        super().__init__(window)
        self.live = live
        self.window = window
        self.db_url = db_url
        self.lang = lang
        self.bridge = bridge
        self._store: Store | None = None
        self.board: EscalationBoard | None = None
        self.dialogs: list[QDialog] = []  # open dialogs, for tests and for closing on shutdown

    # ------------------------------------------------------------------ helpers

    def _user(self) -> wire.User | None:
        status = self.live.status
        return None if status is None else status.user

    def _role(self) -> str | None:
        user = self._user()
        return None if user is None else user.role

    def store(self) -> Store | None:
        """The journal, opened on first use on the main thread (reads only)."""
        if self._store is None and self.db_url:
            from supervisor.store import Store

            self._store = Store(self.db_url)
        return self._store

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def close(self) -> None:
        for dialog in list(self.dialogs):
            dialog.close()
        if self.board is not None:
            self.board.close()
        if self._store is not None:
            self._store.close()
            self._store = None

    # ------------------------------------------------------------------ case

    def open_case(self, key: str) -> CaseDialog | None:
        """The case behind a row (contact, agent, escalation or case id); None if there is none."""
        from supervisor.caselookup import resolve_case
        from ui.case_dialog import CaseDialog

        store = self.store()
        if store is None:
            self._say(self.tr("No journal: the case cannot be opened."))
            return None
        case_id = resolve_case(store, self.live.floor, key)
        if case_id is None:
            self._say(self.tr("No case for this row yet."))
            return None
        user = self._user()
        actor = {"id": user.id, "name": user.name} if user is not None else None
        # a reveal goes to the server (which decides and audits); the record stays in the dialog
        dialog = CaseDialog(case_id, store, self.live.floor, self._role(), True, actor,
                            self.window, now=self.live.clock.now,
                            reveal=self.bridge.reveal if self.bridge is not None else None)
        self.live.changed.connect(dialog.on_floor_changed)
        dialog.reassign_requested.connect(self.open_reassign)
        self._track(dialog)
        dialog.show()
        return dialog

    # ------------------------------------------------------------------ reassign

    def open_reassign(self, escalation_id: str) -> ReassignDialog | None:
        from ui.reassign_dialog import ReassignDialog, audit_to

        esc = self.live.floor.escalations.get(escalation_id)
        if esc is None:
            self._say(self.tr("This escalation is no longer known."))
            return None
        user = self._user()
        if self.bridge is None:
            self._say(self.tr("Not connected: nothing can be reassigned."))
            return None
        store = self.store()
        actor = {"id": user.id, "name": user.name} if user is not None else {"id": "", "name": ""}
        dialog = ReassignDialog(
            esc, self.live.floor.departments, functools.partial(self.bridge.reassign, escalation_id),
            self.window, role=self._role(), floor=self.live.floor,
            audit=audit_to(store, actor, self.live.clock.now) if store is not None else None,
        )
        self.live.changed.connect(dialog.on_floor_changed)
        # a late answer from the server (after the dialog stopped waiting) still reaches it
        listener = dialog.on_command_result
        self.bridge.command_listeners.append(listener)
        dialog.destroyed.connect(lambda *_: self._forget(listener))
        self._track(dialog)
        dialog.show()
        return dialog

    def _forget(self, listener: Callable[[CommandOutcome], None]) -> None:
        if self.bridge is not None and listener in self.bridge.command_listeners:
            self.bridge.command_listeners.remove(listener)

    # ------------------------------------------------------------------ export

    def open_export(self) -> ExportDialog | None:
        from ui.export_dialog import ExportDialog

        if not self.db_url:
            self._say(self.tr("No journal: nothing to export."))
            return None
        floor = self.live.floor
        queues = [(qid, names.queue(qid, q.name)) for qid, q in floor.queues.items()] or None
        teams = sorted({a.team for a in floor.agents.values() if a.team}) or None
        dialog = ExportDialog(self.db_url, self.live.clock.tz, self.lang, self.window,
                              queues=queues, teams=teams, now=self.live.clock.now,
                              formula=self.live.formula)
        self._track(dialog)
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ escalation board

    def open_board(self) -> EscalationBoard:
        """The duty lead's escalation board in its own window (a second screen, typically).

        Created on first use with the signed-in role, which decides whether the reassign
        action exists; kept and raised on later requests.
        """
        from PySide6.QtWidgets import QWidget

        from ui.escalation_board import EscalationBoard

        if self.board is None:
            board = EscalationBoard(self.live.floor, self._role(), self.window,
                                    now=self.live.clock.now)
            board.setWindowFlag(Qt.WindowType.Window, True)  # a window of its own, not a dock
            board.setWindowTitle(self.tr("Escalation board"))
            board.resize(1200, 700)
            board.apply(Changes(reset=True))  # start from the floor as it is now
            board.tick(self.live.clock.now())
            self.live.changed.connect(board.apply)
            self.live.ticked.connect(board.tick)
            board.case_requested.connect(self.open_case)
            board.reassign_requested.connect(self.open_reassign)
            self.board = board
        board_widget: QWidget = self.board
        board_widget.show()
        board_widget.raise_()
        board_widget.activateWindow()
        return self.board

    def _track(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.dialogs.remove(dialog) if dialog in self.dialogs else None)

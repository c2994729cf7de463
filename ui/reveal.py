"""The audited reveal of one case's masked customer data.

Customer names, phone and ID numbers are masked everywhere by default. A duty lead or a
manager at the desk may reveal one case's data with an explicit action that asks for
confirmation and is written to the audit table *before* anything is shown; floor
supervisors never get the action, and the wall display never reveals. If the audit
cannot be written, nothing is revealed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from supervisor.escalations import AuditSink, can_reveal, record_reveal

log = logging.getLogger(__name__)


def reveal_allowed(role: str | None, wall: bool = False) -> bool:
    """Duty leads and managers at the desk; never a floor supervisor, never the wall."""
    return can_reveal(role) and not wall


class RevealAction(QAction):
    """"Reveal customer data" for one case: confirm, audit, then emit ``revealed``.

    ``confirm`` asks the user (a yes/no box by default; tests pass their own);
    ``now`` gives the time recorded (server time from the main window's clock).
    """

    revealed = Signal(str)  # case id, after the audit entry is written
    failed = Signal(str)  # why nothing was revealed (audit write failed)

    def __init__(
        self,
        case_id: str,
        store: AuditSink,
        actor: Mapping[str, Any],
        role: str | None,
        parent: QObject | None = None,
        *,
        wall: bool = False,
        now: Callable[[], datetime] | None = None,
        confirm: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setText(self.tr("Reveal customer data"))
        self.setToolTip(self.tr("Show this case's customer name and numbers unmasked. The reveal is audited."))
        self.setObjectName("reveal_action")
        self.case_id = case_id
        self._store = store
        self._actor = dict(actor)
        self._allowed = reveal_allowed(role, wall)
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._confirm = confirm or self._ask
        self.setVisible(self._allowed)
        self.setEnabled(self._allowed)
        self.triggered.connect(self._on_triggered)

    @property
    def allowed(self) -> bool:
        return self._allowed

    def _ask(self) -> bool:
        parent = self.parent()
        answer = QMessageBox.question(
            parent if isinstance(parent, QWidget) else None,
            self.tr("Reveal customer data"),
            self.tr("Show the customer's name, phone and ID numbers of case %1 unmasked?\n"
                    "Your name and the time are recorded in the audit trail.").replace("%1", self.case_id),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_triggered(self, _checked: bool = False) -> None:
        if not self._allowed:
            return  # a hidden action triggered by a shortcut still reveals nothing
        if not self._confirm():
            return
        try:
            record_reveal(self._store, self._actor, self._now(), self.case_id)
        except Exception as exc:  # noqa: BLE001 - no audit, no reveal; say why
            log.exception("audit of a reveal failed")
            self.failed.emit(self.tr("The reveal could not be audited, so nothing was revealed: %1")
                             .replace("%1", str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
            return
        self.revealed.emit(self.case_id)

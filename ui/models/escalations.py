"""Open escalations: severity, department, owner, summary, status, countdown to due.

Reusable by the richer escalation board (reassignment) of a later issue: rows keyed by
escalation id, resolved ones leave the model, overdue ones carry STATE_ROLE "overdue".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from supervisor import wire
from supervisor.floor import Changes, Floor
from supervisor.masking import mask_text
from supervisor.timeutil import format_duration
from ui import names, palette
from ui.models.base import (
    ALIGNMENT, BACKGROUND, DISPLAY, FONT, FOREGROUND,
    CASE_ROLE, SORT_ROLE, STATE_ROLE, KeyedTableModel,
)

_SEVERITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
DUE_SOON_S = 30 * 60  # "due soon": within half an hour


class EscalationModel(KeyedTableModel[wire.Escalation]):
    SEVERITY, DEPARTMENT, OWNER, SUMMARY, STATUS, DUE = range(6)
    CLOCK_COLUMNS = (DUE,)

    def __init__(self, floor: Floor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._floor = floor
        self._now: datetime | None = None
        self._overdue: set[str] = set()
        self._bold = QFont()
        self._bold.setBold(True)

    def headers(self) -> list[str]:
        return [self.tr("Severity"), self.tr("Department"), self.tr("Owner"), self.tr("Summary"),
                self.tr("Status"), self.tr("Due in")]

    def _open(self, key: str) -> wire.Escalation | None:
        esc = self._floor.escalations.get(key)
        return esc if esc is not None and esc.status != "resolved" else None

    def apply(self, changes: Changes) -> None:
        if changes.reset:
            self.reset_to((e.escalation_id, e) for e in self._floor.open_escalations())
            self._overdue = {k for k, e in self._items.items() if self._is_overdue(e)}
            return
        if not changes.escalations_changed:
            return
        gone = [k for k in changes.escalations_changed if self._open(k) is None]
        live = [k for k in changes.escalations_changed if self._open(k) is not None]
        self.sync((), gone, live, self._open)
        self._overdue.difference_update(gone)

    def tick(self, now: datetime) -> None:
        self._now = now
        overdue = {k for k, e in self._items.items() if self._is_overdue(e)}
        if overdue != self._overdue:
            flipped = overdue ^ self._overdue
            self._overdue = overdue
            # the overdue highlight spans the whole row; only the rows that flipped
            self.emit_rows([self._row_of[k] for k in flipped if k in self._row_of],
                           range(self.columnCount()),
                           [DISPLAY, BACKGROUND, FOREGROUND,
                            FONT, STATE_ROLE])

    def now(self) -> datetime | None:
        return self._now or self._floor.last_ts

    def seconds_left(self, esc: wire.Escalation) -> float:
        now = self.now()
        return (esc.due_at - now).total_seconds() if now is not None else 0.0

    def _is_overdue(self, esc: wire.Escalation) -> bool:
        return self.now() is not None and self.seconds_left(esc) < 0

    def state_of(self, esc: wire.Escalation) -> str:
        left = self.seconds_left(esc)
        if left < 0:
            return "overdue"
        return "due_soon" if left <= DUE_SOON_S else "ok"

    def cell(self, key: str, item: wire.Escalation, column: int, role: int) -> Any:
        esc: wire.Escalation = item
        if role == DISPLAY:
            return self._display(esc, column)
        if role == SORT_ROLE:
            if column == self.SEVERITY:
                return _SEVERITY_RANK.get(esc.severity, 9)
            if column == self.DUE:
                return esc.due_at.timestamp()
            return self._display(esc, column)
        if role == STATE_ROLE:
            return self.state_of(esc)
        if role == CASE_ROLE:
            return esc.case_id
        overdue = key in self._overdue
        if role == BACKGROUND and overdue:
            return palette.OVERDUE_BG
        if role == FOREGROUND:
            if overdue:
                return palette.OVERDUE_FG
            if column == self.SEVERITY and esc.severity in ("urgent", "high"):
                return palette.MARK_FG
        if role == FONT and (overdue or (column == self.SEVERITY and esc.severity == "urgent")):
            return self._bold
        if role == ALIGNMENT and column == self.DUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, esc: wire.Escalation, column: int) -> str:
        if column == self.SEVERITY:
            return names.severity(esc.severity)
        if column == self.DEPARTMENT:
            dept = self._floor.departments.get(esc.department)
            return names.department(esc.department, dept.name if dept else "")
        if column == self.OWNER:
            return esc.owner.name or esc.owner.id
        if column == self.SUMMARY:
            return mask_text(esc.summary)
        if column == self.STATUS:
            return names.escalation_status(esc.status)
        if column == self.DUE:
            left = self.seconds_left(esc)
            if left < 0:
                return self.tr("overdue %1").replace("%1", format_duration(-left))
            return format_duration(left)
        return ""

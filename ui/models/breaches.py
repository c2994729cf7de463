"""Today's SLA breaches (KPI.md): contacts answered or abandoned after more than T, or still
waiting beyond it, one row per call, customers masked.

The list is computed on the feed thread with the KPI figures (``KpiToday.breaches``);
each post becomes inserted rows for new calls and a ranged dataChanged for rows whose
outcome or wait moved, never a reset, so a supervisor's selection and scroll survive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from supervisor.floor import Floor
from supervisor.masking import mask_name, mask_phone
from supervisor.timeutil import format_duration

if TYPE_CHECKING:
    from supervisor.kpi.lists import ContactRow
    from ui.kpi_today import KpiToday
from ui import names, palette
from ui.models.base import (
    ALIGNMENT, DISPLAY, FONT, FOREGROUND, SORT_ROLE, STATE_ROLE, TOOLTIP, KeyedTableModel,
)

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_WAITING = "waiting"


class BreachModel(KeyedTableModel["ContactRow"]):
    """One row per breached call of today, keyed by call id (rows are ``ContactRow``)."""

    QUEUED, QUEUE, CHANNEL, CUSTOMER, WAIT, OUTCOME = range(6)
    CLOCK_COLUMNS = (WAIT,)  # a contact still waiting keeps waiting between KPI posts

    def __init__(self, floor: Floor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._floor = floor  # only for the server's queue names
        self._now: datetime | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def headers(self) -> list[str]:
        return [self.tr("Queued at"), self.tr("Queue"), self.tr("Channel"), self.tr("Customer"),
                self.tr("Wait"), self.tr("Outcome")]

    # ------------------------------------------------------------------ updates

    def on_kpi(self, kpi: KpiToday | None) -> None:
        """Take the breach list of a ``KpiToday`` post (no post changes nothing)."""
        if kpi is None:
            return
        self.update_rows(kpi.breaches, kpi.server_now)

    def update_rows(self, rows: Sequence[ContactRow], now: datetime | None = None) -> None:
        """Make the model hold exactly ``rows``: new calls inserted, gone ones removed
        (a new day), changed ones signalled by range."""
        if now is not None and (self._now is None or now > self._now):
            self._now = now
        fresh = {row.call_id: row for row in rows}
        removed = [key for key in self._ids if key not in fresh]
        added = [key for key in fresh if key not in self._row_of]
        changed = [key for key, row in fresh.items()
                   if key in self._row_of and self._items[key] != row]
        self.sync(added, removed, changed, fresh.get)

    def tick(self, now: datetime) -> None:
        """Advance the wait of contacts still waiting (their rows only, display and sort)."""
        self._now = now
        rows = [self._row_of[key] for key, row in self._items.items() if row.outcome == _WAITING]
        self.emit_rows(rows, (self.WAIT,), [DISPLAY, SORT_ROLE])

    # ------------------------------------------------------------------ figures

    def wait_of(self, row: ContactRow) -> float | None:
        """The wait to the answer or abandon; for a contact still waiting, up to the clock."""
        wait: float | None = row.wait_seconds
        if row.outcome == _WAITING and self._now is not None:
            live = (self._now - row.queued_at).total_seconds()
            wait = live if wait is None else max(wait, live)
        return wait

    def outcome_text(self, outcome: str) -> str:
        """'✕ Answered late' / '✕ Abandoned' / '✕ Still waiting': a mark and a word, never colour alone."""
        word = {
            "answered": self.tr("Answered late"),
            "abandoned": self.tr("Abandoned"),
            _WAITING: self.tr("Still waiting"),
        }.get(outcome, self.tr("Unknown"))
        return f"{names.SLA_SYMBOLS['breached']} {word}"

    # ------------------------------------------------------------------ cells

    def cell(self, key: str, item: ContactRow, column: int, role: int) -> Any:
        if role == DISPLAY:
            return self._display(item, column)
        if role == SORT_ROLE:
            if column == self.QUEUED:
                return item.queued_at.timestamp()
            if column == self.WAIT:
                return self.wait_of(item) or 0.0
            return self._display(item, column)
        if role == STATE_ROLE:
            return item.outcome if column == self.OUTCOME else None
        if role == FOREGROUND and column in (self.OUTCOME, self.WAIT):
            return palette.SLA_TEXT["breached"]
        if role == FONT and column == self.OUTCOME and item.outcome == _WAITING:
            return self._bold  # the one a supervisor can still do something about
        if role == TOOLTIP and column == self.CUSTOMER and item.customer is not None:
            return mask_phone(item.customer.phone)
        if role == ALIGNMENT and column in (self.WAIT, self.QUEUED):
            return _RIGHT
        return None

    def _display(self, row: ContactRow, column: int) -> str:
        if column == self.QUEUED:
            return str(row.queued_at.strftime("%H:%M:%S"))
        if column == self.QUEUE:
            queue = self._floor.queues.get(row.queue) if self._floor is not None else None
            return names.queue(row.queue, queue.name if queue else "")
        if column == self.CHANNEL:
            return names.channel(row.channel) if row.channel else ""
        if column == self.CUSTOMER:
            customer = row.customer
            if customer is None:
                return ""
            return mask_name(customer.name) or mask_phone(customer.phone)
        if column == self.WAIT:
            return format_duration(self.wait_of(row))
        if column == self.OUTCOME:
            return self.outcome_text(row.outcome)
        return ""

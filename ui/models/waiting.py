"""Waiting contacts: queue, channel, masked customer, VIP and case marks, wait clock, SLA.

The wait, SLA state and time-to-breach columns move with server time; ``tick`` emits one
dataChanged over just those columns and, only when some row changed state, the colour
roles too. A contact that crosses its SLA is reported once through ``sla_crossed``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont

from supervisor import wire
from supervisor.floor import Changes, Floor
from supervisor.masking import mask_name, mask_phone
from supervisor.sla import SlaPolicy, wait_seconds
from supervisor.timeutil import format_duration
from ui import names, palette
from ui.models.base import (
    ALIGNMENT, BACKGROUND, DISPLAY, FONT, FOREGROUND, TOOLTIP,
    CASE_ROLE, SORT_ROLE, STATE_ROLE, KeyedTableModel,
)

MARKED_CATEGORIES = frozenset({"fraud_report", "card_loss"})
_RANK = {"breached": 0, "warning": 1, "ok": 2}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_STATE_ROLES = [DISPLAY, BACKGROUND,
                FOREGROUND, FONT, STATE_ROLE]


class WaitingModel(KeyedTableModel):
    """One row per waiting contact of the floor, keyed by call id."""

    QUEUE, CHANNEL, CUSTOMER, VIP, CASE, WAIT, SLA, BREACH_IN = range(8)
    CLOCK_COLUMNS = (WAIT, SLA, BREACH_IN)

    sla_crossed = Signal(list)  # call ids whose wait passed T on this tick

    def __init__(self, floor: Floor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._floor = floor
        self._now: datetime | None = None
        self._state: dict[str, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def headers(self) -> list[str]:
        return [
            self.tr("Queue"), self.tr("Channel"), self.tr("Customer"), self.tr("VIP"),
            self.tr("Case"), self.tr("Wait"), self.tr("SLA"), self.tr("Breach in"),
        ]

    # ------------------------------------------------------------------ updates

    def apply(self, changes: Changes) -> None:
        if changes.reset:
            self.reset_to(self._floor.waiting.items())
            self._state = {k: self._classify(c) for k, c in self._floor.waiting.items()}
            return
        for key in changes.waiting_removed:
            self._state.pop(key, None)
        self.sync(changes.waiting_added, changes.waiting_removed, changes.waiting_changed,
                  self._floor.waiting.get)
        for key in (*changes.waiting_added, *changes.waiting_changed):
            contact = self._items.get(key)
            if contact is not None:
                self._state[key] = self._classify(contact)

    def tick(self, now: datetime) -> list[str]:
        """Advance the clocks to ``now``; returns (and signals) the contacts that crossed T."""
        previous, self._now = self._now, now
        crossed: list[str] = []
        recoloured: list[int] = []
        for key, contact in self._items.items():
            state = self._classify(contact)
            old = self._state.get(key)
            if state != old:
                recoloured.append(self._row_of[key])
                self._state[key] = state
                if state == "breached" and previous is not None:
                    crossed.append(key)
        # only rows whose SLA state changed are signalled here, with the colour roles; the
        # clock text of every row is refreshed through the views' proxies (LiveFloor.tick)
        self.emit_rows(recoloured, self.CLOCK_COLUMNS, _STATE_ROLES)
        if crossed:
            self.sla_crossed.emit(crossed)
        return crossed

    # ------------------------------------------------------------------ figures

    def now(self) -> datetime | None:
        return self._now or self._floor.last_ts

    def policy(self, contact: wire.Contact) -> SlaPolicy:
        return SlaPolicy.of(self._floor.queues.get(contact.queue))

    def wait_of(self, contact: wire.Contact) -> float:
        now = self.now()
        return wait_seconds(contact.queued_at, now) if now is not None else 0.0

    def _classify(self, contact: wire.Contact) -> str:
        return self.policy(contact).state(self.wait_of(contact)).value

    def state_of(self, key: str) -> str:
        """The SLA state painted now: from the same wait as the clock text beside it, so a
        chip never says "OK" next to a wait past T (the cache only spots tick changes)."""
        contact = self._items.get(key)
        return self._classify(contact) if contact is not None else "ok"

    # ------------------------------------------------------------------ cells

    def cell(self, key: str, item: Any, column: int, role: int) -> Any:
        contact: wire.Contact = item
        if role == DISPLAY:
            return self._display(contact, column)
        if role == SORT_ROLE:
            return self._sort_value(key, contact, column)
        if role == STATE_ROLE:
            # only the SLA-bearing cells: a delegate paints a state chip wherever this is set
            return self.state_of(key) if column in (self.WAIT, self.SLA) else None
        if role == CASE_ROLE:
            return contact.case_id
        if role == BACKGROUND:
            return palette.SLA_BG[self.state_of(key)] if column in (self.SLA, self.WAIT) else None
        if role == FOREGROUND:
            if column in (self.SLA, self.WAIT):
                return palette.SLA_FG[self.state_of(key)]
            if column == self.BREACH_IN:
                return palette.SLA_TEXT[self.state_of(key)]
            if column == self.CASE and self._floor.case_category(contact) in MARKED_CATEGORIES:
                return palette.MARK_FG
            if column == self.VIP and contact.customer.segment == "vip":
                return palette.VIP_FG
        if role == FONT:
            if column == self.SLA and self.state_of(key) != "ok":
                return self._bold
            if column == self.CASE and self._floor.case_category(contact) in MARKED_CATEGORIES:
                return self._bold
        if role == TOOLTIP and column == self.CUSTOMER:
            return mask_phone(contact.customer.phone)
        if role == ALIGNMENT and column in self.CLOCK_COLUMNS:
            return _RIGHT
        return None

    def _display(self, contact: wire.Contact, column: int) -> str:
        if column == self.QUEUE:
            queue = self._floor.queues.get(contact.queue)
            return names.queue(contact.queue, queue.name if queue else "")
        if column == self.CHANNEL:
            return names.channel(contact.channel)
        if column == self.CUSTOMER:
            return mask_name(contact.customer.name) or mask_phone(contact.customer.phone)
        if column == self.VIP:
            return self.tr("★ VIP") if contact.customer.segment == "vip" else ""
        if column == self.CASE:
            category = self._floor.case_category(contact)
            if category is None:
                return ""
            mark = "⚠ " if category in MARKED_CATEGORIES else ""
            return mark + names.category(category)
        wait = self.wait_of(contact)
        if column == self.WAIT:
            return format_duration(wait)
        if column == self.SLA:
            return names.sla_label(self.policy(contact).state(wait).value)
        if column == self.BREACH_IN:
            left = self.policy(contact).time_to_breach(wait)
            # negative once breached: how long ago it crossed (the wait cell says "breached")
            return format_duration(left)
        return ""

    def _sort_value(self, key: str, contact: wire.Contact, column: int) -> Any:
        if column in (self.WAIT, self.SLA, self.BREACH_IN):
            queued = contact.queued_at.timestamp()
            if column == self.WAIT:
                return -queued  # longest wait = earliest queued
            # most urgent first: the breach deadline (queued_at + T) orders exactly as time to
            # breach does at any moment, breached ones first; ties go to priority, then VIP
            deadline = queued + self.policy(contact).sla_seconds
            bonus = contact.priority * 0.01 + (0.001 if contact.customer.segment == "vip" else 0.0)
            return deadline - bonus
        if column == self.VIP:
            return 0 if contact.customer.segment == "vip" else 1
        return self._display(contact, column)

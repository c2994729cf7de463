"""Waiting contacts: queue, channel, masked customer, VIP and case marks, wait clock, SLA,
and the breach risk.

The wait, SLA state and time-to-breach columns move with server time; ``tick`` emits one
dataChanged over just those columns and, only when some row changed state, the colour
roles too. A contact that crosses its SLA is reported once through ``sla_crossed``.

Breach risk (issue 11 point 3): the probability that the contact is still waiting when
its wait reaches its queue's T (``supervisor.forecast.breach``), from its wait so far,
the contacts of its queue queued before it (first come, first served), the agents free
now with the queue's skill, and the queue's rates of the live forecast (μ, θ, n). It is
recomputed every ``RISK_EVERY_S`` of server time and when a forecast arrives; "—" when
the queue has no forecast (too little data), when the forecast is old, and while the
data is not live (``set_live``): a forecast is never shown from stale data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont

from supervisor import wire
from supervisor.floor import Changes, Floor
from supervisor.forecast.breach import breach_probability
from supervisor.forecast.live import LiveOutlook, breach_rates
from supervisor.masking import mask_name, mask_phone
from supervisor.sla import SlaPolicy, wait_seconds
from supervisor.timeutil import format_duration
from ui import names, palette
from ui.i18n import fmt_percent
from ui.models.base import (
    ALIGNMENT, BACKGROUND, DISPLAY, FONT, FOREGROUND, TOOLTIP,
    CASE_ROLE, SORT_ROLE, STATE_ROLE, KeyedTableModel,
)

MARKED_CATEGORIES = frozenset({"fraud_report", "card_loss"})
_RANK = {"breached": 0, "warning": 1, "ok": 2}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
RISK_EVERY_S = 5.0  # server seconds between two breach-risk passes
MAX_FORECAST_AGE_S = 120.0  # an older forecast is not current: no risk shown from it
RISK_WARNING, RISK_HIGH = 0.25, 0.5  # the risk's text colour (the number says it too)
_STATE_ROLES = [DISPLAY, BACKGROUND,
                FOREGROUND, FONT, STATE_ROLE]


class WaitingModel(KeyedTableModel[wire.Contact]):
    """One row per waiting contact of the floor, keyed by call id."""

    QUEUE, CHANNEL, CUSTOMER, VIP, CASE, WAIT, SLA, BREACH_IN, BREACH_RISK = range(9)
    CLOCK_COLUMNS = (WAIT, SLA, BREACH_IN, BREACH_RISK)

    sla_crossed = Signal(list)  # call ids whose wait passed T on this tick

    def __init__(self, floor: Floor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._floor = floor
        self._now: datetime | None = None
        self._state: dict[str, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._outlook: LiveOutlook | None = None
        self._rates: dict[str, tuple[float, float, int, float]] = {}
        self._live = False  # may a forecast be shown (the feed is live)?
        self._risk: dict[str, tuple[float, int, int]] = {}  # call id -> (risk, ahead, free)
        self._risk_at: datetime | None = None

    def headers(self) -> list[str]:
        return [
            self.tr("Queue"), self.tr("Channel"), self.tr("Customer"), self.tr("VIP"),
            self.tr("Case"), self.tr("Wait"), self.tr("SLA"), self.tr("Breach in"), self.tr("Breach risk"),
        ]

    # ------------------------------------------------------------------ updates

    def apply(self, changes: Changes) -> None:
        if changes.reset:
            self.reset_to(self._floor.waiting.items())
            self._state = {k: self._classify(c) for k, c in self._floor.waiting.items()}
            self._risk_at = None  # positions changed: recomputed on the next tick
            return
        if changes.waiting_added or changes.waiting_removed:
            self._risk_at = None
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
        at = self._risk_at
        if at is None or not 0 <= (now - at).total_seconds() < RISK_EVERY_S:
            self._refresh_risks()  # with the sort role: a list sorted by risk re-sorts
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

    # ------------------------------------------------------------------ breach risk

    def set_outlook(self, outlook: LiveOutlook | None) -> None:
        """The live forecast whose rates the breach risks use (None: no forecast)."""
        self._outlook = outlook
        self._rates = breach_rates(outlook)
        self._refresh_risks()

    def set_live(self, live: bool) -> None:
        """Whether the data is live: risks are shown only then."""
        if live != self._live:
            self._live = live
            self._refresh_risks()

    def _refresh_risks(self) -> None:
        had = bool(self._risk)
        now = self.now()
        if now is not None:
            self._compute_risks(now)
        if self._ids and (had or self._risk):
            self.emit_rows(range(len(self._ids)), (self.BREACH_RISK,), [DISPLAY, SORT_ROLE, TOOLTIP, FOREGROUND])

    def _usable_rates(self, now: datetime) -> dict[str, tuple[float, float, int, float]]:
        outlook = self._outlook
        if not self._live or outlook is None or not self._rates:
            return {}
        if abs(now.timestamp() - outlook.at) > MAX_FORECAST_AGE_S:
            return {}
        return self._rates

    def _compute_risks(self, now: datetime) -> None:
        self._risk_at = now
        rates = self._usable_rates(now)
        risks: dict[str, tuple[float, int, int]] = {}
        if rates:
            lines: dict[str, list[tuple[float, str, wire.Contact]]] = {}
            for key, contact in self._items.items():
                if contact.queue in rates:
                    lines.setdefault(contact.queue, []).append((contact.queued_at.timestamp(), key, contact))
            free = self._free_agents(lines)
            for queue, line in lines.items():
                mu, theta, n, _ = rates[queue]
                line.sort(key=lambda x: (x[0], x[1]))
                for ahead, (_, key, contact) in enumerate(line):
                    sla = self.policy(contact).sla_seconds
                    risk = breach_probability(wait_seconds(contact.queued_at, now), ahead, sla, mu, theta, n,
                                              free.get(queue, 0))
                    risks[key] = (risk, ahead, free.get(queue, 0))
        self._risk = risks

    def _free_agents(self, queues: Iterable[str]) -> dict[str, int]:
        """Available agents with each queue's skill (an agent listing none takes any queue)."""
        out = dict.fromkeys(queues, 0)
        for agent in self._floor.agents.values():
            if agent.state != "available":
                continue
            for q in (agent.skills or tuple(out)):
                if q in out:
                    out[q] += 1
        return out

    def risk_of(self, key: str) -> float | None:
        """The breach risk shown for a waiting contact, None when none is shown."""
        found = self._risk.get(key)
        return None if found is None else found[0]

    def _risk_tip(self, key: str, contact: wire.Contact) -> str:
        found = self._risk.get(key)
        if found is None:
            if not self._live:
                return self.tr("No breach risk while the data is not live.")
            if contact.queue not in self._rates:
                return self.tr("No breach risk: the queue has too little data for a forecast.")
            return self.tr("No breach risk: the forecast is not current.")
        _, ahead, free = found
        mu, theta, n, _ = self._rates[contact.queue]
        patience = self.tr("none seen") if theta <= 0 else format_duration(1.0 / theta)
        return (self.tr("Probability of still waiting at T (%1): %2 ahead in the queue, %3 agents "
                        "staffed with the skill, %4 free; mean handle %5, mean patience %6.")
                .replace("%1", format_duration(self.policy(contact).sla_seconds)).replace("%2", str(ahead))
                .replace("%3", str(n)).replace("%4", str(free)).replace("%5", format_duration(1.0 / mu))
                .replace("%6", patience))

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

    def cell(self, key: str, item: wire.Contact, column: int, role: int) -> Any:
        contact: wire.Contact = item
        if column == self.BREACH_RISK:
            return self._risk_cell(key, contact, role)
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

    def _risk_cell(self, key: str, contact: wire.Contact, role: int) -> Any:
        if role == DISPLAY:
            return fmt_percent(self.risk_of(key))
        if role == SORT_ROLE:
            risk = self.risk_of(key)
            return -1.0 if risk is None else risk  # no risk shown: below every risk
        if role == TOOLTIP:
            return self._risk_tip(key, contact)
        if role == FOREGROUND:
            risk = self.risk_of(key)
            return None if risk is None else palette.SLA_TEXT[_risk_state(risk)]
        if role == ALIGNMENT:
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


def _risk_state(risk: float) -> str:
    return "breached" if risk >= RISK_HIGH else "warning" if risk >= RISK_WARNING else "ok"

"""The case drill-down dialog: customer, category, subject, status, linked calls, one timeline.

Wiring (main window): resolve the row to a case with ``supervisor.caselookup``
(``resolve_case(store, floor, key)`` for a waiting contact, an agent, an escalation or an
SLA-breach entry), then ``CaseDialog(case_id, store, live.floor, role, masking_on,
audit_actor, parent, wall=..., now=live.clock.now, reveal=bridge.reveal).show()``. Forward
``LiveFloor.changed`` to :meth:`CaseDialog.on_floor_changed` so the dialog follows the
server; connect ``reassign_requested(escalation_id)`` to the reassign dialog. Everything
is read from the local journal, masked as it is kept there. A duty lead or a manager may
ask the server to reveal the customer (``customer.reveal``, audited by the server): the
record it answers with is shown in this dialog's header, and wherever the dialog shows
that customer's masked name or phone, only while the dialog is open; it lives in this
object's memory alone and is dropped when the dialog closes. Never on the wall display.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QPushButton, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget,
)

from supervisor import casefile, caselookup, wire
from supervisor.casefile import CaseFile
from supervisor.escalations import can_reassign
from supervisor.floor import Changes, Floor
from supervisor.masking import mask_name, mask_phone, mask_text
from supervisor.timeutil import CHINA, format_duration
from ui import names, palette
from ui.case_text import CaseText
from ui.reveal import RevealAction, Submit

if TYPE_CHECKING:
    from supervisor.store import Store

_DR = Qt.ItemDataRole
LATE_REFRESH_MS = 500  # the journal writer batches every few ms; half a second is ample


class CaseDialog(QDialog):
    """One case, read from the local journal; masked unless the server reveals it."""

    reassign_requested = Signal(str)  # escalation id

    def __init__(
        self,
        case_id: str,
        store: Store,
        floor: Floor | None,
        role: str | None,
        masking_on: bool = True,
        audit_actor: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
        *,
        wall: bool = False,
        now: Callable[[], datetime] | None = None,
        reveal: Submit | None = None,
        ask_reveal_reason: Callable[[], str | None] | None = None,
        reveal_timeout_s: float = 10.0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("case_dialog")
        self.case_id = case_id
        self._store = store
        self._floor = floor
        self._role = role
        # the wall display always masks; elsewhere masking is on unless switched off by policy
        self._masking_on = masking_on or wall
        # the server's unmasked record while this dialog is open: memory only, never stored
        self._revealed: wire.Customer | None = None
        self._text = CaseText(self, self._queue_name, self._dept_name)
        self.case_file: CaseFile | None = None
        self.load_ms = 0.0
        self._late_refresh = QTimer(self)
        self._late_refresh.setSingleShot(True)
        self._late_refresh.setInterval(LATE_REFRESH_MS)
        self._late_refresh.timeout.connect(self.refresh)
        self.setWindowTitle(self.tr("Case %1").replace("%1", case_id))
        self.resize(980, 720)

        self.mask_label = QLabel(self)
        self.mask_label.setObjectName("mask_label")
        self.reveal_action = RevealAction(
            case_id, self._customer_id, reveal if not wall else None, store, audit_actor or {}, role, self,
            wall=wall, now=now, ask_reason=ask_reveal_reason, timeout_s=reveal_timeout_s)
        self.reveal_action.pending.connect(self._on_reveal_pending)
        self.reveal_action.revealed.connect(self._on_reveal_action_revealed)
        self.reveal_action.failed.connect(self._on_reveal_action_failed)
        self.reveal_button = QToolButton(self)
        self.reveal_button.setDefaultAction(self.reveal_action)
        self.reveal_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.reveal_button.setVisible(self.reveal_action.allowed and self._masking_on)

        self.header = QFormLayout()
        self._fields: dict[str, QLabel] = {}
        for key, label in (("customer", self.tr("Customer")), ("phone", self.tr("Phone")),
                           ("customer_id", self.tr("Customer ID")), ("category", self.tr("Category")), ("subject", self.tr("Subject")),
                           ("status", self.tr("Status")), ("opened", self.tr("Opened"))):
            value = QLabel(self)
            value.setObjectName(f"case_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(key == "subject")
            self._fields[key] = value
            self.header.addRow(label, value)

        self.calls = _table(self, "case_calls", [
            self.tr("Call"), self.tr("Queue"), self.tr("Channel"), self.tr("Queued"), self.tr("Wait"),
            self.tr("Agent"), self.tr("Talk"), self.tr("Outcome"), self.tr("Survey")])
        self.escalations = _table(self, "case_escalations", [
            self.tr("Escalation"), self.tr("Department"), self.tr("Owner"), self.tr("Severity"),
            self.tr("Status"), self.tr("Due"), self.tr("Summary")])
        self.escalations.itemSelectionChanged.connect(self._update_buttons)
        self.timeline = _table(self, "case_timeline", [self.tr("Time"), self.tr("Event"), self.tr("Details")])
        self.timeline.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.reassign_button: QPushButton | None = None
        buttons = QDialogButtonBox(self)
        # our own button, so "Close" is translated with the rest even without Qt's catalogue
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        if can_reassign(role) and not wall:
            self.reassign_button = QPushButton(self.tr("Reassign escalation…"), self)
            self.reassign_button.setObjectName("reassign_button")
            self.reassign_button.clicked.connect(self._on_reassign_clicked)
            buttons.addButton(self.reassign_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("case_status_line")

        self.title_label = QLabel(self)
        self.title_label.setObjectName("case_title")
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title_label.setFont(title_font)

        top = QHBoxLayout()
        top.addLayout(self.header, 1)
        side = QVBoxLayout()
        side.addWidget(self.mask_label)
        side.addWidget(self.reveal_button)
        side.addStretch(1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(top)
        layout.addWidget(_group(self, self.tr("Linked calls"), self.calls))
        layout.addWidget(_group(self, self.tr("Escalations"), self.escalations))
        layout.addWidget(_group(self, self.tr("Timeline"), self.timeline), 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.refresh()

    @classmethod
    def for_key(cls, key: str, store: Store, floor: Floor | None, role: str | None,
                masking_on: bool = True, audit_actor: Mapping[str, Any] | None = None,
                parent: QWidget | None = None, **kw: Any) -> CaseDialog | None:
        """The dialog for the case behind any row id (case, escalation, agent, call), or None
        when the journal and the floor know no case for it (the caller says so to the user)."""
        case_id = caselookup.resolve_case(store, floor, key)
        if case_id is None:
            return None
        return cls(case_id, store, floor, role, masking_on, audit_actor, parent, **kw)

    # ------------------------------------------------------------------ state

    @property
    def masked(self) -> bool:
        return self._masking_on and self._revealed is None

    def _customer_id(self) -> str | None:
        cf = self.case_file
        return cf.customer.id if cf is not None and cf.customer is not None else None

    def _free(self, text: str) -> str:
        """Free text from the journal: masked as kept there (never unmasked from it); with a
        reveal, the revealed customer's masked phone and name read in full again."""
        text = self._text.free(text, self._masking_on)
        return self._unmask(text)

    def _unmask(self, text: str) -> str:
        cust = self._revealed
        if cust is None or not text:
            return text
        if cust.phone:
            text = text.replace(mask_phone(cust.phone), cust.phone)
        if len(cust.name) >= 3:  # "张*" could be anyone named 张; "张*丰" is this customer
            text = text.replace(mask_name(cust.name), cust.name)
        return text

    def tz(self) -> tzinfo:
        if self._floor is not None and self._floor.last_ts is not None and self._floor.last_ts.tzinfo:
            return self._floor.last_ts.tzinfo
        return CHINA

    def refresh(self) -> None:
        """Read the case again from the journal (and the floor) and redraw everything."""
        started = time.perf_counter()
        self.case_file = casefile.load_case_file(self._store, self.case_id, self._floor)
        self.load_ms = (time.perf_counter() - started) * 1000.0
        self._render()

    def on_floor_changed(self, changes: Changes) -> None:
        """Follow the server: reload when this case, its calls or its escalations changed."""
        cf = self.case_file
        if cf is None:
            return
        mine = {e.escalation_id for e in cf.escalations}
        calls = {c.call_id for c in cf.calls}
        if (changes.reset or self.case_id in changes.cases_changed or mine & changes.escalations_changed
                or calls & (changes.waiting_added | changes.waiting_removed | changes.waiting_changed)):
            self.refresh()  # header, calls and escalations follow the floor at once
            # the journal is written on the feed thread alongside this batch: read the
            # timeline again once the writer has caught up
            self._late_refresh.start()

    # ------------------------------------------------------------------ drawing

    def _render(self) -> None:
        cf = self.case_file
        assert cf is not None
        t = self._text
        masked = self.masked
        cust = cf.customer
        shown = self._revealed if self._revealed is not None else cust
        # a record the server (or this client, before journaling) masked is shown as it is:
        # masking it again would only blur it further (138****5678 -> ***5678)
        hide = masked and shown is cust and cust is not None and not cust.masked
        name = (mask_name(shown.name) if hide else shown.name) if shown else ""
        if cust is not None and cust.segment == "vip":
            name = f"{name}  ★ {self.tr('VIP')}"
        self._fields["customer"].setText(name or "—")
        phone = (mask_phone(shown.phone) if hide else shown.phone) if shown else ""
        self._fields["phone"].setText(phone or "—")
        cid = (mask_text(shown.id) if hide else shown.id) if shown else ""
        self._fields["customer_id"].setText(cid or "—")
        category = names.category(cf.category) if cf.category else "—"
        self._fields["category"].setText(category)
        if cf.category in ("fraud_report", "card_loss"):
            self._fields["category"].setStyleSheet(f"color: {palette.MARK_FG.name()}; font-weight: bold;")
        self._fields["subject"].setText(self._free(cf.subject) or "—")
        self._fields["status"].setText(t.case_status(cf.status) if cf.status else "—")
        self._fields["opened"].setText(t.when(cf.opened_at, self.tz()) if cf.opened_at else "—")

        if self.reveal_action.state == "pending":
            self.mask_label.setText(self.tr("Asking the server…"))
            self.mask_label.setStyleSheet("")
        elif masked:
            self.mask_label.setText(self.tr("🔒 Customer data masked"))
            self.mask_label.setStyleSheet("")
        else:
            self.mask_label.setText(self.tr("⚠ Revealed by the server while this case is open (audited)"))
            # a badge nobody misses while raw customer data is on screen
            self.mask_label.setStyleSheet(
                f"background: {palette.OVERDUE_BG.name()}; color: {palette.OVERDUE_FG.name()};"
                " font-weight: bold; padding: 4px 8px; border-radius: 3px;")
        self.reveal_button.setVisible(self.reveal_action.allowed and masked)
        self.reveal_action.setEnabled(self.reveal_action.allowed and cust is not None
                                      and self.reveal_action.state != "pending")

        tz = self.tz()
        self.calls.setRowCount(len(cf.calls))
        for row, call in enumerate(cf.calls):
            agent = call.agent_name or call.agent_id
            score = f"{call.survey_score} / 5" if call.survey_score is not None else ""
            _fill(self.calls, row, [
                call.call_id, self._queue_name(call.queue) if call.queue else "",
                names.channel(call.channel) if call.channel else "", t.when(call.queued_at, tz),
                format_duration(call.wait_s) if call.wait_s is not None else "", agent,
                format_duration(call.talk_s) if call.talk_s is not None else "", t.outcome(call.outcome), score])

        now = self._floor.last_ts if self._floor else None
        self.escalations.setRowCount(len(cf.escalations))
        for row, esc in enumerate(cf.escalations):
            dept = self._floor.departments.get(esc.department) if self._floor else None
            overdue = esc.status != "resolved" and now is not None and esc.due_at < now
            due = t.when(esc.due_at, tz)
            if overdue:
                due = f"✕ {self.tr('Overdue')} · {due}"
            _fill(self.escalations, row, [
                esc.escalation_id, names.department(esc.department, dept.name if dept else ""),
                esc.owner.name or esc.owner.id, names.severity(esc.severity),
                names.escalation_status(esc.status), due, self._free(esc.summary)],
                key=esc.escalation_id, overdue=overdue)

        self.timeline.setRowCount(len(cf.timeline))
        for row, entry in enumerate(cf.timeline):
            what, details = t.describe(entry, self._masking_on)
            details = self._unmask(details)
            _fill(self.timeline, row, [t.when(entry.at, tz), what, details],
                  bold=entry.source == "audit")
        self.timeline.resizeColumnToContents(0)
        self.timeline.resizeColumnToContents(1)
        for table in (self.calls, self.escalations):
            table.resizeColumnsToContents()
            _fit_rows(table, max_rows=4)
        title = self.tr("Case %1").replace("%1", cf.case_id)
        if cf.category:
            title += f" · {category}"
        if cf.status:
            title += f" · {t.case_status(cf.status)}"
        self.title_label.setText(title)

        if not cf.known:
            self.status_label.setText(self.tr("Nothing about this case is in the local journal yet."))
        else:
            self.status_label.setText(self.tr("%1 events, read from the local journal in %2 ms")
                                      .replace("%1", str(sum(1 for e in cf.timeline if e.source == "journal")))
                                      .replace("%2", f"{self.load_ms:.0f}"))
        self._update_buttons()

    def _queue_name(self, queue_id: str) -> str:
        if not queue_id:
            return "?"
        queue = self._floor.queues.get(queue_id) if self._floor else None
        return names.queue(queue_id, queue.name if queue else "")

    def _dept_name(self, dept_id: str) -> str:
        dept = self._floor.departments.get(dept_id) if self._floor else None
        return names.department(dept_id, dept.name if dept else "")

    # ------------------------------------------------------------------ actions

    def selected_escalation(self) -> str | None:
        """The escalation selected in the table, else the only open one."""
        cf = self.case_file
        rows = self.escalations.selectionModel().selectedRows()
        if rows:
            item = self.escalations.item(rows[0].row(), 0)
            return str(item.data(_DR.UserRole)) if item is not None else None
        if cf is not None:
            open_ = [e for e in cf.escalations if e.status != "resolved"]
            if len(open_) == 1:
                return open_[0].escalation_id
        return None

    def _update_buttons(self) -> None:
        if self.reassign_button is None or self.case_file is None:
            return
        key = self.selected_escalation()
        esc = next((e for e in self.case_file.escalations if e.escalation_id == key), None)
        self.reassign_button.setEnabled(esc is not None and esc.status != "resolved")

    def _on_reassign_clicked(self) -> None:
        key = self.selected_escalation()
        if key and can_reassign(self._role):
            self.reassign_requested.emit(key)

    def _on_reveal_pending(self) -> None:
        self._render()
        self.status_label.setText(self.tr("Asking the server to reveal the customer data…"))

    def _on_reveal_action_revealed(self, customer: object) -> None:
        if not isinstance(customer, wire.Customer):
            return
        self._revealed = customer
        self.refresh()  # the reveal's own (local, masked) audit entry joins the timeline
        self.status_label.setText(self.tr("Revealed by the server for as long as this case stays open; "
                                          "a case opened again is masked."))

    def _on_reveal_action_failed(self, message: str) -> None:
        if self.case_file is not None:
            self.refresh()  # the attempt's audit entry joins the timeline
        self.status_label.setText(message)

    def forget_reveal(self) -> None:
        """Drop the revealed record (and any reveal in flight); the dialog shows masked data again."""
        self.reveal_action.cancel()
        self._revealed = None
        if self.case_file is not None:
            self._render()  # no widget keeps the unmasked text either

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: Close, Esc, the title bar's ✕
        self.forget_reveal()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override: close() when hidden too
        self.forget_reveal()
        super().closeEvent(event)


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def _fit_rows(table: QTableWidget, max_rows: int) -> None:
    """Height for the rows there are (at least one, at most ``max_rows``), so the timeline gets the rest."""
    rows = min(max(table.rowCount(), 1), max_rows)
    height = table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)


def _group(parent: QWidget, title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title, parent)
    inner = QVBoxLayout(box)
    inner.setContentsMargins(4, 4, 4, 4)
    inner.addWidget(widget)
    return box


def _fill(table: QTableWidget, row: int, texts: list[str], *, key: str | None = None,
          overdue: bool = False, bold: bool = False) -> None:
    font = QFont()
    font.setBold(bold or overdue)
    for col, text in enumerate(texts):
        item = table.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            table.setItem(row, col, item)
        item.setText(text)
        item.setToolTip(text if len(text) > 40 else "")
        item.setFont(font)
        if key is not None:
            item.setData(_DR.UserRole, key)
        if overdue:
            item.setBackground(palette.OVERDUE_BG)
            item.setForeground(palette.OVERDUE_FG)


"""Revealing one customer's data: asked of the server, shown while the case is open.

Customer names, phone numbers and ID numbers are masked everywhere, on the wire and at
rest (PROTOCOL.md "customer data on the wire"): the only unmasked record there is comes
from the server's answer to ``customer.reveal``, which the server allows to duty leads
and managers with a reason and writes to its own audit trail (the record of truth).

``RevealAction`` asks for a reason, sends the command (``submit``, e.g.
``FeedBridge.reveal``), and emits ``revealed(customer)`` with the server's record or
``failed(sentence)`` with the refusal. The record travels in memory only: the caller
shows it and drops it; this module never logs it, and the desktop's local audit entry
(a convenience view) says who asked, why, and what the server answered, masked.
Floor supervisors never get the action; the wall display never reveals.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from supervisor import wire
from supervisor.escalations import MAX_REASON_CHARS, AuditSink, can_reveal, record_reveal

if TYPE_CHECKING:
    from supervisor.feed import CommandOutcome

log = logging.getLogger(__name__)

Submit = Callable[[str, "str | None", str], "concurrent.futures.Future[CommandOutcome]"]
GRACE_S = 3.0  # beyond the client's own timeout, in case the I/O thread itself is stuck


def reveal_allowed(role: str | None, wall: bool = False) -> bool:
    """Duty leads and managers at the desk; never a floor supervisor, never the wall."""
    return can_reveal(role) and not wall


class ReasonDialog(QDialog):
    """Why the customer's data is needed: required, sent to the server's audit trail."""

    def __init__(self, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reveal_reason_dialog")
        self.setWindowTitle(self.tr("Reveal customer data"))
        intro = QLabel(self.tr(
            "The server shows the customer's name, phone and ID of case %1 unmasked, only while "
            "the case is open, and records your name, the reason and the time in its audit trail."
        ).replace("%1", case_id), self)
        intro.setWordWrap(True)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("reveal_reason")
        self.reason_edit.setPlaceholderText(self.tr("Why do you need the customer's data? (required)"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("reveal_reason_problem")
        buttons = QDialogButtonBox(self)
        self.ok_button = QPushButton(self.tr("Ask the server"), self)
        self.ok_button.setDefault(True)
        cancel = QPushButton(self.tr("Cancel"), self)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        self.reason_edit.textChanged.connect(self._validate)
        self._validate()
        self.resize(460, self.sizeHint().height())

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _validate(self) -> None:
        reason = self.reason()
        too_long = len(reason) > MAX_REASON_CHARS
        self.ok_button.setEnabled(bool(reason) and not too_long)
        self.problem_label.setText(
            self.tr("The reason is too long (at most %1 characters).").replace("%1", str(MAX_REASON_CHARS))
            if too_long else "")

    @classmethod
    def ask(cls, case_id: str, parent: QWidget | None) -> str | None:
        dialog = cls(case_id, parent)
        try:
            return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class _Relay(QObject):
    """Carries the future's result from the asyncio thread to the Qt thread."""

    done = Signal(object, int)  # outcome or exception, the attempt it answers


class RevealAction(QAction):
    """"Reveal customer data" for one case: reason, server, then ``revealed`` or ``failed``.

    ``customer_id`` gives the case's customer id when triggered (None: not known yet);
    ``submit(customer_id, case_id, reason)`` returns a future of a ``CommandOutcome``
    (``FeedBridge.reveal``; None: not connected). ``ask_reason`` returns the reason or None
    (a small dialog by default; tests pass their own). ``now`` gives the time recorded in
    the local audit entry (server time from the main window's clock).
    """

    pending = Signal()  # the command was sent
    revealed = Signal(object)  # the server's wire.Customer: show it, never keep it
    failed = Signal(str)  # one sentence: why nothing is shown

    def __init__(
        self,
        case_id: str,
        customer_id: Callable[[], str | None],
        submit: Submit | None,
        store: AuditSink | None,
        actor: Mapping[str, Any],
        role: str | None,
        parent: QObject | None = None,
        *,
        wall: bool = False,
        now: Callable[[], datetime] | None = None,
        ask_reason: Callable[[], str | None] | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        super().__init__(parent)
        self.setText(self.tr("Reveal customer data"))
        self.setToolTip(self.tr("Ask the server for this case's customer name, phone and ID unmasked. "
                                "The server records who asked and why."))
        self.setObjectName("reveal_action")
        self.case_id = case_id
        self._customer_id = customer_id
        self._submit = submit
        self._store = store
        self._actor = {**dict(actor), "role": role or ""}
        self._allowed = reveal_allowed(role, wall)
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._ask_reason = ask_reason or self._ask
        self._timeout_s = timeout_s
        self._attempt = 0  # answers to an older attempt (or after cancel()) are dropped
        self._pending_reason = ""
        self._pending_customer = ""
        self.state = "idle"  # idle | pending
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_watchdog)
        self.setVisible(self._allowed)
        self.setEnabled(self._allowed)
        self.triggered.connect(self._on_triggered)

    @property
    def allowed(self) -> bool:
        return self._allowed

    def cancel(self) -> None:
        """Forget a reveal in flight: its answer, whenever it comes, is dropped unseen."""
        self._attempt += 1
        self._watchdog.stop()
        self.state = "idle"

    def _ask(self) -> str | None:
        parent = self.parent()
        return ReasonDialog.ask(self.case_id, parent if isinstance(parent, QWidget) else None)

    def _on_triggered(self, _checked: bool = False) -> None:
        if not self._allowed or self.state == "pending":
            return  # a hidden action triggered by a shortcut still reveals nothing
        customer_id = self._customer_id()
        if not customer_id:
            self.failed.emit(self.tr("Nothing to reveal: this case's customer is not known yet."))
            return
        reason = (self._ask_reason() or "").strip()
        if not reason:
            return  # cancelled
        self._attempt += 1
        attempt = self._attempt
        self._pending_reason, self._pending_customer = reason, customer_id
        try:
            if self._submit is None:
                raise RuntimeError("not connected")
            future = self._submit(customer_id, self.case_id, reason)
        except Exception:  # noqa: BLE001 - not connected: say so, nothing was sent
            self._finish("not_connected", None)
            return
        self.state = "pending"
        self.pending.emit()
        self._watchdog.start(int((self._timeout_s + GRACE_S) * 1000))
        relay = self._relay

        def on_done(fut: concurrent.futures.Future[CommandOutcome]) -> None:
            result: CommandOutcome | BaseException
            try:
                result = fut.result()
            except BaseException as exc:  # noqa: BLE001 - reported as not sent / unknown
                result = exc
            try:
                relay.done.emit(result, attempt)  # queued to the Qt thread
            except RuntimeError:
                pass  # the dialog was closed and deleted meanwhile

        future.add_done_callback(on_done)

    def _on_done(self, result: CommandOutcome | BaseException, attempt: int) -> None:
        if attempt != self._attempt or self.state != "pending":
            return  # too late: the person was told already, or closed the case
        assert QThread.currentThread() is self.thread()
        self._watchdog.stop()
        if isinstance(result, BaseException):
            self._finish("not_connected", None)
            return
        status = result.status
        customer = result.customer
        if status == "ok" and isinstance(customer, wire.Customer):
            self._finish("ok", customer)
        elif status == "ok":
            self._finish("no_record", None)  # an ok without a record: nothing to show
        elif status == "unknown":
            self._finish("unknown", None)
        else:
            self._finish(str(result.code or "error"), None)

    def _on_watchdog(self) -> None:
        if self.state == "pending":
            self._attempt += 1  # a result that still comes is dropped
            self._finish("unknown", None)

    def _finish(self, result: str, customer: wire.Customer | None) -> None:
        self.state = "idle"
        warning = self._audit(result, customer)
        if customer is not None:
            self.revealed.emit(customer)
            if warning:
                self.failed.emit(warning)
            return
        self.failed.emit(self.refusal_text(result))

    def _audit(self, result: str, customer: wire.Customer | None) -> str:
        """The desktop's convenience entry (the server's trail is the record of truth)."""
        if self._store is None:
            return ""
        try:
            record_reveal(self._store, self._actor, self._now(), self.case_id, self._pending_customer,
                          self._pending_reason, result,
                          known_names=(customer.name,) if customer is not None and customer.name else ())
        except Exception as exc:  # noqa: BLE001 - the server audited it; say the local copy failed
            log.warning("the local audit entry of a reveal could not be written: %s", type(exc).__name__)
            return self.tr("This reveal could not be added to this desktop's audit view; "
                           "the server's audit trail has it.")
        return ""

    def refusal_text(self, code: str) -> str:
        """One sentence for the person who asked."""
        texts = {
            "forbidden": self.tr("Refused by the server: your role may not reveal customer data."),
            "invalid": self.tr("Refused by the server as invalid: a reason is required, and the case "
                               "must be this customer's."),
            "not_found": self.tr("Refused by the server: it does not know this customer."),
            "unavailable": self.tr("Refused by the server: it cannot record the reveal in its audit trail "
                                   "right now, so it revealed nothing."),
            "unknown": self.tr("No answer from the server in time, so nothing is shown; try again."),
            "not_connected": self.tr("Not sent: there is no connection to the server, so nothing is shown."),
            "no_record": self.tr("The server agreed but sent no customer record, so nothing is shown."),
        }
        return texts.get(code, self.tr("The server refused the reveal (%1).").replace("%1", code))


__all__ = ["ReasonDialog", "RevealAction", "reveal_allowed"]

"""Reassign an escalation (duty leads only): new owner, required reason, pending until the server answers.

Wiring (main window), only when the signed-in role is ``duty_lead``::

    dialog = ReassignDialog(esc, live.floor.departments,
                            functools.partial(bridge.reassign, esc.escalation_id),
                            window, role=user.role, floor=live.floor,
                            audit=audit_to(store, actor, live.clock.now))
    live.changed.connect(dialog.on_floor_changed)        # the server's truth
    client on_command_result -> dialog.on_command_result  # late answers (any thread)
    dialog.show()

``submit(to_owner_id, reason)`` returns a ``concurrent.futures.Future`` of a
``CommandOutcome`` (``FeedBridge.reassign`` does: ``FeedClient.reassign`` on the asyncio
thread). The dialog never changes the owner itself: the board and this dialog show the
owner from the server's broadcast. Every outcome goes to ``audit`` (required, so the
wiring cannot forget it; ``audit_to(store, actor, clock)`` writes the audit table).
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QProgressBar,
    QPushButton, QVBoxLayout, QWidget,
)

from supervisor import escalations as rules
from supervisor import wire
from supervisor.escalations import AuditSink, ReassignRecord, record_reassign
from supervisor.floor import Changes, Floor
from supervisor.masking import mask_text
from ui import names, palette

if TYPE_CHECKING:
    from supervisor.feed import CommandOutcome

log = logging.getLogger(__name__)

Submit = Callable[[str, str], "concurrent.futures.Future[CommandOutcome]"]
GRACE_S = 3.0  # beyond the client's own timeout, in case the I/O thread itself is stuck


def audit_to(store: AuditSink, actor: Mapping[str, Any],
             now: Callable[[], datetime] | None = None) -> Callable[[ReassignRecord], None]:
    """An ``audit`` callback writing reassignment records to the store's audit table."""
    clock = now or (lambda: datetime.now(timezone.utc))

    def audit(record: ReassignRecord) -> None:
        record_reassign(store, actor, clock(), record)

    return audit


class _Relay(QObject):
    """Carries results from the asyncio thread to the dialog (queued signals)."""

    done = Signal(object)  # the future's result
    late = Signal(object)  # a command result reported by the client's callback


class ReassignDialog(QDialog):
    """Choose a new owner (own department or another) and a reason; send; show the answer."""

    outcome_received = Signal(object)  # the CommandOutcome (or an error string) once known

    def __init__(
        self,
        escalation: wire.Escalation,
        departments: Mapping[str, wire.Department],
        submit: Submit,
        parent: QWidget | None = None,
        *,
        role: str | None,
        floor: Floor | None = None,
        audit: Callable[[ReassignRecord], None] | None,
        timeout_s: float = 10.0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reassign_dialog")
        self.setWindowTitle(self.tr("Reassign escalation %1").replace("%1", escalation.escalation_id))
        self.escalation = escalation
        self._departments = dict(departments)
        self._submit = submit
        self._role = role
        self._floor = floor
        self._audit = audit
        self._timeout_s = timeout_s
        self._pending: concurrent.futures.Future[CommandOutcome] | None = None
        self._sent_to: wire.Person | None = None
        self._sent_reason = ""
        self._request_id = ""
        self._awaiting_truth = False
        self.state = "editing"  # editing | pending | done | failed | unknown
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_relay_done)
        self._relay.late.connect(self.on_command_result)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_watchdog_timeout)

        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.owner_now_label = QLabel(self)
        self.owner_now_label.setObjectName("owner_now")
        self.department_combo = QComboBox(self)
        self.owner_combo = QComboBox(self)
        self.owner_combo.setObjectName("owner_combo")
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("Why is it being reassigned? (required)"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("problem")
        self.problem_label.setStyleSheet(f"color: {palette.MARK_FG.name()};")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # busy indicator while the command is pending
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()

        self.buttons = QDialogButtonBox(self)
        self.send_button = QPushButton(self.tr("Reassign"), self)
        self.send_button.setObjectName("send")
        self.send_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Cancel"), self)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.close_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Current owner"), self.owner_now_label)
        form.addRow(self.tr("Department"), self.department_combo)
        form.addRow(self.tr("New owner"), self.owner_combo)
        form.addRow(self.tr("Reason"), self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)  # spare height goes here, not into the form's rows
        layout.addWidget(self.busy)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)

        for dept_id in self._department_order():
            dept = self._departments[dept_id]
            label = names.department(dept_id, dept.name)
            if dept_id == escalation.department:
                label = self.tr("%1 (own department)").replace("%1", label)
            self.department_combo.addItem(label, dept_id)
        self.department_combo.currentIndexChanged.connect(self._on_department_changed)
        self.owner_combo.currentIndexChanged.connect(self._validate)
        self.reason_edit.textChanged.connect(self._validate)
        self._show_escalation(escalation)
        self._on_department_changed()
        if not rules.can_reassign(role):
            # the main window never opens it for them; if it happens anyway, refuse here too
            self._set_inputs_enabled(False)
            self.status_label.setText(self.tr("Only a duty lead may reassign escalations."))

    # ------------------------------------------------------------------ form

    def _department_order(self) -> list[str]:
        own = self.escalation.department
        rest = sorted(d for d in self._departments if d != own)
        return ([own] if own in self._departments else []) + rest

    def _show_escalation(self, esc: wire.Escalation) -> None:
        dept = self._departments.get(esc.department)
        self.summary_label.setText(
            f"{esc.escalation_id} · {names.department(esc.department, dept.name if dept else '')} · "
            f"{names.severity(esc.severity)} · {names.escalation_status(esc.status)}\n{mask_text(esc.summary)}")
        self.owner_now_label.setText(esc.owner.name or esc.owner.id)

    def _on_department_changed(self, *_args: object) -> None:
        dept_id = self.department_combo.currentData()
        self.owner_combo.blockSignals(True)
        self.owner_combo.clear()
        self.owner_combo.addItem(self.tr("Choose…"), "")
        for cand in rules.reassign_candidates(self.escalation, self._departments, dept_id):
            self.owner_combo.addItem(cand.person.name or cand.person.id, cand.person.id)
        self.owner_combo.blockSignals(False)
        self._validate()

    def problem(self) -> rules.ReassignProblem | None:
        return rules.check_reassign(self._role, self.escalation, str(self.owner_combo.currentData() or ""),
                                    self.reason_edit.toPlainText(), self._departments)

    def _problem_text(self, problem: rules.ReassignProblem) -> str:
        if problem.code == "forbidden":
            return self.tr("Only a duty lead may reassign escalations.")
        if problem.code == "conflict":
            return self.tr("This escalation is resolved and cannot be reassigned.")
        if problem.code == "not_found":
            return self.tr("This escalation is no longer known.")
        if problem.field == "reason":
            if self.reason_edit.toPlainText().strip():
                return self.tr("The reason is too long (at most %1 characters).").replace(
                    "%1", str(rules.MAX_REASON_CHARS))
            return self.tr("A reason is required.")
        return self.tr("Choose the new owner.")

    def _validate(self, *_args: object) -> None:
        if self.state == "pending":
            return
        problem = self.problem()
        self.send_button.setEnabled(problem is None and self.state in ("editing", "failed", "unknown"))
        # the empty form is not an error yet: only say what is missing once something was chosen
        touched = bool(self.owner_combo.currentData()) or bool(self.reason_edit.toPlainText())
        self.problem_label.setText(self._problem_text(problem) if problem is not None and touched else "")

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for w in (self.department_combo, self.owner_combo, self.reason_edit, self.send_button):
            w.setEnabled(enabled)

    # ------------------------------------------------------------------ sending

    def _on_send_clicked(self) -> None:
        problem = self.problem()
        if problem is not None or self.state == "pending":
            self._validate()
            return
        to_id = str(self.owner_combo.currentData())
        found = rules.find_member(self._departments, to_id)
        self._sent_to = found[0] if found else wire.Person(to_id)
        self._sent_reason = self.reason_edit.toPlainText().strip()
        self._request_id = ""
        try:
            future = self._submit(to_id, self._sent_reason)
        except Exception as exc:  # noqa: BLE001 - e.g. "not connected": say so, lose nothing
            self._finish_error("not_connected", str(exc))
            return
        self.state = "pending"
        self._pending = future
        self._set_inputs_enabled(False)
        self.busy.show()
        self.status_label.setText(self.tr("Sending… waiting for the server's answer."))
        self.close_button.setText(self.tr("Close"))
        self._watchdog.start(int((self._timeout_s + GRACE_S) * 1000))
        relay = self._relay

        def on_done(fut: concurrent.futures.Future[CommandOutcome]) -> None:
            result: CommandOutcome | BaseException
            try:
                result = fut.result()
            except BaseException as exc:  # noqa: BLE001 - reported in the dialog
                result = exc
            try:
                relay.done.emit(result)  # from the asyncio thread: queued to the dialog's thread
            except RuntimeError:
                pass  # the dialog was closed and deleted meanwhile

        future.add_done_callback(on_done)

    def _on_relay_done(self, result: CommandOutcome | BaseException) -> None:
        if self.state != "pending":
            return
        self._watchdog.stop()
        self._pending = None
        if isinstance(result, BaseException):
            self._finish_error("not_connected", str(result) or type(result).__name__)
            self.outcome_received.emit(str(result) or type(result).__name__)
            return
        self._show_outcome(result)

    def _on_watchdog_timeout(self) -> None:
        if self.state == "pending":
            self._show_outcome(_Unknown(self._timeout_s))

    def _show_outcome(self, outcome: CommandOutcome | _Unknown) -> None:
        status = outcome.status
        code = outcome.code or ""
        message = outcome.message or ""
        self._request_id = outcome.request_id or self._request_id
        self.busy.hide()
        if status == "ok":
            self.state = "done"
            self._record("ok", "")
            self._awaiting_truth = True
            self.status_label.setText(self.tr(
                "Done: the server accepted the reassignment to %1. The new owner shows here and on the "
                "board as soon as the server's update arrives.").replace("%1", self._person_name(self._sent_to)))
            self._follow_floor()
        elif status == "unknown":
            self.state = "unknown"
            self._record("unknown", message)
            self._awaiting_truth = True
            self.status_label.setText(self.tr(
                "No answer from the server within %1 s: the outcome is unknown. It may still take effect; "
                "the current owner above is the server's word and updates when the server's answer arrives. "
                "Check it before trying again.").replace("%1", f"{self._timeout_s:g}"))
            self._set_inputs_enabled(True)
            self._validate()
            self._follow_floor()  # the server's broadcast may have arrived before the timeout
        else:
            self._finish_error(code or "error", message)
        self.outcome_received.emit(outcome)

    def _finish_error(self, code: str, message: str) -> None:
        self.busy.hide()
        self._watchdog.stop()
        self.state = "failed"
        self._record(code, message)
        text = self._refusal_text(code)
        if message:
            text += "\n" + self.tr("Server said: %1").replace("%1", message)
        self.status_label.setText(text)
        retry = code in ("invalid", "conflict", "not_connected", "error")
        self._set_inputs_enabled(retry)
        if code == "forbidden" or code == "not_found":
            self.send_button.setEnabled(False)
        else:
            self._validate()

    def _refusal_text(self, code: str) -> str:
        texts = {
            "forbidden": self.tr("Refused: your role may not reassign escalations."),
            "not_found": self.tr("Refused: the server does not know this escalation (it may have been removed)."),
            "conflict": self.tr("Refused: the escalation was resolved or changed meanwhile. "
                                "Check the board before trying again."),
            "invalid": self.tr("Refused as invalid by the server. Correct the owner or the reason and try again."),
            "not_connected": self.tr("Not sent: there is no connection to the server. Nothing was changed."),
        }
        return texts.get(code, self.tr("The server refused the reassignment (%1).").replace("%1", code))

    def _record(self, result: str, message: str, late: bool = False) -> None:
        if self._audit is None or self._sent_to is None:
            return
        try:
            self._audit(ReassignRecord(
                self.escalation.escalation_id, self.escalation.case_id, self.escalation.owner, self._sent_to,
                self._sent_reason, result, message, self._request_id, late))
        except Exception:  # noqa: BLE001 - the audit must not hide the answer from the user
            log.exception("audit of a reassignment failed")
            self.problem_label.setText(self.tr("Warning: this reassignment could not be written to the audit trail."))

    @staticmethod
    def _person_name(person: wire.Person | None) -> str:
        return (person.name or person.id) if person is not None else "?"

    # ------------------------------------------------------------------ the server's truth

    def on_command_result(self, outcome: CommandOutcome) -> None:
        """A command result from the client; only a late answer to this dialog's request matters.

        Safe to call from the client's own (asyncio) thread: it is handed to the Qt thread.
        """
        if QThread.currentThread() is not self.thread():
            try:
                self._relay.late.emit(outcome)
            except RuntimeError:
                pass  # the dialog is gone
            return
        if not outcome.late or self.state != "unknown":
            return
        if self._request_id and outcome.request_id != self._request_id:
            return
        ok = outcome.status == "ok"
        code = outcome.code or ("ok" if ok else "error")
        self._record(code, outcome.message or "", late=True)
        if ok:
            self.state = "done"
            self._set_inputs_enabled(False)
            self.status_label.setText(self.tr("The server's late answer: the reassignment was accepted."))
        else:
            self.state = "failed"
            self.status_label.setText(self.tr("The server's late answer:") + " " + self._refusal_text(code))
        self._validate()

    def on_floor_changed(self, changes: Changes) -> None:
        """Connect ``LiveFloor.changed``: show the escalation as the server now has it."""
        if changes.reset or self.escalation.escalation_id in changes.escalations_changed:
            self._follow_floor()

    def _follow_floor(self) -> None:
        if self._floor is None:
            return
        esc = self._floor.escalations.get(self.escalation.escalation_id)
        if esc is not None:
            self.show_server_state(esc)

    def show_server_state(self, esc: wire.Escalation) -> None:
        """The escalation as the server broadcast it (owner, status)."""
        self.escalation = esc
        self._show_escalation(esc)
        if self._awaiting_truth and self._sent_to is not None and esc.owner.id == self._sent_to.id:
            self._awaiting_truth = False
            self.state = "done"
            self._set_inputs_enabled(False)
            self.status_label.setText(self.tr("The server now shows %1 as the owner.")
                                      .replace("%1", self._person_name(esc.owner)))
        if self.state in ("editing", "failed", "unknown"):
            self._on_department_changed()  # candidates exclude the (new) current owner


class _Unknown:
    """The dialog's own "outcome unknown", when not even the client's timeout answered."""

    status = "unknown"
    code: str | None = None
    late = False
    request_id = ""

    def __init__(self, timeout_s: float) -> None:
        self.message = f"no answer within {timeout_s:g} s"


__all__ = ["ReassignDialog", "audit_to"]

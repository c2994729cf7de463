"""Sign-in: the desktop's token from the operating system's keyring, or asked for once.

A token typed on the command line sits in ``ps`` and shell history (issue 9). The
desktop asks for it in a dialog instead and, only when the user ticks "Remember", keeps
it in the OS keyring (Windows Credential Manager, macOS Keychain, the Secret Service on
Linux) through the ``keyring`` library — never in QSettings, a log or the journal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

log = logging.getLogger(__name__)

SERVICE = "command-center"  # the keyring entry: service "command-center", user = server URL


class Keyring(Protocol):
    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


def system_keyring() -> Keyring:
    import keyring

    return keyring  # type: ignore[return-value]  # the module has the three functions


def stored_token(url: str, ring: Keyring | None = None) -> str | None:
    """The token remembered for ``url``, or None (also when there is no usable keyring)."""
    try:
        return (ring or system_keyring()).get_password(SERVICE, url)
    except Exception as exc:  # noqa: BLE001 - no keyring backend, a locked one, a D-Bus error
        log.info("no token from the keyring: %s", type(exc).__name__)
        return None


def remember_token(url: str, token: str, ring: Keyring | None = None) -> str | None:
    """Keep the token in the keyring; None when done, else one sentence why not."""
    try:
        (ring or system_keyring()).set_password(SERVICE, url, token)
    except Exception as exc:  # noqa: BLE001
        log.warning("the token could not be kept in the keyring (%s)", type(exc).__name__)
        return QCoreApplication.translate("SignIn", "This computer has no usable keyring: the token is kept for this session only.")
    return None


def forget_token(url: str, ring: Keyring | None = None) -> None:
    """Remove a remembered token (sign out); nothing when there was none."""
    try:
        (ring or system_keyring()).delete_password(SERVICE, url)
    except Exception as exc:  # noqa: BLE001
        log.info("no token removed from the keyring: %s", type(exc).__name__)


class SignInDialog(QDialog):
    """Asks for the token of one server; "Remember" keeps it in the keyring."""

    def __init__(self, url: str, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("SignIn", "Sign in"))
        self.setObjectName("signin")
        layout = QVBoxLayout(self)
        intro = QLabel(QCoreApplication.translate("SignIn", "Sign in to the queue event server with the token your administrator gave you."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.server = QLabel(url)
        self.server.setObjectName("signin-server")
        form.addRow(QCoreApplication.translate("SignIn", "Server"), self.server)
        self.token = QLineEdit()
        self.token.setObjectName("signin-token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setAccessibleName(QCoreApplication.translate("SignIn", "Token"))
        form.addRow(QCoreApplication.translate("SignIn", "Token"), self.token)
        layout.addLayout(form)
        self.remember = QCheckBox(QCoreApplication.translate("SignIn", "Remember on this computer (in the system keyring)"))
        self.remember.setObjectName("signin-remember")
        layout.addWidget(self.remember)
        self.message = QLabel(message)
        self.message.setObjectName("signin-message")
        self.message.setWordWrap(True)
        self.message.setVisible(bool(message))
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText(QCoreApplication.translate("SignIn", "Sign in"))
        self._ok.setEnabled(False)
        self.token.textChanged.connect(self._on_token_text_changed)
        layout.addWidget(buttons)

    def _on_token_text_changed(self, text: str) -> None:
        self._ok.setEnabled(bool(text.strip()))

    def _on_buttons_accepted(self) -> None:
        if self.token.text().strip():
            self.accept()

    def value(self) -> str:
        return self.token.text().strip()


def _show(problem: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(None, QCoreApplication.translate("SignIn", "Sign in"), problem)


def sign_in(
    url: str, ring: Keyring | None = None, ask: type[SignInDialog] = SignInDialog,
    notice: Callable[[str], None] = _show,
) -> tuple[str, bool] | None:
    """The token for ``url`` and whether it came from the keyring: from the keyring, else
    from the dialog (kept there when the user asks). None when the user cancels."""
    token = stored_token(url, ring)
    if token:
        return token, True
    dialog = ask(url)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    token = dialog.value()
    if dialog.remember.isChecked():
        problem = remember_token(url, token, ring)
        if problem:
            notice(problem)
    return token, False

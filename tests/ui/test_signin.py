"""The desktop's sign-in: the token from the keyring, or asked for and kept only when asked."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer, Qt

from ui import signin
from ui.signin import SERVICE, SignInDialog, sign_in

URL = "wss://cc.bank.example/v1/events"


class MemoryKeyring:
    def __init__(self, fail: bool = False) -> None:
        self.items: dict[tuple[str, str], str] = {}
        self.fail = fail

    def get_password(self, service: str, username: str) -> str | None:
        if self.fail:
            raise RuntimeError("no backend")
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.fail:
            raise RuntimeError("no backend")
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.fail:
            raise RuntimeError("no backend")
        del self.items[(service, username)]


def answering(token: str, remember: bool, accept: bool = True) -> type[SignInDialog]:
    """A real SignInDialog that a user fills in and confirms (or cancels) once it shows."""

    class Answered(SignInDialog):
        def exec(self) -> int:  # type: ignore[override]
            def fill() -> None:
                assert self.isVisible()
                assert self.token.echoMode() == self.token.EchoMode.Password  # never shown
                self.token.setText(token)
                self.remember.setChecked(remember)
                if accept:
                    self._ok.click()
                else:
                    self.reject()
            QTimer.singleShot(0, fill)
            return super().exec()

    return Answered


def test_a_remembered_token_is_used_without_asking(qapp) -> None:
    ring = MemoryKeyring()
    ring.items[(SERVICE, URL)] = "t-123"

    class NeverAsked(SignInDialog):
        def exec(self) -> int:  # type: ignore[override]
            raise AssertionError("asked although the keyring had the token")

    assert sign_in(URL, ring, NeverAsked) == ("t-123", True)


def test_asked_once_and_kept_only_when_the_user_says_so(qapp) -> None:
    ring = MemoryKeyring()
    assert sign_in(URL, ring, answering("  t-456 ", remember=False)) == ("t-456", False)
    assert ring.items == {}  # not asked to remember: nothing kept
    assert sign_in(URL, ring, answering("t-456", remember=True)) == ("t-456", False)
    assert ring.items == {(SERVICE, URL): "t-456"}
    signin.forget_token(URL, ring)
    assert ring.items == {}


def test_cancel_gives_no_token(qapp) -> None:
    assert sign_in(URL, MemoryKeyring(), answering("x", remember=True, accept=False)) is None


def test_no_keyring_says_so_and_still_signs_in(qapp) -> None:
    notices: list[str] = []
    got = sign_in(URL, MemoryKeyring(fail=True), answering("t-789", remember=True), notice=notices.append)
    assert got == ("t-789", False)
    assert len(notices) == 1 and "session only" in notices[0]


def test_ok_waits_for_a_token(qapp) -> None:
    dialog = SignInDialog(URL)
    assert not dialog._ok.isEnabled()
    dialog.token.setText("   ")
    assert not dialog._ok.isEnabled()
    dialog.token.setText("t")
    assert dialog._ok.isEnabled()
    assert dialog.server.text() == URL
    dialog.deleteLater()


def test_the_token_is_not_a_command_line_requirement() -> None:
    """`--url` without a token no longer fails: the desktop signs in instead (usage text)."""
    out = subprocess.run([sys.executable, "-m", "supervisor", "--help"], capture_output=True, text=True,
                         timeout=60)
    assert "--token-file" in out.stdout and "CC_TOKEN" in out.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sign_in_dialog_screenshot(qapp, language, tmp_path, lang) -> None:
    language(lang)
    dialog = SignInDialog(URL, message="")
    dialog.resize(520, 220)
    dialog.show()
    qapp.processEvents()
    path = tmp_path / f"signin-{lang}.png"
    assert dialog.grab().save(str(path))
    dialog.close()
    assert dialog.windowTitle() == ("登录" if lang == "zh" else "Sign in")
    assert Qt  # keep the import used for the key names in failing-test output

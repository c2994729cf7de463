"""The feed's status as people read it: live / reconnecting / stale (with age) / not authorised.

The client reports state changes; the age of the data is recomputed here every tick from
the monotonic time of the last message, so "updated 4 s ago" keeps counting without a
new status.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

from supervisor.timeutil import format_duration

# after this long without data a reconnecting feed is stale even before the client says so
STALE_AFTER_S = 15.0


@dataclass(frozen=True, slots=True)
class Shown:
    kind: str  # live / reconnecting / stale / unauthorised / stopped (widgets' badge states)
    text: str
    age_s: float | None
    data_live: bool  # may the numbers be presented as current?
    detail: str = ""  # the client's own message (English, technical): tooltips only


def describe(status: Any | None, now_mono: float | None = None) -> Shown:
    now_mono = time.monotonic() if now_mono is None else now_mono
    if status is None:
        return Shown("stopped", QCoreApplication.translate("status", "Not connected"), None, False)
    last = getattr(status, "last_message_monotonic", None)
    age = None if last is None else max(0.0, now_mono - last)
    age_text = format_duration(age) if age is not None else ""
    state = getattr(status, "state", "stopped")
    if state == "live":
        if age is not None and age >= STALE_AFTER_S:
            return Shown("stale", QCoreApplication.translate("status", "Stale · last update %1 ago").replace("%1", age_text), age, False)
        text = QCoreApplication.translate("status", "Live · updated %1 ago").replace("%1", age_text) if age is not None else QCoreApplication.translate("status", "Live")
        return Shown("live", text, age, True)
    if state in ("connecting", "reconnecting"):
        retry = getattr(status, "retry_in_s", None)
        if age is not None and age >= STALE_AFTER_S:
            text = QCoreApplication.translate("status", "Stale · last update %1 ago · reconnecting").replace("%1", age_text)
            return Shown("stale", text, age, False)
        if state == "connecting":
            return Shown("reconnecting", QCoreApplication.translate("status", "Connecting…"), age, False)
        if retry:
            return Shown("reconnecting", QCoreApplication.translate("status", "Reconnecting in %1 s…").replace("%1", f"{retry:.0f}"), age, False)
        return Shown("reconnecting", QCoreApplication.translate("status", "Reconnecting…"), age, False)
    if state == "stale":
        if age is None:
            return Shown("stale", QCoreApplication.translate("status", "Stale · no data yet"), None, False)
        return Shown("stale", QCoreApplication.translate("status", "Stale · last update %1 ago").replace("%1", age_text), age, False)
    if state == "not_authorised":
        return Shown("unauthorised", QCoreApplication.translate("status", "Not authorised: check the token"), age, False)
    if state == "version_error":
        return Shown("stopped", QCoreApplication.translate("status", "Server speaks another protocol version"), age, False)
    message = getattr(status, "message", "") or ""
    return Shown("stopped", QCoreApplication.translate("status", "Not connected"), age, False, message)

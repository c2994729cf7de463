"""The feed's status as people read it: live / reconnecting / stale (with age) / not authorised.

The client reports state changes; the age of the data is recomputed here every tick from
the monotonic time of the last message, so "updated 4 s ago" keeps counting without a
new status.

Stale (PROTOCOL.md, Session 4 and ``heartbeat``): nothing heard for 3 x the server's
``heartbeat_s``, or a relaying server saying ``source_ok: false`` (it still beats, but
what it relays is frozen). Either way the numbers are not presented as current.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QLocale

from supervisor.timeutil import format_duration

if TYPE_CHECKING:
    from supervisor import wire

STALE_AFTER_HEARTBEATS = 3  # PROTOCOL.md: 3 x heartbeat_s of silence
DEFAULT_HEARTBEAT_S = 5.0  # before a hello has said otherwise


class FeedState(Protocol):
    """What every screen reads of a feed status: a ``supervisor.feed.FeedStatus``, or the
    bridge's ``_FailedStatus`` once the feed thread died. ``heartbeat_s``, ``source_ok``
    and ``counts`` only a FeedStatus has: they are read where present (below)."""

    @property
    def state(self) -> str: ...
    @property
    def user(self) -> wire.User | None: ...
    @property
    def server_offset_s(self) -> float | None: ...
    @property
    def last_message_monotonic(self) -> float | None: ...
    @property
    def retry_in_s(self) -> float | None: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Shown:
    kind: str  # live / reconnecting / stale / unauthorised / stopped (widgets' badge states)
    text: str
    age_s: float | None
    data_live: bool  # may the numbers be presented as current?
    detail: str = ""  # the client's own message (English, technical): tooltips only
    reason: str = ""  # why the data is stale when it is not plain silence (translated)


def stale_after_s(status: FeedState) -> float:
    """Seconds of silence after which the data is stale: 3 x the server's heartbeat_s."""
    value = getattr(status, "stale_after_s", None)
    if isinstance(value, (int, float)) and value > 0:
        return float(value)
    heartbeat = getattr(status, "heartbeat_s", None)
    if not isinstance(heartbeat, (int, float)) or heartbeat <= 0:
        heartbeat = DEFAULT_HEARTBEAT_S
    return STALE_AFTER_HEARTBEATS * float(heartbeat)


def source_lost(status: FeedState | None) -> bool:
    """Whether a relaying server has said its source is gone (``source_ok: false``)."""
    return status is not None and getattr(status, "source_ok", True) is False


# what supervisor.feed says when a heartbeat brings source_ok: false (its own wording,
# English and technical): shown as the general, translated reason
CLIENT_SOURCE_MESSAGES = frozenset({"the server has lost its source system; the data is stale"})


def source_reason(message: str) -> str:
    """The reason the source is lost, in the UI's language.

    The client's ``message`` carries it in English; an English UI shows it as it is (with
    a capital), a Chinese one shows the translated sentence (a known message translated,
    an unknown one replaced by the general reason), never a mix of languages.
    """
    general = QCoreApplication.translate("status", "the server has lost its data source")
    message = (message or "").strip()
    if not message or message in CLIENT_SOURCE_MESSAGES:
        return general
    translated = QCoreApplication.translate("status", message)  # a known message
    if translated != message:
        return translated
    if QLocale().language() == QLocale.Language.Chinese:
        return general
    return message


def describe(status: FeedState | None, now_mono: float | None = None, *,
             source_lost_for_s: float | None = None) -> Shown:
    """What the screens say about ``status`` at ``now_mono`` (``time.monotonic()`` by default).

    ``source_lost_for_s``: how long the source has been lost, when the caller has watched
    it (``StatusReader``); the age shown for a lost source.
    """
    now_mono = time.monotonic() if now_mono is None else now_mono
    if status is None:
        return Shown("stopped", QCoreApplication.translate("status", "Not connected"), None, False)
    last = status.last_message_monotonic
    age = None if last is None else max(0.0, now_mono - last)
    age_text = format_duration(age) if age is not None else ""
    state = status.state
    message = status.message or ""
    silent_too_long = age is not None and age >= stale_after_s(status)
    if state in ("live", "stale", "connecting", "reconnecting") and source_lost(status):
        # the server still beats, but what it relays is frozen: stale, with the reason
        reason = source_reason(message)
        lost_for = source_lost_for_s
        if lost_for is None:
            text = QCoreApplication.translate("status", "Stale · %1").replace("%1", reason)
        else:
            text = (QCoreApplication.translate("status", "Stale · %1 · for %2")
                    .replace("%1", reason).replace("%2", format_duration(lost_for)))
        return Shown("stale", text, age if lost_for is None else lost_for, False, message, reason)
    if state == "live":
        if silent_too_long:
            text = QCoreApplication.translate("status", "Stale · last update %1 ago").replace("%1", age_text)
            return Shown("stale", text, age, False, message)
        if age is None:
            return Shown("live", QCoreApplication.translate("status", "Live"), age, True)
        text = QCoreApplication.translate("status", "Live · updated %1 ago").replace("%1", age_text)
        return Shown("live", text, age, True)
    if state in ("connecting", "reconnecting"):
        retry = status.retry_in_s
        if silent_too_long:
            text = (QCoreApplication.translate("status", "Stale · last update %1 ago · reconnecting")
                    .replace("%1", age_text))
            return Shown("stale", text, age, False, message)
        if state == "connecting":
            return Shown("reconnecting", QCoreApplication.translate("status", "Connecting…"), age, False, message)
        if retry:
            text = QCoreApplication.translate("status", "Reconnecting in %1 s…").replace("%1", f"{retry:.0f}")
            return Shown("reconnecting", text, age, False, message)
        return Shown("reconnecting", QCoreApplication.translate("status", "Reconnecting…"), age, False, message)
    if state == "stale":
        if age is None:
            return Shown("stale", QCoreApplication.translate("status", "Stale · no data yet"), None, False, message)
        text = QCoreApplication.translate("status", "Stale · last update %1 ago").replace("%1", age_text)
        return Shown("stale", text, age, False, message)
    if state == "not_authorised":
        text = QCoreApplication.translate("status", "Not authorised: check the token")
        return Shown("unauthorised", text, age, False, message)
    if state == "version_error":
        text = QCoreApplication.translate("status", "Server speaks another protocol version")
        return Shown("stopped", text, age, False, message)
    return Shown("stopped", QCoreApplication.translate("status", "Not connected"), age, False, message)


def journal_hole_text(missing: int) -> str:
    """"Journal missing 37 events": events lost in gaps that no resume could fill."""
    if missing == 1:
        return QCoreApplication.translate("status", "Journal missing 1 event")
    text = QCoreApplication.translate("status", "Journal missing %1 events")
    return text.replace("%1", QLocale().toString(int(missing)))


def journal_hole_detail() -> str:
    return QCoreApplication.translate(
        "status", "Events lost in gaps the server could not replay: today's figures may be incomplete.")


def missing_events(status: FeedState | None) -> int:
    """``status.counts.missing`` (0 when unknown)."""
    counts = getattr(status, "counts", None)
    value = getattr(counts, "missing", 0)
    return int(value) if isinstance(value, int) and value > 0 else 0


class StatusReader:
    """``describe`` for a screen that refreshes: also watches since when the source is lost.

    ``monotonic`` is the clock (``time.monotonic`` by default; tests pass their own) that
    the status's ``last_message_monotonic`` is measured on.
    """

    def __init__(self, monotonic: Callable[[], float] | None = None) -> None:
        self.monotonic = monotonic or time.monotonic
        self._lost_since: float | None = None

    def read(self, status: FeedState | None) -> Shown:
        now = self.monotonic()
        if source_lost(status):
            if self._lost_since is None:
                self._lost_since = now
        else:
            self._lost_since = None
        lost_for = None if self._lost_since is None else max(0.0, now - self._lost_since)
        return describe(status, now, source_lost_for_s=lost_for)

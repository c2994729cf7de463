"""Alerts that help: a chime for an SLA breach, an escalation due within 15 minutes and a
lost feed, and a desktop notification for the escalation (issue 12 point 4).

The chimes are the app's own (resources/sounds, written by make_chimes.py), played with
Qt Multimedia's QSoundEffect at the volume chosen in the settings. Each kind can be
switched off, and all of them muted. What the screens already promise holds for the
sound too: nothing calls for attention on data that is not live. A breach or a due
escalation computed from stale figures stays silent (the escalation is announced when
the data is live again, if it is still ahead of its deadline); the lost-feed chime
sounds once, when live data stops (stale: silence beyond 3 x the heartbeat or a lost
source; refused; stopped), and not again until the feed has been live since. A short
reconnect that never went stale is not a lost feed.

A machine without Qt Multimedia or without an audio output (a wall PC with no speakers,
the test machine) runs silent: it logs that once and never fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QUrl, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

from supervisor import wire
from ui import names
from ui.live import LiveFloor
from ui.scope import calls_in_scope
from ui.status import StatusReader

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

    from supervisor.floor import Floor
    from ui.status import FeedState

log = logging.getLogger(__name__)

KINDS: tuple[str, ...] = ("breach", "escalation", "feed_lost")
DUE_WITHIN = timedelta(minutes=15)  # "an escalation due within 15 minutes"
# one kind chimes at most once in this much server time (a peak crossing a contact every
# few seconds would chime without pause); the flash still marks every breach
MIN_GAP = timedelta(seconds=20)
# screens' states in which the feed is lost (reconnecting alone is a blip, not yet lost)
LOST_KINDS = frozenset({"stale", "unauthorised", "stopped"})
SETTINGS_GROUP = "alerts"


def sound_path(kind: str) -> str:
    """resources/sounds/<kind>.wav (source tree, installed package or PyInstaller bundle)."""
    import resources

    return str(resources.path("sounds", f"{check_kind(kind)}.wav"))


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown alert {kind!r}; expected one of {list(KINDS)}")
    return kind


def kind_name(kind: str) -> str:
    """What the settings dialog calls each alert, in the UI's language."""
    words = {
        "breach": QCoreApplication.translate("alerts", "A contact breaches the SLA"),
        "escalation": QCoreApplication.translate("alerts", "An escalation is due within 15 minutes"),
        "feed_lost": QCoreApplication.translate("alerts", "The live feed is lost"),
    }
    return words[check_kind(kind)]


def _as_bool(value: object, default: bool) -> bool:
    """A QSettings value as a bool (INI files give back "true" / "false" strings)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "1", "yes", "on"):
            return True
        if low in ("false", "0", "no", "off"):
            return False
    if isinstance(value, int):
        return value != 0
    return default


def _as_percent(value: Any, default: int) -> int:
    try:
        return max(0, min(100, int(float(value))))
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class AlertSettings:
    """Which alerts sound, how loud, and whether the desk shows a desktop notification."""

    breach: bool = True
    escalation: bool = True
    feed_lost: bool = True
    volume: int = 70  # percent
    muted: bool = False
    tray: bool = True  # the desk's notification for an escalation due within 15 minutes

    def wants(self, kind: str) -> bool:
        """Whether ``kind`` makes a sound now."""
        return not self.muted and self.volume > 0 and bool(getattr(self, check_kind(kind)))

    @classmethod
    def load(cls, settings: QSettings | None) -> AlertSettings:
        """From the ``alerts/`` keys of ``settings`` (an administrator's defaults included)."""
        if settings is None:
            return cls()
        default = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = settings.value(f"{SETTINGS_GROUP}/{f.name}")
            if raw is None:
                continue
            values[f.name] = (_as_percent(raw, default.volume) if f.name == "volume"
                              else _as_bool(raw, getattr(default, f.name)))
        return replace(default, **values)

    def save(self, settings: QSettings | None) -> None:
        if settings is None:
            return
        for f in fields(self):
            settings.setValue(f"{SETTINGS_GROUP}/{f.name}", getattr(self, f.name))


class Player(Protocol):
    def play(self, kind: str, volume: float) -> bool: ...


class ChimePlayer(QObject):
    """One QSoundEffect per kind, made on first use; silent without Qt Multimedia or speakers."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[str, QSoundEffect] | None = None
        self.unavailable: str = ""  # why it is silent, once known

    def available(self) -> bool:
        return self._load() is not None

    def _load(self) -> dict[str, QSoundEffect] | None:
        if self._effects is not None or self.unavailable:
            return self._effects
        from PySide6.QtCore import QLoggingCategory

        # Qt Multimedia looks for VA-API video decoders it never needs for a chime and warns
        # on every machine without them; these are not the app's warnings
        QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # PySide6-Addons or its system libraries missing
            self.unavailable = f"Qt Multimedia cannot be loaded ({exc})"
            log.warning("alerts are silent: %s", self.unavailable)
            return None
        if not QMediaDevices.audioOutputs():
            self.unavailable = "no audio output"
            log.info("alerts are silent: %s", self.unavailable)
            return None
        effects: dict[str, QSoundEffect] = {}
        for kind in KINDS:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(sound_path(kind)))
            effects[kind] = effect
        self._effects = effects
        return effects

    def play(self, kind: str, volume: float) -> bool:
        """Start ``kind``'s chime at ``volume`` (0..1); False when the machine cannot play it."""
        check_kind(kind)
        effects = self._load()
        if effects is None:
            return False
        effect = effects[kind]
        effect.setVolume(max(0.0, min(1.0, volume)))
        effect.play()
        return True


class Alerts(QObject):
    """Watches the live floor and asks the player for a chime when one is due.

    ``player`` None: silent (a desktop started without sound); the desk's notification
    still follows ``escalations_due``. ``monotonic``: the clock of the feed's
    ``last_message_monotonic`` (tests step it).
    """

    sounded = Signal(str)  # a chime was asked for (kind), whether or not the machine can play it
    escalations_due = Signal(list)  # escalations that came within 15 minutes of their deadline

    def __init__(self, live: LiveFloor, player: Player | None = None, settings: AlertSettings | None = None,
                 *, monotonic: Callable[[], float] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.player = player
        self.settings = settings or AlertSettings()
        self._reader = StatusReader(monotonic)
        self._was_live = False
        self._lost_announced = False
        self._announced: set[tuple[str, datetime]] = set()  # (escalation, its deadline) told once
        self._last: dict[str, datetime] = {}  # server time each kind last chimed
        live.waiting.sla_crossed.connect(self._on_crossed)
        live.ticked.connect(self._on_ticked)
        live.status_changed.connect(self._on_status)

    def set_settings(self, settings: AlertSettings) -> None:
        self.settings = settings

    def data_live(self) -> bool:
        return self._reader.read(self.live.status).data_live

    # ------------------------------------------------------------------ triggers

    def _on_crossed(self, call_ids: list[str]) -> None:
        call_ids = calls_in_scope(self.live.floor, self.live.scope, call_ids)  # my floor's alone
        if call_ids and self._check_feed():
            self._chime("breach")

    def _on_status(self, _status: FeedState) -> None:
        self._check_feed()

    def _on_ticked(self, now: datetime) -> None:
        if self._check_feed():
            due = self.newly_due(now)
            if due:
                self.escalations_due.emit(due)
                self._chime("escalation")

    def _check_feed(self) -> bool:
        """Whether the data is live now; chimes once when a live feed is lost."""
        shown = self._reader.read(self.live.status)
        if shown.data_live:
            self._was_live = True
            self._lost_announced = False
            return True
        if self._was_live and shown.kind in LOST_KINDS and not self._lost_announced:
            self._lost_announced = True
            self._was_live = False
            self._chime("feed_lost", gap=False)
        return False

    def newly_due(self, now: datetime) -> list[wire.Escalation]:
        """Open escalations now within DUE_WITHIN of their deadline (not past it) that were
        not announced yet, soonest first; they count as announced from now on."""
        open_keys = set()
        due: list[wire.Escalation] = []
        for esc in self.live.floor.open_escalations():
            key = (esc.escalation_id, esc.due_at)
            open_keys.add(key)
            left = esc.due_at - now
            if timedelta(0) < left <= DUE_WITHIN and key not in self._announced:
                due.append(esc)
        self._announced &= open_keys  # resolved ones, and old deadlines of reassigned ones, go
        self._announced.update((e.escalation_id, e.due_at) for e in due)
        return sorted(due, key=lambda e: e.due_at)

    def _chime(self, kind: str, gap: bool = True) -> None:
        if not self.settings.wants(kind):
            return
        now = self.live.clock.now()
        last = self._last.get(kind)
        if gap and last is not None and timedelta(0) <= now - last < MIN_GAP:
            return
        self._last[kind] = now
        self.sounded.emit(kind)
        if self.player is not None:
            self.player.play(kind, self.settings.volume / 100.0)

    def preview(self, kind: str, volume: int | None = None) -> bool:
        """Play ``kind``'s chime now (the settings dialog's "Play" button)."""
        if self.player is None:
            return False
        return self.player.play(check_kind(kind), (self.settings.volume if volume is None else volume) / 100.0)


def due_message(escalations: Iterable[wire.Escalation], now: datetime, floor: Floor) -> tuple[str, str]:
    """Title and text of the desktop notification for escalations about to miss their deadline."""
    escs = list(escalations)
    if len(escs) == 1:
        title = QCoreApplication.translate("alerts", "Escalation due in %1 min")
    else:
        title = QCoreApplication.translate("alerts", "%1 escalations due within 15 min")
    minutes = max(1, int(-(-(escs[0].due_at - now).total_seconds() // 60))) if escs else 0
    title = title.replace("%1", str(minutes if len(escs) == 1 else len(escs)))
    lines = []
    for esc in escs[:4]:
        dept = floor.departments.get(esc.department) if floor is not None else None
        left = max(0, int(-(-(esc.due_at - now).total_seconds() // 60)))
        lines.append(QCoreApplication.translate("alerts", "%1 · %2 · %3 · due in %4 min")
                     .replace("%1", names.department(esc.department, dept.name if dept else ""))
                     .replace("%2", names.severity(esc.severity))
                     .replace("%3", esc.owner.name or esc.owner.id)
                     .replace("%4", str(left)))
    if len(escs) > 4:
        lines.append(QCoreApplication.translate("alerts", "and %1 more").replace("%1", str(len(escs) - 4)))
    return title, "\n".join(lines)


class DeskNotifier(QObject):
    """The desk's notification for escalations due within 15 minutes: the system tray's
    balloon where there is a tray, else the window asks for attention and the status bar
    says it. Only while the desk is the screen in use (the wall has no one at a keyboard)."""

    shown = Signal(str, str)  # title, text of each notification given

    def __init__(self, alerts: Alerts, window: QMainWindow, *, tray: QSystemTrayIcon | None = None,
                 icon: QIcon | None = None) -> None:
        """``tray``: a QSystemTrayIcon (made here when the system has a tray and none is given)."""
        super().__init__(window)
        self.alerts = alerts
        self.window = window
        if tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            tray = QSystemTrayIcon(icon or _app_icon(), window)
            tray.setToolTip(window.windowTitle())
            tray.show()
        self.tray = tray
        alerts.escalations_due.connect(self._on_due)

    def _on_due(self, escalations: list[wire.Escalation]) -> None:
        if not self.alerts.settings.tray or not escalations or not self.window.isVisible():
            return  # the wall is on screen: nobody at the desk to notify
        title, text = due_message(escalations, self.alerts.live.clock.now(), self.alerts.live.floor)
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 15_000)
        else:
            QApplication.alert(self.window, 0)
        self.window.statusBar().showMessage(f"{title}: {text.splitlines()[0]}", 15_000)
        self.shown.emit(title, text)

    def close(self) -> None:
        if self.tray is not None and hasattr(self.tray, "hide"):
            self.tray.hide()


def _app_icon() -> QIcon:
    import resources

    try:
        return QIcon(str(resources.path("icons", "command-center.png")))
    except FileNotFoundError:
        return QIcon()

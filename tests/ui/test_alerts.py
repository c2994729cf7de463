"""Alerts that help (issue 12 point 4): a chime for a breach, an escalation due within 15
minutes and a lost feed, each switchable, with volume and mute, never on data that is
not live; the desk's notification for the escalation; the bundled chimes themselves.

Real LiveFloor, models and widgets offscreen; time is the project's (the scene's server
clock and a stepped monotonic clock). The player that would reach the speakers is a
recorder here (the machine has no audio output); ChimePlayer itself is checked to stay
silent, not crash, on such a machine.
"""

from __future__ import annotations

import subprocess
import sys
import wave
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

from supervisor.feed.status import FeedStatus
from tests.ui.events import contact, escalation
from tests.ui.scenes import Mono, busy_floor
from ui.alerts import KINDS, AlertSettings, Alerts, ChimePlayer, DeskNotifier, due_message, sound_path

SOUNDS = Path(__file__).resolve().parents[2] / "resources" / "sounds"
# No audio server on a test machine: Qt Multimedia says so (its words, not the app's)
NO_AUDIO = ("PulseAudioService|QSoundEffect|This plugin does not support (propagateSizeHints|raise)")


class Recorder:
    """Stands in for the speakers: what was played, at which volume."""

    def __init__(self) -> None:
        self.played: list[tuple[str, float]] = []

    def play(self, kind: str, volume: float) -> bool:
        self.played.append((kind, volume))
        return True

    def kinds(self) -> list[str]:
        return [k for k, _ in self.played]


@pytest.fixture
def scene(qtbot):
    mono = Mono()
    live, stream = busy_floor()
    live.status = FeedStatus("live", heartbeat_s=2.0, last_message_monotonic=mono())
    player = Recorder()
    alerts = Alerts(live, player, monotonic=mono)
    return live, stream, mono, player, alerts


def _heard(live, mono: Mono, **changes) -> None:
    live.status = replace(live.status, last_message_monotonic=mono(), **changes)


def _cross(live, stream, call_id: str) -> None:
    """A contact queued 895 s ago; the 10 s step after it crosses the 15-minute SLA."""
    live.apply([stream.queued(contact(call_id, "credit_card", stream.now - timedelta(seconds=895)))])
    live.tick()
    stream.advance(10)


def test_a_breach_chimes_once_and_a_burst_is_one_chime(scene):
    live, stream, mono, player, _alerts = scene
    live.tick()
    assert player.played == []
    _cross(live, stream, "x-1")
    live.tick()
    assert player.played == [("breach", 0.7)]
    live.tick()
    assert player.kinds() == ["breach"]  # it stays breached, silently
    # a second breach 10 s later: within the 20 s gap, the flash marks it, no second chime
    _heard(live, mono)
    _cross(live, stream, "x-2")
    live.tick()
    assert player.kinds() == ["breach"]
    stream.advance(15)
    _heard(live, mono)
    _cross(live, stream, "x-3")
    live.tick()
    assert player.kinds() == ["breach", "breach"]


def test_nothing_chimes_for_a_breach_on_stale_data(scene):
    live, stream, mono, player, alerts = scene
    live.tick()  # live once: going stale is a lost feed
    mono.advance(7)  # 3 x 2 s of silence
    _cross(live, stream, "x-stale")
    live.tick()
    assert live.waiting.state_of("x-stale") == "breached"
    assert player.kinds() == ["feed_lost"]  # the feed, not the breach computed from it
    # a relaying server that lost its source: still beating, still stale
    _heard(live, mono, source_ok=False, message="the PBX link is down")
    _cross(live, stream, "x-lost")
    live.tick()
    assert player.kinds() == ["feed_lost"]
    assert not alerts.data_live()


def test_the_lost_feed_chimes_once_until_live_again_and_a_blip_is_not_lost(scene):
    live, stream, mono, player, _alerts = scene
    live.tick()
    # a reconnect that is over before 3 heartbeats of silence: no chime
    _heard(live, mono, state="reconnecting")
    mono.advance(3)
    live.tick()
    _heard(live, mono, state="live")
    live.tick()
    assert player.played == []
    mono.advance(6)
    live.tick()
    assert player.kinds() == ["feed_lost"]
    for _ in range(3):
        mono.advance(5)
        live.tick()
    assert player.kinds() == ["feed_lost"]  # once, not every second it stays stale
    _heard(live, mono)
    live.tick()
    mono.advance(6)
    live.tick()
    assert player.kinds() == ["feed_lost", "feed_lost"]  # live again, then lost again
    # refused by the server is a lost feed too
    _heard(live, mono)
    live.tick()
    _heard(live, mono, state="not_authorised")
    live.status_changed.emit(live.status)
    assert player.kinds() == ["feed_lost"] * 3


def test_an_escalation_due_within_15_minutes_is_announced_once(scene):
    live, stream, mono, player, alerts = scene
    due: list[list] = []
    alerts.escalations_due.connect(due.append)
    live.tick()
    assert due == [] and player.played == []  # e-2 is due in 20 min; e-0 and e-1 are overdue
    stream.advance(5 * 60 + 1)
    _heard(live, mono)
    live.tick()
    assert [[e.escalation_id for e in batch] for batch in due] == [["e-2"]]
    assert player.kinds().count("escalation") == 1  # (waiting contacts crossed meanwhile too)
    stream.advance(60)
    _heard(live, mono)
    live.tick()
    assert len(due) == 1 and player.kinds().count("escalation") == 1
    # reassigned with a new deadline that is again within 15 minutes: a new announcement
    esc = escalation("e-2", stream.now + timedelta(minutes=10), stream.now - timedelta(hours=2),
                     severity="normal", department="risk")
    live.apply([stream.escalation(esc, opened=False)])
    stream.advance(30)
    _heard(live, mono)
    live.tick()
    assert [e.escalation_id for e in due[-1]] == ["e-2"] and len(due) == 2


def test_an_escalation_coming_due_while_stale_is_announced_when_live_again(scene):
    live, stream, mono, player, alerts = scene
    due: list[list] = []
    alerts.escalations_due.connect(due.append)
    live.tick()
    mono.advance(7)
    stream.advance(5 * 60 + 1)
    live.tick()
    assert due == [] and player.kinds() == ["feed_lost"]
    _heard(live, mono)
    live.tick()
    assert [e.escalation_id for e in due[0]] == ["e-2"]
    assert player.kinds()[0] == "feed_lost" and player.kinds().count("escalation") == 1


def test_each_alert_switches_off_and_mute_silences_all(scene):
    live, stream, mono, player, alerts = scene
    live.tick()
    alerts.set_settings(AlertSettings(breach=False, volume=40))
    _cross(live, stream, "x-off")
    live.tick()
    assert player.played == []
    stream.advance(5 * 60)
    _heard(live, mono)
    live.tick()
    assert player.played == [("escalation", 0.4)]  # contacts crossed meanwhile: breach is off
    alerts.set_settings(AlertSettings(muted=True))
    mono.advance(7)
    live.tick()
    assert player.kinds() == ["escalation"]  # the lost feed, muted
    alerts.set_settings(AlertSettings(volume=0))
    assert not alerts.settings.wants("breach")
    assert alerts.preview("feed_lost", 55) and player.played[-1] == ("feed_lost", 0.55)


def test_alert_settings_round_trip_through_an_ini_file(tmp_path):
    path = str(tmp_path / "s.ini")
    assert AlertSettings.load(QSettings(path, QSettings.Format.IniFormat)) == AlertSettings()
    chosen = AlertSettings(breach=False, escalation=True, feed_lost=False, volume=35, muted=True, tray=False)
    s = QSettings(path, QSettings.Format.IniFormat)
    chosen.save(s)
    s.sync()
    text = Path(path).read_text()
    assert "[alerts]" in text and "volume=35" in text
    assert AlertSettings.load(QSettings(path, QSettings.Format.IniFormat)) == chosen
    # an administrator's hand-written file: words, odd values
    Path(path).write_text("[alerts]\nbreach=no\nvolume=250\nmuted=maybe\n")
    loaded = AlertSettings.load(QSettings(path, QSettings.Format.IniFormat))
    assert (loaded.breach, loaded.volume, loaded.muted) == (False, 100, False)


# ---------------------------------------------------------------------------- desk notification


class RecordingTray(QSystemTrayIcon):
    """A real tray icon, never shown (no tray offscreen), that keeps the messages."""

    def __init__(self, parent) -> None:
        super().__init__(parent)
        self.messages: list[tuple[str, str]] = []

    def showMessage(self, title, text, *args):  # noqa: N802 - Qt override
        self.messages.append((title, text))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_desk_notifies_an_escalation_about_to_miss_its_deadline(qtbot, scene, language, lang):
    language(lang)
    live, stream, mono, _player, alerts = scene
    window = QMainWindow()
    qtbot.addWidget(window)
    tray = RecordingTray(window)
    notifier = DeskNotifier(alerts, window, tray=tray)
    window.show()
    live.tick()
    stream.advance(5 * 60 + 1)
    _heard(live, mono)
    live.tick()
    assert len(tray.messages) == 1
    title, text = tray.messages[0]
    if lang == "en":
        assert title == "Escalation due in 15 min"
        assert text == "Risk management (anti-fraud) · Normal · 李四 · due in 15 min" or "李四" in text
    else:
        assert title == "升级工单将在 15 分钟后到期"
        assert "风险管理部（反欺诈）" in text and "李四" in text and "15 分钟" in text
    assert title in window.statusBar().currentMessage()
    # switched off: no notification
    alerts.set_settings(AlertSettings(tray=False))
    live.apply([stream.escalation(escalation("e-new", stream.now + timedelta(minutes=9),
                                             stream.now - timedelta(hours=1)))])
    live.tick()
    assert len(tray.messages) == 1
    notifier.close()


def test_without_a_system_tray_the_desk_asks_for_attention_in_the_status_bar(qtbot, scene):
    live, stream, mono, _player, alerts = scene
    window = QMainWindow()
    qtbot.addWidget(window)
    notifier = DeskNotifier(alerts, window)  # offscreen: no system tray
    assert notifier.tray is None
    shown: list[tuple[str, str]] = []
    notifier.shown.connect(lambda t, x: shown.append((t, x)))
    window.show()
    live.tick()
    stream.advance(5 * 60 + 1)
    _heard(live, mono)
    live.tick()
    assert len(shown) == 1 and "due in" in window.statusBar().currentMessage()
    window.hide()  # the wall is on screen: nobody at the desk
    live.apply([stream.escalation(escalation("e-new", stream.now + timedelta(minutes=9),
                                             stream.now - timedelta(hours=1)))])
    live.tick()
    assert len(shown) == 1


def test_a_message_for_many_escalations_names_the_first_four(scene):
    live, stream, _mono, _player, _alerts = scene
    now = stream.now
    events = [stream.escalation(escalation(f"m-{i}", now + timedelta(minutes=3 + i), now - timedelta(hours=1)),
                                opened=True) for i in range(6)]
    live.apply(events)
    due = [live.floor.escalations[f"m-{i}"] for i in range(6)]
    title, text = due_message(due, now, live.floor)
    assert title == "6 escalations due within 15 min"
    assert text.count("\n") == 4 and text.endswith("and 2 more")
    assert text.splitlines()[0].endswith("due in 3 min")


# ---------------------------------------------------------------------------- the chimes


def test_the_chimes_are_what_the_script_writes():
    done = subprocess.run([sys.executable, str(SOUNDS / "make_chimes.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (SOUNDS / "README.md").is_file()


@pytest.mark.parametrize("kind", KINDS)
def test_each_chime_is_short_soft_and_starts_and_ends_in_silence(kind):
    import array

    with wave.open(sound_path(kind), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 44_100)
        seconds = w.getnframes() / w.getframerate()
        samples = array.array("h", w.readframes(w.getnframes()))
    assert 0.8 <= seconds <= 2.0
    peak = max(abs(s) for s in samples) / 32767
    assert 0.45 <= peak <= 0.51  # -6 dBFS: never clips, never harsh
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 50  # no click at either end
    # it rings and fades: the last tenth is far quieter than the first half
    n = len(samples)
    head = max(abs(s) for s in samples[: n // 2])
    tail = max(abs(s) for s in samples[n * 9 // 10:])
    assert tail < head * 0.1


@pytest.mark.qt_log_ignore(NO_AUDIO)
def test_the_real_player_stays_silent_without_an_audio_output(qtbot):
    player = ChimePlayer()
    available = player.available()  # loads Qt Multimedia (its import is the player's to do)
    from PySide6.QtMultimedia import QMediaDevices

    if QMediaDevices.audioOutputs():  # a machine with speakers: the chimes load and play
        assert available and player.play("breach", 0.5)
    else:
        assert not available and player.unavailable == "no audio output"
        assert player.play("breach", 0.5) is False
    with pytest.raises(ValueError):
        player.play("fanfare", 0.5)

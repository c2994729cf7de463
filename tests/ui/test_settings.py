"""Settings (issue 12 point 7): the dialog, the user's INI file over the floor's defaults
file an administrator writes, and the shell applying what was chosen.

Qt's INI locations are pointed at temporary folders (QSettings.setPath) for each test:
the user's folder and the system-wide one where the floor's defaults live.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QGroupBox

from ui import app as desktop
from ui.alerts import AlertSettings
from ui.preferences import Preferences, admin_defaults_file, floor_defaults, open_settings
from ui.settings_dialog import SettingsDialog
from widgets.palette import current_palette

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
F = QSettings.Format
S = QSettings.Scope


@pytest.fixture
def config(tmp_path):
    """User and system config folders of their own; Qt's defaults put back afterwards."""
    before = {(f, s): Path(QSettings(f, s, "probe", "probe").fileName()).parents[1]
              for f, s in ((F.IniFormat, S.UserScope), (F.IniFormat, S.SystemScope), (F.NativeFormat, S.UserScope))}
    user, system = tmp_path / "user", tmp_path / "etc"
    QSettings.setPath(F.IniFormat, S.UserScope, str(user))
    QSettings.setPath(F.NativeFormat, S.UserScope, str(user))
    QSettings.setPath(F.IniFormat, S.SystemScope, str(system))
    yield user, system
    for (f, s), folder in before.items():
        QSettings.setPath(f, s, str(folder))


def _floor_file(system: Path, text: str) -> Path:
    path = system / "CommandCenter" / "CommandCenter.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_floor_defaults_are_read_first_and_the_user_overrides_them(config):
    user, system = config
    floor_file = _floor_file(system, "[ui]\npalette=colorblind\n[wall]\npage_s=20\n"
                                     "[alerts]\nvolume=40\nfeed_lost=false\n[kpi]\nformula=answered_only\n")
    assert Path(admin_defaults_file()) == floor_file
    settings = open_settings()
    assert Path(settings.fileName()) == user / "CommandCenter" / "CommandCenter.ini"
    prefs = Preferences.load(settings)
    assert (prefs.palette, prefs.wall_page_s, prefs.formula) == ("colorblind", 20, "answered_only")
    assert prefs.alerts == AlertSettings(volume=40, feed_lost=False)
    # the user turns the volume up: only that lands in the user's file
    prefs.with_(alerts=AlertSettings(volume=80, feed_lost=False)).save(settings, floor_defaults())
    text = Path(settings.fileName()).read_text()
    assert "volume=80" in text and "palette" not in text and "page_s" not in text
    # the administrator changes the page period later: this PC follows, its own volume stays
    _floor_file(system, floor_file.read_text().replace("page_s=20", "page_s=30"))
    again = Preferences.load(open_settings())
    assert again.wall_page_s == 30 and again.alerts.volume == 80
    # back to the floor's volume: the user's key goes, the floor's value shows through
    again.with_(alerts=AlertSettings(volume=40, feed_lost=False)).save(open_settings(), floor_defaults())
    assert "volume" not in Path(settings.fileName()).read_text()
    # a choice against the floor's default is kept even when it is the built-in default
    Preferences.load(open_settings()).with_(palette="default").save(open_settings(), floor_defaults())
    assert Preferences.load(open_settings()).palette == "default"


def test_settings_of_an_earlier_version_move_into_the_ini_file(config):
    user, _system = config
    native = QSettings(F.NativeFormat, S.UserScope, "CommandCenter", "CommandCenter")
    native.setValue("kpi/formula", "removed_within_sla")
    native.setValue("main/state", b"\x00\x01")
    native.sync()
    settings = open_settings()
    assert settings.fileName().endswith(".ini")
    assert settings.value("kpi/formula") == "removed_within_sla" and settings.value("main/state") == b"\x00\x01"
    settings.setValue("kpi/formula", "answered_only")
    settings.sync()
    assert open_settings().value("kpi/formula") == "answered_only"  # migrated once, not again


def test_the_desktops_language_comes_from_the_settings_unless_lang_says(config):
    user, _system = config
    settings = open_settings()
    settings.setValue("ui/language", "zh")
    settings.sync()
    assert desktop.i18n_lang(None) == "zh"
    assert desktop.i18n_lang("en") == "en"
    settings.setValue("ui/language", "")
    settings.sync()
    assert desktop.i18n_lang(None) in ("zh", "en")  # the system's


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dialog_shows_edits_and_restores_the_floor_defaults(qtbot, language, lang):
    language(lang)
    floor = Preferences(palette="colorblind", wall_page_s=20, alerts=AlertSettings(volume=40))
    mine = Preferences(language="en", wall_page_s=45, formula="answered_only",
                       alerts=AlertSettings(breach=False, volume=90, muted=True, tray=False))
    played: list[tuple[str, int]] = []
    dialog = SettingsDialog(mine, floor, defaults_file="/etc/xdg/CommandCenter/CommandCenter.ini",
                            preview=lambda k, v: played.append((k, v)) or True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.chosen() == mine
    scope = dialog.findChild(QGroupBox, "scope")
    assert scope is not None and scope.isEnabled()  # my floor: tests/ui/test_my_floor.py
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / f"settings_{lang}.png"))
    # edited with the keyboard and the mouse as a person would
    dialog.colours.setCurrentIndex(dialog.colours.findData("colorblind"))
    dialog.kind_boxes["breach"].click()
    dialog.page_s.setValue(30)
    dialog.volume.setValue(55)
    qtbot.mouseClick(dialog.play_buttons["escalation"], Qt.MouseButton.LeftButton)
    assert played == [("escalation", 55)]
    chosen = dialog.chosen()
    assert (chosen.palette, chosen.wall_page_s, chosen.alerts.breach, chosen.alerts.volume) == \
        ("colorblind", 30, True, 55)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == floor


def test_the_desk_opens_the_settings_and_ok_applies_and_saves_them(qtbot, qapp, tmp_path, config):
    from ui.shell import Shell

    path = str(tmp_path / "s.ini")
    shell = Shell(QSettings(path, F.IniFormat), beep=False)
    try:
        shell.window.show()
        qtbot.waitExposed(shell.window)
        with qtbot.waitActive(shell.window):
            shell.window.activateWindow()
        qtbot.keyClick(shell.window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
        dialog = shell.settings_dialog
        assert dialog is not None and dialog.isVisible()
        assert shell.wall.page_period_s() == 12
        dialog.colours.setCurrentIndex(dialog.colours.findData("colorblind"))
        dialog.formula.setCurrentIndex(dialog.formula.findData("removed_within_sla"))
        dialog.page_s.setValue(25)
        dialog.volume.setValue(30)
        dialog.kind_boxes["feed_lost"].setChecked(False)
        dialog.accept()
        assert current_palette() == "colorblind"
        assert shell.live.formula == "removed_within_sla"
        assert shell.wall.page_period_s() == 25
        assert shell.alerts.settings == AlertSettings(volume=30, feed_lost=False)
        assert shell.settings_dialog is None or not shell.settings_dialog.isVisible()
        saved = Preferences.load(QSettings(path, F.IniFormat))
        assert (saved.palette, saved.formula, saved.wall_page_s, saved.alerts.volume) == \
            ("colorblind", "removed_within_sla", 25, 30)
        # the next start reads them back
        restarted = Shell(QSettings(path, F.IniFormat), beep=False)
        assert restarted.wall.page_period_s() == 25 and restarted.alerts.settings.volume == 30
        assert restarted.live.formula == "removed_within_sla"
        restarted.dispose()
    finally:
        from ui import look

        look.apply_palette(qapp, "default")
        shell.dispose()
    assert current_palette() == "default"

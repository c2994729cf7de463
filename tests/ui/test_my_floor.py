"""My floor (issue 12 point 2) on the screens: ``--queues``/``--teams`` for one run, the
scope remembered in the settings, and the tables, counts and labels that follow it.

Expectations are counted by hand from the scene (tests/ui/scenes.py): contact c-i waits
in queue QUEUES[i % 7]; agent a-i is in team ["一组", "二组", "三组"][i % 3] and skilled
for QUEUES[i % 7] and QUEUES[(i + 2) % 7].
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel

from supervisor.cli import build_parser
from supervisor.errors import UsageError
from ui.app import run_scope
from ui.scope import Scope


def test_the_command_line_takes_queues_and_teams():
    parser = build_parser()
    args = parser.parse_args(["--queues", "credit_card,vip", "--teams", "一组，二组", "--wall"])
    assert run_scope(args) == Scope(("credit_card", "vip"), ("一组", "二组"))  # a full-width comma too
    demo = parser.parse_args(["demo", "--queues", " vip ", "--wall"])
    assert run_scope(demo) == Scope(("vip",), None)  # teams: all
    assert run_scope(parser.parse_args([])) is None  # the remembered scope, then
    assert run_scope(parser.parse_args(["demo"])) is None
    with pytest.raises(UsageError):
        run_scope(parser.parse_args(["--queues", ","]))


def _shell(path, **kw):
    from ui.bridge import FeedBridge
    from ui.shell import Shell

    made: list[FeedBridge] = []

    def factory(inbox):
        made.append(FeedBridge(inbox, "ws://x", "t"))  # never started: set_scope only records
        return made[-1]

    shell = Shell(QSettings(path, QSettings.Format.IniFormat), bridge_factory=factory, beep=False, **kw)
    return shell, made[0]


def test_a_command_line_scope_reaches_the_feed_thread_for_that_run_only(qtbot, tmp_path):
    path = str(tmp_path / "s.ini")
    QSettings(path, QSettings.Format.IniFormat).setValue("scope/queues", "e_banking")
    shell, bridge = _shell(path, scope=Scope(("credit_card", "vip"), ("一组",)))
    try:
        assert shell.live.scope == Scope(("credit_card", "vip"), ("一组",))
        assert bridge.scope == (("credit_card", "vip"), ("一组",))  # before it starts
        shell.live.set_scope(Scope(None, ("二组",)))
        assert bridge.scope == (None, ("二组",))
    finally:
        shell.dispose()
    # the remembered one is untouched, and the next run without flags starts with it
    assert QSettings(path, QSettings.Format.IniFormat).value("scope/queues") == "e_banking"
    shell, bridge = _shell(path)
    try:
        assert shell.live.scope == Scope(("e_banking",), None)
        assert bridge.scope == (("e_banking",), None)
    finally:
        shell.dispose()


def test_the_scope_is_remembered_in_the_ini_file_over_the_floor_defaults(tmp_path):
    from ui.preferences import Preferences

    path = tmp_path / "s.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    floor = Preferences(scope=Scope(None, ("三组",)))  # an administrator's default
    mine = Preferences(scope=Scope(("credit_card", "vip"), ("一组", "二组")))
    mine.save(settings, floor)
    assert Preferences.load(QSettings(str(path), QSettings.Format.IniFormat)).scope == mine.scope
    text = path.read_text(encoding="utf-8")
    assert "[scope]" in text and "credit_card,vip" in text
    Preferences(scope=floor.scope).save(settings, floor)  # back to the floor's: removed from my file
    assert not QSettings(str(path), QSettings.Format.IniFormat).contains("scope/teams")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_settings_dialog_offers_the_floors_queues_and_teams_by_the_servers_names(qtbot, language, lang):
    from ui.preferences import Preferences
    from ui.settings_dialog import SettingsDialog

    language(lang)
    queues = [("credit_card", "信用卡服务"), ("vip", "贵宾服务"), ("x_new", "")]
    dialog = SettingsDialog(Preferences(scope=Scope(("vip", "gone_queue"), None)), Preferences(),
                            queues=queues, teams=["一组", "二组"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    shown = [dialog.scope_queues.item(i).text() for i in range(dialog.scope_queues.count())]
    teams = [dialog.scope_teams.item(i).text() for i in range(dialog.scope_teams.count())]
    if lang == "zh":
        assert shown == ["信用卡服务", "贵宾服务", "x_new", "gone_queue"] and teams == ["一组", "二组"]
    else:
        assert shown == ["Credit cards", "VIP service", "x_new", "gone_queue"] and teams == ["Team 1", "Team 2"]
    # the remembered queues are ticked, including one the floor does not know (yet)
    assert dialog.chosen().scope == Scope(("vip", "gone_queue"), None)
    dialog.scope_queues.item(3).setCheckState(Qt.CheckState.Unchecked)
    dialog.scope_queues.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.scope_teams.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.chosen().scope == Scope(("credit_card", "vip"), ("一组",))
    for i in range(dialog.scope_queues.count()):
        dialog.scope_queues.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.chosen().scope == Scope(None, ("一组",))  # none ticked: all queues


def test_the_shell_applies_and_remembers_the_scope_chosen_in_the_settings(qtbot, tmp_path):
    from tests.ui.scenes import busy_floor

    path = str(tmp_path / "s.ini")
    shell, bridge = _shell(path)
    try:
        scene, _ = busy_floor()
        shell.live.apply(scene.scene_events)
        dialog = shell.open_settings()
        queues = [dialog.scope_queues.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.scope_queues.count())]
        assert queues == ["credit_card", "deposit_transfer", "e_banking", "personal_loan", "wealth",
                          "card_loss_fraud", "vip"]
        assert dialog.scope_teams.count() == 3
        dialog.scope_queues.item(queues.index("vip")).setCheckState(Qt.CheckState.Checked)
        dialog.accept()
        assert shell.live.scope == Scope(("vip",), None)
        assert bridge.scope == (("vip",), None)
    finally:
        shell.dispose()
    assert QSettings(path, QSettings.Format.IniFormat).value("scope/queues") == "vip"


def test_the_settings_keep_a_command_line_scope_for_its_run_and_never_save_it(qtbot, tmp_path):
    path = str(tmp_path / "s.ini")
    QSettings(path, QSettings.Format.IniFormat).setValue("scope/queues", "e_banking")
    shell, bridge = _shell(path, scope=Scope(("vip",), ("一组",)))
    try:
        dialog = shell.open_settings()
        assert dialog.chosen().scope == Scope(("e_banking",), None)  # the dialog edits the remembered one
        assert dialog.findChild(QLabel, "runScopeNote") is not None
        dialog.volume.setValue(20)  # another setting changed: the run's scope stays
        dialog.accept()
        assert shell.live.scope == Scope(("vip",), ("一组",))
        dialog = shell.open_settings()
        dialog.scope_queues.item(0).setCheckState(Qt.CheckState.Unchecked)  # the scope itself changed
        dialog.accept()
        assert shell.live.scope == Scope() and bridge.scope == (None, None)
    finally:
        shell.dispose()
    assert not QSettings(path, QSettings.Format.IniFormat).value("scope/queues")

"""My floor (issue 12 point 2) on the screens: ``--queues``/``--teams`` for one run, the
scope remembered in the settings, and the tables, counts and labels that follow it.

Expectations are counted by hand from the scene (tests/ui/scenes.py): contact c-i waits
in queue QUEUES[i % 7]; agent a-i is in team ["一组", "二组", "三组"][i % 3] and skilled
for QUEUES[i % 7] and QUEUES[(i + 2) % 7].
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel

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
    # an administrator's hand-written file, as README shows it: Qt reads the commas as a list
    admin = tmp_path / "floor.ini"
    admin.write_text("[scope]\nqueues=credit_card,vip\nteams=一组,二组\n", encoding="utf-8")
    assert Preferences.load(QSettings(str(admin), QSettings.Format.IniFormat)).scope == \
        Scope(("credit_card", "vip"), ("一组", "二组"))


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


# ---------------------------------------------------------------- the screens follow the scope
# Counted by hand from the scene: credit_card is QUEUES[0], vip QUEUES[6]; c-i waits in
# QUEUES[i % 7], so c-000, c-006, c-007 and c-013 wait in those two; team 一组 is a-i with
# i % 3 == 0 (12 agents), available when STATES[i % 12] is: i % 12 in (0, 9) -> a-000, a-009,
# a-012, a-021, a-024, a-033; of those, skilled for credit_card (i % 7 in (0, 5)): a-000,
# a-012, a-021, a-033; for vip (i % 7 in (4, 6)): none.
MINE = Scope(("credit_card", "vip"), ("一组",))
MY_WAITING = {"c-000", "c-006", "c-007", "c-013"}
MY_AGENTS = {f"a-{i:03d}" for i in range(0, 36, 3)}
MY_AVAILABLE = 6
VIP_SKILLED = {f"a-{i:03d}" for i in range(36) if i % 7 in (4, 6)}  # a queue alone: agents skilled for it


def _keys(view_model) -> set[str]:
    return set(view_model.keys())


def test_the_waiting_list_and_agent_board_follow_the_scope(qtbot):
    from tests.ui.scenes import busy_floor

    live, _ = busy_floor()
    assert len(_keys(live.waiting_sorted)) == 14 and len(_keys(live.agents_filtered)) == 36
    live.set_scope(MINE)
    assert _keys(live.waiting_sorted) == MY_WAITING
    assert _keys(live.agents_filtered) == MY_AGENTS
    assert live.escalations_sorted.rowCount() == 6  # escalations are not scoped (ui.scope)
    # the board's own filters and the search narrow the scope, never widen it
    live.agents_filtered.set_states(frozenset({"available"}))
    assert len(_keys(live.agents_filtered)) == MY_AVAILABLE
    live.agents_filtered.set_states(None)
    live.waiting_sorted.setFilterFixedString("credit")  # "Credit cards" (no translator: English)
    assert _keys(live.waiting_sorted) == {"c-000", "c-007"}
    live.waiting_sorted.setFilterFixedString("")
    # a queue alone: the agents skilled for it
    live.set_scope(Scope(("vip",), None))
    assert _keys(live.waiting_sorted) == {"c-006", "c-013"}
    assert _keys(live.agents_filtered) == VIP_SKILLED and len(VIP_SKILLED) == 10
    live.set_scope(Scope())
    assert len(_keys(live.waiting_sorted)) == 14 and len(_keys(live.agents_filtered)) == 36


def test_a_contact_or_agent_moving_in_or_out_of_the_scope_follows(qtbot):
    from tests.ui.events import agent
    from tests.ui.scenes import busy_floor

    live, s = busy_floor()
    live.set_scope(MINE)
    moved = agent("a-001", "available", s.now, name="李娜", team="一组", skills=("e_banking",))
    live.apply([s.transferred("c-001", "vip"), s.transferred("c-000", "e_banking"), s.agent(moved)])
    assert _keys(live.waiting_sorted) == MY_WAITING - {"c-000"} | {"c-001"}
    assert _keys(live.agents_filtered) == MY_AGENTS | {"a-001"}


def _scoped_screens(qtbot, scope):
    from tests.ui.scenes import Status, busy_floor, with_kpi
    from tests.ui.test_screens import MONO
    from ui.main_window import MainWindow
    from ui.wall import WallDisplay

    live, _ = busy_floor()
    with_kpi(live, live.scene_events)
    live.status = Status("live", MONO() - 2)
    live.set_scope(scope)  # before the screens, as the shell does
    window = MainWindow(live, monotonic=MONO)
    qtbot.addWidget(window)
    wall = WallDisplay(live, beep=False, monotonic=MONO)
    qtbot.addWidget(wall)
    return live, window, wall


def test_desk_and_wall_counts_and_tiles_follow_the_scope(qtbot):
    from supervisor.floorstats import TOTAL

    live, window, wall = _scoped_screens(qtbot, MINE)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window._on_refresh_timeout()
    assert list(window.tiles._tiles) == [TOTAL, "credit_card", "vip"]
    total = window.tiles.tile(TOTAL)
    assert total is not None
    assert window.waiting_title.text() == "Waiting contacts: 4"
    assert window.counts_label.text() == "Agents 12 · Open escalations 6"
    assert window.escalations_dock.windowTitle() == "Escalations (all departments)"
    assert [window.team_filter.itemData(i) for i in range(window.team_filter.count())] == [None, "一组"]
    assert [window.skill_filter.itemData(i) for i in range(window.skill_filter.count())] == [None, "credit_card", "vip"]

    from ui.figures import tile_figures

    figures = {f.queue_id: f for f in tile_figures(live.floor, live.clock.now(), None, scope=live.scope)}
    assert (figures[TOTAL].waiting, figures[TOTAL].available) == (4, MY_AVAILABLE)
    assert (figures["credit_card"].waiting, figures["credit_card"].available) == (2, 4)
    assert (figures["vip"].waiting, figures["vip"].available) == (2, 0)

    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    assert wall.page_count() == 1 and not wall.dots.isVisible()
    assert wall.urgent_title.text() == "Most urgent waiting contacts (4 waiting)"
    assert wall.agents_title.text() == "Agents: 6 available of 12 signed in"
    assert wall.esc_title.text().startswith("Escalations due, all departments (6 open")
    from ui.models.base import ID_ROLE

    shown = {wall.urgent_model.index(r, 0).data(ID_ROLE) for r in range(wall.urgent_model.rowCount())}
    assert shown and shown <= MY_WAITING

    # back to the whole floor: everything again, at once
    live.set_scope(Scope())
    window._on_refresh_timeout()
    assert window.waiting_title.text() == "Waiting contacts: 14"
    assert window.escalations_dock.windowTitle() == "Escalations"
    assert len(window.tiles._tiles) == 8
    assert wall.urgent_title.text() == "Most urgent waiting contacts (14 waiting)"
    assert wall.page_count() == 3


def test_a_breach_outside_my_floor_does_not_chime(qtbot):
    from datetime import timedelta

    from tests.ui.events import contact
    from tests.ui.scenes import Mono, busy_floor
    from tests.ui.test_alerts import Recorder
    from supervisor.feed import FeedStatus
    from ui.alerts import Alerts

    mono = Mono()
    live, stream = busy_floor()
    live.status = FeedStatus("live", heartbeat_s=2.0, last_message_monotonic=mono())
    player = Recorder()
    alerts = Alerts(live, player, monotonic=mono)  # kept: a collected Alerts hears nothing
    live.set_scope(Scope(("vip",), None))
    live.tick()
    for call_id, queue in (("x-1", "credit_card"), ("x-2", "vip")):
        live.apply([stream.queued(contact(call_id, queue, stream.now - timedelta(seconds=895)))])  # T: 900 s
        live.tick()
        stream.advance(10)
        live.tick()
        assert player.kinds() == ([] if queue == "credit_card" else ["breach"]), alerts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_desk_and_wall_say_my_floor_and_screenshots(qtbot, language, lang):
    from supervisor.kpi.builder import KpiBuilder
    from tests.ui.test_screens import SHOTS
    from ui.kpi_today import TodayKpi

    language(lang)
    live, window, wall = _scoped_screens(qtbot, MINE)
    builder = KpiBuilder()
    builder.feed_many(live.scene_events)
    today = TodayKpi(builder)
    today.set_scope(MINE.queues, MINE.teams)  # as the feed thread computes it for this scope
    live.kpi = today.compute()
    live.kpi_changed.emit(live.kpi)  # as the inbox's drain announces it: the breach list follows
    expected = ("我的范围: 信用卡服务、贵宾服务 · 一组" if lang == "zh"
                else "My floor: Credit cards, VIP service · Team 1")
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window._on_refresh_timeout()
    window.trends.update_series()
    for chart in window.trends.charts():
        chart.redraw_now()
    assert window.scope_label.text() == expected and window.scope_label.isVisible()
    # the per-interval charts are the scope's; the waiting curve says it is the whole floor's
    assert window.trends.waiting_title.text() == ("今日排队客户（全部队列）" if lang == "zh"
                                                  else "Waiting contacts today (all queues)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / f"main_scope_{lang}.png"))
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    assert wall.scope_label.text() == expected and wall.scope_label.isVisible()
    whole = TodayKpi(builder).compute()  # the whole floor's breach list, filtered here by hand
    mine = [r for r in whole.breaches if r.queue in ("credit_card", "vip")]
    assert mine and window.breaches.rowCount() == len(mine) < len(whole.breaches)
    assert wall.grab().save(str(SHOTS / f"wall_scope_{lang}.png"))
    # the whole floor again: no label
    live.set_scope(Scope())
    window._on_refresh_timeout()
    wall.refresh()
    QApplication.processEvents()  # the toolbar lays itself out on its next event
    assert not window.scope_label.isVisible()
    assert not wall.scope_label.isVisible()


def test_the_forecast_names_my_floors_queues_alone(qtbot):
    """The scene's forecast: credit_card below target, deposit_transfer on target, e_banking
    and personal_loan without enough data (tests/ui/forecast_scene.py)."""
    from tests.ui.forecast_scene import forecast_floor
    from tests.ui.scenes import Mono, Status
    from ui.forecast_panel import QUEUE_ROLE
    from ui.main_window import MainWindow
    from ui.wall import WallDisplay

    live, _, _outlook = forecast_floor()
    mono = Mono()
    live.status = Status("live", mono() - 1)
    live.set_scope(Scope(("deposit_transfer", "e_banking"), None))
    wall = WallDisplay(live, beep=False, monotonic=mono)
    qtbot.addWidget(wall)
    window = MainWindow(live, monotonic=mono)
    qtbot.addWidget(window)
    wall.refresh()
    window._on_refresh_timeout()
    # credit_card is another area's: the line says my two queues are on target (one thin)
    assert wall.forecast_line.state == "ok" and wall.forecast_line.text().startswith("✓ ")
    assert "(1 without enough data)" in wall.forecast_line.text()
    tree = window.forecast.tree
    assert [tree.topLevelItem(r).data(0, QUEUE_ROLE) for r in range(tree.topLevelItemCount())] == \
        ["deposit_transfer", "e_banking"]
    live.set_scope(Scope())
    wall.refresh()
    window._on_refresh_timeout()
    assert wall.forecast_line.state == "breached" and tree.topLevelItemCount() == 4

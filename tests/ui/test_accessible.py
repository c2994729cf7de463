"""The desk and the wall for people who do not see colour well, use a screen reader or the
keyboard alone (issue 12 point 6).

Real windows offscreen on the screens' scene; accessible text is read back through Qt's
accessibility interfaces, keys are sent with QTest; the colour-blind palette is switched
at run time and the screens are rendered to PNG (artifacts/screenshots/) to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QKeySequence
from PySide6.QtWidgets import QApplication

from tests.ui.scenes import Mono, Status, busy_floor, with_kpi
from ui import look
from ui import palette as table_palette
from ui.main_window import MainWindow
from ui.models.waiting import WaitingModel
from ui.wall import WallDisplay
from widgets.palette import THEMES, current_palette

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
MONO = Mono()


def _scene():
    live, stream = busy_floor()
    with_kpi(live, live.scene_events)
    live.status = Status("live", MONO() - 2)
    return live, stream


def _window(qtbot, live):
    window = MainWindow(live, monotonic=MONO)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    with qtbot.waitActive(window):  # window shortcuts need the active window
        window.show()
        window.activateWindow()
    window._on_refresh_timeout()
    return window


def name_of(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def test_wall_and_desk_tiles_say_queue_waiting_and_state_in_chinese(qtbot, language):
    language("zh")
    live, _ = _scene()
    wall = WallDisplay(live, beep=False, monotonic=MONO)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    wall.refresh()
    words = {"ok": "正常", "warning": "预警", "breached": "超时"}
    card = next(t for t in wall.queue_tiles if t.title() == "信用卡服务")
    assert name_of(card) == f"信用卡服务, {card.value()} 位排队, {words[card.state()]}"
    assert "服务水平" in QAccessible.queryAccessibleInterface(card).text(QAccessible.Text.Description)
    assert name_of(wall.agent_bar).startswith("坐席状态：")
    window = _window(qtbot, live)
    tile = window.tiles.tile("credit_card")
    assert tile is not None
    figures = tile.waiting.text()  # "2 位排队"
    assert name_of(tile).startswith(f"信用卡服务, {figures}, ")
    assert name_of(tile).split(", ")[2] in words.values()
    assert "最长等待" in QAccessible.queryAccessibleInterface(tile).text(QAccessible.Text.Description)


def test_a_screen_reader_hears_the_sla_chip_of_a_waiting_row(qtbot, language):
    language("zh")
    live, _ = _scene()
    window = _window(qtbot, live)
    view = window.waiting_view
    table = QAccessible.queryAccessibleInterface(view)
    assert table.role() == QAccessible.Role.Table
    cells = [table.child(i) for i in range(table.childCount())]
    said = [c.text(QAccessible.Text.Name) for c in cells if c.role() == QAccessible.Role.Cell]
    wait = view.model().index(0, WaitingModel.WAIT).data()
    assert f"{wait}, 超时" in said  # most urgent first: breached, said in words
    # other cells say their text as shown
    assert view.model().index(0, WaitingModel.QUEUE).data() in said


def test_every_desk_action_is_reachable_from_the_keyboard(qtbot):
    live, _ = _scene()
    window = _window(qtbot, live)
    # every menu entry has a shortcut, or a mnemonic in a menu the keyboard opens (Alt+letter)
    for menu in (window.menuBar().actions()):
        assert "&" in menu.text(), menu.text()
        for action in menu.menu().actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            assert not action.shortcut().isEmpty() or "&" in action.text() or action.isCheckable(), action.text()
    # Alt+1…4 go to each list, raising a tab that was behind
    window.waiting_view.setFocus()
    targets = [(Qt.Key.Key_2, window.agents_view), (Qt.Key.Key_3, window.escalations_view),
               (Qt.Key.Key_4, window.breaches_view), (Qt.Key.Key_1, window.waiting_view)]
    for key, view in targets:
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is view
        assert view.isVisible() and view.currentIndex().isValid() == (view.model().rowCount() > 0)
    # Enter on the row the keyboard reached opens its case
    with qtbot.waitSignal(window.case_requested):
        qtbot.keyClick(window.waiting_view.viewport(), Qt.Key.Key_Return)
    # settings
    assert window.settings_action.shortcut() == QKeySequence("Ctrl+,")
    with qtbot.waitSignal(window.settings_requested):
        qtbot.keyClick(window.waiting_view, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    # Tab walks the panels in reading order
    window.search.setFocus()
    order = [window.waiting_view, window.team_filter, window.skill_filter, window.state_filter,
             window.agents_view, window.escalations_view]
    for widget in order:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_colourblind_palette_reaches_every_screen_at_once(qtbot, qapp, language, lang):
    language(lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    live, _ = _scene()
    window = _window(qtbot, live)
    wall = WallDisplay(live, beep=False, monotonic=MONO)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    wall.refresh()
    breached_row = 0  # most urgent first
    model = window.waiting_view.model()
    before = model.index(breached_row, WaitingModel.WAIT).data(Qt.ItemDataRole.BackgroundRole)
    assert QColor(before).name().upper() == THEMES["normal"]["breached_bg"].upper()
    try:
        look.apply_palette(qapp, "colorblind")
        assert current_palette() == "colorblind"
        after = model.index(breached_row, WaitingModel.WAIT).data(Qt.ItemDataRole.BackgroundRole)
        assert QColor(after).name().upper() == "#B23C00" == table_palette.OVERDUE_BG.name().upper()
        wall_cell = wall.urgent_model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole)
        assert wall_cell is None or QColor(wall_cell).name().upper() in ("#B8430B", "#FF8A3D")
        assert "#CF222E" not in qapp.styleSheet().upper()
        window._on_refresh_timeout()
        qapp.processEvents()
        assert window.grab().save(str(SHOTS / f"main_colorblind_{lang}.png"))
        wall.refresh()
        assert wall.grab().save(str(SHOTS / f"wall_colorblind_{lang}.png"))
    finally:
        look.apply_palette(qapp, "default")
    assert current_palette() == "default"
    back = model.index(breached_row, WaitingModel.WAIT).data(Qt.ItemDataRole.BackgroundRole)
    assert QColor(back).name().upper() == THEMES["normal"]["breached_bg"].upper()

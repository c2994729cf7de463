"""The service-level formula on screen (KPI.md, issue 12 point 1): named wherever a service
level shows (desk tiles, trend chart, breach list, wall), switchable in the desk's View
menu and by ``--formula``, remembered between runs; a switch recomputes today's figures
at once on the feed thread, and folding keeps what all three formulas need.
"""

from __future__ import annotations

import itertools
import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from supervisor.kpi.builder import KpiBuilder
from supervisor.kpi.report import FORMULAS
from tests.ui.scenes import Mono, Status, busy_floor, with_kpi
from ui import formula as formulas
from ui.kpi_today import TodayKpi
from ui.main_window import MainWindow
from ui.wall import WallDisplay

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
MONO = Mono()

NAMES = {
    "en": {"abandons_count_against": "Service level (abandons count against)",
           "answered_only": "Service level (answered only)",
           "removed_within_sla": "Service level (removed within T)"},
    "zh": {"abandons_count_against": "服务水平（放弃计入）",
           "answered_only": "服务水平（仅计接通）",
           "removed_within_sla": "服务水平（T 内移除）"},
}


def _scene(formula: str = "abandons_count_against"):
    live, stream = busy_floor()
    live.set_formula(formula)
    _recompute(live, formula)
    live.status = Status("live", MONO() - 2)
    return live


def _recompute(live, formula: str) -> None:
    """What the feed thread does on a switch: today's figures with the new formula, posted."""
    builder = KpiBuilder()
    builder.feed_many(live.scene_events)
    live.kpi = TodayKpi(builder, formula=formula).compute()
    live.kpi_changed.emit(live.kpi)


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))
    extra = os.environ.get("CC_SHOTS")  # a second copy for a person to look at, outside the repo
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(Path(extra) / name))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("formula", ["abandons_count_against", "removed_within_sla"])
def test_every_service_level_names_its_formula(qtbot, language, lang, formula):
    language(lang)
    name = NAMES[lang][formula]
    live = _scene(formula)
    window = MainWindow(live, monotonic=MONO)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window._on_refresh_timeout()
    window.trends.update_series()
    for chart in window.trends.charts():
        chart.redraw_now()
    # the tiles' dock, every tile, the trend chart and the breach list name it
    assert name in window.queues_dock.windowTitle()
    assert window.queues_dock.toggleViewAction().text() == ("队列" if lang == "zh" else "Queues")
    total = window.tiles.tile("__total__") or next(iter(window.tiles._tiles.values()))
    assert name in total.toolTip() and formulas.expression(formula) in total.toolTip()
    assert name in window.trends.sl_title.text()
    assert name in window.breaches_dock.toolTip()
    assert name in window.breaches_view.horizontalHeader().toolTip()
    # the View menu: three checkable actions, the one in use checked
    actions = window.formula_actions
    assert list(actions) == list(FORMULAS)
    assert all(a.isCheckable() for a in actions.values())
    assert [f for f, a in actions.items() if a.isChecked()] == [formula]
    _shot(window, f"main_formula_{formula}_{lang}.png")

    wall = WallDisplay(live, beep=False, monotonic=MONO)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    qtbot.waitExposed(wall)
    wall.refresh()
    assert name in wall.formula_caption.text()
    assert wall.formula_caption.isVisible()
    # the caption fits beside the page dots, whole
    caption = wall.formula_caption
    assert caption.fontMetrics().horizontalAdvance(caption.text()) <= caption.width()
    assert caption.geometry().right() < wall.dots.geometry().left()
    _shot(wall, f"wall_formula_{formula}_{lang}.png")


def test_the_view_menu_switches_the_formula_and_every_label_follows_the_figures(qtbot, language):
    language("en")
    live = _scene()
    window = MainWindow(live, monotonic=MONO)
    qtbot.addWidget(window)
    wall = WallDisplay(live, beep=False, monotonic=MONO)
    qtbot.addWidget(wall)
    seen: list[str] = []
    live.formula_changed.connect(seen.append)
    before = live.kpi.report.total.service_level

    window.formula_actions["answered_only"].trigger()
    assert live.formula == "answered_only" and seen == ["answered_only"]
    assert window.formula_actions["answered_only"].isChecked()
    assert not window.formula_actions["abandons_count_against"].isChecked()
    # until the feed thread's report with the new formula arrives, the labels name the
    # formula of the figures still on screen, never one they were not computed with
    assert NAMES["en"]["abandons_count_against"] in window.queues_dock.windowTitle()
    _recompute(live, "answered_only")
    assert NAMES["en"]["answered_only"] in window.queues_dock.windowTitle()
    assert NAMES["en"]["answered_only"] in window.trends.sl_title.text()
    wall.refresh()
    assert NAMES["en"]["answered_only"] in wall.formula_caption.text()
    after = live.kpi.report.total
    assert after.service_level == after.answered_within_sla / after.answered
    assert after.service_level != before  # the scene has abandons: the formulas differ
    window._on_refresh_timeout()
    tile = next(iter(window.tiles._tiles.values()))
    assert f"{after.service_level * 100:.1f}%" in tile.details.text()


def test_shell_remembers_the_menu_choice_but_not_the_command_line(qtbot, tmp_path):
    from ui.shell import Shell

    path = str(tmp_path / "s.ini")
    shell = Shell(QSettings(path, QSettings.Format.IniFormat), beep=False)
    try:
        assert shell.live.formula == "abandons_count_against"  # KPI.md's default
        shell.window.formula_actions["removed_within_sla"].trigger()
        assert shell.live.formula == "removed_within_sla"
    finally:
        shell.dispose()
    assert QSettings(path, QSettings.Format.IniFormat).value("kpi/formula") == "removed_within_sla"

    shell = Shell(QSettings(path, QSettings.Format.IniFormat), beep=False)
    try:  # the next run starts with it, checked in the menu
        assert shell.live.formula == "removed_within_sla"
        assert shell.window.formula_actions["removed_within_sla"].isChecked()
    finally:
        shell.dispose()

    shell = Shell(QSettings(path, QSettings.Format.IniFormat), beep=False, formula="answered_only")
    try:  # --formula wins for this run, and does not overwrite the remembered choice
        assert shell.live.formula == "answered_only"
        assert shell.window.formula_actions["answered_only"].isChecked()
    finally:
        shell.dispose()
    assert QSettings(path, QSettings.Format.IniFormat).value("kpi/formula") == "removed_within_sla"

    QSettings(path, QSettings.Format.IniFormat).setValue("kpi/formula", "no_such_formula")
    shell = Shell(QSettings(path, QSettings.Format.IniFormat), beep=False)
    try:  # a hand-edited file with a wrong name: the default, not a crash
        assert shell.live.formula == "abandons_count_against"
    finally:
        shell.dispose()


def test_desktop_command_takes_formula():
    from supervisor.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["--formula", "answered_only", "--wall"]).formula == "answered_only"
    assert parser.parse_args([]).formula is None  # the remembered one, then
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["--formula", "median"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        parser.parse_args(["--form", "answered_only"])  # no prefix matching (allow_abbrev=False)
    # the kpi and export forms keep their own --formula and default
    kpi = parser.parse_args(["kpi", "--db", "x", "--from", "2026-11-20", "--to", "2026-11-21"])
    assert kpi.formula == "abandons_count_against"


def test_a_switch_recomputes_today_exactly_with_folding_on():
    """Folded aggregates keep every count the three formulas need: switching mid-day on a
    TodayKpi that folds (one-second margin, a pass at every refresh) gives, for each formula,
    the report and intervals of one that keeps every fact and was built with that formula."""
    from tests.kpi.test_fold import _simulated

    events = _simulated(days=0.6, agents=30)
    folding = TodayKpi(KpiBuilder(), settle_margin_s=1.0, fold_every_s=0.0)
    plain = {f: TodayKpi(KpiBuilder(), fold=False, formula=f) for f in FORMULAS}
    batch = len(events) // 6 + 1
    switches = itertools.cycle(FORMULAS[1:] + FORMULAS[:1])
    used = set()
    for i in range(0, len(events), batch):
        chunk = events[i:i + batch]
        folding.builder.feed_many(chunk)
        for p in plain.values():
            p.builder.feed_many(chunk)
        mine = folding.compute()
        assert mine is not None
        theirs = plain[folding.formula].compute()
        assert theirs is not None
        assert mine.report == theirs.report and mine.report.formula == folding.formula
        assert mine.intervals == theirs.intervals
        assert mine.formula == folding.formula
        used.add(folding.formula)
        folding.set_formula(next(switches))  # the next refresh uses another formula
    assert folding.folded > 0  # it did fold before the switches
    assert used == set(FORMULAS)


def test_bridge_recomputes_at_once_on_the_feed_thread(qtbot):
    """``FeedBridge.set_formula`` posts a report with the new formula without waiting for the
    next KPI refresh or for a new event."""
    import asyncio
    import threading

    from tests.kpi.test_fold import _simulated
    from ui.bridge import FeedBridge
    from ui.inbox import Inbox

    events = _simulated(days=0.2, agents=20)
    started = threading.Event()

    class Client:
        def __init__(self, *_a, on_batch, **_k) -> None:
            self.on_batch = on_batch
            self._stop = asyncio.Event()

        async def run(self) -> None:
            self.on_batch(events)
            started.set()
            await self._stop.wait()

        async def stop(self) -> None:
            self._stop.set()

    inbox = Inbox()
    bridge = FeedBridge(inbox, "ws://x", "t", client_factory=Client, formula="answered_only")
    bridge.start()
    try:
        assert started.wait(10)
        qtbot.waitUntil(lambda: _kpi_formula(inbox) == "answered_only", timeout=10_000)
        bridge.set_formula("removed_within_sla")
        qtbot.waitUntil(lambda: _kpi_formula(inbox) == "removed_within_sla", timeout=2_000)
    finally:
        bridge.stop()


_last: dict[int, object] = {}


def _kpi_formula(inbox) -> str | None:
    drained = inbox.drain()
    if drained.kpi is not None:
        _last[id(inbox)] = drained.kpi
    kpi = _last.get(id(inbox))
    return None if kpi is None else kpi.report.formula

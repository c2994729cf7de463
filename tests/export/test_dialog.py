"""The desktop's export dialog: the work runs on a worker thread, shows progress, cancels
cleanly, and says what went wrong; offscreen Qt, Qt warnings fail the test."""

from __future__ import annotations

import threading
from datetime import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from supervisor.export.labels import Labels  # noqa: E402
from supervisor.timeutil import CHINA  # noqa: E402
from tests.export.reading import assert_workbook_equals_kpi, kpi_json  # noqa: E402

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=CHINA)  # a Friday afternoon
GOOD = b"an existing good workbook"


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    """The app's Chinese translator, as the desktop installs it for --lang zh."""
    from ui import i18n

    translators = i18n.install(qapp, "zh")
    yield
    i18n.uninstall(qapp, translators)


def _dialog(qtbot: Any, url: str, tmp_path: Path, lang: str = "en", **kw: Any) -> Any:
    from ui.export_dialog import ExportDialog

    kw.setdefault("queues", [("credit_card", "信用卡服务"), ("deposit", "储蓄"), ("vip", "贵宾")])
    kw.setdefault("teams", ["一组", "二组"])
    dlg = ExportDialog(url, CHINA, lang, default_dir=tmp_path, now=lambda: NOW, **kw)
    qtbot.addWidget(dlg)
    return dlg


def _record_threads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import ui.export_dialog as module

    real = module.export_workbook
    threads: list[int] = []

    def recording(*args: Any, **kw: Any) -> Any:
        threads.append(threading.get_ident())
        return real(*args, **kw)

    monkeypatch.setattr(module, "export_workbook", recording)
    return threads


def test_presets_fill_the_period(qtbot: Any, day_url: str, tmp_path: Path) -> None:
    dlg = _dialog(qtbot, day_url, tmp_path)
    seen = {}
    for i in range(dlg.period.count()):
        dlg.period.setCurrentIndex(i)
        key = dlg.period.currentData()
        start, end = dlg.period_bounds()
        seen[key] = (start.isoformat(), end.isoformat())
        assert dlg.start_edit.isEnabled() == (key == "custom")
    assert seen["today"] == ("2026-11-20T00:00:00+08:00", "2026-11-21T00:00:00+08:00")
    assert seen["yesterday"] == ("2026-11-19T00:00:00+08:00", "2026-11-20T00:00:00+08:00")
    assert seen["this_week"] == ("2026-11-16T00:00:00+08:00", "2026-11-23T00:00:00+08:00")
    assert seen["last_week"] == ("2026-11-09T00:00:00+08:00", "2026-11-16T00:00:00+08:00")
    assert seen["this_month"] == ("2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00")
    # custom keeps what the last preset showed, editable
    assert seen["custom"] == seen["last_month"] == ("2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00")


def test_export_runs_on_a_worker_thread_with_progress(
    qtbot: Any, day_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = _record_threads(monkeypatch)
    dlg = _dialog(qtbot, day_url, tmp_path)
    dlg.period.setCurrentIndex(dlg.period.findData("today"))
    out = Path(dlg.path_edit.text())
    assert out.parent == tmp_path and out.name == "performance_20261120.xlsx"
    percents: list[int] = []
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert dlg.running and not dlg.export_button.isEnabled()
    dlg._job.progress_changed.connect(lambda p, _s: percents.append(p))
    with qtbot.waitSignal(dlg.export_finished, timeout=30_000) as done:
        pass
    assert done.args == [str(out)]
    qtbot.waitUntil(lambda: not dlg.running, timeout=5_000)
    assert threads and threads[0] != threading.main_thread().ident
    assert dlg.progress.value() == 100
    assert percents == sorted(percents)
    assert str(out) in dlg.status.text()
    assert dlg.export_button.isEnabled()
    assert_workbook_equals_kpi(out, kpi_json(day_url, "2026-11-20", "2026-11-21"), "en")


def test_filters_and_formula_reach_the_export(qtbot: Any, week_url: str, tmp_path: Path) -> None:
    from supervisor.kpi_cli import load_journal

    builder, _ = load_journal(week_url)
    queues = list(builder.facts.queue_order)
    dlg = _dialog(qtbot, week_url, tmp_path, queues=[(q, q) for q in queues], teams=[])
    dlg.period.setCurrentIndex(dlg.period.findData("custom"))
    dlg.start_edit.setDateTime(dlg._to_qt(datetime(2026, 11, 17, tzinfo=CHINA)))
    dlg.end_edit.setDateTime(dlg._to_qt(datetime(2026, 11, 18, tzinfo=CHINA)))
    dlg.queue_list.item(0).setCheckState(Qt.CheckState.Checked)
    dlg.formula.setCurrentIndex(dlg.formula.findData("answered_only"))
    req = dlg.request()
    assert (req.start.isoformat(), req.end.isoformat()) == ("2026-11-17T00:00:00+08:00", "2026-11-18T00:00:00+08:00")
    assert req.queues == (queues[0],) and req.teams is None and req.formula == "answered_only"
    with qtbot.waitSignal(dlg.export_finished, timeout=30_000):
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    expected = builder.report(req.start, req.end, formula="answered_only", queues=[queues[0]]).to_json()
    assert_workbook_equals_kpi(req.out, expected, "en")


def test_cancel_stops_the_worker_and_keeps_the_old_file(
    qtbot: Any, week_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.export_dialog as module

    real = module.export_workbook
    reached = threading.Event()
    clicked = threading.Event()
    threads: list[int] = []

    def gated(req: Any, *, progress: Any, cancelled: Any) -> Any:
        threads.append(threading.get_ident())

        def held(fraction: float, stage: str) -> None:
            progress(fraction, stage)
            if not reached.is_set():
                reached.set()
                clicked.wait(10)  # hold the worker until the user has clicked Cancel

        return real(req, progress=held, cancelled=cancelled)

    monkeypatch.setattr(module, "export_workbook", gated)
    dlg = _dialog(qtbot, week_url, tmp_path)
    dlg.period.setCurrentIndex(dlg.period.findData("this_week"))
    out = Path(dlg.path_edit.text())
    out.write_bytes(GOOD)
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    job = dlg._job
    assert dlg.cancel_button.text() == Labels("en")["dlg.cancel"]
    with qtbot.waitSignal(job.was_cancelled, timeout=30_000):
        qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
        clicked.set()
    qtbot.waitUntil(lambda: not dlg.running, timeout=5_000)
    assert threads[0] != threading.main_thread().ident
    assert out.read_bytes() == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    assert dlg.status.text() == Labels("en")["dlg.cancelled"]
    assert dlg.cancel_button.text() == Labels("en")["dlg.close"]
    assert dlg.export_button.isEnabled()


def test_errors_are_shown_and_nothing_runs(qtbot: Any, day_url: str, tmp_path: Path, chinese: None) -> None:
    labels = Labels("zh")
    dlg = _dialog(qtbot, day_url, tmp_path, lang="zh")
    dlg.period.setCurrentIndex(dlg.period.findData("custom"))
    dlg.start_edit.setDateTime(dlg._to_qt(datetime(2026, 11, 21, tzinfo=CHINA)))
    dlg.end_edit.setDateTime(dlg._to_qt(datetime(2026, 11, 20, tzinfo=CHINA)))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert not dlg.running
    assert dlg.status.text() == labels["dlg.bad_period"]
    dlg.period.setCurrentIndex(dlg.period.findData("today"))
    dlg.path_edit.setText(str(tmp_path / "missing" / "r.xlsx"))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running, timeout=10_000)
    assert dlg.status.text().startswith(labels.format("dlg.failed", reason="")) and "does not exist" in dlg.status.text()


def test_filters_are_read_from_the_journal_when_not_given(qtbot: Any, day_url: str, tmp_path: Path) -> None:
    from ui.export_dialog import ExportDialog

    dlg = ExportDialog(day_url, CHINA, "zh", default_dir=tmp_path, now=lambda: NOW)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.queue_list.count() == 3, timeout=10_000)
    ids = [dlg.queue_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(3)]
    assert ids == ["credit_card", "deposit", "vip"]
    assert [dlg.team_list.item(i).text() for i in range(dlg.team_list.count())] == ["一组", "二组"]
    dlg.stop()


def test_chinese_dialog_renders(qtbot: Any, day_url: str, tmp_path: Path, chinese: None) -> None:
    dlg = _dialog(qtbot, day_url, tmp_path, lang="zh")
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.windowTitle() == "导出绩效报表"
    image = dlg.grab()
    assert not image.isNull()
    image.save(str(tmp_path / "export_dialog_zh.png"))

"""Qt test setup for the desktop: offscreen platform, Qt warnings fail the test, isolated settings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Qt warnings fail every desktop test (pytest-qt's marker; a test may set its own)
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here) and item.get_closest_marker("qt_log_level_fail") is None:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # the offscreen platform cannot propagate size hints of top-level windows;
            # a limitation of the test platform, not a defect of the app
            item.add_marker(pytest.mark.qt_log_ignore(
                "This plugin does not support (propagateSizeHints|raise)"))


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def language(qapp):
    """Install a UI language for one test: ``language("zh")``; removed afterwards."""
    from ui import i18n

    installed: list = []

    def use(lang: str) -> None:
        installed.extend(i18n.install(qapp, lang))

    yield use
    i18n.uninstall(qapp, installed)

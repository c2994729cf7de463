"""Qt setup for the widget tests: offscreen, Qt warnings fail, screenshots, Chinese, CJK font."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
HERE = os.path.dirname(__file__)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not str(item.fspath).startswith(HERE):
            continue
        # Qt warnings fail every widget test (also set suite-wide in pyproject.toml).
        if item.get_closest_marker("qt_log_level_fail") is None:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
        # The offscreen platform warns that it cannot propagate size hints whenever a
        # top-level window is shown: platform noise, not a defect of ours.
        item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture
def shots() -> Path:
    """artifacts/screenshots/ (gitignored): where the tests leave their PNGs to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def zh(qapp) -> Iterator[None]:
    """The app's real Chinese catalogue installed for the test, removed afterwards."""
    from PySide6.QtCore import QTranslator

    import resources

    qm = resources.root() / "i18n" / "command_center_zh_CN.qm"
    if not qm.exists():
        pytest.skip(f"no Chinese catalogue at {qm} yet (the app's translations)")
    translator = QTranslator()
    assert translator.load(str(qm)), f"could not load {qm}"
    qapp.installTranslator(translator)
    try:
        yield
    finally:
        qapp.removeTranslator(translator)


@pytest.fixture
def cjk_font(qapp) -> Iterator[None]:
    """The app font of resources.fonts (CJK-capable), restored afterwards."""
    from PySide6.QtGui import QGuiApplication

    from resources.fonts import apply_app_font

    before = QGuiApplication.font()
    apply_app_font(qapp)
    try:
        yield
    finally:
        QGuiApplication.setFont(before)

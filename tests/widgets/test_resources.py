"""The resource resolver (source tree and PyInstaller bundle) and the stylesheets."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

import resources
from widgets.palette import THEMES


def test_resolver_finds_files_in_the_source_tree() -> None:
    root = resources.root()
    assert root == Path(resources.__file__).resolve().parent
    assert resources.path() == root
    assert resources.path("styles", "wall.qss").is_file()
    assert resources.path("styles").is_dir()
    assert resources.path("icons", "command-center.png").is_file()
    assert resources.path("fonts", "OFL.txt").is_file()


def test_resolver_uses_the_pyinstaller_bundle_when_frozen(tmp_path, monkeypatch) -> None:
    (tmp_path / "resources" / "styles").mkdir(parents=True)
    (tmp_path / "resources" / "styles" / "wall.qss").write_text("QWidget { font-size: @px(10); }")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.root() == tmp_path / "resources"
    assert resources.path("styles", "wall.qss") == tmp_path / "resources" / "styles" / "wall.qss"
    assert resources.stylesheet("wall", 3.0) == "QWidget { font-size: 30px; }"
    with pytest.raises(FileNotFoundError, match="icons/command-center.png"):
        resources.path("icons", "command-center.png")


def test_resolver_refuses_names_that_leave_the_folder() -> None:
    for bad in (("..", "pyproject.toml"), ("styles/../../x",), ("/etc/passwd",), ("",)):
        with pytest.raises(ValueError, match="relative names"):
            resources.path(*bad)
    with pytest.raises(FileNotFoundError, match="nope.qss"):
        resources.path("styles", "nope.qss")


def test_stylesheet_sizes_scale_and_bad_names_are_refused() -> None:
    one = resources.stylesheet("wall", 1.0)
    two = resources.stylesheet("wall", 2.0)
    assert "@px" not in one and "@px" not in two
    assert "font-size: 24px" in one and "font-size: 48px" in two  # table text
    assert "font-size: 28px" in one and "font-size: 56px" in two  # labels
    with pytest.raises(ValueError, match="normal"):
        resources.stylesheet("dark")
    with pytest.raises(ValueError):
        resources.stylesheet("wall", 0)


@pytest.mark.parametrize("theme", ["normal", "wall"])
def test_stylesheet_colours_come_from_the_widget_palette(theme: str) -> None:
    text = resources.stylesheet(theme)
    colours = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", text)}
    palette = {c.upper() for c in THEMES[theme].values()}
    # The page background and text colour are the palette's, so tiles and tables match.
    assert THEMES[theme]["background"].upper() in colours
    assert THEMES[theme]["text"].upper() in colours
    assert len(colours & palette) >= 5


@pytest.mark.parametrize("theme", ["normal", "wall"])
def test_stylesheet_parses_and_applies_without_qt_warnings(qtbot, theme: str) -> None:
    # Qt logs "Could not parse stylesheet" as a warning, which fails this test.
    from widgets.connection_badge import ConnectionBadge

    page = QWidget()
    qtbot.addWidget(page)
    page.setStyleSheet(resources.stylesheet(theme, 1.0))
    lay = QVBoxLayout(page)
    title = QLabel("title")
    title.setProperty("role", "title")
    table = QTableView()
    badge = ConnectionBadge("live")
    for w in (title, table, badge):
        lay.addWidget(w)
    page.show()
    qtbot.waitExposed(page)
    page.grab()
    if theme == "wall":
        # Type selectors reach the painted widgets: the badge's text is 28 px at 1080p.
        assert badge.font().pixelSize() == 28
        assert table.font().pixelSize() == 24
        assert title.font().pixelSize() == 36

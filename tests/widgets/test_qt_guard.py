"""The guard against PySide6 6.12.0 dropping references to None/True on CPython < 3.12."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import widgets  # noqa: F401 - importing the package applies the guard
from widgets.qt_guard import guard_pyside_refcounts, pyside_leaks_singletons


def test_a_long_running_painter_survives_many_calls() -> None:
    # Without the guard, PySide6 6.12.0 on CPython 3.11 aborts ("none_dealloc" /
    # "bool_dealloc") long before this: a wall display makes as many calls in minutes.
    code = textwrap.dedent("""
        import sys
        import widgets
        from PySide6.QtCore import QObject, Signal
        from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

        app = QGuiApplication([])

        class Ticker(QObject):
            tick = Signal(object)

        t = Ticker()
        img = QImage(8, 8, QImage.Format.Format_RGB32)
        p = QPainter(img)
        red = QColor("red")
        for i in range(200_000):
            t.tick.emit(i)
            p.setPen(red)
        p.end()
        print("alive")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "alive"


def test_guard_is_idempotent_and_matches_the_leak() -> None:
    applied = guard_pyside_refcounts()
    assert guard_pyside_refcounts() == applied
    if applied:
        for obj in (None, True, False):
            assert sys.getrefcount(obj) > 1 << 39
    else:
        # Nothing to guard: either Python has immortal singletons or PySide6 does not leak.
        assert sys.version_info >= (3, 12) or not any(pyside_leaks_singletons().values())

"""The guard against PySide6 6.12.0's Signal.emit reference leak on CPython < 3.12."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import widgets  # noqa: F401 - importing the package applies the guard
from widgets.qt_guard import emit_leaks_true, guard_signal_refcount


def test_a_long_running_process_survives_many_emits() -> None:
    # Without the guard, PySide6 6.12.0 on CPython 3.11 aborts ("bool_dealloc") long
    # before 200,000 emits: a wall display emits that many in a few hours.
    code = textwrap.dedent("""
        import sys
        import widgets
        from PySide6.QtCore import QObject, Signal

        class Ticker(QObject):
            tick = Signal(object)

        t = Ticker()
        for i in range(200_000):
            t.tick.emit(i)
        print("alive", sys.getrefcount(True) > 0)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "alive True"


def test_guard_is_idempotent_and_matches_the_leak() -> None:
    applied = guard_signal_refcount()
    assert guard_signal_refcount() == applied
    if applied:
        assert sys.getrefcount(True) > 1 << 39 and sys.getrefcount(False) > 1 << 39
    else:
        # Nothing to guard: either Python has immortal bools or PySide6 does not leak.
        assert sys.version_info >= (3, 12) or not emit_leaks_true()

"""The guard against PySide6 6.12's reference leak on True (widgets/qt_guard.py, applied by importing ui)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import ui  # noqa: F401  (importing the app applies the guard)


class _Emitter(QObject):
    ping = Signal()


def _never_exhausted(before: int, after: int) -> bool:
    """Either PySide does not leak here (the count holds) or the guard made it unreachable."""
    return after >= before - 100 or after > 1 << 39


def test_many_emits_never_exhaust_true():
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(20_000):
        emitter.ping.emit()
    # CPython aborts when True's count reaches zero
    assert _never_exhausted(before, sys.getrefcount(True))


def test_many_empty_cells_never_exhaust_none():
    from PySide6.QtGui import QStandardItemModel

    model = QStandardItemModel(1, 1)
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        assert index.data() is None  # an empty cell: PySide 6.12 drops a reference to None here
    assert _never_exhausted(before, sys.getrefcount(None))

"""Work around a reference-count defect of PySide6 6.12 on CPython < 3.12.

``SignalInstance.emit()`` returns ``True`` without a new reference, so every signal
emitted from Python takes one reference from ``True``; a desktop emitting a few signals
per second reaches zero within hours and CPython aborts ("bool_dealloc: deallocating
True or False"). CPython 3.12 made the bools immortal; on older versions we do the
same by giving ``True`` and ``False`` a reference count no program can exhaust.
Harmless when the defect is fixed: a surplus reference to a bool costs nothing.
"""

from __future__ import annotations

import ctypes
import sys

_SURPLUS = 1 << 60


def make_bools_immortal() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for value in (True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt is the first field
        if refcnt.value < _SURPLUS:
            refcnt.value += _SURPLUS


def emit_leaks_true() -> bool:
    """True when this PySide6 still takes a reference from True on each emit (for tests)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(10):
        probe.ping.emit()
    return sys.getrefcount(True) < before

"""Work around reference-count defects of PySide6 6.12 on CPython < 3.12.

``SignalInstance.emit()`` returns ``True`` without a new reference, and an invalid
QVariant converted to Python (``index.data()`` of an empty cell, ``itemData``) returns
``None`` without one; every such call takes a reference from the singleton, and a
desktop doing it many times a second reaches zero within hours: CPython aborts
("bool_dealloc" / "none_dealloc"). CPython 3.12 made these singletons immortal; on
older versions we do the same by giving ``True``, ``False`` and ``None`` a reference
count no program can exhaust. Harmless once PySide is fixed: surplus references to
immortal-in-spirit singletons cost nothing.
"""

from __future__ import annotations

import ctypes
import sys

_SURPLUS = 1 << 60


def make_singletons_immortal() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for value in (True, False, None):
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

"""Guard against PySide6 6.12.0's ``Signal.emit`` dropping a reference to ``True``.

In 6.12.0 every ``SignalInstance.emit()`` made from Python returns ``True`` without
taking a reference (6.11.3 does not). On CPython < 3.12, where ``True`` is an ordinary
ref-counted object, each emit leaves its count one lower; after some thousands of
emits (pyqtgraph alone emits ~10 per redraw) the interpreter aborts with "Fatal Python
error: bool_dealloc". CPython 3.12+ made ``True`` immortal (PEP 683), so it is immune.

``guard_signal_refcount()`` detects the leak and, only then, gives ``True`` and ``False``
a reference count so large it can never reach zero — what PEP 683 does for them. They
are static singletons that are never freed, so nothing else changes. The real fix is
a PySide6 without the bug (pin ``PySide6-Essentials != 6.12.0``).
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_IMMORTAL_BOOST = 1 << 40
_applied = False


def emit_leaks_true(samples: int = 16) -> bool:
    """Whether emitting a Python-declared signal lowers ``True``'s reference count."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(samples):
        probe.ping.emit()
    leaked = sys.getrefcount(True) < before
    probe.deleteLater()
    return leaked


def _boost(obj: object) -> bool:
    # ob_refcnt is the first field of every object in a release build of CPython.
    before = sys.getrefcount(obj)
    cell = ctypes.c_ssize_t.from_address(id(obj))
    cell.value += _IMMORTAL_BOOST
    if sys.getrefcount(obj) - before != _IMMORTAL_BOOST:  # not the layout we expected: undo
        cell.value -= _IMMORTAL_BOOST
        return False
    return True


def guard_signal_refcount() -> bool:
    """Apply the guard if this PySide6 leaks and this Python can die of it; True if applied.

    Idempotent and cheap (one probe of 16 emits). Does nothing on CPython 3.12+, on
    debug builds, or when emit does not leak.
    """
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return False
    if sys.implementation.name != "cpython" or not emit_leaks_true():
        return False
    import PySide6

    if _boost(True) and _boost(False):
        _applied = True
        log.info("PySide6 %s leaks a reference to True per Signal.emit; made True/False immortal "
                 "(pin PySide6-Essentials != 6.12.0 to fix it properly)", PySide6.__version__)
    return _applied

"""Guard against PySide6 6.12.0 dropping references to ``None`` and ``True`` on CPython < 3.12.

In 6.12.0 every wrapped C++ method returning ``void`` hands back ``None``, and every
``SignalInstance.emit()`` hands back ``True``, without taking a reference (6.11.3 does
not). On CPython < 3.12, where those singletons are ordinary ref-counted objects, each
such call leaves their count one lower; a painted wall makes thousands of them a second
(``painter.setPen`` …), so within minutes to hours the interpreter aborts with "Fatal
Python error: none_dealloc" / "bool_dealloc". CPython 3.12+ made them immortal (PEP
683) and is immune.

``guard_pyside_refcounts()`` detects the leak and, only then, gives ``None``, ``True``
and ``False`` a reference count so large it can never reach zero — what PEP 683 does.
They are static singletons that are never freed, so nothing else changes. The real fix
is a PySide6 without the bug (pin ``PySide6-Essentials != 6.12.0``).
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_IMMORTAL_BOOST = 1 << 40
_applied = False


def pyside_leaks_singletons(samples: int = 16) -> dict[str, bool]:
    """Which singletons this PySide6 loses references to: {"None": …, "True": …}."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before_true = sys.getrefcount(True)
    for _ in range(samples):
        probe.ping.emit()
    after_emit_none = sys.getrefcount(None)
    for _ in range(samples):
        probe.setObjectName("probe")  # a void method
    leaks = {
        "True": sys.getrefcount(True) < before_true,
        # Judge None by the void calls alone, net of whatever emit did to it.
        "None": sys.getrefcount(None) - after_emit_none <= -samples // 2,
    }
    probe.deleteLater()
    return leaks


def _refcount_field_is_first() -> bool:
    """Whether ob_refcnt sits at id(obj), checked on a fresh object no one else touches."""
    probe = object()
    field = ctypes.c_ssize_t.from_address(id(probe)).value
    return field == sys.getrefcount(probe) - 1  # getrefcount's own argument adds one


def _boost(obj: object) -> None:
    # Checked by _refcount_field_is_first(). No before/after comparison here: other code
    # (the garbage collector, other threads) may touch None's count at any moment.
    ctypes.c_ssize_t.from_address(id(obj)).value += _IMMORTAL_BOOST


def guard_pyside_refcounts() -> bool:
    """Apply the guard if this PySide6 leaks and this Python can die of it; True if applied.

    Idempotent and cheap (32 probe calls). Does nothing on CPython 3.12+, on debug
    builds, or when nothing leaks.
    """
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return False
    if sys.implementation.name != "cpython" or not any(pyside_leaks_singletons().values()):
        return False
    import PySide6

    if not _refcount_field_is_first():
        log.warning("PySide6 %s leaks references to None/True, and this CPython's object layout is "
                    "not the expected one: not guarded", PySide6.__version__)
        return False
    for obj in (None, True, False):
        _boost(obj)
    _applied = True
    log.info("PySide6 %s drops references to None/True on calls; made them immortal "
             "(pin PySide6-Essentials != 6.12.0 to fix it properly)", PySide6.__version__)
    return True

"""Python's cyclic garbage collector, set for long-running processes (no Qt, no I/O).

Reference counting frees almost everything these processes make (decoded events,
facts, rows: acyclic); the cyclic collector only has cycles to find, yet each full
collection walks every tracked object. ``settle`` moves what exists at startup (modules,
classes, Qt wrappers, the roster of a first snapshot) out of every later collection and
collects the young generation every ``young`` allocations instead of 700, so collections
are fewer and walk less. Measured with ``benchmarks/bench_soak.py`` (see README).
"""

from __future__ import annotations

import gc

YOUNG = 20_000  # allocations between young collections (Python's default: 700)


def settle(young: int = YOUNG) -> None:
    """Collect once, freeze the survivors out of later collections, raise the threshold."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(young, 10, 10)

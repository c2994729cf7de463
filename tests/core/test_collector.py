"""``supervisor.collector.settle``: startup objects leave later collections, young ones are collected less often."""

from __future__ import annotations

import gc

from supervisor import collector


def test_settle_freezes_what_exists_and_raises_the_young_threshold() -> None:
    threshold = gc.get_threshold()
    try:
        gc.unfreeze()
        marker = [object() for _ in range(100)]
        collector.settle(young=12_345)
        assert gc.get_threshold() == (12_345, 10, 10)
        assert gc.get_freeze_count() >= len(marker)
        # frozen objects are out of every generation a collection walks
        assert not any(o is marker for o in gc.get_objects())
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)

"""Simulated time: formatting equals datetime.isoformat, and the scaled, pausable clock."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from supervisor.sim.timebase import SimClock, Stamp, to_ms
from supervisor.timeutil import CHINA, fmt


@given(st.integers(min_value=-(10**12), max_value=4 * 10**12), st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_stamp_equals_isoformat(ms: int, offset_min: int) -> None:
    tz = timezone(timedelta(minutes=offset_min))
    stamp = Stamp(tz)
    expected = fmt(datetime(1970, 1, 1, tzinfo=timezone.utc).astimezone(tz) + timedelta(milliseconds=ms))
    assert stamp(ms) == expected
    assert to_ms(stamp.dt(ms)) == ms


def test_stamp_across_days_and_the_dst_fallback() -> None:
    stamp = Stamp(CHINA)
    start = to_ms(datetime(2026, 11, 23, 23, 59, 59, 999000, tzinfo=CHINA))
    assert stamp(start) == "2026-11-23T23:59:59.999+08:00"
    assert stamp(start + 1) == "2026-11-24T00:00:00.000+08:00"
    assert stamp(start) == "2026-11-23T23:59:59.999+08:00"  # the day cache goes back too
    try:
        from zoneinfo import ZoneInfo
        berlin = ZoneInfo("Europe/Berlin")
    except Exception:  # no tz database on this machine
        return
    summer = to_ms(datetime(2026, 7, 1, 12, tzinfo=timezone.utc))
    assert Stamp(berlin)(summer) == "2026-07-01T14:00:00.000+02:00"
    assert Stamp(berlin)(summer + 180 * 86_400_000) == "2026-12-28T13:00:00.000+01:00"


def test_the_clock_scales_pauses_and_is_set_at_speed_zero() -> None:
    now = [100.0]
    clock = SimClock(1_000, 60.0, monotonic=lambda: now[0])
    now[0] += 2.0
    assert clock.now_ms() == 1_000 + 120_000
    clock.pause()
    now[0] += 50.0
    assert clock.now_ms() == 121_000 and clock.paused
    clock.resume()
    now[0] += 1.0
    assert clock.now_ms() == 181_000
    fast = SimClock(5_000, 0.0, monotonic=lambda: now[0])
    now[0] += random.uniform(1, 9)
    assert fast.now_ms() == 5_000
    fast.set(9_000)
    fast.set(8_000)  # never back
    assert fast.now_ms() == 9_000

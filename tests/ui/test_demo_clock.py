"""The demo always shows a living center: its day is set at a busy hour when run at night."""

from __future__ import annotations

from datetime import datetime

from supervisor.timeutil import CHINA
from ui.app import demo_center_time


def test_daytime_demo_follows_the_real_clock() -> None:
    now = datetime(2026, 11, 22, 14, 5, 7, tzinfo=CHINA)
    assert demo_center_time(now) == now


def test_night_demo_is_set_at_the_afternoon_peak_of_the_same_day() -> None:
    for hour in (0, 3, 7, 19, 23):
        shown = demo_center_time(datetime(2026, 11, 22, hour, 40, tzinfo=CHINA))
        assert shown == datetime(2026, 11, 22, 14, 30, tzinfo=CHINA)

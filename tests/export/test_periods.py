"""The dialog's named periods in the center's timezone, and the CLI's period checks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from supervisor.errors import UsageError
from supervisor.export.periods import PRESETS, check_period, parse_period, preset_period
from supervisor.timeutil import CHINA


def iso(pair: tuple[datetime, datetime]) -> tuple[str, str]:
    return pair[0].isoformat(), pair[1].isoformat()


def test_presets_at_a_month_and_year_boundary() -> None:
    now = datetime(2027, 1, 1, 0, 30, tzinfo=CHINA)  # a Friday, just after midnight
    assert iso(preset_period("today", now, CHINA)) == ("2027-01-01T00:00:00+08:00", "2027-01-02T00:00:00+08:00")
    assert iso(preset_period("yesterday", now, CHINA)) == ("2026-12-31T00:00:00+08:00", "2027-01-01T00:00:00+08:00")
    assert iso(preset_period("this_week", now, CHINA)) == ("2026-12-28T00:00:00+08:00", "2027-01-04T00:00:00+08:00")
    assert iso(preset_period("last_week", now, CHINA)) == ("2026-12-21T00:00:00+08:00", "2026-12-28T00:00:00+08:00")
    assert iso(preset_period("this_month", now, CHINA)) == ("2027-01-01T00:00:00+08:00", "2027-02-01T00:00:00+08:00")
    assert iso(preset_period("last_month", now, CHINA)) == ("2026-12-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")


def test_now_in_another_zone_is_read_in_the_centers() -> None:
    # 2026-11-20 17:00 UTC is already Saturday 01:00 in Beijing
    now = datetime(2026, 11, 20, 17, 0, tzinfo=timezone.utc)
    assert iso(preset_period("today", now, CHINA))[0] == "2026-11-21T00:00:00+08:00"
    assert iso(preset_period("this_week", now, CHINA))[0] == "2026-11-16T00:00:00+08:00"


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_is_a_non_empty_half_open_period(name: str) -> None:
    for day in range(0, 400, 7):
        now = datetime(2026, 1, 1, 12, tzinfo=CHINA) + timedelta(days=day, hours=day % 24)
        start, end = preset_period(name, now, CHINA)
        assert start < end and start.hour == end.hour == 0
        if name in ("today", "this_week", "this_month"):
            assert start <= now < end
        else:
            assert end <= now


def test_unknown_preset() -> None:
    with pytest.raises(ValueError):
        preset_period("fortnight", datetime(2026, 1, 1, tzinfo=CHINA), CHINA)


def test_parse_period_errors_are_usage_errors() -> None:
    start, end = parse_period("2026-11-20", "2026-11-21T12:00:00+08:00", CHINA)
    assert end - start == timedelta(hours=36)
    for a, b in (("2026-11-21", "2026-11-20"), ("2026-11-20", "2026-11-20"), ("soon", "2026-11-20")):
        with pytest.raises(UsageError):
            parse_period(a, b, CHINA)
    with pytest.raises(UsageError):
        check_period(datetime(2026, 1, 2, tzinfo=CHINA), datetime(2026, 1, 1, tzinfo=CHINA))

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from supervisor import wire
from supervisor.sla import SlaPolicy, SlaState, crossed, urgency_key, wait_seconds
from tests.core.events import T0


def test_thresholds_follow_kpi_md() -> None:
    p = SlaPolicy()
    assert (p.sla_seconds, p.warn_seconds) == (900, 600)
    assert p.state(0) is SlaState.OK
    assert p.state(599.9) is SlaState.OK
    assert p.state(600) is SlaState.WARNING
    assert p.state(900) is SlaState.WARNING  # answered within T means wait <= T
    assert p.state(900.001) is SlaState.BREACHED
    assert p.within(900) and not p.within(900.5)
    assert p.time_to_breach(300) == 600
    assert p.time_to_breach(1000) == -100


def test_policy_of_queue_uses_its_own_thresholds() -> None:
    q = wire.Queue(id="vip", sla_seconds=300, warn_seconds=120)
    assert SlaPolicy.of(q).state(200) is SlaState.WARNING
    assert SlaPolicy.of(None) == SlaPolicy()


def test_live_wait_uses_server_time_and_is_never_negative() -> None:
    assert wait_seconds(T0, T0 + timedelta(seconds=61.5)) == 61.5
    assert wait_seconds(T0, T0 - timedelta(seconds=3)) == 0.0  # clock offset, not a negative wait


def test_breached_contacts_sort_before_any_waiting_one() -> None:
    keys = [urgency_key(100, 0, False), urgency_key(-5, 0, False), urgency_key(100, 1, False),
            urgency_key(100, 0, True), urgency_key(-60, 0, False)]
    ordered = sorted(keys)
    assert ordered[0] == urgency_key(-60, 0, False)
    assert ordered[1] == urgency_key(-5, 0, False)
    assert ordered[2] == urgency_key(100, 1, False)  # higher priority first among equals
    assert ordered[3] == urgency_key(100, 0, True)  # then VIP


@given(st.lists(st.floats(min_value=0, max_value=3000), min_size=1, max_size=50))
def test_crossing_fires_exactly_once_for_a_rising_wait(increments: list[float]) -> None:
    p = SlaPolicy()
    wait, fired = 0.0, 0
    for inc in increments:
        new = wait + inc
        fired += crossed(wait, new, p)
        wait = new
    assert fired == (1 if wait > p.sla_seconds else 0)

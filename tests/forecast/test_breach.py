"""Breach risk of one waiting contact (``supervisor.forecast.breach``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervisor.forecast.breach import breach_probability


def simulate(waited: float, ahead: int, t: float, mu: float, theta: float, n: int, runs: int, seed: int) -> float:
    """The tagged contact's line, run many times: while i are ahead the next step comes
    after Exp(nμ + iθ + θ); it is the contact's own abandonment with probability θ/total."""
    rng = np.random.default_rng(seed)
    left, breached = t - waited, 0
    for _ in range(runs):
        clock, i = 0.0, ahead
        while True:
            total = n * mu + i * theta + theta
            clock += rng.exponential(1 / total)
            if clock > left:
                breached += 1
                break
            if rng.random() < theta / total:
                break  # gave up before T: no breach
            if i == 0:
                break  # answered before T
            i -= 1
    return breached / runs


@pytest.mark.parametrize(("waited", "ahead", "t", "mu", "theta", "n"), [
    (30, 0, 60, 1 / 190, 1 / 120, 10), (100, 12, 300, 1 / 240, 1 / 300, 20),
    (0, 40, 900, 1 / 240, 1 / 600, 9), (500, 3, 600, 1 / 200, 0.0, 4),
])
def test_agrees_with_simulation(waited: float, ahead: int, t: float, mu: float, theta: float, n: int) -> None:
    sim = simulate(waited, ahead, t, mu, theta, n, 40_000, 7)
    assert breach_probability(waited, ahead, t, mu, theta, n) == pytest.approx(sim, abs=0.01)


def test_erlang_c_case_is_a_poisson_tail() -> None:
    # θ = 0: breach iff fewer than k+1 services in the time left
    mu, n, k, left = 1 / 200, 5, 3, 120.0
    m = n * mu * left
    expected = sum(math.exp(-m) * m**j / math.factorial(j) for j in range(k + 1))
    assert breach_probability(600 - left, k, 600, mu, 0.0, n) == pytest.approx(expected, rel=1e-12)


def test_edges() -> None:
    assert breach_probability(901, 0, 900, 0.01, 0.01, 3) == 1.0
    assert breach_probability(10, 0, 900, 0.01, 0.01, 3, free_agents=1) == 0.0
    assert breach_probability(0, 0, 60, 0.01, 0.02, 0) == pytest.approx(math.exp(-1.2))


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 900), st.integers(0, 60), st.floats(1 / 600, 1 / 60), st.floats(0, 1 / 30), st.integers(1, 50))
def test_more_ahead_or_longer_waited_never_safer(waited: float, ahead: int, mu: float, theta: float, n: int) -> None:
    p = breach_probability(waited, ahead, 900, mu, theta, n)
    assert breach_probability(waited, ahead + 1, 900, mu, theta, n) >= p - 1e-12
    assert breach_probability(min(900, waited + 30), ahead, 900, mu, theta, n) >= p - 1e-12
    assert breach_probability(waited, ahead, 900, mu, theta, n + 1) <= p + 1e-12

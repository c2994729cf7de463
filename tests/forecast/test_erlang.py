"""The Erlang A / Erlang C model of ``supervisor.forecast.erlang``.

Published values, an independent Erlang C, the model's own identities, a discrete-event
simulation (here only: the product path never simulates) and monotonicity properties.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervisor.forecast import (
    ModelError,
    agents_needed,
    erlang_a,
    erlang_c,
    erlang_c_probability,
    offered_wait_cdf,
)

# --- published values ------------------------------------------------------------------


def test_pyworkforce_erlang_c_example() -> None:
    """pyworkforce (github.com/rodrigo-arenas/pyworkforce), tests/test_erlangc.py,
    ``test_expected_erlangc_results``: 100 transactions in 30 min, AHT 3 min, target
    answer time 0.33 min, service level 0.8 -> raw_positions 14, service_level 0.888,
    waiting_probability 0.174, occupancy 0.714 (rounded to 3 places there)."""
    lam, mu, t = 100 / 30, 1 / 3, 0.33  # per minute, minutes
    assert agents_needed(lam, mu, 0.0, t, 0.8) == 14
    r = erlang_c(lam, mu, 14, t)
    assert round(r.service_level, 3) == 0.888
    assert round(r.prob_wait, 3) == 0.174
    assert round(lam / mu / 14, 3) == 0.714


def test_queuingsystem_erlang_a_values() -> None:
    """FelixKleineBoesing/queuingSystem, tests/modelling/capacity_planning/test_erlanga.py
    (commit d1e251bf): M/M/n/K+M with a waiting room of 80, whose tail beyond 80 is
    negligible here, so the values are those of M/M/n+M to the 4 places checked there:
    mean queue 0.6833261838358367 and mean wait of all arrivals (Lq/λ) 6.833261838358366
    for λ = 0.1, μ = 1/240, θ = 1/300, n = 28; abandonment probability
    0.09759081562546817 for θ = 1/30, n = 25."""
    r = erlang_a(0.1, 1 / 240, 1 / 300, 28, 20)
    assert r.mean_queue == pytest.approx(0.6833261838358367, abs=1e-4)
    assert r.mean_queue / 0.1 == pytest.approx(6.833261838358366, abs=1e-4)
    r = erlang_a(0.1, 1 / 240, 1 / 30, 25, 20)
    assert r.prob_abandon == pytest.approx(0.09759081562546817, abs=1e-4)


# --- Erlang C as the θ = 0 case -------------------------------------------------------------


@pytest.mark.parametrize(("lam", "mu", "n", "t"), [
    (100 / 3600, 1 / 240, 9, 20), (0.5, 1 / 180, 95, 60), (2.0, 1 / 300, 640, 30), (0.01, 0.02, 1, 10),
])
def test_erlang_c_is_the_classical_formula(lam: float, mu: float, n: int, t: float) -> None:
    c = erlang_c_probability(lam, mu, n)
    r = erlang_c(lam, mu, n, t)
    assert r.prob_wait == pytest.approx(c, rel=1e-9)
    assert r.service_level == pytest.approx(1 - c * math.exp(-(n * mu - lam) * t), rel=1e-9, abs=1e-12)
    assert r.asa == pytest.approx(c / (n * mu - lam), rel=1e-9)
    assert r.prob_abandon == 0.0
    # and Erlang A with a tiny θ is close to it
    near = erlang_a(lam, mu, 1e-9, n, t)
    assert near.service_level == pytest.approx(r.service_level, abs=1e-5)


def test_erlang_c_unstable_queue() -> None:
    r = erlang_c(1.0, 0.1, 10, 60)
    assert not r.stable and r.service_level == 0.0 and r.asa == math.inf
    # with abandonment the same load is fine
    assert erlang_a(1.0, 0.1, 1 / 60, 10, 60).stable


# --- the model's own identities -------------------------------------------------------------


@pytest.mark.parametrize(("lam", "mu", "theta", "n", "t"), [
    (100 / 3600, 1 / 240, 1 / 600, 9, 900), (0.1, 1 / 240, 1 / 300, 28, 20),
    (0.6, 1 / 190, 1 / 120, 100, 60), (3.0, 1 / 200, 1 / 400, 500, 30), (0.05, 0.01, 0.02, 2, 45),
])
def test_identities(lam: float, mu: float, theta: float, n: int, t: float) -> None:
    r = erlang_a(lam, mu, theta, n, t)
    # flow balance: abandonments per second = θ E[Q]
    assert r.prob_abandon == pytest.approx(theta * r.mean_queue / lam, rel=1e-9, abs=1e-13)
    # served per second = λ P(answered) = μ E[busy agents] ⇒ occupancy ≤ 1
    assert lam * r.prob_answered / (n * mu) <= 1 + 1e-12
    # removed within T + still waiting at T = 1
    assert 0 <= r.prob_answered_within <= r.prob_answered <= 1
    assert 0 <= r.prob_abandoned_within <= r.prob_abandon + 1e-12
    assert r.service_level_as("answered_only") == pytest.approx(r.prob_answered_within / r.prob_answered)
    assert r.service_level_as("removed_within_sla") >= r.service_level
    # with T → ∞ everyone answered is answered within T
    far = erlang_a(lam, mu, theta, n, 1e7)
    assert far.prob_answered_within == pytest.approx(far.prob_answered, abs=1e-10)
    assert far.prob_abandoned_within == pytest.approx(far.prob_abandon, abs=1e-10)


def test_offered_wait_law_by_numerical_integration() -> None:
    """P(V ≤ t) from the closed form against a quadrature of the density derived in the
    module doc, and the 'answered within t' integrand e^{-θv} f(v)."""
    mu, theta, n, t = 1 / 200, 1 / 90, 7, 150.0
    a = n * mu
    v = np.linspace(0.0, t, 200_001)
    for k in (0, 1, 4, 12):
        rates = a + theta * np.arange(k + 1)
        dens = np.prod(rates) / (theta**k * math.factorial(k)) * np.exp(-a * v) * (1 - np.exp(-theta * v)) ** k
        assert np.trapezoid(dens, v) == pytest.approx(float(offered_wait_cdf(k, t, mu, theta, n)), abs=1e-8)


def test_large_center_no_overflow() -> None:
    r = erlang_a(20.0, 1 / 200, 1 / 300, 4100, 20)
    assert 0 < r.service_level < 1 and math.isfinite(r.asa)
    assert agents_needed(20.0, 1 / 200, 1 / 300, 20, 0.8) is not None


def test_bad_inputs() -> None:
    with pytest.raises(ModelError):
        erlang_a(-1, 1, 1, 1, 1)
    with pytest.raises(ModelError):
        erlang_a(1, 0, 1, 1, 1)
    with pytest.raises(ModelError):
        agents_needed(1, 1, 1, 1, 1.5)


def test_edge_cases() -> None:
    assert erlang_a(0.0, 0.01, 0.01, 3, 60).service_level == 1.0
    nobody = erlang_a(0.1, 0.01, 0.01, 0, 60)
    assert nobody.prob_abandon == 1.0 and nobody.service_level == 0.0
    assert agents_needed(0.0, 0.01, 0.01, 60, 0.8) == 0


# --- against a simulation ------------------------------------------------------------------


def simulate(lam: float, mu: float, theta: float, n: int, t: float, customers: int, seed: int) -> dict[str, float]:
    """FCFS M/M/n+M by the multi-server recursion: each arrival, in order, takes the
    earliest free agent if that comes before its patience runs out; one that abandons
    never holds an agent, so the order of the earlier ones is all that matters."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / lam, customers))
    patience = rng.exponential(1 / theta, customers) if theta > 0 else np.full(customers, np.inf)
    service = rng.exponential(1 / mu, customers)
    free = [0.0] * n
    warmup = customers // 10
    answered = within = abandoned = 0
    wait_sum = 0.0
    for i in range(customers):
        arrive = float(arrivals[i])
        start = max(arrive, free[0])
        wait = start - arrive
        counted = i >= warmup
        if wait <= patience[i]:
            heapq.heapreplace(free, start + float(service[i]))
            if counted:
                answered += 1
                within += wait <= t
                wait_sum += wait
        elif counted:
            abandoned += 1
    total = answered + abandoned
    return {"service_level": within / total, "abandon": abandoned / total, "asa": wait_sum / answered}


@pytest.mark.parametrize(("lam", "mu", "theta", "n", "t", "seed"), [
    (100 / 3600, 1 / 240, 1 / 600, 7, 60, 1),  # small queue, moderate load
    (0.5, 1 / 190, 1 / 120, 90, 60, 2),  # the bank's scale, overloaded (A = 95 > n)
    (0.2, 1 / 100, 1 / 30, 18, 20, 3),  # impatient customers
    (0.1, 1 / 240, 0.0, 27, 20, 4),  # Erlang C
    (1.0, 1 / 300, 1 / 600, 310, 30, 5),  # large, patient
])
def test_agrees_with_simulation(lam: float, mu: float, theta: float, n: int, t: float, seed: int) -> None:
    sim = simulate(lam, mu, theta, n, t, 200_000, seed)
    r = erlang_a(lam, mu, theta, n, t)
    assert r.service_level == pytest.approx(sim["service_level"], abs=0.01)
    assert r.prob_abandon == pytest.approx(sim["abandon"], abs=0.01)
    assert r.asa == pytest.approx(sim["asa"], rel=0.1, abs=1.0)


# --- monotonicity ---------------------------------------------------------------------------

rates = st.floats(min_value=0.001, max_value=2.0)
model = st.tuples(
    rates,  # λ
    st.floats(min_value=1 / 900, max_value=1 / 30),  # μ
    st.floats(min_value=1 / 3600, max_value=1 / 10),  # θ
    st.integers(min_value=0, max_value=300),  # n
    st.floats(min_value=0.0, max_value=1800.0),  # T
)


@settings(max_examples=150, deadline=None)
@given(model)
def test_more_agents_never_worse(params: tuple[float, float, float, int, float]) -> None:
    lam, mu, theta, n, t = params
    r, more = erlang_a(lam, mu, theta, n, t), erlang_a(lam, mu, theta, n + 1, t)
    assert more.service_level >= r.service_level - 1e-9
    assert more.prob_abandon <= r.prob_abandon + 1e-9
    assert more.prob_wait <= r.prob_wait + 1e-9
    if n > 0:
        assert more.asa <= r.asa + 1e-7 * max(1.0, r.asa)


@settings(max_examples=150, deadline=None)
@given(model, st.floats(min_value=0.1, max_value=0.99))
def test_more_patience_never_more_abandonment(params: tuple[float, float, float, int, float], shrink: float) -> None:
    lam, mu, theta, n, t = params
    patient = erlang_a(lam, mu, theta * shrink, n, t)
    assert patient.prob_abandon <= erlang_a(lam, mu, theta, n, t).prob_abandon + 1e-9


@settings(max_examples=60, deadline=None)
@given(model, st.floats(min_value=0.05, max_value=0.99))
def test_agents_needed_is_the_fewest(params: tuple[float, float, float, int, float], target: float) -> None:
    lam, mu, theta, _, t = params
    t = max(t, 1.0)
    n = agents_needed(lam, mu, theta, t, target)
    assert n is not None
    assert erlang_a(lam, mu, theta, n, t).service_level >= target
    if n > 0:
        assert erlang_a(lam, mu, theta, n - 1, t).service_level < target

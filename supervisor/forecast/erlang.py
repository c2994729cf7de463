"""Erlang A (M/M/n+M, Palm) and Erlang C (M/M/n, the θ = 0 case), exactly.

Model: Poisson arrivals at rate λ, n agents each serving at rate μ (exponential
handle times), each waiting customer abandons after an exponential patience of rate θ,
first come first served, no blocking, short abandons not modelled. Rates are per second.

Stationary law (truncated birth–death sums). With A = λ/μ, the weights are
``w_j = A^j / j!`` for j = 0..n (j customers, all in service) and
``w_{n+k} = w_n · Π_{i=1..k} λ / (nμ + iθ)`` for k ≥ 1 customers waiting (death rate
nμ + kθ). They are summed in log space (no overflow at hundreds of agents) and the sum
over k is cut at the first K where a geometric bound on everything beyond K is below
``TAIL = 1e-12`` of the total (the ratios λ/(nμ + iθ) decrease, so the bound holds); the
dropped mass is therefore < 1e-12 and every probability below is exact to ~1e-12.
For θ = 0 the tail is geometric (ratio λ/(nμ)) and needs λ < nμ; otherwise the queue
grows without bound and the figures are the limits (nobody answered within T, waits
infinite).

The tagged arrival (PASTA: it sees the stationary law). Finding j < n it is answered at
once. Finding n + k (k waiting ahead of it) it waits for the k + 1 service-or-
abandonment steps ahead of it; while i customers are ahead, the line moves at rate
a + iθ with a = nμ, and the tagged customer itself leaves at rate θ. Call V the offered
wait (the time until it would reach an agent if it never gave up), τ its patience.

* V is a sum of independent exponentials of rates a + iθ, i = 0..k. Partial fractions
  (the rates are an arithmetic progression) give the density
  ``f(v) = Π_i (a+iθ) / (θ^k k!) · e^{-a v} (1 - e^{-θ v})^k``, and, with
  ``x = 1 - e^{-θ t}``, ``P(V ≤ t) = I_x(k+1, a/θ)`` (regularised incomplete beta).
* Answered: ``P(V ≤ τ | k) = E[e^{-θV}] = Π_i (a+iθ)/(a+(i+1)θ) = a / (a + (k+1)θ)``.
* Answered within t: ``P(V ≤ min(τ, t) | k) = ∫_0^t e^{-θv} f(v) dv
  = a/(a+(k+1)θ) · I_x(k+1, a/θ + 1)``.
* For an integer first argument, ``I_x(k+1, b) = P(N ≥ k+1)`` with N negative binomial
  (b, x): ``P(N = i) = Γ(b+i)/(Γ(b) i!) · x^i (1-x)^b``. The pmf is summed in log space,
  so it stays exact when ``e^{-(a+θ)t}`` underflows.
* Mean wait of the answered: from i ahead the tagged customer leaves its position after
  an Exp(a + (i+1)θ) time whatever the way out, so ``E[V; answered | k] =
  P(answered | k) · Σ_{i=1..k+1} 1/(a + iθ)``.
* θ = 0 (Erlang C): V ~ Erlang(k+1, a), ``P(V ≤ t) = P(Poisson(a t) ≥ k+1)``, all
  answered; the totals reduce to the classical ``1 - C(n, A) e^{-(nμ-λ)t}`` and
  ``ASA = C(n, A)/(nμ - λ)`` (cross-checked in the tests).

These are the formulas of Mandelbaum & Zeltyn ("The Palm/Erlang-A queue, with
applications to call centers", 2004/2007: P{W ≤ t, served}, P{Ab}, E[W | served]),
written as finite sums of positive terms instead of incomplete gamma functions.

Service level and KPI.md. In the model every arrival is answered or abandons, so the
default formula "abandons count against" (answered within T ÷ (answered + abandoned))
is exactly ``P(answered within T)`` when short abandons are not set apart (S = 0, the
model has none); with S > 0, KPI.md drops abandons under S from both counts, which the
model does not do (they are a small share of abandons when S ≪ 1/θ). The other two
formulas are ``answered_only`` = P(answered within T) ÷ P(answered) and
``removed_within_sla`` = P(answered within T) + P(abandoned within T)
= 1 − P(still waiting at T) (again with short abandons inside "within T").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

TAIL = 1e-12
# a patience rate below this (per second) is θ = 0: a/θ would overflow the negative binomial
THETA_ZERO = 1e-200
MAX_QUEUE_STATES = 5_000_000

FloatArray = npt.NDArray[np.float64]

FORMULAS = ("abandons_count_against", "answered_only", "removed_within_sla")


class ModelError(ValueError):
    """Inputs outside the model (negative rates, no agents with arrivals and θ = 0 …)."""


@dataclass(frozen=True)
class ErlangResult:
    """The model's figures for one (λ, μ, θ, n) and one T (seconds)."""

    arrival_rate: float
    service_rate: float
    patience_rate: float
    agents: int
    sla_seconds: float
    prob_wait: float  # P(an arrival finds all n agents busy)
    prob_abandon: float  # P(an arrival abandons)
    prob_answered_within: float  # P(answered with wait ≤ T)
    prob_abandoned_within: float  # P(abandons with wait ≤ T)
    asa: float  # mean wait of the answered, seconds (inf when the queue is unstable, nan with no agents)
    mean_queue: float  # mean number waiting
    stable: bool  # False only for θ = 0 with λ ≥ nμ

    @property
    def prob_answered(self) -> float:
        return 1.0 - self.prob_abandon

    @property
    def service_level(self) -> float:
        """KPI.md's default formula in the model: P(answered within T)."""
        return self.prob_answered_within

    def service_level_as(self, formula: str) -> float | None:
        if formula == "abandons_count_against":
            return self.prob_answered_within
        if formula == "answered_only":
            answered = self.prob_answered
            return self.prob_answered_within / answered if answered > 0 else None
        if formula == "removed_within_sla":
            return min(1.0, self.prob_answered_within + self.prob_abandoned_within)
        raise ModelError(f"unknown service level formula {formula!r}")


def _check(lam: float, mu: float, theta: float, n: int) -> None:
    if not (lam >= 0 and math.isfinite(lam)):
        raise ModelError("the arrival rate must be a finite number ≥ 0")
    if not (mu > 0 and math.isfinite(mu)):
        raise ModelError("the service rate must be a finite number > 0")
    if not (theta >= 0 and math.isfinite(theta)):
        raise ModelError("the patience rate must be a finite number ≥ 0")
    if n < 0 or int(n) != n:
        raise ModelError("the number of agents must be a whole number ≥ 0")


def _logsumexp(values: FloatArray) -> float:
    if values.size == 0:
        return -math.inf
    top = float(values.max())
    if top == -math.inf:
        return -math.inf
    return top + math.log(float(np.exp(values - top).sum()))


def _queue_log_ratios(lam: float, a: float, theta: float) -> FloatArray:
    """log(λ/(a + iθ)) for i = 1..K, K the truncation point (see the module doc)."""
    log_lam = math.log(lam)
    size = 256
    while True:
        i = np.arange(1, size + 1, dtype=np.float64)
        ratios = np.log(a + i * theta) if theta > 0 else np.full(size, math.log(a))
        logs = log_lam - ratios
        cum = np.cumsum(logs)
        # beyond K the ratio is at most q_K = λ/(a+(K+1)θ) < 1: tail ≤ w_K q/(1-q)
        total = _logsumexp(np.concatenate(([0.0], cum)))
        q_next = lam / (a + (i + 1) * theta) if theta > 0 else np.full(size, lam / a)
        with np.errstate(divide="ignore"):
            bound = np.where(q_next < 1, cum + np.log(q_next) - np.log1p(-np.minimum(q_next, 0.999999999999)), np.inf)
        ok = np.nonzero(bound - total < math.log(TAIL))[0]
        if ok.size:
            return logs[: int(ok[0]) + 1]
        if size >= MAX_QUEUE_STATES:
            raise ModelError("the queue's stationary law needs more states than allowed "
                             "(patience nearly infinite with arrivals above capacity)")
        size = min(size * 4, MAX_QUEUE_STATES)


def _nb_tail(b: float, x: float, kmax: int) -> FloatArray:
    """P(N ≥ k+1) for k = 0..kmax, N negative binomial (b, x) (I_x(k+1, b))."""
    k = np.arange(0, kmax + 1, dtype=np.float64)
    if x <= 0:
        return np.zeros(kmax + 1)
    if x >= 1:
        return np.ones(kmax + 1)
    log_p0 = b * math.log1p(-x)
    steps = np.empty(kmax + 1)
    steps[0] = log_p0
    if kmax > 0:
        i = k[1:]
        steps[1:] = math.log(x) + np.log(b + i - 1) - np.log(i)
    log_pmf = np.cumsum(steps)
    cdf = np.cumsum(np.exp(log_pmf))
    return np.clip(1.0 - cdf, 0.0, 1.0)


def _poisson_tail(mean: float, kmax: int) -> FloatArray:
    """P(Poisson(mean) ≥ k+1) for k = 0..kmax."""
    if mean <= 0:
        return np.zeros(kmax + 1)
    k = np.arange(0, kmax + 1, dtype=np.float64)
    steps = np.empty(kmax + 1)
    steps[0] = -mean
    if kmax > 0:
        steps[1:] = math.log(mean) - np.log(k[1:])
    cdf = np.cumsum(np.exp(np.cumsum(steps)))
    return np.clip(1.0 - cdf, 0.0, 1.0)


def offered_wait_cdf(k: int | FloatArray, t: float, service_rate: float, patience_rate: float,
                     agents: int) -> FloatArray:
    """P(V ≤ t) for a customer with k customers waiting ahead of it (all n agents busy):
    V the time until it reaches an agent if it never gives up, those ahead abandoning
    at θ each. Vectorised over k = 0..max(k)."""
    kmax = int(np.max(k))
    a = agents * service_rate
    if t <= 0:
        out = np.zeros(kmax + 1)
    elif patience_rate > THETA_ZERO:
        out = _nb_tail(a / patience_rate, -math.expm1(-patience_rate * t), kmax)
    else:
        out = _poisson_tail(a * t, kmax)
    return np.asarray(out[np.asarray(k, dtype=np.int64)], dtype=np.float64)


def erlang_a(arrival_rate: float, service_rate: float, patience_rate: float, agents: int,
             sla_seconds: float) -> ErlangResult:
    """The M/M/n+M figures (θ = 0: M/M/n). Rates per second, T in seconds."""
    lam, mu, theta, n, t = float(arrival_rate), float(service_rate), float(patience_rate), int(agents), float(sla_seconds)
    _check(lam, mu, theta, n)
    if theta < THETA_ZERO:
        theta = 0.0
    if t < 0:
        raise ModelError("T must be ≥ 0")
    a = n * mu
    if lam == 0:
        return ErlangResult(lam, mu, theta, n, t, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, True)
    if theta == 0 and lam >= a:
        # unstable: the line grows forever, nobody is answered within any finite T
        return ErlangResult(lam, mu, theta, n, t, 1.0, 0.0, 0.0, 0.0, math.inf, math.inf, False)
    if n == 0:
        # nobody to answer: everyone abandons after Exp(θ)
        within = -math.expm1(-theta * t)
        return ErlangResult(lam, mu, theta, n, t, 1.0, 1.0, 0.0, within, math.nan, lam / theta, True)
    log_a_erl = math.log(lam / mu)
    j = np.arange(0, n + 1, dtype=np.float64)
    log_w_low = j * log_a_erl - np.array([math.lgamma(x + 1.0) for x in j])  # j = 0..n
    log_ratios = _queue_log_ratios(lam, a, theta)
    log_w_queue = log_w_low[-1] + np.concatenate(([0.0], np.cumsum(log_ratios)))  # k = 0..K
    log_total = _logsumexp(np.concatenate((log_w_low[:-1], log_w_queue)))
    p_queue = np.exp(log_w_queue - log_total)  # π_{n+k}, k = 0..K
    p_no_wait = float(np.exp(log_w_low[:-1] - log_total).sum())
    kmax = p_queue.size - 1
    k = np.arange(0, kmax + 1, dtype=np.float64)

    served_given_k = a / (a + (k + 1) * theta)
    if theta > 0:
        x = -math.expm1(-theta * t)
        within_given_k = served_given_k * _nb_tail(a / theta + 1.0, x, kmax)
        still_given_k = math.exp(-theta * t) * (1.0 - _nb_tail(a / theta, x, kmax)) if t > 0 else np.ones(kmax + 1)
    else:
        within_given_k = _poisson_tail(a * t, kmax) if t > 0 else np.zeros(kmax + 1)
        still_given_k = 1.0 - within_given_k
    harmonic = np.cumsum(1.0 / (a + (k + 1) * theta))  # Σ_{i=1..k+1} 1/(a + iθ)

    prob_wait = float(p_queue.sum())
    prob_served = p_no_wait + float((p_queue * served_given_k).sum())
    prob_within = min(1.0, p_no_wait + float((p_queue * within_given_k).sum()))
    prob_still = float((p_queue * still_given_k).sum())  # waiting at T (T > 0)
    prob_abandon = float((p_queue * ((k + 1) * theta / (a + (k + 1) * theta))).sum())
    prob_ab_within = max(0.0, 1.0 - prob_within - prob_still) if t > 0 and theta > 0 else 0.0
    served_wait = float((p_queue * served_given_k * harmonic).sum())
    asa = served_wait / prob_served if prob_served > 0 else math.inf
    mean_queue = float((p_queue * k).sum())
    return ErlangResult(lam, mu, theta, n, t, min(1.0, prob_wait), prob_abandon, prob_within,
                        prob_ab_within, asa, mean_queue, True)


def erlang_c(arrival_rate: float, service_rate: float, agents: int, sla_seconds: float) -> ErlangResult:
    """M/M/n (no abandonment): Erlang A with θ = 0."""
    return erlang_a(arrival_rate, service_rate, 0.0, agents, sla_seconds)


def agents_needed(arrival_rate: float, service_rate: float, patience_rate: float, sla_seconds: float,
                  target: float, formula: str = "abandons_count_against", max_agents: int = 100_000) -> int | None:
    """The fewest agents whose service level (``formula``, KPI.md) reaches ``target``;
    None when the target is above what any number of agents reaches (≥ 1 with T = 0 …).
    Service level never falls with more agents (property-tested), so a doubling search
    then a bisection finds the fewest."""
    if not 0 <= target <= 1:
        raise ModelError("the target service level is a fraction between 0 and 1")

    def reaches(n: int) -> bool:
        value = erlang_a(arrival_rate, service_rate, patience_rate, n, sla_seconds).service_level_as(formula)
        return value is not None and value >= target

    if reaches(0):
        return 0
    hi = max(1, int(math.ceil(arrival_rate / service_rate)))
    while not reaches(hi):
        if hi >= max_agents:
            return None
        hi = min(hi * 2, max_agents)
    lo = 0  # fails
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if reaches(mid):
            hi = mid
        else:
            lo = mid
    return hi


def erlang_c_probability(arrival_rate: float, service_rate: float, agents: int) -> float:
    """The classical Erlang C formula C(n, A), computed independently of ``erlang_a``
    (Erlang B by its recursion, then C = nB / (n − A(1 − B)))."""
    offered = arrival_rate / service_rate
    if agents <= offered:
        return 1.0
    b = 1.0
    for m in range(1, agents + 1):
        b = offered * b / (m + offered * b)
    return agents * b / (agents - offered * (1.0 - b))

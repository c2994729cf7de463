"""Per waiting contact: the probability that it breaches T (KPI.md: answered with wait > T,
abandoned with wait > T, or still waiting at T — i.e. still in the queue at T).

A delay predictor that accounts for the abandonment of those ahead (in the spirit of
Ibrahim & Whitt's queue-length predictors for M/M/n+M). With all n agents busy, the line
ahead of the contact moves at rate nμ + iθ while i customers are ahead (a service frees
the head, or one of them gives up); the contact itself gives up at rate θ. Patience is
exponential, so what the contact and those ahead have already waited changes nothing
but the time left. With ``ahead`` = k customers in front and r = T − waited left:

    P(breach) = P(τ > r) · P(V > r) = e^{-θ r} · (1 − I_x(k+1, nμ/θ)),   x = 1 − e^{-θ r}

(V the time to reach an agent, ``erlang.offered_wait_cdf``; θ = 0: V ~ Erlang(k+1, nμ)).
A contact already past T has breached (1.0); with a free agent and nobody ahead it is
about to be answered (0.0).
"""

from __future__ import annotations

import math

from supervisor.forecast.erlang import ModelError, offered_wait_cdf


def breach_probability(waited: float, ahead: int, sla_seconds: float, service_rate: float,
                       patience_rate: float, agents: int, free_agents: int = 0) -> float:
    """P(the contact is still in the queue when its wait reaches ``sla_seconds``)."""
    if ahead < 0 or agents < 0 or free_agents < 0:
        raise ModelError("ahead, agents and free agents are counts ≥ 0")
    if service_rate <= 0 or patience_rate < 0:
        raise ModelError("the service rate must be > 0 and the patience rate ≥ 0")
    left = sla_seconds - waited
    if left < 0:
        return 1.0
    if free_agents > ahead:
        return 0.0
    if agents == 0:
        return math.exp(-patience_rate * left)
    reached = float(offered_wait_cdf(ahead, left, service_rate, patience_rate, agents))
    return min(1.0, max(0.0, math.exp(-patience_rate * left) * (1.0 - reached)))

"""Forecasting the queues: the Erlang A model (``erlang``), exact and without I/O.

The breach risk of one waiting contact in ``breach``. The estimates from the journal sit in
``supervisor.forecast.estimate``; the ``command-center forecast`` form in
``supervisor.forecast_cli``; the desktop's live forecast (thin-data rules, extra agents,
who should come back) in ``supervisor.forecast.live``.
"""

from __future__ import annotations

from supervisor.forecast.breach import breach_probability
from supervisor.forecast.erlang import (
    FORMULAS,
    TAIL,
    ErlangResult,
    ModelError,
    agents_needed,
    erlang_a,
    erlang_c,
    erlang_c_probability,
    offered_wait_cdf,
)

__all__ = [
    "FORMULAS",
    "TAIL",
    "ErlangResult",
    "ModelError",
    "agents_needed",
    "breach_probability",
    "erlang_a",
    "erlang_c",
    "erlang_c_probability",
    "offered_wait_cdf",
]

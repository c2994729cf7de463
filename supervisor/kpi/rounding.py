"""The one rounding rule of every published figure, applied once when figures are built.

Each ratio or mean is computed from exact integers (counts, microseconds, score sums)
and its exact rational value is rounded half-up to a fixed number of decimals:
ratios to 4 (0.8407), seconds to 1 (211.4), mean scores to 2 (4.21). Rounding the exact
value, not a float sum, is what lets an independent re-computation (a spreadsheet, a
script with fractions) agree to the last digit; an empty denominator gives None.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

RATIO_PLACES = 4
SECONDS_PLACES = 1
SCORE_PLACES = 2

_QUANTUM = {n: Decimal(1).scaleb(-n) for n in range(0, 10)}
_US_PER_S = 1_000_000


def round_fraction(num: int, den: int, places: int) -> float | None:
    """num / den rounded half-up to ``places`` decimals; None when den is 0."""
    if den == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 40  # far beyond any tie a realistic denominator could fake
        value = Decimal(num) / Decimal(den)
        return float(value.quantize(_QUANTUM[places], rounding=ROUND_HALF_UP))


def ratio(num: int, den: int) -> float | None:
    """A share, as a fraction rounded to 4 decimals (None for an empty denominator)."""
    return round_fraction(num, den, RATIO_PLACES)


def mean_seconds(total_us: int, count: int) -> float | None:
    """The mean of ``count`` durations summing to ``total_us`` microseconds, in seconds (0.1)."""
    return round_fraction(total_us, count * _US_PER_S, SECONDS_PLACES)


def total_seconds(total_us: int) -> float:
    """A sum of durations in seconds, rounded to 0.1 s like every other duration."""
    return round_fraction(total_us, _US_PER_S, SECONDS_PLACES) or 0.0


def mean_score(total: int, count: int) -> float | None:
    """A mean survey score rounded to 2 decimals (None without surveys)."""
    return round_fraction(total, count, SCORE_PLACES)

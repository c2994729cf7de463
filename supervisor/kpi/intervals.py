"""The interval table: queue figures per queue per N minutes (30 by default, KPI.md).

Each interval is a period of its own, with exactly the rules of the period figures (a
contact counts in the interval of its first ``queued_at``, a handle time in that of its
``call.ended``), so counts summed over the intervals equal the period's counts. The
same rows give the desktop its trend series (volume and service level per interval).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from supervisor.kpi.facts import US_PER_S, KpiFacts, from_us
from supervisor.kpi.figures import (
    QueueAcc,
    accumulate_queues,
    check_formula,
    now_us_of,
    period_us,
)
from supervisor.kpi.report import QueueFigures


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """Figures of one queue (``queue`` None: all queues) in [start, end)."""

    start: datetime
    end: datetime
    queue: str | None
    figures: QueueFigures


def interval_table(
    facts: KpiFacts,
    start: datetime,
    end: datetime,
    *,
    minutes: int = 30,
    formula: str = "abandons_count_against",
    server_now: datetime | None = None,
    short_abandon_s: float = 5,
    queues: Sequence[str] | None = None,
    include_total: bool = True,
) -> list[IntervalRow]:
    """Rows for every interval × queue (every known queue, idle ones too), then the total.

    Intervals start at ``start`` and step by ``minutes``; the last is cut at ``end``.
    """
    check_formula(formula)
    if minutes <= 0:
        raise ValueError("the interval must be at least one minute")
    start_us, end_us = period_us(start, end)
    step_us = minutes * 60 * US_PER_S
    short_us = round(short_abandon_s * US_PER_S)
    accs = accumulate_queues(
        facts.contacts.values(), facts, start_us, end_us,
        now_us=now_us_of(facts, server_now), short_us=short_us,
        step_us=step_us, queues=queues,
    )
    if facts.folded is not None:  # the sums of the contacts folded away (fold.py)
        facts.folded.add_to_intervals(
            accs, start_us, end_us, step_us, short_us, None if queues is None else frozenset(queues)
        )
    names = [q for q in facts.queue_order if queues is None or q in queues]
    tz = facts.center_tz or start.tzinfo or timezone.utc
    return interval_rows(accs, names, start_us, end_us, step_us, tz, formula, include_total=include_total)


def interval_rows(
    accs: Mapping[tuple[int, str], QueueAcc],
    names: Sequence[str],
    start_us: int,
    end_us: int,
    step_us: int,
    tz: tzinfo,
    formula: str,
    *,
    include_total: bool = True,
) -> list[IntervalRow]:
    """Rows per bucket of ``step_us`` from ``start_us`` (a shorter last one up to ``end_us``):
    each queue of ``names`` from its ``accs[(bucket, queue)]`` (empty when absent), then their
    sum. Shared by the builder's path and the facts' SQL path (``supervisor.store.facts_query``)."""
    rows: list[IntervalRow] = []
    empty = QueueAcc()
    for bucket in range(-(-(end_us - start_us) // step_us)):
        b_start = start_us + bucket * step_us
        b_end = min(b_start + step_us, end_us)
        t0, t1 = from_us(b_start, tz), from_us(b_end, tz)
        total = QueueAcc()
        for name in names:
            acc = accs.get((bucket, name), empty)
            total.merge(acc)
            rows.append(IntervalRow(t0, t1, name, acc.figures(name, formula)))
        if include_total:
            rows.append(IntervalRow(t0, t1, None, total.figures(None, formula)))
    return rows


def series(
    rows: Sequence[IntervalRow], field: str, queue: str | None = None
) -> list[tuple[datetime, float | int | None]]:
    """One figure of one queue (None: the total) over the intervals, for a trend chart."""
    return [(r.start, getattr(r.figures, field)) for r in rows if r.queue == queue]

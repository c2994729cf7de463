"""The period [from, to) of ``kpi`` and ``export``: RFC 3339 bounds, or dates at midnight
in the center's zone. Shared by both commands (and the desktop's export dialog) so they
read periods the same way; kept here, below both, so neither imports the other."""

from __future__ import annotations

from datetime import datetime, tzinfo

from supervisor import timeutil
from supervisor.errors import UsageError

# A journal without events has no offset of its own: use the product's center (+08:00).
FALLBACK_TZ = timeutil.CHINA


def check_bound(text: str, option: str) -> None:
    """Fail early, before reading any journal, on a bound that is not a time at all."""
    try:
        timeutil.parse_bound(text, FALLBACK_TZ)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def resolve_period(from_text: str, to_text: str, center_tz: tzinfo) -> tuple[datetime, datetime]:
    """The period [from, to) of the CLI: RFC 3339 bounds, or dates at midnight in the center's zone."""
    bounds = []
    for text, option in ((from_text, "--from"), (to_text, "--to")):
        try:
            bounds.append(timeutil.parse_bound(text, center_tz))
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}") from None
    start, end = bounds
    if end <= start:
        raise UsageError(
            f"the period is empty: --to ({to_text}) must come after --from ({from_text})"
        )
    return start, end

"""Reusable painted widgets that take plain values and know nothing of the domain.

``from widgets import KpiTile, TrendChart, ...`` — names load lazily, so importing the
palette or the formatters does not pull in pyqtgraph. Never imports supervisor or ui.
"""

from __future__ import annotations

import importlib
from typing import Any

from widgets.qt_guard import guard_pyside_refcounts

# The widgets paint and emit for as long as the wall runs; on PySide6 6.12.0 with
# CPython 3.11 every such call loses a reference to None/True and the process would
# abort within hours (see qt_guard).
guard_pyside_refcounts()

_EXPORTS: dict[str, str] = {
    "KpiTile": "widgets.kpi_tile",
    "StateBadge": "widgets.state_chip",
    "paint_state_chip": "widgets.state_chip",
    "SlaStateDelegate": "widgets.sla_delegate",
    "FlashRowDelegate": "widgets.sla_delegate",
    "STATE_ROLE": "widgets.sla_delegate",
    "KEY_ROLE": "widgets.sla_delegate",
    "FlashController": "widgets.flash",
    "AgentStateBar": "widgets.agent_state_bar",
    "TrendChart": "widgets.trend_chart",
    "RingBuffer": "widgets.ring_buffer",
    "ConnectionBadge": "widgets.connection_badge",
    "StaleBanner": "widgets.stale_overlay",
    "StaleOverlay": "widgets.stale_overlay",
    "PageIndicator": "widgets.page_indicator",
    "CountdownLabel": "widgets.countdown",
    "paint_icon": "widgets.icons",
    "THEMES": "widgets.palette",
    "AGENT_STATES": "widgets.palette",
    "AGENT_STATE_COLORS": "widgets.palette",
    "SLA_STATES": "widgets.palette",
    "CONNECTION_STATES": "widgets.palette",
    "theme_colors": "widgets.palette",
    "wall_scale": "widgets.metrics",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

"""Every visible string the widgets make themselves, through Qt's translation system.

Context "Widgets", English source text. The app's .ts/.qm supplies Chinese; the sources
are literal ``QT_TRANSLATE_NOOP``/``translate`` calls so ``pyside6-lupdate`` finds them.
``SOURCE_TEXTS`` lists them all, so a test can check the app's catalogue is complete.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Widgets"

# Tables of untranslated source text; translated at use time so a language switch
# (installing another QTranslator) takes effect on the next paint.
_SLA_LABELS: dict[str, str] = {
    "ok": str(QT_TRANSLATE_NOOP("Widgets", "OK")),
    "warning": str(QT_TRANSLATE_NOOP("Widgets", "Warning")),
    "breached": str(QT_TRANSLATE_NOOP("Widgets", "Breached")),
}

_AGENT_LABELS: dict[str, str] = {
    "available": str(QT_TRANSLATE_NOOP("Widgets", "Available")),
    "ringing": str(QT_TRANSLATE_NOOP("Widgets", "Ringing")),
    "on_call": str(QT_TRANSLATE_NOOP("Widgets", "On call")),
    "wrap_up": str(QT_TRANSLATE_NOOP("Widgets", "Wrap-up")),
    "break": str(QT_TRANSLATE_NOOP("Widgets", "Break")),
    "meeting": str(QT_TRANSLATE_NOOP("Widgets", "Meeting")),
    "training": str(QT_TRANSLATE_NOOP("Widgets", "Training")),
    "offline": str(QT_TRANSLATE_NOOP("Widgets", "Offline")),
}

_CONNECTION = {
    "live": str(QT_TRANSLATE_NOOP("Widgets", "Live")),
    "live_age": str(QT_TRANSLATE_NOOP("Widgets", "Live · updated %1 ago")),
    "reconnecting": str(QT_TRANSLATE_NOOP("Widgets", "Reconnecting…")),
    "stale": str(QT_TRANSLATE_NOOP("Widgets", "Stale %1")),
    "unauthorised": str(QT_TRANSLATE_NOOP("Widgets", "Not authorised")),
    "stopped": str(QT_TRANSLATE_NOOP("Widgets", "Stopped")),
}

_OTHER = {
    "banner_age": str(QT_TRANSLATE_NOOP("Widgets", "DATA STALE — last update %1 ago")),
    "banner_never": str(QT_TRANSLATE_NOOP("Widgets", "DATA STALE — no update received yet")),
    "stale_mark": str(QT_TRANSLATE_NOOP("Widgets", "Stale")),
    "overdue": str(QT_TRANSLATE_NOOP("Widgets", "Overdue")),
    "seconds": str(QT_TRANSLATE_NOOP("Widgets", "%1 s")),
    "page_of": str(QT_TRANSLATE_NOOP("Widgets", "Page %1 of %2")),
    "agent_states": str(QT_TRANSLATE_NOOP("Widgets", "Agent states: %1")),
    "due_in": str(QT_TRANSLATE_NOOP("Widgets", "Due in %1")),
}

#: Every source text above, for catalogue-completeness checks.
SOURCE_TEXTS: tuple[str, ...] = tuple(
    dict.fromkeys([*_SLA_LABELS.values(), *_AGENT_LABELS.values(), *_CONNECTION.values(), *_OTHER.values()])
)


def tr(source: str) -> str:
    """Translate one of this module's source texts in the "Widgets" context."""
    return QCoreApplication.translate(CONTEXT, source)


def sla_state_label(state: str) -> str:
    """正常 / 预警 / 超时 (OK / Warning / Breached); empty for "neutral" (no SLA shown)."""
    source = _SLA_LABELS.get(state)
    return tr(source) if source else ""


def agent_state_label(state: str) -> str:
    """Translated name of an agent state of PROTOCOL.md; the raw value if unknown."""
    source = _AGENT_LABELS.get(state)
    return tr(source) if source else state


def connection_text(state: str, age: str | None = None) -> str:
    """Badge text of a connection state; ``age`` is an already formatted age ("42 s")."""
    if state == "live":
        return tr(_CONNECTION["live_age"]).replace("%1", age) if age else tr(_CONNECTION["live"])
    if state == "stale":
        return tr(_CONNECTION["stale"]).replace("%1", age or "?").strip()
    source = _CONNECTION.get(state)
    if source is None:
        raise ValueError(f"unknown connection state {state!r}")
    return tr(source)


def stale_banner_text(age: str | None) -> str:
    """The wall's stale banner: "DATA STALE — last update 1:12 ago" (or never updated)."""
    if age is None:
        return tr(_OTHER["banner_never"])
    return tr(_OTHER["banner_age"]).replace("%1", age)


def stale_mark() -> str:
    """The short mark a dimmed figure carries: "Stale"."""
    return tr(_OTHER["stale_mark"])


def overdue_label() -> str:
    """Label next to a negative countdown: "Overdue"."""
    return tr(_OTHER["overdue"])


def seconds_text(count: str) -> str:
    """"42 s" with the unit translated; ``count`` is already locale-formatted."""
    return tr(_OTHER["seconds"]).replace("%1", count)


def page_of_text(current: int, count: int) -> str:
    """"Page 2 of 4" (1-based), for the page indicator's tooltip and accessible name."""
    return tr(_OTHER["page_of"]).replace("%1", str(current)).replace("%2", str(count))


def agent_states_text(counts: str) -> str:
    """The agent state bar for a screen reader: "Agent states: Available 3, On call 5"."""
    return tr(_OTHER["agent_states"]).replace("%1", counts)


def due_in_text(time_text: str) -> str:
    """A countdown for a screen reader: "Due in 8:20"."""
    return tr(_OTHER["due_in"]).replace("%1", time_text)

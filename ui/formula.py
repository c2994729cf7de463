"""The service-level formula in use, by name, in the UI's language (KPI.md).

Vendors disagree on how abandoned calls count in service level, so the formula in use is
named wherever a service level shows: tiles, the wall, the trend chart, the breach list.
The names follow the workbook's words (supervisor/export/labels.py) so a tile and a
spreadsheet name one formula alike.

Which formula a desktop uses: ``--formula`` on the command line (a wall PC), else the
one chosen last in the desk's View menu (``kpi/formula`` in the settings), else
KPI.md's default.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings, QT_TRANSLATE_NOOP

from supervisor.kpi.report import FORMULAS

DEFAULT_FORMULA = FORMULAS[0]  # "abandons_count_against", KPI.md's default
SETTINGS_KEY = "kpi/formula"

_NAMES = {
    "abandons_count_against": QT_TRANSLATE_NOOP("formula", "Service level (abandons count against)"),
    "answered_only": QT_TRANSLATE_NOOP("formula", "Service level (answered only)"),
    "removed_within_sla": QT_TRANSLATE_NOOP("formula", "Service level (removed within T)"),
}
_SHORT = {
    "abandons_count_against": QT_TRANSLATE_NOOP("formula", "Abandons count against"),
    "answered_only": QT_TRANSLATE_NOOP("formula", "Answered only"),
    "removed_within_sla": QT_TRANSLATE_NOOP("formula", "Removed within T"),
}
_EXPRESSIONS = {
    "abandons_count_against": QT_TRANSLATE_NOOP("formula", "answered within T ÷ (answered + abandoned)"),
    "answered_only": QT_TRANSLATE_NOOP("formula", "answered within T ÷ answered"),
    "removed_within_sla": QT_TRANSLATE_NOOP(
        "formula", "(answered within T + abandoned within T + short abandoned) ÷ offered"),
}


def _tr(text: object) -> str:
    return QCoreApplication.translate("formula", str(text))


def check(formula: str) -> str:
    if formula not in FORMULAS:
        raise ValueError(f"unknown service level formula {formula!r}; one of {', '.join(FORMULAS)}")
    return formula


def name(formula: str) -> str:
    """'Service level (abandons count against)' / '服务水平（放弃计入）'."""
    return _tr(_NAMES[check(formula)])


def short_name(formula: str) -> str:
    """'Abandons count against' / '放弃计入': for a menu that already says service level."""
    return _tr(_SHORT[check(formula)])


def expression(formula: str) -> str:
    """The formula in words: 'answered within T ÷ answered'."""
    return _tr(_EXPRESSIONS[check(formula)])


def described(formula: str) -> str:
    """Name and formula in one line, for captions and tooltips."""
    return QCoreApplication.translate("formula", "%1: %2").replace("%1", name(formula)).replace("%2", expression(formula))


def from_settings(settings: QSettings | None) -> str | None:
    """The formula remembered in the settings, or None (unset or not one of FORMULAS)."""
    if settings is None:
        return None
    value = settings.value(SETTINGS_KEY)
    return value if isinstance(value, str) and value in FORMULAS else None


def resolve(arg: str | None, settings: QSettings | None) -> str:
    """``--formula`` when given, else the remembered one, else KPI.md's default."""
    if arg:
        return check(arg)
    return from_settings(settings) or DEFAULT_FORMULA


def remember(settings: QSettings | None, formula: str) -> None:
    if settings is None:
        return
    settings.setValue(SETTINGS_KEY, check(formula))
    settings.sync()

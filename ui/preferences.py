"""What a supervisor chooses in the settings dialog, kept with QSettings in an INI file,
over an administrator's defaults for every PC of a floor (issue 12 point 7).

Two INI files, read in this order, the later winning:

1. the floor's defaults, written by an administrator and read-only to users:
   ``/etc/xdg/CommandCenter/CommandCenter.ini`` on Linux,
   ``%ProgramData%\\CommandCenter\\CommandCenter.ini`` on Windows
   (Qt's system-scope INI file: ``admin_defaults_file()``);
2. the user's own choices, ``~/.config/CommandCenter/CommandCenter.ini`` on Linux,
   ``%APPDATA%\\CommandCenter\\CommandCenter.ini`` on Windows.

A key the user has not set is read from the floor's file (QSettings' own fallback), and
the user's file keeps only what differs from the floor's defaults: a value put back to
the floor's default is removed, so a later change by the administrator reaches that PC.
Keys: ``ui/language`` (zh, en, or empty for the system's), ``ui/palette`` (default,
colorblind), ``wall/page_s``, ``kpi/formula``, ``alerts/…`` (ui.alerts.AlertSettings),
``scope/queues`` and ``scope/teams`` (my floor: queue ids and team names as the server
sends them, comma-separated; empty for all; ui.scope).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields, replace
from typing import Any

from PySide6.QtCore import QSettings

from ui import formula as formulas
from ui.alerts import SETTINGS_GROUP as ALERTS_GROUP
from ui.alerts import AlertSettings
from ui.scope import Scope
from widgets.palette import PALETTES

log = logging.getLogger(__name__)

ORG = "CommandCenter"
APP = "CommandCenter"
LANGUAGES = ("", "zh", "en")  # "" follows the system's locale
PAGE_S_RANGE = (5, 120)
DEFAULT_PAGE_S = 12
KEY_LANGUAGE = "ui/language"
KEY_PALETTE = "ui/palette"
KEY_PAGE_S = "wall/page_s"


def open_settings(org: str = ORG, app: str = APP, *, migrate: bool = True) -> QSettings:
    """The user's settings: an INI file on every platform, over the floor's defaults."""
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, org, app)
    if migrate:
        migrate_native(settings, org, app)
    return settings


def admin_defaults_file(org: str = ORG, app: str = APP) -> str:
    """Where an administrator puts the floor's defaults (Qt's system-scope INI file)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.SystemScope, org, app).fileName()


def floor_defaults_settings(org: str = ORG, app: str = APP) -> QSettings:
    """The floor's defaults alone (read only)."""
    return QSettings(admin_defaults_file(org, app), QSettings.Format.IniFormat)


def migrate_native(settings: QSettings, org: str, app: str) -> None:
    """Earlier versions kept the settings in the platform's native store (the registry on
    Windows, a .conf file on Linux): copied once into the INI file, which wins from then on."""
    if settings.contains("settings/migrated"):
        return
    native = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, org, app)
    native.setFallbacksEnabled(False)
    own = QSettings(settings.fileName(), QSettings.Format.IniFormat)  # without the floor's file
    if not own.allKeys():
        for key in native.allKeys():
            own.setValue(key, native.value(key))
    own.setValue("settings/migrated", True)
    own.sync()
    settings.sync()


def _language(value: object) -> str:
    return value if isinstance(value, str) and value in LANGUAGES else ""


def _palette(value: object) -> str:
    return value if isinstance(value, str) and value in PALETTES else "default"


def _page_s(value: Any) -> int:
    try:
        return max(PAGE_S_RANGE[0], min(PAGE_S_RANGE[1], int(float(value))))
    except (TypeError, ValueError):
        return DEFAULT_PAGE_S


@dataclass(frozen=True)
class Preferences:
    language: str = ""
    palette: str = "default"
    wall_page_s: int = DEFAULT_PAGE_S
    formula: str = formulas.DEFAULT_FORMULA
    alerts: AlertSettings = field(default_factory=AlertSettings)
    scope: Scope = field(default_factory=Scope)  # my floor; all by default

    @classmethod
    def load(cls, settings: QSettings | None) -> Preferences:
        """From ``settings`` (QSettings reads the floor's file for what the user has not set)."""
        if settings is None:
            return cls()
        return cls(
            language=_language(settings.value(KEY_LANGUAGE)),
            palette=_palette(settings.value(KEY_PALETTE)),
            wall_page_s=_page_s(settings.value(KEY_PAGE_S, DEFAULT_PAGE_S)),
            formula=formulas.from_settings(settings) or formulas.DEFAULT_FORMULA,
            alerts=AlertSettings.load(settings),
            scope=Scope.load(settings),
        )

    def save(self, settings: QSettings | None, floor: Preferences | None = None) -> None:
        """Write what differs from ``floor`` (the floor's defaults); remove what equals them."""
        if settings is None:
            return
        floor = floor or Preferences()
        values = self._flat()
        defaults = floor._flat()
        for key, value in values.items():
            if value == defaults[key]:
                settings.remove(key)
            else:
                settings.setValue(key, value)
        settings.sync()

    def _flat(self) -> dict[str, Any]:
        out: dict[str, Any] = {KEY_LANGUAGE: self.language, KEY_PALETTE: self.palette,
                               KEY_PAGE_S: self.wall_page_s, formulas.SETTINGS_KEY: self.formula}
        for f in fields(AlertSettings):
            out[f"{ALERTS_GROUP}/{f.name}"] = getattr(self.alerts, f.name)
        out.update(self.scope.flat())
        return out

    def with_(self, **changes: Any) -> Preferences:
        return replace(self, **changes)


def floor_defaults(org: str = ORG, app: str = APP) -> Preferences:
    """The floor's defaults: the administrator's file over the built-in ones."""
    return Preferences.load(floor_defaults_settings(org, app))


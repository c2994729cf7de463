"""Language of the UI: Chinese or English, from ``--lang`` or the system locale.

Every visible string goes through Qt's translator; one language per run, so a screen
never mixes them. Numbers follow the same locale (QLocale.setDefault).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

CATALOGUE = "command_center"


def resolve_lang(arg: str | None, system: QLocale | None = None) -> str:
    """'zh' or 'en': the argument when given, else zh* system locales → Chinese."""
    if arg:
        if arg not in ("zh", "en"):
            raise ValueError(f"unknown language {arg!r}; expected zh or en")
        return arg
    name = (system or QLocale.system()).name()
    return "zh" if name.lower().startswith("zh") else "en"


def i18n_dir() -> Path:
    """resources/i18n from a source tree, an installed package or a PyInstaller bundle."""
    import resources

    return resources.root() / "i18n"


def locale_for(lang: str) -> QLocale:
    if lang == "zh":
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def install(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install the app's and Qt's own translators for ``lang``; returns them (keep a reference)."""
    QLocale.setDefault(locale_for(lang))
    if lang != "zh":
        return []
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    qm = i18n_dir() / f"{CATALOGUE}_zh_CN.qm"
    if ours.load(str(qm)):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("Chinese translation %s not found; the UI stays in English", qm)
    qt = QTranslator(app)
    if qt.load(locale_for("zh"), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def fmt_int(value: int | None) -> str:
    return "—" if value is None else QLocale().toString(int(value))


def fmt_percent(ratio: float | None) -> str:
    """A fraction as a percentage with one decimal in the locale; None (empty ratio) → '—'."""
    if ratio is None:
        return "—"
    return QLocale().toString(ratio * 100.0, "f", 1) + "%"


def uninstall(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Remove translators installed by ``install`` (tests switch language within one run)."""
    for translator in translators:
        app.removeTranslator(translator)
    QLocale.setDefault(locale_for("en"))

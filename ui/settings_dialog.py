"""The settings dialog (issue 12 point 7): language, colours, service-level formula, the
wall's page period, the alerts (each switchable, volume, mute, a "Play" to hear each) and
the desk's notification; "Floor defaults" puts back the administrator's defaults.

The dialog only edits a Preferences value; the shell saves and applies it
(ui.preferences explains the two INI files). Choosing which queues and teams a desk and
wall watch ("my floor", issue 12 point 2) is not built yet: its place is shown, disabled,
and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from supervisor.kpi.report import FORMULAS
from ui import formula as formulas
from ui.alerts import KINDS, AlertSettings, kind_name
from ui.preferences import LANGUAGES, PAGE_S_RANGE, Preferences
from widgets.palette import PALETTES


class SettingsDialog(QDialog):
    """Edits ``prefs``; ``chosen()`` is the result. ``preview(kind, volume)`` plays a chime."""

    def __init__(self, prefs: Preferences, floor: Preferences, *, defaults_file: str = "",
                 preview: Callable[[str, int], bool] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._floor = floor
        self._preview = preview
        lay = QVBoxLayout(self)

        general = QGroupBox(self.tr("Screens"), self)
        form = QFormLayout(general)
        self.language = QComboBox(general)
        self.language.setObjectName("language")
        for code, label in zip(LANGUAGES, (self.tr("Follow the system"), "中文", "English")):
            self.language.addItem(label, code)
        form.addRow(self.tr("&Language"), self.language)
        lang_note = QLabel(self.tr("A new language shows the next time Command Center starts."), general)
        lang_note.setProperty("role", "muted")
        lang_note.setWordWrap(True)
        form.addRow("", lang_note)
        self.colours = QComboBox(general)
        self.colours.setObjectName("palette")
        names = {"default": self.tr("Default (green, amber, red)"),
                 "colorblind": self.tr("Colour-blind safe (blue, orange)")}
        for code in PALETTES:
            self.colours.addItem(names[code], code)
        form.addRow(self.tr("&Colours"), self.colours)
        self.formula = QComboBox(general)
        self.formula.setObjectName("formula")
        for f in FORMULAS:
            self.formula.addItem(formulas.short_name(f), f)
            self.formula.setItemData(self.formula.count() - 1, formulas.expression(f), Qt.ItemDataRole.ToolTipRole)
        form.addRow(self.tr("Service level &formula"), self.formula)
        self.page_s = QSpinBox(general)
        self.page_s.setObjectName("wallPageSeconds")
        self.page_s.setRange(*PAGE_S_RANGE)
        self.page_s.setSuffix(self.tr(" s"))
        form.addRow(self.tr("Wall &page shown for"), self.page_s)
        lay.addWidget(general)

        sound = QGroupBox(self.tr("Alerts"), self)
        grid = QFormLayout(sound)
        self.kind_boxes: dict[str, QCheckBox] = {}
        self.play_buttons: dict[str, QPushButton] = {}
        for kind in KINDS:
            row = QHBoxLayout()
            box = QCheckBox(kind_name(kind), sound)
            box.setObjectName(f"alert_{kind}")
            play = QPushButton(self.tr("Play"), sound)
            play.setObjectName(f"play_{kind}")
            play.setAccessibleName(self.tr("Play: %1").replace("%1", kind_name(kind)))
            play.clicked.connect(lambda _=False, k=kind: self._play(k))
            row.addWidget(box, 1)
            row.addWidget(play)
            grid.addRow(row)
            self.kind_boxes[kind] = box
            self.play_buttons[kind] = play
        volume_row = QHBoxLayout()
        self.volume = QSlider(Qt.Orientation.Horizontal, sound)
        self.volume.setObjectName("volume")
        self.volume.setRange(0, 100)
        self.volume.setPageStep(10)
        self.volume_label = QLabel(sound)
        self.volume.valueChanged.connect(lambda v: self.volume_label.setText(f"{v}%"))
        self.volume.setAccessibleName(self.tr("Volume"))
        volume_row.addWidget(self.volume, 1)
        volume_row.addWidget(self.volume_label)
        volume_label = QLabel(self.tr("&Volume"), sound)
        volume_label.setBuddy(self.volume)
        grid.addRow(volume_label, volume_row)
        self.muted = QCheckBox(self.tr("&Mute all alerts"), sound)
        self.muted.setObjectName("muted")
        grid.addRow(self.muted)
        self.tray = QCheckBox(self.tr("Desktop &notification for an escalation due within 15 minutes"), sound)
        self.tray.setObjectName("tray")
        grid.addRow(self.tray)
        quiet = QLabel(self.tr("Nothing sounds while the data is stale."), sound)
        quiet.setProperty("role", "muted")
        grid.addRow(quiet)
        lay.addWidget(sound)

        scope = QGroupBox(self.tr("My floor"), self)
        scope.setObjectName("scope")
        scope_lay = QVBoxLayout(scope)
        scope_text = QLabel(self.tr("All queues and teams. Choosing the queues and teams this desk and wall "
                                    "watch is not available yet."), scope)
        scope_text.setWordWrap(True)
        scope_lay.addWidget(scope_text)
        scope.setEnabled(False)
        lay.addWidget(scope)

        where = Path(defaults_file).name and defaults_file
        exists = bool(defaults_file) and Path(defaults_file).is_file()
        self.defaults_note = QLabel(self)
        self.defaults_note.setObjectName("defaultsNote")
        self.defaults_note.setWordWrap(True)
        self.defaults_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.defaults_note.setText(
            (self.tr("Floor defaults from %1") if exists else self.tr("No floor defaults file (%1)"))
            .replace("%1", where or "—"))
        self.defaults_note.setProperty("role", "muted")
        lay.addWidget(self.defaults_note)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.restore_button.setText(self.tr("&Floor defaults"))
        self.restore_button.clicked.connect(self.restore_floor_defaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.show_prefs(prefs)

    def show_prefs(self, prefs: Preferences) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        self.colours.setCurrentIndex(max(0, self.colours.findData(prefs.palette)))
        self.formula.setCurrentIndex(max(0, self.formula.findData(prefs.formula)))
        self.page_s.setValue(prefs.wall_page_s)
        for kind, box in self.kind_boxes.items():
            box.setChecked(bool(getattr(prefs.alerts, kind)))
        self.volume.setValue(prefs.alerts.volume)
        self.volume_label.setText(f"{prefs.alerts.volume}%")
        self.muted.setChecked(prefs.alerts.muted)
        self.tray.setChecked(prefs.alerts.tray)

    def restore_floor_defaults(self) -> None:
        self.show_prefs(self._floor)

    def chosen(self) -> Preferences:
        alerts = AlertSettings(**{k: box.isChecked() for k, box in self.kind_boxes.items()},
                               volume=self.volume.value(), muted=self.muted.isChecked(), tray=self.tray.isChecked())
        return replace(Preferences(), language=str(self.language.currentData()),
                       palette=str(self.colours.currentData()), wall_page_s=self.page_s.value(),
                       formula=str(self.formula.currentData()), alerts=alerts)

    def _play(self, kind: str) -> None:
        if self._preview is not None:
            self._preview(kind, self.volume.value())

"""The settings dialog (issue 12 point 7): language, colours, service-level formula, the
wall's page period, the alerts (each switchable, volume, mute, a "Play" to hear each) and
the desk's notification, and my floor (issue 12 point 2: the queues and teams this desk
and its wall watch, ticked in two lists of what the floor knows, by the server's names;
none ticked: all); "Floor defaults" puts back the administrator's defaults.

The dialog only edits a Preferences value; the shell saves and applies it
(ui.preferences explains the two INI files).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from supervisor.kpi.report import FORMULAS
from ui import formula as formulas
from ui.alerts import KINDS, AlertSettings, kind_name
from ui import names as display
from ui.preferences import LANGUAGES, PAGE_S_RANGE, Preferences
from ui.scope import Scope
from widgets.palette import PALETTES


class SettingsDialog(QDialog):
    """Edits ``prefs``; ``chosen()`` is the result. ``preview(kind, volume)`` plays a chime.
    ``queues`` (id, the server's name) and ``teams`` (as the server names them): what the
    floor knows, offered for my floor; ``run_scope``: the scope this run was given on the
    command line (shown; what is ticked here is kept for the next runs)."""

    def __init__(self, prefs: Preferences, floor: Preferences, *, defaults_file: str = "",
                 preview: Callable[[str, int], bool] | None = None, parent: QWidget | None = None,
                 queues: Sequence[tuple[str, str]] = (), teams: Sequence[str] = (),
                 run_scope: Scope | None = None) -> None:
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

        lay.addWidget(self._build_scope(queues, teams, run_scope))

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
        for widget, chosen in ((self.scope_queues, prefs.scope.queues), (self.scope_teams, prefs.scope.teams)):
            _add_missing(widget, chosen or ())
            for i in range(widget.count()):
                item = widget.item(i)
                item.setCheckState(Qt.CheckState.Checked if chosen and item.data(Qt.ItemDataRole.UserRole) in chosen
                                   else Qt.CheckState.Unchecked)

    def restore_floor_defaults(self) -> None:
        self.show_prefs(self._floor)

    def chosen(self) -> Preferences:
        alerts = AlertSettings(**{k: box.isChecked() for k, box in self.kind_boxes.items()},
                               volume=self.volume.value(), muted=self.muted.isChecked(), tray=self.tray.isChecked())
        return replace(Preferences(), language=str(self.language.currentData()),
                       palette=str(self.colours.currentData()), wall_page_s=self.page_s.value(),
                       formula=str(self.formula.currentData()), alerts=alerts,
                       scope=Scope(_ticked(self.scope_queues), _ticked(self.scope_teams)))

    def _build_scope(self, queues: Sequence[tuple[str, str]], teams: Sequence[str],
                     run_scope: Scope | None) -> QGroupBox:
        box = QGroupBox(self.tr("My floor"), self)
        box.setObjectName("scope")
        grid = QGridLayout(box)
        self.scope_queues = QListWidget(box)
        self.scope_queues.setObjectName("scopeQueues")
        self.scope_teams = QListWidget(box)
        self.scope_teams.setObjectName("scopeTeams")
        for widget, values, label in ((self.scope_queues, [(q, display.queue(q, n)) for q, n in queues],
                                       self.tr("&Queues")),
                                      (self.scope_teams, [(t, display.team(t)) for t in teams], self.tr("&Teams"))):
            widget.setAccessibleName(label.replace("&", ""))
            widget.setMaximumHeight(130)
            for value, text in values:
                _add_item(widget, value, text)
            title = QLabel(label, box)
            title.setBuddy(widget)
            column = 0 if widget is self.scope_queues else 1
            grid.addWidget(title, 0, column)
            grid.addWidget(widget, 1, column)
        note = QLabel(self.tr("Tick the queues and teams this desk and its wall watch; none ticked: all. "
                              "Escalations stay on screen for every department."), box)
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        grid.addWidget(note, 2, 0, 1, 2)
        if run_scope is not None:
            run_note = QLabel(self.tr("This run shows the scope given on the command line (%1); "
                                      "what is ticked here is kept for the next runs.")
                              .replace("%1", run_scope.describe(dict(queues))), box)
            run_note.setObjectName("runScopeNote")
            run_note.setWordWrap(True)
            grid.addWidget(run_note, 3, 0, 1, 2)
        return box

    def _play(self, kind: str) -> None:
        if self._preview is not None:
            self._preview(kind, self.volume.value())


def _add_item(widget: QListWidget, value: str, text: str) -> None:
    item = QListWidgetItem(text, widget)
    item.setData(Qt.ItemDataRole.UserRole, value)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)


def _add_missing(widget: QListWidget, values: Sequence[str]) -> None:
    """A remembered queue or team the floor does not know (yet): listed as it was given."""
    have = {widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())}
    for value in values:
        if value not in have:
            _add_item(widget, value, value)


def _ticked(widget: QListWidget) -> tuple[str, ...] | None:
    out = tuple(str(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked)
    return out or None

"""The running desktop: the live floor, the desk window, the wall display and the feed
thread, wired together; switching between desk and wall; clean shutdown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ui import formula as formulas
from ui.alerts import AlertSettings, Alerts, ChimePlayer, DeskNotifier
from ui.bridge import FeedBridge
from ui.clock import ServerClock
from ui.desk_actions import DeskActions
from ui.inbox import Inbox
from ui.preferences import Preferences, admin_defaults_file, floor_defaults
from ui.scope import Scope, queue_names
from ui.settings_dialog import SettingsDialog
from ui.live import LiveFloor
from ui.main_window import MainWindow
from ui.wall import WallDisplay

log = logging.getLogger(__name__)


class Shell(QObject):
    """Composition root of one desktop session (collaborators passed in, none global)."""

    def __init__(
        self,
        settings: QSettings | None,
        *,
        bridge_factory: Callable[[Inbox], FeedBridge] | None = None,
        clock: ServerClock | None = None,
        beep: bool = True,
        on_shutdown: Callable[[], None] | None = None,
        db_url: str | None = None,
        lang: str = "en",
        formula: str | None = None,
        scope: Scope | None = None,
    ) -> None:
        """``formula``: ``--formula`` (this run only); else the one remembered in ``settings``.
        ``scope``: ``--queues``/``--teams`` (this run only, never saved); else my floor as
        remembered in ``settings``, else all.
        ``beep``: the alert chimes (False: a silent desktop; the desk still notifies)."""
        super().__init__()
        self.inbox = Inbox()
        self.live = LiveFloor(self.inbox, clock=clock)
        self._settings = settings
        self.live.set_formula(formulas.resolve(formula, settings))
        self.run_scope = scope  # given for this run: not saved by the settings dialog
        self.live.set_scope(scope if scope is not None else Scope.load(settings))
        self.window = MainWindow(self.live, settings)
        # the chimes come from the alerts, for desk and wall alike (the wall does not beep itself)
        self.wall = WallDisplay(self.live, beep=False)
        self.alerts = Alerts(self.live, ChimePlayer(self) if beep else None, AlertSettings.load(settings),
                             parent=self)
        self.notifier = DeskNotifier(self.alerts, self.window)
        self.wall.set_page_period(Preferences.load(settings).wall_page_s)
        self.settings_dialog: SettingsDialog | None = None
        self.bridge = bridge_factory(self.inbox) if bridge_factory is not None else None
        if self.bridge is not None:
            self.bridge.set_formula(self.live.formula)  # before it starts: its first report uses it
            self.bridge.set_scope(self.live.scope.queues, self.live.scope.teams)
        self.live.formula_changed.connect(self._on_formula_changed)
        self.live.scope_changed.connect(self._on_scope_changed)
        self.actions = DeskActions(self.live, self.window, db_url, lang, self.bridge)
        self._on_shutdown = on_shutdown
        self._down = False
        self.window.wall_requested.connect(self.show_wall)
        self.wall.exit_requested.connect(self.show_desk)
        self.window.export_requested.connect(self._on_window_export)
        self.window.case_requested.connect(self._on_window_case)
        self.window.board_requested.connect(self.actions.open_board)
        self.window.settings_requested.connect(self.open_settings)
        self.window.destroyed.connect(self.shutdown)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def start(self, wall: bool = False) -> None:
        self.live.start_clock()
        if self.bridge is not None:
            self.bridge.start()
        if wall:
            self.show_wall()
        else:
            self.show_desk()

    def show_wall(self) -> None:
        # Cover the whole screen even where no window manager honours "full screen" (a
        # kiosk X session on a wall PC): the geometry first, then the full-screen state.
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.wall.setGeometry(screen.geometry())
        self.window.hide()  # its timers stop while hidden
        self.wall.showFullScreen()
        self.wall.activateWindow()

    def show_desk(self) -> None:
        self.wall.hide()
        self.window.show()
        self.window.activateWindow()

    def _on_formula_changed(self, formula: str) -> None:
        """Chosen on the desk: today's figures recomputed at once, and remembered."""
        if self.bridge is not None:
            self.bridge.set_formula(formula)
        formulas.remember(self._settings, formula)

    def _on_scope_changed(self, scope: Scope) -> None:
        """My floor changed: today's figures recomputed over it at once on the feed thread."""
        if self.bridge is not None:
            self.bridge.set_scope(scope.queues, scope.teams)

    def open_settings(self) -> SettingsDialog:
        """The settings dialog over the desk; OK saves and applies what it can at once."""
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            return self.settings_dialog
        prefs = Preferences.load(self._settings).with_(formula=self.live.formula)
        floor = self.live.floor
        dialog = SettingsDialog(prefs, floor_defaults(), defaults_file=admin_defaults_file(),
                                preview=self.alerts.preview, parent=self.window,
                                queues=list(queue_names(floor).items()),
                                teams=sorted({a.team for a in floor.agents.values() if a.team}),
                                run_scope=self.run_scope)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.chosen()))
        dialog.finished.connect(self._on_settings_closed)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def _on_settings_closed(self, _result: int) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
            self.settings_dialog = None

    def apply_preferences(self, prefs: Preferences) -> None:
        """Save ``prefs`` (over the floor's defaults) and apply them: the alerts, the colours,
        the formula, the wall's page period and my floor at once; the language at the next
        start. A scope given on the command line stays for this run unless the scope itself
        was changed in the dialog."""
        from ui import look

        if self.run_scope is None or prefs.scope != Preferences.load(self._settings).scope:
            self.live.set_scope(prefs.scope)
        self.live.set_formula(prefs.formula)
        self.alerts.set_settings(prefs.alerts)
        self.wall.set_page_period(prefs.wall_page_s)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            look.apply_palette(app, prefs.palette)
        prefs.save(self._settings, floor_defaults())

    def _on_window_export(self) -> None:
        self.actions.open_export()

    def _on_window_case(self, key: str) -> None:
        self.actions.open_case(key)

    def shutdown(self) -> None:
        """Stop the feed (flushes the journal), join its thread, close the store; once."""
        if self._down:
            return
        self._down = True
        self.live.stop_clock()
        self.notifier.close()
        if self.settings_dialog is not None:
            self.settings_dialog.close()
        self.actions.close()
        if self.bridge is not None:
            self.bridge.stop()
        if self._on_shutdown is not None:
            self._on_shutdown()
        self.wall.close()

    def dispose(self) -> None:
        """Delete the windows while the QApplication still exists (PySide crashes if Python
        frees them after it, and hide events would reach half-finalised widgets)."""
        from PySide6.QtCore import QEvent

        self.shutdown()
        for widget in (self.window, self.wall):
            widget.close()
            widget.deleteLater()
        self.deleteLater()
        app = QApplication.instance()
        if app is not None:
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()

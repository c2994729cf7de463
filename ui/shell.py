"""The running desktop: the live floor, the desk window, the wall display and the feed
thread, wired together; switching between desk and wall; clean shutdown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QApplication

from ui.bridge import FeedBridge
from ui.clock import ServerClock
from ui.inbox import Inbox
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
    ) -> None:
        super().__init__()
        self.inbox = Inbox()
        self.live = LiveFloor(self.inbox, clock=clock)
        self.window = MainWindow(self.live, settings)
        self.wall = WallDisplay(self.live, beep=beep)
        self.bridge = bridge_factory(self.inbox) if bridge_factory is not None else None
        self._on_shutdown = on_shutdown
        self._down = False
        self.window.wall_requested.connect(self.show_wall)
        self.wall.exit_requested.connect(self.show_desk)
        self.window.export_requested.connect(self._on_window_export)
        self.window.case_requested.connect(self._on_window_case)
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
        self.window.hide()  # its timers stop while hidden
        self.wall.showFullScreen()
        self.wall.activateWindow()

    def show_desk(self) -> None:
        self.wall.hide()
        self.window.show()
        self.window.activateWindow()

    def _on_window_export(self) -> None:
        # the workbook dialog comes with the export issue; the request is logged until then
        log.info("export requested")

    def _on_window_case(self, key: str) -> None:
        log.info("case requested: %s", key)

    def shutdown(self) -> None:
        """Stop the feed (flushes the journal), join its thread, close the store; once."""
        if self._down:
            return
        self._down = True
        self.live.stop_clock()
        if self.bridge is not None:
            self.bridge.stop()
        if self._on_shutdown is not None:
            self._on_shutdown()
        self.wall.close()

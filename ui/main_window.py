"""The desk window: waiting contacts in the centre, queues, agents, escalations and trends
in dock widgets a supervisor can rearrange or hide, remembered between runs (QSettings).

The status bar always says how live the data is; stale data (silence beyond 3 x the
server's heartbeat, or a relaying server that lost its source, with the reason) gets a
banner over the waiting list, dimmed figures and no flashes. A hole in the journal
(events lost in gaps no resume could fill) stays on the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QByteArray, QModelIndex, QSettings, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent, QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from supervisor import wire
from supervisor.kpi.report import FORMULAS
from ui import formula as formulas
from ui import names
from ui.figures import agent_state_counts, tile_figures, waiting_count
from ui.last_week import week_report
from ui.forecast_panel import ForecastPanel
from ui.live import LiveFloor
from ui.models.base import CASE_ROLE, FILTER_ROLE, ID_ROLE, SORT_ROLE, STATE_ROLE
from ui.models.breaches import BreachModel
from ui.models.escalations import EscalationModel
from ui.models.waiting import WaitingModel
from ui.scope import queue_names
from ui.status import Shown, StatusReader, describe, journal_hole_detail, journal_hole_text, missing_events
from ui.tiles_panel import QueueTilesPanel
from ui.trend_panel import TrendPanel
from widgets.connection_badge import ConnectionBadge
from widgets.flash import FlashController
from widgets.palette import THEMES
from widgets.sla_delegate import SlaStateDelegate
from widgets.stale_overlay import StaleBanner

if TYPE_CHECKING:
    from supervisor.floor import Changes
    from ui.kpi_today import KpiToday
    from ui.scope import Scope
    from ui.status import FeedState

SETTINGS_GEOMETRY = "main/geometry"
SETTINGS_STATE = "main/state"
STATE_VERSION = 1
STALE_OPACITY = 0.45  # the tables while their data is not live
BANNER_SCALE = 0.55  # the stale banner's type on the desk, relative to the wall's


def make_table(parent: QWidget, model: QAbstractItemModel, name: str) -> QTableView:
    """A read-only, row-selecting, sortable table with fixed row heights (fast at 2,000 rows)."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab goes on to the next panel; arrows move within the table
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    return view


class MainWindow(QMainWindow):
    """Composed from a ``LiveFloor``; emits requests the app (or later dialogs) act on."""

    case_requested = Signal(str)  # case id, or the row's call / agent / escalation id
    export_requested = Signal()
    board_requested = Signal()
    wall_requested = Signal()
    settings_requested = Signal()

    def __init__(self, live: LiveFloor, settings: QSettings | None = None,
                 parent: QWidget | None = None, *, monotonic: Callable[[], float] | None = None) -> None:
        """``monotonic``: the clock the feed's ``last_message_monotonic`` is on (tests step it)."""
        super().__init__(parent)
        self.live = live
        self._formula_shown: str | None = None  # the formula named on screen
        self._settings = settings
        self._reader = StatusReader(monotonic)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Command Center"))
        self.resize(1600, 1000)
        self.flash = FlashController(self)
        self._build_central()
        self._build_docks()
        self._build_actions()
        self._build_status_bar()
        # every table of live figures dims while its data is not live (the charts show history)
        self._dims: list[QGraphicsOpacityEffect] = []
        for view in (self.waiting_view, self.agents_view, self.escalations_view, self.breaches_view):
            effect = QGraphicsOpacityEffect(view)
            effect.setOpacity(STALE_OPACITY)
            effect.setEnabled(False)
            view.setGraphicsEffect(effect)
            self._dims.append(effect)
        self._shown = describe(None)
        self._refresh = QTimer(self)
        self._refresh.setInterval(1000)
        self._refresh.timeout.connect(self._on_refresh_timeout)
        live.changed.connect(self._on_live_changed)
        live.status_changed.connect(self._on_live_status)
        live.kpi_changed.connect(self._on_live_kpi)
        live.formula_changed.connect(self._on_formula_changed)
        live.scope_changed.connect(self._on_scope_changed)
        live.waiting.sla_crossed.connect(self._on_waiting_crossed)
        self._tiles_dirty = True
        self._restore()
        self._show_formula()
        self._show_scope()
        self._on_refresh_timeout()

    # ------------------------------------------------------------------ building

    def _build_central(self) -> None:
        central = QWidget(self)
        lay = QVBoxLayout(central)
        lay.setContentsMargins(6, 6, 6, 6)
        self.waiting_title = QLabel(central)
        self.waiting_title.setObjectName("panelTitle")
        lay.addWidget(self.waiting_title)
        self.banner = StaleBanner(theme="normal", scale=BANNER_SCALE, parent=central)
        self.banner.setObjectName("staleBanner")
        self.banner.hide()
        lay.addWidget(self.banner)
        self.waiting_view = make_table(central, self.live.waiting_sorted, "waitingView")
        # the wait cell carries the state chip (colour, symbol, word), flashes once when its
        # contact crosses the SLA and stays marked afterwards. (A row-wide flash delegate
        # paints every cell in Python: too slow for the desk's 1,000 rows; the wall has it.)
        self.waiting_view.setItemDelegateForColumn(WaitingModel.WAIT, SlaStateDelegate(
            self.waiting_view, state_role=STATE_ROLE, key_role=ID_ROLE, flash=self.flash))
        self.waiting_view.hideColumn(WaitingModel.SLA)  # the wait cell carries the SLA chip
        self.waiting_view.sortByColumn(WaitingModel.BREACH_IN, Qt.SortOrder.AscendingOrder)
        self.waiting_view.activated.connect(self._on_row_activated)
        header = self.waiting_view.horizontalHeader()
        for col, width in ((WaitingModel.QUEUE, 130), (WaitingModel.CHANNEL, 70),
                           (WaitingModel.CUSTOMER, 110), (WaitingModel.VIP, 60),
                           (WaitingModel.CASE, 130), (WaitingModel.WAIT, 170)):
            header.resizeSection(col, width)
        lay.addWidget(self.waiting_view)
        self.setCentralWidget(central)

    def _dock(self, name: str, title: str, widget: QWidget,
              area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState keys docks by object name
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.tiles = QueueTilesPanel(self)
        self.queues_dock = self._dock("queuesDock", self.tr("Queues"), self.tiles,
                                      Qt.DockWidgetArea.TopDockWidgetArea)
        # agents: filters over the proxy, then the board
        board = QWidget(self)
        lay = QVBoxLayout(board)
        lay.setContentsMargins(4, 4, 4, 4)
        filters = QHBoxLayout()
        self.team_filter = QComboBox(board)
        self.team_filter.setObjectName("teamFilter")
        self.skill_filter = QComboBox(board)
        self.skill_filter.setObjectName("skillFilter")
        self.state_filter = QComboBox(board)
        self.state_filter.setObjectName("stateFilter")
        self.state_filter.addItem(self.tr("All states"), None)
        for state in wire.AGENT_STATES:
            self.state_filter.addItem(names.agent_state(state), state)
        for combo, label in ((self.team_filter, self.tr("Team")), (self.skill_filter, self.tr("Queue")),
                             (self.state_filter, self.tr("State"))):
            filters.addWidget(QLabel(label, board))
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self._on_agent_filter_changed)
        lay.addLayout(filters)
        self.agents_view = make_table(board, self.live.agents_filtered, "agentsView")
        self.agents_view.activated.connect(self._on_row_activated)
        lay.addWidget(self.agents_view)
        self.agents_dock = self._dock("agentsDock", self.tr("Agents"), board,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.escalations_view = make_table(self, self.live.escalations_sorted, "escalationsView")
        self.escalations_view.sortByColumn(EscalationModel.DUE, Qt.SortOrder.AscendingOrder)  # due first
        self.escalations_view.activated.connect(self._on_row_activated)
        self.escalations_dock = self._dock("escalationsDock", self.tr("Escalations"),
                                           self.escalations_view, Qt.DockWidgetArea.RightDockWidgetArea)
        self._build_breaches()
        self.trends = TrendPanel(self.live, self)
        self.trends_dock = self._dock("trendsDock", self.tr("Trends"), self.trends,
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        # the live forecast (issue 11): a tab beside the trends
        self.forecast = ForecastPanel(self.live, self)
        self.forecast_dock = self._dock("forecastDock", self.tr("Forecast"), self.forecast,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.trends_dock, self.forecast_dock)
        self.trends_dock.raise_()
        self.resizeDocks([self.agents_dock], [640], Qt.Orientation.Horizontal)
        self.resizeDocks([self.agents_dock, self.escalations_dock], [420, 260], Qt.Orientation.Vertical)
        self.resizeDocks([self.trends_dock, self.queues_dock], [260, 150], Qt.Orientation.Vertical)
        self._refill_filters()

    def _build_breaches(self) -> None:
        """Today's SLA breaches, a tab beside the escalations; a row opens its call's case."""
        self.breaches = BreachModel(self.live.floor, self)
        proxy = self.breaches_sorted = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.breaches)
        proxy.setSortRole(SORT_ROLE)
        proxy.setDynamicSortFilter(True)
        proxy.setFilterKeyColumn(-1)
        proxy.setFilterRole(FILTER_ROLE)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.breaches_view = make_table(self, proxy, "breachesView")
        self.breaches_view.sortByColumn(BreachModel.QUEUED, Qt.SortOrder.DescendingOrder)  # newest first
        header = self.breaches_view.horizontalHeader()
        for col, width in ((BreachModel.QUEUED, 92), (BreachModel.QUEUE, 165), (BreachModel.CHANNEL, 70),
                           (BreachModel.CUSTOMER, 85), (BreachModel.WAIT, 70)):
            header.resizeSection(col, width)
        # the call id, not a case id the list may have learnt earlier: the desk resolves the
        # call to its case now (journal and floor), or says plainly that it has none
        self.breaches_view.activated.connect(self._on_breach_activated)
        self.breaches_dock = self._dock("breachesDock", self.tr("SLA breaches today"), self.breaches_view,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.escalations_dock, self.breaches_dock)
        self.escalations_dock.raise_()
        self.live.kpi_changed.connect(self.breaches.on_kpi)
        self.live.ticked.connect(self.breaches.tick)
        if self.live.kpi is not None:  # a report that arrived before this window
            self.breaches.on_kpi(self.live.kpi)

    def _build_actions(self) -> None:
        bar = QToolBar(self.tr("Tools"), self)
        bar.setObjectName("toolsBar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search contacts, agents, escalations (Ctrl+F)"))
        self.search.setMaximumWidth(420)
        self.search.textChanged.connect(self._on_search_text_changed)
        bar.addWidget(self.search)
        self.find_action = QAction(self.tr("Search"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._on_find_triggered)
        self.export_action = QAction(self.tr("Export…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.export_requested)
        self.wall_action = QAction(self.tr("Wall display"), self)
        self.wall_action.setShortcut(QKeySequence("F11"))
        self.wall_action.triggered.connect(self.wall_requested)
        self.board_action = QAction(self.tr("Escalation board"), self)
        self.board_action.setShortcut(QKeySequence("Ctrl+B"))
        self.board_action.triggered.connect(self.board_requested)
        self.quit_action = QAction(self.tr("&Quit"), self)
        # Ctrl+Q where the platform has no standard quit key (Windows, a bare X session)
        self.quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
                                      or [QKeySequence("Ctrl+Q")])
        self.quit_action.triggered.connect(self.close)
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.settings_requested)
        for action in (self.export_action, self.board_action, self.wall_action):
            bar.addAction(action)
        # my floor, when one is chosen: said where the eye goes first (ui.scope)
        spacer = QWidget(bar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.scope_label = QLabel(bar)
        self.scope_label.setObjectName("scopeLabel")
        accent = THEMES["normal"]["accent"]
        self.scope_label.setStyleSheet(f"QLabel#scopeLabel {{ color: {accent}; font-weight: bold; "
                                       f"border: 1px solid {accent}; border-radius: 3px; padding: 2px 8px; }}")
        self.scope_label.setToolTip(self.tr("Only these queues' contacts and these teams' agents are shown, "
                                            "in the tiles, tables, breach list and per-interval charts; "
                                            "escalations of every department stay, and the waiting-contacts "
                                            "curve is the whole floor's. File ▸ Settings… changes it."))
        self._scope_action = bar.addWidget(self.scope_label)
        self._scope_action.setVisible(False)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self.find_action)
        view_menu.addAction(self.wall_action)
        view_menu.addAction(self.board_action)
        view_menu.addSeparator()
        for dock in (self.queues_dock, self.agents_dock, self.escalations_dock, self.breaches_dock,
                     self.trends_dock, self.forecast_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        # KPI.md: the service-level formula is switchable; three checkable actions, one checked
        formula_menu = self.formula_menu = view_menu.addMenu(self.tr("Service level &formula"))
        formula_menu.setObjectName("formulaMenu")
        formula_menu.setToolTipsVisible(True)
        self.formula_group = QActionGroup(self)
        self.formula_group.setExclusive(True)
        self.formula_actions: dict[str, QAction] = {}
        for f in FORMULAS:
            action = QAction(formulas.short_name(f), self)
            action.setObjectName(f"formula_{f}")
            action.setCheckable(True)
            action.setChecked(f == self.live.formula)
            action.setData(f)
            action.setToolTip(formulas.expression(f))
            action.setStatusTip(formulas.described(f))
            self.formula_group.addAction(action)
            formula_menu.addAction(action)
            self.formula_actions[f] = action
        self.formula_group.triggered.connect(self._on_formula_triggered)
        self.addAction(self.find_action)
        self._build_keyboard()

    def _build_keyboard(self) -> None:
        """Every panel a keystroke away (Alt+1…4 in View ▸ Go to), Tab through the rest in
        reading order; Enter on a row opens its case like a double click."""
        go_menu = self.go_menu = self.view_menu.addMenu(self.tr("&Go to"))
        go_menu.setObjectName("goMenu")
        self.go_actions: list[QAction] = []
        for n, (label, view, dock) in enumerate((
                (self.tr("Waiting contacts"), self.waiting_view, None),
                (self.tr("Agents"), self.agents_view, self.agents_dock),
                (self.tr("Escalations"), self.escalations_view, self.escalations_dock),
                (self.tr("SLA breaches today"), self.breaches_view, self.breaches_dock)), start=1):
            action = QAction(label, self)
            action.setShortcut(QKeySequence(f"Alt+{n}"))
            action.triggered.connect(lambda _=False, v=view, d=dock: self._go_to(v, d))
            go_menu.addAction(action)
            self.addAction(action)  # works while the menu bar is hidden too
            self.go_actions.append(action)
        chain = (self.search, self.waiting_view, self.team_filter, self.skill_filter, self.state_filter,
                 self.agents_view, self.escalations_view, self.breaches_view)
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _go_to(self, view: QTableView, dock: QDockWidget | None) -> None:
        if dock is not None:
            dock.show()
            dock.raise_()  # a tab behind another comes to the front
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not view.currentIndex().isValid() and view.model().rowCount() > 0:
            view.setCurrentIndex(view.model().index(0, 0))

    def _build_status_bar(self) -> None:
        self.badge = ConnectionBadge(theme="normal", parent=self)
        self.badge.setObjectName("connectionBadge")
        self.statusBar().addWidget(self.badge)
        # what the badge cannot say: retry countdown, why not connected
        self.connection = QLabel(self)
        self.connection.setObjectName("connectionState")
        self.user_label = QLabel(self)
        self.counts_label = QLabel(self)
        # a hole in the journal stays on screen as long as it exists (it does not heal)
        self.journal_label = QLabel(self)
        self.journal_label.setObjectName("journalHole")
        self.journal_label.setStyleSheet(f"color: {THEMES['normal']['breached']}; font-weight: bold;")
        self.journal_label.hide()
        self.statusBar().addPermanentWidget(self.journal_label)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addWidget(self.connection, 1)

    def set_demo_title(self, seed: int) -> None:
        self.setWindowTitle(self.tr("Command Center — demo (seed %1)").replace("%1", str(seed)))

    # ------------------------------------------------------------------ settings

    def _restore(self) -> None:
        if self._settings is None:
            return
        geometry = self._settings.value(SETTINGS_GEOMETRY)
        state = self._settings.value(SETTINGS_STATE)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state, STATE_VERSION)

    def save_settings(self) -> None:
        if self._settings is None:
            return
        self._settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self._settings.setValue(SETTINGS_STATE, self.saveState(STATE_VERSION))
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_settings()
        super().closeEvent(event)

    # ------------------------------------------------------------------ timers follow visibility

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._refresh.start()
        self.trends.set_active(True)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self._refresh.stop()
        self.trends.set_active(False)

    # ------------------------------------------------------------------ slots

    def _on_live_changed(self, changes: Changes) -> None:
        self._tiles_dirty = True
        if changes.reset or changes.queues_changed:
            self._refill_filters()
        elif changes.agents_changed:
            # a new team among the changed agents only: not a pass over 10,000 agents a batch
            agents, teams = self.live.floor.agents, self._teams
            if any((a := agents.get(k)) is not None and a.team and a.team not in teams
                   for k in changes.agents_changed):
                self._refill_filters()
        self._update_titles()

    def _on_live_status(self, status: FeedState | None) -> None:
        was_live = self._shown.data_live
        self._show_status(self._reader.read(status))
        if self._shown.data_live != was_live:
            self._show_tiles()  # grey and marked stale now, not on the next second
        user = None if status is None else status.user
        if user is not None:
            role = {"floor_supervisor": self.tr("Floor supervisor"), "duty_lead": self.tr("Duty lead"),
                    "manager": self.tr("Manager")}.get(user.role, "")
            name = user.name or user.id
            self.user_label.setText(name if role and role in name else f"{name} · {role}")

    def _on_live_kpi(self, _report: KpiToday) -> None:
        self._tiles_dirty = True
        self._show_formula()  # the report names the formula its figures were computed with
        self._update_titles()  # the breach count in the dock's title (its rows are already updated)

    def _on_formula_triggered(self, action: QAction) -> None:
        chosen = action.data()
        if isinstance(chosen, str):
            self.live.set_formula(chosen)  # the shell passes it to the feed thread and remembers it

    def _on_formula_changed(self, chosen: str) -> None:
        action = self.formula_actions.get(chosen)
        if action is not None and not action.isChecked():
            action.setChecked(True)
        self._show_formula()

    def _show_formula(self) -> None:
        """Name the service-level formula of the figures on screen beside every service level:
        the queue tiles' title and tooltips, the trend chart's title, the breach list's tooltip."""
        shown = self.live.shown_formula()
        if shown == self._formula_shown:
            return
        self._formula_shown = shown
        name = formulas.name(shown)
        self.queues_dock.setWindowTitle(self.tr("Queues · %1").replace("%1", name))
        self.queues_dock.toggleViewAction().setText(self.tr("Queues"))
        self.queues_dock.setToolTip(formulas.described(shown))
        self.trends.show_formula(shown)
        tip = self.tr("SLA breach: answered or abandoned after T, or still waiting past T "
                      "(whatever the formula).\nService level on screen: %1").replace(
                          "%1", formulas.described(shown))
        self.breaches_dock.setToolTip(tip)
        self.breaches_view.horizontalHeader().setToolTip(tip)
        self._tiles_dirty = True

    def _on_waiting_crossed(self, call_ids: list[str]) -> None:
        # no flash for a crossing computed from stale data: the row stays marked breached
        shown = self._reader.read(self.live.status)
        if not shown.data_live:
            self._show_status(shown)
            return
        for call_id in call_ids:
            self.flash.flash(call_id)

    def _on_refresh_timeout(self) -> None:
        self._show_status(self._reader.read(self.live.status))
        self._show_tiles()  # every second: the longest wait moves
        self._update_titles()
        self._show_scope_label()

    def _show_tiles(self) -> None:
        if self.live.floor.last_ts is not None:
            now = self.live.clock.now()
            kpi = self.live.kpi
            self.tiles.show_figures(tile_figures(self.live.floor, now, None if kpi is None else kpi.report,
                                                 self.live.shown_formula(), week_report(self.live.kpi),
                                                 self.live.scope),
                                    self._shown.data_live)
        self._tiles_dirty = False

    def _show_status(self, shown: Shown) -> None:
        self._shown = shown
        self.badge.set_state(shown.kind, None if shown.age_s is None else float(int(shown.age_s)))
        self.badge.setToolTip(shown.text)
        self.connection.setText(shown.text)
        self.connection.setToolTip(shown.detail)
        # the badge says live and stale; not why the data is stale when it is not silence
        self.connection.setVisible(shown.kind not in ("live", "stale") or bool(shown.reason))
        stale = shown.kind == "stale"
        if stale:
            self.banner.set_reason(shown.reason)
            self.banner.set_age(None if shown.age_s is None else float(int(shown.age_s)))
            if self.flash.active_keys():
                self.flash.clear()
        if self.banner.isHidden() == stale:
            self.banner.setVisible(stale)
        # a forecast is never shown from data that is not live (breach risks, the panel)
        self.live.waiting.set_live(shown.data_live)
        self.forecast.refresh(shown.data_live)
        dim = not shown.data_live and self.live.floor.last_ts is not None
        for effect in self._dims:
            if effect.isEnabled() != dim:
                effect.setEnabled(dim)
        missing = missing_events(self.live.status)
        if missing:
            self.journal_label.setText("⚠ " + journal_hole_text(missing))
            self.journal_label.setToolTip(journal_hole_detail())
        if self.journal_label.isHidden() == bool(missing):
            self.journal_label.setVisible(bool(missing))

    def _update_titles(self) -> None:
        floor, scope = self.live.floor, self.live.scope
        self.waiting_title.setText(self.tr("Waiting contacts: %1").replace("%1", str(waiting_count(floor, scope))))
        agents = len(floor.agents) if scope.whole else sum(agent_state_counts(floor, scope).values())
        self.counts_label.setText(self.tr("Agents %1 · Open escalations %2")
                                  .replace("%1", str(agents))
                                  .replace("%2", str(self.live.escalations.rowCount())))
        self.breaches_dock.setWindowTitle(self.tr("SLA breaches today: %1")
                                          .replace("%1", str(self.breaches.rowCount())))

    def _refill_filters(self) -> None:
        floor, scope = self.live.floor, self.live.scope
        self._teams = {a.team for a in floor.agents.values() if a.team}
        # within my floor: a team or queue outside it would only ever show an empty board
        teams = sorted(t for t in self._teams if scope.teams is None or t in scope.teams)
        skills = [q for q in floor.queues if scope.has_queue(q)]
        for combo, values, label in ((self.team_filter, teams, self.tr("All teams")),
                                     (self.skill_filter, skills, self.tr("All queues"))):
            current = combo.currentData()
            wanted = [None, *values]
            have = [combo.itemData(i) for i in range(combo.count())]
            if have == wanted:
                continue
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, None)
            for value in values:
                if combo is self.skill_filter:
                    queue = floor.queues.get(value)
                    combo.addItem(names.queue(value, queue.name if queue else ""), value)
                else:
                    combo.addItem(names.team(value), value)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
            combo.blockSignals(False)

    def _on_scope_changed(self, _scope: Scope) -> None:
        """My floor changed: the filters offer its teams and queues, the counts follow now."""
        self._refill_filters()
        self._on_agent_filter_changed(0)  # a team filter that left the scope fell back to all
        self._show_scope()
        self._show_tiles()
        self._update_titles()

    def _show_scope(self) -> None:
        """Escalations are not scoped (ui.scope): with a scope, their title says so."""
        whole = self.live.scope.whole
        self.escalations_dock.setWindowTitle(self.tr("Escalations") if whole
                                             else self.tr("Escalations (all departments)"))
        self.escalations_dock.toggleViewAction().setText(self.tr("Escalations"))
        self._show_scope_label()

    def _show_scope_label(self) -> None:
        """'我的范围: 信用卡服务 · 一组' in the toolbar while a scope is set (the server's names
        of the queues may come after the scope: refreshed with the counts)."""
        text = self.live.scope.describe(queue_names(self.live.floor))
        if text != self.scope_label.text():
            self.scope_label.setText(text)
            self.scope_label.setAccessibleName(text)
        if self._scope_action.isVisible() != bool(text):
            self._scope_action.setVisible(bool(text))

    def _on_agent_filter_changed(self, _index: int) -> None:
        proxy = self.live.agents_filtered
        proxy.set_team(self.team_filter.currentData())
        proxy.set_skill(self.skill_filter.currentData())
        state = self.state_filter.currentData()
        proxy.set_states(frozenset({state}) if state else None)

    def _on_search_text_changed(self, text: str) -> None:
        self.live.waiting_sorted.setFilterFixedString(text)
        self.live.escalations_sorted.setFilterFixedString(text)
        self.live.agents_filtered.set_text(text)
        self.breaches_sorted.setFilterFixedString(text)

    def _on_find_triggered(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_row_activated(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ROLE)
        key = case_id or index.data(ID_ROLE)
        if key:
            self.case_requested.emit(str(key))

    def _on_breach_activated(self, index: QModelIndex) -> None:
        call_id = index.data(ID_ROLE)
        if call_id:
            self.case_requested.emit(str(call_id))

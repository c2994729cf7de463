"""The wall display: one full screen, no chrome, readable from 3-8 m (UI.md).

Queue tiles, the most urgent waiting contacts, agent state counts and escalations due;
type scales with the screen height (72 / 28 / 24 px at 1080p); customer data always
masked (the models mask every customer field); an unmistakable STALE state (silence
beyond 3 x the server's heartbeat, or a relaying server that lost its source, with the
reason); a contact crossing its SLA flashes once (the desktop's alerts chime, ui/alerts.py;
``beep`` is for a wall used on its own), then stays marked. Nothing
flashes or beeps while the data is not live: stale figures never call for attention as
if they were current. Queue tiles rotate in pages with a page indicator when there are
more than fit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent, QKeyEvent, QResizeEvent, QScreen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsOpacityEffect,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import formula as formulas
from ui.figures import TileFigures, agent_state_counts, tile_figures, waiting_count
from ui.last_week import week_report
from ui.forecast_panel import ForecastLine
from ui.live import LiveFloor
from ui.models.base import ID_ROLE, STATE_ROLE
from ui.models.escalations import EscalationModel
from ui.models.waiting import WaitingModel
from ui.scope import calls_in_scope, queue_names
from ui.status import Shown, StatusReader
from ui.wall_rows import TopRows
from widgets.agent_state_bar import AgentStateBar
from widgets.connection_badge import ConnectionBadge
from widgets.flash import FlashController
from widgets.kpi_tile import KpiTile
from widgets.metrics import BASE_SCREEN_HEIGHT, HEADLINE_PX, LABEL_PX, TABLE_PX, scaled_px
from widgets.page_indicator import PageIndicator
from widgets.palette import THEMES
from widgets.sla_delegate import FlashRowDelegate, SlaStateDelegate
from widgets.stale_overlay import StaleBanner

if TYPE_CHECKING:
    from ui.scope import Scope

SCOPE_MAX_PX = 1860  # my floor's line under the title, at most (1080p; scaled)
TILES_PER_PAGE = 3  # queue tiles beside the "all queues" tile: wide enough for the sub-line
ROTATE_S = 12.0
# against burn-in on a screen that shows the same layout all day: the whole content moves
# by a few pixels every few minutes of the project's clock, round a small square
SHIFT_EVERY_S = 180.0
SHIFT_STEP_PX = 2  # at 1080p (scaled with the screen): at most 2 steps, 4 px, either way
SHIFT_CYCLE = ((0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2), (0, 1), (1, 1))
STALE_OPACITY = 0.35
WALL = THEMES["wall"]


def _wall_table(parent: QWidget, model: QAbstractItemModel, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.horizontalHeader().setSectionsClickable(False)
    return view


class WallDisplay(QWidget):
    exit_requested = Signal()

    def __init__(self, live: LiveFloor, *, beep: bool = True, monotonic: Callable[[], float] | None = None,
                 parent: QWidget | None = None) -> None:
        """``monotonic``: the clock the feed's ``last_message_monotonic`` is on (tests step it)."""
        super().__init__(parent)
        self.live = live
        self._beep = beep
        self._reader = StatusReader(monotonic)
        self.setObjectName("wallDisplay")
        self.setWindowTitle(self.tr("Command Center — wall display"))
        self.setAutoFillBackground(True)
        self.setCursor(Qt.CursorShape.BlankCursor)  # no interactive chrome, not even a pointer
        self.setStyleSheet(_stylesheet(1.0))
        self.scale = 1.0
        self.page = 0
        self.stale = False
        self.flash = FlashController(self)
        self.beeps = 0

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # the wall is as large as its screen, whatever its parts asked for at the previous
        # resolution (a 4K layout's minimum sizes would keep it from shrinking to 1080p)
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._outer = outer
        self.shift = (0, 0)  # the burn-in offset in use, in pixels
        self._page_queues: list[str] = []  # queue ids in page order
        self._watched_screen: QScreen | None = None
        outer.setSpacing(0)
        self.banner = StaleBanner(theme="wall", parent=self)
        self.banner.setObjectName("staleBanner")
        self.banner.hide()
        outer.addWidget(self.banner)
        self.content = QWidget(self)
        outer.addWidget(self.content, 1)

        lay = QVBoxLayout(self.content)
        self._lay = lay
        top = QHBoxLayout()
        self.title = QLabel(self.tr("Contact center"), self.content)
        self.title.setObjectName("wallTitle")
        self.clock = QLabel(self.content)
        self.clock.setObjectName("wallClock")
        self.connection = ConnectionBadge(theme="wall", parent=self.content)
        self.connection.setObjectName("wallConnection")
        top.addWidget(self.title, 1)
        top.addWidget(self.clock)
        top.addStretch(1)
        top.addWidget(self.connection)
        lay.addLayout(top)
        # my floor, when one is chosen (ui.scope): a line of its own under the title, in the
        # accent colour (beside the title it was squeezed by the clock); no line without one
        self.scope_label = QLabel(self.content)
        self.scope_label.setObjectName("wallScope")
        self.scope_label.setTextFormat(Qt.TextFormat.PlainText)
        self.scope_label.hide()
        self._scope_text = ""
        lay.addWidget(self.scope_label)

        self.tiles_row = QHBoxLayout()
        self.total_tile = KpiTile(theme="wall", parent=self.content)
        self.tiles_row.addWidget(self.total_tile, 1)
        self.queue_tiles = [KpiTile(theme="wall", parent=self.content) for _ in range(TILES_PER_PAGE)]
        for tile in self.queue_tiles:
            self.tiles_row.addWidget(tile, 1)
        lay.addLayout(self.tiles_row, 3)
        # under the tiles: which service level they show (KPI.md), and the page dots
        below = QGridLayout()
        self.formula_caption = QLabel(self.content)
        self.formula_caption.setObjectName("formulaCaption")
        self.formula_caption.setTextFormat(Qt.TextFormat.PlainText)
        self._formula: str | None = None
        self.dots = PageIndicator(theme="wall", parent=self.content)
        self.dots.setObjectName("pageDots")
        below.addWidget(self.formula_caption, 0, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        below.addWidget(self.dots, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        below.setColumnStretch(0, 1)
        lay.addLayout(below)
        # the live forecast, one big line (issue 11): the queue furthest below its target
        self.forecast_line = ForecastLine(live, self.content)
        lay.addWidget(self.forecast_line)

        body = QGridLayout()
        self.urgent_title = QLabel(self.content)
        self.urgent_title.setObjectName("sectionTitle")
        self.urgent_model = TopRows(live.waiting_sorted, (WaitingModel.QUEUE, WaitingModel.CUSTOMER,
                                    WaitingModel.CASE, WaitingModel.WAIT, WaitingModel.BREACH_IN),
                                    star=(WaitingModel.CUSTOMER, WaitingModel.VIP), parent=self)
        self.urgent = _wall_table(self.content, self.urgent_model, "wallUrgent")
        self.urgent_model.fit_to(self.urgent)
        self.urgent.setItemDelegate(FlashRowDelegate(self.urgent, flash=self.flash, key_role=ID_ROLE, theme="wall"))
        wait_col = 3  # WAIT among the shown columns
        self.urgent.setItemDelegateForColumn(wait_col, SlaStateDelegate(
            self.urgent, state_role=STATE_ROLE, key_role=ID_ROLE, flash=self.flash, theme="wall"))
        body.addWidget(self.urgent_title, 0, 0)
        body.addWidget(self.urgent, 1, 0, 3, 1)

        self.agents_title = QLabel(self.content)
        self.agents_title.setObjectName("sectionTitle")
        self.agent_bar = AgentStateBar(theme="wall", legend_columns=4, parent=self.content)
        body.addWidget(self.agents_title, 0, 1)
        body.addWidget(self.agent_bar, 1, 1)
        self.esc_title = QLabel(self.content)
        self.esc_title.setObjectName("sectionTitle")
        self.esc_model = TopRows(live.escalations_sorted, (EscalationModel.SEVERITY, EscalationModel.DEPARTMENT,
                                 EscalationModel.OWNER, EscalationModel.DUE), parent=self)
        self.escalations = _wall_table(self.content, self.esc_model, "wallEscalations")
        self.esc_model.fit_to(self.escalations)
        body.addWidget(self.esc_title, 2, 1)
        body.addWidget(self.escalations, 3, 1)
        # tiles dim themselves; the tables get an opacity effect each
        self._dims = []
        for view in (self.urgent, self.escalations):
            effect = QGraphicsOpacityEffect(view)
            effect.setOpacity(STALE_OPACITY)
            effect.setEnabled(False)
            view.setGraphicsEffect(effect)
            self._dims.append(effect)
        body.setColumnStretch(0, 11)
        body.setColumnStretch(1, 9)
        body.setRowStretch(3, 1)
        lay.addLayout(body, 7)

        self._refresh = QTimer(self)
        self._refresh.setInterval(1000)
        self._refresh.timeout.connect(self.refresh)
        # a batch the floor applied is on the wall at the next turn of the event loop, not
        # at the next second's refresh (agent counts, tiles and titles waited up to 1 s:
        # event-to-screen p99 ~480 ms in bench_ui); batches come at most 10 times a second
        # (ui.live.APPLY_HZ) and one refresh follows however many arrived meanwhile
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.refresh)
        live.changed.connect(self._refresh_soon)
        self._rotate = QTimer(self)
        self._rotate.setInterval(int(ROTATE_S * 1000))
        self._rotate.timeout.connect(self._on_rotate_timeout)
        live.waiting.sla_crossed.connect(self._on_waiting_crossed)
        live.formula_changed.connect(self._on_formula_changed)
        live.scope_changed.connect(self._on_scope_changed)
        self.apply_scale(1.0)
        self.refresh()

    # ------------------------------------------------------------------ sizing

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._watch_screen()  # moved to another screen: follow that one's resolution
        # full screen: the widget's height is the screen's (logical) height
        self.apply_scale(max(0.5, self.height() / BASE_SCREEN_HEIGHT))

    def apply_scale(self, scale: float) -> None:
        if abs(scale - self.scale) < 1e-3 and self.property("scaled"):
            return
        self.scale = scale
        self.setProperty("scaled", True)
        self.setStyleSheet(_stylesheet(scale))
        for tile in (self.total_tile, *self.queue_tiles):
            tile.set_scale(scale)
        self.agent_bar.set_scale(scale)
        self.banner.set_scale(scale)
        self.dots.set_scale(scale)
        self.forecast_line.set_scale(scale)
        badge_font = QFont(self.font())
        badge_font.setPixelSize(scaled_px(LABEL_PX, scale))
        self.connection.setFont(badge_font)
        table_font = QFont(self.font())
        table_font.setPixelSize(scaled_px(TABLE_PX, scale))
        header_font = QFont(self.font())
        header_font.setPixelSize(scaled_px(TABLE_PX, scale))
        header_font.setBold(True)
        row_h = scaled_px(TABLE_PX * 1.75, scale)
        widths = {self.urgent: (250, 150, 190, 300), self.escalations: (140, 250, 150)}  # "Customer" fits in English
        for view in (self.urgent, self.escalations):
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setStretchLastSection(True)
            for col, px in enumerate(widths[view]):
                header.resizeSection(col, scaled_px(px, scale))
            view.setFont(table_font)
            view.horizontalHeader().setFont(header_font)
            view.verticalHeader().setDefaultSectionSize(row_h)
            model = view.model()
            if isinstance(model, TopRows):
                model.refit()
        self._lay.setContentsMargins(*(scaled_px(16, scale),) * 4)
        self._show_scope(force=True)  # elided again at this size
        self._lay.setSpacing(scaled_px(10, scale))
        # the burn-in offset is in pixels of this scale: taken again at the new one
        self.shift = (-1, -1)
        if self.live.floor.last_ts is not None:
            self._apply_shift(self.burn_in_shift(self.live.clock.now()))

    # ------------------------------------------------------------------ visibility

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._watch_screen()
        self.refresh()
        self._refresh.start()
        self._rotate.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self._refresh.stop()
        self._rotate.stop()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F11):
            self.exit_requested.emit()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ updates

    def set_page_period(self, seconds: float) -> None:
        """How long each page of queue tiles stays (the settings' wall page period)."""
        self._rotate.setInterval(int(max(1.0, seconds) * 1000))

    def page_period_s(self) -> float:
        return self._rotate.interval() / 1000.0

    def _on_rotate_timeout(self) -> None:
        pages = self.page_count()
        self.page = (self.page + 1) % pages if pages else 0
        self.refresh()

    def _on_scope_changed(self, _scope: Scope) -> None:
        self.page = 0  # the pages are my floor's queues now
        self.refresh()

    def _on_formula_changed(self, _formula: str) -> None:
        self._show_formula(self.live.shown_formula())

    def shown(self) -> Shown:
        """The feed's status as of now (the banner follows it on the next refresh)."""
        return self._reader.read(self.live.status)

    def _on_waiting_crossed(self, call_ids: list[str]) -> None:
        # a crossing computed from stale data calls for nobody's attention: the row stays
        # marked breached, but no flash and no beep until the figures are live again
        shown = self.shown()
        if not shown.data_live:
            self.set_stale(True, shown.age_s, shown.reason)
            return
        call_ids = calls_in_scope(self.live.floor, self.live.scope, call_ids)  # my floor's alone
        if not call_ids:
            return
        for call_id in call_ids:
            self.flash.flash(call_id)
        self.show_page_of(call_ids)
        if self._beep and self.isVisible():
            QApplication.beep()
            self.beeps += 1

    def show_page_of(self, call_ids: list[str]) -> None:
        """Turn to the page holding the queue of the first new alarm, and keep it there for
        a full page period (the room sees which queue it is)."""
        for call_id in call_ids:
            contact = self.live.floor.waiting.get(call_id)
            if contact is None or contact.queue not in self._page_queues:
                continue
            page = self._page_queues.index(contact.queue) // TILES_PER_PAGE
            if page != self.page:
                self.page = page
                if self._rotate.isActive():
                    self._rotate.start()  # a full period from now
                self.refresh()
            return

    def burn_in_shift(self, now: datetime) -> tuple[int, int]:
        """The content's offset at server time ``now``: a step round SHIFT_CYCLE every
        SHIFT_EVERY_S seconds, in pixels at this screen's scale."""
        step = max(1, scaled_px(SHIFT_STEP_PX, self.scale))
        dx, dy = SHIFT_CYCLE[int(now.timestamp() // SHIFT_EVERY_S) % len(SHIFT_CYCLE)]
        return dx * step, dy * step

    def _apply_shift(self, shift: tuple[int, int]) -> None:
        if shift == self.shift:
            return
        self.shift = shift
        most = 2 * max(1, scaled_px(SHIFT_STEP_PX, self.scale))
        dx, dy = shift
        # the margins always add up to the same: the content moves, its size stays
        self._outer.setContentsMargins(dx, dy, most - dx, most - dy)

    def _watch_screen(self) -> None:
        """Follow the screen's resolution: a wall PC's display changed (or woke at another
        mode) resizes the wall to the new geometry, and the type scales with it."""
        screen = self.screen()
        if screen is self._watched_screen:
            return
        if self._watched_screen is not None:
            try:
                self._watched_screen.geometryChanged.disconnect(self.on_screen_geometry)
            except (RuntimeError, TypeError):
                pass
        self._watched_screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self.on_screen_geometry)

    def on_screen_geometry(self, rect: QRect) -> None:
        if self.isVisible() and rect.isValid():
            # the type first: a wall still laid out for 4K cannot shrink to 1080p (its parts'
            # minimum sizes are those of the larger screen)
            self.apply_scale(max(0.5, rect.height() / BASE_SCREEN_HEIGHT))
            self.setGeometry(rect)

    def page_count(self) -> int:
        scope = self.live.scope
        queues = sum(1 for q in self.live.floor.queues if scope.has_queue(q))
        return max(1, -(-queues // TILES_PER_PAGE))

    def _refresh_soon(self, _changes: object = None) -> None:
        if self._refresh.isActive() and not self._soon.isActive():
            self._soon.start()

    def refresh(self) -> None:
        live = self.live
        shown = self.shown()
        self.set_stale(not shown.data_live, shown.age_s, shown.reason)
        self.connection.set_state(shown.kind, None if shown.age_s is None else float(int(shown.age_s)))
        if live.floor.last_ts is None:
            self.clock.setText("--:--:--")
            figures: list[TileFigures] = []
        else:
            now = live.clock.now()
            self.clock.setText(now.strftime("%H:%M:%S"))
            self._apply_shift(self.burn_in_shift(now))
            figures = tile_figures(live.floor, now, None if live.kpi is None else live.kpi.report, live.shown_formula(),
                                   week_report(live.kpi), live.scope)
        self._show_tiles(figures)
        self._show_formula(live.shown_formula())
        self._show_scope()
        self.forecast_line.refresh(shown.data_live)
        counts = agent_state_counts(live.floor, live.scope)
        self.agent_bar.set_counts(counts)
        self.agents_title.setText(self.tr("Agents: %1 available of %2 signed in")
                                  .replace("%1", str(counts.get("available", 0)))
                                  .replace("%2", str(sum(v for k, v in counts.items() if k != "offline"))))
        waiting = waiting_count(live.floor, live.scope)
        self.urgent_title.setText(self.tr("Most urgent waiting contacts (%1 waiting)").replace("%1", str(waiting)))
        overdue = sum(1 for e in live.floor.open_escalations()
                      if live.escalations.state_of(e) == "overdue")
        # escalations are not scoped (ui.scope): with a scope, the title says they are everyone's
        esc_title = (self.tr("Escalations due (%1 open, %2 overdue)") if live.scope.whole
                     else self.tr("Escalations due, all departments (%1 open, %2 overdue)"))
        self.esc_title.setText(esc_title.replace("%1", str(live.escalations.rowCount())).replace("%2", str(overdue)))

    def _show_scope(self, force: bool = False) -> None:
        """'我的范围: 信用卡服务 · 一组' under the title while a scope is set; a long one is
        elided to SCOPE_MAX_PX (at 1080p)."""
        text = self.live.scope.describe(queue_names(self.live.floor))
        if text != self._scope_text or force:
            self._scope_text = text
            width = scaled_px(SCOPE_MAX_PX, self.scale)
            self.scope_label.setMaximumWidth(width)
            self.scope_label.ensurePolished()  # the stylesheet's type, not the default one
            self.scope_label.setText(self.scope_label.fontMetrics().elidedText(
                text, Qt.TextElideMode.ElideRight, width))
            self.scope_label.setAccessibleName(text)
        if self.scope_label.isHidden() == bool(text):
            self.scope_label.setVisible(bool(text))

    def _show_formula(self, formula: str) -> None:
        if formula == self._formula:
            return
        self._formula = formula
        self.formula_caption.setText(self.tr("SL = %1").replace("%1", formulas.described(formula)))

    def _show_tiles(self, figures: list[TileFigures]) -> None:
        by_id = {f.queue_id: f for f in figures}
        total = figures[0] if figures else None
        queues = figures[1:]
        pages = max(1, -(-len(queues) // TILES_PER_PAGE))
        self.page %= pages
        self.dots.set_count(pages)
        self.dots.set_current(self.page)
        self.dots.setVisible(pages > 1)
        self._page_queues = [f.queue_id for f in queues]
        page = queues[self.page * TILES_PER_PAGE:(self.page + 1) * TILES_PER_PAGE]
        self._fill(self.total_tile, total)
        for i, tile in enumerate(self.queue_tiles):
            self._fill(tile, page[i] if i < len(page) else None)
        del by_id

    def _fill(self, tile: KpiTile, f: TileFigures | None) -> None:
        if f is None:
            if tile is self.total_tile:
                _update(tile, "—", "", "neutral")
                tile.set_note(())
            else:
                tile.setVisible(False)
            return
        tile.setVisible(True)
        if tile.title() != f.title:
            tile.set_title(f.title)
        tile.set_spoken_value(self.tr("%1 waiting").replace("%1", f.waiting_text))  # for screen readers
        if f.waiting:
            sub = self.tr("SL %1 · longest %2").replace("%1", f.service_level).replace("%2", f.longest_wait)
        else:
            sub = self.tr("SL %1 · %2 free").replace("%1", f.service_level).replace("%2", str(f.available))
        # while stale the tile keeps its last live state (it is painted dimmed and marked
        # stale anyway): a turn to "breached" computed from stale data must not flash it
        _update(tile, f.waiting_text, sub, None if self.stale else (f.state if f.waiting else "ok"))
        tile.set_note(self._week_note(f))

    def _week_note(self, f: TileFigures) -> tuple[str, ...]:
        """The same time last week beside the value, each figure with today's arrow
        (↑ today above it); nothing when the journal does not reach back."""
        if not f.has_week:
            return ()

        def figure(text: str, arrow: str) -> str:
            return text + (" " + arrow if arrow else "")

        return (
            self.tr("Same time last week"),
            figure(self.tr("SL %1").replace("%1", f.week_service_level), f.sl_arrow),
            figure(self.tr("Offered %1").replace("%1", f.week_offered), f.offered_arrow),
            figure(self.tr("ASA %1").replace("%1", f.week_asa), f.asa_arrow),
        )

    def set_stale(self, stale: bool, age_s: float | None, reason: str = "") -> None:
        """Dim every figure and show the banner with the data's age (and the reason, when it
        is not silence); numbers never look live, nothing flashes."""
        if stale:
            self.banner.set_reason(reason)
            self.banner.set_age(None if age_s is None else float(int(age_s)))
            if self.flash.active_keys():
                self.flash.clear()  # a flash still running stops: it was about data now stale
        if stale == self.stale and self.banner.isHidden() != stale:
            return
        self.stale = stale
        self.banner.setVisible(stale)
        for effect in self._dims:
            effect.setEnabled(stale)
        for tile in (self.total_tile, *self.queue_tiles):
            tile.set_stale(stale)
        self.agent_bar.set_stale(stale)


def _update(tile: KpiTile, value: str, sub: str, state: str | None) -> None:
    """Repaint a tile only when what it shows changed (the wall refreshes every second);
    ``state`` None keeps the tile's state."""
    if (tile.value(), tile.sub(), tile.state()) != (value, sub, tile.state() if state is None else state):
        tile.update_values(value=value, sub=sub, state=state)


def _stylesheet(scale: float) -> str:
    """The shared wall theme (resources/styles/wall.qss) plus this screen's own parts."""
    import resources

    try:
        base = resources.stylesheet("wall", scale)
    except FileNotFoundError:  # a broken install still gets a readable wall
        base = ""
    return base + _own_stylesheet(scale)


def _own_stylesheet(scale: float) -> str:
    label = scaled_px(LABEL_PX, scale)
    table = scaled_px(TABLE_PX, scale)
    headline = scaled_px(HEADLINE_PX * 0.75, scale)
    return f"""
    QWidget#wallDisplay {{ background: {WALL['background']}; color: {WALL['text']}; }}
    QLabel {{ color: {WALL['text']}; font-size: {label}px; }}
    QLabel#wallTitle, QLabel#wallClock {{ font-size: {headline}px; font-weight: bold; }}
    QLabel#sectionTitle {{ font-size: {label}px; font-weight: bold; color: {WALL['text_muted']}; }}
    QLabel#wallScope {{ font-size: {label}px; font-weight: bold; color: {WALL['accent']}; }}
    QLabel#formulaCaption {{ font-size: {table}px; color: {WALL['text_muted']}; }}
    QTableView {{ background: {WALL['surface']}; color: {WALL['text']}; border: none;
        alternate-background-color: {WALL['surface_alt']}; font-size: {table}px; }}
    QHeaderView::section {{ background: {WALL['surface_alt']}; color: {WALL['text_muted']};
        border: none; padding: 4px; font-size: {table}px; font-weight: bold; }}
    """

"""The duty lead's escalation board: per-department figures, filters, sorted by due.

Wiring (main window): create it with the live floor and the signed-in role, connect
``LiveFloor.changed`` to :meth:`EscalationBoard.apply` and ``LiveFloor.ticked`` to
:meth:`EscalationBoard.tick`; open the case dialog on ``case_requested(case_id)`` and
the reassign dialog on ``reassign_requested(escalation_id)``. The reassign action exists
only for duty leads (the server refuses everyone else anyway). Overdue escalations stand
out by colour, weight and a "✕ Overdue" label, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from supervisor import escalations as rules
from supervisor import wire
from supervisor.floor import Changes, Floor
from supervisor.masking import mask_text
from supervisor.timeutil import format_duration
from ui import names, palette
from ui.models.base import CASE_ROLE, ID_ROLE, SORT_ROLE, STATE_ROLE, KeyedTableModel

_DR = Qt.ItemDataRole
STATE_SYMBOLS = {"overdue": "✕", "due_soon": "!", "ok": "✓", "resolved": "–"}
DUE_SOON_BG = palette.SLA_BG["warning"]
DUE_SOON_FG = palette.SLA_FG["warning"]
RESOLVED_FG = QColor("#6b7280")
ALL = ""  # the "any" entry of a filter combo


class BoardModel(KeyedTableModel[wire.Escalation]):
    """Every escalation the floor knows (resolved ones too, the proxy hides them), by id."""

    STATE, SEVERITY, DEPARTMENT, OWNER, SUMMARY, STATUS, DUE_AT, DUE_IN = range(8)
    CLOCK_COLUMNS = (STATE, DUE_IN)

    def __init__(self, floor: Floor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._floor = floor
        self._now: datetime | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def headers(self) -> list[str]:
        return [self.tr("State"), self.tr("Severity"), self.tr("Department"), self.tr("Owner"),
                self.tr("Summary"), self.tr("Status"), self.tr("Due at"), self.tr("Due in")]

    def now(self) -> datetime | None:
        return self._now or self._floor.last_ts

    def state_of(self, esc: wire.Escalation) -> str:
        now = self.now()
        if now is None:
            return "resolved" if esc.status == "resolved" else "ok"
        return rules.due_state(esc, now)

    def state_label(self, state: str) -> str:
        words = {"overdue": self.tr("Overdue"), "due_soon": self.tr("Due soon"),
                 "ok": self.tr("On time"), "resolved": self.tr("Resolved")}
        return f"{STATE_SYMBOLS.get(state, '')} {words.get(state, state)}"

    def apply(self, changes: Changes) -> None:
        if changes.reset:
            self.reset_to((k, e) for k, e in self._floor.escalations.items())
        elif changes.escalations_changed:
            self.sync((), (), sorted(changes.escalations_changed), self._floor.escalations.get)

    def tick(self, now: datetime) -> None:
        self._now = now
        if self._ids:
            # a row's state spans its colours and label: one ranged change over every column
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.DUE_IN))

    def cell(self, key: str, item: wire.Escalation, column: int, role: int) -> Any:
        esc: wire.Escalation = item
        if role == _DR.DisplayRole:
            return self._display(esc, column)
        if role == SORT_ROLE:
            if column in (self.DUE_AT, self.DUE_IN, self.STATE):
                # "sort by due": the deadline, then the more severe, then the id
                return f"{esc.due_at.timestamp():017.3f}|{rules.SEVERITY_RANK.get(esc.severity, 9)}|{key}"
            if column == self.SEVERITY:
                return rules.SEVERITY_RANK.get(esc.severity, 9)
            return self._display(esc, column)
        if role == STATE_ROLE:
            return self.state_of(esc)
        if role == CASE_ROLE:
            return esc.case_id
        state = self.state_of(esc)
        if role == _DR.BackgroundRole:
            if state == "overdue":
                return palette.OVERDUE_BG
            if state == "due_soon" and column in (self.STATE, self.DUE_IN):
                return DUE_SOON_BG
        if role == _DR.ForegroundRole:
            if state == "overdue":
                return palette.OVERDUE_FG
            if state == "due_soon" and column in (self.STATE, self.DUE_IN):
                return DUE_SOON_FG
            if state == "resolved":
                return RESOLVED_FG
            if column == self.SEVERITY and esc.severity in ("urgent", "high"):
                return palette.MARK_FG
        if role == _DR.FontRole and (state == "overdue" or (column == self.SEVERITY and esc.severity == "urgent")):
            return self._bold
        if role == _DR.TextAlignmentRole and column == self.DUE_IN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == _DR.ToolTipRole and column == self.SUMMARY:
            return mask_text(esc.summary)
        return None

    def _display(self, esc: wire.Escalation, column: int) -> str:
        if column == self.STATE:
            return self.state_label(self.state_of(esc))
        if column == self.SEVERITY:
            return names.severity(esc.severity)
        if column == self.DEPARTMENT:
            dept = self._floor.departments.get(esc.department)
            return names.department(esc.department, dept.name if dept else "")
        if column == self.OWNER:
            return esc.owner.name or esc.owner.id
        if column == self.SUMMARY:
            return mask_text(esc.summary)  # the board is never a reveal
        if column == self.STATUS:
            return names.escalation_status(esc.status)
        if column == self.DUE_AT:
            now = self.now()
            due = esc.due_at.astimezone(now.tzinfo) if now is not None else esc.due_at
            same_day = now is not None and due.date() == now.date()
            return due.strftime("%H:%M") if same_day else due.strftime("%m-%d %H:%M")
        if column == self.DUE_IN:
            if esc.status == "resolved":
                return ""
            now = self.now()
            if now is None:
                return "—"
            left = (esc.due_at - now).total_seconds()
            if left < 0:
                return self.tr("%1 late").replace("%1", format_duration(-left))
            return format_duration(left)
        return ""


class BoardProxy(QSortFilterProxyModel):
    """Applies a :class:`supervisor.escalations.BoardFilter`; sorts by due by default."""

    def __init__(self, model: BoardModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._filter = rules.BoardFilter()
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.sort(BoardModel.DUE_AT, Qt.SortOrder.AscendingOrder)

    @property
    def board_filter(self) -> rules.BoardFilter:
        return self._filter

    def set_filter(self, flt: rules.BoardFilter) -> None:
        if flt != self._filter:
            self.beginFilterChange()
            self._filter = flt
            self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        key = self._model.index(row, 0, parent).data(ID_ROLE)
        esc = self._model.item(key) if key is not None else None
        return esc is not None and self._filter.accepts(esc, self._model.now())


class EscalationBoard(QWidget):
    """Figures per department, filters, and the escalations sorted by due."""

    case_requested = Signal(str)  # case id
    reassign_requested = Signal(str)  # escalation id (duty leads only)

    def __init__(self, floor: Floor, role: str | None, parent: QWidget | None = None,
                 now: Callable[[], datetime | None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalation_board")
        self._floor = floor
        self._role = role
        self.model = BoardModel(floor, self)
        self.proxy = BoardProxy(self.model, self)
        if now is not None:
            first = now()
            if first is not None:
                self.model._now = first

        self.figures = QTableWidget(0, 4, self)
        self.figures.setObjectName("department_figures")
        self.figures.setHorizontalHeaderLabels(
            [self.tr("Department"), self.tr("Open"), self.tr("Overdue"), self.tr("Due within 30 min")])
        self.figures.verticalHeader().setVisible(False)
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.figures.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.department_combo = QComboBox(self)
        self.owner_combo = QComboBox(self)
        self.severity_combo = QComboBox(self)
        self.overdue_check = QCheckBox(self.tr("Overdue only"), self)
        self.resolved_check = QCheckBox(self.tr("Show resolved"), self)
        for combo in (self.department_combo, self.owner_combo, self.severity_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.overdue_check.toggled.connect(self._on_filter_changed)
        self.resolved_check.toggled.connect(self._on_filter_changed)

        self.table = QTableView(self)
        self.table.setObjectName("escalation_board_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(BoardModel.DUE_AT, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)

        self.count_label = QLabel(self)
        self.open_case_button = QPushButton(self.tr("Open case"), self)
        self.open_case_button.clicked.connect(self._on_open_case_clicked)
        # roles without the right never see the action (not merely a disabled button)
        self.reassign_button: QPushButton | None = None
        if rules.can_reassign(role):
            self.reassign_button = QPushButton(self.tr("Reassign…"), self)
            self.reassign_button.setObjectName("reassign_button")
            self.reassign_button.clicked.connect(self._on_reassign_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        filters = QHBoxLayout()
        for label, widget in ((self.tr("Department"), self.department_combo),
                              (self.tr("Owner"), self.owner_combo),
                              (self.tr("Severity"), self.severity_combo)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(widget)
        filters.addWidget(self.overdue_check)
        filters.addWidget(self.resolved_check)
        filters.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        actions.addWidget(self.open_case_button)
        if self.reassign_button is not None:
            actions.addWidget(self.reassign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self.apply(Changes(reset=True))

    # ------------------------------------------------------------------ feeding

    def apply(self, changes: Changes) -> None:
        """One batch of the live floor (connect ``LiveFloor.changed``)."""
        self.model.apply(changes)
        if changes.reset or changes.departments_changed or changes.escalations_changed:
            self._refill_filters()
        self._refresh_figures()

    def tick(self, now: datetime) -> None:
        """Server time advanced (connect ``LiveFloor.ticked``)."""
        self.model.tick(now)
        self._refresh_figures()

    # ------------------------------------------------------------------ filters

    def _refill_filters(self) -> None:
        escs = list(self._floor.escalations.values())
        depts = sorted(set(self._floor.departments) | {e.department for e in escs})
        self._refill(self.department_combo, self.tr("All departments"),
                     [(self._dept_name(d), d) for d in depts])
        self._refill(self.owner_combo, self.tr("All owners"),
                     [(p.name or p.id, p.id) for p in rules.owners_of(escs)])
        self._refill(self.severity_combo, self.tr("All severities"),
                     [(names.severity(s), s) for s in ("urgent", "high", "normal", "low")])

    @staticmethod
    def _refill(combo: QComboBox, any_label: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_label, ALL)
        for text, key in items:
            combo.addItem(text, key)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _dept_name(self, dept_id: str) -> str:
        dept = self._floor.departments.get(dept_id)
        return names.department(dept_id, dept.name if dept else "")

    def set_filter(self, flt: rules.BoardFilter) -> None:
        """Set the filters programmatically (and show them in the controls)."""
        for combo, values in ((self.department_combo, flt.departments), (self.owner_combo, flt.owners),
                              (self.severity_combo, flt.severities)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(next(iter(values))), 0) if len(values) == 1 else 0)
            combo.blockSignals(False)
        for check, value in ((self.overdue_check, flt.overdue_only), (self.resolved_check, flt.include_resolved)):
            check.blockSignals(True)
            check.setChecked(value)
            check.blockSignals(False)
        self.proxy.set_filter(flt)
        self._update_count()

    def _on_filter_changed(self, *_args: object) -> None:
        def chosen(combo: QComboBox) -> frozenset[str]:
            value = combo.currentData()
            return frozenset({value}) if value else frozenset()

        self.proxy.set_filter(rules.BoardFilter(
            departments=chosen(self.department_combo), owners=chosen(self.owner_combo),
            severities=chosen(self.severity_combo), overdue_only=self.overdue_check.isChecked(),
            include_resolved=self.resolved_check.isChecked()))
        self._update_count()

    # ------------------------------------------------------------------ figures

    def _refresh_figures(self) -> None:
        figs = rules.department_figures(self._floor.escalations.values(), self.model.now(),
                                        self._floor.departments)
        self.figures.setRowCount(len(figs))
        bold = QFont()
        bold.setBold(True)
        for row, fig in enumerate(figs):
            cells = [self._dept_name(fig.department), str(fig.open),
                     f"{STATE_SYMBOLS['overdue']} {fig.overdue}" if fig.overdue else "0",
                     f"{STATE_SYMBOLS['due_soon']} {fig.due_soon}" if fig.due_soon else "0"]
            for col, text in enumerate(cells):
                item = self.figures.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.figures.setItem(row, col, item)
                item.setText(text)
                if col > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                hot = (col == 2 and fig.overdue) or (col == 3 and fig.due_soon)
                item.setBackground(palette.OVERDUE_BG if col == 2 and fig.overdue
                                   else DUE_SOON_BG if col == 3 and fig.due_soon else QColor(0, 0, 0, 0))
                item.setForeground(palette.OVERDUE_FG if col == 2 and fig.overdue
                                   else DUE_SOON_FG if col == 3 and fig.due_soon else QColor("#1f2328"))
                item.setFont(bold if hot else QFont())
        # as tall as its rows (up to 6), so the escalations get the rest of the panel
        rows = min(max(len(figs), 1), 6)
        self.figures.setFixedHeight(self.figures.horizontalHeader().sizeHint().height()
                                    + rows * self.figures.verticalHeader().defaultSectionSize()
                                    + 2 * self.figures.frameWidth() + 2)
        self._update_count()

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        overdue = sum(1 for r in range(shown)
                      if self.proxy.index(r, 0).data(STATE_ROLE) == "overdue")
        self.count_label.setText(self.tr("%1 shown, %2 overdue").replace("%1", str(shown)).replace("%2", str(overdue)))
        self._update_buttons()

    # ------------------------------------------------------------------ actions

    def selected_escalation(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(ID_ROLE)) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        key = self.selected_escalation()
        esc = self._floor.escalations.get(key) if key else None
        self.open_case_button.setEnabled(bool(esc and esc.case_id))
        if self.reassign_button is not None:
            self.reassign_button.setEnabled(esc is not None and esc.status != "resolved")

    def _on_table_activated(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ROLE)
        if case_id:
            self.case_requested.emit(str(case_id))

    def _on_open_case_clicked(self) -> None:
        key = self.selected_escalation()
        esc = self._floor.escalations.get(key) if key else None
        if esc is not None and esc.case_id:
            self.case_requested.emit(esc.case_id)

    def _on_reassign_clicked(self) -> None:
        key = self.selected_escalation()
        if key and rules.can_reassign(self._role):
            self.reassign_requested.emit(key)

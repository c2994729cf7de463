"""The export dialog (Ctrl+E): the performance-review workbook for a period, on a worker thread.

How to open it (the main window's export action)::

    dialog = ExportDialog(store_url, center_tz, lang, parent=window)
    dialog.open()           # window-modal, returns at once; or dialog.exec()

``queues`` ([(id, name)]) and ``teams`` may be passed from the live floor; without them
the dialog reads the choices from the journal's last two weeks on a worker thread.
The export itself (``supervisor.export.export_workbook``) runs on a ``QThread``, never
the Qt main thread; the progress bar follows it and Cancel stops it, leaving any
existing file untouched. ``export_finished(path)`` is emitted on success.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from PySide6.QtCore import QDateTime, QStandardPaths, Qt, QThread, QTimeZone, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from supervisor.errors import CommandCenterError
from supervisor.export import ExportCancelled, ExportRequest, export_workbook
from supervisor.export.periods import PRESETS, preset_period
from supervisor.export.source import recent_filters
from supervisor.kpi import DEFAULT_FORMULA, FORMULAS

log = logging.getLogger(__name__)

CUSTOM = "custom"
FILTER_LOOKBACK = timedelta(days=14)


class ExportJob(QThread):
    """One export on its own thread; signals arrive queued on the dialog's (main) thread."""

    progress_changed = Signal(int, str)  # percent 0..100, stage key
    succeeded = Signal(str)
    failed = Signal(str)
    was_cancelled = Signal()

    def __init__(self, request: ExportRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self._cancel = threading.Event()
        self._last = (-1, "")

    def cancel(self) -> None:
        """Ask the job to stop at its next check (every few thousand events or rows)."""
        self._cancel.set()

    def _progress(self, fraction: float, stage: str) -> None:
        # only changes reach the main thread: a month of events must not flood its queue
        now = (int(fraction * 100), stage)
        if now != self._last:
            self._last = now
            self.progress_changed.emit(*now)

    def run(self) -> None:
        try:
            result = export_workbook(self.request, progress=self._progress, cancelled=self._cancel.is_set)
        except ExportCancelled:
            self.was_cancelled.emit()
        except CommandCenterError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - the dialog must say so, never crash the app
            log.exception("export failed")
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.succeeded.emit(str(result.path))


class _FilterLoader(QThread):
    """Reads the queues and teams of the recent journal for the filter lists."""

    loaded = Signal(list, list)

    def __init__(self, store_url: str, since: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store_url, self.since = store_url, since

    def run(self) -> None:
        try:
            queues, teams = recent_filters(self.store_url, self.since)
        except Exception as exc:  # noqa: BLE001 - no filters to offer; exporting still works
            log.warning("cannot read the export filters: %s", exc)
            queues, teams = [], []
        self.loaded.emit(queues, teams)



class _Texts(dict[str, str]):
    """The dialog's translated strings by key, with the ``format`` of the workbook's Labels."""

    def format(self, key: str, **values: str) -> str:
        return self[key].format(**values)


class ExportDialog(QDialog):
    """Period (today … custom), queue and team filters, formula, file; progress; cancel."""

    export_finished = Signal(str)

    def __init__(
        self,
        store_url: str,
        center_tz: tzinfo,
        lang: str,
        parent: QWidget | None = None,
        *,
        queues: Sequence[tuple[str, str]] | None = None,
        teams: Sequence[str] | None = None,
        default_dir: str | Path | None = None,
        now: Callable[[], datetime] | None = None,
        formula: str | None = None,
    ) -> None:
        """``lang``: the UI's language, the workbook's unless changed in the dialog;
        ``formula``: the service-level formula the desk shows (KPI.md's default if None)."""
        super().__init__(parent)
        self.store_url = store_url
        self.center_tz = center_tz
        self.labels = self._texts()
        self.lang = lang  # the UI's language: the workbook's by default; the dialog speaks the app's
        self._now = now or (lambda: datetime.now(center_tz))
        self._job: ExportJob | None = None
        self._loader: _FilterLoader | None = None
        self._path_chosen = False
        if default_dir is None:
            default_dir = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) \
                or str(Path.home())
        self._default_dir = Path(default_dir)
        t = self.labels
        self.setWindowTitle(t["dlg.title"])
        self.setMinimumWidth(520)

        self.period = QComboBox()
        for key in PRESETS:
            self.period.addItem(t[f"dlg.{key}"], key)
        self.period.addItem(t["dlg.custom"], CUSTOM)
        self.start_edit = self._datetime_edit()
        self.end_edit = self._datetime_edit()
        self.formula = QComboBox()
        for f in FORMULAS:
            self.formula.addItem(t[f"formula.{f}"], f)
        self.formula.setCurrentIndex(FORMULAS.index(formula if formula in FORMULAS else DEFAULT_FORMULA))
        # the workbook's language: the UI's unless chosen otherwise (each language named in itself)
        self.book_lang = QComboBox()
        self.book_lang.setObjectName("workbookLanguage")
        self.book_lang.addItem("中文", "zh")
        self.book_lang.addItem("English", "en")
        self.book_lang.setCurrentIndex(max(0, self.book_lang.findData(lang)))
        self.queue_list = QListWidget()
        self.team_list = QListWidget()
        for lst in (self.queue_list, self.team_list):
            lst.setMaximumHeight(110)
        self.path_edit = QLineEdit()
        self.browse_button = QPushButton(t["dlg.browse"])
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(t["dlg.export"])
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton(t["dlg.close"])

        form = QFormLayout()
        form.addRow(t["dlg.period"], self.period)
        form.addRow(t["dlg.from"], self.start_edit)
        form.addRow(t["dlg.to"], self.end_edit)
        form.addRow(t["dlg.formula"], self.formula)
        form.addRow(t["dlg.lang"], self.book_lang)
        form.addRow(t["dlg.queues"], self.queue_list)
        form.addRow(t["dlg.teams"], self.team_list)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        form.addRow(t["dlg.file"], file_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.period.currentIndexChanged.connect(self._on_period_changed)
        self.start_edit.dateTimeChanged.connect(self._on_custom_changed)
        self.end_edit.dateTimeChanged.connect(self._on_custom_changed)
        self.path_edit.textEdited.connect(self._on_path_edited)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)

        self._on_period_changed()
        if queues is not None or teams is not None:
            self.set_filters(list(queues or []), list(teams or []))
        else:
            self.status.setText(t["dlg.loading_filters"])
            self._loader = _FilterLoader(store_url, self._now() - FILTER_LOOKBACK, self)
            self._loader.loaded.connect(self._on_loader_loaded)
            self._loader.start()

    # ------------------------------------------------------------------ building

    def _datetime_edit(self) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setCalendarPopup(True)
        edit.setTimeZone(self._qt_zone())
        return edit

    def _qt_zone(self) -> QTimeZone:
        offset = self._now().astimezone(self.center_tz).utcoffset() or timedelta(0)
        return QTimeZone(int(offset.total_seconds()))

    def _texts(self) -> _Texts:
        """Every string the dialog shows, through Qt's translator (English source text)."""
        return _Texts({
            "dlg.title": self.tr("Export performance workbook"),
            "dlg.period": self.tr("Period"),
            "dlg.today": self.tr("Today"),
            "dlg.yesterday": self.tr("Yesterday"),
            "dlg.this_week": self.tr("This week"),
            "dlg.last_week": self.tr("Last week"),
            "dlg.this_month": self.tr("This month"),
            "dlg.last_month": self.tr("Last month"),
            "dlg.custom": self.tr("Custom"),
            "dlg.from": self.tr("From"),
            "dlg.to": self.tr("To (exclusive)"),
            "dlg.queues": self.tr("Queues (none ticked = all)"),
            "dlg.teams": self.tr("Teams (none ticked = all)"),
            "dlg.formula": self.tr("Service level formula"),
            "dlg.lang": self.tr("Workbook language"),
            "dlg.file": self.tr("Save to"),
            "dlg.browse": self.tr("Browse…"),
            "dlg.export": self.tr("Export"),
            "dlg.cancel": self.tr("Cancel"),
            "dlg.close": self.tr("Close"),
            "dlg.cancelling": self.tr("Cancelling…"),
            "dlg.cancelled": self.tr("Cancelled; no existing file was changed."),
            "dlg.done": self.tr("Exported: {path}"),
            "dlg.failed": self.tr("Export failed: {reason}"),
            "dlg.no_file": self.tr("Choose where to save the workbook."),
            "dlg.bad_period": self.tr("The end of the period must be after its start."),
            "dlg.filter_xlsx": self.tr("Excel workbook (*.xlsx)"),
            "dlg.loading_filters": self.tr("Reading queues and teams…"),
            "stage.reading": self.tr("Reading events"),
            "stage.computing": self.tr("Computing figures"),
            "stage.writing": self.tr("Writing sheets"),
            "stage.saving": self.tr("Saving the file"),
            "formula.abandons_count_against": self.tr("Abandons count against: answered within T ÷ (answered + abandoned); short abandons left out"),
            "formula.answered_only": self.tr("Answered only: answered within T ÷ answered"),
            "formula.removed_within_sla": self.tr("Removed within T (as Amazon Connect): (answered within T + abandoned within T + short abandoned) ÷ offered"),
        })

    def set_filters(self, queues: list[tuple[str, str]], teams: list[str]) -> None:
        """Offer these queues ([(id, name)]) and teams as filter choices, none ticked (= all)."""
        self.queue_list.clear()
        for qid, name in queues:
            # the server's names are Chinese: an English dialog shows the ids instead
            item = QListWidgetItem(name if self.lang == "zh" and name else qid)
            item.setToolTip(qid)
            item.setData(Qt.ItemDataRole.UserRole, qid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.queue_list.addItem(item)
        self.team_list.clear()
        for team in teams:
            item = QListWidgetItem(team)
            item.setData(Qt.ItemDataRole.UserRole, team)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.team_list.addItem(item)

    # ------------------------------------------------------------------ values

    def _to_qt(self, ts: datetime) -> QDateTime:
        return QDateTime.fromSecsSinceEpoch(int(ts.timestamp()), self._qt_zone())

    def _from_qt(self, value: QDateTime) -> datetime:
        return datetime.fromtimestamp(value.toSecsSinceEpoch(), self.center_tz)

    def period_bounds(self) -> tuple[datetime, datetime]:
        """The chosen [start, end) in the center's timezone."""
        key = self.period.currentData()
        if key == CUSTOM:
            return self._from_qt(self.start_edit.dateTime()), self._from_qt(self.end_edit.dateTime())
        return preset_period(key, self._now(), self.center_tz)

    @staticmethod
    def _ticked(lst: QListWidget) -> tuple[str, ...] | None:
        values = tuple(
            lst.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(lst.count())
            if lst.item(i).checkState() == Qt.CheckState.Checked
        )
        return values or None

    def request(self) -> ExportRequest:
        """The export the dialog's fields describe (raises ValueError with a sentence if invalid)."""
        start, end = self.period_bounds()
        if end <= start:
            raise ValueError(self.labels["dlg.bad_period"])
        text = self.path_edit.text().strip()
        if not text:
            raise ValueError(self.labels["dlg.no_file"])
        out = Path(text).expanduser()
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(out.name + ".xlsx")
        return ExportRequest(
            db_url=self.store_url, start=start, end=end, out=out,
            formula=self.formula.currentData(), lang=self.book_lang.currentData() or self.lang,
            queues=self._ticked(self.queue_list), teams=self._ticked(self.team_list),
        )

    @property
    def running(self) -> bool:
        return self._job is not None

    # ------------------------------------------------------------------ slots

    def _on_period_changed(self, *_: object) -> None:
        custom = self.period.currentData() == CUSTOM
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        if not custom:
            start, end = self.period_bounds()
            for edit, ts in ((self.start_edit, start), (self.end_edit, end)):
                edit.blockSignals(True)
                edit.setDateTime(self._to_qt(ts))
                edit.blockSignals(False)
        self._suggest_path()

    def _on_custom_changed(self, *_: object) -> None:
        self._suggest_path()

    def _suggest_path(self) -> None:
        if self._path_chosen:
            return
        start, end = self.period_bounds()
        last = end - timedelta(seconds=1)
        name = f"performance_{start:%Y%m%d}" + (f"-{last:%Y%m%d}" if last.date() != start.date() else "")
        self.path_edit.setText(str(self._default_dir / f"{name}.xlsx"))

    def _on_path_edited(self, _text: str) -> None:
        self._path_chosen = True

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.labels["dlg.file"], self.path_edit.text(),
                                              self.labels["dlg.filter_xlsx"])
        if path:
            self.path_edit.setText(path)
            self._path_chosen = True

    def _on_loader_loaded(self, queues: list, teams: list) -> None:
        self.set_filters([tuple(q) for q in queues], list(teams))
        if not self.running:
            self.status.clear()
        self._loader = None

    def _on_export_clicked(self) -> None:
        if self.running:
            return
        try:
            req = self.request()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.progress.setValue(0)
        self.status.setText(self.labels["stage.reading"])
        self._set_busy(True)
        job = self._job = ExportJob(req, self)
        job.progress_changed.connect(self._on_job_progress_changed)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.was_cancelled.connect(self._on_job_was_cancelled)
        job.finished.connect(self._on_job_finished)
        job.start()

    def _on_cancel_clicked(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.labels["dlg.cancelling"])
        else:
            self.reject()

    def _on_job_progress_changed(self, percent: int, stage: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(self.labels.get(f"stage.{stage}", stage))

    def _on_job_succeeded(self, path: str) -> None:
        self.progress.setValue(100)
        self.status.setText(self.labels.format("dlg.done", path=path))
        self.export_finished.emit(path)

    def _on_job_failed(self, reason: str) -> None:
        self.status.setText(self.labels.format("dlg.failed", reason=reason))

    def _on_job_was_cancelled(self) -> None:
        self.progress.setValue(0)
        self.status.setText(self.labels["dlg.cancelled"])

    def _on_job_finished(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.wait()
            job.deleteLater()
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.period, self.formula, self.book_lang, self.queue_list, self.team_list, self.path_edit,
                  self.browse_button, self.export_button):
            w.setEnabled(not busy)
        custom = self.period.currentData() == CUSTOM
        self.start_edit.setEnabled(custom and not busy)
        self.end_edit.setEnabled(custom and not busy)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.labels["dlg.cancel"] if busy else self.labels["dlg.close"])

    # ------------------------------------------------------------------ closing

    def stop(self) -> None:
        """Cancel a running export and wait for its thread (nothing is left running)."""
        for thread in (self._job, self._loader):
            if thread is not None:
                if isinstance(thread, ExportJob):
                    thread.cancel()
                thread.wait()

    def reject(self) -> None:
        if self._job is not None:
            # Escape or the window's close button while exporting: cancel first
            self._on_cancel_clicked()
            return
        self.stop()
        super().reject()

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)

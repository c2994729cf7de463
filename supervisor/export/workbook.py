"""The performance-review workbook: seven sheets streamed with openpyxl, saved atomically.

``write_workbook`` lays out an ``ExportData`` (the engine's figures, see ``data.py``);
``export_workbook`` is the whole job — read the journal, ask the engine, write — with
progress and cancellation for the desktop's worker thread. Sheets are written in
write-only (streaming) mode, so memory does not grow with the number of rows.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook

from supervisor.export.atomic import ExportCancelled, ExportError, atomic_output, check_target
from supervisor.export.data import ExportData, collect
from supervisor.export.labels import Labels
from supervisor.export.source import Progress, read_journal
from supervisor.export.summary import add_charts, write_summary
from supervisor.export.tables import (
    write_agents,
    write_audit,
    write_breaches,
    write_escalations,
    write_intervals,
    write_queues,
)
from supervisor.kpi import DEFAULT_FORMULA

SHEETS = ("summary", "queues", "intervals", "agents", "escalations", "breaches", "audit")

# Share of the progress bar per stage of export_workbook (reading dominates)
_STAGES = {"reading": (0.0, 0.55), "computing": (0.55, 0.65), "writing": (0.65, 0.95), "saving": (0.95, 1.0)}


@dataclass(frozen=True)
class ExportResult:
    """What was written: the file, rows per sheet key, and how long each stage took."""

    path: Path
    rows: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    truncated: dict[str, int] = field(default_factory=dict)  # sheet -> rows left out


def _never() -> bool:
    return False


def write_workbook(
    data: ExportData,
    out: str | os.PathLike[str],
    *,
    lang: str,
    generated: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write the workbook of ``data`` to ``out`` atomically (a temp file, then os.replace).

    A failure or a cancellation (``ExportCancelled``) leaves an existing ``out`` as it was.
    """
    labels = Labels(lang)
    is_cancelled = cancelled or _never
    generated = generated or datetime.now(timezone.utc)
    total_rows = max(1, len(data.intervals) + len(data.breaches) + len(data.escalations)
                     + len(data.report.agents) + len(data.report.queues))
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done / total_rows, 1.0), "writing")

    def checkpoint() -> None:
        if is_cancelled():
            raise ExportCancelled("the export was cancelled")

    rows: dict[str, int] = {}
    truncated: dict[str, int] = {}
    with atomic_output(out) as tmp:
        wb = Workbook(write_only=True)
        try:
            _write_sheets(wb, data, labels, generated, tmp, out, tick, checkpoint, is_cancelled,
                          progress, rows, truncated)
        except BaseException:
            _discard(wb)
            raise
    return ExportResult(Path(out), rows, truncated=truncated)


def _write_sheets(wb: Workbook, data: ExportData, labels: Labels, generated: datetime, tmp: Path,
                  out: str | os.PathLike[str], tick: Callable[[int], None], checkpoint: Callable[[], None],
                  is_cancelled: Callable[[], bool], progress: Progress | None,
                  rows: dict[str, int], truncated: dict[str, int]) -> None:
    """The seven sheets in order, then the save into ``tmp`` (``rows``/``truncated`` filled in)."""
    ws = {key: wb.create_sheet(labels[f"sheet.{key}"]) for key in SHEETS}
    # Excel caps a sheet at 1,048,576 rows; the summary must say so before it is written
    cap = 1_048_575
    if len(data.breaches) > cap:
        truncated["breaches"] = len(data.breaches) - cap
    write_summary(
        ws["summary"], data, labels, generated,
        truncated=[(labels["sheet.breaches"], cap, len(data.breaches))] if truncated else None,
    )
    n_total_intervals = sum(1 for r in data.intervals if r.queue is None)
    add_charts(ws["summary"], ws["intervals"], n_total_intervals, labels)
    checkpoint()
    rows["queues"] = write_queues(ws["queues"], data, labels)
    tick(len(data.report.queues))
    checkpoint()
    rows["intervals"] = write_intervals(ws["intervals"], data, labels, tick)
    checkpoint()
    rows["agents"] = write_agents(ws["agents"], data, labels)
    tick(len(data.report.agents))
    checkpoint()
    rows["escalations"] = write_escalations(ws["escalations"], data, labels, tick)
    checkpoint()
    rows["breaches"], _ = write_breaches(ws["breaches"], data, labels, tick, is_cancelled)
    checkpoint()
    rows["audit"] = write_audit(ws["audit"], data, labels)
    checkpoint()
    if progress is not None:
        progress(0.0, "saving")
    try:
        wb.save(tmp)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    if progress is not None:
        progress(1.0, "saving")
    checkpoint()  # a cancel that arrives during the save still leaves the old file


def _discard(wb: Workbook) -> None:
    """Close and delete the per-sheet temporary files of an abandoned streamed workbook."""
    for ws in wb.worksheets:
        rows = getattr(ws, "_rows", None)
        writer = getattr(ws, "_writer", None)
        for closer in (getattr(rows, "close", None), getattr(writer, "close", None)):
            if closer is not None:
                try:
                    closer()
                except Exception:  # noqa: BLE001 - already failing; the cleanup must go on
                    pass
        ws._rows = None
        if writer is not None and os.path.exists(writer.out):
            try:
                writer.cleanup()
            except (OSError, ValueError):
                pass


@dataclass(frozen=True)
class ExportRequest:
    """One export: the journal, the period [start, end), the file, and the options."""

    db_url: str
    start: datetime
    end: datetime
    out: Path
    formula: str = DEFAULT_FORMULA
    lang: str = "zh"
    queues: tuple[str, ...] | None = None
    teams: tuple[str, ...] | None = None
    interval_minutes: int = 30


def export_workbook(
    req: ExportRequest,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Read the journal, ask the KPI engine, write the workbook. Safe to run on a worker
    thread; ``progress(fraction, stage)`` reports the whole job 0..1, ``cancelled()`` is
    polled often and stops the job with ``ExportCancelled`` (nothing is written)."""
    check_target(Path(req.out))  # a bad target fails before a long read, not after it
    Labels(req.lang)
    is_cancelled = cancelled or _never

    def stage_progress(fraction: float, stage: str) -> None:
        if progress is not None:
            lo, hi = _STAGES[stage]
            progress(lo + (hi - lo) * fraction, stage)

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    builder, _tz = read_journal(req.db_url, progress=stage_progress, cancelled=is_cancelled)
    timings["read"] = time.perf_counter() - t0
    if is_cancelled():
        raise ExportCancelled("the export was cancelled")
    t1 = time.perf_counter()
    stage_progress(0.0, "computing")
    data = collect(
        builder, req.start, req.end, formula=req.formula, queues=_opt(req.queues),
        teams=_opt(req.teams), interval_minutes=req.interval_minutes, cancelled=is_cancelled,
    )
    del builder  # the facts are no longer needed while the sheets are written
    timings["compute"] = time.perf_counter() - t1
    if is_cancelled():
        raise ExportCancelled("the export was cancelled")
    stage_progress(1.0, "computing")
    t2 = time.perf_counter()
    result = write_workbook(data, req.out, lang=req.lang, progress=stage_progress, cancelled=is_cancelled)
    timings["write"] = time.perf_counter() - t2
    return ExportResult(result.path, result.rows, timings, result.truncated)


def _opt(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values else None

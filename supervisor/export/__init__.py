"""The performance-review workbook (issue 5): the engine's figures laid out in Excel.

``export_workbook(ExportRequest(...), progress=..., cancelled=...)`` is the whole job;
``collect`` + ``write_workbook`` are its two halves (the figures, then the sheets).
"""

from __future__ import annotations

from supervisor.export.atomic import ExportCancelled, ExportError
from supervisor.export.data import ExportData, collect
from supervisor.export.workbook import ExportRequest, ExportResult, export_workbook, write_workbook

__all__ = [
    "ExportCancelled",
    "ExportData",
    "ExportError",
    "ExportRequest",
    "ExportResult",
    "collect",
    "export_workbook",
    "write_workbook",
]

"""The workbook's Audit sheet says which record it shows (issue 9, point 6)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from supervisor.export.labels import Labels
from supervisor.export.workbook import ExportRequest, export_workbook
from supervisor.timeutil import CHINA
from tests.export.reading import sheet, table


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_audit_sheet_says_it_is_a_local_copy_and_names_the_record_of_truth(
        day_url: str, out: Path, lang: str) -> None:
    export_workbook(ExportRequest(day_url, datetime(2026, 11, 20, tzinfo=CHINA),
                                  datetime(2026, 11, 21, tzinfo=CHINA), out, lang=lang))
    wb = load_workbook(out)
    ws = sheet(wb, "audit", lang)
    first = [c.value for c in ws[1]]
    note = Labels(lang)["audit_note"]
    assert first[-2:] == [None, note]  # beside the frozen header, one empty column after the table
    assert ws.auto_filter.ref.startswith("A1:G")  # outside the table and its filter
    assert "simulate --audit PATH" in note
    if lang == "en":
        assert "convenience" in note and "record of truth" in note and "reveals are not listed" in note
    else:
        assert "便利记录" in note and "正式审计记录" in note
    assert table(ws, lang)  # the table reads as before
    assert all(row.get("at") is not None for row in table(ws, lang))

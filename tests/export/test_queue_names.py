"""The workbook names each queue as the server named it and prints the T and W the
figures were measured against (KPI.md), reopened with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from supervisor.export.labels import Labels
from tests.export.reading import assert_workbook_equals_kpi, export, kpi_json, sheet, table
from tests.kpi import sla_day
from tests.kpi.test_queue_sla import changed_midday


@pytest.fixture(scope="module")
def backfilled_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('names') / 'journal.db'}"
    sla_day.backfilled_journal().write(url)
    return url


@pytest.fixture(scope="module")
def changed_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('changed') / 'journal.db'}"
    changed_midday().write(url)
    return url


def cells(path: Path) -> list[Any]:
    wb = load_workbook(path, read_only=True)
    try:
        return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    finally:
        wb.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_queues_are_named_by_the_server_with_their_t_and_w(backfilled_url: str, out: Path, lang: str) -> None:
    assert export(backfilled_url, "2026-11-20", "2026-11-21", out, "--lang", lang) == 0
    wb = load_workbook(out)
    queues = {r["queue"]: r for r in table(sheet(wb, "queues", lang), lang)}
    vip = queues["vip"]
    assert (vip["queue_name"], vip["sla_seconds"], vip["warn_seconds"]) == ("贵宾专线", 300, 180)
    assert vip["answered_within_sla"] == 22 and vip["sla_breaches"] == 10
    assert vip["service_level"] == 0.6111
    assert (queues["general"]["queue_name"], queues["general"]["sla_seconds"]) == ("综合业务", 900)
    # never described by the server: its id, and a word that T and W are the protocol's defaults
    assert (queues["walkin"]["queue_name"], queues["walkin"]["sla_seconds"]) == ("walkin", 900)
    assert queues["walkin"]["sla_note"] == Labels(lang)["param.default"]
    assert vip["sla_note"] is None
    intervals = table(sheet(wb, "intervals", lang), lang)
    assert {r["queue_name"] for r in intervals if r["queue"] == "vip"} == {"贵宾专线"}
    wb.close()
    assert "Vip" not in cells(out)  # no id made up into a name
    # the workbook and kpi --json agree cell by cell (names, T and W included)
    assert_workbook_equals_kpi(out, kpi_json(backfilled_url, "2026-11-20", "2026-11-21"), lang)


def test_summary_says_t_varies_by_queue(backfilled_url: str, out: Path) -> None:
    assert export(backfilled_url, "2026-11-20", "2026-11-21", out, "--lang", "en") == 0
    wb = load_workbook(out)
    labels = Labels("en")
    pairs = {r[0]: r[1] for r in sheet(wb, "summary", "en").iter_rows(max_col=2, values_only=True) if r[0]}
    assert pairs[labels["param.T"]] == labels["param.T.varies"]
    wb.close()


def test_only_the_vip_line_has_one_t_on_the_summary(backfilled_url: str, out: Path) -> None:
    assert export(backfilled_url, "2026-11-20", "2026-11-21", out, "--lang", "zh", "--queue", "vip") == 0
    wb = load_workbook(out)
    labels = Labels("zh")
    pairs = {r[0]: r[1] for r in sheet(wb, "summary", "zh").iter_rows(max_col=2, values_only=True) if r[0]}
    assert (pairs[labels["param.T"]], pairs[labels["param.W"]]) == (300, 180)
    wb.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_change_during_the_period_is_shown_with_the_values_at_its_end(
    changed_url: str, out: Path, lang: str
) -> None:
    assert export(changed_url, "2026-11-20", "2026-11-21", out, "--lang", lang) == 0
    wb = load_workbook(out)
    labels = Labels(lang)
    (loans,) = table(sheet(wb, "queues", lang), lang)[:-1]
    assert (loans["queue_name"], loans["sla_seconds"], loans["warn_seconds"]) == ("个人贷款", 300, 180)
    note = loans["sla_note"]
    assert "T=900" in note and "T=300" in note and "2026-11-20 12:00:00" in note
    assert note.index("T=900") < note.index("T=300")
    pairs = {r[0]: r[1] for r in sheet(wb, "summary", lang).iter_rows(max_col=2, values_only=True) if r[0]}
    assert pairs[labels["param.T"]] == labels["param.T.changed"]
    wb.close()
    assert_workbook_equals_kpi(out, kpi_json(changed_url, "2026-11-20", "2026-11-21"), lang)
    # the morning alone: no change; the name, T and W of then, as kpi --json gives them
    morning = ("2026-11-20T00:00:00+08:00", "2026-11-20T12:00:00+08:00")
    assert export(changed_url, *morning, out, "--lang", lang) == 0
    wb = load_workbook(out)
    (loans,) = table(sheet(wb, "queues", lang), lang)[:-1]
    assert (loans["queue_name"], loans["sla_seconds"], loans["sla_note"]) == ("贷款", 900, None)
    wb.close()
    assert_workbook_equals_kpi(out, kpi_json(changed_url, *morning), lang)

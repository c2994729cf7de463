"""Every figure of the workbook equals ``command-center kpi --json`` for the same period and formula."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from supervisor.export.labels import Labels
from tests.bankdata import raw_month
from tests.export.reading import (
    assert_workbook_equals_kpi,
    export,
    kpi_json,
    sheet,
    summary_figures,
    table,
)

FORMULAS = ["abandons_count_against", "answered_only", "removed_within_sla"]


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scripted_day_equals_kpi_json(day_url: str, out: Path, formula: str, lang: str) -> None:
    assert export(day_url, "2026-11-20", "2026-11-21", out, "--formula", formula, "--lang", lang) == 0
    kpi = kpi_json(day_url, "2026-11-20", "2026-11-21", formula)
    assert kpi["service_level_formula"] == formula
    assert assert_workbook_equals_kpi(out, kpi, lang) > 100


def test_scripted_day_matches_the_independent_figures(day_url: str, out: Path) -> None:
    """The KPI tests' figures were computed with Fractions, not by the engine: the
    workbook agrees with them too (the idle queue's ratios are empty cells)."""
    from tests.kpi.day import expected_json

    assert export(day_url, "2026-11-20", "2026-11-21", out, "--lang", "en") == 0
    expected = expected_json()
    assert_workbook_equals_kpi(out, expected, "en")
    wb = load_workbook(out)
    vip = next(r for r in table(sheet(wb, "queues", "en"), "en") if r["queue"] == "vip")
    assert vip["offered"] == 0
    for key in ("service_level", "abandonment_rate", "asa_seconds", "max_wait_seconds", "csat", "csat_top2_share"):
        assert vip[key] is None, key


def test_part_of_a_day_in_rfc3339(day_url: str, out: Path) -> None:
    start, end = "2026-11-20T09:00:00+08:00", "2026-11-20T10:30:00+08:00"
    assert export(day_url, start, end, out, "--lang", "zh") == 0
    assert_workbook_equals_kpi(out, kpi_json(day_url, start, end), "zh")
    wb = load_workbook(out)
    summary = sheet(wb, "summary", "zh")
    labels = Labels("zh")
    pairs = {r[0]: r[1] for r in summary.iter_rows(max_col=2, values_only=True) if r[0]}
    # naive local times, the zone named beside them
    assert pairs[labels["period.from"]].isoformat() == "2026-11-20T09:00:00"
    assert pairs[labels["period.to"]].isoformat() == "2026-11-20T10:30:00"
    assert pairs[labels["timezone"]].startswith("UTC+08:00")
    assert pairs[labels["formula"]] == labels["formula.abandons_count_against"]
    assert pairs[labels["param.S"]] == 5


def test_interval_rows_are_the_engines_and_add_up(day_url: str, out: Path) -> None:
    """Per 30 minutes per queue; the all-queue rows add up to the period's counts."""
    assert export(day_url, "2026-11-20", "2026-11-21", out, "--lang", "en") == 0
    kpi = kpi_json(day_url, "2026-11-20", "2026-11-21")
    wb = load_workbook(out)
    rows = table(sheet(wb, "intervals", "en"), "en")
    all_rows = [r for r in rows if r["queue"] == "*"]
    assert len(all_rows) == 48
    assert len(rows) == 48 * (1 + len(kpi["queues"]))
    for key in ("offered", "answered", "abandoned", "short_abandoned"):
        assert sum(r[key] for r in all_rows) == kpi["total"][key]
        for qid, q in kpi["queues"].items():
            assert sum(r[key] for r in rows if r["queue"] == qid) == q[key]
    nine = next(r for r in all_rows if r["interval_start"].hour == 9 and r["interval_start"].minute == 0)
    assert nine["offered"] > 0
    assert 0 <= nine["service_level"] <= 1
    empty = next(r for r in all_rows if r["interval_start"].hour == 3)
    assert empty["offered"] == 0 and empty["service_level"] is None and empty["asa_seconds"] is None


def test_lists_match_the_counts(day_url: str, out: Path) -> None:
    assert export(day_url, "2026-11-20", "2026-11-21", out, "--lang", "en") == 0
    kpi = kpi_json(day_url, "2026-11-20", "2026-11-21")
    wb = load_workbook(out)
    breaches = table(sheet(wb, "breaches", "en"), "en")
    assert len(breaches) == kpi["total"]["sla_breaches"]
    assert all(r["wait"] > 900 or r["queue"] == "deposit" and r["wait"] > 300 for r in breaches)
    audit = table(sheet(wb, "audit", "en"), "en")
    assert len(audit) == kpi["escalations"]["reassignments"]
    escalations = table(sheet(wb, "escalations", "en"), "en")
    resolved_here = [r for r in escalations if r["resolved_at"] is not None
                     and r["resolved_at"].isoformat() < "2026-11-21"
                     and r["resolved_at"].isoformat() >= "2026-11-20"]
    assert len(resolved_here) == kpi["escalations"]["resolved"]
    assert sum(1 for r in resolved_here if r["on_time"] == "yes") == kpi["escalations"]["resolved_on_time"]


def test_simulated_week_equals_the_kpi_command(week_url: str, tmp_path: Path) -> None:
    """The real ``command-center`` processes, a simulated week: workbook == kpi --json."""
    out = tmp_path / "week.xlsx"
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": ""}
    base = [sys.executable, "-m", "supervisor"]
    period = ["--db", week_url, "--from", "2026-11-16", "--to", "2026-11-23"]
    done = subprocess.run([*base, "export", *period, "--out", str(out)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    kpi = json.loads(subprocess.run([*base, "kpi", *period, "--json"], capture_output=True,
                                    text=True, timeout=120, check=True).stdout)
    assert kpi["total"]["offered"] > 1000
    # LANG=zh_CN picks Chinese headers when --lang is not given
    assert assert_workbook_equals_kpi(out, kpi, "zh") > 200
    wb = load_workbook(out)
    assert len(table(sheet(wb, "audit", "zh"), "zh")) == kpi["escalations"]["reassignments"] > 0
    assert len(table(sheet(wb, "breaches", "zh"), "zh")) == kpi["total"]["sla_breaches"]


@pytest.mark.parametrize("formula", ["answered_only", "removed_within_sla"])
def test_simulated_day_of_the_week_other_formulas(week_url: str, out: Path, formula: str) -> None:
    start, end = "2026-11-18", "2026-11-19"
    assert export(week_url, start, end, out, "--formula", formula, "--lang", "en") == 0
    assert_workbook_equals_kpi(out, kpi_json(week_url, start, end, formula), "en")


def test_filters_restrict_queues_and_agents(week_url: str, out: Path) -> None:
    """--queue / --team: the engine's report for those queues and teams, nothing else."""
    from supervisor.kpi_cli import load_journal, resolve_period

    builder, tz = load_journal(week_url)
    queues = list(builder.facts.queue_order)[:2]
    team = next(a.team for a in builder.facts.agents.values() if a.team)
    assert export(week_url, "2026-11-17", "2026-11-18", out, "--lang", "en",
                  "--queue", queues[0], "--queue", queues[1], "--team", team) == 0
    start, end = resolve_period("2026-11-17", "2026-11-18", tz)
    expected = builder.report(start, end, queues=queues, teams=[team]).to_json()
    assert list(expected["queues"]) == queues
    assert_workbook_equals_kpi(out, expected, "en")
    wb = load_workbook(out)
    assert {r["team"] for r in table(sheet(wb, "agents", "en"), "en")} == {team}
    assert {r["queue"] for r in table(sheet(wb, "intervals", "en"), "en")} == {*queues, "*"}
    assert {r["queue"] for r in table(sheet(wb, "breaches", "en"), "en")} <= set(queues)
    figures = summary_figures(sheet(wb, "summary", "en"), "en")
    assert figures["offered"] == expected["total"]["offered"]


def test_replayed_bank_day_equals_kpi_json(tmp_path: Path, out: Path) -> None:
    """A real day of the anonymous bank (1999-01-04, +02:00), replayed and journaled."""
    from tests.export.journals import write_replayed_day

    january = raw_month("01")
    url = f"sqlite:///{tmp_path / 'bank.db'}"
    assert write_replayed_day(url, str(january), "1999-01-04") > 1000
    assert export(url, "1999-01-04", "1999-01-05", out, "--lang", "en") == 0
    kpi = kpi_json(url, "1999-01-04", "1999-01-05")
    assert kpi["from"] == "1999-01-04T00:00:00+02:00"
    assert kpi["total"]["offered"] > 500
    assert_workbook_equals_kpi(out, kpi, "en")


def test_an_empty_journal_gives_an_empty_but_valid_workbook(tmp_path: Path, out: Path) -> None:
    """No events yet (a fresh install): every count 0, every ratio an empty cell, kpi agrees."""
    from supervisor.store import Store

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    Store(url).close()
    assert export(url, "2026-11-20", "2026-11-21", out, "--lang", "zh") == 0
    kpi = kpi_json(url, "2026-11-20", "2026-11-21")
    assert kpi["queues"] == {} and kpi["total"]["offered"] == 0
    assert_workbook_equals_kpi(out, kpi, "zh")
    wb = load_workbook(out)
    assert len(table(sheet(wb, "intervals", "zh"), "zh")) == 48
    assert table(sheet(wb, "breaches", "zh"), "zh") == []


def test_the_plain_openpyxl_path_writes_the_same_figures(
    day_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With lxml installed the rows go through openpyxl's own cells: same workbook content."""
    import openpyxl

    fast, plain = tmp_path / "fast.xlsx", tmp_path / "plain.xlsx"
    assert export(day_url, "2026-11-20", "2026-11-21", fast, "--lang", "en") == 0
    monkeypatch.setattr(openpyxl, "LXML", True)  # makes the exporter take openpyxl's path
    assert export(day_url, "2026-11-20", "2026-11-21", plain, "--lang", "en") == 0
    assert_workbook_equals_kpi(plain, kpi_json(day_url, "2026-11-20", "2026-11-21"), "en")
    a, b = load_workbook(fast), load_workbook(plain)
    for ws_a, ws_b in zip(a.worksheets, b.worksheets):
        if ws_a.title == a.worksheets[0].title:
            continue  # the summary holds the time it was generated
        cells_a = [(c.value, c.number_format, c.data_type) for row in ws_a.iter_rows() for c in row]
        cells_b = [(c.value, c.number_format, c.data_type) for row in ws_b.iter_rows() for c in row]
        assert cells_a == cells_b, ws_a.title

"""The scripted day: the engine and ``command-center kpi --json`` against figures computed
independently from the day's facts (tests/kpi/day.py), for each service-level formula."""

from __future__ import annotations

import json

import pytest

from supervisor import cli
from supervisor.kpi import FORMULAS, KpiBuilder
from tests.kpi import day
from tests.kpi.script import at


@pytest.fixture(scope="module")
def builder() -> KpiBuilder:
    b = KpiBuilder()
    b.feed_many(day.build_script().events())
    return b


def test_reference_figures_are_what_the_day_says() -> None:
    """The independent computation itself, checked against figures worked out by hand."""
    exp = day.expected_json()
    cc, dep, vip = exp["queues"]["credit_card"], exp["queues"]["deposit"], exp["queues"]["vip"]
    # c1..c9 (c7 transferred in from deposit; c0 was queued the day before)
    assert (cc["offered"], cc["answered"], cc["abandoned"], cc["short_abandoned"], cc["waiting"]) == (9, 5, 2, 1, 1)
    assert cc["answered_within_sla"] == 4  # c1, c2 (exactly T), c7, c9 — not c3 (T + 1 ms)
    assert cc["service_level"] == 0.5714  # 4 / (5 + 2)
    assert cc["abandonment_rate"] == 0.25  # 2 / (9 - 1)
    assert cc["asa_seconds"] == 636.0  # (120 + 900 + 900.001 + 660 + 600) / 5
    assert cc["aht_seconds"] == 438.0  # c0 360, c1 390, c2 300, c3 479.999, c7 660
    assert cc["sla_breaches"] == 3  # c3, c6, c8 (still waiting 40 min)
    assert (dep["offered"], dep["outcome_unknown"], dep["service_level"]) == (7, 1, 0.2)
    assert dep["sla_breaches"] == 3  # d2 (T + 0.5 s), d6, d7; d4 abandoned at T exactly
    assert vip["offered"] == 0 and vip["service_level"] is None and vip["asa_seconds"] is None
    assert exp["agents"]["a1"]["handled"] == 3 and exp["agents"]["a4"]["csat"] is None
    assert exp["agents"]["a4"]["aht_seconds"] == 404.8  # d2 443.5, x1 366 (never queued)
    assert exp["escalations"] == {
        "opened": 6, "resolved": 4, "resolved_on_time": 2, "on_time_rate": 0.5,
        "overdue_open": 1, "mean_time_to_resolve_seconds": 17100.0, "reassignments": 2,
    }
    for f in ("answered_only", "removed_within_sla"):
        other = day.expected_json(f)["queues"]["credit_card"]["service_level"]
        assert other == {"answered_only": 0.8, "removed_within_sla": 0.6667}[f]


@pytest.mark.parametrize("formula", FORMULAS)
def test_engine_matches_the_independent_figures(builder: KpiBuilder, formula: str) -> None:
    got = builder.report(day.START, day.END, formula=formula).to_json()
    assert got == day.expected_json(formula)


def test_unknown_ids_are_counted_as_anomalies(builder: KpiBuilder) -> None:
    assert builder.anomalies["call.answered for an unknown contact"] == 1  # x1
    assert builder.anomalies["survey.completed for an unknown contact"] == 1  # ghost
    assert sum(builder.anomalies.values()) == 2


def test_server_now_defaults_to_the_last_event(builder: KpiBuilder) -> None:
    report = builder.report(day.START, day.END)
    assert report.server_now == day.last_event_time()
    # at 23:50 c8 (queued 23:40) had waited 10 minutes only, and e7 was still open
    earlier = builder.report(day.START, day.END, server_now=at("23:50:00"))
    assert earlier.queues["credit_card"].sla_breaches == 2  # c8 waited 10 min only
    assert earlier.escalations.overdue_open == 2  # e4, and e7 (resolved only after midnight)


def test_lists_agree_with_the_counts(builder: KpiBuilder) -> None:
    report = builder.report(day.START, day.END)
    breaches = builder.sla_breaches(day.START, day.END)
    assert {r.call_id for r in breaches} == {"c3", "c6", "c8", "d2", "d6", "d7"}
    assert len(breaches) == report.total.sla_breaches
    c8 = next(r for r in breaches if r.call_id == "c8")
    assert c8.outcome == "waiting" and c8.wait_seconds == 40 * 60  # live wait at server_now
    assert c8.customer is not None and c8.customer.phone == "13812345678"  # raw: masking is the UI's
    c3 = next(r for r in breaches if r.call_id == "c3")
    assert (c3.queue, c3.wait_seconds, c3.agent_id) == ("credit_card", 900.001, "a1")

    contacts = builder.contacts(day.START, day.END)
    assert len(contacts) == report.total.offered
    c7 = next(r for r in contacts if r.call_id == "c7")
    assert (c7.first_queue, c7.queue, c7.transfers) == ("deposit", "credit_card", 1)
    assert (c7.talk_seconds, c7.wrap_up_seconds, c7.handle_seconds) == (540.0, 120.0, 660.0)
    assert [r.short for r in contacts if r.outcome == "abandoned"].count(True) == 2
    assert next(r for r in contacts if r.call_id == "d5").outcome == "unknown"

    escs = {r.escalation_id: r for r in builder.escalations(day.START, day.END)}
    assert set(escs) == {"e1", "e2", "e3", "e4", "e5", "e6", "e7"}
    assert escs["e2"].on_time is True and escs["e3"].on_time is False and escs["e4"].on_time is None
    assert escs["e3"].reassignments == 2 and escs["e3"].owner is not None and escs["e3"].owner.id == "o3"
    assert escs["e6"].time_to_resolve_seconds == 12.5 * 3600
    assert escs["e4"].overdue_open and not escs["e5"].overdue_open and not escs["e7"].overdue_open

    moves = builder.reassignments(day.START, day.END)
    assert [(m.escalation_id, m.from_owner.id, m.to_owner.id, m.reason, m.by.id) for m in moves] == [
        ("e3", "o1", "o2", "休假", "lead-1"), ("e3", "o2", "o3", "专业对口", "lead-1"),
    ]
    assert moves[0].at == at("10:30:30") and moves[0].department == "credit_card_center"


def test_interval_table_adds_up_to_the_period(builder: KpiBuilder) -> None:
    report = builder.report(day.START, day.END)
    rows = builder.intervals(day.START, day.END, minutes=30)
    assert len(rows) == 48 * (len(report.queues) + 1)
    for name in [*report.queues, None]:
        mine = [r for r in rows if r.queue == name]
        assert len(mine) == 48 and mine[0].start == day.START and mine[-1].end == day.END
        period = report.queues[name] if name is not None else report.total
        for key in ("offered", "answered", "abandoned", "short_abandoned", "waiting",
                    "answered_within_sla", "sla_breaches", "aht_calls", "surveys"):
            assert sum(getattr(r.figures, key) for r in mine) == getattr(period, key), (name, key)
    # 09:00-09:30 in credit_card: c1..c7 offered (c7 queued at 09:20 in deposit, answered
    # in credit_card); c1, c2, c3, c7 answered, c1, c2 (at T), c7 within T
    row = next(r for r in rows if r.queue == "credit_card" and r.start == at("09:00:00"))
    f = row.figures
    assert (f.offered, f.answered, f.abandoned, f.short_abandoned, f.answered_within_sla) == (7, 4, 2, 1, 3)
    assert f.service_level == 0.5  # 3 / (4 + 2)
    assert f.max_wait_seconds == 1200.0
    # the trend series the desktop draws: one point per interval
    from supervisor.kpi import series

    volume = series(rows, "offered")
    assert len(volume) == 48 and volume[18] == (at("09:00:00"), 7) and sum(v for _, v in volume) == 16
    assert series(rows, "service_level", "credit_card")[18] == (at("09:00:00"), 0.5)
    # an interval with nothing in it: counts 0, every ratio and mean None
    night = next(r for r in rows if r.queue == "deposit" and r.start == at("03:00:00")).figures
    assert night.offered == 0 and night.service_level is None and night.asa_seconds is None


def test_filters_restrict_queues_and_teams(builder: KpiBuilder) -> None:
    report = builder.report(day.START, day.END, queues=["deposit"], teams=["二组"])
    assert list(report.queues) == ["deposit"]
    assert report.total.offered == report.queues["deposit"].offered == 7
    assert sorted(report.agents) == ["a3", "a4"]


def test_periods_split_in_two_add_up(builder: KpiBuilder) -> None:
    noon = at("12:00:00")
    whole = builder.report(day.START, day.END)
    a, b = builder.report(day.START, noon), builder.report(noon, day.END)
    for key in ("offered", "answered", "abandoned", "short_abandoned", "waiting", "outcome_unknown",
                "answered_within_sla", "sla_breaches", "aht_calls", "surveys"):
        assert getattr(a.total, key) + getattr(b.total, key) == getattr(whole.total, key), key
    for agent_id, fig in whole.agents.items():
        for state, secs in fig.state_seconds.items():
            halves = sum(r.agents[agent_id].state_seconds.get(state, 0.0)
                         for r in (a, b) if agent_id in r.agents)
            assert halves == pytest.approx(secs, abs=0.1)
    assert a.escalations.opened + b.escalations.opened == whole.escalations.opened
    assert a.escalations.resolved + b.escalations.resolved == whole.escalations.resolved


def test_bad_period_and_formula_are_errors(builder: KpiBuilder) -> None:
    with pytest.raises(ValueError, match="empty"):
        builder.report(day.END, day.START)
    with pytest.raises(ValueError, match="empty"):
        builder.report(day.START, day.START)
    with pytest.raises(ValueError, match="formula"):
        builder.report(day.START, day.END, formula="vendor_magic")


# --------------------------------------------------------------------------- through the CLI


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> str:
    from supervisor.store import Store

    path = tmp_path_factory.mktemp("kpi") / "journal.db"
    url = f"sqlite:///{path}"
    script = day.build_script()
    with Store(url) as store:
        assert script.write(store) == len(script.messages)
    return url


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("formula", FORMULAS)
def test_cli_json_matches_the_independent_figures(
    journal: str, capsys: pytest.CaptureFixture[str], formula: str
) -> None:
    code, out, err = run_cli(capsys, "kpi", "--db", journal, "--from", "2026-11-20",
                             "--to", "2026-11-21", "--json", "--formula", formula)
    assert (code, err) == (0, "")
    assert out.count("\n") == 1  # exactly one JSON object
    assert json.loads(out) == day.expected_cli_json(formula)


def test_cli_default_formula_and_rfc3339_bounds_in_another_offset(
    journal: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "kpi", "--db", journal, "--from", "2026-11-19T16:00:00Z",
                           "--to", "2026-11-20T16:00:00+00:00", "--json")
    assert code == 0
    assert json.loads(out) == day.expected_cli_json("abandons_count_against")  # from/to in +08:00


def test_cli_table_for_people(journal: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "kpi", "--db", journal, "--from", "2026-11-20", "--to", "2026-11-21")
    assert code == 0
    lines = out.splitlines()
    assert "Period 2026-11-20T00:00:00+08:00 to 2026-11-21T00:00:00+08:00" in lines[0]
    assert "abandons_count_against" in lines[1]
    cc = next(line for line in lines if line.startswith("credit_card"))
    assert "57.1%" in cc and "10:36" in cc and "20:00" in cc and "7:18" in cc  # SL, ASA, max wait, AHT
    vip = next(line for line in lines if line.startswith("vip"))
    assert vip.split()[1:8] == ["0"] * 7 and vip.count("—") == 7  # no ratio pretends to be 0 %
    total = next(line for line in lines if line.startswith("TOTAL"))
    assert "41.7%" in total
    a4 = next(line for line in lines if line.startswith("a4 "))
    assert "坐席a4" in a4 and "二组" in a4 and "—" in a4  # no surveys: CSAT —
    header = next(line for line in lines if line.startswith("queue"))
    # columns line up: every queue row is as wide as its header (figures right-aligned)
    for row in (cc, vip, total):
        assert len(row) == len(header)
    escalations = lines[lines.index("Escalations") + 2]
    assert escalations.split() == ["6", "4", "2", "50.0%", "1", "4:45:00", "2"]  # 17100 s to resolve


def test_cli_period_outside_the_journal_has_empty_figures(
    journal: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "kpi", "--db", journal, "--from", "2026-12-01", "--to", "2026-12-02", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["total"]["offered"] == 0 and data["total"]["service_level"] is None
    assert data["agents"] == {}
    assert data["escalations"]["opened"] == 0 and data["escalations"]["on_time_rate"] is None
    # overdue is taken at server_now (the end of the journal), whatever the period
    assert data["escalations"]["overdue_open"] == 1


def test_pruning_keeps_later_periods_and_forgets_the_rest() -> None:
    b = KpiBuilder()
    b.feed_many(day.build_script().events())
    noon = at("12:00:00")
    before = (b.report(noon, day.END).to_json(), b.escalations(noon, day.END),
              b.reassignments(noon, day.END), b.sla_breaches(noon, day.END))
    held = len(b.facts.contacts)
    assert b.prune(noon) > 0
    assert len(b.facts.contacts) < held
    assert "c1" not in b.facts.contacts and "c8" in b.facts.contacts  # done vs still waiting
    assert "d5" in b.facts.contacts  # outcome unknown: kept
    assert "e1" not in b.facts.escalations and "e4" in b.facts.escalations
    after = (b.report(noon, day.END).to_json(), b.escalations(noon, day.END),
             b.reassignments(noon, day.END), b.sla_breaches(noon, day.END))
    assert after == before

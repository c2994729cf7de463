"""T and W per queue as the server told them (KPI.md "T and W of a contact"), and time
travel that never gives a negative duration. Expectations are worked out by hand or by
the Fraction oracle of ``sla_day.py``, never by the engine."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from supervisor import timeutil
from supervisor.kpi import FORMULAS, KpiBuilder
from tests.kpi import sla_day
from tests.kpi.script import at, contact, escalation

ROOT = Path(__file__).resolve().parents[2]


def kpi_cli(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process: ``python -m supervisor kpi``."""
    return subprocess.run(
        [sys.executable, "-m", "supervisor", "kpi", "--db", url, "--from", "2026-11-20", "--to", "2026-11-21",
         *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )


def kpi_json(url: str, formula: str = "abandons_count_against") -> dict[str, Any]:
    proc = kpi_cli(url, "--json", "--formula", formula)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    return dict(json.loads(proc.stdout))


@pytest.fixture(scope="module")
def backfilled_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sla') / 'journal.db'}"
    journal = sla_day.backfilled_journal()
    assert journal.write(url) == len(journal.messages)  # the snapshot shares the last seq, yet fits
    return url


# --------------------------------------------------------------------------- (a) the oracle day


def test_the_oracle_itself_has_the_issue_shape() -> None:
    """Worked out by hand from the call list: what the issue says the figures must be."""
    vip = sla_day.expected()["queues"]["vip"]
    assert (vip["offered"], vip["answered"], vip["abandoned"], vip["short_abandoned"]) == (38, 31, 5, 2)
    assert vip["answered_within_sla"] == 22  # not 30 (against 900 s)
    assert vip["sla_breaches"] == 10  # 8 + 1 answered after 300 s, 1 abandoned after 600 s; not 1
    assert vip["service_level"] == 0.6111  # 22 / 36; not 0.8333 (30 / 36)
    assert (vip["name"], vip["sla_seconds"], vip["warn_seconds"]) == ("贵宾专线", 300, 180)
    assert sla_day.expected("answered_only")["queues"]["vip"]["service_level"] == 0.7097  # 22 / 31
    assert sla_day.expected("removed_within_sla")["queues"]["vip"]["service_level"] == 0.7368  # 28 / 38
    general = sla_day.expected()["queues"]["general"]
    # 890 and 900 within; 901 and the 950 s abandon breach, and g9 waits 1500 s at 11:30
    assert (general["answered_within_sla"], general["sla_breaches"], general["waiting"]) == (2, 3, 1)


@pytest.mark.parametrize("formula", FORMULAS)
def test_kpi_json_measures_each_queue_against_what_the_server_said(backfilled_url: str, formula: str) -> None:
    got = kpi_json(backfilled_url, formula)
    want = sla_day.expected(formula)
    assert got["queues"] == want["queues"]
    assert got["total"] == want["total"]
    assert got["service_level_formula"] == formula
    assert got["missing_events"] == 0  # the snapshot at seq N is not a gap
    assert got["anomalies"] == {}


def test_each_queue_has_exactly_kpi_md_keys_and_its_name_t_and_w(backfilled_url: str) -> None:
    got = kpi_json(backfilled_url)
    kpi_md = {"offered", "answered", "abandoned", "short_abandoned", "waiting", "answered_within_sla",
              "service_level", "abandonment_rate", "asa_seconds", "max_wait_seconds", "aht_seconds",
              "sla_breaches", "csat", "csat_top2_share"}
    for q in got["queues"].values():
        assert set(q) == kpi_md | {"outcome_unknown", "name", "sla_seconds", "warn_seconds"}
    assert set(got["total"]) == kpi_md | {"outcome_unknown"}
    assert got["queues"]["walkin"]["name"] == ""  # never described: no name made up for it


def test_the_table_names_the_queue_and_its_t(backfilled_url: str) -> None:
    proc = kpi_cli(backfilled_url)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    vip = [line for line in lines if line.startswith("vip 贵宾专线")]
    assert len(vip) == 2  # its figures, and its T and W
    assert vip[1].split()[2:4] == ["300", "180"]
    assert not any(line.startswith("Missing events") for line in lines)


def test_the_breach_list_uses_each_contacts_t() -> None:
    b = KpiBuilder()
    b.feed_many(sla_day.backfilled_journal().events())
    rows = b.sla_breaches(sla_day.START, sla_day.END, queues=["vip"])
    # by hand: answered after 300 s (v22..v30) and the abandon after 600 s (v35)
    assert [r.call_id for r in rows] == [f"v{i}" for i in range(22, 31)] + ["v35"]
    assert {r.sla_seconds for r in rows} == {300.0}
    assert min(r.wait_seconds for r in rows if r.wait_seconds is not None) == 300.001


def test_kpi_json_on_postgresql(pg_db_url: str) -> None:
    journal = sla_day.backfilled_journal()
    assert journal.write(pg_db_url) == len(journal.messages)
    got = kpi_json(pg_db_url)
    want = sla_day.expected()
    assert (got["queues"], got["total"]) == (want["queues"], want["total"])
    assert (got["missing_events"], got["anomalies"]) == (0, {})


# --------------------------------------------------------------------------- (b) queue.updated mid-day


def changed_midday() -> sla_day.Journal:
    """loans: 900 / 600 from the first snapshot; at 12:00 queue.updated says 300 / 180."""
    j = sla_day.Journal()
    loans = {"id": "loans", "name": "贷款", "sla_seconds": 900, "warn_seconds": 600}
    j.add("snapshot", at("07:00:00"), {"queues": [loans], "agents": [], "waiting": [], "cases": [],
                                       "escalations": [], "departments": []}, part=1, parts=1)
    items: list[tuple[Any, int, str, dict[str, Any]]] = []

    def add(ts: Any, type_: str, data: dict[str, Any]) -> None:
        items.append((ts, len(items), type_, data))

    def call(cid: str, queued: str, done: str, outcome: str = "answered") -> None:
        add(at(queued), "call.queued", {"contact": contact(cid, "loans", at(queued))})
        if outcome == "waiting":
            return
        if outcome == "answered":
            add(at(done), "call.answered", {"call_id": cid, "agent_id": "a1", "at": timeutil.fmt(at(done))})
        else:
            add(at(done), "call.abandoned", {"call_id": cid, "at": timeutil.fmt(at(done))})

    call("L1", "10:00:00", "10:10:00")  # 600 s, answered before the change: within 900
    call("L2", "11:50:00", "11:59:59.999")  # 599.999 s, 1 ms before the change: within 900
    call("L3", "11:50:00", "12:02:00")  # 720 s, answered after the change: beyond 300
    call("L4", "11:53:20", "12:00:00", "abandoned")  # 400 s, abandoned AT the update's ts: beyond 300
    call("L5", "12:10:00", "12:13:20")  # 200 s: within 300
    call("L6", "12:30:00", "", "waiting")  # still waiting at 12:40: 600 s, beyond 300 (T in force now)
    add(at("12:00:00"), "queue.updated",
        {"queue": {"id": "loans", "name": "个人贷款", "sla_seconds": 300, "warn_seconds": 180}})
    add(at("12:40:00"), "agent.state", sla_day.agent("a1", "available", at("12:40:00")))
    items.sort(key=lambda i: (i[0], i[1]))
    for ts, _, type_, data in items:
        j.add(type_, ts, data)
    return j


def test_queue_updated_changes_t_from_its_ts_on() -> None:
    b = KpiBuilder()
    b.feed_many(changed_midday().events())
    q = b.report(sla_day.START, sla_day.END).queues["loans"]
    # within: L1, L2 (against 900), L5 (against 300); beyond: L3, L4 (against 300), L6 waiting
    assert (q.offered, q.answered, q.abandoned, q.waiting) == (6, 4, 1, 1)
    assert q.answered_within_sla == 3
    assert q.abandoned_within_sla == 0
    assert q.sla_breaches == 3
    assert q.service_level == 0.6  # 3 / (4 + 1)
    breaches = b.sla_breaches(sla_day.START, sla_day.END)
    assert [(r.call_id, r.sla_seconds) for r in breaches] == [("L3", 300.0), ("L4", 300.0), ("L6", 300.0)]
    contacts = {r.call_id: r for r in b.contacts(sla_day.START, sla_day.END)}
    assert contacts["L2"].sla_seconds == 900.0 and not contacts["L2"].breached


def test_queue_updated_in_the_interval_table_and_the_parameters() -> None:
    b = KpiBuilder()
    b.feed_many(changed_midday().events())
    rows = {r.start: r.figures for r in b.intervals(sla_day.START, sla_day.END, queues=["loans"])
            if r.queue == "loans"}
    # 11:30-12:00: L2 (within 900), L3 (720 s after the change), L4 (abandoned at the change)
    f = rows[at("11:30:00")]
    assert (f.offered, f.answered_within_sla, f.sla_breaches, f.service_level) == (3, 1, 2, 0.3333)
    morning = b.report(sla_day.START, at("12:00:00")).to_json()["queues"]["loans"]
    assert (morning["name"], morning["sla_seconds"], morning["warn_seconds"]) == ("贷款", 900, 600)
    day = b.report(sla_day.START, sla_day.END)
    assert day.to_json()["queues"]["loans"]["sla_seconds"] == 300
    assert day.to_json()["queues"]["loans"]["name"] == "个人贷款"
    params = day.parameters["loans"]
    assert params.changed and [(t, w) for _, t, w in params.in_force] == [(900, 600), (300, 180)]
    assert params.in_force[1][0] == at("12:00:00")
    # removed within T: L1, L2, L5 of 6 offered
    assert b.report(sla_day.START, sla_day.END, formula="removed_within_sla").queues["loans"].service_level == 0.5


def test_before_the_first_record_the_first_record_holds() -> None:
    """The backfill rule: a contact answered before the snapshot that told its queue's T
    (journaled after it) is measured against that T, not the protocol's 900 s."""
    j = sla_day.Journal()
    j.add("call.queued", at("09:00:00"), {"contact": contact("c1", "vip", at("09:00:00"))})
    j.add("call.answered", at("09:06:00"), {"call_id": "c1", "agent_id": "a1", "at": timeutil.fmt(at("09:06:00"))})
    j.add("snapshot", at("11:00:00"), {"queues": [sla_day.VIP], "agents": [], "waiting": [], "cases": [],
                                       "escalations": [], "departments": []}, seq=2, part=1, parts=1)
    b = KpiBuilder()
    b.feed_many(j.events())
    q = b.report(sla_day.START, sla_day.END).queues["vip"]
    assert (q.answered, q.answered_within_sla, q.sla_breaches) == (1, 0, 1)  # 360 s > 300 s


# --------------------------------------------------------------------------- (c) time travel


def time_travel() -> sla_day.Journal:
    j = sla_day.Journal()
    j.add("snapshot", at("07:00:00"), {"queues": [sla_day.VIP], "agents": [], "waiting": [], "cases": [],
                                       "escalations": [], "departments": []})

    def fmt(hms: str) -> str:
        return timeutil.fmt(at(hms))

    # answered 14 minutes before it was queued (the queueing comes first in the stream)
    j.add("call.queued", at("09:14:00"), {"contact": contact("t1", "vip", at("09:14:00"))})
    j.add("call.answered", at("09:14:01"), {"call_id": "t1", "agent_id": "a1", "at": fmt("09:00:00")})
    j.add("agent.state", at("09:14:01"), sla_day.agent("a1", "on_call", at("09:14:01"), "t1"))
    # ended before it was answered
    j.add("call.queued", at("10:00:00"), {"contact": contact("t2", "vip", at("10:00:00"))})
    j.add("call.answered", at("10:01:00"), {"call_id": "t2", "agent_id": "a2", "at": fmt("10:01:00")})
    j.add("agent.state", at("10:01:00"), sla_day.agent("a2", "on_call", at("10:01:00"), "t2"))
    j.add("call.ended", at("10:02:00"), {"call_id": "t2", "agent_id": "a2", "at": fmt("09:55:00"), "case_id": None})
    j.add("agent.state", at("10:02:00"), sla_day.agent("a2", "wrap_up", at("10:02:00"), "t2"))
    j.add("agent.state", at("10:03:00"), sla_day.agent("a2", "available", at("10:03:00")))
    # wrap-up ended (the agent available) before the call ended
    j.add("call.queued", at("11:00:00"), {"contact": contact("t3", "vip", at("11:00:00"))})
    j.add("call.answered", at("11:01:00"), {"call_id": "t3", "agent_id": "a3", "at": fmt("11:01:00")})
    j.add("agent.state", at("11:01:00"), sla_day.agent("a3", "on_call", at("11:01:00"), "t3"))
    j.add("agent.state", at("11:05:00"), sla_day.agent("a3", "wrap_up", at("11:05:00"), "t3"))
    j.add("call.ended", at("11:06:00"), {"call_id": "t3", "agent_id": "a3", "at": fmt("11:06:00"), "case_id": None})
    j.add("agent.state", at("11:06:01"), sla_day.agent("a3", "available", at("11:04:00")))
    # an escalation resolved before it was opened
    rec = escalation("e1", at("13:00:00"), at("15:00:00"))
    j.add("escalation.opened", at("13:00:00"), {"escalation": rec})
    j.add("escalation.resolved", at("13:05:00"), {"escalation_id": "e1", "at": fmt("12:00:00"), "resolution": "已处理"})
    return j


def test_time_travel_is_counted_and_never_gives_a_negative_duration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    time_travel().write(url)
    got = kpi_json(url)
    assert got["anomalies"] == {
        "call.answered before the contact was queued": 1,
        "call.ended before the call was answered": 1,
        "wrap-up ended before the call ended": 1,
        "escalation resolved before it was opened": 1,
        "agent.state starting before the agent's previous state": 1,  # a3 available "since 11:04"
    }
    vip = got["queues"]["vip"]
    # waits 0 (clamped, was −840 s), 60 s, 60 s
    assert vip["asa_seconds"] == 40.0 and vip["max_wait_seconds"] == 60.0
    assert vip["answered_within_sla"] == 3 and vip["sla_breaches"] == 0
    # handle: t2 talk 0 (ended 6 min "before" its answer at 10:01) + wrap-up from the answer
    # to 10:03, 120 s; t3 talk 300 s + wrap-up 0 (left wrap-up "before" the end)
    assert vip["aht_seconds"] == 210.0
    assert got["agents"]["a2"]["aht_seconds"] == 120.0
    assert got["escalations"]["mean_time_to_resolve_seconds"] == 0.0
    for a in got["agents"].values():
        assert all(v >= 0 for v in a["state_seconds"].values())


def test_time_travel_in_the_lists_is_clamped_too() -> None:
    b = KpiBuilder()
    b.feed_many(time_travel().events())
    rows = {r.call_id: r for r in b.contacts(sla_day.START, sla_day.END)}
    assert rows["t1"].wait_seconds == 0.0
    assert (rows["t2"].talk_seconds, rows["t2"].wrap_up_seconds, rows["t2"].handle_seconds) == (0.0, 120.0, 120.0)
    assert (rows["t3"].talk_seconds, rows["t3"].wrap_up_seconds, rows["t3"].handle_seconds) == (300.0, 0.0, 300.0)
    (e,) = b.escalations(sla_day.START, sla_day.END)
    assert e.time_to_resolve_seconds == 0.0


def test_answered_before_queued_when_the_queueing_arrives_late() -> None:
    """The contradiction is counted whichever of the two events arrives last."""
    j = sla_day.Journal()
    j.add("call.answered", at("09:00:00"), {"call_id": "c1", "agent_id": "a1", "at": timeutil.fmt(at("09:00:00"))})
    j.add("call.queued", at("09:10:00"), {"contact": contact("c1", "vip", at("09:10:00"))})
    b = KpiBuilder()
    b.feed_many(j.events())
    assert b.anomalies["call.answered before the contact was queued"] == 1
    q = b.report(sla_day.START, sla_day.END).queues["vip"]
    assert (q.answered, q.asa_seconds, q.max_wait_seconds) == (1, 0.0, 0.0)


# --------------------------------------------------------------------------- missing events, parts


def test_missing_events_are_reported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    j = sla_day.Journal()
    for i, hms in enumerate(("09:00:00", "09:01:00", "09:02:00")):
        j.add("call.queued", at(hms), {"contact": contact(f"c{i}", "vip", at(hms))})
    j.seq += 4  # seqs 4..7 never arrived
    j.add("call.queued", at("09:30:00"), {"contact": contact("c9", "vip", at("09:30:00"))})
    j.write(url)
    assert kpi_json(url)["missing_events"] == 4
    proc = kpi_cli(url)
    assert proc.returncode == 0
    assert any(line.startswith("Missing events: 4") for line in proc.stdout.splitlines())


def test_a_snapshot_in_parts_is_applied_once_whole() -> None:
    j = sla_day.Journal()
    waiting = [contact("c1", "vip", at("09:00:00")), contact("c2", "vip", at("09:01:00"))]
    base = {"agents": [], "cases": [], "escalations": [], "departments": []}
    j.add("call.queued", at("09:00:00"), {"contact": waiting[0]})
    j.add("call.queued", at("09:01:00"), {"contact": waiting[1]})
    j.add("snapshot", at("09:05:00"), {**base, "queues": [sla_day.VIP], "waiting": [waiting[0]]},
          seq=2, part=1, parts=2)
    j.add("snapshot", at("09:05:00"), {**base, "queues": [], "waiting": [waiting[1]]}, seq=2, part=2, parts=2)
    b = KpiBuilder()
    b.feed_many(j.events())
    q = b.report(sla_day.START, sla_day.END).queues["vip"]
    assert (q.waiting, q.outcome_unknown) == (2, 0)  # part 1 alone would have lost c2
    # a snapshot whose second part never comes is not applied: c1 and c2 stay waiting
    j2 = sla_day.Journal()
    j2.add("call.queued", at("09:00:00"), {"contact": waiting[0]})
    j2.add("call.queued", at("09:01:00"), {"contact": waiting[1]})
    j2.add("snapshot", at("09:05:00"), {**base, "queues": [], "waiting": []}, seq=2, part=1, parts=2)
    j2.add("call.answered", at("09:06:00"), {"call_id": "c1", "agent_id": "a1",
                                             "at": timeutil.fmt(at("09:06:00"))})
    b2 = KpiBuilder()
    b2.feed_many(j2.events())
    q2 = b2.report(sla_day.START, sla_day.END).queues["vip"]
    assert (q2.answered, q2.waiting, q2.outcome_unknown) == (1, 1, 0)


def test_period_ending_before_a_change_reports_the_old_values() -> None:
    b = KpiBuilder()
    b.feed_many(changed_midday().events())
    early = b.report(sla_day.START, at("12:00:00"))
    assert not early.parameters["loans"].changed
    assert early.parameters["loans"].sla_seconds == 900
    assert b.report(at("12:00:00"), sla_day.START + timedelta(days=1)).parameters["loans"].sla_seconds == 300

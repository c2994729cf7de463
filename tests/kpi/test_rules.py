"""The KPI rules one at a time: snapshots, wrap-up, unknown ids, empty denominators, rounding."""

from __future__ import annotations

from datetime import timedelta

import pytest

from supervisor.kpi import KpiBuilder
from supervisor.kpi.rounding import mean_seconds, ratio, round_fraction
from tests.kpi.script import DAY, Script, agent, at, contact, escalation, queue

END = DAY + timedelta(days=1)


def built(script: Script) -> KpiBuilder:
    b = KpiBuilder()
    b.feed_many(script.events())
    return b


def base() -> Script:
    s = Script()
    s.snapshot(at("08:00:00"), queues=[queue("q", 900)])
    return s


# --------------------------------------------------------------------------- snapshots


def test_snapshot_makes_vanished_contacts_unknown_and_adds_new_ones() -> None:
    s = base()
    s.queued(at("09:00:00"), "gone", "q")
    s.queued(at("09:01:00"), "kept", "q")
    s.new_epoch("E2")
    s.snapshot(at("09:30:00"), queues=[queue("q", 900)], waiting=[
        contact("kept", "q", at("09:01:00")), contact("new", "q", at("09:20:00")),
    ])
    b = built(s)
    q = b.report(DAY, END).queues["q"]
    assert (q.offered, q.waiting, q.outcome_unknown, q.answered, q.abandoned) == (3, 2, 1, 0, 0)
    rows = {r.call_id: r for r in b.contacts(DAY, END)}
    assert rows["gone"].outcome == "unknown" and rows["gone"].wait_seconds is None
    assert not rows["gone"].breached  # nobody can prove it breached
    assert rows["new"].queued_at == at("09:20:00")  # offered at its queued_at, not at the snapshot


def test_a_lost_contact_answered_later_is_answered() -> None:
    s = base()
    s.queued(at("09:00:00"), "c", "q")
    s.snapshot(at("09:30:00"), queues=[queue("q")])  # gap: c not listed
    s.answered(at("09:31:00"), "c", "a1")  # ... but the platform still tells us
    q = built(s).report(DAY, END).queues["q"]
    assert (q.answered, q.outcome_unknown, q.asa_seconds) == (1, 0, 1860.0)


def test_snapshot_transfers_a_waiting_contact_and_updates_queue_sla() -> None:
    s = base()
    s.queued(at("09:00:00"), "c", "q")
    s.snapshot(at("09:30:00"), queues=[queue("q", 900), queue("r", 60)],
               waiting=[contact("c", "r", at("09:00:00"))])
    s.answered(at("09:31:00"), "c", "a1")
    r = built(s).report(DAY, END)
    assert r.queues["q"].offered == 0 and r.queues["r"].offered == 1
    assert r.queues["r"].answered_within_sla == 0 and r.queues["r"].sla_breaches == 1  # T = 60 s


def test_snapshot_drops_agents_it_does_not_list() -> None:
    s = base()
    s.state(at("09:00:00"), "a1", "available")
    s.snapshot(at("10:00:00"), queues=[queue("q")], agents=[])
    s.state(at("11:00:00"), "a2", "available")  # something later, so server_now moves on
    a1 = built(s).report(DAY, END).agents["a1"]
    assert a1.state_seconds == {"available": 3600.0}  # 09:00-10:00, not up to server_now


# --------------------------------------------------------------------------- wrap-up


def _answered_call(s: Script, agent_id: str = "a1") -> None:
    s.queued(at("09:00:00"), "c", "q")
    s.state(at("09:01:00"), agent_id, "on_call", call_id="c")
    s.answered(at("09:01:00"), "c", agent_id)


def test_wrap_up_runs_to_the_next_state_other_than_wrap_up() -> None:
    s = base()
    _answered_call(s)
    s.ended(at("09:05:00"), "c", "a1")
    s.state(at("09:05:00"), "a1", "wrap_up", call_id="c")
    s.state(at("09:05:30"), "a1", "wrap_up", call_id="c", reason="notes")  # still wrap-up
    s.state(at("09:06:10"), "a1", "break", reason="rest")
    row = built(s).contacts(DAY, END)[0]
    assert (row.talk_seconds, row.wrap_up_seconds, row.handle_seconds) == (240.0, 70.0, 310.0)


def test_no_wrap_up_when_the_agent_had_moved_on_before_the_end_arrived() -> None:
    s = base()
    _answered_call(s)
    s.state(at("09:05:00"), "a1", "available")
    s.ended(at("09:05:00"), "c", "a1")
    s.state(at("12:00:00"), "a1", "break")  # much later: must not become wrap-up
    row = built(s).contacts(DAY, END)[0]
    assert (row.wrap_up_seconds, row.handle_seconds) == (0.0, 240.0)


def test_unfinished_wrap_up_has_no_handle_time_yet() -> None:
    s = base()
    _answered_call(s)
    s.ended(at("09:05:00"), "c", "a1")
    s.state(at("09:05:00"), "a1", "wrap_up", call_id="c")
    b = built(s)
    q = b.report(DAY, END).queues["q"]
    assert (q.aht_seconds, q.aht_calls) == (None, 0)
    assert b.contacts(DAY, END)[0].talk_seconds == 240.0
    # the wrap-up ends: the handle time appears
    more = Script("E1")
    more.seq = s.seq
    more.state(at("09:07:00"), "a1", "available")
    b.feed_many(more.events())
    assert b.report(DAY, END).queues["q"].aht_seconds == 360.0


def test_aht_counts_in_the_period_of_call_ended() -> None:
    s = base()
    s.queued(at("23:50:00", -1), "c", "q")
    s.answered(at("23:55:00", -1), "c", "a1")
    s.ended(at("00:05:00"), "c", "a1")
    s.state(at("00:05:00"), "a1", "available")
    b = built(s)
    yesterday = b.report(DAY - timedelta(days=1), DAY).queues["q"]
    today = b.report(DAY, END).queues["q"]
    assert (yesterday.offered, yesterday.aht_seconds) == (1, None)
    assert (today.offered, today.aht_seconds, today.aht_calls) == (0, 600.0, 1)


# --------------------------------------------------------------------------- unknown ids


def test_events_about_unknown_ids_never_crash_and_are_counted() -> None:
    s = base()
    s.transferred(at("09:00:00"), "t1", "q")
    s.abandoned(at("09:01:00"), "ab1")
    s.ended(at("09:02:00"), "en1", "a9")
    s.survey(at("09:03:00"), "nobody", 5)
    s.reassigned(at("09:04:00"), "e-none", "o1", "o2", "why")
    s.resolved(at("09:05:00"), "e-none2")
    s.queued(at("09:06:00"), "dup", "q")
    s.abandoned(at("09:07:00"), "dup")
    s.answered(at("09:08:00"), "dup", "a1")  # already abandoned: ignored
    s.queued(at("09:09:00"), "dup", "q")  # queued again after it left: the first life counts
    b = built(s)
    r = b.report(DAY, END)
    q = r.queues["q"]
    assert (q.offered, q.abandoned, q.answered, q.waiting) == (1, 1, 0, 0)
    # a reassignment is a fact of its own; a resolution without any record of the
    # escalation (opened, due) cannot be counted as resolved on time or late
    assert r.escalations.reassignments == 1 and r.escalations.resolved == 0
    assert b.anomalies["call.transferred for an unknown contact"] == 1
    assert b.anomalies["call.abandoned for an unknown contact"] == 1
    assert b.anomalies["call.ended for an unknown contact"] == 1
    assert b.anomalies["survey.completed for an unknown contact"] == 1
    assert b.anomalies["escalation.reassigned for an unknown escalation"] == 1
    assert b.anomalies["escalation.resolved for an unknown escalation"] == 1
    assert b.anomalies["call.answered for a contact already abandoned"] == 1
    assert b.anomalies["call.queued for a contact already answered or abandoned"] == 1


def test_a_late_call_queued_completes_a_contact_first_seen_answered() -> None:
    s = base()
    s.answered(at("09:02:00"), "late", "a1")
    s.emit("call.queued", at("09:02:01"), {"contact": contact("late", "q", at("09:00:00"))})
    b = built(s)
    q = b.report(DAY, END).queues["q"]
    assert (q.offered, q.answered, q.asa_seconds) == (1, 1, 120.0)
    assert b.anomalies["call.answered for an unknown contact"] == 1
    assert b.anomalies["call.queued after the contact's outcome"] == 1


def test_unknown_event_types_and_control_messages_are_ignored() -> None:
    from supervisor import wire

    s = base()
    s.emit("call.teleported", at("09:00:00"), {"call_id": "x"})
    s.emit("heartbeat", at("09:30:00"), {"server_time": "2026-11-20T09:30:00.000+08:00"})
    events = [wire.decode(text) for _, text in s.messages]
    assert isinstance(events[1], wire.UnknownEvent)
    b = KpiBuilder()
    b.feed_many(events)
    assert b.server_now == at("09:30:00")
    assert b.report(DAY, END).total.offered == 0


# --------------------------------------------------------------------------- empty denominators


def test_every_ratio_with_an_empty_denominator_is_none() -> None:
    s = base()
    s.queued(at("09:00:00"), "short", "q")
    s.abandoned(at("09:00:02"), "short")
    r = built(s).report(DAY, END)
    q = r.queues["q"]
    assert (q.offered, q.short_abandoned) == (1, 1)
    assert q.service_level is None  # answered + abandoned = 0
    assert q.abandonment_rate is None  # offered - short = 0
    assert q.asa_seconds is None and q.aht_seconds is None and q.csat is None
    assert q.max_wait_seconds == 2.0  # a short abandon still waited
    assert q.to_json()["service_level"] is None
    removed = built(s).report(DAY, END, formula="removed_within_sla").queues["q"]
    assert removed.service_level == 1.0  # (0 + 0 + 1 short) / 1 offered
    only = built(s).report(DAY, END, formula="answered_only").queues["q"]
    assert only.service_level is None


def test_answered_only_ignores_abandons_and_removed_counts_waiting_against() -> None:
    s = base()
    s.queued(at("09:00:00"), "a", "q")
    s.answered(at("09:01:00"), "a", "a1")
    s.queued(at("09:00:00"), "b", "q")
    s.abandoned(at("09:30:00"), "b")
    s.queued(at("09:00:00"), "w", "q")
    b = built(s)
    now = at("09:10:00")  # w had waited 10 minutes: no breach either way
    assert b.report(DAY, END, formula="answered_only", server_now=now).queues["q"].service_level == 1.0
    assert b.report(DAY, END, formula="abandons_count_against").queues["q"].service_level == 0.5
    # (1 answered within + 0 abandoned within + 0 short) / 3 offered
    assert b.report(DAY, END, formula="removed_within_sla").queues["q"].service_level == 0.3333


def test_agent_without_staffed_time_has_no_occupancy() -> None:
    s = base()
    s.state(at("09:00:00"), "a1", "training")
    s.state(at("10:00:00"), "a1", "offline")
    a1 = built(s).report(DAY, END).agents["a1"]
    assert a1.occupancy is None and a1.aht_seconds is None and a1.csat is None and a1.handled == 0
    assert a1.state_seconds == {"training": 3600.0}


def test_escalations_without_resolutions() -> None:
    s = base()
    s.esc_opened(at("09:00:00"), escalation("e1", at("09:00:00"), at("11:00:00")))
    s.state(at("10:00:00"), "a1", "available")
    e = built(s).report(DAY, END).escalations
    assert (e.opened, e.resolved, e.on_time_rate, e.mean_time_to_resolve_seconds, e.overdue_open) == (
        1, 0, None, None, 0)


def test_escalation_resolved_by_an_update_only_uses_the_update_time() -> None:
    s = base()
    s.esc_opened(at("09:00:00"), escalation("e1", at("09:00:00"), at("11:00:00")))
    s.esc_updated(at("10:00:00"), escalation("e1", at("09:00:00"), at("11:00:00"), status="resolved"))
    e = built(s).report(DAY, END).escalations
    assert (e.resolved, e.resolved_on_time, e.mean_time_to_resolve_seconds) == (1, 1, 3600.0)


def test_escalation_listed_resolved_by_a_snapshot_has_no_known_resolution_time() -> None:
    s = base()
    s.snapshot(at("12:00:00"), queues=[queue("q")], escalations=[
        escalation("e1", at("09:00:00"), at("10:00:00"), status="resolved")])
    e = built(s).report(DAY, END).escalations
    assert (e.opened, e.resolved, e.overdue_open) == (1, 0, 0)


def test_due_date_moved_by_an_update_counts() -> None:
    s = base()
    s.esc_opened(at("09:00:00"), escalation("e1", at("09:00:00"), at("10:00:00")))
    s.esc_updated(at("09:30:00"), escalation("e1", at("09:00:00"), at("12:00:00")))
    s.resolved(at("11:00:00"), "e1")
    assert built(s).report(DAY, END).escalations.resolved_on_time == 1


# --------------------------------------------------------------------------- rounding


def test_rounding_is_half_up_on_the_exact_value() -> None:
    assert ratio(1, 32) == 0.0313  # 0.03125: a tie, rounded up (Python's round() says 0.0312)
    assert ratio(2, 3) == 0.6667 and ratio(1, 3) == 0.3333
    assert ratio(0, 5) == 0.0 and ratio(3, 0) is None
    assert mean_seconds(900_050_000, 1) == 900.1  # 900.05 s: a tie
    assert mean_seconds(3_000_001, 3) == 1.0
    assert round_fraction(33, 8, 2) == 4.13  # a mean score of 4.125
    assert round_fraction(-1, 20, 1) == -0.1  # ties away from zero


def test_seconds_and_ratios_in_json_are_plain_numbers() -> None:
    s = base()
    s.queued(at("09:00:00"), "a", "q")
    s.answered(at("09:00:10.050"), "a", "a1")
    q = built(s).report(DAY, END).to_json()["queues"]["q"]
    assert q["asa_seconds"] == 10.1 and q["max_wait_seconds"] == 10.1
    assert q["service_level"] == 1.0
    assert isinstance(q["offered"], int)


def test_short_abandon_threshold_is_a_parameter() -> None:
    s = base()
    s.queued(at("09:00:00"), "a", "q")
    s.abandoned(at("09:00:08"), "a")
    b = built(s)
    assert b.report(DAY, END).queues["q"].short_abandoned == 0
    assert b.report(DAY, END, short_abandon_s=10).queues["q"].short_abandoned == 1


def test_report_times_are_in_the_center_timezone() -> None:
    from datetime import timezone

    s = base()
    r = built(s).report(DAY.astimezone(timezone.utc), END.astimezone(timezone.utc))
    assert r.to_json()["from"] == "2026-11-20T00:00:00+08:00"
    with pytest.raises(ValueError):
        built(s).report(DAY.replace(tzinfo=None), END)


def test_agent_time_is_clipped_and_the_open_state_runs_to_server_now() -> None:
    s = Script()
    s.snapshot(at("21:00:00", -1), queues=[queue("q")])
    s.emit("agent.state", at("22:00:00", -1), {"agent": agent("a1", "available", at("22:00:00", -1))})
    s.state(at("01:00:00"), "a1", "break")
    s.state(at("02:00:00"), "a2", "available")  # server_now 02:00
    r = built(s).report(DAY, END)
    assert r.agents["a1"].state_seconds == {"available": 3600.0, "break": 3600.0}
    assert "a2" not in r.agents  # no time in any state yet, no calls: not part of the period

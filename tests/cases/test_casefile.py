"""The drill-down built from a real journal: contents, order, and resolving ids to a case."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from supervisor import casefile, caselookup
from supervisor.escalations import ReassignRecord, record_reassign, record_reveal
from supervisor import wire
from supervisor.store import Store
from tests.cases.scenario import PHONE, at, case_life, open_store


def test_every_event_of_the_case_appears_in_the_timeline_in_order(db_url: str) -> None:
    s = case_life()
    actor = {"id": "u-7", "name": "值班长", "role": "duty_lead"}
    with Store(db_url) as store:
        s.journal(store)
        record_reveal(store, actor, at(3700), "case-1", "k-1", "核实身份", "ok")
        cf = casefile.load_case_file(store, "case-1", s.floor())
        # and the journal alone (no floor) resolves every kind of row to the case
        assert caselookup.resolve_case(store, None, "a-1") == "case-1"
        assert caselookup.resolve_case(store, None, "e-1") == "case-1"
    assert cf.timeline[-1].kind == "reveal" and cf.timeline[-1].source == "audit"
    seqs = [e.seq for e in cf.timeline if e.source == "journal"]
    assert seqs == s.case_seqs  # each event once, none of another case, in the order they happened
    kinds = [e.kind for e in cf.timeline]
    assert kinds == [
        "case_opened", "queued", "transferred", "agent_state", "answered", "agent_state", "ended",
        "note", "case_updated", "survey", "escalation_opened", "reassigned", "escalation_updated",
        "escalation_resolved", "reveal",
    ]
    times = [e.at for e in cf.timeline]
    assert times == sorted(times)


def test_the_case_header_calls_and_escalations(tmp_path: Path) -> None:
    s = case_life()
    with open_store(tmp_path) as store:
        s.journal(store)
        cf = casefile.load_case_file(store, "case-1", s.floor())
    assert cf.known
    assert (cf.category, cf.status) == ("complaint", "pending")
    assert cf.customer is not None and cf.customer.phone == PHONE
    assert [c.call_id for c in cf.calls] == ["c-1"]
    call = cf.calls[0]
    assert call.queue == "complaints"  # after the transfer
    assert call.outcome == "ended" and call.agent_id == "a-1" and call.agent_name == "坐席a-1"
    assert call.wait_s == 44 and call.talk_s == 195 and call.survey_score == 2
    assert [e.escalation_id for e in cf.escalations] == ["e-1"]
    esc = cf.escalations[0]
    assert esc.owner.id == "s-2" and esc.status == "resolved"
    reassigned = next(e for e in cf.timeline if e.kind == "reassigned")
    assert reassigned.info["from"]["name"] == "李雷" and reassigned.info["to"]["name"] == "韩梅梅"
    assert reassigned.info["reason"] == "李雷休假" and reassigned.info["by"]["id"] == "u-7"
    updated = next(e for e in cf.timeline if e.kind == "case_updated")
    assert updated.info["changes"] == [("status", "open", "pending")]


def test_audit_entries_join_the_timeline(tmp_path: Path) -> None:
    s = case_life()
    actor = {"id": "u-7", "name": "值班长", "role": "duty_lead"}
    with open_store(tmp_path) as store:
        s.journal(store)
        record_reassign(store, actor, at(590), ReassignRecord(
            "e-1", "case-1", wire.Person("s-1", "李雷"), wire.Person("s-2", "韩梅梅"), "李雷休假", "ok"))
        record_reveal(store, actor, at(700), "case-1", "k-1", f"客户 {PHONE} 核实", "forbidden")
        record_reveal(store, actor, at(701), "case-9", "k-9", "核实", "ok")  # another case's never shows here
        cf = casefile.load_case_file(store, "case-1", s.floor())
    audit = [e for e in cf.timeline if e.source == "audit"]
    assert [e.kind for e in audit] == ["reassign_request", "reveal"]
    req = audit[0]
    assert req.info["result"] == "ok" and req.info["to"]["id"] == "s-2" and req.info["actor"]["id"] == "u-7"
    assert audit[1].info == {"actor": actor, "reason": "客户 138****5678 核实", "result": "forbidden"}
    i = [e.kind for e in cf.timeline]
    assert i.index("reassign_request") < i.index("reassigned") < i.index("reveal")


def test_a_case_known_only_from_the_snapshot_still_opens(tmp_path: Path) -> None:
    from tests.core.events import Stream, contact, queue
    from tests.cases.scenario import DEPARTMENTS, case_record, escalation, person
    st = Stream()
    snap = st.msg("snapshot", {
        "queues": [queue("credit_card")], "agents": [],
        "waiting": [contact("c-5", "credit_card", at(-120), case_id="case-5")],
        "cases": [case_record("case-5", call_ids=("c-5",),
                              notes=({"at": "2026-11-22T08:59:00.000+08:00", "by": "x", "text": "早先的备注"},))],
        "escalations": [escalation("e-5", "case-5", owner=person("s-1", "李雷"), due_s=-60, opened_s=-600)],
        "departments": DEPARTMENTS}, at(0))
    from supervisor.floor import Floor
    floor = Floor()
    floor.apply_batch([snap])
    with open_store(tmp_path) as store:
        cf = casefile.load_case_file(store, "case-5", floor)
        assert caselookup.case_for_call(store, floor, "c-5") == "case-5"
        assert caselookup.case_for_escalation(store, floor, "e-5") == "case-5"
    assert cf.known and cf.status == "open"
    assert [c.call_id for c in cf.calls] == ["c-5"] and cf.calls[0].outcome == "waiting"
    assert [e.kind for e in cf.timeline] == ["escalation_opened", "queued", "note", "case_opened"]
    assert all(e.source == "case" for e in cf.timeline)


def test_an_unknown_case_is_empty_not_an_error(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        cf = casefile.load_case_file(store, "case-nope", None)
    assert not cf.known and cf.timeline == () and cf.calls == ()


def test_resolving_a_call_an_agent_and_an_escalation_through_the_journal(tmp_path: Path) -> None:
    s = case_life()
    with open_store(tmp_path) as store:
        s.journal(store)
        # without the floor: the journal alone must answer
        assert caselookup.case_for_call(store, None, "c-1") == "case-1"
        assert caselookup.case_for_call(store, None, "c-2") is None
        assert caselookup.case_for_agent(store, None, "a-1") == "case-1"  # the last call's case
        assert caselookup.case_for_agent(store, None, "a-404") is None
        assert caselookup.case_for_escalation(store, None, "e-1") == "case-1"
        assert caselookup.case_for_escalation(store, None, "e-9") == "case-9"
        floor = s.floor()
        assert caselookup.case_for_agent(store, floor, "a-1") == "case-1"


def test_an_agents_current_call_wins_over_the_last(tmp_path: Path) -> None:
    from tests.core.events import agent, contact
    s = case_life()
    s.add("call.queued", {"contact": contact("c-7", "credit_card", at(4000), case_id="case-7")}, at(4000), False)
    s.add("call.answered", {"call_id": "c-7", "agent_id": "a-1", "at": "2026-11-22T10:06:50.000+08:00"},
          at(4010), False)
    s.add("agent.state", {"agent": agent("a-1", "on_call", at(4010), call_id="c-7")}, at(4010), False)
    with open_store(tmp_path) as store:
        s.journal(store)
        floor = s.floor()
        assert caselookup.case_for_agent(store, floor, "a-1") == "case-7"
        assert caselookup.case_for_agent(store, None, "a-1") == "case-7"


def test_resolve_case_takes_any_row_id(tmp_path: Path) -> None:
    s = case_life()
    with open_store(tmp_path) as store:
        s.journal(store)
        floor = s.floor()
        for key in ("case-1", "e-1", "a-1", "c-1"):
            assert caselookup.resolve_case(store, floor, key) == "case-1", key
            assert caselookup.resolve_case(store, None, key) == "case-1", key
        assert caselookup.resolve_case(store, floor, "c-2") is None
        assert caselookup.resolve_case(store, floor, "") is None

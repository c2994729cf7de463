"""``Floor.prune``: what a finished day left behind goes; live state stays."""

from __future__ import annotations

from datetime import timedelta

from supervisor.floor import Floor
from supervisor.timeutil import fmt
from tests.ui.events import T0, Stream, agent, case, contact, escalation, queue

MIDNIGHT = T0.replace(hour=0) + timedelta(days=1)


def _closed(record: dict) -> dict:
    return {**record, "status": "closed"}


def _day_one() -> tuple[Floor, Stream]:
    s = Stream()
    f = Floor()
    f.apply_batch([s.snapshot([queue("credit_card", "信用卡")], agents=[agent("a1", "available", T0),
                                                              agent("a2", "available", T0)],
                                 escalations=[escalation("e-snap", T0 + timedelta(hours=2), T0)])])
    s.advance(60)
    f.apply_batch([
        s.case(case("case-open", "card_loss", s.now)),
        s.case(case("case-closed", "card_loss", s.now)),
        s.escalation(escalation("e-done", s.now + timedelta(hours=1), s.now)),
        s.escalation(escalation("e-open", s.now + timedelta(hours=1), s.now)),
        s.escalation(escalation("e-late", s.now + timedelta(hours=1), s.now)),
        s.queued(contact("c-wait", "credit_card", s.now)),
        s.queued(contact("c-stale", "credit_card", s.now)),
        s.answered("c-stale", "a2"),
        s.agent(agent("a2", "on_call", s.now, call_id="c-stale")),
    ])
    s.advance(3600)
    f.apply_batch([s.case(_closed(case("case-closed", "card_loss", T0))), s.resolved("e-done")])
    s.now = MIDNIGHT - timedelta(minutes=5)
    f.apply_batch([s.queued(contact("c-talk", "credit_card", s.now)), s.answered("c-talk", "a1"),
                   s.agent(agent("a1", "on_call", s.now, call_id="c-talk"))])
    s.now = MIDNIGHT + timedelta(minutes=1)
    f.apply_batch([s.resolved("e-late"), s.case(_closed(case("case-open", "card_loss", T0)))])
    return f, s


def test_prune_drops_what_ended_before_the_cut_and_keeps_the_rest() -> None:
    f, _ = _day_one()
    changes = f.prune(MIDNIGHT, talking_before=MIDNIGHT - timedelta(hours=12))
    assert set(f.escalations) == {"e-snap", "e-open", "e-late"}  # e-late resolved after midnight
    assert set(f.cases) == {"case-open"}  # closed after midnight: today's
    assert set(f.waiting) == {"c-wait"}
    assert set(f.talking) == {"c-talk"}  # c-stale: answered 09:01, never ended
    assert f.anomalies == 1 and "c-stale" in f.anomaly_log[-1]
    assert changes.escalations_changed == {"e-done"}
    assert changes.cases_changed == {"case-closed"}
    assert changes.agents_changed == {"a2"}
    assert not changes.reset and not changes.waiting_removed
    # nothing more to forget: an empty change
    assert not f.prune(MIDNIGHT, talking_before=MIDNIGHT - timedelta(hours=12))


def test_prune_keeps_every_open_thing_however_old() -> None:
    f, s = _day_one()
    later = MIDNIGHT + timedelta(days=3)
    f.prune(later)  # no talking cut: calls in progress are left alone
    assert set(f.escalations) == {"e-snap", "e-open"}
    assert set(f.cases) == set()
    assert set(f.talking) == {"c-stale", "c-talk"}
    assert set(f.waiting) == {"c-wait"}
    assert set(f.agents) == {"a1", "a2"}


def test_an_escalation_touched_after_the_cut_stays_until_the_next() -> None:
    f, s = _day_one()
    s.now = MIDNIGHT + timedelta(minutes=2)
    rec = {**escalation("e-done", s.now, T0), "status": "resolved"}
    f.apply_batch([s.escalation(rec, opened=False)])  # updated again today
    f.prune(MIDNIGHT)
    assert "e-done" in f.escalations
    f.prune(MIDNIGHT + timedelta(days=1))
    assert "e-done" not in f.escalations


def test_bookkeeping_of_pruned_and_replaced_ids_does_not_grow() -> None:
    f, s = _day_one()
    for day in range(1, 4):
        s.now = MIDNIGHT + timedelta(days=day - 1, hours=10)
        batch = []
        for i in range(50):
            eid, cid = f"e-{day}-{i}", f"case-{day}-{i}"
            batch += [s.escalation(escalation(eid, s.now, s.now)), s.resolved(eid),
                      s.case(_closed(case(cid, "card_loss", s.now)))]
        f.apply_batch(batch)
        f.prune(MIDNIGHT + timedelta(days=day))
    assert len(f._escalation_touched) == len(f.escalations) <= 3
    assert len(f._case_touched) == len(f.cases) == 0
    # a snapshot replaces the state; what it dropped leaves the bookkeeping at the next prune
    f.apply_batch([s.snapshot([queue("credit_card", "信用卡")])])
    f.prune(s.now)
    assert f._escalation_touched == {} and f._case_touched == {}


def test_closed_cases_leave_during_the_day_and_nothing_else_does() -> None:
    f, s = _day_one()
    # case-closed closed at 10:01 (an hour after it opened); case-open closed just after midnight
    before = set(f.escalations), set(f.waiting), set(f.talking)
    changes = f.prune_settled(MIDNIGHT - timedelta(hours=1))
    assert changes.cases_changed == {"case-closed"} and set(f.cases) == {"case-open"}
    assert (set(f.escalations), set(f.waiting), set(f.talking)) == before  # resolved ones stay till midnight
    assert not f.prune_settled(MIDNIGHT - timedelta(hours=1))
    # a closed case touched within the window stays
    assert not f.prune_settled(MIDNIGHT)
    assert f.prune_settled(MIDNIGHT + timedelta(minutes=2)).cases_changed == {"case-open"}


def test_the_interpreter_forgets_settled_contacts_during_the_day_and_keeps_live_ones() -> None:
    f, s = _day_one()
    s.now = MIDNIGHT + timedelta(minutes=2)
    f.apply_batch([s.queued(contact("c-gone", "credit_card", s.now)), s.abandoned("c-gone"),
                   s._event("call.ended", {"call_id": "c-talk", "agent_id": "a1", "at": fmt(s.now)})])
    s.now = MIDNIGHT + timedelta(minutes=40)
    f.apply_batch([s.queued(contact("c-later", "credit_card", s.now)), s.abandoned("c-later")])
    interp = f.interpreter
    f.prune_settled(MIDNIGHT + timedelta(minutes=10))
    # settled before the cut: forgotten; settled after it, waiting, or talking without an end: kept
    assert interp.outcome("c-gone") is None and interp.outcome("c-talk") is None
    assert interp.outcome("c-later") == "abandoned"
    assert interp.outcome("c-wait") == "waiting" and interp.outcome("c-stale") == "answered"
    assert set(f.waiting) == {"c-wait"} and set(f.talking) == {"c-stale"}
    assert {"e-done", "e-late"} <= set(f.escalations)  # resolved ones stay on the board till midnight
    # a repeat of a forgotten contact's outcome later is an anomaly, never a row
    before = f.anomalies
    f.apply_batch([s.abandoned("c-gone")])
    assert f.anomalies == before + 1 and set(f.waiting) == {"c-wait"}

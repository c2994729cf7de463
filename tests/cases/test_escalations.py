"""Board figures, filters, sort by due and the reassignment rules, without Qt or a clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from supervisor import escalations as ex
from supervisor import wire
from tests.core.events import T0

NOW = T0 + timedelta(hours=2)


def esc(eid: str, *, due_min: float, dept: str = "it", owner: str = "s-1", severity: str = "normal",
        status: str = "open") -> wire.Escalation:
    return wire.Escalation(
        escalation_id=eid, case_id=f"case-{eid}", department=dept, owner=wire.Person(owner, owner.upper()),
        severity=severity, status=status, opened_at=T0, due_at=NOW + timedelta(minutes=due_min),  # type: ignore[arg-type]
    )


DEPTS = {
    "it": wire.Department("it", "科技部", (wire.Person("s-1", "A"), wire.Person("s-2", "B"))),
    "compliance": wire.Department("compliance", "合规部", (wire.Person("s-3", "C"),)),
}


def test_due_states_at_the_edges() -> None:
    assert ex.due_state(esc("a", due_min=-0.01), NOW) == "overdue"
    assert ex.due_state(esc("a", due_min=0), NOW) == "due_soon"  # due this very second: not yet late
    assert ex.due_state(esc("a", due_min=30), NOW) == "due_soon"
    assert ex.due_state(esc("a", due_min=30.02), NOW) == "ok"
    assert ex.due_state(esc("a", due_min=-500, status="resolved"), NOW) == "resolved"


def test_department_figures_count_open_overdue_and_due_soon() -> None:
    items = [
        esc("1", due_min=-5), esc("2", due_min=10), esc("3", due_min=90), esc("4", due_min=-1, status="resolved"),
        esc("5", due_min=-20, dept="compliance", status="in_progress"),
    ]
    figs = {f.department: f for f in ex.department_figures(items, NOW, ["it", "compliance", "legal"])}
    assert (figs["it"].open, figs["it"].overdue, figs["it"].due_soon) == (3, 1, 1)
    assert (figs["compliance"].open, figs["compliance"].overdue, figs["compliance"].due_soon) == (1, 1, 0)
    assert (figs["legal"].open, figs["legal"].overdue) == (0, 0)  # a quiet department is still listed


def test_filters_and_sort_by_due() -> None:
    items = [esc("late", due_min=-5, severity="low"), esc("soon", due_min=10, owner="s-2", severity="urgent"),
             esc("later", due_min=90, dept="compliance"), esc("done", due_min=-50, status="resolved"),
             esc("tie", due_min=10, severity="high")]
    ids = lambda f: [e.escalation_id for e in ex.filter_escalations(items, f, NOW)]  # noqa: E731
    assert ids(ex.BoardFilter()) == ["late", "soon", "tie", "later"]  # urgent before high at the same due
    assert ids(ex.BoardFilter(overdue_only=True)) == ["late"]
    assert ids(ex.BoardFilter(departments=frozenset({"compliance"}))) == ["later"]
    assert ids(ex.BoardFilter(owners=frozenset({"s-2"}))) == ["soon"]
    assert ids(ex.BoardFilter(severities=frozenset({"urgent", "low"}))) == ["late", "soon"]
    assert ids(ex.BoardFilter(include_resolved=True))[0] == "done"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-300, 300), st.sampled_from(["it", "compliance", "x"]),
                          st.sampled_from(["open", "in_progress", "resolved"])), max_size=40))
def test_figures_add_up(specs: list[tuple[int, str, str]]) -> None:
    items = [esc(str(i), due_min=m, dept=d, status=s) for i, (m, d, s) in enumerate(specs)]
    figs = ex.department_figures(items, NOW)
    assert sum(f.open for f in figs) == sum(1 for e in items if e.status != "resolved")
    assert sum(f.overdue for f in figs) == len(ex.filter_escalations(items, ex.BoardFilter(overdue_only=True), NOW))
    for f in figs:
        assert f.overdue + f.due_soon <= f.open


def test_who_may_reassign_and_reveal() -> None:
    assert ex.can_reassign("duty_lead")
    assert not ex.can_reassign("floor_supervisor") and not ex.can_reassign("manager") and not ex.can_reassign(None)
    assert ex.can_reveal("duty_lead") and ex.can_reveal("manager")
    assert not ex.can_reveal("floor_supervisor") and not ex.can_reveal(None)


def test_reassign_candidates_and_checks() -> None:
    e = esc("1", due_min=10)
    assert [c.person.id for c in ex.reassign_candidates(e, DEPTS)] == ["s-2"]  # never the current owner
    other = ex.reassign_candidates(e, DEPTS, "compliance")
    assert [(c.person.id, c.same_department) for c in other] == [("s-3", False)]
    assert ex.reassign_candidates(e, DEPTS, "nope") == []

    def code(role: str, target: wire.Escalation | None, to: str, reason: str) -> str | None:
        problem = ex.check_reassign(role, target, to, reason, DEPTS)
        return problem.code if problem else None

    assert code("duty_lead", e, "s-3", "moved to compliance") is None
    assert code("floor_supervisor", e, "s-3", "x") == "forbidden"
    assert code("manager", e, "s-3", "x") == "forbidden"
    assert code("duty_lead", None, "s-3", "x") == "not_found"
    assert code("duty_lead", esc("1", due_min=1, status="resolved"), "s-3", "x") == "conflict"
    assert code("duty_lead", e, "s-1", "x") == "invalid"  # already the owner
    assert code("duty_lead", e, "ghost", "x") == "invalid"
    assert code("duty_lead", e, "s-2", "   ") == "invalid"
    assert code("duty_lead", e, "s-2", "x" * (ex.MAX_REASON_CHARS + 1)) == "invalid"
    assert code("duty_lead", e, "s-2", "x" * ex.MAX_REASON_CHARS) is None
    problem = ex.check_reassign("duty_lead", e, "s-2", "", DEPTS)
    assert problem is not None and problem.field == "reason"


def test_owners_of_is_distinct_and_sorted() -> None:
    items = [esc("1", due_min=1, owner="s-2"), esc("2", due_min=1, owner="s-1"), esc("3", due_min=1, owner="s-2")]
    assert [p.id for p in ex.owners_of(items)] == ["s-1", "s-2"]


def test_now_is_never_read_from_the_machine() -> None:
    # with no clock yet (no hello), nothing is called overdue
    assert ex.BoardFilter(overdue_only=True).accepts(esc("1", due_min=-100), None) is False
    figs = ex.department_figures([esc("1", due_min=-100)], None)
    assert (figs[0].open, figs[0].overdue) == (1, 0)
    assert isinstance(NOW, datetime)

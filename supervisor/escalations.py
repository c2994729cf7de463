"""Escalation board figures, filters and reassignment rules, with no Qt and no clock.

The board (ui/escalation_board.py) and the reassign dialog ask these functions what to
show and what to allow; the simulator server enforces the same rules on its side, so a
client that skips them is still refused. Time is always passed in (server time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from supervisor import wire
from supervisor.masking import mask_free_text, mask_text

DUE_SOON_S = 30 * 60  # "due within 30 minutes" on the board
MAX_REASON_CHARS = 1000  # the simulator refuses longer reasons as invalid; say so before sending
SEVERITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}

# Who may do what (PROTOCOL.md roles). Reveal is a desk action of leads and managers;
# floor supervisors and the wall display never see raw customer data.
REASSIGN_ROLES = frozenset({"duty_lead"})
REVEAL_ROLES = frozenset({"duty_lead", "manager"})

DueState = Literal["resolved", "overdue", "due_soon", "ok"]


def can_reassign(role: str | None) -> bool:
    return role in REASSIGN_ROLES


def can_reveal(role: str | None) -> bool:
    return role in REVEAL_ROLES


def due_state(esc: wire.Escalation, now: datetime) -> DueState:
    """Resolved, overdue (past ``due_at``), due within 30 minutes, or ok."""
    if esc.status == "resolved":
        return "resolved"
    left = (esc.due_at - now).total_seconds()
    if left < 0:
        return "overdue"
    return "due_soon" if left <= DUE_SOON_S else "ok"


def is_overdue(esc: wire.Escalation, now: datetime) -> bool:
    return due_state(esc, now) == "overdue"


def due_key(esc: wire.Escalation) -> tuple[datetime, int, str]:
    """Sort key "by due": soonest deadline first, then the more severe, then by id (stable)."""
    return (esc.due_at, SEVERITY_RANK.get(esc.severity, 9), esc.escalation_id)


def sort_by_due(escalations: Iterable[wire.Escalation]) -> list[wire.Escalation]:
    return sorted(escalations, key=due_key)


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows. An empty set means "any"; resolved ones are hidden by default."""

    departments: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()  # owner ids
    severities: frozenset[str] = frozenset()
    overdue_only: bool = False
    include_resolved: bool = False

    def accepts(self, esc: wire.Escalation, now: datetime | None) -> bool:
        if esc.status == "resolved" and not self.include_resolved:
            return False
        if self.departments and esc.department not in self.departments:
            return False
        if self.owners and esc.owner.id not in self.owners:
            return False
        if self.severities and esc.severity not in self.severities:
            return False
        if self.overdue_only and (now is None or due_state(esc, now) != "overdue"):
            return False
        return True


def filter_escalations(
    escalations: Iterable[wire.Escalation], flt: BoardFilter, now: datetime | None
) -> list[wire.Escalation]:
    """The escalations ``flt`` accepts, sorted by due."""
    return sort_by_due(e for e in escalations if flt.accepts(e, now))


@dataclass
class DepartmentFigures:
    """The board's per-department headline: open, overdue, due within 30 minutes."""

    department: str
    open: int = 0
    overdue: int = 0
    due_soon: int = 0


def department_figures(
    escalations: Iterable[wire.Escalation],
    now: datetime | None,
    departments: Iterable[str] = (),
) -> list[DepartmentFigures]:
    """Figures per department, every known department listed (zeros too), most overdue first.

    ``open`` counts every unresolved escalation (status open or in_progress); overdue and
    due-soon are subsets of it. Without a clock (``now`` None) only ``open`` is counted.
    """
    figures: dict[str, DepartmentFigures] = {d: DepartmentFigures(d) for d in departments}
    for esc in escalations:
        if esc.status == "resolved":
            continue
        fig = figures.setdefault(esc.department, DepartmentFigures(esc.department))
        fig.open += 1
        if now is None:
            continue
        state = due_state(esc, now)
        if state == "overdue":
            fig.overdue += 1
        elif state == "due_soon":
            fig.due_soon += 1
    return sorted(figures.values(), key=lambda f: (-f.overdue, -f.due_soon, -f.open, f.department))


def owners_of(escalations: Iterable[wire.Escalation]) -> list[wire.Person]:
    """Distinct owners, by name, for the owner filter."""
    seen: dict[str, wire.Person] = {}
    for esc in escalations:
        seen.setdefault(esc.owner.id, esc.owner)
    return sorted(seen.values(), key=lambda p: (p.name or p.id, p.id))


# --------------------------------------------------------------------------- reassignment


@dataclass(frozen=True)
class Candidate:
    """A possible new owner: a member of some department."""

    person: wire.Person
    department: str
    same_department: bool  # a member of the escalation's own department


def reassign_candidates(
    esc: wire.Escalation, departments: Mapping[str, wire.Department], department: str | None = None
) -> list[Candidate]:
    """Members of ``department`` (default: the escalation's own) except the current owner."""
    dept_id = department or esc.department
    dept = departments.get(dept_id)
    if dept is None:
        return []
    return [
        Candidate(m, dept_id, dept_id == esc.department)
        for m in dept.members
        if m.id != esc.owner.id
    ]


def find_member(departments: Mapping[str, wire.Department], person_id: str) -> tuple[wire.Person, str] | None:
    """The person with this id and their department, if any department lists them."""
    for dept in departments.values():
        for member in dept.members:
            if member.id == person_id:
                return member, dept.id
    return None


ProblemCode = Literal["forbidden", "conflict", "invalid", "not_found"]


@dataclass(frozen=True)
class ReassignProblem:
    """Why a reassignment cannot be sent: a protocol error code and an English reason."""

    code: ProblemCode
    message: str
    field: str = ""  # "owner" | "reason" | "" for the form to point at


def check_reassign(
    role: str | None,
    esc: wire.Escalation | None,
    to_owner: str,
    reason: str,
    departments: Mapping[str, wire.Department],
) -> ReassignProblem | None:
    """The first reason the reassignment would be refused, or None when it may be sent.

    Mirrors the server's rules (the server decides in the end): only duty leads; the
    escalation must exist and not be resolved; the new owner must be a department
    member other than the current owner; a reason is required.
    """
    if not can_reassign(role):
        return ReassignProblem("forbidden", "only a duty lead may reassign escalations")
    if esc is None:
        return ReassignProblem("not_found", "no such escalation")
    if esc.status == "resolved":
        return ReassignProblem("conflict", "the escalation is already resolved")
    if not to_owner.strip():
        return ReassignProblem("invalid", "choose a new owner", "owner")
    if to_owner == esc.owner.id:
        return ReassignProblem("invalid", "the escalation already belongs to this owner", "owner")
    if find_member(departments, to_owner) is None:
        return ReassignProblem("invalid", "the new owner is not a member of any department", "owner")
    if not reason.strip():
        return ReassignProblem("invalid", "a reason is required", "reason")
    if len(reason.strip()) > MAX_REASON_CHARS:
        return ReassignProblem("invalid", f"the reason is longer than {MAX_REASON_CHARS} characters", "reason")
    return None


# --------------------------------------------------------------------------- audit

AUDIT_REASSIGN = "reassign"
AUDIT_REVEAL = "reveal"


@dataclass(frozen=True)
class ReassignRecord:
    """One reassignment request and its outcome, as the audit table keeps it."""

    escalation_id: str
    case_id: str
    from_owner: wire.Person
    to_owner: wire.Person
    reason: str
    result: str  # "ok" | an error code | "unknown" (no answer within the timeout)
    message: str = ""
    request_id: str = ""
    late: bool = False  # the server's answer came after the timeout was reported
    extra: dict[str, Any] = field(default_factory=dict)

    def detail(self) -> dict[str, Any]:
        return {
            "escalation_id": self.escalation_id,
            "case_id": self.case_id,
            "from": {"id": self.from_owner.id, "name": self.from_owner.name},
            "to": {"id": self.to_owner.id, "name": self.to_owner.name},
            "reason": self.reason,
            "result": self.result,
            "message": self.message,
            "request_id": self.request_id,
            "late": self.late,
            **self.extra,
        }


class AuditSink(Protocol):
    """What the audit needs of a store (``supervisor.store.Store`` has it)."""

    def add_audit(
        self, kind: str, actor: dict[str, Any], at: datetime, subject_id: str, detail: dict[str, Any]
    ) -> None: ...


def record_reassign(store: AuditSink, actor: Mapping[str, Any], at: datetime, record: ReassignRecord) -> None:
    """Audit one reassignment (who, from, to, why, when, result); the subject is the escalation."""
    store.add_audit(AUDIT_REASSIGN, dict(actor), at, record.escalation_id, record.detail())


def record_reveal(
    store: AuditSink, actor: Mapping[str, Any], at: datetime, case_id: str, customer_id: str,
    reason: str, result: str, *, known_names: Iterable[str] = (),
) -> None:
    """This desktop's convenience entry for one reveal: who (with role), which customer and
    case, why, when, and the server's answer ("ok" or the refusal's code). The subject is
    the case.

    Never an unmasked value: the reveal itself is not here, and the reason is masked (phone,
    ID and card numbers, and ``known_names``: pass the revealed name, which a reason may
    quote). The server's own audit trail is the record of truth.
    """
    detail = {
        "case_id": case_id,
        "customer_id": mask_free_text(customer_id) or customer_id,
        "reason": mask_text(reason, known_names),
        "result": result,
    }
    store.add_audit(AUDIT_REVEAL, dict(actor), at, case_id, detail)

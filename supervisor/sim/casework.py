"""Cases, escalations, surveys and the reassign command of the simulated center.

A share of answered contacts opens a case during the call; complaints and fraud
reports are escalated to a department with a feedback deadline (2 h, 1 h when urgent)
and move open → in_progress → resolved, some of them late. Departments work office
hours, so complaints raised in the evening are overdue by the next morning, as in life.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

from supervisor.sim import catalog, profile
from supervisor.sim.model import Json, Roster, SimAgent, SimCase, SimContact, SimEscalation
from supervisor.sim.source import ROLES_THAT_REASSIGN, CommandOutcome, refuse
from supervisor.sim.timebase import DAY_MS, HOUR_MS, MINUTE_MS

if TYPE_CHECKING:
    from supervisor.sim.engine import Engine

MAX_REASON_CHARS = 1000
PERSONAL_NOTE_SHARE = 0.15  # opening and follow-up notes that name the customer and a number
PERSONAL_SUBJECT_SHARE = 0.05  # subjects with the customer's name (and phone) in them
# cumulative weights computed once: random.choices would redo it on every draw
_CATEGORY_CUM = {q: tuple(itertools.accumulate(mix.values())) for q, mix in catalog.CATEGORY_MIX.items()}
_SCORE_CUM = tuple(itertools.accumulate((3, 4, 10, 30, 53)))  # most customers are satisfied


class CaseDesk:
    """The case and escalation side of the engine; emits through it, draws from its rng."""

    def __init__(self, engine: Engine, roster: Roster) -> None:
        self.e = engine
        self.rng = engine.rng
        self.people = roster.people
        self.member_of = roster.member_of
        self.members: dict[str, list[Json]] = {d["id"]: d["members"] for d in roster.departments}
        self._owner_turn = {d: itertools.count() for d in self.members}
        self.cases: dict[str, SimCase] = {}
        self.escalations: dict[str, SimEscalation] = {}
        self.resolved_ids: set[str] = set()  # pruned resolved escalations still answer 'conflict'
        self._followable: list[str] = []  # pending cases a customer may call back about
        self._case_seq = itertools.count(1)
        self._esc_seq = itertools.count(1)

    # ------------------------------------------------------------------ records

    def case_records(self) -> list[Json]:
        fmt = self.e.stamp
        return [c.record(fmt) for c in self.cases.values()]

    def escalation_records(self) -> list[Json]:
        fmt = self.e.stamp
        return [x.record(fmt) for x in self.escalations.values()]

    def prune(self, day_start: int) -> None:
        """At midnight: forget closed cases and resolved escalations not touched today."""
        self.cases = {
            k: c for k, c in self.cases.items() if c.status != "closed" or c.updated_at >= day_start
        }
        kept = {}
        for k, x in self.escalations.items():
            if x.status != "resolved" or x.updated_at >= day_start:
                kept[k] = x
        self.escalations = kept

    def _new_case_id(self) -> str:
        return f"case-{self.e.tag}-{next(self._case_seq):05d}"

    def _note(self, case: SimCase, by: str, text: str) -> None:
        case.add_note(self.e.ts(), by, text)
        case.updated_at = self.e.now_ms

    def _emit_case(self, type_: str, case: SimCase) -> None:
        self.e.emit(type_, {"case": case.record(self.e.stamp)})

    def _emit_escalation(self, type_: str, esc: SimEscalation) -> None:
        self.e.emit(type_, {"escalation": esc.record(self.e.stamp)})

    # ------------------------------------------------------------------ calls

    def follow_up_case(self) -> SimCase | None:
        """A random pending case the customer calls back about, if any."""
        pool = self._followable
        while pool:
            i = self.rng.randrange(len(pool))
            case = self.cases.get(pool[i])
            if case is not None and case.status == "pending":
                return case
            pool[i] = pool[-1]
            pool.pop()
        return None

    def on_answer(self, contact: SimContact, agent: SimAgent) -> None:
        """A new matter opens a case part-way through the call, as the agent types it up."""
        if contact.case_id is None and self.rng.random() < catalog.CASE_SHARE[contact.queue]:
            self.e.after(contact.talk_s * self.rng.uniform(0.15, 0.6), self._open_case, contact)

    def _open_case(self, contact: SimContact) -> None:
        if contact.status != "talking" or contact.agent is None:
            return
        rng = self.rng
        mix = catalog.CATEGORY_MIX[contact.queue]
        category = rng.choices(tuple(mix), cum_weights=_CATEGORY_CUM[contact.queue])[0]
        subject = rng.choice(catalog.SUBJECTS[(contact.queue, category)])
        note = rng.choice(catalog.OPEN_NOTES[category])
        customer = contact.customer
        pii = self.e.pii_rng  # how the agent typed it: with the customer's name and numbers, now and then
        if pii.random() < PERSONAL_SUBJECT_SHARE:
            subject = self.e.personal(customer, pii.choice(catalog.PERSONAL_SUBJECTS), subject=subject)
        if pii.random() < PERSONAL_NOTE_SHARE:
            note = self.e.personal(customer, pii.choice(catalog.PERSONAL_NOTES)) + note
        case = SimCase(self._new_case_id(), customer, category, subject, self.e.now_ms, contact.queue)
        case.call_ids.append(contact.call_id)
        self._note(case, contact.agent.name, note)
        self.cases[case.case_id] = case
        contact.case_id = case.case_id
        self._emit_case("case.opened", case)

    def on_end(self, contact: SimContact, agent: SimAgent) -> bool:
        """The call ended: record it on its case and decide the case's next step."""
        case = self.cases.get(contact.case_id) if contact.case_id else None
        if case is None:
            return False
        rng = self.rng
        if contact.call_id not in case.call_ids:  # the customer called back about it
            case.call_ids.append(contact.call_id)
            note = rng.choice(catalog.FOLLOW_UP_NOTES)
            if self.e.pii_rng.random() < PERSONAL_NOTE_SHARE:
                note = self.e.personal(case.customer, self.e.pii_rng.choice(catalog.PERSONAL_NOTES)) + note
            self._note(case, agent.name, note)
            self._emit_case("case.updated", case)
            return True
        category = case.category
        if category == "inquiry":
            case.status = "closed"
            self._note(case, agent.name, catalog.END_NOTES["inquiry"][0])
        elif category == "complaint" and rng.random() < 0.35:
            case.status = "closed"  # apologised and explained on the call
            self._note(case, agent.name, catalog.END_NOTES["complaint"][1])
        else:
            case.status = "pending"
            self._note(case, agent.name, catalog.END_NOTES[category][0])
            self._followable.append(case.case_id)
            if category in ("complaint", "fraud_report"):
                delay = rng.uniform(0.5, 3.0) if category == "fraud_report" else rng.uniform(1.0, 8.0)
                self.e.after(delay * 60.0, self._open_escalation, case)
            else:  # a back-office request: done in a few hours
                hours = profile.lognormal(rng, 3.0, 0.6)
                self.e.after(hours * 3600.0, self._close_case, case)
        self._emit_case("case.updated", case)
        return True

    def _close_case(self, case: SimCase) -> None:
        if case.status == "closed" or self.cases.get(case.case_id) is not case:
            return
        case.status = "closed"
        self._note(case, "后台", self.rng.choice(catalog.CLOSE_NOTES[case.category]))
        self._emit_case("case.updated", case)

    def maybe_survey(self, contact: SimContact) -> None:
        """Some customers answer the post-call survey a few minutes later."""
        rng = self.rng
        if contact.channel == "email" or rng.random() >= profile.SURVEY_SHARE:
            return
        score = rng.choices((1, 2, 3, 4, 5), cum_weights=_SCORE_CUM)[0]
        # a wait past the queue's amber mark costs goodwill: 3 minutes at the VIP line, 10
        # elsewhere. Drawn either way, so a queue change never reshuffles the rest of the day.
        annoyed = rng.random() < 0.6
        if annoyed and contact.answered_at - contact.queued_at > self.e.warn_ms(contact.queue):
            score -= 1
        case = self.cases.get(contact.case_id) if contact.case_id else None
        if case is not None and case.category == "complaint" and rng.random() < 0.5:
            score -= 1
        payload = (contact.call_id, contact.case_id, max(1, score))
        self.e.after(rng.uniform(30.0, 300.0), self._survey, payload)

    def _survey(self, payload: tuple[str, str | None, int]) -> None:
        call_id, case_id, score = payload
        self.e.emit("survey.completed", {"call_id": call_id, "case_id": case_id, "score": score, "at": self.e.ts()})

    # ------------------------------------------------------------------ escalations

    def _department_for(self, case: SimCase) -> str:
        if case.category == "fraud_report":
            return "risk"
        if self.rng.random() < 0.15:
            return "consumer_protection"  # a complaint the customer also took to the regulator
        return catalog.COMPLAINT_DEPARTMENT[case.queue]

    def _severity_for(self, case: SimCase) -> str:
        if case.category == "fraud_report":
            return "urgent"
        roll = self.rng.random()
        if case.customer.segment == "vip":
            return "high"
        return "low" if roll < 0.1 else ("high" if roll < 0.3 else "normal")

    def _next_owner(self, department: str) -> Json:
        members = self.members[department]
        return members[next(self._owner_turn[department]) % len(members)]

    def _make_escalation(self, case: SimCase, opened_at: int) -> SimEscalation:
        department = self._department_for(case)
        severity = self._severity_for(case)
        esc = SimEscalation(
            f"e-{self.e.tag}-{next(self._esc_seq):04d}", case.case_id, department,
            self._next_owner(department), severity, opened_at,
            opened_at + profile.DUE_MINUTES[severity] * MINUTE_MS, case.subject, case.category,
            case.customer,
        )
        case.escalation_id = esc.escalation_id
        self.escalations[esc.escalation_id] = esc
        return esc

    def _open_escalation(self, case: SimCase) -> None:
        if case.status != "pending" or case.escalation_id is not None:
            return
        esc = self._make_escalation(case, self.e.now_ms)
        self._emit_escalation("escalation.opened", esc)
        ack, resolve = self._progress_times(esc, self.e.now_ms)
        self.e.at(ack, self._acknowledge, esc)
        self.e.at(resolve, self._resolve, esc)

    def _work_start(self, esc: SimEscalation, t: int) -> int:
        """When the department starts on it: now if urgent or in office hours, else next morning."""
        if esc.severity == "urgent":
            return t
        stamp = self.e.stamp
        day = stamp.day_start(t)
        hour = (t - day) / HOUR_MS
        if hour < profile.DEPT_OPEN_H:
            return day + int(profile.DEPT_OPEN_H * HOUR_MS)
        if hour >= profile.DEPT_CLOSE_H:
            return day + DAY_MS + int(profile.DEPT_OPEN_H * HOUR_MS)
        return t

    def _progress_times(self, esc: SimEscalation, t: int) -> tuple[int, int]:
        rng = self.rng
        start = self._work_start(esc, t)
        ack = start + int(profile.lognormal(rng, profile.ACK_MEAN_MIN, 0.8) * MINUTE_MS)
        median = profile.RESOLVE_MEDIAN_MIN[esc.severity]
        resolve = start + int(rng.lognormvariate(math.log(median), profile.RESOLVE_SIGMA) * MINUTE_MS)
        return ack, max(resolve, ack + MINUTE_MS)

    def _acknowledge(self, esc: SimEscalation) -> None:
        if esc.status != "open":
            return
        esc.status = "in_progress"
        esc.updated_at = self.e.now_ms
        self._emit_escalation("escalation.updated", esc)

    def _resolve(self, esc: SimEscalation) -> None:
        if esc.status == "resolved" or self.escalations.get(esc.escalation_id) is not esc:
            return
        rng = self.rng
        esc.status = "resolved"
        esc.updated_at = self.e.now_ms
        self.resolved_ids.add(esc.escalation_id)
        resolution = rng.choice(catalog.RESOLUTIONS.get(esc.category, catalog.RESOLUTIONS["complaint"]))
        self.e.emit("escalation.resolved", {"escalation_id": esc.escalation_id, "at": self.e.ts(), "resolution": resolution})
        self._emit_escalation("escalation.updated", esc)
        case = self.cases.get(esc.case_id)
        if case is not None and case.status != "closed":
            case.status = "closed"
            self._note(case, esc.owner.get("name", ""), rng.choice(catalog.CLOSE_NOTES[case.category]))
            self._emit_case("case.updated", case)

    # ------------------------------------------------------------------ the backlog at start

    def seed_backlog(self) -> None:
        """Open matters carried over from before the start, a few of them already overdue.

        They are part of the initial snapshot (no events), so a desktop connecting at
        the start sees a working day in progress rather than an empty escalation board.
        """
        rng = self.rng
        e = self.e
        start = e.start_ms
        count = max(4, len(e.agents) // 8)
        overdue = max(2, count // 4)
        complaint_queues = tuple(q for q in catalog.QUEUES if q != "card_loss_fraud")
        for i in range(count):
            fraud = rng.random() < 0.15
            queue = "card_loss_fraud" if fraud else rng.choice(complaint_queues)
            category = "fraud_report" if fraud else "complaint"
            late = i < overdue
            opened = start - int(
                (rng.uniform(2.2, 10.0) * 60 if late else rng.uniform(5.0, 50.0)) * MINUTE_MS
            )
            case = SimCase(
                self._new_case_id(), e.customer(queue == "vip"), category,
                rng.choice(catalog.SUBJECTS[(queue, category)]), opened - int(rng.uniform(2, 10) * MINUTE_MS),
                queue,
            )
            case.call_ids.append(f"c-{e.tag}-h{i + 1:03d}")
            by = rng.choice(e.agents).name
            case.add_note(e.stamp(case.opened_at), by, rng.choice(catalog.OPEN_NOTES[category]))
            case.add_note(e.stamp(opened), by, catalog.END_NOTES[category][0])
            case.status = "pending"
            case.updated_at = opened
            self.cases[case.case_id] = case
            self._followable.append(case.case_id)
            esc = self._make_escalation(case, opened)
            if late or start - opened > 20 * MINUTE_MS:
                esc.status = "in_progress"
            else:
                e.at(start + int(rng.uniform(2, 20) * MINUTE_MS), self._acknowledge, esc)
            if late:
                resolve = start + int(rng.uniform(10, 150) * MINUTE_MS)
            else:
                resolve = max(self._progress_times(esc, opened)[1], start + 5 * MINUTE_MS)
            e.at(resolve, self._resolve, esc)
        for _ in range(max(2, count // 2)):  # back-office requests in progress
            queue = rng.choice(complaint_queues)
            opened = start - int(rng.uniform(0.5, 5.0) * HOUR_MS)
            case = SimCase(
                self._new_case_id(), e.customer(queue == "vip"), "service_request",
                rng.choice(catalog.SUBJECTS[(queue, "service_request")]), opened, queue,
            )
            case.call_ids.append(f"c-{e.tag}-h{len(self.cases) + 1:03d}")
            case.add_note(e.stamp(opened), rng.choice(e.agents).name, catalog.END_NOTES["service_request"][0])
            case.status = "pending"
            self.cases[case.case_id] = case
            e.at(start + int(rng.uniform(0.5, 4.0) * HOUR_MS), self._close_case, case)

    # ------------------------------------------------------------------ the command

    def reassign(self, user: Json, escalation_id: str, to_owner: str, reason: str) -> CommandOutcome:
        """``escalation.reassign``: checks in the order forbidden, not_found, conflict, invalid."""
        if user.get("role") not in ROLES_THAT_REASSIGN:
            return refuse("forbidden", f"role {user.get('role')!r} may not reassign escalations; a duty lead may")
        esc = self.escalations.get(escalation_id)
        if esc is None:
            if escalation_id in self.resolved_ids:
                return refuse("conflict", f"escalation {escalation_id} is already resolved")
            return refuse("not_found", f"no escalation {escalation_id!r}")
        if esc.status == "resolved":
            return refuse("conflict", f"escalation {escalation_id} is already resolved")
        reason = reason.strip()
        if not reason:
            return refuse("invalid", "a reason is required")
        if len(reason) > MAX_REASON_CHARS:
            return refuse("invalid", f"the reason is longer than {MAX_REASON_CHARS} characters")
        person = self.people.get(to_owner)
        if person is None:
            return refuse("invalid", f"{to_owner!r} is not a known staff member or agent")
        if person["id"] == esc.owner.get("id"):
            return refuse("invalid", f"{person['name']} already owns escalation {escalation_id}")
        previous = esc.owner
        esc.owner = dict(person)
        esc.department = self.member_of.get(to_owner, esc.department)  # the case follows its owner
        esc.updated_at = self.e.now_ms
        by = {"id": str(user.get("id", "")), "name": str(user.get("name", ""))}
        self.e.emit("escalation.reassigned", {
            "escalation_id": escalation_id, "from_owner": dict(previous), "to_owner": dict(person),
            "by": by, "reason": esc.customer.mask(reason), "at": self.e.ts(),
        })
        self._emit_escalation("escalation.updated", esc)
        return CommandOutcome(True)

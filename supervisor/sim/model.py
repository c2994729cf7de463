"""The simulator's mutable live records and the fixed staff roster.

Each record renders itself as the protocol's JSON object (``record``) — a fresh dict
every time, so an emitted event never changes after the fact.

Customer data (PROTOCOL.md, "customer data on the wire"): the records keep the full
customer and the full free text in memory, the server's truth, for an audited
``customer.reveal``; what they render is masked, for every role. The masked forms are
computed once (a customer when it is created, a note when it is written, a subject or
summary when it is set), never per event: rendering is the generator's hot path.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from supervisor.masking import mask_free_text, mask_name, mask_phone
from supervisor.sim import catalog
from supervisor.sim.names import unique_names
from supervisor.sim.profile import Shift, assign_shifts

Fmt = Callable[[int], str]
Json = dict[str, Any]

# Busy agents finish their work before a break, a meeting or the end of their shift.
BUSY_STATES = frozenset({"ringing", "on_call", "wrap_up"})
GENERALIST_FLOOR = 20  # floors smaller than this have no skill groups
AWAY_STATES = frozenset({"break", "meeting", "training"})


@functools.lru_cache(maxsize=1024)
def _mask_plain(text: str) -> str:
    """Free text that cannot hold the customer's name; mostly the catalog's few notes: cached."""
    return mask_free_text(text)


class SimCustomer:
    """A customer: the full record (server memory only) and its masked record, rendered once."""

    __slots__ = ("id", "name", "phone", "segment", "id_number", "_out", "_names", "_cjk")

    def __init__(self, id: str, name: str, phone: str, segment: str, id_number: str = "") -> None:
        self.id = id
        self.name = name
        self.phone = phone
        self.segment = segment
        self.id_number = id_number  # never a field of the record: only in free text; made when first written
        self._names = (name,) if name else ()
        self._cjk = name.isalpha() and not name.isascii() and not any(c.isascii() for c in name)
        self._out: Json = {
            "id": id, "name": mask_name(name), "phone": mask_phone(phone), "segment": segment,
            "masked": True,
        }

    def record(self) -> Json:
        """The record every subscriber gets: masked."""
        return dict(self._out)

    def full(self) -> Json:
        """The unmasked record: only for the one client whose reveal was authorised and audited."""
        return {"id": self.id, "name": self.name, "phone": self.phone, "segment": self.segment,
                "masked": False}

    def mask(self, text: str) -> str:
        """Free text about this customer as it may go out: numbers and this customer's name masked.

        The masker compiles a pattern per name; it is only asked to look for the name when
        the text holds the name's last two characters, without which (masking.py) neither
        the full name nor the given name can occur. Most notes never mention the customer.
        """
        if not text:
            return text
        name = self.name
        if len(name) >= 2 and (not self._cjk or (name[-1] in text and name[-2] in text)):
            return mask_free_text(text, self._names)
        return _mask_plain(text)


class SimAgent:
    """One agent: identity, skills, shift and current state."""

    __slots__ = (
        "agent_id", "name", "team", "skills", "shift", "state", "reason", "since",
        "contact", "pending", "logout_due", "token", "_skills_out",
    )

    def __init__(self, agent_id: str, name: str, team: str, skills: tuple[str, ...], shift: Shift):
        self.agent_id = agent_id
        self.name = name
        self.team = team
        self.skills = skills
        self.shift = shift
        self.state = "offline"
        self.reason: str | None = None
        self.since = 0
        self.contact: SimContact | None = None  # the contact ringing, talked to, or wrapped up
        self.pending: list[str] = []  # activities due while busy, started when free
        self.logout_due = False
        self.token = 0  # invalidates scheduled ends of an activity that was cut short
        self._skills_out = list(skills)

    def record(self, fmt: Fmt) -> Json:
        contact = self.contact
        return {
            "agent_id": self.agent_id,
            "name": self.name,
            "team": self.team,
            "skills": list(self._skills_out),
            "state": self.state,
            "reason": self.reason,
            "since": fmt(self.since),
            "call_id": contact.call_id if contact is not None and self.state in BUSY_STATES else None,
        }


class SimContact:
    """A call, chat, callback or email from the moment it is queued until it is done."""

    __slots__ = (
        "call_id", "queue", "channel", "priority", "customer", "queued_at", "case_id",
        "status", "agent", "talk_s", "transferred", "answered_at", "deferrable",
    )

    def __init__(
        self, call_id: str, queue: str, channel: str, priority: int, customer: SimCustomer,
        queued_at: int, case_id: str | None,
    ) -> None:
        self.call_id = call_id
        self.queue = queue
        self.channel = channel
        self.priority = priority
        self.customer = customer
        self.queued_at = queued_at
        self.case_id = case_id
        self.status = "waiting"  # waiting | ringing | talking | wrap | done | abandoned
        self.agent: SimAgent | None = None
        self.talk_s = 0.0
        self.transferred = False
        self.answered_at = 0
        self.deferrable = 1 if channel in ("callback", "email") else 0  # served after live contacts

    def record(self, fmt: Fmt) -> Json:
        return {
            "call_id": self.call_id,
            "queue": self.queue,
            "channel": self.channel,
            "priority": self.priority,
            "customer": self.customer.record(),
            "queued_at": fmt(self.queued_at),
            "case_id": self.case_id,
        }


class SimCase:
    """A customer case: opened during a call, worked, escalated, closed."""

    __slots__ = (
        "case_id", "customer", "category", "subject", "status", "opened_at", "call_ids",
        "notes", "queue", "updated_at", "escalation_id", "_subject_out", "_notes_out",
    )

    def __init__(
        self, case_id: str, customer: SimCustomer, category: str, subject: str, opened_at: int, queue: str
    ) -> None:
        self.case_id = case_id
        self.customer = customer
        self.category = category
        self.subject = subject  # as the agent wrote it; rendered masked
        self._subject_out = customer.mask(subject)
        self.status = "open"
        self.opened_at = opened_at
        self.call_ids: list[str] = []
        self.notes: list[Json] = []  # as written; rendered from _notes_out, masked
        self._notes_out: list[Json] = []
        self.queue = queue
        self.updated_at = opened_at
        self.escalation_id: str | None = None

    def add_note(self, at: str, by: str, text: str) -> None:
        """Append a note: kept as written, and masked once for every later rendering."""
        self.notes.append({"at": at, "by": by, "text": text})
        self._notes_out.append({"at": at, "by": by, "text": self.customer.mask(text)})

    def record(self, fmt: Fmt) -> Json:
        return {
            "case_id": self.case_id,
            "customer": self.customer.record(),
            "category": self.category,
            "subject": self._subject_out,
            "status": self.status,
            "opened_at": fmt(self.opened_at),
            "call_ids": list(self.call_ids),
            "notes": [dict(n) for n in self._notes_out],
        }


class SimEscalation:
    """A case handed to a department with a promised feedback deadline."""

    __slots__ = (
        "escalation_id", "case_id", "department", "owner", "severity", "status",
        "opened_at", "due_at", "summary", "updated_at", "category", "customer", "_summary_out",
    )

    def __init__(
        self, escalation_id: str, case_id: str, department: str, owner: Json, severity: str,
        opened_at: int, due_at: int, summary: str, category: str, customer: SimCustomer,
    ) -> None:
        self.escalation_id = escalation_id
        self.case_id = case_id
        self.department = department
        self.owner = owner
        self.severity = severity
        self.status = "open"
        self.opened_at = opened_at
        self.due_at = due_at
        self.summary = summary  # as written; rendered masked
        self.updated_at = opened_at
        self.category = category
        self.customer = customer  # the case's customer: whose name free text about it may hold
        self._summary_out = customer.mask(summary)

    def record(self, fmt: Fmt) -> Json:
        return {
            "escalation_id": self.escalation_id,
            "case_id": self.case_id,
            "department": self.department,
            "owner": dict(self.owner),
            "severity": self.severity,
            "status": self.status,
            "opened_at": fmt(self.opened_at),
            "due_at": fmt(self.due_at),
            "summary": self._summary_out,
        }


@dataclass
class Roster:
    """The center's people: agents and department staff. Independent of the seed.

    The same agent ids carry the same names in every run with the same agent count,
    as on a real floor, so journals of several runs describe the same people.
    """

    agents: list[SimAgent]
    departments: list[Json]
    people: dict[str, Json] = field(default_factory=dict)  # id -> {"id", "name"}
    member_of: dict[str, str] = field(default_factory=dict)  # staff id -> department id


def build_roster(count: int) -> Roster:
    if count < 1:
        raise ValueError("the simulator needs at least one agent")
    # Staff first, from their own generator, so their names never depend on the agent count.
    taken: set[str] = set()
    staff_rng = random.Random("command-center staff")
    staff_names = {
        dept_id: unique_names(staff_rng, size, taken)
        for dept_id, (_, size) in catalog.DEPARTMENTS.items()
    }
    agent_names = unique_names(random.Random("command-center roster"), count, taken)
    width = max(3, len(str(count)))
    shifts = assign_shifts(count)
    queue_ids = tuple(catalog.QUEUES)
    # Small floors have smaller teams, so that every skill profile (every queue) is staffed;
    # on a floor under 20 everyone is a generalist, as skill groups of two or three
    # people would leave a queue empty whenever one of them is at lunch.
    profiles = len(catalog.TEAM_SKILLS)
    team_size = min(catalog.TEAM_SIZE, -(-count // profiles))
    everyone_does_everything = count < GENERALIST_FLOOR
    agents: list[SimAgent] = []
    for i in range(count):
        team_index = i // team_size
        base = catalog.TEAM_SKILLS[team_index % profiles]
        skill_rng = random.Random(f"command-center skills {i}")
        skills = set(base)
        if shifts[i].name == "night" or everyone_does_everything:
            skills = set(queue_ids)  # the night shift is cross-trained: it covers every queue
        elif skill_rng.random() < 0.35:
            skills.add(skill_rng.choice(queue_ids))
        ordered = tuple(q for q in queue_ids if q in skills)
        agents.append(
            SimAgent(f"a-{i + 1:0{width}d}", agent_names[i], catalog.team_name(team_index), ordered, shifts[i])
        )
    departments: list[Json] = []
    people: dict[str, Json] = {}
    member_of: dict[str, str] = {}
    for d, (dept_id, (dept_name, _)) in enumerate(catalog.DEPARTMENTS.items()):
        members = []
        for m, name in enumerate(staff_names[dept_id]):
            person = {"id": f"s-{d + 1}{m + 1:02d}", "name": name}
            members.append(person)
            people[person["id"]] = person
            member_of[person["id"]] = dept_id
        departments.append({"id": dept_id, "name": dept_name, "members": members})
    for agent in agents:
        people[agent.agent_id] = {"id": agent.agent_id, "name": agent.name}
    return Roster(agents, departments, people, member_of)

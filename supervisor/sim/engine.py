"""The synthetic service center: a deterministic discrete-event simulation, no I/O.

Happenings (an arrival, a ring answered, a break starting) sit in a heap keyed by
simulated millisecond; ``advance`` pops them in order and each one updates the live
state and emits protocol events. Everything random comes from one ``random.Random(seed)``
drawn in processing order, so the same seed and start time give the same events no
matter how the caller slices time. Cases, escalations and surveys live in ``casework``.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
from collections import deque
from collections.abc import Callable
from datetime import datetime
from random import Random
from typing import Any

from supervisor.sim import catalog, profile, queues
from supervisor.sim.casework import CaseDesk
from supervisor.sim.model import (
    AWAY_STATES, BUSY_STATES, Json, SimAgent, SimContact, SimCustomer, build_roster,
)
from supervisor.sim.names import id_number, mobile_number, person_name
from supervisor.sim.tokens import DEMO_TOKENS
from supervisor.sim.source import CommandOutcome, SimEvent
from supervisor.sim.timebase import DAY_MS, HOUR_MS, MINUTE_MS, Stamp, to_ms

QUEUE_IDS = tuple(catalog.QUEUES)
_QUEUE_CUM = tuple(itertools.accumulate(share for _, share in catalog.QUEUES.values()))
# cumulative weights computed once: random.choices would redo it on every draw
_CHANNEL_CUM = {q: tuple(itertools.accumulate(mix)) for q, mix in catalog.CHANNEL_MIX.items()}
_CUSTOMER_STRIDE = 7919  # prime, coprime to 10**10: k-ids never repeat within a run
RECENT_CUSTOMERS = 5000  # customers who may call again (and be revealed without a live record)
_COMPOUND = frozenset(("欧阳", "司马", "上官", "诸葛"))


def _public_text(roster_names: list[str], departments: list[Json]) -> str:
    """Every name and fixed text the stream carries that is not customer data."""
    parts = list(roster_names)
    parts += [d["name"] for d in departments]
    parts += [name for name, _ in catalog.QUEUES.values()]
    parts += [catalog.team_name(i) for i in range(200)]
    parts += [u["name"] for u in DEMO_TOKENS.values()]
    for table in (catalog.SUBJECTS, catalog.OPEN_NOTES, catalog.END_NOTES, catalog.CLOSE_NOTES,
                  catalog.RESOLUTIONS):
        for texts in table.values():
            parts += texts
    parts += catalog.FOLLOW_UP_NOTES
    parts += catalog.PERSONAL_NOTES + catalog.PERSONAL_SUBJECTS
    return "\n".join(parts)


_WIDE = {ord(str(d)): chr(0xFF10 + d) for d in range(10)}


class Engine:
    """A living retail-bank contact center, advanced by simulated time."""

    def __init__(
        self, seed: int, start: datetime, agents: int = 60, hours: float | None = None
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated start time needs an offset")
        self.seed = seed
        self.rng = Random(seed)
        # Customer details only free text shows (ID numbers, how a note mentions the customer)
        # come from their own generator, so they never shift the rest of the day's draws.
        self.pii_rng = Random(f"{seed} customer details")
        self.stamp = Stamp(start.tzinfo)
        self.start_ms = to_ms(start)
        self.now_ms = self.start_ms
        self.end_ms = None if hours is None else self.start_ms + int(hours * HOUR_MS)
        # A run tag in every generated id keeps two runs' calls apart in one journal.
        self.tag = hashlib.sha1(f"{seed}:{self.start_ms}".encode()).hexdigest()[:4]

        roster = build_roster(agents)
        self.agents = roster.agents
        self.agent_by_id = {a.agent_id: a for a in self.agents}
        self.departments = roster.departments
        # a customer never bears a staff member's name (or one inside any fixed text), so
        # that a full customer name in the stream can only be a leak
        self._public = _public_text([p["name"] for p in roster.people.values()], roster.departments)
        self.queues: list[Json] = catalog.queue_records()
        self._queue_by_id = {q["id"]: q for q in self.queues}

        self._heap: list[tuple[int, int, Callable[[Any], None], Any]] = []
        self._tick = itertools.count()
        self._out: list[SimEvent] = []
        self._ts_ms = -1
        self._ts = ""
        self._call_seq = itertools.count(1)
        self._customer_seq = itertools.count(1)
        self._customer_base = self.rng.randrange(10**10)
        self._customers: deque[SimCustomer] = deque()
        self._known: dict[str, SimCustomer] = {}  # the same recent customers, by id

        self.waiting: dict[str, SimContact] = {}  # waiting or ringing, in arrival order
        self._queue_heaps: dict[str, list[tuple[int, int, int, int, SimContact]]] = {q: [] for q in QUEUE_IDS}
        self._idle: dict[str, dict[str, SimAgent]] = {q: {} for q in QUEUE_IDS}  # longest idle first
        self._arrival_peak = agents * profile.PEAK_PER_AGENT / 3600.0  # contacts per second
        self._agent_count = agents

        self.desk = CaseDesk(self, roster)
        self._day_start = self.stamp.day_start(self.start_ms)
        self._weekday = self.stamp.dt(self._day_start).weekday()
        self._day_factor = self._draw_day_factor()
        self._open_at_start()
        self.desk.seed_backlog()
        self.at(self.start_ms + self._arrival_gap(), self._arrival)
        self.at(self._day_start + DAY_MS, self._new_day)
        self._out = []  # the initial state is the snapshot, not events

    # ------------------------------------------------------------------ scheduling

    def at(self, t_ms: int, fn: Callable[[Any], None], arg: Any = None) -> None:
        """Schedule a happening; ties run in the order they were scheduled."""
        heapq.heappush(self._heap, (t_ms, next(self._tick), fn, arg))

    def after(self, seconds: float, fn: Callable[[Any], None], arg: Any = None) -> None:
        self.at(self.now_ms + max(1, int(seconds * 1000.0)), fn, arg)

    def ts(self) -> str:
        """The current simulated time as a protocol string (cached: many events share it)."""
        if self._ts_ms != self.now_ms:
            self._ts_ms = self.now_ms
            self._ts = self.stamp(self.now_ms)
        return self._ts

    def emit(self, type_: str, data: Json) -> None:
        self._out.append({"type": type_, "ts": self.ts(), "data": data})

    @property
    def finished(self) -> bool:
        return self.end_ms is not None and self.now_ms >= self.end_ms

    def advance(self, until: datetime, max_events: int | None = None) -> list[SimEvent]:
        """The events from now up to ``until`` (inclusive), in time order."""
        return self.advance_ms(to_ms(until), max_events)

    def advance_ms(self, until_ms: int, max_events: int | None = None) -> list[SimEvent]:
        """Process happenings up to ``until_ms``; stop early once ``max_events`` are out.

        Stopping early leaves ``now_ms`` at the last processed happening, so the next
        call continues exactly where this one stopped: slicing never changes the events.
        """
        if self.end_ms is not None and until_ms > self.end_ms:
            until_ms = self.end_ms
        out = self._out = []
        heap = self._heap
        while heap and heap[0][0] <= until_ms:
            t, _, fn, arg = heapq.heappop(heap)
            self.now_ms = t
            fn(arg)
            if max_events is not None and len(out) >= max_events:
                return out
        if until_ms > self.now_ms:
            self.now_ms = until_ms
        return out

    # ------------------------------------------------------------------ state out

    def snapshot(self) -> Json:
        """The whole live state as the data of a ``snapshot`` event."""
        fmt = self.stamp
        return {
            "queues": [dict(q) for q in self.queues],
            "agents": [a.record(fmt) for a in self.agents],
            "waiting": [c.record(fmt) for c in self.waiting.values()],
            "cases": self.desk.case_records(),
            "escalations": self.desk.escalation_records(),
            "departments": [
                {"id": d["id"], "name": d["name"], "members": [dict(m) for m in d["members"]]}
                for d in self.departments
            ],
        }

    def set_queue(self, record: Json) -> list[SimEvent]:
        """Add or change a queue record now: its ``queue.updated``, or nothing if unchanged.

        The engine's own SLA-minded behaviour (a survey after a wait past W) follows the
        new values from now on; routing and patience do not depend on them.
        """
        if not queues.replace(self.queues, record):
            return []
        self._queue_by_id = {q["id"]: q for q in self.queues}
        return [queues.updated_event(self.ts(), record)]

    def warn_ms(self, queue_id: str) -> int:
        """The amber threshold W of a queue now, in ms."""
        q = self._queue_by_id.get(queue_id)
        return int((q["warn_seconds"] if q is not None else catalog.WARN_SECONDS) * 1000)

    def reassign(self, user: Json, escalation_id: str, to_owner: str, reason: str) -> CommandOutcome:
        """Apply an ``escalation.reassign`` command at the current simulated time."""
        self._out = []
        outcome = self.desk.reassign(user, escalation_id, to_owner, reason)
        events, self._out = self._out, []
        return CommandOutcome(outcome.ok, outcome.code, outcome.message, events)

    # ------------------------------------------------------------------ days and shifts

    def _draw_day_factor(self) -> float:
        return min(1.15, max(0.85, self.rng.gauss(1.0, 0.06)))

    def _plans(self, day_start: int) -> list[tuple[SimAgent, int, int, list[tuple[int, str]]]]:
        """Each working agent's login, logout and planned activities for one day.

        Every agent's draws are made even on a rest day, so one agent's rest day does
        not shift everyone else's plan.
        """
        rng = self.rng
        plans = []
        rest_share = profile.rest_day_share(self.stamp.dt(day_start).weekday())
        for agent in self.agents:
            shift = agent.shift
            rest = rng.random() < rest_share
            login = day_start + int(shift.start_h * HOUR_MS) + int(rng.uniform(-8, 6) * MINUTE_MS)
            logout = (
                day_start + int((shift.start_h + shift.hours) * HOUR_MS)
                + int(rng.uniform(0, 5) * MINUTE_MS)
            )
            hours = shift.hours
            meal = login + int((hours * 0.45 + rng.uniform(-0.4, 0.6)) * HOUR_MS)
            if shift.meal == "lunch":  # the canteen serves 11:00-14:00
                meal = min(max(meal, day_start + 11 * HOUR_MS), day_start + 14 * HOUR_MS)
            acts = [
                (meal, shift.meal),
                (login + int(rng.uniform(1.5, 2.3) * HOUR_MS), "rest"),
                (logout - int(rng.uniform(1.3, 2.0) * HOUR_MS), "rest"),
            ]
            draws = (
                ("team_meeting", 0.20, 0.3, 1.5),
                ("coaching", 0.12, 1.0, hours - 1.0),
                ("system_training", 0.05, 1.0, hours - 2.0),
                ("product_training", 0.04, 1.0, hours - 2.0),
            )
            for reason, p, lo, hi in draws:
                hit = rng.random() < p
                when = login + int(rng.uniform(lo, hi) * HOUR_MS)
                if hit:
                    acts.append((when, reason))
            if not rest:
                acts.sort()
                plans.append((agent, login, logout, acts))
        return plans

    def _open_at_start(self) -> None:
        """Agents whose shift covers the start are logged in; the rest log in later."""
        start = self.start_ms
        for day in (self._day_start - DAY_MS, self._day_start):
            for agent, login, logout, acts in self._plans(day):
                if logout <= start:
                    continue
                if login <= start:
                    agent.state = "available"
                    agent.since = start
                    self._mark_idle(agent)
                    self.at(logout, self._logout, agent)
                else:
                    self.at(login, self._login, (agent, logout))
                for t, reason in acts:
                    if t > start:
                        self.at(t, self._activity, (agent, reason))
        for agent in self.agents:
            if agent.state == "offline":
                agent.since = start

    def _new_day(self, _: Any) -> None:
        self._day_start = self.now_ms
        self._weekday = self.stamp.dt(self.now_ms).weekday()
        self._day_factor = self._draw_day_factor()
        self.desk.prune(self.now_ms)
        for agent, login, logout, acts in self._plans(self.now_ms):
            self.at(login, self._login, (agent, logout))
            for t, reason in acts:
                self.at(t, self._activity, (agent, reason))
        self.at(self.now_ms + DAY_MS, self._new_day)

    def _login(self, arg: tuple[SimAgent, int]) -> None:
        agent, logout = arg
        if agent.state != "offline":
            return
        self.at(logout, self._logout, agent)
        self._set_state(agent, "available", None)
        self._pull(agent)

    def _logout(self, agent: SimAgent) -> None:
        if agent.state == "offline":
            return
        if agent.state in BUSY_STATES:
            agent.logout_due = True  # finishes the contact first
            return
        agent.pending.clear()
        agent.token += 1
        self._set_state(agent, "offline", None)

    def _activity(self, arg: tuple[SimAgent, str]) -> None:
        agent, reason = arg
        if agent.state == "offline" or agent.logout_due:
            return
        if agent.state == "available":
            self._start_activity(agent, reason)
        elif reason not in agent.pending:
            agent.pending.append(reason)  # starts when the agent is free

    def _start_activity(self, agent: SimAgent, reason: str) -> None:
        state, lo, hi = catalog.ACTIVITIES[reason]
        agent.token += 1
        self._set_state(agent, state, reason)
        self.after(self.rng.uniform(lo, hi) * 60.0, self._activity_end, (agent, agent.token))

    def _activity_end(self, arg: tuple[SimAgent, int]) -> None:
        agent, token = arg
        if agent.token == token and agent.state in AWAY_STATES:
            self._free(agent)

    # ------------------------------------------------------------------ agents

    def _set_state(self, agent: SimAgent, state: str, reason: str | None) -> None:
        if agent.state == "available" and state != "available":
            for q in agent.skills:
                self._idle[q].pop(agent.agent_id, None)
        agent.state = state
        agent.reason = reason
        agent.since = self.now_ms
        if state == "available":
            self._mark_idle(agent)
        self.emit("agent.state", {"agent": agent.record(self.stamp)})

    def _mark_idle(self, agent: SimAgent) -> None:
        for q in agent.skills:
            self._idle[q][agent.agent_id] = agent

    def _free(self, agent: SimAgent) -> None:
        """The agent finished something: log out, start a due activity, or take work."""
        agent.contact = None
        if agent.logout_due:
            agent.logout_due = False
            agent.pending.clear()
            agent.token += 1
            self._set_state(agent, "offline", None)
        elif agent.pending:
            self._start_activity(agent, agent.pending.pop(0))
        else:
            self._set_state(agent, "available", None)
            self._pull(agent)

    def _pull(self, agent: SimAgent) -> None:
        """Offer the agent the most urgent contact of its skills.

        Live contacts (voice, chat) come before deferrable ones (callbacks, emails), as a
        blended floor works; then higher priority, then the longest wait.
        """
        best: tuple[int, int, int, int, SimContact] | None = None
        best_heap: list[tuple[int, int, int, int, SimContact]] | None = None
        for q in agent.skills:
            heap = self._queue_heaps[q]
            while heap and (heap[0][4].status != "waiting" or heap[0][4].queue != q):
                heapq.heappop(heap)  # abandoned or transferred away: lazily dropped
            if heap and (best is None or heap[0] < best):
                best, best_heap = heap[0], heap
        if best is not None and best_heap is not None:
            heapq.heappop(best_heap)
            self._offer(best[4], agent)

    # ------------------------------------------------------------------ contacts

    def _arrival_gap(self) -> int:
        return max(1, int(self.rng.expovariate(self._arrival_peak) * 1000.0))

    def _arrival(self, _: Any) -> None:
        """A candidate arrival of the peak-rate process, kept with the profile's odds (thinning)."""
        rate = profile.arrivals_per_agent_hour(
            (self.now_ms - self._day_start) / 1000.0, self._weekday, self._day_factor
        ) * self._agent_count / 3600.0
        if self.rng.random() * self._arrival_peak < rate:
            self._new_contact()
        self.at(self.now_ms + self._arrival_gap(), self._arrival)

    def customer(self, vip: bool) -> SimCustomer:
        """A returning customer now and then, otherwise a new one."""
        rng = self.rng
        if self._customers and rng.random() < 0.25:
            known = self._customers[rng.randrange(len(self._customers))]
            if (known.segment == "vip") == vip:
                return known
        n = next(self._customer_seq)
        name = person_name(rng)
        phone = mobile_number(rng)
        while name in self._public:
            name = person_name(self.pii_rng)
        customer = SimCustomer(
            f"k-{(self._customer_base + n * _CUSTOMER_STRIDE) % 10**10:010d}", name, phone,
            "vip" if vip else "standard",
        )
        if len(self._customers) >= RECENT_CUSTOMERS:
            self._known.pop(self._customers.popleft().id, None)
        self._customers.append(customer)
        self._known[customer.id] = customer
        return customer

    def personal(self, customer: SimCustomer, template: str, **more: str) -> str:
        """``template`` filled in with the customer's details, as an agent would type them."""
        phone = customer.phone
        name = customer.name
        if "{id_number}" in template and not customer.id_number:
            customer.id_number = id_number(self.pii_rng)  # only customers whose ID is written down
        given = name[2:] if name[:2] in _COMPOUND and len(name) > 3 else name[1:]
        return template.format(
            name=name, given=given, phone=phone,
            phone_spaced=f"{phone[:3]} {phone[3:7]} {phone[7:]}",
            phone_dashed=f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
            phone_wide=phone.translate(_WIDE), id_number=customer.id_number, **more,
        )

    # ------------------------------------------------------------------ the server's truth

    def find_customer(self, customer_id: str) -> SimCustomer | None:
        """A customer the floor may know of: a recent caller, or one of a live case or contact."""
        found = self._known.get(customer_id)
        if found is not None:
            return found
        for case in self.desk.cases.values():
            if case.customer.id == customer_id:
                return case.customer
        for contact in self.waiting.values():
            if contact.customer.id == customer_id:
                return contact.customer
        return None

    def customer_record(self, customer_id: str) -> Json | None:
        """The full, unmasked record of a customer (for an authorised reveal), or None."""
        found = self.find_customer(customer_id)
        return None if found is None else found.full()

    def customer_records(self) -> list[Json]:
        """Every customer the simulator knows now, unmasked: the server's customer table."""
        seen: dict[str, SimCustomer] = dict(self._known)
        for case in self.desk.cases.values():
            seen.setdefault(case.customer.id, case.customer)
        for contact in self.waiting.values():
            seen.setdefault(contact.customer.id, contact.customer)
        return [dict(c.full(), id_number=c.id_number) for c in seen.values()]

    def case_customer(self, case_id: str) -> str | None:
        """The customer id of a live case, or None when the case is not known (any more)."""
        case = self.desk.cases.get(case_id)
        return None if case is None else case.customer.id

    def escalation_facts(self, escalation_id: str) -> Json | None:
        """For the audit of a reassignment: the escalation's case, customer and owner now."""
        esc = self.desk.escalations.get(escalation_id)
        if esc is None:
            return None
        return {"case_id": esc.case_id, "customer_id": esc.customer.id, "owner": dict(esc.owner)}

    def _new_contact(self) -> None:
        rng = self.rng
        case = self.desk.follow_up_case() if rng.random() < profile.RETURN_CALL_SHARE else None
        if case is not None:
            queue, customer, case_id = case.queue, case.customer, case.case_id
        else:
            queue = rng.choices(QUEUE_IDS, cum_weights=_QUEUE_CUM)[0]
            vip = queue == "vip" or rng.random() < profile.VIP_OTHER_QUEUE_SHARE
            customer, case_id = self.customer(vip), None
        channel = rng.choices(catalog.CHANNELS, cum_weights=_CHANNEL_CUM[queue])[0]
        vip = customer.segment == "vip"
        priority = 2 if queue == "card_loss_fraud" else (1 if vip else 0)
        contact = SimContact(
            f"c-{self.tag}-{next(self._call_seq):06d}", queue, channel, priority, customer,
            self.now_ms, case_id,
        )
        self.waiting[contact.call_id] = contact
        self.emit("call.queued", {"contact": contact.record(self.stamp)})
        patience = profile.patience_seconds(rng, channel, vip)
        if patience is not None:
            self.after(patience, self._abandon, contact)
        if channel in ("voice", "chat") and case is None and rng.random() < profile.TRANSFER_SHARE:
            self.after(rng.uniform(15.0, 90.0), self._transfer, contact)
        self._enqueue(contact)

    def _enqueue(self, contact: SimContact) -> None:
        contact.status = "waiting"
        idle = self._idle[contact.queue]
        if idle:  # nobody waits in a queue that has an idle agent: offer at once
            self._offer(contact, next(iter(idle.values())))
        else:
            heapq.heappush(
                self._queue_heaps[contact.queue],
                (contact.deferrable, -contact.priority, contact.queued_at, next(self._tick), contact),
            )

    def _offer(self, contact: SimContact, agent: SimAgent) -> None:
        contact.status = "ringing"
        contact.agent = agent
        agent.contact = contact
        self._set_state(agent, "ringing", None)
        self.after(profile.ring_seconds(self.rng, contact.channel), self._answer, contact)

    def _answer(self, contact: SimContact) -> None:
        if contact.status != "ringing":
            return  # the customer hung up while it rang
        agent = contact.agent
        assert agent is not None
        contact.status = "talking"
        contact.answered_at = self.now_ms
        del self.waiting[contact.call_id]
        self.emit("call.answered", {"call_id": contact.call_id, "agent_id": agent.agent_id, "at": self.ts()})
        self._set_state(agent, "on_call", None)
        contact.talk_s = profile.talk_seconds(self.rng, contact.channel, contact.queue)
        self.desk.on_answer(contact, agent)
        self.after(contact.talk_s, self._end, contact)

    def _end(self, contact: SimContact) -> None:
        agent = contact.agent
        assert agent is not None
        contact.status = "wrap"
        self.emit("call.ended", {
            "call_id": contact.call_id, "agent_id": agent.agent_id, "at": self.ts(),
            "case_id": contact.case_id,
        })
        with_case = self.desk.on_end(contact, agent)
        self.desk.maybe_survey(contact)
        self._set_state(agent, "wrap_up", None)
        self.after(profile.wrap_seconds(self.rng, contact.channel, with_case), self._wrap_done, contact)

    def _wrap_done(self, contact: SimContact) -> None:
        contact.status = "done"
        agent = contact.agent
        assert agent is not None
        contact.agent = None
        self._free(agent)

    def _abandon(self, contact: SimContact) -> None:
        if contact.status not in ("waiting", "ringing"):
            return
        agent = contact.agent if contact.status == "ringing" else None
        contact.status = "abandoned"
        contact.agent = None
        del self.waiting[contact.call_id]
        self.emit("call.abandoned", {"call_id": contact.call_id, "at": self.ts()})
        if agent is not None:
            self._free(agent)

    def _transfer(self, contact: SimContact) -> None:
        if contact.status != "waiting":
            return  # already ringing at an agent: the misroute is handled on the call
        contact.queue = catalog.TRANSFER_TO[contact.queue]
        contact.transferred = True
        self.emit("call.transferred", {"call_id": contact.call_id, "queue": contact.queue, "at": self.ts()})
        self._enqueue(contact)

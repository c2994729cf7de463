"""Customer data an older server streams unmasked, masked before the client keeps or shows it.

PROTOCOL.md ("customer data on the wire"): a server masks every customer record it
streams and says so (``"masked": true``); a client that receives an unmasked record (an
older server; ``masked`` omitted reads as false) masks it before it journals, quarantines,
logs or shows it. ``Scrubber`` does that for one feed session, with the one masker
(``supervisor.masking``):

- a customer record with ``masked`` false (``contact.customer`` in ``call.queued`` and a
  snapshot's ``waiting``; ``case.customer`` in ``case.opened`` / ``case.updated`` and a
  snapshot's ``cases``): name, phone, and an id that holds a phone, ID or card number, in
  the masker's formats; the record then says ``masked: true``. Fields this version does not
  know (an ``id_number`` of some older server, say) are dropped with the re-encoding;
- free text beside such a record (a case's subject and notes), with the customer's name;
- free text that carries no flag of its own (an escalation's summary, a reassignment's
  reason, a resolution), always: those events are rare, and masking text that is already
  masked changes nothing. The known name is the customer of the escalation's case, from a
  small bounded memory of recently seen cases (case → customer name, escalation → case).

A record the server marks ``masked: true`` is trusted, the case's subject and notes with
it: the flag says the server masked the record and the text beside it, and checking again
would cost every ``case.updated`` a pass over all its notes.

Hot path: the recorder journals tens of thousands of events a second, most of which
(agent states, answers, ends) carry no customer data. The caller tests the event's class
against ``CARRIES_CUSTOMER_DATA`` before calling, so those cost one set lookup; an event
whose records are all masked already costs a flag test per record and comes back as the
same object, so its message is journaled as received. Only an event that changed is
re-encoded (``wire.encode``) for the journal.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from supervisor import wire
from supervisor.masking import mask_free_text, mask_name, mask_phone

_replace = msgspec.structs.replace

# Stream event classes that may hold a customer record or free text about a customer.
CARRIES_CUSTOMER_DATA: frozenset[type] = frozenset({
    wire.Snapshot, wire.CallQueued, wire.CaseOpened, wire.CaseUpdated, wire.EscalationOpened,
    wire.EscalationUpdated, wire.EscalationReassigned, wire.EscalationResolved,
})
CACHE_SIZE = 4096  # cases (and escalations) remembered for the names in later free text
_SENSITIVE_DIGITS = 11  # an id with fewer digits cannot hold a phone, ID or card number


def _digits(text: str) -> int:
    return sum(map(str.isdigit, text))


def mask_customer(customer: wire.Customer) -> wire.Customer:
    """The record masked (name, phone, an id holding a sensitive number); ``masked`` true."""
    cid = customer.id
    if len(cid) >= _SENSITIVE_DIGITS and _digits(cid) >= _SENSITIVE_DIGITS:
        # a protocol id (k-0123456789) stays as it is: lookups and reveals go by it
        cid = mask_free_text(cid) or cid
    return _replace(
        customer, id=cid,
        name=mask_name(customer.name) if customer.name else customer.name,
        phone=mask_phone(customer.phone) if customer.phone else customer.phone,
        masked=True,
    )


def encode(event: wire.Event) -> str:
    """The text journaled for an event the client masked (it decodes to the same record)."""
    return wire.encode(event).decode("utf-8")


class Scrubber:
    """Masks what one server streams unmasked; remembers recent cases' customer names."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self.cache_size = cache_size
        self._names: dict[str, tuple[str, ...]] = {}  # case_id -> the customer's name (unmasked)
        self._case_of: dict[str, str] = {}  # escalation_id -> case_id
        # what to look for in a quarantined message (not JSON, or cut short, so its records
        # cannot be read): a recent customer's name or given name -> the full name
        self._probes: dict[str, str] = {}
        self.events_masked = 0  # events the client had to mask (the server sent them unmasked)

    def __call__(self, event: Any) -> Any:
        """``event`` masked, or ``event`` itself when it holds nothing unmasked.

        ``event`` must be of a class in ``CARRIES_CUSTOMER_DATA``.
        """
        cls = event.__class__
        if cls is wire.CallQueued:
            contact = event.data.contact
            if contact.customer.masked:
                return event
            out = _replace(event, data=_replace(event.data, contact=self._contact(contact)))
        elif cls is wire.CaseOpened or cls is wire.CaseUpdated:
            case = event.data.case
            masked = self._case(case)
            if masked is case:
                return event
            out = _replace(event, data=_replace(event.data, case=masked))
        elif cls is wire.EscalationOpened or cls is wire.EscalationUpdated:
            esc = event.data.escalation
            masked_esc = self._escalation(esc)
            if masked_esc is esc:
                return event
            out = _replace(event, data=_replace(event.data, escalation=masked_esc))
        elif cls is wire.EscalationReassigned:
            data = event.data
            reason = self._text(data.reason, self._names_of_escalation(data.escalation_id))
            if reason is data.reason:
                return event
            out = _replace(event, data=_replace(data, reason=reason))
        elif cls is wire.EscalationResolved:
            data = event.data
            resolution = self._text(data.resolution, self._names_of_escalation(data.escalation_id))
            if resolution is data.resolution:
                return event
            out = _replace(event, data=_replace(data, resolution=resolution))
        elif cls is wire.Snapshot:
            data = self._snapshot(event.data)
            if data is event.data:
                return event
            out = _replace(event, data=data)
        else:
            return event
        self.events_masked += 1
        return out

    # ------------------------------------------------------------------ records

    def _contact(self, contact: wire.Contact) -> wire.Contact:
        customer = contact.customer
        if customer.name:
            self._note_name(customer.name)
            if contact.case_id:
                self._remember(contact.case_id, customer.name)
        return _replace(contact, customer=mask_customer(customer))

    def _case(self, case: wire.Case) -> wire.Case:
        customer = case.customer
        if customer is not None:
            if customer.masked:
                return case  # trusted, with its subject and notes
            if customer.name:
                self._note_name(customer.name)
                self._remember(case.case_id, customer.name)
        names = self._names.get(case.case_id, ())
        subject = self._text(case.subject, names)
        notes = case.notes
        if notes:
            masked_notes = tuple(n if (t := self._text(n.text, names)) is n.text else _replace(n, text=t)
                                 for n in notes)
            if any(a is not b for a, b in zip(masked_notes, notes)):
                notes = masked_notes
        if customer is None and subject is case.subject and notes is case.notes:
            return case
        return _replace(case, subject=subject, notes=notes,
                        customer=mask_customer(customer) if customer is not None else None)

    def _escalation(self, esc: wire.Escalation) -> wire.Escalation:
        if esc.case_id:
            self._link(esc.escalation_id, esc.case_id)
        summary = self._text(esc.summary, self._names.get(esc.case_id, ()))
        return esc if summary is esc.summary else _replace(esc, summary=summary)

    def _snapshot(self, data: wire.SnapshotData) -> wire.SnapshotData:
        waiting = tuple(c if c.customer.masked else self._contact(c) for c in data.waiting)
        cases = tuple(self._case(c) for c in data.cases)  # before escalations: their names
        escalations = tuple(self._escalation(e) for e in data.escalations)
        changed = {}
        for key, new, old in (("waiting", waiting, data.waiting), ("cases", cases, data.cases),
                              ("escalations", escalations, data.escalations)):
            if any(a is not b for a, b in zip(new, old)):
                changed[key] = new
        return _replace(data, **changed) if changed else data

    # ------------------------------------------------------------------ free text and memory

    @staticmethod
    def _text(text: str, names: tuple[str, ...]) -> str:
        """``text`` masked, or the same object when masking changes nothing."""
        if not text:
            return text
        masked = mask_free_text(text, names)
        return text if masked == text else masked

    def _names_of_escalation(self, escalation_id: str) -> tuple[str, ...]:
        case_id = self._case_of.get(escalation_id)
        return self._names.get(case_id, ()) if case_id is not None else ()

    def _remember(self, case_id: str, name: str) -> None:
        names = self._names
        if names.pop(case_id, None) is None and len(names) >= self.cache_size:
            del names[next(iter(names))]  # the least recently told
        names[case_id] = (name,)

    def _note_name(self, name: str) -> None:
        probes = self._probes
        if name in probes:
            return
        full = "".join(name.split())
        found = {full}
        if len(full) >= 3 and not full.isascii():
            found.add(full[1:])  # the given name (after a one-character family name)
            if len(full) >= 4:
                found.add(full[2:])  # after a two-character one (欧阳)
        for probe in (name, *found):
            if probe not in probes and len(probes) >= 4 * self.cache_size:
                del probes[next(iter(probes))]
            probes[probe] = name

    def names_in(self, text: str) -> tuple[str, ...]:
        """The recently seen customers' names that ``text`` holds (by name or given name,
        spaces ignored): what the quarantine masks in a message it cannot read as records.
        Linear in the memory (at most 4 x ``cache_size`` probes); quarantined messages only."""
        probes = self._probes
        if not probes:
            return ()
        flat = "".join(text.split())
        if flat.isascii():
            return tuple(dict.fromkeys(n for p, n in probes.items() if p.isascii() and p in flat))
        return tuple(dict.fromkeys(n for p, n in probes.items() if p in flat))

    def _link(self, escalation_id: str, case_id: str) -> None:
        links = self._case_of
        if links.pop(escalation_id, None) is None and len(links) >= self.cache_size:
            del links[next(iter(links))]
        links[escalation_id] = case_id


# ---------------------------------------------------------------------- unknown stream types

_PROTOCOL_ID = re.compile(r"[A-Za-z]{1,10}-[0-9A-Za-z_-]{1,40}")


def _mask_value(value: Any) -> Any:
    """Strings in JSON data with their numbers masked; protocol ids (c-…, k-…) left whole."""
    if isinstance(value, str):
        if not value or (_PROTOCOL_ID.fullmatch(value) and _digits(value) < _SENSITIVE_DIGITS):
            return value
        return mask_free_text(value)
    if isinstance(value, dict):
        return {k: _mask_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_value(v) for v in value]
    return value


def mask_unknown(event: wire.UnknownEvent, message: str) -> str:
    """The text to journal for a stream event of a type this version does not know.

    Its data is kept for a later version, but no record in it can be told masked or not,
    so every string in it goes through the free-text masker (phones, IDs and cards in any
    writing; a name cannot be known). Unchanged data keeps the message as received.
    """
    data = event.data
    masked = _mask_value(data)
    if masked == data:
        return message
    return wire.encode({"v": event.v, "seq": event.seq, "ts": event.ts, "type": event.type,
                        "data": masked}).decode("utf-8")

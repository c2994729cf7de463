"""Issue 9, "nothing unmasked at rest": what an older server streams unmasked is masked by
the client before it is journaled, quarantined, logged or handed on (supervisor/feed/scrub.py,
supervisor/store/rows.py), with the one masker."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import Any

from supervisor import wire
from supervisor.feed.scrub import CARRIES_CUSTOMER_DATA, Scrubber, encode, mask_customer, mask_unknown
from supervisor.store import QuarantineEntry, journal_row

TS = "2026-11-20T09:00:00.000+08:00"
NAME, PHONE, ID_NUMBER, CARD = "张三丰", "13812345678", "110101199003074512", "6222021234561234"
FULL = {"id": "k-0000000001", "name": NAME, "phone": PHONE, "segment": "vip"}  # no "masked": an older server
MASKED = {"id": "k-0000000002", "name": "李*明", "phone": "139****0000", "segment": "standard", "masked": True}


def decode(type_: str, data: dict[str, Any], seq: int = 1) -> Any:
    return wire.decode(json.dumps({"v": 1, "seq": seq, "ts": TS, "type": type_, "data": data},
                                  ensure_ascii=False))


def contact(customer: dict[str, Any], case_id: str | None = "case-1") -> dict[str, Any]:
    return {"call_id": "c-1", "queue": "vip", "channel": "voice", "priority": 0, "customer": customer,
            "queued_at": TS, "case_id": case_id}


def case(customer: dict[str, Any] | None, subject: str = "", notes: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"case_id": "case-1", "category": "complaint", "status": "open", "opened_at": TS,
            "customer": customer, "subject": subject, "call_ids": ["c-1"],
            "notes": [{"at": TS, "by": "坐席一", "text": t} for t in notes]}


def escalation(summary: str) -> dict[str, Any]:
    return {"escalation_id": "e-1", "case_id": "case-1", "department": "it",
            "owner": {"id": "s-1", "name": "李四"}, "severity": "high", "status": "open",
            "opened_at": TS, "due_at": "2026-11-20T11:00:00.000+08:00", "summary": summary}


def leaks(text: str) -> list[str]:
    """Full values found in ``text`` (digits read through separators and full-width forms)."""
    folded = text.translate({0xFF10 + i: str(i) for i in range(10)})
    digits = "".join(ch for ch in folded if ch.isdigit())
    found = [v for v in (PHONE, ID_NUMBER, CARD) if v in digits]
    flat = "".join(folded.split())
    found += [n for n in (NAME, "三丰") if n in flat]
    return found


def test_events_without_customer_data_are_not_looked_at() -> None:
    assert wire.AgentStateChanged not in CARRIES_CUSTOMER_DATA
    assert wire.CallAnswered not in CARRIES_CUSTOMER_DATA
    assert {wire.CallQueued, wire.CaseOpened, wire.CaseUpdated, wire.Snapshot,
            wire.EscalationReassigned} <= CARRIES_CUSTOMER_DATA


def test_unmasked_contact_is_masked_and_flagged() -> None:
    scrub = Scrubber()
    event = decode("call.queued", {"contact": contact(FULL)})
    assert event.data.contact.customer.masked is False  # omitted reads as unmasked
    out = scrub(event)
    customer = out.data.contact.customer
    assert (customer.name, customer.phone, customer.masked) == ("张*丰", "138****5678", True)
    assert customer.id == FULL["id"] and customer.segment == "vip"  # ids stay usable
    text = encode(out)
    assert leaks(text) == []
    again = wire.decode(text)
    assert again == out  # the journaled text decodes to the masked event
    assert scrub.events_masked == 1


def test_masked_records_are_trusted_and_cost_nothing() -> None:
    scrub = Scrubber()
    queued = decode("call.queued", {"contact": contact(MASKED)})
    assert scrub(queued) is queued
    # a masked case is trusted with its subject and notes (the flag vouches for them)
    opened = decode("case.opened", {"case": case(MASKED, subject="李*明 来电", notes=("已核实",))})
    assert scrub(opened) is opened
    assert scrub.events_masked == 0


def test_an_id_holding_a_sensitive_number_is_masked_a_protocol_id_is_not() -> None:
    assert mask_customer(wire.Customer(id="k-0123456789")).id == "k-0123456789"
    masked = mask_customer(wire.Customer(id=ID_NUMBER, name="王五"))
    assert ID_NUMBER not in masked.id and masked.name == "王*"


def test_case_free_text_is_masked_with_the_customers_name() -> None:
    scrub = Scrubber()
    subject = f"{NAME}投诉 电话 138-1234-5678"
    notes = ("客户三丰来电，身份证１１０１０１１９９００３０７４５１２",
             f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}，张 三 丰本人", "金额 ¥5,000.00 于 2026-11-20")
    out = scrub(decode("case.updated", {"case": case(FULL, subject, notes)}))
    text = encode(out)
    assert leaks(text) == [], text
    assert out.data.case.customer.masked is True
    assert out.data.case.notes[2].text == notes[2]  # dates and amounts stay readable
    assert [n.by for n in out.data.case.notes] == ["坐席一"] * 3


def test_case_without_customer_has_its_text_masked() -> None:
    out = Scrubber()(decode("case.opened", {"case": case(None, subject=f"回电 {PHONE}")}))
    assert leaks(encode(out)) == []


def test_escalation_texts_use_the_remembered_case_customer() -> None:
    scrub = Scrubber()
    scrub(decode("case.opened", {"case": case(FULL)}))  # remembered: case-1 -> 张三丰
    opened = scrub(decode("escalation.opened", {"escalation": escalation(f"{NAME}要求回电 {PHONE}")}))
    assert leaks(encode(opened)) == []
    moved = scrub(decode("escalation.reassigned", {
        "escalation_id": "e-1", "from_owner": {"id": "s-1", "name": "李四"},
        "to_owner": {"id": "s-2", "name": "王五"}, "by": {"id": "u7", "name": "值班长"},
        "reason": f"三丰 的卡 {CARD} 需要科技部处理", "at": TS}))
    assert leaks(encode(moved)) == []
    assert moved.data.to_owner.name == "王五"  # staff names are not customer data
    resolved = scrub(decode("escalation.resolved", {"escalation_id": "e-1", "at": TS,
                                                    "resolution": f"已回电{NAME}"}))
    assert leaks(encode(resolved)) == []
    clean = decode("escalation.updated", {"escalation": escalation("已联系客户")})
    assert scrub(clean) is clean  # nothing to mask: the message is journaled as received


def test_name_memory_is_bounded() -> None:
    scrub = Scrubber(cache_size=3)
    for i in range(10):
        c = dict(case(FULL), case_id=f"case-{i}")
        scrub(decode("case.opened", {"case": c}, seq=i + 1))
    assert len(scrub._names) == 3


def test_snapshot_waiting_cases_and_escalations() -> None:
    snap = decode("snapshot", {"queues": [], "agents": [], "departments": [],
                               "waiting": [contact(FULL), dict(contact(MASKED), call_id="c-2")],
                               "cases": [case(FULL, f"{NAME} {PHONE}")],
                               "escalations": [escalation(f"三丰 {PHONE}")]})
    out = Scrubber()(snap)
    assert leaks(encode(out)) == []
    assert out.data.waiting[1] is snap.data.waiting[1]  # a masked record is kept as it came
    assert all(c.customer.masked for c in out.data.waiting)


def test_unknown_stream_types_are_journaled_with_numbers_masked() -> None:
    raw = json.dumps({"v": 1, "seq": 5, "ts": TS, "type": "customer.moved",
                      "data": {"call_id": "c-1", "customer_id": "k-0123456789", "phone": PHONE,
                               "notes": [f"身份证 {ID_NUMBER}"]}}, ensure_ascii=False)
    event = wire.decode(raw)
    assert isinstance(event, wire.UnknownEvent)
    text = mask_unknown(event, raw)
    assert leaks(text) == []
    data = json.loads(text)["data"]
    assert data["call_id"] == "c-1" and data["customer_id"] == "k-0123456789"
    row = journal_row("E1", wire.decode(text), text)
    assert (row.seq, row.type) == (5, "customer.moved")
    plain = json.dumps({"v": 1, "seq": 6, "ts": TS, "type": "x.y", "data": {"n": 3}})
    assert mask_unknown(wire.decode(plain), plain) is plain  # type: ignore[arg-type]


# ------------------------------------------------------------------ quarantine


NOW = datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)


def test_quarantined_text_is_masked_names_included_when_it_is_json() -> None:
    bad = json.dumps({"v": 1, "seq": "x", "ts": TS, "type": "call.queued",
                      "data": {"contact": contact(FULL) | {"note": "138 1234 5678"}}}, ensure_ascii=False)
    entry = QuarantineEntry.of(bad, "malformed", "wrong seq", NOW)
    assert entry.encoding == "text" and leaks(entry.raw) == [], entry.raw
    assert "张*丰" in entry.raw
    garbage = QuarantineEntry.of(f"not json {PHONE} ｜ {ID_NUMBER}", "malformed", "not JSON", NOW)
    assert leaks(garbage.raw) == [] and garbage.raw.startswith("not json 138")


def test_quarantine_reason_is_masked() -> None:
    entry = QuarantineEntry.of("{}", "malformed", f"Invalid enum value '{PHONE}' - at `$.data`", NOW)
    assert PHONE not in entry.reason and "138****5678" in entry.reason


def test_binary_frames_are_masked_over_their_bytes_read_as_utf8() -> None:
    frame = f'{{"phone": "{PHONE}", "id": "{ID_NUMBER}"}}'.encode() + b"\xff\xfe tail"
    entry = QuarantineEntry.of(frame, "binary", "binary frame", NOW)
    assert entry.encoding == "base64"
    kept = base64.b64decode(entry.raw)
    assert kept.endswith(b"\xff\xfe tail")  # bytes that are not text are kept as they are
    assert leaks(kept.decode("utf-8", "replace")) == []
    # text with a NUL is kept as base64 too, masked the same way
    nul = QuarantineEntry.of(f"\x00{PHONE}", "malformed", "NUL", NOW)
    assert nul.encoding == "base64" and PHONE.encode() not in nul.raw_bytes()


def test_oversized_message_is_masked_in_what_is_kept() -> None:
    big = ("x" * 70_000) + PHONE
    head = PHONE + " " + "y" * 70_000
    for message in (big, head):
        entry = QuarantineEntry.of(message, "oversized", "too big", NOW)
        assert entry.truncated and PHONE not in entry.raw



def test_quarantine_masks_recently_seen_names_in_text_it_cannot_read() -> None:
    scrub = Scrubber()
    scrub(decode("call.queued", {"contact": contact(FULL)}))
    scrub(decode("call.queued", {"contact": contact(dict(FULL, name="欧阳小明"), case_id=None)}, seq=2))
    garbage = f"not json: 客户 张 三 丰 说 小明 {PHONE}"
    names = scrub.names_in(garbage)
    assert set(names) == {NAME, "欧阳小明"}
    entry = QuarantineEntry.of(garbage, "malformed", "not JSON", NOW, None, names)
    assert leaks(entry.raw) == [] and "小明" not in entry.raw, entry.raw
    assert scrub.names_in("nothing here") == ()
    # a message cut short: its "name" fields are read without a JSON parser
    cut = json.dumps({"customer": {"name": "王大伟", "phone": PHONE}}, ensure_ascii=False)[:-5]
    assert "王大伟" not in QuarantineEntry.of(cut, "malformed", "cut", NOW).raw


def test_name_probes_are_bounded() -> None:
    scrub = Scrubber(cache_size=2)
    for i in range(50):
        scrub(decode("call.queued", {"contact": contact(dict(FULL, name=f"王小{chr(0x4E00 + i)}"))}, seq=i + 1))
    assert len(scrub._probes) <= 8

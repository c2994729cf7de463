"""Every message of PROTOCOL.md decodes into its record; everything else is rejected with a reason."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervisor import wire

TS = "2026-11-22T09:15:02.123+08:00"
PERSON = {"id": "s-1", "name": "王经理"}
CUSTOMER = {"id": "k-1", "name": "张三", "phone": "13812345678", "segment": "vip"}
CONTACT = {"call_id": "c-1", "queue": "credit_card", "channel": "voice", "priority": 0,
           "customer": CUSTOMER, "queued_at": TS, "case_id": None}
AGENT = {"agent_id": "a-1", "name": "李四", "team": "一组", "skills": ["credit_card"], "state": "on_call",
         "reason": None, "since": TS, "call_id": "c-1"}
CASE = {"case_id": "case-1", "customer": CUSTOMER, "category": "complaint", "subject": "年费争议",
        "status": "open", "opened_at": TS, "call_ids": ["c-1"], "notes": [{"at": TS, "by": "李四", "text": "客户要求回电"}]}
ESC = {"escalation_id": "e-1", "case_id": "case-1", "department": "credit_card_center", "owner": PERSON,
       "severity": "high", "status": "open", "opened_at": TS, "due_at": "2026-11-22T11:15:02.123+08:00",
       "summary": "年费投诉"}
QUEUE = {"id": "credit_card", "name": "信用卡服务", "sla_seconds": 900, "warn_seconds": 600}
DEPT = {"id": "it", "name": "科技部", "members": [PERSON]}

MESSAGES = {
    "snapshot": ({"queues": [QUEUE], "agents": [AGENT], "waiting": [CONTACT], "cases": [CASE],
                  "escalations": [ESC], "departments": [DEPT]}, wire.Snapshot),
    "call.queued": ({"contact": CONTACT}, wire.CallQueued),
    "call.transferred": ({"call_id": "c-1", "queue": "wealth", "at": TS}, wire.CallTransferred),
    "call.answered": ({"call_id": "c-1", "agent_id": "a-1", "at": TS}, wire.CallAnswered),
    "call.abandoned": ({"call_id": "c-1", "at": TS}, wire.CallAbandoned),
    "call.ended": ({"call_id": "c-1", "agent_id": "a-1", "at": TS, "case_id": "case-1"}, wire.CallEnded),
    "agent.state": ({"agent": AGENT}, wire.AgentStateChanged),
    "case.opened": ({"case": CASE}, wire.CaseOpened),
    "case.updated": ({"case": CASE}, wire.CaseUpdated),
    "escalation.opened": ({"escalation": ESC}, wire.EscalationOpened),
    "escalation.updated": ({"escalation": ESC}, wire.EscalationUpdated),
    "escalation.reassigned": ({"escalation_id": "e-1", "from_owner": PERSON, "to_owner": {"id": "s-2", "name": "赵六"},
                               "by": {"id": "u7", "name": "值班长"}, "reason": "专人跟进", "at": TS}, wire.EscalationReassigned),
    "escalation.resolved": ({"escalation_id": "e-1", "at": TS, "resolution": "已退年费"}, wire.EscalationResolved),
    "survey.completed": ({"call_id": "c-1", "case_id": None, "score": 5, "at": TS}, wire.SurveyCompleted),
    "queue.updated": ({"queue": {**QUEUE, "sla_seconds": 300, "warn_seconds": 180}}, wire.QueueUpdated),
    "heartbeat": ({"server_time": TS}, wire.Heartbeat),
    "hello": ({"server": "sim", "epoch": "E1", "user": {"id": "u7", "name": "值班长", "role": "duty_lead"},
               "server_time": TS, "heartbeat_s": 5}, wire.Hello),
    "command.result": ({"request_id": "r-1", "ok": False, "error": {"code": "conflict", "message": "已解决"}}, wire.CommandResult),
}


def envelope(type_: str, data: object, **over: object) -> str:
    msg = {"v": 1, "seq": 1042, "ts": TS, "type": type_, "data": data}
    msg.update(over)
    return json.dumps(msg, ensure_ascii=False)


def test_every_type_of_the_protocol_is_known() -> None:
    assert set(MESSAGES) == set(wire.EVENT_TYPES)
    assert wire.CONTROL_TYPES == {"hello", "heartbeat", "command.result"}


@pytest.mark.parametrize("type_", sorted(MESSAGES))
def test_each_message_decodes_to_its_frozen_record(type_: str) -> None:
    data, cls = MESSAGES[type_]
    for raw in (envelope(type_, data), envelope(type_, data).encode()):
        event = wire.decode(raw)
        assert type(event) is cls and event.seq == 1042 and event.ts.utcoffset().total_seconds() == 8 * 3600
        with pytest.raises(AttributeError):
            event.seq = 1  # type: ignore[misc]


def test_unknown_fields_are_ignored_and_defaults_apply() -> None:
    contact = dict(CONTACT, extra={"x": 1})
    del contact["priority"], contact["case_id"]
    event = wire.decode(envelope("call.queued", {"contact": contact, "future": True}))
    assert event.data.contact.priority == 0 and event.data.contact.case_id is None
    queue = wire.decode(envelope("snapshot", {"queues": [{"id": "q"}]})).data.queues[0]
    assert (queue.sla_seconds, queue.warn_seconds) == (900, 600)


def test_unknown_types_are_returned_for_counting_not_rejected() -> None:
    event = wire.decode(envelope("queue.paused", {"queue": "x"}))
    assert isinstance(event, wire.UnknownEvent) and event.type == "queue.paused" and event.seq == 1042


@pytest.mark.parametrize("raw, needle", [
    ("{not json", "malformed"),
    ("[1, 2]", "Expected `object`"),
    (envelope("call.queued", {"contact": dict(CONTACT, queued_at="2026-11-22T09:15:02")}), "timezone"),
    (envelope("call.queued", {"contact": dict(CONTACT, channel="fax")}), "$.data.contact.channel"),
    (envelope("call.answered", {"call_id": "c-1", "at": TS}), "agent_id"),
    (envelope("call.answered", {"call_id": 7, "agent_id": "a", "at": TS}), "Expected `str`, got `int`"),
    (envelope("survey.completed", {"call_id": "c", "score": 6, "at": TS}), "<= 5"),
    (envelope("heartbeat", {"server_time": TS}, seq="12"), "$.seq"),
    (envelope("heartbeat", {"server_time": TS}, seq=-1), "$.seq"),
    (json.dumps({"v": 1, "seq": 1, "type": "heartbeat", "data": {"server_time": TS}}), "ts"),
    (json.dumps({"v": 1, "seq": 1, "ts": TS, "data": {}}), "type"),
    (envelope("agent.state", {"agent": dict(AGENT, state="asleep")}), "state"),
])
def test_malformed_messages_are_rejected_with_a_reason(raw: str, needle: str) -> None:
    with pytest.raises(wire.Rejected) as info:
        wire.decode(raw)
    assert info.value.kind == "malformed"
    assert needle in info.value.reason or needle == "malformed"


def test_another_major_version_is_its_own_kind_of_rejection() -> None:
    with pytest.raises(wire.Rejected) as info:
        wire.decode(envelope("heartbeat", {"server_time": TS}, v=2))
    assert info.value.kind == "version" and "2" in info.value.reason
    with pytest.raises(wire.Rejected) as info:
        wire.decode(json.dumps({"v": 3, "something": "else entirely"}))
    assert info.value.kind == "version"


def test_messages_over_one_mebibyte_are_rejected() -> None:
    big = envelope("case.updated", {"case": dict(CASE, subject="x" * (1 << 20))})
    for raw in (big, big.encode()):
        with pytest.raises(wire.Rejected, match="larger than"):
            wire.decode(raw)
    # a multi-byte string just under a million characters is still over a mebibyte
    cjk = envelope("case.updated", {"case": dict(CASE, subject="投" * 400_000)})
    with pytest.raises(wire.Rejected, match="larger than"):
        wire.decode(cjk)


def test_client_commands_round_trip_through_the_server_decoder() -> None:
    sub = wire.decode_client(json.dumps(wire.Subscribe("E1", 41).to_message()))
    assert isinstance(sub, wire.SubscribeMessage) and sub.data.resume == wire.ResumeFrom("E1", 41)
    first = wire.decode_client(json.dumps(wire.Subscribe().to_message()))
    assert first.data.resume is None
    bare = wire.decode_client('{"type": "subscribe", "data": {"resume": null}}')  # v may be omitted
    assert isinstance(bare, wire.SubscribeMessage)
    cmd = wire.decode_client(json.dumps(wire.reassign_command("r-1", "e-1", "s-2", "专人跟进"), ensure_ascii=False))
    assert isinstance(cmd, wire.ReassignMessage) and cmd.data.to_owner == "s-2" and cmd.data.reason == "专人跟进"
    with pytest.raises(wire.Rejected):
        wire.decode_client('{"type": "escalation.reassign", "data": {}}')


@given(st.binary(max_size=200) | st.text(max_size=200))
def test_no_input_crashes_the_decoder(raw: bytes | str) -> None:
    try:
        wire.decode(raw)
    except wire.Rejected as exc:
        assert exc.reason

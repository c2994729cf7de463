"""The gateway's core without sockets: AMI frames in, protocol events out (synthetic
frames written here from Asterisk's documented event fields)."""

from __future__ import annotations

import json

import msgspec

from supervisor import wire
from supervisor.gateway.floor import LEAVE_GRACE_MS, AsteriskFloor, customer_id_of

T0 = 1_795_000_000_000  # epoch ms
Q = {"Queue": "cards"}


def f(**kw: str) -> dict[str, str]:
    return {k.lower(): str(v) for k, v in kw.items()}


def started(members: int = 2, entries: list[dict[str, str]] | None = None, **floor_kw) -> AsteriskFloor:
    fl = AsteriskFloor([{"id": "cards", "name": "信用卡", "sla_seconds": 300, "warn_seconds": 200}], **floor_kw)
    fl.status_begin()
    fl.status_item(f(Event="QueueParams", Queue="cards", Calls="0"))
    for i in range(1, members + 1):
        fl.status_item(f(Event="QueueMember", Queue="cards", Name=f"Agent {i}", Location=f"PJSIP/10{i}",
                         Status="1", Paused="0", PausedReason=""))
    for e in entries or []:
        fl.status_item(e)
    out = fl.status_end(T0)
    assert [e["type"] for e in out] == ["snapshot"]
    return fl


def types(events: list[dict]) -> list[str]:
    return [e["type"] for e in events]


def valid(events: list[dict]) -> list[wire.Event]:
    """Every event decodes as PROTOCOL.md says."""
    out = []
    for seq, e in enumerate(events, 1):
        msg = wire.decode(msgspec.json.encode({"v": 1, "seq": seq, **e}))
        assert not isinstance(msg, wire.UnknownEvent)
        out.append(msg)
    return out


def test_snapshot_from_queue_status() -> None:
    entry = f(Event="QueueEntry", Queue="cards", Position="1", Uniqueid="171.5", CallerIDNum="13812345678",
              CallerIDName="张三丰", Wait="42")
    fl = AsteriskFloor([{"id": "cards", "name": "信用卡", "sla_seconds": 300, "warn_seconds": 200}])
    fl.status_begin()
    fl.status_item(f(Event="QueueParams", Queue="cards"))
    fl.status_item(f(Event="QueueParams", Queue="other"))
    fl.status_item(f(Event="QueueMember", Queue="cards", Name="Ann", Location="PJSIP/101", Status="1", Paused="1",
                     PausedReason="lunch", LastPause=str(T0 // 1000 - 60)))
    fl.status_item(f(Event="QueueMember", Queue="other", Name="Ann", Location="PJSIP/101", Status="1", Paused="1"))
    fl.status_item(f(Event="QueueMember", Queue="cards", Name="Bob", Location="PJSIP/102", Status="5", Paused="0"))
    fl.status_item(entry)
    [snap] = valid(fl.status_end(T0))
    assert isinstance(snap, wire.Snapshot)
    d = snap.data
    assert [(q.id, q.name, q.sla_seconds) for q in d.queues] == [("cards", "信用卡", 300), ("other", "other", 900)]
    ann, bob = d.agents
    assert (ann.agent_id, ann.state, ann.reason, ann.skills) == ("PJSIP/101", "break", "lunch", ("cards", "other"))
    assert ann.since.timestamp() == T0 / 1000 - 60  # LastPause
    assert bob.state == "offline"  # UNAVAILABLE
    [c] = d.waiting
    assert c.queued_at.timestamp() == T0 / 1000 - 42
    assert c.customer.masked and c.customer.phone == "138****5678" and c.customer.name == "张*丰"


def test_answered_call_with_wrap_up() -> None:
    fl = started(wrapup={"cards": 30})
    out = fl.handle(f(Event="QueueCallerJoin", Queue="cards", Uniqueid="1.1", CallerIDNum="13812345678",
                      CallerIDName="李四", Position="1", Count="1"), T0 + 1000)
    out += fl.handle(f(Event="AgentCalled", Queue="cards", Uniqueid="1.1", Interface="PJSIP/101",
                       MemberName="Agent 1"), T0 + 2000)
    out += fl.handle(f(Event="AgentRingNoAnswer", Queue="cards", Uniqueid="1.1", Interface="PJSIP/101",
                       RingTime="15"), T0 + 17000)
    out += fl.handle(f(Event="AgentCalled", Queue="cards", Uniqueid="1.1", Interface="PJSIP/102"), T0 + 18000)
    out += fl.handle(f(Event="QueueCallerLeave", Queue="cards", Uniqueid="1.1", Count="0"), T0 + 20000)
    out += fl.handle(f(Event="AgentConnect", Queue="cards", Uniqueid="1.1", Interface="PJSIP/102",
                       HoldTime="19", RingTime="2"), T0 + 20000)
    out += fl.handle(f(Event="AgentComplete", Queue="cards", Uniqueid="1.1", Interface="PJSIP/102",
                       TalkTime="100", Reason="caller"), T0 + 120000)
    assert fl.due() == T0 + 150000
    out += fl.tick(T0 + 200000)
    evs = valid(out)
    assert types(out) == ["call.queued", "agent.state", "agent.state", "agent.state", "call.answered",
                          "agent.state", "call.ended", "agent.state", "agent.state"]
    states = [(e.data.agent.agent_id, e.data.agent.state, e.data.agent.call_id) for e in evs
              if isinstance(e, wire.AgentStateChanged)]
    assert states == [("PJSIP/101", "ringing", "c-1.1"), ("PJSIP/101", "available", None),
                      ("PJSIP/102", "ringing", "c-1.1"), ("PJSIP/102", "on_call", "c-1.1"),
                      ("PJSIP/102", "wrap_up", "c-1.1"), ("PJSIP/102", "available", None)]
    assert evs[-1].data.agent.since.timestamp() * 1000 == T0 + 150000  # wrap-up ends when it is due
    assert evs[4].data.at.timestamp() * 1000 == T0 + 20000
    assert "13812345678" not in json.dumps(out, ensure_ascii=False) and "李四" not in json.dumps(out, ensure_ascii=False)
    # the leave came before the connect: no abandon however late the next look is
    assert fl.tick(T0 + 10 * LEAVE_GRACE_MS) == []


def test_abandon_and_leave_outcomes() -> None:
    fl = started()
    fl.handle(f(Event="QueueCallerJoin", Queue="cards", Uniqueid="2.1"), T0)
    fl.handle(f(Event="QueueCallerJoin", Queue="cards", Uniqueid="2.2"), T0)
    fl.handle(f(Event="QueueCallerJoin", Queue="cards", Uniqueid="2.3"), T0)
    out = fl.handle(f(Event="QueueCallerAbandon", Queue="cards", Uniqueid="2.1", HoldTime="9"), T0 + 9000)
    out += fl.handle(f(Event="QueueCallerLeave", Queue="cards", Uniqueid="2.1"), T0 + 9000)
    # exit to another queue: leave, then join elsewhere -> transferred, wait clock kept
    out += fl.handle(f(Event="QueueCallerLeave", Queue="cards", Uniqueid="2.2"), T0 + 60000)
    out += fl.handle(f(Event="QueueCallerJoin", Queue="overflow", Uniqueid="2.2"), T0 + 61000)
    # timeout to voicemail: leave, nothing after -> abandoned at the time it left
    out += fl.handle(f(Event="QueueCallerLeave", Queue="cards", Uniqueid="2.3"), T0 + 90000)
    out += fl.tick(T0 + 90000 + LEAVE_GRACE_MS)
    evs = valid(out)
    assert types(out) == ["call.abandoned", "queue.updated", "call.transferred", "call.abandoned"]
    assert evs[2].data.queue == "overflow"
    assert evs[3].data.call_id == "c-2.3" and evs[3].data.at.timestamp() * 1000 == T0 + 90000
    assert [c.queued_at for c in fl.callers.values()] == [T0]  # 2.2 still waits from its first join


def test_asterisk_11_names() -> None:
    fl = started()
    out = fl.handle(f(Event="Join", Queue="cards", Uniqueid="3.1", CallerIDNum="2001", Position="1"), T0)
    out += fl.handle(f(Event="AgentCalled", Queue="cards", AgentCalled="PJSIP/101", AgentName="Agent 1",
                       Uniqueid="3.1", ChannelCalling="SIP/x"), T0 + 1000)
    out += fl.handle(f(Event="AgentConnect", Queue="cards", Member="PJSIP/101", MemberName="Agent 1",
                       Uniqueid="3.1", Holdtime="2"), T0 + 2000)
    out += fl.handle(f(Event="Leave", Queue="cards", Uniqueid="3.1"), T0 + 2000)
    out += fl.handle(f(Event="AgentComplete", Queue="cards", Member="PJSIP/101", Uniqueid="3.1",
                       TalkTime="10", Reason="agent"), T0 + 12000)
    out += fl.handle(f(Event="QueueMemberPaused", Queue="cards", Location="PJSIP/102", MemberName="Agent 2",
                       Paused="1", Reason="Training"), T0 + 13000)
    evs = valid(out)
    assert types(out) == ["call.queued", "agent.state", "call.answered", "agent.state", "call.ended",
                          "agent.state", "agent.state"]
    assert (evs[-1].data.agent.state, evs[-1].data.agent.reason) == ("training", "Training")


def test_reconnect_keeps_a_waiting_caller_as_one_contact() -> None:
    fl = started()
    fl.handle(f(Event="QueueCallerJoin", Queue="cards", Uniqueid="4.1", CallerIDNum="13900001111"), T0)
    fl.handle(f(Event="QueueCallerJoin", Queue="cards", Uniqueid="4.2"), T0)
    # AMI dropped; 4.2 was answered and finished meanwhile; QueueStatus again
    fl.status_begin()
    held = fl.handle(f(Event="QueueCallerJoin", Queue="cards", Uniqueid="4.3"), T0 + 70000)
    assert held == []
    fl.status_item(f(Event="QueueMember", Queue="cards", Name="Agent 1", Location="PJSIP/101", Status="1",
                     Paused="0"))
    fl.status_item(f(Event="QueueEntry", Queue="cards", Uniqueid="4.1", Wait="60", CallerIDNum="13900001111"))
    out = fl.status_end(T0 + 70000)
    evs = valid(out)
    assert types(out) == ["snapshot", "call.queued"]
    [c] = evs[0].data.waiting
    assert c.call_id == "c-4.1" and c.queued_at.timestamp() * 1000 == T0  # first queued_at, not now - Wait
    assert [a.agent_id for a in evs[0].data.agents] == ["PJSIP/101"]


def test_pause_status_and_membership() -> None:
    fl = started()
    out = fl.handle(f(Event="QueueMemberPause", Queue="cards", Interface="PJSIP/101", MemberName="Agent 1",
                      Paused="1", PausedReason="Meeting with QA", Status="1"), T0)
    out += fl.handle(f(Event="QueueMemberStatus", Queue="cards", Interface="PJSIP/101", Status="2", Paused="1"), T0 + 1)
    out += fl.handle(f(Event="QueueMemberPause", Queue="cards", Interface="PJSIP/101", Paused="0"), T0 + 2)
    out += fl.handle(f(Event="QueueMemberAdded", Queue="loans", Interface="PJSIP/101", Status="2", Paused="0"), T0 + 3)
    out += fl.handle(f(Event="QueueMemberStatus", Queue="cards", Interface="PJSIP/101", Status="1", Paused="0"), T0 + 4)
    out += fl.handle(f(Event="QueueMemberRemoved", Queue="cards", Interface="PJSIP/101"), T0 + 5)
    out += fl.handle(f(Event="QueueMemberRemoved", Queue="loans", Interface="PJSIP/101"), T0 + 6)
    evs = valid(out)
    got = [(e.data.agent.state, e.data.agent.reason, e.data.agent.skills) for e in evs
           if isinstance(e, wire.AgentStateChanged)]
    assert got == [("meeting", "Meeting with QA", ("cards",)), ("on_call", None, ("cards",)),
                   ("on_call", None, ("cards", "loans")), ("available", None, ("cards", "loans")),
                   ("available", None, ("loans",)), ("offline", None, ())]
    assert types(out).count("queue.updated") == 1


def test_reveal_from_memory_of_live_calls() -> None:
    fl = started()
    fl.handle(f(Event="QueueCallerJoin", Queue="cards", Uniqueid="5.1", CallerIDNum="13812345678",
                CallerIDName="王小明"), T0)
    cid = customer_id_of("5.1")
    assert fl.customer(cid) == {"id": cid, "name": "王小明", "phone": "13812345678", "segment": "standard",
                                "masked": False}
    fl.handle(f(Event="QueueCallerAbandon", Queue="cards", Uniqueid="5.1", HoldTime="3"), T0 + 3000)
    assert fl.customer(cid) is None


def test_outcome_of_a_caller_never_seen_joining_uses_its_hold_time() -> None:
    fl = started()
    out = fl.handle(f(Event="QueueCallerAbandon", Queue="q9", Uniqueid="6.1", HoldTime="11"), T0 + 11000)
    evs = valid(out)
    assert types(out) == ["queue.updated", "call.queued", "call.abandoned"]
    assert evs[1].data.contact.queued_at.timestamp() * 1000 == T0

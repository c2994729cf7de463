"""Regression: one caller published twice (``call.queued`` x2) by a paced gateway run.

Found by ``benchmarks/bench_gateway.py --quick --speed 600`` (2,050 ``call.queued`` against
the simulator's 2,049; ``--diff`` names the calls). Every doubled call had the same
frames: ``QueueCallerJoin``, ``AgentCalled``, then ``QueueCallerLeave`` and ``AgentConnect``
stamped the same instant but read a few ms apart (two TCP reads). In between, the
gateway's leave-grace timer fired on the gateway's own clock, corrected by the PBX clock
``Ping`` told at login, which ran ahead of the frames' ``Timestamp:`` (a paced replay
whose clock started before its first frame; on a real PBX, AMI delivering events late or
a gateway catching up on a backlog do the same). So: ``call.abandoned`` at the leave,
then the ``AgentConnect`` of a caller no longer known made a new contact from its
HoldTime: a second ``call.queued`` and a ``call.answered`` — offered and abandoned one too
high. The sequence is what app_queue sends for an answer; the gateway was wrong.

The fix: the floor's timers run on the stream's clock (``AsteriskFloor.stream_time``: the
last frame's time run on only by how long AMI has been quiet since), never on the
gateway's clock alone.

All AMI frames here are synthetic, written in this file from Asterisk's documented
fields (the minimal sequence of the benchmark's doubled calls); expected events worked
out by hand.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from supervisor import timeutil, wire
from supervisor.gateway.amiserver import AmiSession
from supervisor.gateway.floor import LEAVE_GRACE_MS
from tests.gateway.support import AmiThread, gateway
from tests.gateway.test_floor import T0, f, started, valid
from tests.sim.support import open_client, recv, recv_until

AHEAD_MS = 1_200_000  # the gateway's clock 20 min ahead of the frames (the benchmark's was ~1,250 s)


def ms(ts: str) -> int:
    return int(round(timeutil.parse(ts).timestamp() * 1000))


# the minimal sequence (synthetic): a caller joins "cards", PJSIP/101 rings, the caller leaves
# the queue as the agent picks up: Leave and AgentConnect of the same instant
JOIN = f(Event="QueueCallerJoin", Queue="cards", Uniqueid="1.1", Channel="PJSIP/trunk-1.1",
         CallerIDNum="13812345678", CallerIDName="李四", Position="1", Count="1")
CALLED = f(Event="AgentCalled", Queue="cards", Uniqueid="1.1", Interface="PJSIP/101", MemberName="Agent 1")
LEAVE = f(Event="QueueCallerLeave", Queue="cards", Uniqueid="1.1", Position="1", Count="0")
CONNECT = f(Event="AgentConnect", Queue="cards", Uniqueid="1.1", Interface="PJSIP/101", MemberName="Agent 1",
            HoldTime="2", RingTime="2")


def test_leave_and_connect_read_apart_while_the_gateway_clock_runs_ahead_is_one_answered_call() -> None:
    fl = started()  # QueueStatus at T0: "cards", PJSIP/101 and PJSIP/102 available
    out = fl.handle(JOIN, T0 + 1000)
    out += fl.handle(CALLED, T0 + 1000)
    out += fl.handle(LEAVE, T0 + 3000)
    assert fl.due() == T0 + 3000 + LEAVE_GRACE_MS  # the leave's grace
    # the read after the Leave finds nothing yet (the AgentConnect is 4 ms behind) while the
    # gateway's clock says T0+1,203,004: past the grace by that clock, not by the stream's
    gateway_now = T0 + 3004 + AHEAD_MS
    at = fl.stream_time(gateway_now, quiet_ms=4)
    assert at == T0 + 3004 < T0 + 3000 + LEAVE_GRACE_MS  # so the server does not tick: the grace is still open
    # (before the fix the server ticked at gateway_now: call.abandoned at T0+3000, then the
    # AgentConnect below made a second call.queued for c-1.1 and answered that)
    out += fl.handle(CONNECT, T0 + 3000)
    assert fl.due() is None  # answered: no leave to decide, no wrap-up (no Wrapuptime)

    # by hand: queued at +1 s; PJSIP/101 ringing for it at +1 s; the Leave says nothing
    # yet; the AgentConnect at +3 s answers it (held 2 s) and puts PJSIP/101 on the call
    assert [(e["type"], ms(e["ts"])) for e in out] == [
        ("call.queued", T0 + 1000), ("agent.state", T0 + 1000),
        ("call.answered", T0 + 3000), ("agent.state", T0 + 3000)]
    queued, ringing, answered, on_call = valid(out)
    assert isinstance(queued, wire.CallQueued) and queued.data.contact.call_id == "c-1.1"
    assert queued.data.contact.queue == "cards" and queued.data.contact.queued_at.timestamp() * 1000 == T0 + 1000
    assert queued.data.contact.customer.phone == "138****5678"
    assert isinstance(ringing, wire.AgentStateChanged)
    assert (ringing.data.agent.agent_id, ringing.data.agent.state, ringing.data.agent.call_id) == (
        "PJSIP/101", "ringing", "c-1.1")
    assert isinstance(answered, wire.CallAnswered)
    assert (answered.data.call_id, answered.data.agent_id, answered.data.at.timestamp() * 1000) == (
        "c-1.1", "PJSIP/101", T0 + 3000)
    assert isinstance(on_call, wire.AgentStateChanged)
    assert (on_call.data.agent.state, on_call.data.agent.call_id, on_call.data.agent.since.timestamp() * 1000) == (
        "on_call", "c-1.1", T0 + 3000)


def test_a_leave_with_nothing_after_is_still_an_abandon_once_the_stream_is_quiet_for_the_grace() -> None:
    fl = started()
    out = fl.handle(JOIN, T0 + 1000) + fl.handle(CALLED, T0 + 1000) + fl.handle(LEAVE, T0 + 3000)
    assert fl.stream_time(T0 + 3000 + AHEAD_MS, quiet_ms=LEAVE_GRACE_MS - 1) == T0 + 7999  # not yet
    at = fl.stream_time(T0 + 3000 + AHEAD_MS, quiet_ms=LEAVE_GRACE_MS)  # AMI quiet for the whole grace
    assert at == fl.due() == T0 + 8000
    out = fl.tick(at)
    # by hand: abandoned when the grace ends (+8 s), at the time it left (+3 s); the agent
    # rung for it is available again
    assert [(e["type"], ms(e["ts"])) for e in out] == [("call.abandoned", T0 + 8000), ("agent.state", T0 + 8000)]
    abandoned, back = valid(out)
    assert isinstance(abandoned, wire.CallAbandoned)
    assert (abandoned.data.call_id, abandoned.data.at.timestamp() * 1000) == ("c-1.1", T0 + 3000)
    assert isinstance(back, wire.AgentStateChanged) and back.data.agent.state == "available"
    # the stream's clock never runs ahead of the gateway's
    assert fl.stream_time(T0 + 3500, quiet_ms=60_000) == T0 + 3500


CST = timezone(timedelta(hours=8))
BASE = datetime(2026, 11, 20, 9, 0, tzinfo=CST).timestamp()
SPEED = 50.0  # the AMI server's clock runs 50x from its start: ahead of its first frame by 50x the gateway's start-up


@pytest.mark.slow
def test_real_gateway_paced_peer_whose_ping_clock_runs_ahead_publishes_the_call_once(tmp_path: Path) -> None:
    """The same synthetic frames through the real gateway process, from an AMI peer paced at
    50x whose Ping tells a clock ahead of its frames (as in the benchmark): the Leave (t=3)
    and the AgentConnect (t=4) go out 20 ms apart, well inside the 5 s grace by their stamps."""
    status = [{"Event": "QueueParams", "Queue": "cards"},
              {"Event": "QueueMember", "Queue": "cards", "Name": "Agent 1", "Location": "PJSIP/101", "Status": "1",
               "Paused": "0", "PausedReason": ""}]
    events: list[tuple[float | None, dict[str, Any]]] = [(1.0, JOIN), (1.0, CALLED), (3.0, LEAVE), (4.0, CONNECT)]
    ami = AmiThread([AmiSession(status, events)], base=BASE, speed=SPEED)
    time.sleep(0.3)  # the PBX clock runs on before the gateway logs in: >= 15 s ahead of t=0 at its Ping
    try:
        with gateway(tmp_path, ami.port) as (url, _proc):
            got = asyncio.run(_calls(url))
    finally:
        ami.stop()
    hello, calls = got
    ahead_s = ms(hello["server_time"]) / 1000 - BASE
    assert ahead_s > 3 + LEAVE_GRACE_MS / 1000 + 1  # precondition: by the gateway's clock the grace was over
    # by hand: c-1.1 queued at t=1 and answered by PJSIP/101 at t=4, once; nothing abandoned
    assert [(m["type"], ms(m["ts"]) / 1000 - BASE) for m in calls] == [("call.queued", 1.0), ("call.answered", 4.0)]
    assert calls[0]["data"]["contact"]["call_id"] == calls[1]["data"]["call_id"] == "c-1.1"


async def _calls(url: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The hello, then every call.* event of the stream from its start (a resume from seq 0)
    up to the first call.answered, and any that follow within a second."""
    ws = await open_client(url, "t-sup")
    try:
        hello = (await recv_until(ws, lambda m: m["type"] == "hello"))[-1]["data"]
        # wait for the stream to hold the answer (the frames all go out within ~0.2 s of the login)
        msgs: list[dict[str, Any]] = []
        deadline = asyncio.get_running_loop().time() + 20
        while not any(m["type"] == "call.answered" for m in msgs):
            assert asyncio.get_running_loop().time() < deadline, f"no call.answered: {msgs}"
            await ws.send(json.dumps(wire.Subscribe(hello["epoch"], 0).to_message()))
            await recv_until(ws, lambda m: m["type"] == "hello")  # this subscribe's: what follows is its replay
            msgs = await recv_until(ws, lambda m: m["type"] == "heartbeat", timeout=5)
        until = asyncio.get_running_loop().time() + 1.0
        while (left := until - asyncio.get_running_loop().time()) > 0:
            try:
                msgs.append(await recv(ws, left))
            except TimeoutError:
                break
        return hello, [m for m in msgs if m["type"].startswith("call.")]
    finally:
        await ws.close()

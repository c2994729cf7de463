"""AMI faults against the real gateway process: each one a sentence, the websocket side
up with ``source_ok: false`` heartbeats, and a reconnect that rebuilds from QueueStatus.
The AMI frames here are synthetic (written in this file from Asterisk's documented fields)."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from supervisor import wire
from supervisor.gateway.amiserver import AmiSession
from tests.gateway.support import AmiThread, gateway, kpi, recorder, stop, types, wait_for
from tests.sim.support import open_client, recv

pytestmark = pytest.mark.slow
CST = timezone(timedelta(hours=8))
DAY = datetime(2026, 11, 20, tzinfo=CST)
BASE = datetime(2026, 11, 20, 9, 0, tzinfo=CST).timestamp()
MEMBER = {"Event": "QueueMember", "Queue": "cards", "Name": "Ann", "Location": "PJSIP/101", "Status": "1",
          "Paused": "0", "PausedReason": ""}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def beats_until(url: str, pred: Any, token: str = "t-sup", timeout: float = 20.0) -> dict[str, Any]:
    ws = await open_client(url, token)
    try:
        async with asyncio.timeout(timeout):
            while True:
                msg = await recv(ws, timeout)
                if msg["type"] == "heartbeat" and pred(msg["data"]):
                    wire.decode(json.dumps(msg))  # a valid heartbeat for every client
                    return dict(msg["data"])
    finally:
        await ws.close()


def test_ami_down_at_start_then_up(tmp_path: Path) -> None:
    port = free_port()
    with gateway(tmp_path, port) as (url, proc):
        down = asyncio.run(beats_until(url, lambda d: d["source_ok"] is False))
        assert "cannot reach Asterisk's manager interface" in down["reason"]
        ami = AmiThread([AmiSession([MEMBER])], base=BASE, port=port)
        try:
            asyncio.run(beats_until(url, lambda d: d["source_ok"] is True))
        finally:
            ami.stop()
        code, _, err = stop(proc)
    assert err.count("cannot reach Asterisk's manager interface") == 1  # said once while it lasts


@pytest.mark.parametrize("case", ["wrong secret", "no agent class"])
def test_refused_login_and_missing_agent_class(tmp_path: Path, case: str) -> None:
    kw: dict[str, Any] = {"read_perm": "call,system"} if case == "no agent class" else {}
    ami = AmiThread([AmiSession([MEMBER])], base=BASE, **kw)
    try:
        with gateway(tmp_path, ami.port, secret="wrong" if case == "wrong secret" else "s3cret") as (url, proc):
            data = asyncio.run(beats_until(url, lambda d: d["source_ok"] is False and "reason" in d))
            wait_for(lambda: ami.server.connections >= 2, "a second attempt")
            code, _, err = stop(proc)
    finally:
        ami.stop()
    if case == "wrong secret":
        assert "refused the login of manager user 'gateway' (Authentication failed)" in data["reason"]
    else:
        assert "lacks the 'agent' read class (it has read = call,system)" in data["reason"]
    assert err.count(data["reason"]) == 1
    assert code == 0


def test_drop_mid_day_rebuilds_from_queue_status_and_counts_the_waiting_caller_once(tmp_path: Path) -> None:
    join = {"Event": "QueueCallerJoin", "Queue": "cards", "Uniqueid": "1795.7", "CallerIDNum": "13812345678",
            "CallerIDName": "张三丰", "Position": "1", "Count": "1"}
    first = AmiSession([MEMBER], [(10.0, join)], after="drop")
    # after the drop Asterisk still has the caller waiting; its Wait (30 s at t=50: Asterisk
    # restarts it when a caller changes queue) would put the join at t=20: memory says t=10
    entry = {"Event": "QueueEntry", "Queue": "cards", "Position": "1", "Uniqueid": "1795.7",
             "CallerIDNum": "13812345678", "CallerIDName": "张三丰", "Wait": "30"}
    second = AmiSession([MEMBER, entry], [
        (100.0, {"Event": "AgentConnect", "Queue": "cards", "Uniqueid": "1795.7", "Interface": "PJSIP/101",
                 "MemberName": "Ann", "HoldTime": "90", "RingTime": "3"}),
        (160.0, {"Event": "AgentComplete", "Queue": "cards", "Uniqueid": "1795.7", "Interface": "PJSIP/101",
                 "MemberName": "Ann", "HoldTime": "90", "TalkTime": "60", "Reason": "caller"}),
    ])
    ami = AmiThread([first, second], base=BASE)
    ami.server.t = 50.0  # the PBX clock stands at t=50 for both logins; the join is stamped t=10
    db = tmp_path / "j.db"
    queues = [{"id": "cards", "name": "信用卡", "sla_seconds": 60, "warn_seconds": 30, "wrapuptime": 20}]
    try:
        with gateway(tmp_path, ami.port, queues=queues) as (url, gw), recorder(url, db) as rec:
            wait_for(lambda: "call.ended" in types(db), "the call's end in the journal")
            wait_for(lambda: sum(1 for t in types(db) if t == "agent.state") >= 3, "wrap-up over")
            code, _, _ = stop(rec)
            _, _, err = stop(gw)
    finally:
        ami.stop()
    assert "closed the manager connection" in err
    figures = kpi(db, DAY, DAY + timedelta(days=1))
    q = figures["queues"]["cards"]
    # one contact, queued at t=10 (kept across the reconnect), answered at t=100: wait 90 > T=60
    assert (q["offered"], q["answered"], q["abandoned"]) == (1, 1, 0)
    assert q["asa_seconds"] == 90.0 and q["answered_within_sla"] == 0 and q["sla_breaches"] == 1
    assert q["service_level"] == 0.0
    # talk 60 s + wrap-up 20 s (the queue's wrapuptime)
    assert q["aht_seconds"] == 80.0
    assert figures["agents"]["PJSIP/101"]["handled"] == 1
    assert types(db).count("call.queued") == 1


def test_reveal_from_the_gateway_memory(tmp_path: Path) -> None:
    join = {"Event": "QueueCallerJoin", "Queue": "cards", "Uniqueid": "88.1", "CallerIDNum": "13812345678",
            "CallerIDName": "张三丰", "Position": "1", "Count": "1"}
    ami = AmiThread([AmiSession([MEMBER], [(5.0, join)])], base=BASE)

    async def scenario(url: str) -> tuple[dict[str, Any], dict[str, Any], str]:
        ws = await open_client(url, "t-lead")
        seen = ""
        customer_id = ""
        async with asyncio.timeout(20):
            while not customer_id:
                msg = await recv(ws)
                seen += json.dumps(msg, ensure_ascii=False)
                if msg["type"] == "call.queued":
                    customer_id = msg["data"]["contact"]["customer"]["id"]
                elif msg["type"] == "snapshot" and msg["data"]["waiting"]:
                    # joined after the caller did (a loaded machine): the snapshot lists it
                    customer_id = msg["data"]["waiting"][0]["customer"]["id"]
        await ws.send(json.dumps(wire.reveal_command("r-1", customer_id, None, "customer asked for a callback")))
        while (ok := await recv(ws))["type"] != "command.result":
            pass
        sup = await open_client(url, "t-sup")
        await sup.send(json.dumps(wire.reveal_command("r-2", customer_id, None, "curious")))
        while (no := await recv(sup))["type"] != "command.result":
            pass
        await ws.close()
        await sup.close()
        return ok["data"], no["data"], seen

    try:
        with gateway(tmp_path, ami.port) as (url, _):
            ok, no, seen = asyncio.run(scenario(url))
    finally:
        ami.stop()
    assert ok["ok"] is True and ok["customer"]["phone"] == "13812345678" and ok["customer"]["name"] == "张三丰"
    assert no["ok"] is False and no["error"]["code"] == "forbidden"
    assert "13812345678" not in seen and "张三丰" not in seen and "138****5678" in seen

"""The simulator server against real websocket clients on loopback (PROTOCOL.md)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from supervisor import wire
from supervisor.sim.server import SimConfig, SimulatorServer
from supervisor.timeutil import CHINA, parse
from tests.sim.support import Mirror, auth, canonical, open_client, recv, recv_until, run, stream_only

START = datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)


def cfg(**kw: Any) -> SimConfig:
    base: dict[str, Any] = dict(seed=7, speed=0.0, agents=30, start=START, heartbeat_s=5.0)
    base.update(kw)
    return SimConfig(**base)


# ---------------------------------------------------------------------- handshake


def test_missing_or_unknown_token_is_refused_with_401_and_a_wrong_path_with_404() -> None:
    async def scenario() -> list[int]:
        codes = []
        async with SimulatorServer(cfg(tokens={"t-1": {"id": "u1", "name": "甲", "role": "manager"}})) as srv:
            base = srv.url
            for url, headers in (
                (base, {}),
                (base, auth("demo-lead")),  # the demo tokens are off when a tokens table is given
                (base, {"Authorization": "Basic dDE6eA=="}),
                (base.replace("/v1/events", "/v2/events"), auth("t-1")),
                (base + "/more", auth("t-1")),
            ):
                with pytest.raises(InvalidStatus) as err:
                    await connect(url, additional_headers=headers)
                codes.append(err.value.response.status_code)
            ws = await open_client(base, "t-1")  # the right token still works
            hello = await recv(ws)
            assert hello["data"]["user"] == {"id": "u1", "name": "甲", "role": "manager"}
            await ws.close()
        return codes

    assert run(scenario()) == [401, 401, 401, 404, 404]


# ---------------------------------------------------------------------- session


def test_hello_then_a_snapshot_of_the_current_state_then_live_events_in_seq_order() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(prerun_hours=0.5, heartbeat_s=2.5, hours=3.0)) as srv:
            srv.pause()
            head, state = srv.state_at()
            assert head > 100  # the pre-run backlog
            ws = await open_client(srv.url, "demo-lead")
            hello = await recv(ws)
            assert hello["type"] == "hello" and hello["v"] == 1 and hello["seq"] == head
            assert hello["data"]["epoch"] == srv.epoch and hello["data"]["heartbeat_s"] == 2.5
            assert hello["data"]["user"]["role"] == "duty_lead"
            assert parse(hello["data"]["server_time"]) == START + timedelta(minutes=30)
            snap = await recv(ws)
            assert snap["type"] == "snapshot" and snap["seq"] == head
            assert snap["data"] == state
            assert isinstance(wire.decode(json.dumps(snap)), wire.Snapshot)
            mirror = Mirror(snap["data"])
            srv.resume()
            seq = head
            while seq < head + 1500:
                msg = await recv(ws)
                if msg["type"] in wire.CONTROL_TYPES:
                    continue
                assert msg["seq"] == seq + 1
                seq = msg["seq"]
                mirror.apply(msg)
            srv.pause()
            # the client stops where the server stands, or the server is ahead by events in flight
            rest = []
            while seq < srv.seq:
                msg = await recv(ws)
                if msg["type"] not in wire.CONTROL_TYPES:
                    rest.append(msg)
                    seq = msg["seq"]
            for msg in rest:
                mirror.apply(msg)
            assert mirror.anomalies == []
            assert mirror.state() == canonical(srv.state())
            await ws.close()

    run(scenario())


def test_stream_starts_with_a_snapshot_at_seq_1_so_resume_from_0_rebuilds_everything() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(prerun_hours=0.25)) as srv:
            srv.pause()
            head = srv.seq
            ws = await open_client(srv.url, resume=(srv.epoch, 0))
            hello = await recv(ws)
            assert hello["seq"] == 0
            msgs = [await recv(ws) for _ in range(head)]
            assert [m["seq"] for m in msgs] == list(range(1, head + 1))
            assert msgs[0]["type"] == "snapshot" and msgs[0]["ts"] == "2026-11-23T10:00:00.000+08:00"
            mirror = Mirror(msgs[0]["data"])
            for m in msgs[1:]:
                mirror.apply(m)
            assert mirror.state() == canonical(srv.state())
            await ws.close()

    run(scenario())


def test_resume_replays_exactly_the_missing_events() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(prerun_hours=0.5)) as srv:
            srv.pause()
            head = srv.seq
            first = await open_client(srv.url, resume=(srv.epoch, 0))
            got = stream_only([await recv(first) for _ in range(head + 1)])
            await first.close()
            srv.resume()
            after = head - 57
            again = await open_client(srv.url, resume=(srv.epoch, after))
            hello = await recv(again)
            assert hello["type"] == "hello" and hello["seq"] == after
            replayed = [await recv(again) for _ in range(57)]
            assert replayed == got[after:]  # byte-for-byte the same events
            live = stream_only(await recv_until(again, lambda m: m["seq"] > head + 100))
            assert [m["seq"] for m in live] == list(range(head + 1, head + 1 + len(live)))
            await again.close()

    run(scenario())


def test_resume_that_cannot_be_served_from_the_buffer_gets_a_snapshot() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(prerun_hours=0.5, buffer=200)) as srv:
            srv.pause()
            head = srv.seq
            assert head > 400
            for resume in ((srv.epoch, 1), ("another-epoch", head - 5), (srv.epoch, head + 10)):
                ws = await open_client(srv.url, resume=resume)
                hello = await recv(ws)
                snap = await recv(ws)
                assert (hello["type"], hello["seq"]) == ("hello", head)
                assert (snap["type"], snap["seq"]) == ("snapshot", head)
                assert snap["data"] == srv.state()
                await ws.close()
            # the oldest buffered position still resumes
            ws = await open_client(srv.url, resume=(srv.epoch, head - 200))
            assert (await recv(ws))["seq"] == head - 200
            assert (await recv(ws))["seq"] == head - 199
            await ws.close()

    run(scenario())


def test_heartbeats_carry_the_simulated_clock_and_stop_while_paused() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=60.0, heartbeat_s=0.2, hours=0.0)) as srv:
            ws = await open_client(srv.url)
            await recv(ws)  # hello
            await recv(ws)  # snapshot
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            beats = [await recv(ws) for _ in range(3)]
            elapsed = loop.time() - t0
            assert [b["type"] for b in beats] == ["heartbeat"] * 3
            assert 0.4 < elapsed < 3.0  # 0.6 s expected; generous for a loaded CI machine
            times = [parse(b["data"]["server_time"]) for b in beats]
            assert times[0] > START and times[2] - times[0] > timedelta(seconds=12)  # 60x real time
            assert all(b["seq"] == srv.seq for b in beats)
            srv.pause()
            with pytest.raises(asyncio.TimeoutError):
                await recv(ws, timeout=0.7)  # silence: the client must mark the feed stale
            srv.resume()
            assert (await recv(ws, timeout=1.0))["type"] == "heartbeat"
            await ws.close()

    run(scenario())


def test_hours_stops_generation_but_heartbeats_go_on() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(hours=0.1, heartbeat_s=0.2)) as srv:
            ws = await open_client(srv.url)
            msgs = await recv_until(ws, lambda m: m["type"] == "heartbeat")
            last = stream_only(msgs)[-1]
            assert parse(last["ts"]) <= START + timedelta(minutes=6)
            beat = await recv_until(ws, lambda m: m["type"] == "heartbeat")
            assert stream_only(beat) == [] or parse(stream_only(beat)[-1]["ts"]) <= START + timedelta(minutes=6)
            assert parse(beat[-1]["data"]["server_time"]) == START + timedelta(minutes=6)
            await ws.close()

    run(scenario())


# ---------------------------------------------------------------------- commands


def _open_escalation(state: dict[str, Any]) -> tuple[str, str, str]:
    esc = next(e for e in state["escalations"] if e["status"] != "resolved")
    dept = next(d for d in state["departments"] if d["id"] == esc["department"])
    other = next(m["id"] for m in dept["members"] if m["id"] != esc["owner"]["id"])
    return esc["escalation_id"], esc["owner"]["id"], other


async def _command(ws: Any, request_id: str, eid: str, to: str, reason: str) -> None:
    await ws.send(json.dumps(wire.reassign_command(request_id, eid, to, reason)))


def test_reassign_by_a_duty_lead_is_confirmed_and_broadcast_to_everyone() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg()) as srv:
            srv.pause()
            eid, owner, other = _open_escalation(srv.state())
            lead = await open_client(srv.url, "demo-lead")
            watcher = await open_client(srv.url, "demo-supervisor")
            for ws in (lead, watcher):
                await recv(ws)
                await recv(ws)
            head = srv.seq
            await _command(lead, "r-1", eid, other, "业务需要")
            got = await recv_until(lead, lambda m: m["type"] == "command.result")
            assert [m["type"] for m in got] == ["escalation.reassigned", "escalation.updated", "command.result"]
            assert [m["seq"] for m in got] == [head + 1, head + 2, head + 2]
            assert got[-1]["data"] == {"request_id": "r-1", "ok": True}
            moved = got[0]["data"]
            assert (moved["escalation_id"], moved["from_owner"]["id"], moved["to_owner"]["id"]) == (eid, owner, other)
            assert moved["by"]["id"] == "u-lead" and moved["reason"] == "业务需要"
            assert parse(moved["at"]) == START
            seen = [await recv(watcher) for _ in range(2)]
            assert seen == got[:2]
            state = {e["escalation_id"]: e for e in srv.state()["escalations"]}
            assert state[eid]["owner"]["id"] == other
            for ws in (lead, watcher):
                await ws.close()

    run(scenario())


def test_reassign_refusals_reach_only_the_sender() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(prerun_hours=6)) as srv:
            srv.pause()
            state = srv.state()
            eid, owner, other = _open_escalation(state)
            resolved = next(e["escalation_id"] for e in state["escalations"] if e["status"] == "resolved")
            head = srv.seq
            sup = await open_client(srv.url, "demo-supervisor")
            lead = await open_client(srv.url, "demo-lead")
            for ws in (sup, lead):
                await recv(ws)
                await recv(ws)
            await _command(sup, "r-f", eid, other, "x")
            cases = [
                ("r-n", "e-missing", other, "x", "not_found"),
                ("r-c", resolved, other, "x", "conflict"),
                ("r-i1", eid, "s-nobody", "x", "invalid"),
                ("r-i2", eid, other, " ", "invalid"),
                ("r-i3", eid, owner, "x", "invalid"),
            ]
            for rid, e, to, reason, _ in cases:
                await _command(lead, rid, e, to, reason)
            forbidden = await recv(sup)
            assert forbidden["type"] == "command.result" and forbidden["seq"] == head
            assert forbidden["data"]["ok"] is False and forbidden["data"]["error"]["code"] == "forbidden"
            assert forbidden["data"]["error"]["message"]
            for rid, *_, expected in cases:
                msg = await recv(lead)
                assert msg["type"] == "command.result" and msg["data"]["request_id"] == rid
                assert (msg["data"]["ok"], msg["data"]["error"]["code"]) == (False, expected)
                assert isinstance(wire.decode(json.dumps(msg)), wire.CommandResult)
            assert srv.seq == head  # nothing was broadcast
            for ws in (sup, lead):
                await ws.close()

    run(scenario())


def test_unknown_or_malformed_commands_get_a_clear_answer_and_held_commands_none() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg()) as srv:
            srv.pause()
            eid, _, other = _open_escalation(srv.state())
            ws = await open_client(srv.url, "demo-lead")
            await recv(ws)
            await recv(ws)
            await ws.send(json.dumps({"v": 1, "type": "case.close", "data": {"request_id": "r-u"}}))
            msg = await recv(ws)
            assert msg["data"]["request_id"] == "r-u" and msg["data"]["error"]["code"] == "invalid"
            assert "unknown command type" in msg["data"]["error"]["message"]
            await ws.send(json.dumps({"v": 1, "type": "escalation.reassign", "data": {"request_id": "r-m"}}))
            msg = await recv(ws)
            assert msg["data"]["request_id"] == "r-m" and msg["data"]["error"]["code"] == "invalid"
            await ws.send(json.dumps({"v": 1, "type": "whatever", "data": {}}))  # no request id: ignored
            srv.hold_commands = True
            head = srv.seq
            await _command(ws, "r-held", eid, other, "测试")
            got = [await recv(ws) for _ in range(2)]
            assert [m["type"] for m in got] == ["escalation.reassigned", "escalation.updated"]
            with pytest.raises(asyncio.TimeoutError):
                await recv(ws, timeout=0.5)  # applied, but never answered
            assert srv.seq == head + 2
            await ws.close()

    run(scenario())

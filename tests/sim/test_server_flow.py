"""The simulator server under stress: hostile frames, slow readers, cut lines, big states."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import datetime, timedelta
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, ConnectionClosedError

from supervisor import wire
from supervisor.sim.engine import Engine
from supervisor.sim.fit import fit_snapshot
from supervisor.sim.server import SimConfig, SimulatorServer
from supervisor.timeutil import CHINA
from tests.sim.support import hangup, open_client, recv, recv_until, run, stream_only

START = datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)


def cfg(**kw: Any) -> SimConfig:
    base: dict[str, Any] = dict(seed=7, speed=0.0, agents=30, start=START, heartbeat_s=5.0)
    base.update(kw)
    return SimConfig(**base)


# ---------------------------------------------------------------------- hostile clients


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (b"\x00\x01binary", 1003),
        ("{not json", 1007),
        ("[1, 2, 3]", 1007),
        ('{"v": 2, "type": "subscribe", "data": {}}', 1008),
        ('{"v": 1, "type": "subscribe", "data": {"resume": {"epoch": 5}}}', 1008),
        ("x" * (1024 * 1024 + 1), 1009),
    ],
    ids=["binary", "invalid-json", "not-an-object", "version", "bad-subscribe", "oversized"],
)
def test_protocol_errors_close_that_client_only(frame: str | bytes, code: int) -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=1.0, heartbeat_s=0.3)) as srv:
            good = await open_client(srv.url)
            await recv(good)
            bad = await open_client(srv.url, subscribe=False)
            await bad.send(frame)
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(bad.recv(), 5)
            assert bad.close_code == code
            # the server and the other client carry on
            await recv_until(good, lambda m: m["type"] == "heartbeat")
            again = await open_client(srv.url)
            assert (await recv(again))["type"] == "hello"
            for ws in (good, again):
                await ws.close()

    run(scenario())


def test_a_slow_client_loses_nothing_and_holds_up_no_one() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(prerun_hours=1, lead_events=1_000)) as srv:
            srv.pause()
            # a small receive buffer, so the unread socket fills up and the server must hold back
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", srv.port))
            sock.setblocking(False)
            slow = await open_client(srv.url, resume=(srv.epoch, 0), max_queue=4, sock=sock)
            fast = await open_client(srv.url, resume=(srv.epoch, 0))
            srv.resume()
            target = 16_000
            got = 0
            while got < target:
                msg = await recv(fast)
                if msg["type"] not in wire.CONTROL_TYPES:
                    got += 1
                    assert msg["seq"] == got
            positions = sorted(s.last_sent for s in srv._sessions)
            assert positions[0] < target - 4_000, positions  # the slow one really was held back
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)  # (only to read it fast)
            n = 0  # now the slow one reads: everything, in order
            while n < target:
                msg = await recv(slow)
                if msg["type"] not in wire.CONTROL_TYPES:
                    n += 1
                    assert msg["seq"] == n
            await hangup(slow)  # it has a backlog again: no polite close handshake
            await fast.close()

    run(scenario(), timeout=60)


def test_at_speed_0_generation_waits_for_its_readers() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(lead_events=1_000)) as srv:
            await asyncio.sleep(0.3)
            assert srv.seq == 1  # nobody subscribed: nothing generated
            ws = await open_client(srv.url, max_queue=16)
            await recv(ws)
            # subscribed but not reading: generation runs ahead by what the socket buffers take
            # plus lead_events, then stops (unbounded, it would make ~50,000 events a second)
            samples = [srv.seq]
            for _ in range(20):
                await asyncio.sleep(0.4)
                samples.append(srv.seq)
                if samples[-1] == samples[-2] == samples[-3]:
                    break
            assert samples[-1] == samples[-2] == samples[-3], samples
            assert samples[-1] < 100_000, samples
            await hangup(ws)

    run(scenario())


def test_drop_connections_and_resume_without_loss() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg()) as srv:
            ws = await open_client(srv.url)
            await recv(ws)
            snap = await recv(ws)
            last = snap["seq"]
            msgs = stream_only(await recv_until(ws, lambda m: m.get("seq", 0) >= last + 500 and m["type"] not in wire.CONTROL_TYPES))
            last = msgs[-1]["seq"]
            await srv.drop_connections()
            with pytest.raises(ConnectionClosedError):
                while True:
                    m = await asyncio.wait_for(ws.recv(), 5)
                    last = max(last, json.loads(m)["seq"])
            again = await open_client(srv.url, resume=(srv.epoch, last))
            hello = await recv(again)
            assert hello["seq"] == last
            nxt = stream_only(await recv_until(again, lambda m: m["type"] not in wire.CONTROL_TYPES))
            assert nxt[0]["seq"] == last + 1
            await again.close()

    run(scenario())


def test_send_raw_reaches_every_client_outside_the_stream() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg()) as srv:
            srv.pause()
            ws = await open_client(srv.url)
            await recv(ws)
            await recv(ws)
            await srv.send_raw('{"v": 1, "seq": 999999, "ts": "bad", "type": "call.queued"}')
            assert await asyncio.wait_for(ws.recv(), 5) == '{"v": 1, "seq": 999999, "ts": "bad", "type": "call.queued"}'
            await srv.send_raw(b"\x01\x02")
            assert await asyncio.wait_for(ws.recv(), 5) == b"\x01\x02"
            assert srv.seq == 1
            await ws.close()

    run(scenario())


def test_a_second_subscribe_restarts_the_session() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(prerun_hours=0.2)) as srv:
            srv.pause()
            ws = await open_client(srv.url)
            await recv(ws)
            await recv(ws)
            await ws.send(json.dumps(wire.Subscribe(srv.epoch, srv.seq - 3).to_message()))
            hello = await recv(ws)
            assert (hello["type"], hello["seq"]) == ("hello", srv.seq - 3)
            assert [(await recv(ws))["seq"] for _ in range(3)] == [srv.seq - 2, srv.seq - 1, srv.seq]
            await ws.close()

    run(scenario())


def test_bad_configurations_are_refused() -> None:
    for bad in (dict(speed=-1.0), dict(agents=0), dict(heartbeat_s=0.0), dict(buffer=0),
                dict(replay="x.txt"), dict(start=datetime(2026, 11, 23))):
        with pytest.raises(ValueError):
            SimulatorServer(cfg(**bad))
    with pytest.raises(ValueError, match="role"):
        SimulatorServer(cfg(tokens={"t": {"id": "u", "name": "n", "role": "admin"}}))


def test_a_snapshot_never_exceeds_one_mebibyte_and_keeps_the_live_essentials() -> None:
    big = Engine(4, START, agents=150)
    big.advance(START + timedelta(hours=6))
    full = big.snapshot()
    assert len(wire.encode(full)) > wire.MAX_MESSAGE_BYTES  # a busy day outgrows one message
    data, dropped = fit_snapshot(full)
    assert len(wire.encode(data)) <= wire.MAX_MESSAGE_BYTES - 4096
    assert dropped["cases"] > 0
    for key in ("queues", "agents", "departments", "waiting"):
        assert data[key] == full[key]
    unresolved = [e for e in full["escalations"] if e["status"] != "resolved"]
    assert all(e in data["escalations"] for e in unresolved)
    open_cases = [c for c in full["cases"] if c["status"] != "closed"]
    assert all(c in data["cases"] for c in open_cases)
    assert isinstance(wire.decode(wire.encode({"v": 1, "seq": 9, "ts": "2026-11-23T17:00:00+08:00",
                                               "type": "snapshot", "data": data})), wire.Snapshot)
    small = Engine(4, START, agents=30).snapshot()
    assert fit_snapshot(small) == (small, {})


def test_the_same_seed_and_start_serve_the_same_stream() -> None:
    async def one() -> list[str]:
        async with SimulatorServer(cfg(seed=11, prerun_hours=0.5)) as srv:
            srv.pause()
            ws = await open_client(srv.url, resume=(srv.epoch, 0))
            await recv(ws)  # hello: its epoch differs between runs, as it must
            out: list[str] = []
            for _ in range(srv.seq):
                raw = await asyncio.wait_for(ws.recv(), 5)
                assert isinstance(raw, str), "the server sent a binary frame"
                out.append(raw)
            await ws.close()
            return out

    first, second = run(one()), run(one())
    assert len(first) > 500 and first == second


def test_a_reader_that_falls_out_of_the_buffer_is_told_to_resubscribe() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(buffer=300, lead_events=100)) as srv:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", srv.port))
            sock.setblocking(False)
            slow = await open_client(srv.url, max_queue=4, sock=sock)
            fast = await open_client(srv.url)
            await recv_until(fast, lambda m: m.get("seq", 0) > 30_000, timeout=30)
            srv.pause()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
            last = 0
            with pytest.raises(ConnectionClosed):
                while True:
                    msg = await recv(slow)
                    if msg["type"] not in wire.CONTROL_TYPES:
                        assert msg["type"] == "snapshot" or msg["seq"] == last + 1  # no gap, ever
                        last = msg["seq"]
            assert slow.close_code == 1013
            again = await open_client(srv.url, resume=(srv.epoch, last))
            await recv(again)
            assert (await recv(again))["type"] == "snapshot"  # its position is long gone
            await again.close()
            await fast.close()

    run(scenario(), timeout=60)

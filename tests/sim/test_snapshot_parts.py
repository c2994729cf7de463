"""A 10,000-agent floor joined mid-day: the simulator's snapshot goes in parts (PROTOCOL.md).

Before, the snapshot was trimmed or quarantined as oversized past about 5,000 agents, and
a desktop joining mid-day started with no state at all.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from supervisor import wire
from supervisor.feed import FeedClient
from supervisor.floor import Floor
from supervisor.sim.fit import split_snapshot
from supervisor.sim.server import SimConfig, SimulatorThread, start_in_thread
from supervisor.store import Store
from tests.io.test_with_simulator import START

AGENTS = 10_000


@pytest.fixture(scope="module")
def big_floor() -> Iterator[SimulatorThread]:
    # a quarter of an hour of history: the day is under way when the clients join
    cfg = SimConfig(seed=2, speed=0.0, agents=AGENTS, start=START, prerun_hours=0.2, hours=0.3)
    with start_in_thread(cfg) as sim:
        yield sim


def test_split_keeps_every_item_in_order_and_every_part_fits() -> None:
    data = {"queues": [{"id": f"q{i}"} for i in range(3)], "departments": [],
            "agents": [{"agent_id": f"a-{i}", "pad": "x" * 300} for i in range(9000)],
            "waiting": [], "escalations": [], "cases": []}
    parts = split_snapshot(data, limit=1 << 20)
    assert len(parts) >= 3
    assert all(len(wire.encode(p)) <= 1 << 20 for p in parts)
    for key in data:
        assert [x for p in parts for x in p[key]] == data[key]
    assert split_snapshot({"queues": [], "agents": []}) == [{"queues": [], "agents": []}]


def test_the_wire_carries_parts_each_under_one_mib(big_floor: SimulatorThread) -> None:
    async def main() -> list[dict]:  # type: ignore[type-arg]
        async with connect(big_floor.url, additional_headers={"Authorization": "Bearer demo-supervisor"},
                           max_size=None) as ws:
            await ws.send(json.dumps({"v": 1, "type": "subscribe", "data": {"resume": None}}))
            hello = json.loads(await ws.recv())
            assert hello["type"] == "hello"
            first = await ws.recv()
            assert len(first.encode()) <= wire.MAX_MESSAGE_BYTES
            msg = json.loads(first)
            parts = [msg]
            while len(parts) < msg["parts"]:
                raw = await ws.recv()
                assert len(raw.encode()) <= wire.MAX_MESSAGE_BYTES
                parts.append(json.loads(raw))
            return parts

    parts = asyncio.run(asyncio.wait_for(main(), 60))
    assert len(parts) >= 2
    assert [p["part"] for p in parts] == list(range(1, len(parts) + 1))
    assert {p["seq"] for p in parts} == {parts[0]["seq"]}
    assert {p["type"] for p in parts} == {"snapshot"}
    agents = [a["agent_id"] for p in parts for a in p["data"]["agents"]]
    assert len(agents) == len(set(agents)) == AGENTS


def test_a_recorder_and_a_desktop_floor_joining_mid_day_get_every_agent(
        big_floor: SimulatorThread, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    floor = Floor()

    async def main() -> None:
        client = FeedClient(big_floor.url, "demo-supervisor", store=store,
                            on_batch=lambda events: floor.apply_batch(events))
        task = asyncio.ensure_future(client.run())
        while len(floor.agents) < AGENTS or client.counts.journaled < 2:
            await asyncio.sleep(0.05)
        await client.stop()
        await task
        assert client.counts.quarantined == 0 and client.counts.gaps == 0

    asyncio.run(asyncio.wait_for(main(), 90))
    state = big_floor.state()
    assert set(floor.agents) == {a["agent_id"] for a in state["agents"]}
    assert len(floor.agents) == AGENTS
    # the journal keeps the parts; reading it joins them into one whole snapshot again
    snapshots = [e for e in store.iter_events() if isinstance(e, wire.Snapshot)]
    assert len(snapshots) == 1 and len(snapshots[0].data.agents) == AGENTS
    store.close()

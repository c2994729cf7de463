"""``command-center reassign`` as a real process against the real simulator: every exit code."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from supervisor import wire
from supervisor.feed import FeedClient
from supervisor.sim.server import SimConfig, SimulatorThread, start_in_thread
from supervisor.store import Store
from tests.io.test_recorder_e2e import ENV, command
from tests.io.test_with_simulator import START

pytestmark = pytest.mark.slow


@dataclass
class World:
    sim: SimulatorThread
    open_escalation: dict[str, Any]
    other_owner: str  # a staff member who does not own it
    resolved_id: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A simulator with a working day behind it: open and resolved escalations."""
    cfg = SimConfig(seed=11, speed=0.0, agents=60, start=START, prerun_hours=10, hours=10)
    with start_in_thread(cfg) as sim:
        # find a resolved escalation the way an operator would: from the journal
        store = Store(f"sqlite:///{tmp_path_factory.mktemp('j') / 'j.db'}")

        async def record() -> None:
            client = FeedClient(sim.url, "demo-manager", store=store, backfill=True)
            task = asyncio.ensure_future(client.run())
            while client.position != (sim.epoch, sim.seq):
                await asyncio.sleep(0.05)
            await client.stop()
            await task

        asyncio.run(asyncio.wait_for(record(), 60))
        resolved = [e.data.escalation_id for e in store.iter_events()
                    if isinstance(e, wire.EscalationResolved)]
        store.close()
        state = sim.state()
        open_ones = [e for e in state["escalations"] if e["status"] != "resolved"]
        assert open_ones and resolved, "the simulated day should have both"
        esc = open_ones[0]
        members = [m["id"] for d in state["departments"] for m in d["members"]]
        other = next(m for m in members if m != esc["owner"]["id"])
        yield World(sim, esc, other, resolved[0])


def reassign(url: str, token: str, escalation_id: str, to_owner: str, reason: str = "客户要求升级处理",
             *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command("reassign", "--url", url, "--token", token, escalation_id, to_owner, "--reason", reason, *extra),
        capture_output=True, text=True, env=ENV, timeout=60,
    )


def one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_ok_when_the_server_confirms(world: World) -> None:
    esc_id = world.open_escalation["escalation_id"]
    result = reassign(world.sim.url, "demo-lead", esc_id, world.other_owner)
    assert result.returncode == 0, result.stderr
    assert f"escalation {esc_id} reassigned to {world.other_owner}" in result.stdout
    now = {e["escalation_id"]: e for e in world.sim.state()["escalations"]}
    assert now[esc_id]["owner"]["id"] == world.other_owner  # the server's truth changed


def test_forbidden_for_a_role_without_the_right(world: World) -> None:
    result = reassign(world.sim.url, "demo-supervisor", world.open_escalation["escalation_id"], world.other_owner)
    assert result.returncode == 3
    assert "forbidden" in one_sentence(result)


def test_refused_token_is_not_authorised(world: World) -> None:
    result = reassign(world.sim.url, "stolen-token", world.open_escalation["escalation_id"], world.other_owner)
    assert result.returncode == 3
    assert "not authorised" in one_sentence(result)


@pytest.mark.parametrize("case", ["not_found", "conflict", "invalid"])
def test_refusals_exit_4_with_the_servers_message(world: World, case: str) -> None:
    esc_id = world.open_escalation["escalation_id"]
    args = {
        "not_found": ("e-does-not-exist", world.other_owner),
        "conflict": (world.resolved_id, world.other_owner),
        "invalid": (esc_id, "nobody-we-know"),
    }[case]
    result = reassign(world.sim.url, "demo-lead", *args)
    assert result.returncode == 4
    sentence = one_sentence(result)
    assert f"({case})" in sentence
    expected = {"not_found": "e-does-not-exist", "conflict": "already resolved", "invalid": "nobody-we-know"}[case]
    assert expected in sentence  # the server's own message


def test_no_result_in_time_is_outcome_unknown(world: World) -> None:
    world.sim.hold_commands = True
    try:
        result = reassign(world.sim.url, "demo-lead", world.open_escalation["escalation_id"],
                          world.open_escalation["owner"]["id"], "换回原处理人", "--timeout", "1")
    finally:
        world.sim.hold_commands = False
    assert result.returncode == 1
    assert "outcome unknown" in one_sentence(result)


def test_cannot_connect_exits_5(tmp_path: Path) -> None:
    result = reassign("ws://127.0.0.1:1/v1/events", "demo-lead", "e-1", "s-1")
    assert result.returncode == 5
    assert "cannot connect" in one_sentence(result)


def test_an_empty_reason_is_a_usage_error_and_sends_nothing() -> None:
    # refused before connecting: against a port nobody listens on it is still 2, not 5
    result = reassign("ws://127.0.0.1:1/v1/events", "demo-lead", "e-1", "s-1", "  ")
    assert result.returncode == 2
    assert "reason" in one_sentence(result)

"""Per-queue SLAs of the simulator against PROTOCOL.md: queue records, ``--queues``, ``queue.updated``.

Every check goes through a plain websocket client: what a subscriber sees is the spec.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from supervisor import cli, wire
from supervisor.sim.queues import QueueFileError
from supervisor.sim.server import SimConfig, SimulatorServer
from supervisor.timeutil import CHINA, parse
from tests.sim.support import Mirror, canonical, open_client, recv, recv_until, run, stream_only

START = datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)
REPO = Path(__file__).resolve().parents[2]
SIMULATED = {"credit_card", "deposit_transfer", "e_banking", "personal_loan", "wealth", "card_loss_fraud", "vip"}


def cfg(**kw: Any) -> SimConfig:
    base: dict[str, Any] = dict(seed=11, speed=0.0, agents=20, start=START, heartbeat_s=5.0)
    base.update(kw)
    return SimConfig(**base)


def write_queues(path: Path, records: Any) -> None:
    """Write a queues file as an editor would, and make its change visible to an mtime check
    even on a file system whose clock ticks coarsely (a later mtime than before, always)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(records if isinstance(records, str) else json.dumps(records, ensure_ascii=False),
                    encoding="utf-8")
    later = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(later, later))


def queues_of(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in snapshot["data"]["queues"]}


async def subscribe(url: str, resume: tuple[str, int] | None = None) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """A client, its hello and the message after it (a snapshot, or the first replayed event)."""
    ws = await open_client(url, resume=resume)
    hello = await recv(ws)
    assert hello["type"] == "hello"
    return ws, hello, await recv(ws)


# ---------------------------------------------------------------------- defaults


def test_the_snapshot_lists_the_vip_line_at_300_180_and_the_other_queues_at_900_600() -> None:
    async def scenario() -> dict[str, dict[str, Any]]:
        async with SimulatorServer(cfg()) as srv:
            srv.pause()
            ws, _, snap = await subscribe(srv.url)
            assert snap["type"] == "snapshot"
            assert isinstance(wire.decode(json.dumps(snap)), wire.Snapshot)
            await ws.close()
            return queues_of(snap)

    queues = run(scenario())
    assert set(queues) == SIMULATED
    assert (queues["vip"]["sla_seconds"], queues["vip"]["warn_seconds"]) == (300, 180)
    for qid in SIMULATED - {"vip"}:
        assert (queues[qid]["sla_seconds"], queues[qid]["warn_seconds"]) == (900, 600), qid
    assert all(q["name"] for q in queues.values())


# ---------------------------------------------------------------------- --queues


def test_a_queues_file_overrides_the_fields_it_names_and_lists_queues_the_simulator_lacks(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "queues.json"
    write_queues(path, [
        {"id": "vip", "name": "贵宾专线", "sla_seconds": 240, "warn_seconds": 120},
        {"id": "credit_card", "sla_seconds": 600.5, "warn_seconds": 420},  # name kept
        {"id": "wealth", "name": "财富管理"},  # SLA kept
        {"id": "mortgage", "name": "房贷专线", "sla_seconds": 1200, "warn_seconds": 900, "pbx_queue": "q7"},
    ])

    async def scenario() -> dict[str, dict[str, Any]]:
        async with SimulatorServer(cfg(queues=path, prerun_hours=0.25)) as srv:
            srv.pause()
            ws, _, snap = await subscribe(srv.url)
            await ws.close()
            assert snap["data"]["queues"] == srv.state()["queues"]
            return queues_of(snap)

    with caplog.at_level(logging.WARNING, logger="supervisor.sim"):
        queues = run(scenario())
    assert queues["vip"] == {"id": "vip", "name": "贵宾专线", "sla_seconds": 240, "warn_seconds": 120}
    assert queues["credit_card"] == {"id": "credit_card", "name": "信用卡服务", "sla_seconds": 600.5,
                                     "warn_seconds": 420}
    assert queues["wealth"] == {"id": "wealth", "name": "财富管理", "sla_seconds": 900, "warn_seconds": 600}
    assert queues["deposit_transfer"]["sla_seconds"] == 900
    # a queue nobody routes to is still listed, and the run says so (a typo shows up here)
    assert queues["mortgage"] == {"id": "mortgage", "name": "房贷专线", "sla_seconds": 1200, "warn_seconds": 900}
    warnings = " ".join(r.getMessage() for r in caplog.records)
    assert "'mortgage' is not simulated" in warnings and "pbx_queue" in warnings


def test_queue_records_given_as_python_apply_too_and_traffic_follows_the_simulated_queues() -> None:
    records = [{"id": "vip", "sla_seconds": 120, "warn_seconds": 60}]

    async def scenario() -> None:
        async with SimulatorServer(cfg(queues=records, hours=1.0)) as srv:
            ws, _, snap = await subscribe(srv.url)
            assert queues_of(snap)["vip"]["sla_seconds"] == 120
            msgs = await recv_until(ws, lambda m: m["type"] == "call.queued" and
                                    m["data"]["contact"]["queue"] == "vip", timeout=20)
            assert all(m["type"] != "queue.updated" for m in msgs)  # the initial state is no event
            await ws.close()

    run(scenario())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{\"id\": \"vip\", \"sla_seconds\": 300, \"warn_seconds\": 400}]", "warn_seconds (400) must be less than sla_seconds (300)"),
        ("[{\"id\": \"vip\", \"warn_seconds\": 300}]", "must be less than sla_seconds (300)"),  # vs the VIP default
        ("[{\"id\": \"vip\"}, {\"id\": \"vip\", \"name\": \"x\"}]", "'vip' appears more than once"),
        ("[{\"id\": \"vip\", \"sla_seconds\": \"300\"}]", "$[0].sla_seconds"),
        ("[{\"id\": \"vip\", \"sla_seconds\": 0}]", "$[0].sla_seconds"),
        ("[{\"name\": \"贵宾\"}]", "`id`"),
        ("[{\"id\": \"\"}]", "$[0].id"),
        ("{\"id\": \"vip\"}", "must hold a JSON list of queue records"),
        ("[{\"id\": \"vip\",", "is not valid JSON"),
        (None, "cannot read queues file"),
    ],
    ids=["warn>=sla", "warn>=default", "duplicate", "string", "zero", "no-id", "empty-id", "object",
         "truncated", "missing"],
)
def test_a_bad_queues_file_is_one_sentence_and_exit_2(
    content: str | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "queues.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert cli.main(["simulate", "--port", "0", "--speed", "0", "--queues", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("command-center: ") and message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err


def test_the_simulate_process_refuses_a_bad_queues_file_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "queues.json"
    path.write_text('[{"id": "vip", "sla_seconds": 180, "warn_seconds": 180}]', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "supervisor", "simulate", "--port", "0", "--queues", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "warn_seconds (180) must be less than sla_seconds (180)" in done.stderr


# ---------------------------------------------------------------------- queue.updated


def test_changing_a_queue_is_the_next_stream_event_later_snapshots_list_it_and_a_resume_replays_it() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(prerun_hours=0.25)) as srv:
            srv.pause()
            ws, hello, snap = await subscribe(srv.url)
            head = snap["seq"]
            assert hello["seq"] == head
            # unchanged values are no change: nothing is sent, seq does not move
            assert srv.set_queue({"id": "vip", "sla_seconds": 300, "warn_seconds": 180}) is False
            assert srv.set_queue({"id": "vip", "sla_seconds": 240, "warn_seconds": 150}) is True
            msg = await recv(ws)
            assert msg["seq"] == head + 1 and msg["type"] == "queue.updated" and msg["v"] == 1
            assert msg["data"] == {"queue": {"id": "vip", "name": queues_of(snap)["vip"]["name"],
                                             "sla_seconds": 240, "warn_seconds": 150}}
            assert parse(msg["ts"]) >= parse(snap["ts"])
            event = wire.decode(json.dumps(msg))
            assert isinstance(event, wire.QueueUpdated)
            assert (event.data.queue.sla_seconds, event.data.queue.warn_seconds) == (240, 150)
            # a queue the simulator does not have is added the same way
            assert srv.set_queue(wire.Queue("mortgage", "房贷专线", 1200, 900)) is True
            added = await recv(ws)
            assert (added["seq"], added["type"]) == (head + 2, "queue.updated")
            assert added["data"]["queue"]["id"] == "mortgage"
            await ws.close()

            # a later snapshot lists the new records
            fresh, _, later = await subscribe(srv.url)
            assert later["type"] == "snapshot" and later["seq"] == head + 2
            assert queues_of(later)["vip"]["sla_seconds"] == 240
            assert queues_of(later)["mortgage"]["warn_seconds"] == 900
            await fresh.close()

            # a client that resumes from before the change gets it replayed, byte for byte
            back, hello2, replayed = await subscribe(srv.url, resume=(srv.epoch, head))
            assert hello2["seq"] == head
            assert replayed == msg
            assert await recv(back) == added
            await back.close()

            # and one resuming from 0 rebuilds today's queues from the stream alone
            full = await open_client(srv.url, resume=(srv.epoch, 0))
            await recv(full)  # hello
            msgs = [await recv(full) for _ in range(head + 2)]
            mirror = Mirror(msgs[0]["data"])
            for m in msgs[1:]:
                mirror.apply(m)
            assert mirror.state() == canonical(srv.state())
            await full.close()

    run(scenario())


def test_a_queue_change_in_a_running_stream_keeps_seq_and_time_in_order() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(hours=6.0)) as srv:
            ws, _, snap = await subscribe(srv.url)
            mirror = Mirror(snap["data"])
            msgs = stream_only(await recv_until(ws, lambda m: m["seq"] >= snap["seq"] + 300))
            assert srv.set_queue({"id": "credit_card", "sla_seconds": 600, "warn_seconds": 300})
            msgs += stream_only(await recv_until(ws, lambda m: m["type"] == "queue.updated", timeout=20))
            msgs += stream_only(await recv_until(ws, lambda m: m["seq"] >= msgs[-1]["seq"] + 300))
            srv.pause()
            head = srv.seq
            if msgs[-1]["seq"] < head:
                msgs += stream_only(await recv_until(ws, lambda m: m["seq"] == head))
            assert [m["seq"] for m in msgs] == list(range(snap["seq"] + 1, head + 1))
            times = [parse(m["ts"]) for m in msgs]
            assert times == sorted(times)
            for m in msgs:
                mirror.apply(m)
            assert mirror.queues["credit_card"]["sla_seconds"] == 600
            assert mirror.state() == canonical(srv.state())
            await ws.close()

    run(scenario(), timeout=60)


def test_an_invalid_change_is_refused_and_changes_nothing() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg()) as srv:
            srv.pause()
            head = srv.seq
            for bad in ({"id": "vip", "warn_seconds": 300}, {"id": "vip", "sla_seconds": -1}, {"name": "x"}):
                with pytest.raises(QueueFileError):
                    srv.set_queue(bad)
            assert srv.seq == head
            assert {q["id"]: q for q in srv.state()["queues"]}["vip"]["sla_seconds"] == 300

    run(scenario())


# ---------------------------------------------------------------------- the file, re-read


def test_editing_the_queues_file_broadcasts_what_changed_and_an_invalid_edit_is_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "queues.json"
    write_queues(path, [{"id": "vip", "sla_seconds": 240, "warn_seconds": 120},
                        {"id": "wealth", "sla_seconds": 1200, "warn_seconds": 800}])

    async def scenario() -> None:
        # a long check interval: this test drives the checks itself (check_queue_file)
        async with SimulatorServer(cfg(queues=path, queues_poll_s=3600.0)) as srv:
            srv.pause()
            ws, _, snap = await subscribe(srv.url)
            head = snap["seq"]
            assert srv.check_queue_file() == 0  # unchanged on disk: nothing to do

            # vip changes, wealth leaves the file (back to the simulator's own 900/600),
            # credit_card is new in it; deposit_transfer is named with its current values
            write_queues(path, [{"id": "vip", "sla_seconds": 200, "warn_seconds": 100},
                                {"id": "credit_card", "sla_seconds": 700, "warn_seconds": 500},
                                {"id": "deposit_transfer", "sla_seconds": 900, "warn_seconds": 600}])
            assert srv.check_queue_file() == 3
            got = [await recv(ws) for _ in range(3)]
            assert [m["seq"] for m in got] == [head + 1, head + 2, head + 3]
            assert all(m["type"] == "queue.updated" for m in got)
            changed = {m["data"]["queue"]["id"]: m["data"]["queue"] for m in got}
            assert set(changed) == {"vip", "credit_card", "wealth"}
            assert (changed["vip"]["sla_seconds"], changed["vip"]["warn_seconds"]) == (200, 100)
            assert (changed["wealth"]["sla_seconds"], changed["wealth"]["warn_seconds"]) == (900, 600)
            assert changed["credit_card"]["name"] == "信用卡服务"

            # an edit that breaks the file: logged in one sentence, the records stay
            with caplog.at_level(logging.WARNING, logger="supervisor.sim"):
                write_queues(path, '[{"id": "vip", "sla_seconds": 100, "warn_seconds": 150}]')
                assert srv.check_queue_file() == 0
                write_queues(path, '[{"id": "vip", ')
                assert srv.check_queue_file() == 0
            logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
            assert len(logged) == 2 and all(str(path) in m and "\n" not in m for m in logged)
            assert "keeping the current queues" in logged[0]
            assert srv.seq == head + 3
            assert {q["id"]: q for q in srv.state()["queues"]}["vip"]["sla_seconds"] == 200

            # fixed again: only what differs from the records in force is sent
            write_queues(path, [{"id": "vip", "sla_seconds": 200, "warn_seconds": 90},
                                {"id": "credit_card", "sla_seconds": 700, "warn_seconds": 500}])
            assert srv.check_queue_file() == 1
            fixed = await recv(ws)
            assert (fixed["seq"], fixed["type"]) == (head + 4, "queue.updated")
            assert fixed["data"]["queue"]["warn_seconds"] == 90

            # a resume from before the edits replays them all, in order
            back, _, first = await subscribe(srv.url, resume=(srv.epoch, head))
            assert [first] + [await recv(back) for _ in range(3)] == got + [fixed]
            await back.close()
            await ws.close()

    run(scenario())


def test_the_running_simulator_notices_an_edited_queues_file_by_itself(tmp_path: Path) -> None:
    path = tmp_path / "queues.json"
    write_queues(path, [{"id": "vip", "sla_seconds": 240, "warn_seconds": 120}])

    async def scenario() -> None:
        # speed 0 with every hour generated: only the file watcher can send anything now
        async with SimulatorServer(cfg(queues=path, queues_poll_s=0.05, hours=0.0)) as srv:
            ws, _, snap = await subscribe(srv.url)
            assert queues_of(snap)["vip"]["sla_seconds"] == 240
            write_queues(path, [{"id": "vip", "sla_seconds": 360, "warn_seconds": 240}])
            msgs = stream_only(await recv_until(ws, lambda m: m["type"] == "queue.updated"))
            assert [m["seq"] for m in msgs] == [snap["seq"] + 1]
            assert msgs[0]["data"]["queue"]["sla_seconds"] == 360
            await ws.close()

    run(scenario())


def test_a_replayed_day_takes_the_same_queues_file(tmp_path: Path) -> None:
    from tests.bankdata import raw_month

    path = tmp_path / "queues.json"
    write_queues(path, [{"id": "PS", "sla_seconds": 120, "warn_seconds": 60}])

    async def scenario() -> dict[str, dict[str, Any]]:
        config = SimConfig(speed=0.0, replay=raw_month("02"), replay_date="1999-02-10", heartbeat_s=60,
                           queues=path, hours=0.0)
        async with SimulatorServer(config) as srv:
            ws, _, snap = await subscribe(srv.url)
            assert srv.set_queue({"id": "NE", "warn_seconds": 300})
            msg = await recv(ws)
            assert (msg["seq"], msg["type"]) == (snap["seq"] + 1, "queue.updated")
            assert msg["data"]["queue"] == dict(queues_of(snap)["NE"], warn_seconds=300)
            assert msg["ts"] == "1999-02-10T00:00:00.000+02:00"
            await ws.close()
            return queues_of(snap)

    queues = run(scenario())
    assert (queues["PS"]["sla_seconds"], queues["PS"]["warn_seconds"]) == (120, 60)
    assert (queues["IN"]["sla_seconds"], queues["IN"]["warn_seconds"]) == (900, 600)


def test_simulate_queues_file_end_to_end(tmp_path: Path) -> None:
    """The command a user runs: the file's records in the snapshot, an edit broadcast live."""
    from tests.sim.test_process import Sim, read, sync_client

    path = tmp_path / "queues.json"
    write_queues(path, [{"id": "vip", "name": "贵宾专线", "sla_seconds": 300, "warn_seconds": 120}])
    sim = Sim("--speed", "0", "--seed", "5", "--agents", "10", "--start", "2026-11-23T09:00:00+08:00",
              "--hours", "0", "--queues", str(path))
    try:
        with sync_client(sim.url, "demo-supervisor") as ws:
            assert read(ws)["type"] == "hello"
            snap = read(ws)
            assert queues_of(snap)["vip"] == {"id": "vip", "name": "贵宾专线", "sla_seconds": 300,
                                              "warn_seconds": 120}
            write_queues(path, [{"id": "vip", "name": "贵宾专线", "sla_seconds": 300, "warn_seconds": 150}])
            msg = read(ws, timeout=20.0)  # the file is looked at once a (real) second
            while msg["type"] == "heartbeat":
                msg = read(ws, timeout=20.0)
            assert (msg["type"], msg["seq"]) == ("queue.updated", snap["seq"] + 1)
            assert msg["data"]["queue"]["warn_seconds"] == 150
        code, err = sim.stop()
        assert code == 0 and "Traceback" not in err, err
    finally:
        if sim.proc.poll() is None:
            sim.proc.kill()
            sim.proc.wait(10)

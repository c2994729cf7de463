"""Replay of a real day of the anonymous bank data, checked against the raw file itself."""

from __future__ import annotations

import collections
import csv
import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from supervisor import wire
from supervisor.sim.replay import ReplayDay, ReplayError, parse_day
from supervisor.sim.server import SimConfig, SimulatorServer
from tests.bankdata import RAW, raw_month
from tests.sim.support import Mirror, canonical, open_client, recv, run

TZ = timezone(timedelta(hours=2))
DAY = date(1999, 2, 10)  # has the 23:59:56 call that is queued after midnight


@pytest.fixture(scope="module")
def february() -> Path:
    return raw_month("02")


def expected_counts(path: Path, day: date) -> dict[str, Any]:
    """What the README's mapping implies, computed straight from the rows with csv."""
    wanted = day.strftime("%y%m%d")
    counts: collections.Counter[str] = collections.Counter()
    servers: set[str] = set()
    queues: set[str] = set()
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["date"] != wanted or row["outcome"] == "PHANTOM":
                continue
            if row["outcome"] == "HANG" and row["q_start"] == "0:00:00":
                continue
            counts["call.queued"] += 1
            queues.add(row["type"].strip())
            if row["outcome"] == "AGENT":
                counts["call.answered"] += 1
                counts["call.ended"] += 1
                servers.add(row["server"].strip())
            else:
                counts["call.abandoned"] += 1
    return {"counts": counts, "agents": servers, "queues": queues}


def test_a_replayed_day_has_exactly_the_calls_of_the_raw_file(february: Path) -> None:
    replay = ReplayDay.from_file(february, DAY)
    events = replay.advance_ms(replay.start_ms + 3 * 86_400_000)
    assert replay.finished
    got = collections.Counter(e["type"] for e in events)
    want = expected_counts(february, DAY)
    for kind, n in want["counts"].items():
        assert got[kind] == n, kind
    states = [e["data"]["agent"] for e in events if e["type"] == "agent.state"]
    offline = [a["agent_id"] for a in states if a["state"] == "offline"]
    assert sorted(offline) == sorted(want["agents"])  # each agent logs off once
    assert {q["id"] for q in replay.queues} == want["queues"]
    times = [e["ts"] for e in events]
    assert [datetime.fromisoformat(t) for t in times] == sorted(datetime.fromisoformat(t) for t in times)
    assert all(t.endswith("+02:00") for t in times)
    for seq, ev in enumerate(events, 2):
        assert isinstance(wire.decode(json.dumps({"v": 1, "seq": seq, **ev})), wire.Event)


def _events_of(events: list[dict[str, Any]], call_id: str) -> list[tuple[str, str]]:
    out = []
    for e in events:
        d = e["data"]
        cid = d["contact"]["call_id"] if e["type"] == "call.queued" else d.get("call_id")
        if cid == call_id:
            out.append((e["type"], e["ts"]))
    return out


def test_rows_map_to_events_as_the_readme_says(february: Path) -> None:
    replay = ReplayDay.from_file(february, DAY)
    events = replay.advance_ms(replay.start_ms + 3 * 86_400_000)
    # AA0115 14375: entered 23:59:56, queued 0:00:02 (the next day), waited 27 s, served 29 s
    assert _events_of(events, "c-AA0115-14375") == [
        ("call.queued", "1999-02-11T00:00:02.000+02:00"),
        ("call.answered", "1999-02-11T00:00:29.000+02:00"),
        ("call.ended", "1999-02-11T00:00:58.000+02:00"),
    ]
    queued = {e["data"]["contact"]["call_id"]: e["data"]["contact"] for e in events if e["type"] == "call.queued"}
    c = queued["c-AA0115-14375"]
    assert (c["queue"], c["channel"], c["priority"], c["customer"]) == (
        "PS", "voice", 1, {"id": "25245705", "name": "", "phone": "", "segment": "standard", "masked": True})
    # the anonymous data has no name or phone to reveal; the id is all a reveal can show
    assert replay.customer_record("25245705") == {"id": "25245705", "name": "", "phone": "",
                                                  "segment": "standard", "masked": False}
    assert replay.customer_record("nobody") is None
    assert any(q["channel"] == "callback" for q in queued.values() if q["queue"] == "TT")
    assert all(q["customer"]["segment"] == ("vip" if q["priority"] == 2 else "standard") for q in queued.values())
    # agents: available at the first answer, on_call while talking, offline 10 min after the last call
    bension = [e["data"]["agent"] for e in events
               if e["type"] == "agent.state" and e["data"]["agent"]["agent_id"] == "BENSION"]
    assert bension[0]["state"] == "available" and bension[1]["state"] == "on_call"
    assert bension[-1]["state"] == "offline"
    last_end = max(e["ts"] for e in events if e["type"] == "call.ended" and e["data"]["agent_id"] == "BENSION")
    assert datetime.fromisoformat(bension[-1]["since"]) - datetime.fromisoformat(last_end) == timedelta(minutes=10)


def test_rows_served_straight_from_the_vru_and_hangs(tmp_path: Path) -> None:
    header = ("vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\t"
              "q_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\n")
    rows = [
        "AA0101\t1\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT\n",
        "AA0101\t2\t5\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\n",
        "AA0101\t3\t5\t0\tPS\t990201\t8:10:00\t8:10:05\t5\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\n",
        "AA0101\t4\t5\t0\t TT\t990201\t9:00:00\t9:00:05\t5\t9:00:04\t9:00:10\t6\tPHANTOM\t0:00:00\t0:00:00\t0\tNO_SERVER\n",
        "AA0101\t5\t7\t1\t TT\t990201\t9:00:00\t8:59:58\t0\t8:59:59\t9:00:10\t11\tAGENT\t9:00:09\t9:01:00\t51\tNO_SERVER\n",
        "AA0101\t6\t8\t0\tPS\t990202\t9:00:00\t9:00:05\t5\t9:00:06\t9:00:10\t4\tAGENT\t9:00:09\t9:01:00\t51\tDORIT\n",
    ]
    path = tmp_path / "day.txt"
    path.write_text(header + "".join(rows))
    replay = ReplayDay.from_file(path, "1999-02-01")
    events = replay.advance_ms(replay.start_ms + 86_400_000)
    assert _events_of(events, "c-AA0101-1") == [  # served from the VRU: queued at vru_exit, wait 0
        ("call.queued", "1999-02-01T07:02:56.000+02:00"),
        ("call.answered", "1999-02-01T07:02:56.000+02:00"),
        ("call.ended", "1999-02-01T07:05:42.000+02:00"),
    ]
    assert _events_of(events, "c-AA0101-2") == [
        ("call.queued", "1999-02-01T08:09:22.000+02:00"),
        ("call.abandoned", "1999-02-01T08:09:27.000+02:00"),
    ]
    assert _events_of(events, "c-AA0101-3") == []  # hung up in the VRU
    assert _events_of(events, "c-AA0101-4") == []  # PHANTOM
    # a clock offset (q_start 1 s before vru_entry) stays on the same day; " TT" is TT
    assert _events_of(events, "c-AA0101-5")[0] == ("call.queued", "1999-02-01T08:59:59.000+02:00")
    assert _events_of(events, "c-AA0101-6") == []  # another day
    assert [q["id"] for q in replay.queues] == ["PS", "TT"]


def test_bad_replay_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReplayError, match="cannot read replay file"):
        ReplayDay.from_file(tmp_path / "missing.txt", "1999-02-01")
    with pytest.raises(ReplayError, match="YYYY-MM-DD"):
        ReplayDay.from_file(tmp_path / "missing.txt", "1.2.1999")
    bad = tmp_path / "bad.txt"
    bad.write_text("a\tb\n")
    with pytest.raises(ReplayError, match="line 1"):
        ReplayDay.from_file(bad, "1999-02-01")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(ReplayError, match="no calls on 1999-02-01"):
        ReplayDay.from_file(empty, "1999-02-01")
    with pytest.raises(ReplayError, match="line 2"):
        parse_day(["x\t" * 16 + "x", "1\t2\t3\t0\tPS\t990201\tnoon\t1\t1\t1\t1\t1\tAGENT\t1\t1\t1\tX"], date(1999, 2, 1))


def test_the_server_replays_a_day_starting_with_a_snapshot_of_the_queues(february: Path) -> None:
    async def scenario() -> None:
        config = SimConfig(speed=0.0, replay=february, replay_date="1999-02-10", heartbeat_s=60)
        async with SimulatorServer(config) as srv:
            ws = await open_client(srv.url, "demo-lead", resume=("x", 0))
            hello = await recv(ws)
            assert hello["data"]["server_time"] == "1999-02-10T00:00:00.000+02:00"
            snap = await recv(ws)
            assert snap["type"] == "snapshot" and snap["seq"] == 1
            assert {q["id"] for q in snap["data"]["queues"]} == {"IN", "NE", "NW", "PE", "PS", "TT"}
            assert snap["data"]["agents"] == snap["data"]["waiting"] == snap["data"]["escalations"] == []
            mirror = Mirror(snap["data"])
            counts: collections.Counter[str] = collections.Counter()
            want = expected_counts(february, DAY)["counts"]
            replay = srv.source
            assert isinstance(replay, ReplayDay)
            seq = 1
            while seq < replay.event_count + 1:  # the snapshot, then every event of the day
                msg = await recv(ws)
                if msg["type"] not in wire.CONTROL_TYPES:
                    assert msg["seq"] == seq + 1
                    seq = msg["seq"]
                    counts[msg["type"]] += 1
                    mirror.apply(msg)
            assert replay.finished and srv.seq == seq
            assert {k: counts[k] for k in want} == dict(want)
            assert mirror.anomalies == []
            assert mirror.state() == canonical(srv.state())
            await ws.send(json.dumps(wire.reassign_command("r-1", "e-1", "x", "y")))
            while (msg := await recv(ws))["type"] != "command.result":
                pass
            assert msg["data"]["error"]["code"] == "not_found"
            await ws.close()

    run(scenario())

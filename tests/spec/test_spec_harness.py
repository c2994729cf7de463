"""The test harness itself: the oracle's rounding and the server's Session rules, checked
with a bare websockets client, so a failure elsewhere points at the product."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.spec.oracle import Day, at, figures, half_up, ratio, seconds
from tests.spec.server import SpecServer


def test_oracle_rounds_half_up_on_exact_values() -> None:
    assert ratio(1, 32) == 0.0313 and ratio(2, 3) == 0.6667 and ratio(3, 0) is None
    assert seconds(900_050) == 900.1 and seconds(Fraction(3_000_001, 3000)) == 1.0
    assert half_up(Fraction(-1, 20), 1) == -0.1


def test_oracle_counts_short_abandons_and_breaches() -> None:
    day = Day()
    day.add("q", "09:00:00", "abandoned", 4.999, T=300)
    day.add("q", "09:01:00", "abandoned", 5, T=300)
    day.add("q", "09:02:00", "answered", 300, T=300)
    day.add("q", "09:03:00", "answered", 300.001, T=300)
    f = figures(day.contacts)
    assert (f["short_abandoned"], f["abandoned"], f["answered_within_sla"], f["sla_breaches"]) == (1, 1, 1, 1)
    assert f["service_level"] == 0.3333 and f["abandonment_rate"] == 0.3333
    assert f["asa_seconds"] == 300.0 and f["max_wait_seconds"] == 300.0


def session(url: str, resume: Any = None, n: int = 2, token: str = "T") -> list[dict[str, Any]]:
    with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        ws.send(json.dumps({"type": "subscribe", "data": {"resume": resume}}))
        return [json.loads(ws.recv(timeout=5)) for _ in range(n)]


def test_server_follows_the_session_rules() -> None:
    events = [("agent.state", {"agent": {"agent_id": f"a-{i}"}}, at(f"09:0{i}:00")) for i in range(1, 5)]
    with SpecServer(events=events, state={"queues": [{"id": "vip"}]}, buffer_from=3, snapshot_parts=2) as s:
        with pytest.raises(InvalidStatus) as refused:
            session(s.url, token="nobody")
        assert refused.value.response.status_code == 401
        hello, snap1, snap2 = session(s.url, None, 3)
        assert hello["type"] == "hello" and hello["seq"] == 4 and hello["data"]["epoch"] == "E1"
        assert hello["data"]["server_time"] == "2026-11-20T09:04:00.000+08:00"
        assert [m["type"] for m in (snap1, snap2)] == ["snapshot"] * 2 and snap1["seq"] == 4
        assert (snap1["data"]["part"], snap2["data"]["parts"]) == (1, 2)
        # within the buffer: replay; before it, or another epoch: a snapshot
        assert [m["seq"] for m in session(s.url, {"epoch": "E1", "after_seq": 2}, 3)[1:]] == [3, 4]
        assert session(s.url, {"epoch": "E1", "after_seq": 1})[1]["type"] == "snapshot"
        assert session(s.url, {"epoch": "E0", "after_seq": 3})[1]["type"] == "snapshot"
        assert s.subscribes == [None, {"epoch": "E1", "after_seq": 2}, {"epoch": "E1", "after_seq": 1},
                                {"epoch": "E0", "after_seq": 3}]
        s.restart("E2")
        hello, snap = session(s.url)[:2]
        assert hello["data"]["epoch"] == "E2" and snap["seq"] == 0


def test_server_live_events_heartbeats_raw_frames_and_drop() -> None:
    with SpecServer(heartbeat_s=0.05) as s:
        with connect(s.url, additional_headers={"Authorization": "Bearer T"}) as ws:
            ws.send(json.dumps({"type": "subscribe", "data": {"resume": None}}))
            assert [json.loads(ws.recv(timeout=5))["type"] for _ in range(2)] == ["hello", "snapshot"]
            s.set_heartbeats(beating=False)
            s.append("call.abandoned", {"call_id": "c-1", "at": "2026-11-20T09:00:00.000+08:00"},
                     at("09:00:00"))
            s.send_raw(b"\x01")
            s.send_heartbeat(source_ok=False)
            frames: list[Any] = []
            while len(frames) < 3:  # periodic heartbeats queued before the stop are skipped
                f = ws.recv(timeout=5)
                if f == b"\x01" or json.loads(f)["type"] != "heartbeat" or not json.loads(f)["data"]["source_ok"]:
                    frames.append(f)
            live = json.loads(frames[0])
            assert live["seq"] == 1 and live["type"] == "call.abandoned"
            assert frames[1] == b"\x01"
            beat = json.loads(frames[2])
            assert beat["seq"] == 1 and beat["data"]["server_time"] == "2026-11-20T09:00:00.000+08:00"
            s.state["queues"] = [{"id": "vip", "sla_seconds": 300}]
            s.send_snapshot()
            while (m := json.loads(ws.recv(timeout=5)))["type"] != "snapshot":
                pass
            assert m["seq"] == 1 and m["data"]["queues"] == [{"id": "vip", "sla_seconds": 300}]
            s.drop()
            with pytest.raises(Exception):
                while True:
                    ws.recv(timeout=5)

"""FeedClient.reveal: the unmasked record reaches only the caller that awaits it.

Against a scripted server (the answers of PROTOCOL.md's ``customer.reveal``): the record
is in the awaited outcome and nowhere else — not in what ``on_command_result`` listeners
get, not in a late answer, not in the log, not in the journal.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from supervisor.feed import FeedClient
from tests.io import messages as m
from tests.io.harness import Watched, run, until
from tests.io.peers import Peer, ScriptedServer

NAME = "欧阳晓峰"
PHONE = "13987654321"
CUSTOMER = {"id": "k-77", "name": NAME, "phone": PHONE, "segment": "vip", "masked": False}


def reveal_result(seq: int, request_id: str) -> str:
    return m.envelope("command.result", seq, {"request_id": request_id, "ok": True, "customer": CUSTOMER})


async def reveal_server(peer: Peer, seen: list[dict[str, Any]]) -> None:
    """duty_lead with a reason: ok + the record; no reason: invalid; k-gone: not_found;
    k-slow: the record, after the client stopped waiting."""
    await peer.send(m.hello("E1", 1), m.snapshot(1))
    while True:
        cmd = await peer.commands.get()
        seen.append(cmd)
        data = cmd["data"]
        rid = data["request_id"]
        if not data.get("reason", "").strip():
            await peer.send(m.command_result(1, rid, False, "invalid", "a reason is required"))
        elif data["customer_id"] == "k-gone":
            await peer.send(m.command_result(1, rid, False, "not_found", "no such customer"))
        elif data["customer_id"] == "k-slow":
            await asyncio.sleep(0.5)
            await peer.send(reveal_result(1, rid))
        else:
            await peer.send(reveal_result(1, rid))


def leaks(text: str) -> bool:
    return NAME in text or PHONE in text


def test_reveal_outcomes_and_where_the_record_goes(sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    seen: list[dict[str, Any]] = []
    caplog.set_level(logging.DEBUG)

    async def main() -> None:
        async with ScriptedServer(lambda peer: reveal_server(peer, seen)) as srv:
            from supervisor.store import Store

            store = Store(sqlite_url)
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.client.status.state == "live", what="live")
            ok = await w.client.reveal("k-77", "case-9", "客户来电核实身份")
            invalid = await w.client.reveal("k-77", "case-9", "  ")
            gone = await w.client.reveal("k-gone", None, "核实")
            slow = await w.client.reveal("k-slow", "case-9", "核实", timeout=0.2)
            await until(lambda: any(r.late for r in w.results), what="the late result")
            await w.stop()
            store.close()

        assert ok.ok and ok.customer is not None
        assert (ok.customer.name, ok.customer.phone, ok.customer.masked) == (NAME, PHONE, False)
        assert seen[0] == {"v": 1, "type": "customer.reveal", "data": {
            "request_id": ok.request_id, "customer_id": "k-77", "case_id": "case-9", "reason": "客户来电核实身份"}}
        assert (invalid.status, invalid.code, invalid.customer) == ("error", "invalid", None)
        assert (gone.status, gone.code, gone.customer) == ("error", "not_found", None)
        assert seen[2]["data"]["case_id"] is None
        # no answer in time: unknown, and the record that comes later is dropped
        assert (slow.status, slow.customer) == ("unknown", None)
        (late,) = [r for r in w.results if r.late]
        assert late.request_id == slow.request_id and late.ok and late.customer is None
        # listeners (which may log or audit) never get the record, on time or late
        assert len(w.results) == 4 and all(r.customer is None for r in w.results)
        # nor does anything that prints an outcome
        assert not leaks(repr(ok)) and not leaks(str(ok))

    run(main())
    # every log record of the client's side (the scripted server's own are not the desktop's);
    # DEBUG included, where the websockets library would print each frame
    client_side = [r for r in caplog.records if not r.name.startswith("websockets.server")]
    assert not any("TEXT" in r.getMessage() for r in client_side)  # no frame is logged at all
    bad = [(r.name, r.getMessage()) for r in client_side if leaks(r.getMessage()) or leaks(str(r.args))]
    assert not bad
    assert any("late command result" in r.getMessage() for r in caplog.records)
    raw = b"".join(p.read_bytes() for p in Path(sqlite_url.removeprefix("sqlite:///")).parent.iterdir())
    assert NAME.encode() not in raw and PHONE.encode() not in raw
    assert json.dumps(NAME).encode() not in raw  # not even as a JSON escape


def test_reveal_without_a_connection_sends_nothing() -> None:
    async def main() -> None:
        client = FeedClient("ws://127.0.0.1:1/v1/events", "good")
        outcome = await client.reveal("k-1", "case-1", "核实", timeout=0.1)
        assert (outcome.status, outcome.code, outcome.customer) == ("error", "not_connected", None)

    run(main())

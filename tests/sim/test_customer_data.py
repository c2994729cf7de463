"""Customer data on the wire (PROTOCOL.md): the simulator as the reference server.

Against a real simulator on port 0, with plain websockets clients: every message any role
receives carries masked customer records only, free text included; ``customer.reveal``
answers duty leads and managers alone, with a reason, to the sender alone; reveals and
reassignments are written to the server's own audit trail (``simulate --audit PATH``).

The oracle is the simulator's own customer table (full names, phones and ID numbers,
in-process) and its full free text: nothing of it may appear in what was sent.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection

from supervisor import wire
from supervisor.sim.audit import read_trail
from supervisor.sim.engine import Engine
from supervisor.sim.server import SimConfig, SimulatorServer
from supervisor.sim.tokens import DEMO_TOKENS
from supervisor.timeutil import CHINA, parse
from tests.sim.support import open_client, recv, recv_until, run

START = datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)
ROLE_TOKENS = {"floor_supervisor": "demo-supervisor", "duty_lead": "demo-lead", "manager": "demo-manager"}
_WIDE = {0xFF10 + i: str(i) for i in range(10)}  # ０-９ read as 0-9
_SEPARATORS = re.compile(r"[\s\-.·/\u3000]")


def cfg(**kw: Any) -> SimConfig:
    base: dict[str, Any] = dict(seed=11, speed=0.0, agents=60, start=START, heartbeat_s=5.0)
    base.update(kw)
    return SimConfig(**base)


def texts_of(raw: list[str]) -> tuple[str, str]:
    """All messages as one text (full-width digits folded), and the same without separators."""
    decoded = "\n".join(json.dumps(json.loads(r), ensure_ascii=False) for r in raw)
    text = ("\n".join(raw) + "\n" + decoded).translate(_WIDE)
    return text, _SEPARATORS.sub("", text)


def leaks(raw: list[str], customers: list[dict[str, Any]]) -> list[str]:
    """Every full name, phone or ID number of ``customers`` that appears in the messages."""
    text, flat = texts_of(raw)
    found = []
    for c in customers:
        if c["name"] and c["name"] in text:
            found.append(f"name {c['name']} of {c['id']}")
        for key in ("phone", "id_number"):
            value = c.get(key) or ""
            if value and (value in text or value in flat or value.upper() in flat):
                found.append(f"{key} {value} of {c['id']}")
    return found


def customer_records_in(msg: Any) -> list[dict[str, Any]]:
    """Every customer record anywhere inside a decoded message."""
    out: list[dict[str, Any]] = []
    if isinstance(msg, dict):
        for k, v in msg.items():
            if k == "customer" and isinstance(v, dict):
                out.append(v)
            else:
                out.extend(customer_records_in(v))
    elif isinstance(msg, list):
        for v in msg:
            out.extend(customer_records_in(v))
    return out


async def drain(ws: ClientConnection, srv: SimulatorServer, out: list[str]) -> None:
    """Read until the generator is done and this client has been sent every event."""
    last = 0
    while not (srv.source.finished and last >= srv.seq):
        try:
            raw = await asyncio.wait_for(ws.recv(), 1.0)
        except TimeoutError:
            continue
        assert isinstance(raw, str)
        out.append(raw)
        last = max(last, json.loads(raw)["seq"])


# ---------------------------------------------------------------------- masked, always


def test_no_role_ever_receives_a_full_name_phone_or_id_number() -> None:
    """A simulated hour as three roles see it (snapshot, stream, resume replays): all masked."""

    async def scenario() -> None:
        async with SimulatorServer(cfg(hours=1.0)) as srv:
            got: dict[str, list[str]] = {role: [] for role in ROLE_TOKENS}
            srv.pause()  # all three subscribed before the hour runs, so each sees all of it live
            clients = {role: await open_client(srv.url, token) for role, token in ROLE_TOKENS.items()}
            for role, ws in clients.items():
                got[role] += [json.dumps(m, ensure_ascii=False)
                              for m in await recv_until(ws, lambda m: m["type"] == "snapshot")]
            srv.resume()
            await asyncio.gather(*(drain(clients[r], srv, got[r]) for r in ROLE_TOKENS))
            # resume replays: the whole buffer from seq 0, and from the middle of the hour
            replays: list[str] = []
            for resume in ((srv.epoch, 0), (srv.epoch, srv.seq // 2)):
                ws = await open_client(srv.url, "demo-lead", resume=resume)
                await drain(ws, srv, replays)
                await ws.close()
            assert json.loads(replays[1])["seq"] == 1  # replayed from the buffer's start (its first snapshot)
            for ws in clients.values():
                await ws.close()

            customers = srv.customer_records()
            buffered = [srv.buffer.get(s).decode() for s in range(srv.buffer.first_seq, srv.seq + 1)]
            # the oracle's truth really was sensitive: agents wrote names and numbers in notes
            cases = srv.source.desk.cases.values()  # type: ignore[attr-defined]
            personal = [c for c in cases if any(c.customer.phone in n["text"] or c.customer.name in n["text"]
                                                for n in c.notes)]
            assert len(customers) > 150 and len(personal) > 10, (len(customers), len(personal))

            for role, raw in [*got.items(), ("replay", replays), ("replay buffer", buffered)]:
                assert sum(json.loads(r)["type"] == "call.queued" for r in raw) > 100, role
                assert leaks(raw, customers) == [], role
                records = [c for r in raw for c in customer_records_in(json.loads(r))]
                assert records and all(c.get("masked") is True for c in records), role
                # and the masked text is still there to read: 张*丰, 138****5678 in notes
                notes = "\n".join(n["text"] for r in raw for c in _cases_in(json.loads(r)) for n in c["notes"])
                assert re.search(r"1[3-9]\d[ -]?\*{4}[ -]?\d{4}", notes.translate(_WIDE)), role

    run(scenario(), timeout=240)


def _cases_in(msg: dict[str, Any]) -> list[dict[str, Any]]:
    data = msg.get("data") or {}
    if msg["type"] == "snapshot":
        return list(data.get("cases", []))
    if msg["type"] in ("case.opened", "case.updated"):
        return [data["case"]]
    return []


def test_free_text_about_a_customer_goes_out_masked_in_every_writing() -> None:
    """The engine's own cases: what agents typed holds the full details; the records do not."""
    engine = Engine(5, START, agents=60)
    engine.advance_ms(engine.start_ms + 3 * 3_600_000)
    seen = 0
    for case in engine.desk.cases.values():
        cust = case.customer
        rec = case.record(engine.stamp)
        for written, shown in zip(case.notes, rec["notes"]):
            text = written["text"]
            wide = cust.phone.translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})
            spaced = f"{cust.phone[:3]} {cust.phone[3:7]} {cust.phone[7:]}"
            dashed = spaced.replace(" ", "-")
            if any(v and v in text for v in (cust.name, cust.phone, wide, spaced, dashed, cust.id_number)):
                seen += 1
                assert shown["by"] == written["by"] and shown["at"] == written["at"]
                assert leaks([json.dumps(shown, ensure_ascii=False)],
                               [dict(cust.full(), id_number=cust.id_number)]) == [], (text, shown)
        assert leaks([json.dumps(rec["subject"], ensure_ascii=False)], [cust.full()]) == []
    assert seen > 20


def test_the_masked_form_of_a_customer_is_made_once() -> None:
    """Rendering is the generator's hot path: a customer's masked record is computed at creation."""
    engine = Engine(5, START, agents=60)
    customer = engine.customer(vip=False)
    first = customer.record()
    assert first["masked"] is True and first["phone"] == customer.phone[:3] + "****" + customer.phone[-4:]
    assert customer._out is not first and customer.record() == first  # a fresh dict of the cached form
    assert customer.full() == {"id": customer.id, "name": customer.name, "phone": customer.phone,
                               "segment": customer.segment, "masked": False}


# ---------------------------------------------------------------------- reveal


def _known_case(srv: SimulatorServer) -> tuple[str, str, dict[str, Any]]:
    case = srv.state()["cases"][0]
    customer_id = case["customer"]["id"]
    full = srv.source.customer_record(customer_id)
    assert full is not None
    return case["case_id"], customer_id, full


async def _command(ws: ClientConnection, msg: dict[str, Any]) -> dict[str, Any]:
    await ws.send(json.dumps(msg))
    rid = msg["data"]["request_id"]
    found = await recv_until(ws, lambda m: m["type"] == "command.result" and m["data"]["request_id"] == rid)
    return found[-1]["data"]


def test_a_duty_lead_reveals_with_a_reason_to_itself_alone_and_it_is_audited(tmp_path: Path) -> None:
    audit = tmp_path / "trail" / "audit.jsonl"
    audit.parent.mkdir()

    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=1.0, heartbeat_s=0.3, audit=audit)) as srv:
            case_id, customer_id, full = _known_case(srv)
            lead = await open_client(srv.url, "demo-lead")
            other = await open_client(srv.url, "demo-supervisor")
            manager = await open_client(srv.url, "demo-manager")
            for ws in (lead, other, manager):
                await recv_until(ws, lambda m: m["type"] == "snapshot")
            reason = "客户来电要求核对预留手机号"
            result = await _command(lead, wire.reveal_command("r-reveal-1", customer_id, case_id, reason))
            assert result["ok"] is True and "error" not in result
            assert result["customer"] == full and full["masked"] is False
            assert re.fullmatch(r"1[3-9]\d{9}", full["phone"]) and "*" not in full["name"]
            # the other clients hear nothing of it: two heartbeats later, no trace anywhere
            for ws in (other, manager):
                seen: list[str] = []
                beats = 0
                while beats < 2:
                    raw = await asyncio.wait_for(ws.recv(), 5)
                    assert isinstance(raw, str)
                    seen.append(raw)
                    beats += json.loads(raw)["type"] == "heartbeat"
                assert not any("r-reveal-1" in r for r in seen)
                assert leaks(seen, [full]) == []
                assert all(c["masked"] is True for r in seen for c in customer_records_in(json.loads(r)))
            # nothing of it in the replay buffer either
            buffered = [srv.buffer.get(s).decode() for s in range(srv.buffer.first_seq, srv.seq + 1)]
            assert leaks(buffered, [full]) == [] and not any("r-reveal-1" in b for b in buffered)
            # a manager may too
            ok = await _command(manager, wire.reveal_command("r-reveal-2", customer_id, None, "复核投诉"))
            assert ok["ok"] is True and ok["customer"] == full
            for ws in (lead, other, manager):
                await ws.close()

    run(scenario())
    assert stat.S_IMODE(os.stat(audit).st_mode) == 0o600
    entries = read_trail(audit)
    assert [e["request_id"] for e in entries] == ["r-reveal-1", "r-reveal-2"]
    first = entries[0]
    lead_user = DEMO_TOKENS["demo-lead"]
    assert first["kind"] == "reveal" and first["result"] == "ok"
    assert first["user"] == {"id": lead_user["id"], "name": lead_user["name"], "role": "duty_lead"}
    assert first["reason"] == "客户来电要求核对预留手机号"
    assert first["case_id"] and first["customer_id"].startswith("k-")
    assert parse(first["at"]).date() == START.date() and parse(first["recorded_at"])  # server and wall clock
    assert entries[1]["user"]["role"] == "manager" and entries[1]["case_id"] is None
    # the trail says whose record was shown, never the record itself
    text = audit.read_text(encoding="utf-8")
    assert text.count("\n") == 2
    assert "masked" not in text and not re.search(r"1[3-9]\d{9}", text)


@pytest.mark.parametrize(
    ("token", "change", "code"),
    [
        ("demo-supervisor", {}, "forbidden"),
        ("demo-lead", {"reason": ""}, "invalid"),
        ("demo-manager", {"reason": "   "}, "invalid"),
        ("demo-lead", {"reason": "x" * 1001}, "invalid"),
        ("demo-lead", {"customer_id": "k-nobody"}, "not_found"),
        ("demo-lead", {"case_id": "OTHER"}, "invalid"),  # a case of another customer
    ],
    ids=["floor-supervisor", "no-reason", "blank-reason", "long-reason", "unknown-customer", "wrong-case"],
)
def test_a_reveal_is_refused_and_the_attempt_audited(
    token: str, change: dict[str, Any], code: str, tmp_path: Path
) -> None:
    audit = tmp_path / "audit.jsonl"

    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=1.0, audit=audit)) as srv:
            cases = srv.state()["cases"]
            case_id, customer_id, full = _known_case(srv)
            args = {"customer_id": customer_id, "case_id": case_id, "reason": "核实身份"} | change
            if args["case_id"] == "OTHER":
                args["case_id"] = next(c["case_id"] for c in cases if c["customer"]["id"] != customer_id)
            ws = await open_client(srv.url, token)
            result = await _command(ws, wire.reveal_command("r-no", args["customer_id"], args["case_id"],
                                                            args["reason"]))
            assert result["ok"] is False and result["error"]["code"] == code, result
            assert result.get("customer") is None
            assert full["phone"] not in json.dumps(result) and full["name"] not in json.dumps(result, ensure_ascii=False)
            await ws.close()

    run(scenario())
    (entry,) = read_trail(audit)
    assert entry["kind"] == "reveal" and entry["result"] == code and entry["request_id"] == "r-no"
    assert entry["user"]["role"] == DEMO_TOKENS[token]["role"]


def test_without_an_audit_file_the_trail_is_kept_in_memory() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=1.0)) as srv:
            assert srv.audit.path is None
            case_id, customer_id, full = _known_case(srv)
            ws = await open_client(srv.url, "demo-manager")
            result = await _command(ws, wire.reveal_command("r-mem", customer_id, case_id, "客户授权查询"))
            assert result["customer"] == full
            (entry,) = list(srv.audit.entries)
            assert (entry["kind"], entry["customer_id"], entry["case_id"], entry["result"]) == (
                "reveal", customer_id, case_id, "ok")
            await ws.close()

    run(scenario())


def test_a_reveal_that_cannot_be_audited_is_refused(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"

    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=1.0, audit=audit)) as srv:
            case_id, customer_id, _ = _known_case(srv)
            assert srv.audit._fd is not None
            os.close(srv.audit._fd)  # the disk is gone
            srv.audit._fd = os.open(os.devnull, os.O_RDONLY)
            ws = await open_client(srv.url, "demo-lead")
            result = await _command(ws, wire.reveal_command("r-x", customer_id, case_id, "核实"))
            assert result["ok"] is False and result["error"]["code"] == "unavailable"
            assert result.get("customer") is None
            await ws.close()

    run(scenario())


# ---------------------------------------------------------------------- reassignments


def test_a_reassignment_is_audited_and_its_reason_broadcast_masked(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"

    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=1.0, audit=audit)) as srv:
            state = srv.state()
            esc = next(e for e in state["escalations"] if e["status"] != "resolved")
            facts = srv.source.escalation_facts(esc["escalation_id"])
            assert facts is not None
            full = srv.source.customer_record(facts["customer_id"])
            assert full is not None
            dept = next(d for d in state["departments"] if d["id"] == esc["department"])
            to = next(m for m in dept["members"] if m["id"] != esc["owner"]["id"])
            reason = f"客户{full['name']}（{full['phone']}）要求换人跟进"
            lead = await open_client(srv.url, "demo-lead")
            watcher = await open_client(srv.url, "demo-supervisor")
            for ws in (lead, watcher):
                await recv_until(ws, lambda m: m["type"] == "snapshot")
            refused = await _command(watcher, wire.reassign_command("r-fs", esc["escalation_id"], to["id"], "换人"))
            assert refused["error"]["code"] == "forbidden"
            result = await _command(lead, wire.reassign_command("r-ok", esc["escalation_id"], to["id"], reason))
            assert result["ok"] is True
            seen = await recv_until(watcher, lambda m: m["type"] == "escalation.reassigned")
            moved = seen[-1]["data"]
            assert moved["to_owner"] == to and moved["from_owner"] == esc["owner"]
            assert leaks([json.dumps(moved, ensure_ascii=False)], [full]) == []
            assert "要求换人跟进" in moved["reason"] and "****" in moved["reason"]
            for ws in (lead, watcher):
                await ws.close()
            return esc, facts, to, reason

    esc, facts, to, reason = run(scenario())
    refused_entry, entry = read_trail(audit)
    assert refused_entry["result"] == "forbidden" and refused_entry["user"]["role"] == "floor_supervisor"
    assert refused_entry["to"] == {"id": to["id"]}  # as asked
    assert entry["kind"] == "reassign" and entry["result"] == "ok" and entry["request_id"] == "r-ok"
    assert entry["user"] == {"id": "u-lead", "name": DEMO_TOKENS["demo-lead"]["name"], "role": "duty_lead"}
    assert (entry["escalation_id"], entry["case_id"], entry["customer_id"]) == (
        esc["escalation_id"], facts["case_id"], facts["customer_id"])
    assert entry["from"] == esc["owner"] and entry["to"] == to
    assert entry["reason"] == reason  # the server's own record keeps what the lead wrote
    assert stat.S_IMODE(os.stat(audit).st_mode) == 0o600


def test_an_existing_trail_is_appended_to_and_narrowed_to_its_owner(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    audit.write_text('{"kind": "reveal", "earlier": true}\n', encoding="utf-8")
    os.chmod(audit, 0o644)

    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=1.0, audit=audit)) as srv:
            case_id, customer_id, _ = _known_case(srv)
            ws = await open_client(srv.url, "demo-lead")
            assert (await _command(ws, wire.reveal_command("r-2", customer_id, case_id, "核实")))["ok"]
            await ws.close()

    run(scenario())
    assert stat.S_IMODE(os.stat(audit).st_mode) == 0o600
    earlier, entry = read_trail(audit)
    assert earlier == {"kind": "reveal", "earlier": True} and entry["request_id"] == "r-2"


def test_a_malformed_reveal_is_answered_invalid() -> None:
    async def scenario() -> None:
        async with SimulatorServer(cfg(speed=1.0, heartbeat_s=0.3)) as srv:
            ws = await open_client(srv.url, "demo-lead")
            await recv_until(ws, lambda m: m["type"] == "snapshot")
            await ws.send(json.dumps({"v": 1, "type": "customer.reveal", "data": {"request_id": "r-m"}}))
            msg = await recv_until(ws, lambda m: m["type"] == "command.result")
            err = msg[-1]["data"]["error"]
            assert err["code"] == "invalid" and err["message"].startswith("malformed")
            assert list(srv.audit.entries) == []
            await recv(ws)  # still connected
            await ws.close()

    run(scenario())

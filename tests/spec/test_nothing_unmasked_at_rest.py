"""Issue 9, "nothing unmasked at rest", against the spec's own server (not the simulator).

An older server streams a day of FULL customer records (no ``masked`` field: names,
phones, ID and card numbers, in the records and in notes, subjects, summaries, reasons
and resolutions, written in many ways) plus malformed messages that hold them. A floor
supervisor's recorder (``python -m supervisor record``, a real process) and a FeedClient
with a store journal the day; the raw bytes of each journal file and its -wal (copied
while the recorder runs, without a checkpoint, and after it stops) must hold no full
phone, ID or card number (full-width digits read as ASCII, separators removed) and no
customer name; the journaled events still decode, every customer record says
``masked: true``, and ``kpi --json`` gives the day's figures (masking changes none).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from supervisor import wire
from supervisor.feed import FeedClient
from supervisor.store import Store, payload_text
from tests.spec import harness as h
from tests.spec.oracle import KEYS, RETAIL, VIP, Day, afternoon, agent_record, at, figures, morning, wire_time
from tests.spec.server import SpecServer

FLOOR = {"id": "u3", "name": "楼层主管", "role": "floor_supervisor"}
TOKEN = "floor-token"
NOON = at("12:00:00")

# name, phone, ID number, card number; and how the record's phone is written
PEOPLE = [
    ("张三丰", "13812345678", "110101199003074512", "6222021234561234", "138-1234-5678"),
    ("欧阳小明", "13900001111", "440301198512120036", "6228480402564890018", "+86 139 0000 1111"),
    ("李四", "15012345678", "11010519491231002X", "4392250012345678", "１５０１２３４５６７８"),
]
NUMBERS = [n for p in PEOPLE for n in p[1:4]]
NAMES = [p[0] for p in PEOPLE] + ["三丰", "小明"]  # full names, and given names of 2+ characters


def customer(i: int, queue: str = "retail") -> dict[str, Any]:
    name, _, id_number, card, written = PEOPLE[i % len(PEOPLE)]
    # an older server: no "masked" field, and a field this version does not know
    return {"id": f"k-{i % len(PEOPLE) + 1}", "name": name, "phone": written,
            "segment": "vip" if queue == "vip" else "standard", "id_number": id_number, "card": card}


def texts(i: int) -> dict[str, str]:
    """Free text about customer ``i`` in the writings a person types."""
    name, phone, id_number, card, _ = PEOPLE[i % len(PEOPLE)]
    given = name[2:] if name.startswith("欧阳") else name[1:]
    fw = phone.translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    return {
        "subject": f"{name}投诉：手机 {phone[:3]}-{phone[3:7]}-{phone[7:]} 多次扣款",
        "note1": f"客户{given}来电，身份证 {id_number[:6]} {id_number[6:14]} {id_number[14:]}，已核实",
        "note2": f"卡号 {card[:4]} {card[4:8]} {card[8:12]} {card[12:]}；回拨 {fw}；{' '.join(name)} 本人确认",
        "summary": f"{name}要求回电 {phone[:3]}.{phone[3:7]}.{phone[7:]}，金额 ¥5,000.00 于 2026-11-20",
        "reason": f"{given}的卡 {card} 需科技部处理（电话 +86 {phone}）",
        "resolution": f"已回电{name}（{phone}），身份证{id_number}核实无误",
    }


def case_record(i: int, notes: int) -> dict[str, Any]:
    t = texts(i)
    return {"case_id": f"case-{i + 1}", "customer": customer(i), "category": "complaint",
            "subject": t["subject"], "status": "open", "opened_at": wire_time(at("08:20:00")),
            "call_ids": [], "notes": [{"at": wire_time(at("08:21:00")), "by": "坐席一", "text": t[f"note{k + 1}"]}
                                      for k in range(notes)]}


def escalation_record(i: int, status: str = "open") -> dict[str, Any]:
    return {"escalation_id": f"e-{i + 1}", "case_id": f"case-{i + 1}", "department": "it",
            "owner": {"id": "s-1", "name": "李工"}, "severity": "high", "status": status,
            "opened_at": wire_time(at("08:40:00")), "due_at": wire_time(at("10:40:00")),
            "summary": texts(i)["summary"]}


def unmasked_day() -> tuple[Day, list[tuple[str, dict[str, Any], Any]], list[tuple[str, dict[str, Any], Any]]]:
    """The scripted day with full customer records: (day, morning events, afternoon events)."""
    day = Day()
    morning(day, vip_T=300)
    afternoon(day, n=8)
    for i in range(len(PEOPLE)):
        day.extra("case.opened", {"case": case_record(i, 1)}, at(f"08:2{i}:00"))
        day.extra("escalation.opened", {"escalation": escalation_record(i)}, at(f"08:4{i}:00"))
        day.extra("escalation.reassigned", {
            "escalation_id": f"e-{i + 1}", "from_owner": {"id": "s-1", "name": "李工"},
            "to_owner": {"id": "s-2", "name": "王工"}, "by": {"id": "u9", "name": "值班长"},
            "reason": texts(i)["reason"], "at": wire_time(at(f"09:1{i}:00"))}, at(f"09:1{i}:00"))
        day.extra("case.updated", {"case": case_record(i, 2)}, at(f"10:3{i}:00"))
        day.extra("escalation.resolved", {"escalation_id": f"e-{i + 1}", "at": wire_time(at(f"13:0{i}:00")),
                                          "resolution": texts(i)["resolution"]}, at(f"13:0{i}:00"))
    events = []
    for n, (type_, data, ts) in enumerate(day.events()):
        if type_ == "call.queued":
            contact = dict(data["contact"])
            contact["customer"] = customer(n, contact["queue"])
            data = {"contact": contact}
        events.append((type_, data, ts))
    return day, [e for e in events if e[2] < NOON], [e for e in events if e[2] >= NOON]


def state() -> dict[str, list[Any]]:
    # the snapshot holds full cases and escalations too
    return {"queues": [VIP, RETAIL], "agents": [agent_record()], "waiting": [],
            "cases": [case_record(i, 2) for i in range(len(PEOPLE))],
            "escalations": [escalation_record(i, "in_progress") for i in range(len(PEOPLE))],
            "departments": [{"id": "it", "name": "科技部", "members": [{"id": "s-2", "name": "王工"}]}]}


def hostile(server: SpecServer) -> int:
    """Malformed messages that hold customer data (quarantined, never journaled); how many."""
    name, phone, id_number, card, _ = PEOPLE[0]
    bad_seq = json.dumps({"v": 1, "seq": "x", "ts": wire_time(NOON), "type": "call.queued",
                          "data": {"contact": {"customer": {"name": name, "phone": phone}}}}, ensure_ascii=False)
    bad_enum = server.envelope("call.queued", {"contact": {
        "call_id": "c-bad", "queue": "vip", "channel": phone, "queued_at": wire_time(NOON),
        "customer": {"id": "k-9", "name": name, "phone": phone}}}, NOON, server.seq + 1)
    frames: list[str | bytes] = [
        bad_seq, bad_enum, f"not json: {name} {phone} {id_number} {card}",
        json.dumps({"note": f"{name} {phone}"}, ensure_ascii=False)[:-3],  # cut short
        f'{{"v": 1, "type": "case.opened", "phone": "{phone}", "card": "{card}"}}'.encode(),  # binary frame
    ]
    for frame in frames:
        server.send_raw(frame)
    return len(frames)


FULLWIDTH = {0xFF10 + d: str(d) for d in range(10)}
SEPARATORS = re.compile(r"[\s\-‐-―−.·/+*＋－．]")


def leaks(blob: bytes) -> list[str]:
    """The full numbers and names found in raw bytes (UTF-8, the only text SQLite stores here).

    Digits: full-width read as ASCII and separators removed first, so 138-1234-5678 or
    １３８ １２３４ ５６７８ count as 13812345678. A masked number (138****5678) loses its
    stars with the separators, leaving 1385678: never a full number.
    """
    text = blob.decode("utf-8", "ignore")
    flat = SEPARATORS.sub("", text.translate(FULLWIDTH)).upper()
    found = [n for n in NUMBERS if n.upper() in flat]
    spaceless = re.sub(r"\s", "", text)
    found += [n for n in NAMES if n in spaceless]
    # and as JSON would escape them
    found += [n for n in NAMES if json.dumps(n)[1:-1].encode() in blob]
    return found


def journal_files(db: Path) -> dict[str, bytes]:
    """The raw bytes of the journal and its -wal (and -shm), as they are on disk now."""
    out = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db}{suffix}")
        if path.exists():
            out[path.name] = path.read_bytes()
    return out


def check_journal(db: Path, seqs: list[int]) -> None:
    """Every event journaled once, each one decodes, every customer record masked."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        payloads = [payload_text(p) for (p,) in conn.execute("SELECT payload FROM journal ORDER BY id")]
        quarantined = conn.execute("SELECT raw, encoding, reason FROM quarantine").fetchall()
    assert sorted({r[1] for r in h.rows(db) if r[3] != "snapshot"}) == seqs
    customers = 0
    for payload in payloads:
        event = wire.decode(payload)
        assert not isinstance(event, wire.UnknownEvent) or event.type == "customer.contacted"
        for record in _customers(event):
            customers += 1
            assert record.masked, payload
    assert customers >= 50
    assert quarantined, "the malformed messages are kept for inspection"
    for raw, encoding, reason in quarantined:
        kept = raw.encode() if encoding == "text" else base64.b64decode(raw)
        assert leaks(kept) == [] and leaks(reason.encode()) == [], (raw, reason)


def _customers(event: Any) -> list[wire.Customer]:
    if isinstance(event, wire.CallQueued):
        return [event.data.contact.customer]
    if isinstance(event, (wire.CaseOpened, wire.CaseUpdated)):
        return [event.data.case.customer] if event.data.case.customer else []
    if isinstance(event, wire.Snapshot):
        return [c.customer for c in event.data.waiting] + [c.customer for c in event.data.cases if c.customer]
    return []


def test_floor_supervisors_recorder_keeps_nothing_unmasked(tmp_path: Path) -> None:
    day, before, after = unmasked_day()
    db = tmp_path / "floor.db"
    copies: dict[str, dict[str, bytes]] = {}
    with SpecServer(events=before, state=state(), clock=NOON, user=FLOOR, tokens=(TOKEN,)) as server:
        with h.Recorder(server.url, db, token=TOKEN) as rec:
            h.wait_for(h.has_all(db, "E1", list(range(1, server.seq + 1))), "the morning journaled")
            h.wait_for(lambda: h.snapshots(db), "the snapshot journaled")
            n_bad = hostile(server)  # quarantined, and written with the events that follow
            sent = [server.append(t, d, ts) for t, d, ts in after]
            name, phone, id_number, _, _ = PEOPLE[0]
            # a stream type this version does not know, holding customer data
            sent.append(server.append("customer.contacted", {"customer_id": "k-1", "phone": phone,
                                                             "note": f"身份证{id_number}"}, at("13:30:00")))
            h.wait_for(h.has_all(db, "E1", sent), "the afternoon journaled")
            h.wait_for(lambda: h.quarantined(db) >= n_bad, "the malformed messages quarantined")
            assert rec.alive(), rec.proc.stderr
            copies["running"] = journal_files(db)  # no checkpoint first: the WAL as it is
            if os.name == "posix":
                assert {f: Path(tmp_path, f).stat().st_mode & 0o777 for f in copies["running"]} == \
                    {f: 0o600 for f in copies["running"]}
            code = rec.stop()
        assert code == 0, rec.err
        total = server.seq
    copies["stopped"] = journal_files(db)
    assert "floor.db-wal" in copies["running"], "the test must read a WAL written by the recorder"
    for when, files in copies.items():
        for name_, blob in files.items():
            assert leaks(blob) == [], f"{name_} ({when}) holds {leaks(blob)}"
    # what the recorder printed or logged
    assert leaks((rec.out + rec.err).encode()) == [], rec.err
    check_journal(db, list(range(1, total + 1)))
    # masking changes no figure: kpi over the masked journal gives the oracle's day
    report = h.kpi(db)
    for q in ("vip", "retail"):
        assert h.pick(report["queues"][q], KEYS) == figures(day.contacts, queue=q), q
    assert h.pick(report["total"], KEYS) == figures(day.contacts)


def test_feed_client_with_a_store_keeps_and_shows_nothing_unmasked(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    day, before, after = unmasked_day()
    db = tmp_path / "desk.db"
    batches: list[list[wire.Event]] = []

    async def scenario(server: SpecServer) -> None:
        store = Store(f"sqlite:///{db}")
        client = FeedClient(server.url, TOKEN, store=store, backfill=True, on_batch=batches.append)
        task = asyncio.ensure_future(client.run())
        try:
            end = asyncio.get_running_loop().time() + 30
            while client.counts.journaled < server.seq + 1:  # the day and its snapshot
                assert asyncio.get_running_loop().time() < end, client.status
                await asyncio.sleep(0.02)
            n_bad = await asyncio.to_thread(hostile, server)
            for t, d, ts in after:
                await asyncio.to_thread(server.append, t, d, ts)
            while client.counts.journaled < server.seq + 1 or client.counts.quarantined < n_bad:
                assert asyncio.get_running_loop().time() < end, client.status
                await asyncio.sleep(0.02)
            running = journal_files(db)
            assert f"{db.name}-wal" in running
            for name_, blob in running.items():
                assert leaks(blob) == [], f"{name_} holds {leaks(blob)}"
            for entry in client.recent_quarantine:
                assert leaks(entry.raw_bytes()) == [] and leaks(entry.reason.encode()) == []
        finally:
            await client.stop()
            await asyncio.wait_for(task, 10)
            store.close()

    caplog.set_level(logging.DEBUG, logger="supervisor")  # the product's logs, not the test server's
    with SpecServer(events=before, state=state(), clock=NOON, user=FLOOR, tokens=(TOKEN,)) as server:
        h_run(scenario(server))
        total = server.seq
    for name_, blob in journal_files(db).items():
        assert leaks(blob) == [], f"{name_} holds {leaks(blob)}"
    check_journal(db, list(range(1, total + 1)))
    # what the client handed on (to the floor and the KPI engine) is the masked event
    shown = [e for batch in batches for e in batch]
    assert sum(isinstance(e, wire.CallQueued) for e in shown) == len(day.contacts)
    for event in shown:
        assert all(c.masked for c in _customers(event))
        assert leaks(wire.encode(event)) == [], event
    # and what it logged (the quarantine's reasons included)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("supervisor"))
    assert "quarantined message" in logged
    assert leaks(logged.encode()) == [], logged


def h_run(coro: Any) -> None:
    asyncio.run(asyncio.wait_for(coro, 60))


def test_the_byte_scan_finds_what_it_looks_for() -> None:
    """The scan itself: full values in the writings above are found; masked ones are not."""
    for i in range(len(PEOPLE)):
        for text in texts(i).values():
            assert leaks(text.encode()), text
    assert leaks("１３８ １２３４ ５６７８".encode()) == ["13812345678"]
    assert leaks("138****5678 110***********4512 张*丰 欧**明 李*".encode()) == []
    assert leaks(json.dumps("张三丰").encode()) == ["张三丰", "三丰"]

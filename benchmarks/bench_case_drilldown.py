"""Case drill-down latency on a day-sized journal (target: opens in under 200 ms).

Builds a real SQLite journal of one busy day (default 30,000 calls, about 250,000
events: call lifecycles, agent states, cases with notes, surveys, escalations with
reassignments), then times, for random cases: resolving an agent / a call to its case,
``load_case_file`` (two indexed journal queries + audit + build), and opening the whole
``CaseDialog`` offscreen (load + paint). Prints median, p95 and max in ms.

    .venv/bin/python benchmarks/bench_case_drilldown.py [--calls 30000] [--samples 200] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from supervisor import caselookup, casefile, timeutil, wire  # noqa: E402
from supervisor.escalations import ReassignRecord, record_reassign  # noqa: E402
from supervisor.floor import Floor  # noqa: E402
from supervisor.store import Store, journal_row  # noqa: E402

QUEUES = ["credit_card", "retail_banking", "loans", "wealth", "fraud", "vip"]
DEPTS = ["credit_card_center", "retail_lending", "it", "compliance"]
CATEGORIES = ["inquiry", "complaint", "service_request", "card_loss", "fraud_report"]


def day(calls: int, agents: int = 300, seed: int = 11) -> tuple[list[tuple[wire.Event, str]], list[str], list[str]]:
    """One day of traffic as (decoded event, raw text), plus case ids and agent ids."""
    rng = random.Random(seed)
    t0 = datetime(2026, 11, 22, 8, 0, tzinfo=timeutil.CHINA)
    step = timedelta(seconds=12 * 3600 / calls)
    seq = 0
    out: list[tuple[float, int, dict[str, Any]]] = []  # (time, order, message)

    def emit(at: datetime, type_: str, data: dict[str, Any]) -> None:
        nonlocal seq
        seq += 1
        out.append((at.timestamp(), seq, {"type": type_, "ts": at, "data": data}))

    def agent(aid: int, state: str, at: datetime, call: str | None) -> dict[str, Any]:
        return {"agent_id": f"a-{aid:04d}", "name": f"坐席{aid}", "team": f"{aid % 8 + 1}组",
                "skills": QUEUES[:3], "state": state, "reason": None, "since": timeutil.fmt(at), "call_id": call}

    members = {d: [{"id": f"s-{d}-{i}", "name": f"{d}员工{i}"} for i in range(6)] for d in DEPTS}
    emit(t0 - timedelta(seconds=1), "snapshot", {
        "queues": [{"id": q, "name": q} for q in QUEUES],
        "agents": [agent(i, "available", t0, None) for i in range(agents)], "waiting": [], "cases": [],
        "escalations": [], "departments": [{"id": d, "name": d, "members": m} for d, m in members.items()]})
    cases: dict[str, dict[str, Any]] = {}
    case_ids: list[str] = []
    esc_no = 0
    for n in range(calls):
        q_at = t0 + step * n
        cid = f"c-{n:07d}"
        case_id: str | None = None
        if rng.random() < 0.4:
            if case_ids and rng.random() < 0.25:  # a repeat caller about an open case
                case_id = rng.choice(case_ids[-2000:])
            else:
                case_id = f"case-{len(case_ids):06d}"
                case_ids.append(case_id)
                cases[case_id] = {
                    "case_id": case_id, "category": rng.choice(CATEGORIES), "subject": f"客户来电 {n}",
                    "status": "open", "opened_at": timeutil.fmt(q_at),
                    "customer": {"id": f"k-{n}", "name": "张三丰", "phone": f"138{n:08d}", "segment": "standard"},
                    "call_ids": [], "notes": []}
        emit(q_at, "call.queued", {"contact": {
            "call_id": cid, "queue": rng.choice(QUEUES), "channel": "voice", "priority": 0,
            "customer": {"id": f"k-{n}", "name": "李四", "phone": f"139{n:08d}", "segment": "standard"},
            "queued_at": timeutil.fmt(q_at), "case_id": case_id}})
        if rng.random() < 0.06:
            emit(q_at + timedelta(seconds=rng.randint(5, 200)), "call.abandoned",
                 {"call_id": cid, "at": timeutil.fmt(q_at + timedelta(seconds=rng.randint(5, 200)))})
            continue
        aid = rng.randrange(agents)
        a_at = q_at + timedelta(seconds=rng.randint(5, 400))
        e_at = a_at + timedelta(seconds=rng.randint(60, 600))
        emit(a_at - timedelta(seconds=3), "agent.state", {"agent": agent(aid, "ringing", a_at - timedelta(seconds=3), cid)})
        emit(a_at, "call.answered", {"call_id": cid, "agent_id": f"a-{aid:04d}", "at": timeutil.fmt(a_at)})
        emit(a_at, "agent.state", {"agent": agent(aid, "on_call", a_at, cid)})
        emit(e_at, "call.ended", {"call_id": cid, "agent_id": f"a-{aid:04d}", "at": timeutil.fmt(e_at), "case_id": case_id})
        emit(e_at, "agent.state", {"agent": agent(aid, "wrap_up", e_at, None)})
        if case_id is not None:
            case = cases[case_id]
            case["call_ids"] = [*case["call_ids"], cid]
            case["notes"] = [*case["notes"], {"at": timeutil.fmt(e_at), "by": f"坐席{aid}", "text": f"第{len(case['notes']) + 1}次来电"}]
            emit(e_at, "case.opened" if len(case["call_ids"]) == 1 else "case.updated", {"case": dict(case)})
            if rng.random() < 0.05:
                esc_no += 1
                eid = f"e-{esc_no:05d}"
                dept = rng.choice(DEPTS)
                esc = {"escalation_id": eid, "case_id": case_id, "department": dept, "owner": members[dept][0],
                       "severity": rng.choice(["low", "normal", "high", "urgent"]), "status": "open",
                       "opened_at": timeutil.fmt(e_at), "due_at": timeutil.fmt(e_at + timedelta(hours=2)),
                       "summary": "客户投诉"}
                emit(e_at, "escalation.opened", {"escalation": esc})
                r_at = e_at + timedelta(minutes=20)
                emit(r_at, "escalation.reassigned", {"escalation_id": eid, "from_owner": members[dept][0],
                                                     "to_owner": members[dept][1], "by": {"id": "u-1", "name": "值班长"},
                                                     "reason": "调整", "at": timeutil.fmt(r_at)})
                emit(r_at, "escalation.updated", {"escalation": {**esc, "owner": members[dept][1]}})
        if rng.random() < 0.3:
            emit(e_at + timedelta(seconds=30), "survey.completed", {"call_id": cid, "case_id": case_id,
                                                                    "score": rng.randint(1, 5),
                                                                    "at": timeutil.fmt(e_at + timedelta(seconds=30))})
    out.sort(key=lambda x: (x[0], x[1]))
    events: list[tuple[wire.Event, str]] = []
    for i, (_t, _o, m) in enumerate(out, start=1):
        raw = msgspec.json.encode({"v": 1, "seq": i, "ts": timeutil.fmt(m["ts"]), "type": m["type"],
                                   "data": m["data"]}).decode()
        ev = wire.decode(raw)
        assert isinstance(ev, wire.Event)
        events.append((ev, raw))
    return events, case_ids, [f"a-{i:04d}" for i in range(agents)]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def report(name: str, ms: list[float]) -> None:
    print(f"{name:<38} median {statistics.median(ms):7.1f} ms   p95 {pct(ms, 0.95):7.1f} ms   max {max(ms):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--db", help="SQLite file to build (default: a temporary one)")
    parser.add_argument("--no-dialog", action="store_true", help="skip the Qt dialog timing")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = Path(args.db) if args.db else Path(tmp.name) / "day.db"
    if db.exists():
        db.unlink()
    started = time.perf_counter()
    events, case_ids, agent_ids = day(args.calls)
    store = Store(f"sqlite:///{db}")
    for i in range(0, len(events), 5000):
        store.append([journal_row("E1", ev, raw) for ev, raw in events[i:i + 5000]])
    floor = Floor()
    floor.apply_batch(ev for ev, _ in events)
    actor = {"id": "u-1", "name": "值班长", "role": "duty_lead"}
    for esc in list(floor.escalations.values())[:200]:  # some audited reassignments too
        record_reassign(store, actor, esc.opened_at, ReassignRecord(
            esc.escalation_id, esc.case_id, esc.owner, esc.owner, "调整", "ok"))
    print(f"journal: {store.event_count():,} events, {len(case_ids):,} cases, {len(floor.escalations):,} "
          f"escalations, {db.stat().st_size / 2**20:.0f} MiB, built in {time.perf_counter() - started:.0f} s")

    rng = random.Random(3)
    sample = rng.sample(case_ids, min(args.samples, len(case_ids)))
    sizes: list[int] = []
    load_ms: list[float] = []
    for case_id in sample:
        t = time.perf_counter()
        cf = casefile.load_case_file(store, case_id, floor)
        load_ms.append((time.perf_counter() - t) * 1000)
        sizes.append(len(cf.timeline))
        assert cf.known
    biggest = max(case_ids, key=lambda c: len(floor.cases[c].call_ids) if c in floor.cases else 0)
    t = time.perf_counter()
    big = casefile.load_case_file(store, biggest, floor)
    big_ms = (time.perf_counter() - t) * 1000

    resolve_ms: list[float] = []
    for agent_id in rng.sample(agent_ids, min(50, len(agent_ids))):
        t = time.perf_counter()
        caselookup.case_for_agent(store, None, agent_id)
        resolve_ms.append((time.perf_counter() - t) * 1000)
    call_ms: list[float] = []
    for n in rng.sample(range(args.calls), min(50, args.calls)):
        t = time.perf_counter()
        caselookup.case_for_call(store, None, f"c-{n:07d}")
        call_ms.append((time.perf_counter() - t) * 1000)

    print(f"cases sampled: {len(sample)}, timeline entries median {statistics.median(sizes):.0f}, max {max(sizes)}")
    report("load_case_file", load_ms)
    print(f"{'load_case_file, largest case':<38} {big_ms:7.1f} ms ({len(big.calls)} calls, {len(big.timeline)} entries)")
    report("resolve agent -> case (journal only)", resolve_ms)
    report("resolve call -> case (journal only)", call_ms)

    if not args.no_dialog:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from ui.case_dialog import CaseDialog

        app = QApplication.instance() or QApplication([])
        open_ms: list[float] = []
        for case_id in sample[:50] + [biggest]:
            t = time.perf_counter()
            dlg = CaseDialog(case_id, store, floor, "duty_lead", True, actor)
            dlg.grab()  # lay out and paint it all, as showing it would
            open_ms.append((time.perf_counter() - t) * 1000)
            dlg.close()
            dlg.deleteLater()
        app.processEvents()
        report("CaseDialog open (load + paint)", open_ms)
        worst = max(max(load_ms), max(open_ms), big_ms)
    else:
        worst = max(max(load_ms), big_ms)
    print(f"target: drill-down opens in under 200 ms: {'met' if worst < 200 else 'NOT met'} (worst {worst:.1f} ms)")
    store.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()

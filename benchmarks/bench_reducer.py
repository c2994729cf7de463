"""Parse + validate + reduce throughput, next to bare json.loads of the same messages.

Prints events/s for: json.loads alone; wire.decode (parse + validate into frozen
records); wire.decode + Floor.apply_batch (the desktop's path, batches of 200).
Targets (issue 2): reducer >= 100,000 events/s and within 3x of bare json.loads.

    .venv/bin/python benchmarks/bench_reducer.py [--events 300000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import datetime, timedelta

from supervisor import timeutil, wire
from supervisor.floor import Floor

QUEUES = ["credit_card", "deposit_transfer", "personal_loan", "wealth", "card_loss_fraud", "vip"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def traffic(n_events: int, agents: int = 300, seed: int = 7) -> list[str]:
    """A realistic mix: call lifecycles, agent state changes, cases, surveys (as JSON text)."""
    rng = random.Random(seed)
    t = datetime(2026, 11, 22, 8, 0, tzinfo=timeutil.CHINA)
    seq = 0
    out: list[str] = []

    def emit(type_: str, data: dict) -> None:
        nonlocal seq
        seq += 1
        out.append(json.dumps({"v": 1, "seq": seq, "ts": timeutil.fmt(t), "type": type_, "data": data},
                              ensure_ascii=False))

    def agent(aid: int, state: str, call: str | None) -> dict:
        return {"agent_id": f"a-{aid:04d}", "name": f"坐席{aid}", "team": f"{aid % 4 + 1}组",
                "skills": QUEUES[aid % 3: aid % 3 + 3], "state": state, "reason": None,
                "since": timeutil.fmt(t), "call_id": call}

    emit("snapshot", {"queues": [{"id": q, "name": q} for q in QUEUES],
                      "agents": [agent(i, "available", None) for i in range(agents)],
                      "waiting": [], "cases": [], "escalations": [], "departments": []})
    waiting: list[str] = []
    talking: dict[str, int] = {}
    free = list(range(agents))
    call_no = 0
    while len(out) < n_events:
        t += timedelta(milliseconds=rng.randint(50, 400))
        r = rng.random()
        if r < 0.3 or not waiting:
            call_no += 1
            cid = f"c-{call_no:07d}"
            name = rng.choice(SURNAMES) + rng.choice("小大明华丽") + rng.choice("伟芳娜敏静")
            emit("call.queued", {"contact": {
                "call_id": cid, "queue": rng.choice(QUEUES), "channel": rng.choice(wire.CHANNELS),
                "priority": rng.randint(0, 2),
                "customer": {"id": f"k-{rng.randint(1, 10**7)}", "name": name,
                             "phone": f"1{rng.randint(3, 9)}{rng.randint(0, 10**9 - 1):09d}",
                             "segment": "vip" if rng.random() < 0.1 else "standard"},
                "queued_at": timeutil.fmt(t), "case_id": None}})
            waiting.append(cid)
        elif r < 0.55 and free:
            cid = waiting.pop(0)
            aid = free.pop(rng.randrange(len(free)))
            emit("call.answered", {"call_id": cid, "agent_id": f"a-{aid:04d}", "at": timeutil.fmt(t)})
            emit("agent.state", {"agent": agent(aid, "on_call", cid)})
            talking[cid] = aid
        elif r < 0.6:
            emit("call.abandoned", {"call_id": waiting.pop(rng.randrange(len(waiting))), "at": timeutil.fmt(t)})
        elif r < 0.62 and waiting:
            emit("call.transferred", {"call_id": rng.choice(waiting), "queue": rng.choice(QUEUES),
                                      "at": timeutil.fmt(t)})
        elif talking:
            cid, aid = talking.popitem()
            emit("call.ended", {"call_id": cid, "agent_id": f"a-{aid:04d}", "at": timeutil.fmt(t), "case_id": None})
            emit("agent.state", {"agent": agent(aid, "wrap_up", None)})
            emit("agent.state", {"agent": agent(aid, "available", None)})
            free.append(aid)
            if rng.random() < 0.3:
                emit("survey.completed", {"call_id": cid, "case_id": None, "score": rng.randint(1, 5),
                                          "at": timeutil.fmt(t)})
    return out[:n_events]


def best_rate(fn, n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return n / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    messages = traffic(args.events)
    n = len(messages)
    size = sum(len(m.encode()) for m in messages) / n

    def bare() -> None:
        loads = json.loads
        for m in messages:
            loads(m)

    def decode_only() -> None:
        decode = wire.decode
        for m in messages:
            decode(m)

    def decode_and_reduce() -> None:
        decode = wire.decode
        floor = Floor()
        b = args.batch
        for i in range(0, n, b):
            floor.apply_batch([decode(m) for m in messages[i:i + b]])
        assert floor.anomalies == 0, floor.anomaly_log

    json_rate = best_rate(bare, n, args.repeat)
    decode_rate = best_rate(decode_only, n, args.repeat)
    full_rate = best_rate(decode_and_reduce, n, args.repeat)
    print(f"messages: {n:,} (mean {size:.0f} bytes), best of {args.repeat}")
    print(f"json.loads                      {json_rate:>12,.0f} events/s")
    print(f"wire.decode (parse+validate)    {decode_rate:>12,.0f} events/s  ({json_rate / decode_rate:.2f}x json.loads time)")
    print(f"decode + Floor reducer          {full_rate:>12,.0f} events/s  ({json_rate / full_rate:.2f}x json.loads time)")
    ok = full_rate >= 100_000 and json_rate / full_rate <= 3.0
    print(f"target: >= 100,000 events/s and within 3x of json.loads: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()

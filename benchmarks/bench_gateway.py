"""Load: a synthetic AMI day (supervisor/gateway/synthetic.py, the simulator's day rendered
as the frames Asterisk would send; synthetic, not captured) served by the project's AMI
server into the real gateway process (``command-center gateway asterisk``), read by a
websocket client in a process of its own.

Prints the gateway's CPU (user + system seconds of its process, psutil) per simulated
hour, and the lag from an AMI frame's sending (the moment the AMI server takes it to
write) to the protocol event it caused arriving at the websocket client (matched by time:
an event's ``ts`` is its frame's ``Timestamp``; events of the gateway's own timers, the
end of a wrap-up, have no frame and are not counted). Both clocks are this machine's.

    .venv/bin/python benchmarks/bench_gateway.py                 # 2,000 agents, a weekday, ~100,000 calls
    .venv/bin/python benchmarks/bench_gateway.py --quick         # 200 agents, 2 hours: seconds
    .venv/bin/python benchmarks/bench_gateway.py --agents 500 --calls 20000 --speed 600

``--speed 0`` (the default) sends as fast as the gateway reads, so the lag includes the
queue of frames in the socket buffers; ``--speed X`` paces the day at X simulated seconds
per real second, as a PBX would, and the lag is the gateway's latency at that rate.
The renderer runs in this process (beside the AMI server) and paces a speed-0 run too.

PASS: the gateway published as many ``call.queued``, ``call.answered`` and
``call.abandoned`` as the simulator said. On a FAIL it names the calls (``c-<Uniqueid>``)
published other than once; ``--diff`` adds the AMI frames sent for each, with their script
time and real sending time, and the gateway's events for it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from supervisor import timeutil  # noqa: E402
from supervisor.gateway.amiserver import AmiServer  # noqa: E402
from supervisor.gateway.synthetic import synthetic_session  # noqa: E402
from supervisor.sim import profile  # noqa: E402
from supervisor.sim.engine import Engine  # noqa: E402

START = datetime(2026, 11, 23, 0, 0, tzinfo=timeutil.CHINA)  # a Monday, midnight in +08:00
TOKEN = "bench-token"


def client(url: str, received: Any, ready: Any, stop: Any, out: Any) -> None:
    """The websocket client (own process): (ts in ms, arrival time) of every stream event."""
    from websockets.sync.client import connect

    from supervisor import wire

    got: list[tuple[int, float]] = []
    calls: list[tuple[str, str, str, float]] = []  # (type, call id, ts, arrival) of call.* events
    kinds: Counter[str] = Counter()
    with connect(url, additional_headers={"Authorization": f"Bearer {TOKEN}"}, max_size=wire.MAX_MESSAGE_BYTES,
                 compression=None) as ws:
        ws.send(json.dumps({"type": "subscribe", "data": {"resume": None}}))
        while not stop.is_set():
            try:
                raw = ws.recv(timeout=0.2)
            except TimeoutError:
                continue
            now = time.time()
            msg = json.loads(raw)
            kind = msg.get("type")
            if kind in ("hello", "heartbeat", "command.result"):
                continue
            kinds[kind] += 1
            if kind == "snapshot":
                ready.set()  # subscribed: the day may start
            else:
                got.append((int(round(timeutil.parse(msg["ts"]).timestamp() * 1000)), now))
                if kind.startswith("call."):
                    data = msg["data"]
                    call_id = data["contact"]["call_id"] if kind == "call.queued" else data.get("call_id", "")
                    calls.append((kind, call_id, msg["ts"], now))
            received.value += 1
    out.put((got, dict(kinds), calls))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agents", type=int, default=2000)
    ap.add_argument("--calls", type=int, default=None,
                    help="contacts in the day (default: the simulator's for that many agents, ~50 per agent)")
    ap.add_argument("--hours", type=float, default=24.0)
    ap.add_argument("--speed", type=float, default=0.0, help="simulated seconds per real second (0: as fast as read)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="200 agents, 2 hours from 09:00")
    ap.add_argument("--diff", action="store_true",
                    help="on a mismatch, print each call the gateway published other than once (its call id is "
                         "c-<Uniqueid>) with the AMI frames sent for it and the gateway's events")
    args = ap.parse_args()
    start = START
    if args.quick:
        args.agents, args.hours = 200, 2.0
        start = START.replace(hour=9)

    engine = Engine(args.seed, start, agents=args.agents, hours=args.hours)
    if args.calls is not None:
        # the engine draws arrivals with the day's profile at a rate per agent; scale that rate
        natural = sum(profile.arrivals_per_agent_hour(h * 3600.0 + 1800, 0, 1.0) for h in range(24)) * args.agents
        engine._arrival_peak *= args.calls / natural  # noqa: SLF001 (a benchmark's knob)
        engine._agent_count = int(engine._agent_count * args.calls / natural)  # noqa: SLF001
    sent: dict[int, float] = {}
    said: Counter[str] = Counter()
    joined: list[str] = []  # Uniqueid of each call's first QueueCallerJoin, as sent
    by_uid: dict[str, list[tuple[float, float, dict[str, Any]]]] = {}  # --diff: (t, real time, fields)
    base_ms = engine.start_ms

    def tap(events: list[dict[str, Any]]) -> None:
        for e in events:
            said[e["type"]] += 1

    session = synthetic_session(engine, tap=tap)
    frames = session.events

    gate = threading.Event()

    def timed() -> Any:
        gate.wait(120)  # the day starts once the client has subscribed (the AMI loop waits here)
        for t, fields in frames:
            assert t is not None  # the synthetic day stamps every frame
            ms = base_ms + int(round(t * 1000))
            if ms not in sent:
                sent[ms] = time.time()
            uid = fields.get("Uniqueid")
            if uid is not None:
                if fields.get("Event") == "QueueCallerJoin" and uid not in by_uid:
                    joined.append(uid)
                if args.diff:
                    by_uid.setdefault(uid, []).append((t, time.time(), fields))
                elif fields.get("Event") == "QueueCallerJoin":
                    by_uid.setdefault(uid, [])
            yield t, fields

    session.events = timed()
    loop = asyncio.new_event_loop()
    ami = AmiServer([session], base=base_ms / 1000, speed=args.speed)
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(ami.start(), loop).result(10)

    tmp = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    (tmp / "secret").write_text("s3cret\n")
    (tmp / "tokens.json").write_text(json.dumps({TOKEN: {"id": "b", "name": "Bench", "role": "floor_supervisor"}}))
    (tmp / "queues.json").write_text(json.dumps(engine.queues, ensure_ascii=False))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    gw = subprocess.Popen(
        [sys.executable, "-m", "supervisor", "gateway", "asterisk", "--ami", f"127.0.0.1:{ami.port}",
         "--ami-user", "gateway", "--ami-secret-file", str(tmp / "secret"), "--port", "0", "--print-url",
         "--tokens", str(tmp / "tokens.json"), "--queues", str(tmp / "queues.json")],
        stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert gw.stdout is not None
    url = gw.stdout.readline().strip()
    proc = psutil.Process(gw.pid)
    ctx = mp.get_context("spawn")
    received, ready, stop, out = ctx.Value("q", 0), ctx.Event(), ctx.Event(), ctx.Queue()
    reader = ctx.Process(target=client, args=(url, received, ready, stop, out), daemon=True)
    reader.start()
    if not ready.wait(60):
        raise SystemExit("the websocket client did not get its snapshot within 60 s")
    cpu0 = sum(proc.cpu_times()[:2])
    t0 = time.monotonic()
    ahead = ami.now() - base_ms / 1000  # the PBX clock Ping told, ahead of the first frame (paced runs)
    gate.set()
    print(f"{args.agents} agents, {args.hours:g} h from {start:%Y-%m-%d %H:%M %z}, speed {args.speed:g}; "
          f"gateway pid {gw.pid} on {url}; the AMI clock starts {ahead:.0f} s ahead of the first frame", flush=True)
    last_print = t0
    while not ami.finished.is_set():
        time.sleep(0.5)
        if time.monotonic() - last_print > 10:
            last_print = time.monotonic()
            print(f"  {time.monotonic() - t0:6.0f} s: {ami.sent_events} frames sent, "
                  f"{received.value} events received", flush=True)
    send_s = time.monotonic() - t0
    seen, quiet_since = received.value, time.monotonic()
    while time.monotonic() - quiet_since < 2.0:
        time.sleep(0.2)
        if received.value != seen:
            seen, quiet_since = received.value, time.monotonic()
    wall = quiet_since - t0
    cpu = sum(proc.cpu_times()[:2]) - cpu0
    rss = proc.memory_info().rss
    stop.set()
    got, kinds, call_events = out.get(timeout=60)
    reader.join(10)
    gw.terminate()
    gw.wait(15)
    asyncio.run_coroutine_threadsafe(ami.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)

    lags = sorted(recv - sent[ms] for ms, recv in got if ms in sent)
    unmatched = sum(1 for ms, _ in got if ms not in sent)

    def pct(p: float) -> float:
        return lags[min(len(lags) - 1, int(p / 100 * len(lags)))] * 1000 if lags else float("nan")

    calls = said["call.queued"]
    print(f"simulator: {calls} contacts ({said['call.answered']} answered, {said['call.abandoned']} abandoned), "
          f"{sum(said.values())} events; AMI: {ami.sent_events} frames in {send_s:.1f} s "
          f"({ami.sent_events / max(send_s, 1e-9):.0f} frames/s)")
    print(f"gateway: {sum(kinds.values())} events out ({kinds.get('call.queued', 0)} call.queued, "
          f"{kinds.get('call.answered', 0)} call.answered, {kinds.get('call.abandoned', 0)} call.abandoned), "
          f"{cpu:.1f} CPU s in {wall:.1f} s wall = {cpu / args.hours:.2f} CPU s per simulated hour; RSS {rss / 2**20:.0f} MiB")
    print(f"lag AMI frame -> websocket event (ms): p50 {pct(50):.1f}, p95 {pct(95):.1f}, p99 {pct(99):.1f}, "
          f"max {lags[-1] * 1000 if lags else float('nan'):.1f} over {len(lags)} events "
          f"({unmatched} timer events without a frame)")
    with open("/proc/loadavg") as fh:
        print(f"loadavg: {fh.read().strip()}")
    outcomes = ("call.queued", "call.answered", "call.abandoned")
    ok = all(kinds.get(kind, 0) == said[kind] for kind in outcomes)
    print("PASS" if ok else "FAIL: the gateway's calls (offered, answered, abandoned) differ from the simulator's")
    if not ok:
        published = Counter(call_id for kind, call_id, _, _ in call_events if kind == "call.queued")
        expected = Counter(f"c-{uid}" for uid in joined)
        extra, missing = published - expected, expected - published
        print(f"call ids: {len(published)} published by the gateway, {len(expected)} joined on AMI "
              f"(+ {len(session.status)} QueueStatus items); published more often than joined: "
              f"{sorted(extra.elements())}; joined, never published: {sorted(missing.elements())}")
        if args.diff:
            for call_id in sorted(set(extra) | set(missing)):
                print(f"  {call_id}:")
                for t, real, fields in by_uid.get(call_id[2:], []):
                    rest = {k: v for k, v in fields.items() if k in ("Queue", "Interface", "HoldTime")}
                    print(f"    AMI  t={t:9.3f} sent {real:.3f}  {fields['Event']} {rest}")
                for kind, cid, ts, arrival in call_events:
                    if cid == call_id:
                        print(f"    gw   ts={ts} arrived {arrival:.3f}  {kind}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

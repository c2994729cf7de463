"""End-to-end journal throughput: simulator backlog -> recorder -> SQLite (and PostgreSQL).

Starts ``command-center simulate`` as its own process with a preloaded backlog (a busy
center's prerun hours, all in the replay buffer), then replays the whole backlog into a
fresh journal with:

- ours: the recorder's path exactly (its interpreter settings, FeedClient with backfill + Store +
  writer thread: msgspec decode and validation, seq checks, id extraction, journal rows
  with the unique (epoch, seq) and the ts, call, case, escalation and agent indexes);
- lean: a reference recorder, a plain websockets client that only ``json.loads`` each
  message and inserts it raw into SQLite in batches of 1,000 (same WAL settings).

Both read the same backlog from the same server in the same run, alternately, and every
run is checked: the journal must hold seqs 1..N exactly. Target: ours >= 70 % of lean
into SQLite (judged on the median of the paired runs). Prints events/s, the ratio, and
each recorder's CPU time per event (the figure least moved by other load on the machine).

    .venv/bin/python benchmarks/bench_journal.py [--agents 300] [--hours 10] [--runs 2] [--pg URL]

PostgreSQL runs when --pg or CC_TEST_PG_URL is given (a fresh database is created and
dropped on that server).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from supervisor.feed import FeedClient  # noqa: E402
from supervisor.recorder import tune_process  # noqa: E402
from supervisor.store import Store  # noqa: E402

TOKEN = "demo-manager"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CONTROL = {"hello", "heartbeat", "command.result"}
START = "2026-11-23T08:00:00+08:00"
DEFAULT_GC = gc.get_threshold()
DEFAULT_SWITCH = sys.getswitchinterval()


def start_simulator(agents: int, hours: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "supervisor", "simulate", "--port", "0", "--print-url", "--seed", "7",
         "--speed", "0", "--agents", str(agents), "--prerun", str(hours), "--hours", str(hours),
         "--start", START],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("ws://"):
        proc.kill()
        raise SystemExit(f"the simulator did not start: {url!r}")
    return proc, url


async def backlog(url: str) -> tuple[str, int]:
    async with connect(url, additional_headers=AUTH, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"v": 1, "type": "subscribe", "data": {"resume": None}}))
        hello = json.loads(await ws.recv())
    return hello["data"]["epoch"], hello["seq"]


async def lean(url: str, db: Path, total: int) -> tuple[float, float]:
    """The reference: json.loads, raw insert, batches of 1,000. Returns (seconds, CPU seconds)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY, epoch TEXT, seq INTEGER, payload TEXT)")
    insert = "INSERT INTO journal (epoch, seq, payload) VALUES (?, ?, ?)"
    started = time.perf_counter()
    cpu = time.process_time()
    # the same two steps as the recorder: learn the epoch, then ask for everything after 0
    async with connect(url, additional_headers=AUTH, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"v": 1, "type": "subscribe", "data": {"resume": None}}))
        epoch = json.loads(await ws.recv())["data"]["epoch"]
    async with connect(url, additional_headers=AUTH, max_size=None, compression=None) as ws:
        await ws.send(json.dumps({"v": 1, "type": "subscribe",
                                  "data": {"resume": {"epoch": epoch, "after_seq": 0}}}))
        batch: list[tuple[str, int, str]] = []
        async for message in ws:
            obj = json.loads(message)
            if obj["type"] in CONTROL:
                continue
            batch.append((epoch, obj["seq"], message))
            if len(batch) >= 1000 or obj["seq"] >= total:
                conn.executemany(insert, batch)
                conn.commit()
                batch = []
                if obj["seq"] >= total:
                    break
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    seqs = [r[0] for r in conn.execute("SELECT seq FROM journal ORDER BY id")]
    conn.close()
    if seqs != list(range(1, total + 1)):
        raise SystemExit(f"lean reference lost or repeated events: {len(seqs)} rows for {total}")
    return elapsed, cpu


async def ours(url: str, db_url: str, total: int) -> tuple[float, float]:
    """The recorder's path. Returns (seconds until all rows are committed, CPU seconds)."""
    tune_process()  # as `command-center record` does at start
    store = Store(db_url)
    started = time.perf_counter()
    cpu = time.process_time()  # both threads: the reader and the journal writer
    client = FeedClient(url, TOKEN, store=store, backfill=True)
    task = asyncio.ensure_future(client.run())
    while client.counts.journaled < total and not task.done():
        await asyncio.sleep(0.005)  # rows the store confirmed committed
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    await client.stop()
    await task
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT seq, part FROM journal ORDER BY id")).all()
    # the snapshot that opened the backfill is journaled right after the event at its seq
    seqs = [seq for i, (seq, part) in enumerate(rows) if not (part > 0 and i > 0 and rows[i - 1][0] == seq)]
    store.close()
    gc.unfreeze()  # the lean reference runs with Python's defaults, as a plain script would
    gc.set_threshold(*DEFAULT_GC)
    sys.setswitchinterval(DEFAULT_SWITCH)
    if list(seqs) != list(range(1, total + 1)):
        raise SystemExit(f"our recorder lost or repeated events: {len(seqs)} rows for {total}")
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--hours", type=float, default=10.0, help="simulated hours of backlog")
    parser.add_argument("--runs", type=int, default=3, help="runs of each recorder, alternating")
    parser.add_argument("--pg", default=os.environ.get("CC_TEST_PG_URL"), help="PostgreSQL server URL")
    args = parser.parse_args()

    print(f"preloading {args.hours:g} simulated hours of a {args.agents}-agent center …", flush=True)
    t = time.perf_counter()
    proc, url = start_simulator(args.agents, args.hours)
    try:
        epoch, total = asyncio.run(backlog(url))
        print(f"backlog: {total:,} events (epoch {epoch}), ready in {time.perf_counter() - t:.1f} s\n")
        lean_s: list[float] = []
        ours_s: list[float] = []
        lean_cpu: list[float] = []
        ours_cpu: list[float] = []
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(args.runs):
                secs, cpu = asyncio.run(lean(url, Path(tmp) / f"lean{i}.db", total))
                lean_s.append(secs)
                lean_cpu.append(cpu)
                secs, cpu = asyncio.run(ours(url, f"sqlite:///{tmp}/ours{i}.db", total))
                ours_s.append(secs)
                ours_cpu.append(cpu)
                print(f"run {i + 1}: lean {total / lean_s[-1]:,.0f} ev/s, ours {total / ours_s[-1]:,.0f} ev/s "
                      f"(ratio {lean_s[-1] / ours_s[-1]:.0%})", flush=True)
        best_lean, best_ours = total / min(lean_s), total / min(ours_s)
        print()
        print(f"{'recorder':<34}{'events/s best':>14}{'median':>10}{'client CPU µs/event':>22}")
        for name, secs, cpus in (("lean reference -> SQLite", lean_s, lean_cpu),
                                 ("ours (recorder) -> SQLite", ours_s, ours_cpu)):
            print(f"{name:<34}{total / min(secs):>14,.0f}{total / statistics.median(secs):>10,.0f}"
                  f"{statistics.median(cpus) / total * 1e6:>22.1f}")
        if args.pg:
            name = f"cc_bench_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            try:
                pg_url = sa.engine.make_url(args.pg).set(database=name).render_as_string(hide_password=False)
                pg_s, pg_cpu = asyncio.run(ours(url, pg_url, total))
                print(f"{'ours (recorder) -> PostgreSQL':<34}{total / pg_s:>14,.0f}{'':>10}"
                      f"{pg_cpu / total * 1e6:>22.1f}")
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.dispose()
        else:
            print("(PostgreSQL skipped: give --pg URL or set CC_TEST_PG_URL)")
        # Each run pairs the two back to back, so a paired ratio cancels the slow swings of a
        # shared machine; the median of those is the figure judged against the target.
        paired = statistics.median(l / o for l, o in zip(lean_s, ours_s))
        verdict = "meets" if paired >= 0.70 else "MISSES"
        print(f"\nours / lean into SQLite: {paired:.0%} (median of the paired runs; "
              f"{best_ours / best_lean:.0%} best to best) — {verdict} the 70 % target")
        print(f"CPU per event: ours {statistics.median(ours_cpu) / statistics.median(lean_cpu):.2f}x the lean "
              f"reference's; every run journaled seqs 1..{total:,} exactly once")
        print(f"machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


if __name__ == "__main__":
    main()

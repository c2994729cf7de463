"""A national center's month: journal it through the real writer, then time the review.

Builds a journal of a month (October 2026, +08:00) of the project's simulator engine
(about 50 contacts per agent per weekday; agents are chosen so the month has about
``--contacts`` contacts), each event encoded as the server sends it, decoded by the
real wire and journaled by the real ``JournalWriter`` (so the facts beside the journal
are kept as the recorder keeps them). Then it runs the commands as a user runs them,
each in its own process, and reports wall time and peak RSS (``wait4``'s ru_maxrss):

- ``command-center kpi`` over the month        target <= 60 s
- ``command-center export`` over the month     target <= 90 s
- ``command-center kpi`` over one day          target <= 2 s
- peak RSS of each                             target <= 1 GB

and prints the month's figures, the journal's size (bytes per event) and the machine's
load average before and after (other work on the machine slows every figure).

    .venv/bin/python benchmarks/bench_month.py --contacts 3000000      # the issue's month
    .venv/bin/python benchmarks/bench_month.py --contacts 100000       # quick (~2 min)
    .venv/bin/python benchmarks/bench_month.py --db postgresql+psycopg://postgres@127.0.0.1:54329/month
    .venv/bin/python benchmarks/bench_month.py --reuse /tmp/month.db   # time an existing journal again
    add --events to also time CC_KPI_ENGINE=events (every event through the KPI builder)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from supervisor import timeutil, wire  # noqa: E402

START = datetime(2026, 10, 1, tzinfo=timeutil.CHINA)
DAYS = 31
CONTACTS_PER_AGENT_DAY = 50.0  # the simulator's weekday mean (bench_soak: 2,000 agents ~ 100,000)
TARGETS = {"kpi month": 60.0, "export month": 90.0, "kpi day": 2.0}
RSS_TARGET_MB = 1024.0


def _generate(queue: Any, agents: int, days: int, seed: int) -> None:
    """The simulator's month as the server would send it (JSON texts, seq from 1), in
    batches of ten simulated minutes, into ``queue`` (a process of its own: two cores)."""
    import msgspec

    from supervisor.sim.engine import Engine

    encode = msgspec.json.encode
    engine = Engine(seed, START, agents=agents, hours=days * 24)
    seq = 1
    queue.put([encode({"v": 1, "seq": seq, "type": "snapshot", "ts": engine.ts(), "data": engine.snapshot()})])
    t = START
    end = START + timedelta(days=days)
    while t < end:
        t = min(t + timedelta(minutes=10), end)
        batch = []
        for m in engine.advance(t):
            seq += 1
            batch.append(encode({"v": 1, "seq": seq, **m}))
        queue.put(batch)
    queue.put(None)


def build(url: str, contacts: int, days: int, seed: int) -> dict[str, Any]:
    """Journal ``days`` simulated days through the real JournalWriter; returns counts."""
    import multiprocessing as mp

    from supervisor.feed.writer import JournalWriter
    from supervisor.store import Store, journal_row

    agents = max(5, math.ceil(contacts / days / CONTACTS_PER_AGENT_DAY))
    ctx = mp.get_context("fork")
    queue = ctx.Queue(maxsize=64)
    gen = ctx.Process(target=_generate, args=(queue, agents, days, seed), daemon=True)
    gen.start()
    store = Store(url)
    writer = JournalWriter(store)
    epoch = f"E-month-{seed}"
    events = 0
    decode = wire.decode
    t0 = time.perf_counter()
    next_print = t0 + 30
    while True:
        texts = queue.get()
        if texts is None:
            break
        rows = [journal_row(epoch, decode(text), text) for text in texts]
        events += len(rows)
        writer.submit(rows)
        while writer.backlog > 200_000:  # never hold more than a moment of events
            time.sleep(0.05)
        if time.perf_counter() >= next_print:
            next_print += 30
            print(f"  journaled {events:>12,} events ({events / (time.perf_counter() - t0):,.0f} events/s)",
                  flush=True)
    gen.join()
    lost = writer.close(timeout=600)
    seconds = time.perf_counter() - t0
    store.close()
    return {"agents": agents, "events": events, "lost": lost, "seconds": seconds}


def build_apart(url: str, contacts: int, days: int, seed: int) -> dict[str, Any]:
    """``build`` in a child process, so this one stays small: a command it starts later
    would otherwise inherit its peak RSS in ``wait4``'s figure."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    out = ctx.Queue()
    proc = ctx.Process(target=lambda: out.put(build(url, contacts, days, seed)))
    proc.start()
    result: dict[str, Any] = out.get()
    proc.join()
    return result


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int, str, str]:
    """(wall seconds, CPU seconds, peak RSS MB, exit code, stdout, stderr) of one
    command-center process. CPU time (user + system) is what the command costs; wall
    time is what a user waits, and grows with whatever else the machine runs."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "supervisor", *argv], stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return wall, cpu, usage.ru_maxrss / 1024.0, proc.returncode, out.read(), err.read()


def journal_size(url: str) -> tuple[int | None, int]:
    """(bytes on disk or None for a server database, journaled events)."""
    import sqlalchemy as sa

    from supervisor.store import sqlite_file

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            events = int(conn.exec_driver_sql("SELECT COUNT(*) FROM journal").scalar_one())
            if engine.dialect.name == "postgresql":
                size = int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())
                return size, events
    finally:
        engine.dispose()
    path = sqlite_file(url)
    assert path is not None
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    return size, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contacts", type=int, default=3_000_000, help="contacts in the month (about)")
    ap.add_argument("--days", type=int, default=DAYS, help="days journaled from 2026-10-01")
    ap.add_argument("--db", help="journal URL (default: a SQLite file in a temporary directory)")
    ap.add_argument("--reuse", metavar="FILE_OR_URL", help="time an existing journal, do not build one")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--events", action="store_true", help="also time kpi with CC_KPI_ENGINE=events")
    ap.add_argument("--keep", action="store_true", help="keep the journal and the workbook")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-month-"))
    if args.reuse:
        url = args.reuse if "://" in args.reuse else f"sqlite:///{Path(args.reuse).resolve()}"
    else:
        url = args.db or f"sqlite:///{tmp / 'month.db'}"
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if not args.reuse:
        print(f"building ~{args.contacts:,} contacts over {args.days} days into {url}", flush=True)
        built = build_apart(url, args.contacts, args.days, args.seed)
        print(f"journaled {built['events']:,} events ({built['agents']:,} agents) in {built['seconds']:.0f} s "
              f"({built['events'] / built['seconds']:,.0f} events/s through the writer, facts included); "
              f"lost {built['lost']}")
    size, events = journal_size(url)
    if size is not None:
        print(f"journal: {events:,} events, {size / 1e9:.2f} GB, {size / max(events, 1):.0f} bytes/event "
              "(raw events, facts and indexes)")

    end = START + timedelta(days=args.days)
    month = ["--from", START.date().isoformat(), "--to", end.date().isoformat()]
    day = START + timedelta(days=min(14, args.days - 1))
    one_day = ["--from", day.date().isoformat(), "--to", (day + timedelta(days=1)).date().isoformat()]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("CC_KPI_ENGINE", None)
    xlsx = tmp / "month.xlsx"
    runs = [
        ("kpi month", ["kpi", "--db", url, *month, "--json"], env),
        ("kpi day", ["kpi", "--db", url, *one_day, "--json"], env),
        ("export month", ["export", "--db", url, *month, "--out", str(xlsx), "--lang", "en"], env),
    ]
    if args.events:
        runs.append(("kpi month (events)", ["kpi", "--db", url, *month, "--json"], {**env, "CC_KPI_ENGINE": "events"}))
    results: dict[str, Any] = {}
    print()
    print(f"{'command':<22}{'wall':>10}{'CPU':>9}{'peak RSS':>12}  target")
    ok = True
    for name, argv, run_env in runs:
        wall, cpu, rss, code, out, err = run(argv, run_env)
        if code != 0:
            print(f"{name:<22} FAILED (exit {code}): {err.strip()[:500]}")
            ok = False
            continue
        results[name] = out
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            good = wall <= target and rss <= RSS_TARGET_MB
            ok = ok and good
            verdict = f"<= {target:.0f} s, <= {RSS_TARGET_MB:.0f} MB: {'PASS' if good else 'FAIL'}"
        print(f"{name:<22}{wall:>9.1f}s{cpu:>8.1f}s{rss:>9.0f} MB  {verdict}", flush=True)
    if "kpi month" in results:
        report = json.loads(results["kpi month"])
        total = report["total"]
        print()
        print(f"the month {report['from']} .. {report['to']} ({report['service_level_formula']}):")
        for key in ("offered", "answered", "abandoned", "short_abandoned", "waiting", "service_level",
                    "abandonment_rate", "asa_seconds", "max_wait_seconds", "aht_seconds", "sla_breaches",
                    "csat", "csat_top2_share"):
            print(f"  {key:<20} {total.get(key)}")
        print(f"  queues {len(report['queues'])}, agents {len(report['agents'])}, "
              f"escalations opened {report['escalations']['opened']}, missing events {report['missing_events']}")
        if "kpi month (events)" in results:
            same = json.loads(results["kpi month (events)"]) == report
            print(f"  facts engine == events engine: {same}")
            ok = ok and same
    if xlsx.exists():
        print(f"  workbook {xlsx.stat().st_size / 1e6:.1f} MB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("ALL TARGETS MET" if ok else "SOME TARGETS MISSED")
    if args.keep or args.reuse:
        print(f"kept: {url} {xlsx if xlsx.exists() else ''}")
    else:
        for p in sorted(tmp.glob("*")):
            p.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()

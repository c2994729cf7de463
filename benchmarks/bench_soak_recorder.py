"""Soak, recorder side: ``command-center record``'s memory over whole simulated days.

The recorder keeps no decoded events, but since the journal keeps facts beside the
events (issue "A national center's month", schema v3) its writer runs the domain
interpreter and holds the contacts that can still change. This feeds the simulator's
center of 2,000 agents (~100,000 contacts a weekday, in a child process: its memory is
not the recorder's) through the real wire decode, ``journal_row`` and ``JournalWriter``
(the writer thread, the Store and its facts) into a real SQLite journal, with the
recorder's interpreter settings (``supervisor.recorder.tune_process``), and prints every
simulated hour the RSS, the journal's size and what the facts keeper holds. At the end:
RSS growth from hour 2 to the last hour, PASS/FAIL against <= 10 % (issue "Figures that
stay true", point 6).

    .venv/bin/python benchmarks/bench_soak_recorder.py [--hours 24 | --days D] [--agents 2000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import msgspec  # noqa: E402
import psutil  # noqa: E402

from supervisor import timeutil, wire  # noqa: E402

START = datetime(2026, 11, 23, 0, 0, tzinfo=timeutil.CHINA)  # a Monday, midnight in +08:00 (as bench_soak)
TARGET_GROWTH = 0.10


def simulate(conn, seed: int, start: datetime, agents: int) -> None:  # type: ignore[no-untyped-def]
    """The child process: the simulator's messages up to each time asked, encoded (as bench_soak's)."""
    from supervisor.sim.engine import Engine

    engine = Engine(seed, start, agents=agents)
    encode = msgspec.json.Encoder().encode
    seq = 0
    while True:
        until = conn.recv()
        if until == "stop":
            return
        messages = ([{"type": "snapshot", "ts": timeutil.fmt(start), "data": engine.snapshot()}]
                    if until is None else engine.advance(until))
        out = []
        for m in messages:
            seq += 1
            out.append(encode({"v": 1, "seq": seq, **m}))
        conn.send(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--days", type=float, default=None, help="simulated days (hours = 24 x days)")
    parser.add_argument("--agents", type=int, default=2_000)
    parser.add_argument("--step", type=float, default=30.0, help="simulated seconds per batch")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    hours = args.days * 24.0 if args.days is not None else args.hours

    from supervisor.feed.writer import JournalWriter
    from supervisor.recorder import tune_process
    from supervisor.store import Store, journal_row

    tune_process()
    folder = Path(tempfile.mkdtemp(prefix="cc-soak-recorder-"))
    db = folder / "journal.db"
    store = Store(f"sqlite:///{db}")
    writer = JournalWriter(store)
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=simulate, args=(theirs, args.seed, START, args.agents), daemon=True)
    child.start()
    epoch = f"E-soak-{args.seed}"
    decode = wire.decode

    def journal(until: datetime | None) -> int:
        ours.send(until)
        texts: list[bytes] = ours.recv()
        writer.submit([journal_row(epoch, decode(text), text) for text in texts])
        while writer.backlog > 50_000:  # the recorder's reader waits for its writer the same way
            time.sleep(0.01)
        return len(texts)

    proc = psutil.Process()
    print(f"soak, recorder: {args.agents} agents, {hours:g} simulated hours from {START.isoformat()}, "
          f"SQLite journal {db}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'sim time':<17}{'RSS MB':>8}{'wall s':>8}{'events':>9}{'journal MB':>12}  facts keeper")
    events = journal(None)
    step = timedelta(seconds=args.step)
    end = START + timedelta(hours=hours)
    next_hour = START + timedelta(hours=1)
    curve: list[tuple[datetime, float]] = []
    t = START
    t_hour = t_all = time.perf_counter()
    while t < end:
        t = min(t + step, end)
        events += journal(t)
        if t >= next_hour or t >= end:
            next_hour += timedelta(hours=1)
            while writer.backlog:
                time.sleep(0.01)
            rss = proc.memory_info().rss / 1e6
            curve.append((t, rss))
            keeper = getattr(store, "keeper", None)
            held = ""
            if keeper is not None:
                interp = getattr(keeper, "interpreter", None)
                calls = len(getattr(interp, "_calls", ())) if interp is not None else 0
                held = f"contacts {len(getattr(keeper, '_contacts', ()))}, interpreter's contacts {calls}"
            size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
            print(f"{t:%m-%d %H:%M %z}{rss:>8.1f}{time.perf_counter() - t_hour:>8.1f}{events:>9}{size:>12.1f}  {held}",
                  flush=True)
            t_hour = time.perf_counter()
    lost = writer.close(timeout=600)
    ours.send("stop")
    child.join(timeout=10)
    store.close()
    print(f"done: {hours:g} simulated hours in {time.perf_counter() - t_all:.0f} s, {events} events, lost {lost}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    if len(curve) < 3:
        print("RSS: fewer than 3 simulated hours, no growth figure")
        return 0
    (t2, rss2), (tn, rssn) = curve[1], curve[-1]
    growth = (rssn - rss2) / rss2
    verdict = "PASS" if growth <= TARGET_GROWTH else "FAIL"
    print(f"RSS hour 2 ({t2:%m-%d %H:%M}) {rss2:.1f} MB -> last hour ({tn:%m-%d %H:%M}) {rssn:.1f} MB: "
          f"{growth * 100:+.1f} % (target <= {TARGET_GROWTH * 100:.0f} %): {verdict}")
    if len(curve) > 24:
        day1 = curve[23][1]
        print(f"RSS after the first day {day1:.1f} MB -> last hour {rssn:.1f} MB: "
              f"{(rssn - day1) / day1 * 100:+.1f} % (day after day)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())

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
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402
from soak_common import START, report_growth, simulate, sqlite_used  # noqa: E402

from supervisor import wire  # noqa: E402


def _type_counts() -> Counter[str]:
    import gc

    return Counter(type(o).__qualname__ for o in gc.get_objects())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--days", type=float, default=None, help="simulated days (hours = 24 x days)")
    parser.add_argument("--agents", type=int, default=2_000)
    parser.add_argument("--step", type=float, default=30.0, help="simulated seconds per batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--burst", action="store_true",
                        help="let the writer fall behind up to the recorder's high-water mark (50,000 rows) as a "
                             "resume replaying hours would, instead of the live pace")
    parser.add_argument("--trace", action="store_true",
                        help="tracemalloc from hour 1; at the end, the source lines holding most of what grew (slow)")
    parser.add_argument("--types", action="store_true",
                        help="each 6 simulated hours, the gc-tracked object types that grew most since hour 1")
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
    burst = args.burst
    decode = wire.decode

    def journal(until: datetime | None) -> int:
        ours.send(until)
        texts: list[bytes] = ours.recv()
        writer.submit([journal_row(epoch, decode(text), text) for text in texts])
        # live, 30 s of a 2,000-agent floor (~1,000 events at the peak) reach the recorder
        # over 30 s and the writer has committed them long before the next arrive; so the
        # next batch waits for this one (``--burst``: only for the recorder's high-water
        # mark, as a resume replaying hours would: up to 50,000 rows queued, see
        # supervisor/feed/client.py, and their decoded events held meanwhile)
        high_water = 50_000 if burst else 0
        while writer.backlog > high_water:
            time.sleep(0.002)
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
            mem = proc.memory_info()
            rss = mem.rss / 1e6
            curve.append((t, rss))
            held_file = getattr(mem, "shared", 0) / 1e6  # Linux: resident pages backed by files
            keeper = getattr(store, "keeper", None)
            held = ""
            if keeper is not None:
                interp = getattr(keeper, "interpreter", None)
                calls = len(getattr(interp, "_calls", ())) if interp is not None else 0
                held = f"contacts {len(getattr(keeper, '_contacts', ()))}, interpreter's contacts {calls}"
            size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
            print(f"{t:%m-%d %H:%M %z}{rss:>8.1f}{time.perf_counter() - t_hour:>8.1f}{events:>9}{size:>12.1f}  {held}; "
                  f"of the RSS, {held_file:.1f} MB file-backed, Python blocks {sys.getallocatedblocks() / 1e3:.0f}k, "
                  f"SQLite {sqlite_used() / 1e6:.1f} MB (high water {sqlite_used(high=True) / 1e6:.1f})",
                  flush=True)
            if args.types and len(curve) == 1:
                base = _type_counts()
            if args.trace and len(curve) == 1:
                import tracemalloc

                tracemalloc.start(6)
                base_trace = tracemalloc.take_snapshot()
            if args.types and len(curve) % 6 == 0:
                grown = _type_counts()
                grown.subtract(base)
                print("  grown since hour 1: " + ", ".join(f"{n} {c:+d}" for n, c in grown.most_common(12)),
                      flush=True)
            t_hour = time.perf_counter()
    if args.trace:
        for stat in tracemalloc.take_snapshot().compare_to(base_trace, "traceback")[:15]:
            where = " <- ".join(f"{Path(fr.filename).name}:{fr.lineno}" for fr in stat.traceback)
            print(f"  {stat.size_diff / 1e6:+7.1f} MB {stat.count_diff:+8d} blocks  {where}")
    lost = writer.close(timeout=600)
    ours.send("stop")
    child.join(timeout=10)
    store.close()
    print(f"done: {hours:g} simulated hours in {time.perf_counter() - t_all:.0f} s, {events} events, lost {lost}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    return report_growth(curve)


if __name__ == "__main__":
    raise SystemExit(main())

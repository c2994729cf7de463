"""Soak: a desktop fed whole simulated days keeps its memory flat and its KPI refresh cheap.

The project's simulator engine (in a child process, no websocket: the simulator's own
memory, ~145 MB more by the evening of a 2,000-agent day, is not the desktop's; ``--in-process``
runs it in this process as before) generates a center of 2,000 agents (~100,000
contacts a weekday) at accelerated time; every message is encoded there and decoded
here by the real wire, fed to a KpiBuilder with TodayKpi over it (as ui/bridge.py
does on the feed thread) and posted through the real Inbox to the real LiveFloor
(reducer, models, trend recorder) with the desk window, or the wall display with
``--wall``, on screen offscreen. The LiveFloor's 1 Hz tick runs once per step on the
simulated clock, so midnight (in the center's timezone, +08:00) prunes as it would live.

Every simulated hour it prints: simulated time, RSS (psutil), the KPI refreshes of the
hour (how many, median and max ms; ``--each`` prints every one), the facts held by the
KPI builder (contacts c, agent state intervals i, escalations e, reassignments r, SLA
breach rows kept by folding b) and the floor's sizes. TodayKpi folds settled facts as
the desktop does (``supervisor/kpi/fold.py``); ``--no-fold`` measures without it. At the end: RSS growth from hour 2 to the last hour,
PASS/FAIL against <= 10 % (issue "Figures that stay true", point 6).

    .venv/bin/python benchmarks/bench_soak.py [--hours 24 | --days D] [--wall] [--agents 2000]
    .venv/bin/python benchmarks/bench_soak.py --hours 3        # quick: under a minute

The recorder's side is ``benchmarks/bench_soak_recorder.py`` (its journal writer keeps
the facts beside the events, so it runs the interpreter too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import msgspec  # noqa: E402
import psutil  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from soak_common import START, report_growth, simulate, sqlite_used  # noqa: E402

from supervisor import timeutil, wire  # noqa: E402



def facts_held(builder) -> dict[str, int]:  # type: ignore[no-untyped-def]
    f = builder.facts
    folded = f.folded.held() if f.folded is not None else {}
    return {
        "contacts": len(f.contacts),
        "intervals": sum(len(a.timeline) for a in f.agents.values()),
        "escalations": len(f.escalations),
        "reassignments": len(f.reassignments),
        "breach_rows": folded.get("breach_rows", 0),
        "recent": folded.get("recent", 0),
    }


def deep_size(obj: object, seen: set[int]) -> int:
    """Bytes of ``obj`` and everything it holds not already in ``seen`` (Python objects only)."""
    size = 0
    stack = [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        size += sys.getsizeof(o)
        if isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
        elif isinstance(o, (str, bytes, int, float, bool, type(None), datetime)):
            continue
        elif callable(o) or isinstance(o, type):
            continue  # functions, bound methods, classes: shared code, not data held
        else:
            fields = getattr(o, "__struct_fields__", None) or getattr(type(o), "__slots__", ())
            for name in fields:
                value = getattr(o, name, None)
                if value is not None:
                    stack.append(value)
            instance_dict = getattr(o, "__dict__", None)
            if isinstance(instance_dict, dict):
                stack.extend(instance_dict.values())
    return size


def type_counts() -> "collections.Counter[str]":
    """How many gc-tracked objects of each type (plus the str/int/float objects they refer to)."""
    import collections
    import gc

    counts: collections.Counter[str] = collections.Counter()
    for o in gc.get_objects():
        counts[type(o).__qualname__] += 1
        if isinstance(o, dict):
            for v in list(o.values()):
                if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                    counts["(" + type(v).__name__ + " in dicts)"] += 1
    return counts


def breakdown(builder, floor) -> str:  # type: ignore[no-untyped-def]
    """Deep sizes (MB) of what grows with the day; shared objects counted once."""
    seen: set[int] = set()
    parts = [
        ("floor interpreter", getattr(floor, "interpreter", None)),
        ("floor.cases", floor.cases), ("floor.escalations", floor.escalations),
        ("floor.talking", floor.talking), ("floor.waiting", floor.waiting), ("floor.agents", floor.agents),
        ("kpi contacts", builder.facts.contacts),
        ("kpi agent timelines", [a.timeline for a in builder.facts.agents.values()]),
        ("kpi escalations", builder.facts.escalations), ("kpi reassignments", builder.facts.reassignments),
        ("kpi folded", builder.facts.folded),
        ("kpi interpreter", getattr(builder, "interpreter", None)),
    ]
    return ", ".join(f"{name} {deep_size(obj, seen) / 1e6:.1f}" for name, obj in parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--days", type=float, default=None, help="simulated days (hours = 24 x days)")
    parser.add_argument("--agents", type=int, default=2_000)
    parser.add_argument("--wall", action="store_true", help="the wall display instead of the desk window")
    parser.add_argument("--start", default=START.isoformat(), help="simulated start (with its offset)")
    parser.add_argument("--step", type=float, default=30.0, help="simulated seconds per feed batch and tick")
    parser.add_argument("--kpi-every", type=float, default=300.0,
                        help="simulated seconds between KPI refreshes (live: every 5 s of wall time)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--each", action="store_true", help="print every KPI refresh")
    parser.add_argument("--in-process", action="store_true",
                        help="run the simulator in this process (its memory then counts in the RSS)")
    parser.add_argument("--no-journal", action="store_true",
                        help="without the desktop's own journal (the feed client's JournalWriter into SQLite, "
                             "the facts kept beside it, last week's figures read from it)")
    parser.add_argument("--no-forecast", action="store_true",
                        help="without the live forecast the desktop computes beside the KPI (ui/forecast_feed.py)")
    parser.add_argument("--no-settle", action="store_true",
                        help="leave Python's collector as it starts (the desktop calls supervisor.collector.settle)")
    parser.add_argument("--no-fold", action="store_true",
                        help="keep every fact until midnight (the KPI engine before folding)")
    parser.add_argument("--trim", action="store_true",
                        help="each hour, also the RSS after gc.collect() and glibc's malloc_trim(0) (Linux)")
    parser.add_argument("--trace", action="store_true",
                        help="with --breakdown: tracemalloc from hour 1, the source lines holding most of what grew (slow)")
    parser.add_argument("--types", action="store_true",
                        help="with --breakdown: the object types whose count grew most since hour 1 (gc-tracked objects)")
    parser.add_argument("--breakdown", action="store_true",
                        help="every 6 simulated hours, the deep size (MB) of what the floor and the builder hold")
    args = parser.parse_args()
    hours = args.days * 24.0 if args.days is not None else args.hours
    start = datetime.fromisoformat(args.start)
    end = start + timedelta(hours=hours)

    from PySide6.QtCore import qInstallMessageHandler

    def quiet(_mode, _context, message: str) -> None:  # type: ignore[no-untyped-def]
        if "propagateSizeHints" not in message:  # the offscreen platform's, once per window
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication(sys.argv[:1])
    from supervisor.kpi.builder import KpiBuilder
    from supervisor.sim.engine import Engine
    from ui import i18n, live as live_module, look
    from ui.clock import ServerClock
    from ui.inbox import Inbox
    from ui.kpi_today import TodayKpi
    from ui.live import LiveFloor

    i18n.install(app, "zh")
    look.apply(app)
    # time runs ~100x faster than the wall: apply every batch at once rather than at
    # most 10 times a (wall) second, so the floor keeps up with the simulated clock
    live_module.APPLY_HZ = 1_000_000.0

    sim_now = [start]
    inbox = Inbox()
    live = LiveFloor(inbox, clock=ServerClock(wall=lambda: sim_now[0]))
    screen: object
    if args.wall:
        from ui.wall import WallDisplay

        screen = WallDisplay(live, beep=False)
    else:
        from ui.main_window import MainWindow

        screen = MainWindow(live)
    screen.resize(1920, 1080)  # type: ignore[attr-defined]
    screen.show()  # type: ignore[attr-defined]

    builder = KpiBuilder()
    today = TodayKpi(builder, fold=not args.no_fold)
    # the desktop journals what it receives (supervisor/feed/client.py: a JournalWriter
    # thread into its SQLite file, the facts kept beside the events) and reads last week
    # and the forecast's week-ago half hour from it (ui/bridge.py)
    writer = store = last_week = None
    journal_dir: Path | None = None
    if not args.no_journal:
        import tempfile

        from supervisor.feed.writer import JournalWriter
        from supervisor.store import Store, journal_row
        from ui.last_week import LastWeek

        journal_dir = Path(tempfile.mkdtemp(prefix="cc-soak-desk-"))
        store = Store(f"sqlite:///{journal_dir / 'journal.db'}")
        writer = JournalWriter(store)
        last_week = LastWeek(store)
    forecaster = None
    if not args.no_forecast:
        from ui.forecast_feed import LiveForecaster

        forecaster = LiveForecaster(store)
    seq = [0]
    if args.in_process:
        engine = Engine(args.seed, start, agents=args.agents)
        encode = msgspec.json.Encoder().encode

        def produce(until: datetime | None) -> list[bytes]:
            messages = ([{"type": "snapshot", "ts": timeutil.fmt(start), "data": engine.snapshot()}]
                        if until is None else engine.advance(until))
            out = []
            for m in messages:
                seq[0] += 1
                out.append(encode({"v": 1, "seq": seq[0], **m}))
            return out
    else:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe()
        child = ctx.Process(target=simulate, args=(theirs, args.seed, start, args.agents), daemon=True)
        child.start()

        def produce(until: datetime | None) -> list[bytes]:
            ours.send(until)
            out: list[bytes] = ours.recv()
            seq[0] += len(out)
            return out

    def decoded(raw: list[bytes]) -> list[wire.Event]:
        out = []
        for text in raw:
            event = wire.decode(text)
            if isinstance(event, wire.Event):
                out.append(event)
        if writer is not None and out:
            writer.submit([journal_row("E-soak", e, text) for e, text in zip(out, raw, strict=True)])
            while writer.backlog:  # live, a batch is committed long before the next arrives
                time.sleep(0.002)
        return out

    def deliver(events: list[wire.Event]) -> None:
        """The feed thread's part (bridge._on_batch), then the main thread's until applied."""
        builder.feed_many(events)
        if forecaster is not None:
            forecaster.observe(events)
        inbox.post_events(events)
        pump()

    def pump() -> None:
        app.processEvents()
        while inbox.pending() or live._backlog:  # noqa: SLF001 - a benchmark watches the slices
            app.processEvents()

    import gc

    gc_time = [0.0, 0, 0.0]  # seconds in full collections, how many, the longest

    def gc_watch(phase: str, info: dict) -> None:  # type: ignore[type-arg]
        if info.get("generation") != 2:
            return
        if phase == "start":
            gc_watch.t0 = time.perf_counter()  # type: ignore[attr-defined]
        else:
            took = time.perf_counter() - gc_watch.t0  # type: ignore[attr-defined]
            gc_time[0] += took
            gc_time[1] += 1
            gc_time[2] = max(gc_time[2], took)

    gc.callbacks.append(gc_watch)
    if not args.no_settle:
        from supervisor import collector

        collector.settle()  # as ui/app.py does before its event loop starts
    proc = psutil.Process()
    t_wall = time.perf_counter()
    deliver(decoded(produce(None)))
    live.tick()

    print(f"soak: {'wall display' if args.wall else 'desk window'} 1920x1080 offscreen, {args.agents} agents, "
          f"{hours:g} simulated hours from {start.isoformat()}, batches of {args.step:g} s, "
          f"KPI every {args.kpi_every:g} simulated s, simulator {'in process' if args.in_process else 'in a child process'}, "
          f"folding {'off' if args.no_fold else 'on'}, journal {'off' if args.no_journal else 'SQLite'}; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    print(f"{'sim time':<17}{'RSS MB':>8}{'wall s':>8}{'events':>9}{'offered':>9}  "
          f"{'KPI refreshes (n, p50/max ms)':<30}{'facts held':<44}floor")
    step = timedelta(seconds=args.step)
    kpi_every = timedelta(seconds=args.kpi_every)
    next_kpi = start
    next_hour = start + timedelta(hours=1)
    hour_events = 0
    hour_kpi: list[float] = []
    all_kpi: list[float] = []
    curve: list[tuple[datetime, float]] = []
    offered = 0
    t_hour = time.perf_counter()
    t = start
    while t < end:
        t = min(t + step, end)
        events = decoded(produce(t))
        hour_events += len(events)
        sim_now[0] = t
        deliver(events)
        live.tick()  # the 1 Hz timer, on the simulated clock
        if t >= next_kpi:
            next_kpi = t + kpi_every
            t0 = time.perf_counter()
            outlook = forecaster.step(builder.facts) if forecaster is not None else None  # before the fold
            figures = today.compute()  # on the feed thread in the app (ui/bridge.py); timed alone here
            if figures is not None and last_week is not None and figures.server_now is not None:
                from dataclasses import replace

                week = last_week.compute(figures.server_now, formula=figures.formula)
                figures = replace(figures, last_week=week)
            if outlook is not None:
                inbox.post_forecast(outlook)
            ms = (time.perf_counter() - t0) * 1000.0
            hour_kpi.append(ms)
            all_kpi.append(ms)
            if figures is not None:
                offered = figures.report.total.offered
                inbox.post_kpi(figures)
                pump()
            if args.each:
                print(f"  KPI refresh at {t:%m-%d %H:%M}: {ms:.1f} ms, today's offered {offered}, "
                      f"RSS {proc.memory_info().rss / 1e6:.1f} MB, Python blocks {sys.getallocatedblocks() / 1e3:.0f}k")
        if t >= next_hour or t >= end:
            next_hour += timedelta(hours=1)
            rss = proc.memory_info().rss / 1e6
            curve.append((t, rss))
            blocks = sys.getallocatedblocks() / 1e3
            sqlite_mb = f", SQLite {sqlite_used() / 1e6:.1f} MB" if writer is not None else ""
            trimmed = ""
            if args.trim:
                import ctypes
                import gc

                gc.collect()
                ctypes.CDLL("libc.so.6").malloc_trim(0)
                trimmed = f" trimmed {proc.memory_info().rss / 1e6:.1f} MB"
            held = facts_held(builder)
            floor = live.floor
            kpi_txt = (f"{len(hour_kpi):>3}, {statistics.median(hour_kpi):>6.1f}/{max(hour_kpi):>6.1f}"
                       if hour_kpi else "  -")
            print(f"{t:%m-%d %H:%M %z}{rss:>8.1f}{time.perf_counter() - t_hour:>8.1f}{hour_events:>9}"
                  f"{offered:>9}  {kpi_txt:<30}"
                  f"{'c {contacts} i {intervals} e {escalations} r {reassignments} b {breach_rows}'.format(**held):<44}"
                  f"cases {len(floor.cases)} esc {len(floor.escalations)} talking {len(floor.talking)} "
                  f"waiting {len(floor.waiting)}; Python blocks {blocks:.0f}k{sqlite_mb}{trimmed}", flush=True)
            if args.types and len(curve) == 1:
                base_types = type_counts()
            if args.trace and len(curve) == 1:
                import tracemalloc

                tracemalloc.start(4)
                base_trace = tracemalloc.take_snapshot()
            if args.breakdown and (len(curve) % 6 == 0 or t >= end):
                print(f"  sizes MB: {breakdown(builder, floor)}", flush=True)
                if args.trace:
                    diff = tracemalloc.take_snapshot().compare_to(base_trace, "traceback")
                    for stat in diff[:12]:
                        where = " <- ".join(f"{Path(fr.filename).name}:{fr.lineno}" for fr in stat.traceback)
                        print(f"    {stat.size_diff / 1e6:+7.1f} MB {stat.count_diff:+8d} blocks  {where}")
                if args.types:
                    grown = type_counts()
                    grown.subtract(base_types)
                    print("  grown since hour 1: " + ", ".join(f"{name} {n:+d}" for name, n in grown.most_common(15)),
                          flush=True)
            hour_events = 0
            hour_kpi = []
            t_hour = time.perf_counter()

    wall_s = time.perf_counter() - t_wall
    print(f"done: {hours:g} simulated hours in {wall_s:.0f} s ({wall_s / max(hours, 1e-9):.1f} s per simulated hour), "
          f"{seq[0]} messages; contacts folded {today.folded}"
          f"{f' (last pass {today.last_fold_ms:.0f} ms)' if today.last_fold_ms is not None else ''}; "
          f"facts forgotten at midnights: builder {today.pruned}"
          f"{f' (last prune {today.last_prune_ms:.0f} ms)' if today.last_prune_ms is not None else ''}, "
          f"floor anomalies {live.floor.anomalies}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"collector: {'settled (supervisor.collector)' if not args.no_settle else 'as Python starts'}; "
          f"{gc_time[1]} full collections, {gc_time[0]:.1f} s in all, longest {gc_time[2] * 1000:.0f} ms")
    if all_kpi:
        print(f"KPI refresh: {len(all_kpi)} refreshes, p50 {statistics.median(all_kpi):.1f} ms, "
              f"max {max(all_kpi):.1f} ms")
    code = report_growth(curve)
    screen.close()  # type: ignore[attr-defined]
    if writer is not None and store is not None and journal_dir is not None:
        writer.close(timeout=600)
        store.close()
        for p in journal_dir.iterdir():
            p.unlink()
        journal_dir.rmdir()
    if not args.in_process:
        ours.send("stop")
        child.join(timeout=10)
    return code


if __name__ == "__main__":
    raise SystemExit(main())

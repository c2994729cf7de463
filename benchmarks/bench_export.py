"""Benchmark of the performance-review workbook (issue 5); prints seconds and peak RSS.

Two scenarios, each in its own child process so each peak RSS is its own:

* ``bank``: a replayed month of the anonymous bank data (January 1999, every day the
  file has) journaled into a SQLite file, then ``export_workbook`` end to end — read
  the journal, KPI engine, seven sheets. Target: <= 10 s.
* ``synthetic``: 1,000,000 contacts over a 30-day month, generated compactly as
  ``wire`` records (no JSON, no database) and fed to the KPI engine; then the exporter
  (``write_workbook``) alone. Targets: exporter <= 90 s and <= 1 GB peak RSS. The KPI
  computation (feeding the facts, the report, the interval table, the lists) is timed
  separately, because it is the engine's cost, not the exporter's.

Usage: .venv/bin/python benchmarks/bench_export.py [bank|synthetic|all] [--contacts N]
"""

from __future__ import annotations

import argparse
import gc
import heapq
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from supervisor import wire  # noqa: E402

BANK_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymous_bank" / "raw_monthly" / "01.txt"
CENTER = timezone(timedelta(hours=8))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def rss_mb() -> float:
    try:
        import psutil

        return float(psutil.Process().memory_info().rss) / 2**20
    except ImportError:  # pragma: no cover
        return float("nan")


# --------------------------------------------------------------------------- bank month


def build_bank_journal(url: str, path: Path) -> tuple[int, int]:
    """Journal every replayable day of ``path`` (one month) into ``url``; (days, events)."""
    from supervisor.sim.replay import ReplayDay, ReplayError
    from supervisor.store import Store
    from tests.export.journals import Journal

    name = path.stem  # 01 -> January 1999
    month = int(name)
    days = 0
    with Store(url) as store:
        j = Journal(store, epoch="E-bank-month")
        first = True
        for day in range(1, 32):
            try:
                src = ReplayDay.from_file(path, f"1999-{month:02d}-{day:02d}")
            except (ReplayError, ValueError):
                continue  # a day the file has no calls for (or no such date)
            if first:
                j.add("snapshot", src.stamp(src.start_ms), src.snapshot())
                first = False
            while not src.finished:
                j.add_all(src.advance_ms(src.now_ms + 6 * 3_600_000))
            days += 1
        j.flush()
        return days, j.count


def bench_bank() -> dict[str, object]:
    from supervisor.export import ExportRequest, export_workbook
    from supervisor.kpi_cli import resolve_period

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bank.db"
        t0 = time.perf_counter()
        days, events = build_bank_journal(url, BANK_FILE)
        setup = time.perf_counter() - t0
        from supervisor.export.source import center_tz_of

        start, end = resolve_period("1999-01-01", "1999-02-01", center_tz_of(url))
        out = Path(tmp) / "bank-month.xlsx"
        gc.collect()
        t1, c1 = time.perf_counter(), time.process_time()
        result = export_workbook(ExportRequest(db_url=url, start=start, end=end, out=out, lang="zh"))
        total, cpu = time.perf_counter() - t1, time.process_time() - c1
        return {
            "scenario": "bank month (replayed 1999-01, SQLite journal, export_workbook end to end)",
            "days": days, "events": events, "journal_setup_s": round(setup, 2),
            "export_s": round(total, 2), "export_cpu_s": round(cpu, 2),
            "stages_s": {k: round(v, 2) for k, v in result.seconds.items()},
            "rows": result.rows, "file_mb": round(out.stat().st_size / 2**20, 2),
            "peak_rss_mb": round(peak_rss_mb(), 1), "target": "export_s <= 10",
        }


# --------------------------------------------------------------------------- synthetic month


QUEUES = ("credit_card", "deposit_transfer", "e_banking", "personal_loan", "wealth", "card_loss_fraud")
QUEUE_NAMES = ("信用卡服务", "储蓄与转账", "网银与手机银行", "个人贷款", "理财", "挂失与反欺诈")


def synthetic_events(contacts: int, *, seed: int = 5, agents: int = 320) -> Iterator[wire.Event]:
    """A 30-day month of ``contacts`` contacts as wire records, agent by agent in time order.

    Arrivals are spread over 08:00-22:00; each is answered by the agent free soonest
    (after a random wait), or abandoned; answered calls have talk, wrap-up and sometimes
    a survey. About 1 in 2,000 contacts opens an escalation; some are reassigned.
    """
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=CENTER)
    day_span = 14 * 3600
    per_day = contacts / 30
    seq = 0
    E = wire

    def ev(cls: type, ts: datetime, data: object) -> wire.Event:
        nonlocal seq
        seq += 1
        return cls(v=1, seq=seq, ts=ts, data=data)  # type: ignore[no-any-return]

    yield ev(E.Snapshot, start, E.SnapshotData(
        queues=tuple(E.Queue(id=q, name=n) for q, n in zip(QUEUES, QUEUE_NAMES))))
    customers = [
        E.Customer(id=f"k-{i:07d}", name=rng.choice("张王李赵刘陈杨黄") + rng.choice("伟芳娜敏静丽强磊军洋"),
                   phone=f"13{rng.randrange(10**9):09d}", segment="vip" if i % 20 == 0 else "standard")
        for i in range(50_000)
    ]
    agent_recs = [
        (f"a-{i:03d}", f"坐席{i:03d}", f"{i // 40 + 1}组") for i in range(agents)
    ]
    free: list[tuple[float, int]] = [(0.0, i) for i in range(agents)]
    heapq.heapify(free)
    owners = [E.Person(id=f"s-{i}", name=f"专员{i}") for i in range(12)]
    lead = E.Person(id="lead-1", name="值班长")
    n = 0
    for day in range(30):
        day0 = start + timedelta(days=day, hours=8)
        count = int(per_day * (day + 1)) - int(per_day * day)
        times = sorted(rng.random() * day_span for _ in range(count))
        for offset in times:
            n += 1
            t = day0 + timedelta(seconds=offset)
            call_id = f"c{n:07d}"
            q = QUEUES[n % 6 if n % 7 else 0]
            yield ev(E.CallQueued, t, E.CallQueuedData(contact=E.Contact(
                call_id=call_id, queue=q, channel="voice", customer=customers[n % 50_000],
                queued_at=t)))
            wait = rng.expovariate(1 / 240)
            if rng.random() < 0.09:  # hangs up while waiting; some within S
                gone = t + timedelta(seconds=min(wait, rng.uniform(1, 1500)))
                yield ev(E.CallAbandoned, gone, E.CallAbandonedData(call_id=call_id, at=gone))
                continue
            free_at, idx = heapq.heappop(free)
            t_s = (t - start).total_seconds()
            answer_s = max(t_s + wait, free_at)
            answered = start + timedelta(seconds=answer_s)
            ended = answered + timedelta(seconds=rng.uniform(60, 600))
            wrapped = ended + timedelta(seconds=rng.uniform(5, 60))
            heapq.heappush(free, ((wrapped - start).total_seconds(), idx))
            aid, name, team = agent_recs[idx]
            yield ev(E.CallAnswered, answered, E.CallAnsweredData(call_id=call_id, agent_id=aid, at=answered))
            yield ev(E.AgentStateChanged, answered, E.AgentStateData(agent=E.Agent(
                agent_id=aid, state="on_call", since=answered, name=name, team=team, call_id=call_id)))
            yield ev(E.CallEnded, ended, E.CallEndedData(call_id=call_id, agent_id=aid, at=ended))
            yield ev(E.AgentStateChanged, ended, E.AgentStateData(agent=E.Agent(
                agent_id=aid, state="wrap_up", since=ended, name=name, team=team)))
            yield ev(E.AgentStateChanged, wrapped, E.AgentStateData(agent=E.Agent(
                agent_id=aid, state="available", since=wrapped, name=name, team=team)))
            if n % 9 == 0:
                yield ev(E.SurveyCompleted, wrapped, E.SurveyCompletedData(
                    call_id=call_id, score=rng.choice((1, 2, 3, 4, 4, 5, 5, 5)), at=wrapped))
            if n % 2000 == 0:
                eid = f"e-{n}"
                owner = owners[n % 12]
                rec = E.Escalation(escalation_id=eid, case_id=f"case-{n}", department="credit_card_center",
                                   owner=owner, severity="normal", status="open", opened_at=ended,
                                   due_at=ended + timedelta(hours=2), summary=f"客户 {customers[n % 50_000].phone} 投诉")
                yield ev(E.EscalationOpened, ended, E.EscalationData(escalation=rec))
                if n % 6000 == 0:
                    at = ended + timedelta(minutes=30)
                    yield ev(E.EscalationReassigned, at, E.EscalationReassignedData(
                        escalation_id=eid, from_owner=owner, to_owner=owners[(n + 1) % 12], by=lead,
                        at=at, reason="专业对口"))
                if n % 4000 == 0:
                    done = ended + timedelta(minutes=rng.uniform(20, 300))
                    yield ev(E.EscalationResolved, done, E.EscalationResolvedData(escalation_id=eid, at=done))


def bench_synthetic(contacts: int) -> dict[str, object]:
    from supervisor.export import collect, write_workbook
    from supervisor.kpi import KpiBuilder

    # what generating the records alone costs (a tenth of the month, scaled up), so that
    # the engine's own share of the feed is visible
    sample = max(contacts // 10, 1)
    g0 = time.process_time()
    for _ in synthetic_events(sample):
        pass
    gen_cpu_s = (time.process_time() - g0) * contacts / sample
    builder = KpiBuilder()
    t0, c0 = time.perf_counter(), time.process_time()
    events = builder.feed_many(synthetic_events(contacts))
    feed_s, feed_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    start = datetime(2026, 11, 1, tzinfo=CENTER)
    end = start + timedelta(days=30)
    t1, c1 = time.perf_counter(), time.process_time()
    data = collect(builder, start, end, formula="abandons_count_against")
    collect_s, collect_cpu_s = time.perf_counter() - t1, time.process_time() - c1
    kpi_peak = peak_rss_mb()
    offered = data.report.total.offered
    del builder
    gc.collect()
    rss_before_write = rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "synthetic-month.xlsx"
        t2, c2 = time.perf_counter(), time.process_time()
        result = write_workbook(data, out, lang="zh")
        write_s, write_cpu_s = time.perf_counter() - t2, time.process_time() - c2
        size = out.stat().st_size
    return {
        "scenario": f"synthetic month, {contacts:,} contacts (wire records fed to the engine, then the exporter)",
        "events": events, "offered": offered,
        "generate_records_cpu_s": round(gen_cpu_s, 1),
        "kpi_feed_s": round(feed_s, 2), "kpi_feed_cpu_s": round(feed_cpu_s, 2),
        "kpi_collect_s": round(collect_s, 2), "kpi_collect_cpu_s": round(collect_cpu_s, 2),
        "kpi_peak_rss_mb": round(kpi_peak, 1),
        "exporter_s": round(write_s, 2), "exporter_cpu_s": round(write_cpu_s, 2),
        "rss_before_exporter_mb": round(rss_before_write, 1),
        "rows": result.rows, "file_mb": round(size / 2**20, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "target": "exporter_s <= 90 and peak_rss_mb <= 1024",
    }


def run_child(scenario: str, contacts: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", scenario, "--contacts", str(contacts)],
        capture_output=True, text=True, cwd=HERE.parent,
    )
    if done.returncode != 0:
        raise SystemExit(f"{scenario} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", nargs="?", default="all", choices=["bank", "synthetic", "all"])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = bench_bank() if args.scenario == "bank" else bench_synthetic(args.contacts)
        print(json.dumps(result, ensure_ascii=False))
        return
    scenarios = ["bank", "synthetic"] if args.scenario == "all" else [args.scenario]
    if "bank" in scenarios and not BANK_FILE.exists():
        print(f"skipping bank: {BANK_FILE} is not on this machine")
        scenarios.remove("bank")
    for scenario in scenarios:
        result = run_child(scenario, args.contacts)
        print(f"\n== {result.pop('scenario')}")
        for key, value in result.items():
            print(f"  {key:24} {value}")
    print(f"\n(python {sys.version.split()[0]}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()

"""Backtest of the forecast on the nine months of the Anonymous Bank (1999), T = 60 s.

For every weekday hour (Sunday–Thursday there, 07:00–23:00) with at least 60 calls
offered in it and in the hour before, predict the hour's service level (answered within
T ÷ (answered + abandoned), KPI.md's default; short abandons are kept, as in
FORECAST.md), abandonment rate (abandoned ÷ offered) and ASA from what was known before
it, and compare with what happened. Calls are read as the data README's replay mapping
says: PHANTOM dropped, HANG before the queue dropped, a call served straight from the VRU
(q_start 0:00:00) is offered with wait 0. The whole center is one pool (its agents take
every type of call).

Predictors:
- naive: the hour before, as it was;
- Erlang A / Erlang C with the product's inputs (``supervisor.forecast.estimate``'s rules
  at hourly grain): λ = the hour before, averaged half and half with the same hour a week
  earlier when the data has it; μ = 1 / mean service time of the hour before; θ =
  abandons ÷ total queue time of the hour before (Erlang C: θ = 0); n = the servers who
  actually started a service in the hour (the issue's rule; FORECAST.md: not the agents
  available, so this over-staffs the model);
- "calibrated": the same, with n fitted on the hour before (the n whose service level
  is closest to the one seen), scaled by the change in servers;
- "persistence + model": the hour before as it was, plus the change the model predicts
  between the hour before and this one (same model, the hour before's inputs vs this
  hour's, n = servers in each).

    .venv/bin/python benchmarks/bench_forecast.py [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from supervisor.forecast import erlang_a

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymous_bank" / "raw_monthly"
T = 60.0
MIN_OFFERED = 60
WEEKDAYS = {6, 0, 1, 2, 3}  # Sunday..Thursday (Python: Monday = 0)


def hms(text: str) -> int:
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


@dataclass
class Hour:
    offered: int = 0
    answered: int = 0
    within: int = 0
    abandoned: int = 0
    wait_answered: float = 0.0
    wait_abandoned: float = 0.0
    service: float = 0.0
    servers: set[str] = field(default_factory=set)

    @property
    def service_level(self) -> float:
        return self.within / (self.answered + self.abandoned)

    @property
    def abandonment(self) -> float:
        return self.abandoned / self.offered

    @property
    def asa(self) -> float | None:
        return self.wait_answered / self.answered if self.answered else None


def load(data: Path) -> dict[tuple[date, int], Hour]:
    hours: dict[tuple[date, int], Hour] = defaultdict(Hour)
    for path in sorted(data.glob("*.txt")):
        with path.open(newline="") as fh:
            reader = csv.reader(fh, delimiter="\t")
            next(reader)
            for row in reader:
                outcome = row[12]
                if outcome == "PHANTOM":
                    continue
                q_start = row[9]
                if outcome == "HANG" and q_start == "0:00:00":
                    continue
                d = row[5]
                day = date(1900 + int(d[:2]) if int(d[:2]) > 50 else 2000 + int(d[:2]), int(d[2:4]), int(d[4:6]))
                queued = hms(row[7]) if q_start == "0:00:00" else hms(q_start)
                wait = float(row[11]) if q_start != "0:00:00" else 0.0
                h = hours[(day, min(queued // 3600, 23))]
                h.offered += 1
                if outcome == "AGENT":
                    h.answered += 1
                    h.within += wait <= T
                    h.wait_answered += wait
                    h.service += float(row[15])
                    if row[16] != "NO_SERVER":
                        h.servers.add(row[16])
                else:
                    h.abandoned += 1
                    h.wait_abandoned += wait
    return hours


@dataclass(frozen=True)
class Inputs:
    lam: float  # per second
    mu: float
    theta: float


def inputs(prev: Hour, week: Hour | None) -> Inputs:
    per_hour = prev.offered if week is None else 0.5 * prev.offered + 0.5 * week.offered
    mean_service = prev.service / prev.answered if prev.answered and prev.service > 0 else 190.0
    exposure = prev.wait_answered + prev.wait_abandoned
    theta = prev.abandoned / exposure if prev.abandoned and exposure > 0 else 0.0
    return Inputs(per_hour / 3600.0, 1.0 / mean_service, theta)


def model(i: Inputs, n: int, erlang_c: bool) -> tuple[float, float, float] | None:
    theta = 0.0 if erlang_c else i.theta
    r = erlang_a(i.lam, i.mu, theta, n, T)
    if not math.isfinite(r.asa):
        return (r.service_level, r.prob_abandon, 3600.0)  # unstable Erlang C: waits without bound (capped)
    return (r.service_level, r.prob_abandon, r.asa)


def calibrate(i: Inputs, seen_sl: float, servers: int, erlang_c: bool) -> int:
    best, best_err = max(1, servers), math.inf
    for n in range(1, max(1, servers) + 1):
        m = model(i, n, erlang_c)
        if m is None:
            continue
        err = abs(m[0] - seen_sl)
        if err < best_err - 1e-12:
            best, best_err = n, err
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    t0 = time.perf_counter()
    hours = load(args.data)
    t_load = time.perf_counter() - t0
    errors: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    names: list[str] = []

    def add(name: str, pred: tuple[float, float, float], actual: Hour) -> None:
        if name not in names:
            names.append(name)
        asa = actual.asa if actual.asa is not None else 0.0
        errors[name].append((abs(pred[0] - actual.service_level), abs(pred[1] - actual.abandonment),
                             abs(pred[2] - asa)))

    count = 0
    for (day, hour), h in sorted(hours.items()):
        if day.weekday() not in WEEKDAYS or not 7 <= hour <= 22:
            continue
        prev = hours.get((day, hour - 1))
        if prev is None or h.offered < MIN_OFFERED or prev.offered < MIN_OFFERED or not h.servers or not prev.servers:
            continue
        count += 1
        week = hours.get((day - timedelta(days=7), hour))
        week_next = week if week is not None and week.offered > 0 else None
        add("naive (the hour before)", (prev.service_level, prev.abandonment, prev.asa or 0.0), h)
        now_in = inputs(prev, week_next)
        prev_in = inputs(prev, None)
        n_now, n_prev = len(h.servers), len(prev.servers)
        for label, c in (("Erlang A", False), ("Erlang C", True)):
            raw = model(now_in, n_now, c)
            if raw is not None:
                add(f"{label}, n = servers", raw, h)
            n_cal = calibrate(prev_in, prev.service_level, n_prev, c)
            scaled = max(1, round(n_cal * n_now / n_prev))
            cal = model(now_in, scaled, c)
            if cal is not None:
                add(f"{label}, n calibrated on the hour before", cal, h)
            before = model(prev_in, n_prev, c)
            if raw is not None and before is not None:
                delta = (min(1.0, max(0.0, prev.service_level + raw[0] - before[0])),
                         min(1.0, max(0.0, prev.abandonment + raw[1] - before[1])),
                         max(0.0, (prev.asa or 0.0) + raw[2] - before[2]))
                add(f"{label}, persistence + model change", delta, h)
    elapsed = time.perf_counter() - t0
    print(f"Anonymous Bank backtest: {count} weekday hours (>= {MIN_OFFERED} offered in the hour and the one before, "
          f"07:00-23:00), T = {T:g} s; read in {t_load:.1f} s, all in {elapsed:.1f} s")
    print(f"{'predictor':48} {'SL MAE':>8} {'aband. MAE':>11} {'ASA MAE':>9}")
    mean: Callable[[list[float]], float] = statistics.fmean
    for name in names:
        e = errors[name]
        print(f"{name:48} {100 * mean([x[0] for x in e]):7.1f}pt {100 * mean([x[1] for x in e]):9.1f}pt "
              f"{mean([x[2] for x in e]):8.1f}s  (n={len(e)})")


if __name__ == "__main__":
    main()

"""Backtest of the forecast on the nine months of the Anonymous Bank (1999), T = 60 s.

For every weekday hour (Sunday–Thursday there, 07:00–23:00) with at least 60 calls
offered in it and in the hour before, predict the hour's service level (answered within
T ÷ (answered + abandoned), KPI.md's default; short abandons are kept, as in
FORECAST.md), abandonment rate (abandoned ÷ offered) and ASA from what was known before
it, and compare with what happened. Calls are read as the data README's replay mapping
says: PHANTOM dropped, HANG before the queue dropped, a call served straight from the VRU
(q_start 0:00:00) is offered with wait 0. The whole center is one pool (its agents take
every type of call).

n, "the servers actually working that hour", is the only input taken from the hour
itself (the issue's rule), read two ways:
- servers: the distinct servers who started a service in the hour (FORECAST.md: not the
  agents available through it; it over-staffs the model);
- logged in: each server counts for the fraction of the hour inside one of their
  sessions, a session running from a service start to a service end with no gap over
  ``SESSION_GAP`` (60 min) between a call's end and the next call's start (gaps longer
  than that are breaks, meetings or off shift). A fractional n is fed to the model by
  linear interpolation between the whole numbers around it.

Inputs known before the hour (never the hour's own calls):
- λ: half the hour before blended with the same hour a week earlier (when the data has
  it, the product's rule), half the hour before × the growth from the previous to this
  hour over the last four same weekdays (the day's shape);
- μ = 1 / mean service time of the hour before (the mean: service times are not
  exponential, Erlang A still takes the mean);
- θ = abandons ÷ total time waited by the served and the abandoned over the previous
  seven days (a window; an hour alone holds a handful of abandons);
- κ, the share of the logged-in agents that the model sees answering: for every past
  hour, κ is the factor on its logged-in n whose Erlang A service level (with that hour's
  own λ, μ, θ) equals the one it showed; the forecast takes the median κ of the hours in
  the seven days before (1 when fewer than five), n = κ × logged in.

Predictors: naive (the hour before, as it was); Erlang A and Erlang C (θ = 0, κ fitted
for Erlang C the same way) with n = servers and the hour before's λ/μ/θ (the first
version), with n = logged in, and with n = κ × logged in; and each model with κ averaged
half and half with the naive figure (the model's level corrected by persistence). A last
line, not a forecast, feeds Erlang A the hour's own λ, μ and θ: how much of the error is
the model and how much the inputs' forecast.

The rule (session gap, λ, θ window, κ window, the even blend) was chosen on January to
April only (1999-01..04); May to October are printed separately as out-of-sample.

    .venv/bin/python benchmarks/bench_forecast.py [--data DIR]
"""

from __future__ import annotations

import argparse
import bisect
import csv
import math
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from supervisor.forecast import erlang_a

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymous_bank" / "raw_monthly"
T = 60.0
MIN_OFFERED = 60
WEEKDAYS = {6, 0, 1, 2, 3}  # Sunday..Thursday (Python: Monday = 0)
SESSION_GAP = 3600  # seconds between a call's end and the next start that end a session
THETA_DAYS = 7
KAPPA_DAYS = 7
PROFILE_WEEKS = 4
CHOSEN_ON_MONTHS = 4  # the rule was chosen on months 1..4; later months are out-of-sample

Figures = tuple[float, float, float]  # service level, abandonment rate, ASA (s)


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
    logged_in: float = 0.0  # agents, by the fraction of the hour inside a session

    @property
    def service_level(self) -> float:
        return self.within / (self.answered + self.abandoned)

    @property
    def abandonment(self) -> float:
        return self.abandoned / self.offered

    @property
    def asa(self) -> float:
        return self.wait_answered / self.answered if self.answered else 0.0

    @property
    def figures(self) -> Figures:
        return (self.service_level, self.abandonment, self.asa)


def load(data: Path) -> dict[tuple[date, int], Hour]:
    hours: dict[tuple[date, int], Hour] = defaultdict(Hour)
    services: dict[tuple[date, str], list[tuple[int, int]]] = defaultdict(list)
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
                        start = hms(row[13])
                        services[(day, row[16])].append((start, start + int(row[15])))
                else:
                    h.abandoned += 1
                    h.wait_abandoned += wait
    for (day, _), calls in services.items():
        calls.sort()
        begin, end = calls[0]
        for s, e in calls[1:]:
            if s - end > SESSION_GAP:
                _log_in(hours, day, begin, end)
                begin = s
            end = max(end, e)
        _log_in(hours, day, begin, end)
    return hours


def _log_in(hours: dict[tuple[date, int], Hour], day: date, begin: int, end: int) -> None:
    for hour in range(begin // 3600, min(23, end // 3600) + 1):
        overlap = min(end, (hour + 1) * 3600) - max(begin, hour * 3600)
        if overlap > 0 and (day, hour) in hours:
            hours[(day, hour)].logged_in += overlap / 3600.0


_cache: dict[tuple[float, float, float, int], Figures] = {}


def model(lam: float, mu: float, theta: float, n: float) -> Figures:
    """Erlang A (θ = 0: Erlang C) at a possibly fractional n: linear between the whole
    numbers around it. An unstable Erlang C's infinite ASA is capped at an hour."""
    n = max(1.0, n)
    lo = int(math.floor(n))
    frac = n - lo
    out = []
    for k in (lo, lo + 1) if frac > 1e-9 else (lo,):
        key = (lam, mu, theta, k)
        if key not in _cache:
            r = erlang_a(lam, mu, theta, k, T)
            _cache[key] = (r.service_level, r.prob_abandon, r.asa if math.isfinite(r.asa) else 3600.0)
        out.append(_cache[key])
    if len(out) == 1:
        return out[0]
    a, b = out
    return (a[0] + frac * (b[0] - a[0]), a[1] + frac * (b[1] - a[1]), a[2] + frac * (b[2] - a[2]))


def fit_kappa(h: Hour, erlang_c: bool) -> float:
    """The factor on the hour's logged-in n whose model service level, with the hour's own
    λ, μ, θ, equals the one it showed (bisection in [0.3, 2])."""
    lam, mu = h.offered / 3600.0, h.answered / h.service
    theta = 0.0 if erlang_c else h.abandoned / (h.wait_answered + h.wait_abandoned)
    lo, hi = 0.3, 2.0
    if model(lam, mu, theta, hi * h.logged_in)[0] < h.service_level:
        return hi
    if model(lam, mu, theta, lo * h.logged_in)[0] > h.service_level:
        return lo
    for _ in range(12):
        mid = 0.5 * (lo + hi)
        if model(lam, mu, theta, mid * h.logged_in)[0] < h.service_level:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    t0 = time.perf_counter()
    hours = load(args.data)
    t_load = time.perf_counter() - t0

    def eligible(day: date, hour: int, h: Hour) -> bool:
        return day.weekday() in WEEKDAYS and 7 <= hour <= 22 and h.offered >= MIN_OFFERED

    # κ of every past hour with calls, waits and agents, in time order (for the forecast's median)
    kappa_keys: list[tuple[date, int]] = []
    kappa: dict[bool, list[float]] = {False: [], True: []}
    for (day, hour), h in sorted(hours.items()):
        if eligible(day, hour, h) and h.logged_in > 0 and h.service > 0 and h.wait_answered + h.wait_abandoned > 0:
            kappa_keys.append((day, hour))
            for c in (False, True):
                kappa[c].append(fit_kappa(h, c))
    # abandons and time waited per day (θ's window)
    daily: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (day, _), h in hours.items():
        daily[day][0] += h.abandoned
        daily[day][1] += h.wait_answered + h.wait_abandoned

    def theta_before(day: date) -> float:
        ab = sum(daily[d][0] for d in (day - timedelta(days=i) for i in range(1, THETA_DAYS + 1)) if d in daily)
        waited = sum(daily[d][1] for d in (day - timedelta(days=i) for i in range(1, THETA_DAYS + 1)) if d in daily)
        return ab / waited if waited > 0 else 0.0

    def growth(day: date, hour: int) -> float:
        num = den = 0
        for k in range(1, PROFILE_WEEKS + 1):
            a, b = hours.get((day - timedelta(days=7 * k), hour)), hours.get((day - timedelta(days=7 * k), hour - 1))
            if a is not None and b is not None and b.offered > 0:
                num, den = num + a.offered, den + b.offered
        return num / den if den else 1.0

    def kappa_before(day: date, hour: int, erlang_c: bool) -> float:
        i = bisect.bisect_left(kappa_keys, (day, hour))
        j = bisect.bisect_left(kappa_keys, (day - timedelta(days=KAPPA_DAYS), 0))
        past = kappa[erlang_c][j:i]
        return statistics.median(past) if len(past) >= 5 else 1.0

    names: list[str] = []
    errors: dict[str, dict[str, list[Figures]]] = defaultdict(lambda: defaultdict(list))

    def add(name: str, pred: Figures, actual: Hour, part: str) -> None:
        if name not in names:
            names.append(name)
        a = actual.figures
        errors[name][part].append((abs(pred[0] - a[0]), abs(pred[1] - a[1]), abs(pred[2] - a[2])))

    count = 0
    for (day, hour), h in sorted(hours.items()):
        if not eligible(day, hour, h):
            continue
        prev = hours.get((day, hour - 1))
        if prev is None or prev.offered < MIN_OFFERED or not h.servers or not prev.servers:
            continue
        count += 1
        part = "chosen" if day.month <= CHOSEN_ON_MONTHS else "out"
        week = hours.get((day - timedelta(days=7), hour))
        naive = prev.figures
        add("naive (the hour before)", naive, h, part)
        lam_prev = prev.offered / 3600.0
        lam_week = (0.5 * prev.offered + 0.5 * week.offered) / 3600.0 if week is not None and week.offered else lam_prev
        lam = 0.5 * lam_week + 0.5 * lam_prev * growth(day, hour)
        mu = prev.answered / prev.service if prev.service > 0 else 1.0 / 190.0
        exposure = prev.wait_answered + prev.wait_abandoned
        theta_prev = prev.abandoned / exposure if exposure > 0 else 0.0
        theta = theta_before(day)
        for label, c in (("Erlang A", False), ("Erlang C", True)):
            th = 0.0 if c else theta
            add(f"{label}, n = servers, inputs of the hour before",
                model(lam_week, mu, 0.0 if c else theta_prev, len(h.servers)), h, part)
            add(f"{label}, n = logged in", model(lam, mu, th, h.logged_in), h, part)
            k = kappa_before(day, hour, c)
            kap = model(lam, mu, th, k * h.logged_in)
            add(f"{label}, n = κ × logged in", kap, h, part)
            add(f"{label} (κ) and naive, half and half",
                (0.5 * (kap[0] + naive[0]), 0.5 * (kap[1] + naive[1]), 0.5 * (kap[2] + naive[2])), h, part)
        # not a forecast: how well the model explains the hour given the hour's own λ, μ, θ
        own_exposure = h.wait_answered + h.wait_abandoned
        own = model(h.offered / 3600.0, h.answered / h.service if h.service > 0 else mu,
                    h.abandoned / own_exposure if own_exposure > 0 else 0.0,
                    kappa_before(day, hour, False) * h.logged_in)
        add("(diagnostic) Erlang A, the hour's own λ, μ, θ", own, h, part)
    elapsed = time.perf_counter() - t0
    print(f"Anonymous Bank backtest: {count} weekday hours (>= {MIN_OFFERED} offered in the hour and the one before, "
          f"07:00-23:00), T = {T:g} s; read in {t_load:.1f} s, all in {elapsed:.1f} s")
    print(f"MAE: service level (pt) / abandonment (pt) / ASA (s); rule chosen on months 1-{CHOSEN_ON_MONTHS}, "
          f"months {CHOSEN_ON_MONTHS + 1}-10 out-of-sample")
    print(f"{'predictor':52} {'all':>20} {'Jan-Apr (chosen)':>20} {'May-Oct (out)':>20}")

    def cell(e: list[Figures]) -> str:
        f = statistics.fmean
        return f"{100 * f(x[0] for x in e):5.1f} {100 * f(x[1] for x in e):5.1f} {f(x[2] for x in e):6.1f}"

    for name in names:
        parts = errors[name]
        every = parts["chosen"] + parts["out"]
        print(f"{name:52} {cell(every):>20} {cell(parts['chosen']):>20} {cell(parts['out']):>20}")
    # paired difference with the naive baseline, hour by hour (mean ± 2 standard errors)
    base = errors[names[0]]
    for name in ("Erlang A, n = κ × logged in", "Erlang A (κ) and naive, half and half"):
        for part, label in (("chosen", "Jan-Apr"), ("out", "May-Oct")):
            out = []
            for i, unit in ((0, "pt"), (1, "pt")):
                d = [100 * (a[i] - b[i]) for a, b in zip(errors[name][part], base[part], strict=True)]
                se = statistics.stdev(d) / math.sqrt(len(d))
                out.append(f"{statistics.fmean(d):+.1f} ± {2 * se:.1f} {unit}")
            print(f"{name} minus naive, {label}: service level {out[0]}, abandonment {out[1]}")


if __name__ == "__main__":
    main()

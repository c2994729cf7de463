"""The live forecast on the feed thread (``ui.forecast_feed``): estimates from an hour of
traffic checked against an independent computation from the scene's own ground truth
(not through the KPI engine), unchanged by the folding the desktop's KPI builder does,
the week-ago blend read from a real SQLite journal, and the real ``FeedBridge`` posting
forecasts computed on its own thread."""

from __future__ import annotations

import asyncio
import math
import threading
from datetime import timedelta

from supervisor.forecast import agents_needed, erlang_a
from supervisor.forecast.estimate import STAFFED
from tests.ui.events import T0
from tests.ui.forecast_scene import AGENTS, events, forecast_of, traffic

AT = T0.timestamp()


def independent() -> dict[str, dict[str, float]]:
    """λ, mean handle, θ and n per queue straight from the scene's generator (KPI.md's
    definitions by hand: handle = talk + wrap-up of calls whose wrap-up ended)."""
    items, waiting = traffic()
    queued: dict[str, float] = {}
    queue_of: dict[str, str] = {}
    answered: dict[str, tuple[float, str]] = {}
    recent: dict[str, int] = {}
    abandons: dict[str, int] = {}
    waited: dict[str, float] = {}
    ends: list[tuple[float, str, str]] = []  # (ended, call, agent)
    wraps: dict[str, list[float]] = {}
    for ts, kind, payload in items:
        t = ts.timestamp()
        if kind == "queued":
            queued[payload["call_id"]] = t
            queue_of[payload["call_id"]] = q = payload["queue"]
            if AT - 1800 <= t:
                recent[q] = recent.get(q, 0) + 1
        elif kind in ("abandoned", "answered"):
            cid = payload if kind == "abandoned" else payload[0]
            q = queue_of[cid]
            if kind == "answered":
                answered[cid] = (t, payload[1])
            if AT - 3600 <= t:
                waited[q] = waited.get(q, 0.0) + t - queued[cid]
                abandons[q] = abandons.get(q, 0) + (kind == "abandoned")
        elif kind == "ended":
            ends.append((t, payload[0], payload[1]))
        elif kind == "wrapped":
            wraps.setdefault(payload, []).append(t)
    for rec in waiting:
        q = rec["queue"]
        waited[q] = waited.get(q, 0.0) + AT - max(queued[rec["call_id"]], AT - 3600)
    handles: dict[str, list[float]] = {}
    for end, cid, agent in ends:
        wrap_end = min((w for w in wraps.get(agent, []) if w >= end), default=None)
        if wrap_end is not None and AT - 3600 <= end:
            handles.setdefault(queue_of[cid], []).append(end - answered[cid][0] + wrap_end - end)
    out: dict[str, dict[str, float]] = {}
    for q in ("credit_card", "deposit_transfer", "e_banking", "personal_loan"):
        h = handles.get(q, [])
        out[q] = {"lam": 2.0 * recent.get(q, 0), "handle": sum(h) / len(h) if h else math.nan,
                  "abandons": abandons.get(q, 0), "waited": waited.get(q, 0.0), "recent": recent.get(q, 0)}
    load = {q: v["lam"] * v["handle"] for q, v in out.items()}
    share = dict.fromkeys(out, 0.0)
    for _, state, skills, _ in AGENTS:
        if state in STAFFED:
            total = sum(load[q] for q in skills)
            for q in skills:
                share[q] += load[q] / total
    for q in out:
        out[q]["share"] = share[q]
    return out


def test_estimates_match_an_independent_computation_through_the_folding_kpi_path() -> None:
    outlook, today, forecaster = forecast_of(events())
    assert today.folded > 100  # most of the hour was folded away before the forecast
    expected = independent()
    assert math.isclose(outlook.at, AT, abs_tol=1e-5) and outlook.observed_since == AT - 3600
    assert not outlook.week_covered  # no journal
    for q, e in expected.items():
        i = outlook.queues[q].inputs
        assert i.recent_contacts == e["recent"], q
        assert math.isclose(i.arrivals_per_hour, e["lam"]), q
        assert math.isclose(i.mean_handle_seconds, e["handle"]), q
        assert i.abandons == e["abandons"], q
        assert math.isclose(i.waiting_seconds, e["waited"], rel_tol=1e-9), q
        assert math.isclose(i.agent_share, e["share"], rel_tol=1e-9), q
        assert i.agents == math.floor(e["share"] + 0.5), q
    cc = outlook.queues["credit_card"]
    e = expected["credit_card"]
    lam, mu, theta = e["lam"] / 3600, 1 / e["handle"], e["abandons"] / e["waited"]
    assert math.isclose(cc.service_level, erlang_a(lam, mu, theta, 6, 900).service_level, rel_tol=1e-9)
    assert cc.extra_agents == agents_needed(lam, mu, theta, 900, 0.8) - 6 == 1
    # who could come back to credit card: four single-skilled, and dp-5 shared with deposits
    assert cc.away_with_skill == 5
    assert cc.comebacks[0].agent_id == "cc-6" and cc.comebacks[0].needed  # the longest break
    dp5 = next(c for c in cc.comebacks if c.agent_id == "dp-5")
    load_cc, load_dp = e["lam"] * e["handle"], expected["deposit_transfer"]["lam"] * expected["deposit_transfer"]["handle"]
    assert math.isclose(dp5.share, load_cc / (load_cc + load_dp))
    # too few contacts there: no number
    assert outlook.queues["e_banking"].service_level is None and outlook.queues["e_banking"].thin == ("few_contacts",)


def test_the_harvest_loses_nothing_to_folding() -> None:
    """The same events into a builder that never folds, forecast once: the same inputs."""
    from supervisor.kpi.builder import KpiBuilder
    from ui.forecast_feed import LiveForecaster

    evs = events()
    folded, _, _ = forecast_of(evs)
    builder = KpiBuilder()
    forecaster = LiveForecaster()
    for e in evs:
        builder.feed(e)
    forecaster.observe(evs)
    whole = forecaster.step(builder.facts)
    assert whole is not None
    for q in whole.queues:
        assert whole.queues[q].inputs == folded.queues[q].inputs


def _journal(url: str, evs: list, epoch: str = "e1") -> None:
    from supervisor import wire
    from supervisor.store import Store, journal_row

    with Store(url) as store:
        store.append([journal_row(epoch, e, wire.encode(e)) for e in evs])


def test_week_ago_from_a_real_journal(tmp_path) -> None:
    """The same hour a week earlier in the journal: λ is blended half and half with it."""
    from supervisor.store import Store
    from tests.ui.events import Stream, contact

    url = f"sqlite:///{tmp_path / 'journal.db'}"
    week = T0 - timedelta(days=7)
    s = Stream(week - timedelta(hours=1))
    old = [s.snapshot([{"id": "credit_card", "name": "信用卡服务", "sla_seconds": 900, "warn_seconds": 600}])]
    # a week ago: 30 credit card contacts queued in [T0 − 7 d, T0 − 7 d + 30 min), 5 just outside it
    for k in range(35):
        s.now = week + timedelta(seconds=60 * k)
        old.append(s.queued(contact(f"w{k}", "credit_card", s.now)))
    _journal(url, old)
    evs = events()
    with Store(url) as store:
        outlook, _, forecaster = forecast_of(evs, store)
        assert forecaster.week is not None and forecaster.week.loads >= 1
    assert outlook.week_covered
    cc = outlook.queues["credit_card"].inputs
    expected = independent()["credit_card"]
    assert cc.week_contacts == 30
    assert math.isclose(cc.arrivals_per_hour, 0.5 * expected["lam"] + 0.5 * 60.0)
    url2 = f"sqlite:///{tmp_path / 'late.db'}"
    # the journal began an hour before the interval (a snapshot) but misses its first
    # 19 minutes: covered, and the 11 contacts it holds count
    _journal(url2, old[:1] + old[20:])
    with Store(url2) as store:
        outlook2, _, _ = forecast_of(evs, store)
    assert outlook2.week_covered and outlook2.queues["credit_card"].inputs.week_contacts == 11
    url3 = f"sqlite:///{tmp_path / 'later.db'}"
    _journal(url3, old[20:])  # began inside the interval (T0 − 7 d + 19 min): no blend
    with Store(url3) as store:
        outlook3, _, _ = forecast_of(evs, store)
    assert not outlook3.week_covered and outlook3.queues["credit_card"].inputs.week_contacts is None


def test_the_bridge_posts_forecasts_computed_on_the_feed_thread(qtbot, monkeypatch) -> None:
    from ui.bridge import FeedBridge
    from ui.forecast_feed import LiveForecaster
    from ui.inbox import Inbox

    evs = events()
    expected, _, _ = forecast_of(evs)
    threads: list[str] = []
    original = LiveForecaster.compute

    def compute(self, facts, targets=None):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return original(self, facts, targets)

    monkeypatch.setattr(LiveForecaster, "compute", compute)
    started = threading.Event()

    class Client:
        def __init__(self, *_a, on_batch, **_k) -> None:
            self.on_batch = on_batch
            self._stop = asyncio.Event()

        async def run(self) -> None:
            for k in range(0, len(evs), 100):
                self.on_batch(evs[k:k + 100])
                await asyncio.sleep(0)
            started.set()
            await self._stop.wait()

        async def stop(self) -> None:
            self._stop.set()

    inbox = Inbox()
    bridge = FeedBridge(inbox, "ws://x", "t", client_factory=Client)
    bridge.start()
    got: list = []
    try:
        assert started.wait(10)

        def final() -> bool:
            drained = inbox.drain()
            if drained.forecast is not None:
                got.append(drained.forecast)
            return bool(got) and abs(got[-1].at - AT) < 1e-3
        qtbot.waitUntil(final, timeout=15_000)
    finally:
        bridge.stop()
    assert set(threads) == {"feed"}
    last = got[-1]
    for q in expected.queues:
        assert last.queues[q].inputs == expected.queues[q].inputs

"""Same time last week (issue 12 point 3): figures read from a real SQLite journal holding
last week's events, checked against KPI.md by hand (``last_week_scene.oracle``), blank
when the journal does not reach back, computed on the feed thread, shown on the desk
tiles, the wall tiles and the trend charts. Times are the scene's server times."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from tests.ui.events import T0
from tests.ui.last_week_scene import WEEK, journal, oracle, week_day, week_events, week_traffic
from ui.last_week import LastWeek, arrow

DAY = week_day(T0)  # last week's midnight


def _store(tmp_path, name="journal.db", **kw):
    from supervisor.store import Store

    truth = week_traffic(DAY)
    url = f"sqlite:///{tmp_path / name}"
    journal(url, week_events(DAY, truth, **kw))
    return Store(url), truth


def _check(report_figures, expected) -> None:
    f = report_figures
    assert (f.offered, f.answered, f.abandoned, f.short_abandoned, f.waiting) == (
        expected.offered, expected.answered, expected.abandoned, expected.short, expected.waiting)
    assert f.service_level == expected.service_level
    assert f.asa_seconds == expected.asa


def test_week_ago_figures_equal_kpi_md_by_hand(tmp_path) -> None:
    store, truth = _store(tmp_path)
    with store:
        last = LastWeek(store, settle_margin_s=60.0)
        now = T0 + timedelta(minutes=17, seconds=3)  # 09:17:03 today
        at = now - WEEK
        week = last.compute(now)
        assert week is not None and week.at == at
        expected = oracle(truth, DAY, at)
        assert expected.waiting >= 1 and expected.short >= 1 and expected.abandoned >= 1
        _check(week.report.total, expected)
        for q in ("credit_card", "e_banking"):
            _check(week.report.queues[q], oracle(truth, DAY, at, {q}))
        # the clock moves on: only the new slice is read, and the figures equal a fresh reader's
        read = last.events_read
        later = now + timedelta(minutes=41)
        week2 = last.compute(later)
        assert week2 is not None and last.starts == 1 and last.events_read > read
        _check(week2.report.total, oracle(truth, DAY, later - WEEK))
        fresh = LastWeek(store).compute(later)
        assert fresh is not None and fresh.report.total == week2.report.total
        assert last.events_read == LastWeek(store).events_read + sum(
            1 for _ in store.iter_events(since=DAY, until=later - WEEK))
        # a narrower scope and another formula, over the same journal
        scoped = last.compute(later, formula="answered_only", queues=["credit_card"])
        assert scoped is not None and list(scoped.report.queues) == ["credit_card"]
        exp = oracle(truth, DAY, later - WEEK, {"credit_card"})
        assert scoped.report.total.service_level == exp.answered_only
        assert scoped.report.total.offered == exp.offered


def test_week_ago_intervals_lie_under_today(tmp_path) -> None:
    store, truth = _store(tmp_path)
    with store:
        now = T0 + timedelta(minutes=25)
        week = LastWeek(store).compute(now)
    assert week is not None
    at = now - WEEK
    by_start = {p.start: p for p in week.intervals}
    for half in range(16, 19):  # 08:00, 08:30, 09:00 (09:00-09:25 so far)
        start = DAY + timedelta(minutes=30 * half)
        point = by_start[start + WEEK]  # moved on a week: under today's 08:00, 08:30, 09:00
        exp = oracle(truth, DAY, at, start=start, end=start + timedelta(minutes=30))
        assert (point.offered, point.service_level) == (exp.offered, exp.service_level)
    assert max(by_start) == DAY + WEEK + timedelta(hours=9)  # nothing after the same time


def test_blank_when_the_journal_does_not_reach_back(tmp_path) -> None:
    # the journal began at 07:00 that day (after its midnight): no figures, not zeros
    store, _ = _store(tmp_path, "late.db", began=-timedelta(hours=7))
    with store:
        assert LastWeek(store).compute(T0) is None
    # a journal that began two weeks ago but holds nothing of that day (desktop off)
    from supervisor.store import Store
    from tests.ui.events import Stream, queue

    url = f"sqlite:///{tmp_path / 'off.db'}"
    s = Stream(DAY - timedelta(days=7))
    journal(url, [s.snapshot([queue("credit_card", "信用卡服务")])])
    s.now = DAY + timedelta(days=2)
    journal(url, [s.snapshot([queue("credit_card", "信用卡服务")])], epoch="e2")
    with Store(url) as off:
        assert LastWeek(off).compute(T0) is None
    # an empty journal
    with Store(f"sqlite:///{tmp_path / 'empty.db'}") as empty:
        assert LastWeek(empty).compute(T0) is None


def test_arrow() -> None:
    assert [arrow(2, 1), arrow(1, 2), arrow(1, 1), arrow(None, 1), arrow(1, None)] == ["↑", "↓", "→", "", ""]


def test_the_bridge_computes_last_week_on_the_feed_thread(qtbot, monkeypatch, tmp_path) -> None:
    """The real FeedBridge over a real journal: its KPI posts carry last week's figures,
    computed on the feed thread, equal to KPI.md by hand."""
    from tests.ui.scenes import busy_floor
    from ui.bridge import FeedBridge
    from ui.inbox import Inbox

    truth = week_traffic(DAY)
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    journal(url, week_events(DAY, truth))
    live, _ = busy_floor()
    evs = live.scene_events  # type: ignore[attr-defined]
    threads: list[str] = []
    original = LastWeek.compute

    def compute(self, now, **kw):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return original(self, now, **kw)

    monkeypatch.setattr(LastWeek, "compute", compute)
    started = threading.Event()

    class Client:
        def __init__(self, *_a, on_batch, **_k) -> None:
            self.on_batch = on_batch
            self._stop = asyncio.Event()

        async def run(self) -> None:
            self.on_batch(evs)
            started.set()
            await self._stop.wait()

        async def stop(self) -> None:
            self._stop.set()

    inbox = Inbox()
    bridge = FeedBridge(inbox, "ws://x", "t", client_factory=Client, db_url=url)
    bridge.start()
    got: list = []
    try:
        assert started.wait(10)

        def posted() -> bool:
            kpi = inbox.drain().kpi
            if kpi is not None and kpi.last_week is not None:
                got.append(kpi)
            return bool(got)
        qtbot.waitUntil(posted, timeout=15_000)
    finally:
        bridge.stop()
    assert set(threads) == {"feed"}
    kpi = got[-1]
    at = kpi.server_now - WEEK
    assert kpi.last_week.at == at
    _check(kpi.last_week.report.total, oracle(truth, DAY, at))

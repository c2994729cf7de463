"""The desktop for the spec tests: the real ``command-center`` process (offscreen Qt), and the
same objects ``ui.app.run_desktop`` builds, in this process, to read what it shows.

The app has no hook that prints its tiles, so a desktop whose figures a test reads runs
here: ``Shell`` with a ``FeedBridge`` factory exactly as ``run_desktop`` makes it (feed
thread, journal store, ``KpiBuilder`` + ``TodayKpi``, ``LiveFloor``, windows). Waits are
bounded polls that keep the Qt event loop turning (the floor drains its inbox there).

Also: the oracle's figures of a day in which some contacts still wait (KPI.md: they are
offered; a breach once their live wait passes T), and the journal's hole as the
product's own ``Store`` counts it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.spec import harness as h
from tests.spec.oracle import Contact, figures, ratio

# the offscreen platform cannot propagate size hints of top-level windows (as tests/ui/conftest.py)
QT_OFFSCREEN = "This plugin does not support (propagateSizeHints|raise)"

FIGURE_KEYS = ("offered", "answered", "abandoned", "short_abandoned", "waiting", "outcome_unknown",
               "answered_within_sla", "service_level", "abandonment_rate", "asa_seconds",
               "max_wait_seconds", "aht_seconds", "sla_breaches", "csat", "csat_top2_share")


class DesktopProcess(h.ChildProcess):
    """``command-center --url URL --token T --db DB`` as a child process, offscreen, with
    its own home (its QSettings and data directory are the test's)."""

    what = "the desktop"

    def __init__(self, url: str, db: Path, home: Path, token: str = "T") -> None:
        home.mkdir(parents=True, exist_ok=True)
        env = {**h.ENV, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
               "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share")}
        super().__init__(["--url", url, "--token", token, "--db", f"sqlite:///{db}", "--lang", "en"], env)

    def __enter__(self) -> DesktopProcess:
        return self


@contextmanager
def desktop(url: str, db: Path, token: str = "T") -> Iterator[Any]:
    """The desktop of ``run_desktop`` in this process (a QApplication must exist): the
    ``Shell``, started; disposed (feed stopped, journal flushed) on the way out."""
    from ui.bridge import FeedBridge
    from ui.shell import Shell

    db_url = f"sqlite:///{db}"

    def factory(inbox: Any) -> FeedBridge:
        return FeedBridge(inbox, url, token, db_url=db_url)

    shell = Shell(None, bridge_factory=factory, db_url=db_url, lang="en", beep=False)
    shell.start()
    try:
        yield shell
    finally:
        shell.dispose()


def wait_until(qtbot: Any, predicate: Callable[[], Any], what: str, timeout: float = 20.0) -> None:
    """``predicate`` true within ``timeout`` s, the Qt event loop turning meanwhile."""
    from pytestqt.exceptions import TimeoutError as QtTimeout

    try:
        qtbot.waitUntil(lambda: bool(predicate()), timeout=int(timeout * 1000))
    except (AssertionError, QtTimeout):
        raise AssertionError(f"timed out waiting for {what}") from None


def shown(live: Any) -> dict[str, dict[str, Any]] | None:
    """The desktop's today figures: per queue and ``total``, in ``kpi --json``'s keys."""
    today = live.kpi
    if today is None:
        return None
    report = today.report
    out = {q: f.to_json() for q, f in report.queues.items()}
    out["total"] = report.total.to_json()
    return out


def computed(report: dict[str, Any], queues: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The same figures from a ``kpi --json`` object."""
    out = {q: h.pick(report["queues"].get(q, {}), FIGURE_KEYS) for q in queues}
    out["total"] = h.pick(report["total"], FIGURE_KEYS)
    return out


def same_as_cli(live: Any, cli: dict[str, Any], queues: tuple[str, ...]) -> Callable[[], bool]:
    want = computed(cli, queues)

    def check() -> bool:
        got = shown(live)
        return got is not None and {k: h.pick(got.get(k, {}), FIGURE_KEYS) for k in want} == want

    return check


def today_figures(contacts: list[Contact], now: datetime, queue: str | None = None) -> dict[str, Any]:
    """``oracle.figures`` for a day in which some contacts still wait at ``now``: they are
    offered, not answered or abandoned, and a breach once ``now - queued_at > T``."""
    cs = [c for c in contacts if queue is None or c.queue == queue]
    done = [c for c in cs if c.outcome]
    waiting = [c for c in cs if not c.outcome]
    out = figures(done)
    out["offered"] = len(cs)
    out["abandonment_rate"] = ratio(out["abandoned"], len(cs) - out["short_abandoned"])
    out["sla_breaches"] += sum(1 for c in waiting if now - c.queued_at > timedelta(seconds=c.T))
    return out


def missing_events(db: Path) -> int:
    """The journal's hole as the product's ``Store`` counts it."""
    from supervisor.store import Store

    store = Store(f"sqlite:///{db}")
    try:
        return store.missing_events()
    finally:
        store.close()


def epochs(db: Path) -> set[str]:
    return {r[0] for r in h.rows(db)}


def snapshot_parts(db: Path, seq: int) -> list[tuple[int, dict[str, Any]]]:
    """(part, data) of the journaled snapshot rows at ``seq``, in journal order."""
    return [(r[2], json.loads(r[4])["data"]) for r in h.snapshots(db) if r[1] == seq]

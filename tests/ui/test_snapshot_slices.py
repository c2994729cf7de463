"""A snapshot arriving through the inbox is applied in slices: the reducer and the waiting
list in one turn of the event loop, the agents' board in the next, the escalations and
the announcement (``changed``) in the last; other events (paints, input, timers) run
between them, and events that arrived meanwhile are applied only after the last slice."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QTimer

from tests.ui.events import agent, contact, escalation
from tests.ui.scenes import QUEUES, T0, Stream
from ui.inbox import Inbox
from ui.live import LiveFloor


def _snapshot(s: Stream, agents: int) -> object:
    return s.snapshot(
        QUEUES,
        [agent(f"a-{i:04d}", "available", T0 - timedelta(minutes=1), team="一组") for i in range(agents)],
        [contact(f"c-{i:03d}", QUEUES[i % 7]["id"], T0 - timedelta(seconds=10 * i)) for i in range(40)],
        [],
        [escalation(f"e-{i}", T0 + timedelta(hours=1), T0 - timedelta(hours=1)) for i in range(5)],
    )


def test_a_snapshot_is_applied_in_slices_with_the_event_loop_running_between(qtbot):
    s = Stream()
    live = LiveFloor(Inbox())
    log: list[str] = []
    live.waiting.modelReset.connect(lambda: log.append("waiting"))
    live.agents.modelReset.connect(lambda: log.append("agents"))
    live.escalations.modelReset.connect(lambda: log.append("escalations"))
    live.changed.connect(lambda changes: log.append("changed" if changes.reset else "events"))

    class Ticker:
        """A 0 ms timer that notes each turn of the event loop it gets."""

        def __init__(self) -> None:
            self.timer = QTimer()
            self.timer.setInterval(0)
            self.timer.timeout.connect(lambda: log.append("turn") if log and log[-1] != "turn" else None)
            self.timer.start()

    ticker = Ticker()
    live.inbox.post_events([_snapshot(s, 300)])
    # events posted while the snapshot is going in wait for it
    later = s.queued(contact("late-1", QUEUES[0]["id"], s.now))
    QTimer.singleShot(0, lambda: live.inbox.post_events([later]))
    qtbot.waitUntil(lambda: "events" in log, timeout=5_000)
    ticker.timer.stop()
    steps = [x for x in log if x != "turn"]
    assert steps == ["waiting", "agents", "escalations", "changed", "events"]
    # the event loop ran between each slice (paints and input would have had their turn)
    assert log.index("turn", log.index("waiting")) < log.index("agents")
    assert log.index("turn", log.index("agents")) < log.index("escalations")
    assert live.agents.rowCount() == 300 and live.agents_filtered.rowCount() == 300
    assert live.escalations.rowCount() == 5
    assert live.waiting.row_of("late-1") is not None and live.waiting.rowCount() == 41
    assert not live.rebuilding()


def test_apply_called_directly_stays_synchronous(qtbot):
    s = Stream()
    live = LiveFloor(Inbox())
    changed: list[object] = []
    live.changed.connect(changed.append)
    live.apply([_snapshot(s, 20)])
    assert live.agents.rowCount() == 20 and live.escalations.rowCount() == 5 and len(changed) == 1

"""The SLA chip of a waiting contact always agrees with the wait shown beside it."""

from __future__ import annotations

from datetime import timedelta

from supervisor.floor import Floor
from tests.ui.events import T0, Stream, contact, queue
from ui.models.base import STATE_ROLE
from ui.models.waiting import WaitingModel

QUEUES = [queue("credit_card", "信用卡服务")]


def _cells(model: WaitingModel, row: int) -> tuple[str, str, str]:
    wait = model.index(row, model.WAIT)
    return wait.data(), wait.data(STATE_ROLE), model.index(row, model.BREACH_IN).data()


def test_chip_follows_the_wait_before_any_tick_and_between_ticks(qtbot) -> None:
    s = Stream()
    floor = Floor()
    model = WaitingModel(floor)
    # queued 19:42 before the snapshot's time: past T = 15:00 already
    model.apply(floor.apply_batch([s.snapshot(QUEUES, waiting=[
        contact("c-1", "credit_card", T0 - timedelta(minutes=19, seconds=42))])]))
    assert _cells(model, 0) == ("19:42", "breached", "-4:42")

    # a contact queued later in the stream, classified when the floor's clock was earlier
    s.advance(60)
    model.apply(floor.apply_batch([s.queued(contact("c-2", "credit_card", s.now - timedelta(minutes=9, seconds=59)))]))
    model.tick(s.now)
    row = model.row_of("c-2")
    assert row is not None
    assert _cells(model, row) == ("9:59", "ok", "5:01")
    # the server clock moves on and the wait passes W then T: the chip moves with it even
    # if the views paint before the next tick has re-classified the row
    model._now = s.now + timedelta(seconds=2)  # what a paint between ticks sees
    assert _cells(model, row) == ("10:01", "warning", "4:59")
    model._now = s.now + timedelta(minutes=5, seconds=2)
    assert _cells(model, row) == ("15:01", "breached", "-0:01")

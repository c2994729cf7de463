"""The stream position rules on their own: duplicates, gaps, snapshots, backfill."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from supervisor.feed.position import StreamPosition, Verdict


def test_contiguous_events_are_accepted_and_old_ones_are_duplicates() -> None:
    pos = StreamPosition("E", 10)
    assert [pos.check(s) for s in (11, 12, 12, 5, 13)] == [
        Verdict.ACCEPT, Verdict.ACCEPT, Verdict.DUPLICATE, Verdict.DUPLICATE, Verdict.ACCEPT]
    assert pos.resume_from == ("E", 13)


def test_a_gap_asks_for_one_resume_then_tells_a_bogus_jump_from_a_real_hole() -> None:
    pos = StreamPosition("E", 2)
    assert pos.check(4) is Verdict.RESUME
    assert pos.resume_from == ("E", 2)  # not advanced: the resume starts from 2
    assert pos.check(3) is Verdict.ACCEPT  # the resume filled it
    assert pos.check(1000) is Verdict.RESUME  # a new gap, a new resume
    # the same jump again after the resume: set aside; the next event decides
    assert pos.check(1000) is Verdict.SET_ASIDE and pos.resume_from == ("E", 3)
    assert pos.check(4) is Verdict.ACCEPT  # the stream goes on: 1000 was bogus, nothing lost
    assert [pos.check(s) for s in range(5, 40)] == [Verdict.ACCEPT] * 35


def test_a_real_hole_ends_in_a_fresh_subscription_and_is_counted() -> None:
    pos = StreamPosition("E", 2)
    assert pos.check(10) is Verdict.RESUME
    assert pos.check(10) is Verdict.SET_ASIDE
    assert pos.check(11) is Verdict.FRESH  # the stream goes on after the jump: a real hole
    assert pos.resume_from is None  # subscribe without resume: the server sends a snapshot
    assert pos.on_hello("E", backfill=True) is False  # no backfill: the hole is known
    assert pos.check(15, snapshot=True) is Verdict.ACCEPT
    assert pos.hole_closed_by(15) == 12  # 3..14; the snapshot stands for 15


def test_a_heartbeat_past_a_set_aside_jump_confirms_the_hole() -> None:
    pos = StreamPosition("E", 2)
    assert pos.check(10) is Verdict.RESUME
    assert pos.check(10) is Verdict.SET_ASIDE
    assert pos.heard_current(9) is None
    assert pos.heard_current(10) is Verdict.FRESH


def test_the_same_gap_after_a_fresh_subscription_is_accepted_not_looped() -> None:
    pos = StreamPosition("E", 2)
    assert [pos.check(s) for s in (4, 4, 5)] == [Verdict.RESUME, Verdict.SET_ASIDE, Verdict.FRESH]
    assert pos.check(1, snapshot=True) is Verdict.ACCEPT  # a stale snapshot from a broken server
    assert pos.check(2) is Verdict.ACCEPT
    assert pos.check(4) is Verdict.ACCEPT_AFTER_GAP and pos.resume_from == ("E", 4)


def test_a_snapshot_may_skip_ahead_but_never_back() -> None:
    pos = StreamPosition("E", 2)
    assert pos.check(50, snapshot=True) is Verdict.ACCEPT
    assert pos.check(50, snapshot=True) is Verdict.DUPLICATE
    assert pos.check(51) is Verdict.ACCEPT


def test_hello_of_another_epoch_forgets_the_position() -> None:
    pos = StreamPosition("E1", 99)
    assert pos.on_hello("E1", backfill=False) is False and pos.resume_from == ("E1", 99)
    assert pos.on_hello("E2", backfill=False) is False and pos.resume_from is None
    assert pos.check(7, snapshot=True) is Verdict.ACCEPT and pos.resume_from == ("E2", 7)


def test_backfill_asks_for_the_whole_epoch_once() -> None:
    pos = StreamPosition()
    assert pos.on_hello("E1", backfill=True) is True and pos.resume_from is None
    assert pos.check(40, snapshot=True) is Verdict.ACCEPT  # the snapshot comes first
    pos.start_backfill()
    assert pos.resume_from == ("E1", 0)
    assert pos.on_hello("E1", backfill=True) is False  # the replay session itself
    pos2 = StreamPosition("E1", 40)
    assert pos2.on_hello("E1", backfill=True) is False  # a position to resume from: no backfill


def test_unknown_types_advance_only_when_they_are_the_next_seq() -> None:
    pos = StreamPosition("E", 5)
    assert pos.check_unknown(5) is Verdict.DUPLICATE  # a future control type: nothing to do
    assert pos.check_unknown(6) is Verdict.ACCEPT  # a future stream type: no gap after it
    assert pos.check(7) is Verdict.ACCEPT
    assert pos.check_unknown(9) is Verdict.RESUME


@given(st.lists(st.integers(min_value=1, max_value=60), max_size=200))
def test_accepted_seqs_only_ever_increase(deliveries: list[int]) -> None:
    pos = StreamPosition("E", 0)
    accepted: list[int] = []
    for seq in deliveries:
        before = pos.seq
        verdict = pos.check(seq)
        if verdict in (Verdict.ACCEPT, Verdict.ACCEPT_AFTER_GAP):
            accepted.append(seq)
        elif verdict is Verdict.FRESH:
            assert pos.seq is None  # starts afresh from a snapshot
            pos.check(max(accepted, default=0) + 100, snapshot=True)
            accepted.append(pos.seq or 0)
        else:
            assert pos.seq == before  # a dropped or resumed event never moves the position
    assert accepted == sorted(set(accepted))


@given(total=st.integers(min_value=1, max_value=80),
       lost=st.sets(st.integers(min_value=1, max_value=80), max_size=20),
       dups=st.sets(st.integers(min_value=1, max_value=80), max_size=20))
@example(total=3, lost={3}, dups=set())  # the last event lost: found when the next one comes
@example(total=5, lost={1, 2, 3, 4, 5}, dups=set())
def test_a_server_that_resumes_correctly_delivers_everything_once(total: int, lost: set[int], dups: set[int]) -> None:
    """First connection: some events lost, some repeated; every resume replays faithfully.

    A loss is only visible when a later event arrives, so the stream goes on: the event
    ``total + 1`` always arrives (a live stream never ends).
    """
    pos = StreamPosition("E", 0)
    accepted: list[int] = []
    end = total + 1
    stream = [s for s in range(1, end) if s not in lost for _ in range(2 if s in dups else 1)] + [end]
    total = end
    while True:
        for seq in stream:
            verdict = pos.check(seq)
            if verdict is Verdict.RESUME:
                break
            # a faithful replay never leaves a gap twice
            assert verdict not in (Verdict.ACCEPT_AFTER_GAP, Verdict.SET_ASIDE, Verdict.FRESH)
            if verdict is Verdict.ACCEPT:
                accepted.append(seq)
        else:
            break
        after = pos.seq or 0
        stream = list(range(after + 1, total + 1))  # the replay from the resume position
    assert accepted == list(range(1, total + 1))

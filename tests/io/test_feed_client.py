"""The feed client against small real websocket servers that misbehave on purpose."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import pytest

from supervisor import wire
from supervisor.errors import CannotConnect, NotAuthorised, ProtocolVersionError, UsageError
from supervisor.feed import Backoff, FeedClient
from supervisor.store import Store, journal_row
from tests.io import messages as m
from tests.io.harness import Watched, run, until
from tests.io.peers import Peer, ScriptedServer


async def hold(peer: Peer) -> None:
    """Keep the connection open until the client leaves."""
    await peer.ws.wait_closed()


def test_events_reach_on_batch_and_the_journal_once_in_order(sqlite_url: str) -> None:
    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 0), m.snapshot(1), *[m.queued(s) for s in range(2, 6)], m.heartbeat(5))

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.seqs == [1, 2, 3, 4, 5], what="five events")
            assert w.client.status.state == "live"
            await w.stop()
        assert isinstance(w.events[0], wire.Snapshot)
        assert isinstance(w.batches[0][0], wire.Hello)  # the UI learns user and epoch in-band
        assert [e.seq for e in store.iter_events()] == [1, 2, 3, 4, 5]
        assert store.last_position() == ("E1", 5)
        final = w.statuses[-1]
        assert final.state == "stopped"
        assert final.user is not None and final.user.role == "duty_lead"
        assert (final.epoch, final.seq) == ("E1", 5)
        assert final.counts.journaled == 5 and final.counts.quarantined == 0
        assert abs(final.server_offset_s) < 5
        assert w.states[:2] == ["connecting", "live"]
        assert srv.resumes == [None]
        store.close()

    run(main())


BAD_MESSAGES: list[tuple[str | bytes, str]] = [
    ("this is not json {", "malformed"),
    ('{"v": 1, "seq": "three", "ts": "2026-11-22T09:00:00.000+08:00", "type": "call.abandoned", '
     '"data": {"call_id": "c-1", "at": "2026-11-22T09:00:00.000+08:00"}}', "malformed"),
    ('{"v": 1, "seq": 3, "ts": "2026-11-22T09:00:00", "type": "call.abandoned", '
     '"data": {"call_id": "c-1", "at": "2026-11-22T09:00:00.000+08:00"}}', "malformed"),  # no offset
    ('{"v": 1, "seq": 3, "type": "call.queued"}', "malformed"),  # fields missing
    ('{"v": 1, "seq": 3, "ts": "2026-11-22T09:00:00.000+08:00", "type": "survey.completed", '
     '"data": {"call_id": "c-1", "score": 9, "at": "2026-11-22T09:00:00.000+08:00"}}', "malformed"),
    ("[1, 2, 3]", "malformed"),
    ("null", "malformed"),
    ("", "malformed"),
    ("[" * 100_000, "malformed"),  # deep nesting
    (b"\x00\x01\x02 binary", "binary"),
    (b'{"v": 1, "seq": 3}', "binary"),  # even JSON is wrong in a binary frame
    (json.dumps({"v": 1, "seq": 3, "ts": m.ts(3), "type": "call.queued",
                 "data": {"pad": "x" * (1 << 20)}}), "oversized"),
]


def test_bad_input_is_quarantined_and_nothing_valid_is_lost(sqlite_url: str) -> None:
    valid = [m.snapshot(1), m.queued(2), m.answered(3, "c-never-queued", "a-nobody"), m.queued(4),
             # unknown fields are ignored, not rejected
             m.envelope("call.abandoned", 5, {"call_id": "c-2", "at": m.ts(5), "mood": "angry"}),
             m.queued(6)]
    unknown = m.envelope("agent.mood", 4, {"agent_id": "a-1"})  # a future control type: seq not advanced

    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 0))
        await peer.send(valid[0])
        for i, (bad, _) in enumerate(BAD_MESSAGES):
            await peer.send(bad)
            if i + 1 < len(valid):
                await peer.send(valid[i + 1])
            if i == 3:
                await peer.send(unknown)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.client.status.counts.quarantined == len(BAD_MESSAGES)
                        and w.seqs[-1:] == [6], what="every message handled")
            await w.stop()
            assert len(srv.peers) == 1  # never reconnected: bad input is not fatal
        assert w.seqs == [1, 2, 3, 4, 5, 6]
        assert [e.seq for e in store.iter_events()] == [1, 2, 3, 4, 5, 6]
        counts = w.statuses[-1].counts
        assert counts.unknown_types == 1 and counts.gaps == 0 and counts.reconnects == 0
        kept = store.quarantined()
        assert [q.kind for q in kept] == [kind for _, kind in BAD_MESSAGES]
        assert all(q.epoch == "E1" and q.reason for q in kept)
        assert kept[0].raw == "this is not json {"
        assert kept[9].raw_bytes() == b"\x00\x01\x02 binary"
        assert kept[11].truncated and kept[11].size > (1 << 20)
        store.close()

    run(main())


def test_a_seq_gap_is_answered_by_a_resume_not_a_guess(sqlite_url: str) -> None:
    async def script(peer: Peer) -> None:
        if peer.index == 0:
            await peer.send(m.hello("E1", 4), m.snapshot(1), m.queued(2), m.queued(4))
        else:
            assert peer.resume == {"epoch": "E1", "after_seq": 2}
            await peer.send(m.hello("E1", 5), m.queued(3), m.queued(4), m.queued(5))
        await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.seqs[-1:] == [5], what="seq 5")
            await w.stop()
            assert srv.resumes == [None, {"epoch": "E1", "after_seq": 2}]
        assert w.seqs == [1, 2, 3, 4, 5]
        assert [e.seq for e in store.iter_events()] == [1, 2, 3, 4, 5]
        counts = w.statuses[-1].counts
        assert (counts.gaps, counts.gaps_accepted, counts.resumes) == (1, 0, 1)
        store.close()

    run(main())


def test_a_gap_the_server_cannot_fill_ends_in_a_fresh_subscription_and_is_counted(sqlite_url: str) -> None:
    broken = m.queued(3).replace('"channel": "voice"', '"channel": "pigeon"')

    async def script(peer: Peer) -> None:
        # this server ignores the resume and repeats itself, broken event 3 and its stale
        # snapshot included: one resume, one fresh subscription, then the jump is accepted
        await peer.send(m.hello("E1", 5), m.snapshot(1), m.queued(2), broken, m.queued(4), m.queued(5))
        await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: len(srv.peers) == 3 and w.seqs[-1:] == [5], what="seq 5 after a fresh subscription")
            await until(lambda: w.client.status.counts.journaled == 4, what="journaled")
            await w.stop()
            # one resume, one fresh subscription, no loop
            assert srv.resumes == [None, {"epoch": "E1", "after_seq": 2}, None]
        assert w.seqs == [1, 2, 1, 2, 4, 5]
        counts = w.statuses[-1].counts
        assert (counts.gaps, counts.gaps_accepted, counts.missing) == (2, 2, 1)
        assert counts.duplicates == 2  # snapshot 1 and event 2 sent again after the resume
        assert [q.kind for q in store.quarantined()] == ["malformed", "malformed", "seq_jump", "malformed"]
        assert [e.seq for e in store.iter_events()] == [1, 2, 4, 5]
        assert store.missing_events() == 1
        store.close()

    run(main())


def test_duplicates_are_dropped() -> None:
    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 0), m.snapshot(1), m.queued(2), m.queued(2), m.queued(3),
                        m.queued(1), m.snapshot(3), m.queued(4))
        await hold(peer)

    async def main() -> None:
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url).start()  # no store: the desktop can run without a journal
            await until(lambda: w.seqs[-1:] == [4], what="seq 4")
            await w.stop()
        assert w.seqs == [1, 2, 3, 4]
        assert w.statuses[-1].counts.duplicates == 3

    run(main())


def test_a_refused_token_is_not_authorised_without_retrying() -> None:
    async def main() -> None:
        async with ScriptedServer(hold) as srv:
            w = Watched(srv.url, token="stolen")
            with pytest.raises(NotAuthorised, match="not authorised"):
                await w.client.run()  # returns: no retry loop is left to knock again
            assert srv.handshakes == 1
        assert w.statuses[-1].state == "not_authorised"
        assert "not authorised" in w.client.status.message

    run(main())


def test_another_protocol_version_stops_the_client_with_a_clear_error(sqlite_url: str) -> None:
    future = m.envelope("hello", 0, {"epoch": "E9", "server_time": m.ts(0),
                                     "user": {"id": "u", "role": "manager"}}, v=2)

    async def script(peer: Peer) -> None:
        await peer.send(future)
        await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store)
            with pytest.raises(ProtocolVersionError, match="version"):
                await w.client.run()
            await asyncio.sleep(0.5)
            assert srv.handshakes == 1
        assert w.client.status.state == "version_error"
        (kept,) = store.quarantined()
        assert kept.kind == "version" and kept.raw == future
        store.close()

    run(main())


def test_heartbeat_silence_turns_stale_and_reconnects_with_resume() -> None:
    async def script(peer: Peer) -> None:
        if peer.index == 0:
            await peer.send(m.hello("E1", 3, heartbeat_s=0.2), m.snapshot(1), m.queued(2), m.queued(3))
            await hold(peer)  # then silence: no heartbeats
        else:
            await peer.send(m.hello("E1", 4, heartbeat_s=0.2), m.queued(4))
            while True:
                await asyncio.sleep(0.1)
                await peer.send(m.heartbeat(4))

    async def main() -> None:
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url).start()
            await until(lambda: w.seqs[-1:] == [3], what="seq 3")
            # 3 x the server's 0.2 s, not a fixed 15 s: well inside this bound
            await until(lambda: w.client.status.state == "stale", timeout=5, what="stale")
            stale = next(st for st in w.statuses if st.state == "stale")  # the first stale report
            assert stale.heartbeat_s == 0.2 and stale.stale_after_s == pytest.approx(0.6)
            assert "nothing heard from the server" in stale.message
            await until(lambda: w.seqs[-1:] == [4], what="seq 4 after the reconnect")
            heartbeats = srv.peers[-1].sent
            await until(lambda: srv.peers[-1].sent >= heartbeats + 8, what="8 more heartbeats")
            assert w.client.status.state == "live"  # heartbeats keep the new connection fresh
            await w.stop()
            assert srv.resumes == [None, {"epoch": "E1", "after_seq": 3}]
        assert w.states == ["connecting", "live", "stale", "live", "stopped"] or \
            w.states == ["connecting", "live", "stale", "reconnecting", "live", "stopped"]
        assert w.seqs == [1, 2, 3, 4]

    run(main())


def test_a_dropped_connection_reconnects_and_resumes(sqlite_url: str) -> None:
    async def script(peer: Peer) -> None:
        if peer.index == 0:
            await peer.send(m.hello("E1", 2), m.snapshot(1), m.queued(2))
            await peer.ws.close()
        else:
            await peer.send(m.hello("E1", 3), m.queued(3))
            await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.seqs[-1:] == [3], what="seq 3")
            await w.stop()
            assert srv.resumes == [None, {"epoch": "E1", "after_seq": 2}]
        assert "reconnecting" in w.states
        assert any(s.retry_in_s and s.retry_in_s > 0 for s in w.statuses)
        assert w.statuses[-1].counts.reconnects == 1
        assert [e.seq for e in store.iter_events()] == [1, 2, 3]
        store.close()

    run(main())


def test_a_new_epoch_starts_over_from_its_snapshot(sqlite_url: str) -> None:
    async def script(peer: Peer) -> None:
        if peer.index == 0:
            await peer.send(m.hello("E1", 2), m.snapshot(1), m.queued(2))
            await peer.ws.close()
        else:  # the server restarted: its old stream is gone
            await peer.send(m.hello("E2", 10), m.snapshot(10), m.queued(11))
            await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.seqs[-1:] == [11], what="seq 11")
            await w.stop()
        assert w.seqs == [1, 2, 10, 11]
        assert store.last_position() == ("E2", 11)
        assert store.event_count() == 4
        store.close()

    run(main())


def test_the_recorder_backfills_the_whole_replay_buffer(sqlite_url: str) -> None:
    async def script(peer: Peer) -> None:
        if peer.resume is None:
            await peer.send(m.hello("E1", 5), m.snapshot(5))
        else:
            assert peer.resume == {"epoch": "E1", "after_seq": 0}
            await peer.send(m.hello("E1", 5), m.snapshot(1), *[m.queued(s) for s in range(2, 6)])
        await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store, backfill=True).start()
            await until(lambda: w.seqs[-1:] == [5], what="seq 5")
            await w.stop()
        # the first session's snapshot comes right after event 5, as journal order has it:
        # what it alone told (queue records, rosters) reaches the journal
        assert w.seqs == [1, 2, 3, 4, 5, 5]
        journaled = list(store.iter_events())
        assert [e.seq for e in journaled] == [1, 2, 3, 4, 5, 5]
        assert [type(e).__name__ for e in journaled][-2:] == ["CallQueued", "Snapshot"]
        assert store.missing_events() == 0
        store.close()

    run(main())


def test_a_desktop_backfill_previews_the_snapshot_and_hands_the_history_apart(sqlite_url: str) -> None:
    """The live floor gets the snapshot at once; the KPI engine gets the day in journal order."""
    async def script(peer: Peer) -> None:
        if peer.resume is None:
            await peer.send(m.hello("E1", 4), m.snapshot(4))
        else:
            assert peer.resume == {"epoch": "E1", "after_seq": 0}
            await peer.send(m.hello("E1", 4), *[m.queued(s) for s in range(1, 5)])
            await peer.send(m.queued(5), m.queued(6))  # live after the replay
        await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        previews: list[wire.Snapshot] = []
        history: list[wire.Event] = []
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store, backfill=True, on_history=history.extend,
                        on_preview=previews.append).start()
            await until(lambda: w.seqs[-1:] == [6], what="seq 6")
            await w.stop()
        assert [p.seq for p in previews] == [4]
        assert [(e.seq, type(e).__name__) for e in history] == [
            (1, "CallQueued"), (2, "CallQueued"), (3, "CallQueued"), (4, "CallQueued"), (4, "Snapshot")]
        assert w.seqs == [5, 6]  # the floor never replays the morning
        assert [e.seq for e in store.iter_events()] == [1, 2, 3, 4, 4, 5, 6]
        store.close()

    run(main())


def test_resume_starts_from_the_journal_position(sqlite_url: str) -> None:
    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 8), m.snapshot(7), m.queued(8))
        await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.seqs == [7, 8], what="seq 8")
            await w.stop()
            # the next client picks up where the journal ends
            w2 = Watched(srv.url, store=store).start()
            await until(lambda: len(srv.resumes) == 2, what="second subscribe")
            await w2.stop()
        assert srv.resumes == [None, {"epoch": "E1", "after_seq": 8}]
        store.close()

    run(main())


def test_a_journal_without_a_snapshot_fetches_one_then_resumes_from_its_end(sqlite_url: str) -> None:
    """A client stopped in the middle of its backfill journaled events but not the held
    snapshot: what only a snapshot tells (queue records) would be lost for good."""
    async def script(peer: Peer) -> None:
        if peer.resume is None:
            await peer.send(m.hello("E1", 6), m.snapshot(6))
        else:
            assert peer.resume == {"epoch": "E1", "after_seq": 3}
            await peer.send(m.hello("E1", 6), m.queued(4), m.queued(5), m.queued(6), m.queued(7))
        await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        store.append([journal_row("E1", wire.decode(raw), raw) for raw in (m.queued(1), m.queued(2), m.queued(3))])
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.seqs[-1:] == [7], what="seq 7")
            await w.stop()
            assert srv.resumes == [None, {"epoch": "E1", "after_seq": 3}]
        journaled = [(e.seq, type(e).__name__) for e in store.iter_events()]
        assert journaled == [(1, "CallQueued"), (2, "CallQueued"), (3, "CallQueued"), (4, "CallQueued"),
                             (5, "CallQueued"), (6, "CallQueued"), (6, "Snapshot"), (7, "CallQueued")]
        assert store.missing_events() == 0
        store.close()

    run(main())


def test_reassign_outcomes_including_a_late_result() -> None:
    seen: list[dict[str, Any]] = []

    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 1), m.snapshot(1))
        while True:
            cmd = await peer.commands.get()
            seen.append(cmd)
            data = cmd["data"]
            if data["escalation_id"] == "e-ok":
                await peer.send(m.command_result(1, data["request_id"], True))
            elif data["escalation_id"] == "e-gone":
                await peer.send(m.command_result(1, data["request_id"], False, "not_found", "没有这个升级单"))
            elif data["escalation_id"] == "e-slow":
                await asyncio.sleep(0.5)
                await peer.send(m.command_result(1, data["request_id"], True))

    async def main() -> None:
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url).start()
            await until(lambda: w.client.status.state == "live", what="live")
            ok = await w.client.reassign("e-ok", "s-2", "客户要求")
            gone = await w.client.reassign("e-gone", "s-2", "x")
            slow = await w.client.reassign("e-slow", "s-3", "y", timeout=0.2)
            await until(lambda: any(r.late for r in w.results), what="the late result")
            await w.stop()
        assert ok.ok and ok.status == "ok"
        assert (gone.status, gone.code, gone.message) == ("error", "not_found", "没有这个升级单")
        assert slow.status == "unknown" and "unknown" in slow.message
        (late,) = [r for r in w.results if r.late]
        assert late.request_id == slow.request_id and late.ok
        assert seen[0]["type"] == "escalation.reassign"
        assert seen[0]["data"] == {"request_id": ok.request_id, "escalation_id": "e-ok",
                                   "to_owner": "s-2", "reason": "客户要求"}
        assert ok.request_id.startswith("r-") and len({c["data"]["request_id"] for c in seen}) == 3

    run(main())


def test_reassign_without_a_connection_sends_nothing() -> None:
    async def main() -> None:
        client = FeedClient("ws://127.0.0.1:1/v1/events", "good")
        outcome = await client.reassign("e-1", "s-1", "r", timeout=0.1)
        assert (outcome.status, outcome.code) == ("error", "not_connected")

    run(main())


def test_first_connect_attempts_give_up_with_cannot_connect() -> None:
    async def main() -> None:
        client = FeedClient("ws://127.0.0.1:1/v1/events", "good", first_connect_attempts=2,
                            backoff=Backoff(base=0.05))
        with pytest.raises(CannotConnect, match="connection refused"):
            await client.run()

    run(main())


def test_stop_during_the_backoff_wait_is_prompt() -> None:
    async def main() -> None:
        w = Watched("ws://127.0.0.1:1/v1/events", backoff=Backoff(base=20, cap=30)).start()
        await until(lambda: w.client.status.retry_in_s is not None, what="waiting to retry")
        assert w.client.status.state in ("reconnecting", "connecting")
        await asyncio.wait_for(w.stop(), 5)  # not after the 20 s backoff
        assert w.client.status.state == "stopped"

    run(main())


def test_an_absurdly_large_message_closes_the_connection_and_is_recorded(sqlite_url: str) -> None:
    async def script(peer: Peer) -> None:
        if peer.index == 0:
            await peer.send(m.hello("E1", 1), m.snapshot(1), "x" * (17 << 20))
        else:
            await peer.send(m.hello("E1", 2), m.queued(2))
        await hold(peer)

    async def main() -> None:
        store = Store(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store, backoff=Backoff(base=0.05)).start()
            await until(lambda: w.seqs[-1:] == [2], what="seq 2")
            await w.stop()
        (kept,) = store.quarantined()
        assert kept.kind == "oversized" and "exceeds limit" in kept.reason
        assert w.seqs == [1, 2]
        store.close()

    run(main())


def test_a_consumer_exception_does_not_stop_the_feed() -> None:
    got: list[int] = []

    def fragile(batch: list[wire.Event]) -> None:
        got.extend(e.seq for e in batch if not isinstance(e, wire.Hello))
        raise RuntimeError("a bug in the UI")

    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 0), m.snapshot(1))
        await asyncio.sleep(0.05)
        await peer.send(m.queued(2))
        await hold(peer)

    async def main() -> None:
        async with ScriptedServer(script) as srv:
            client = FeedClient(srv.url, "good", on_batch=fragile)
            task = asyncio.ensure_future(client.run())
            await until(lambda: got == [1, 2], what="both batches")
            await client.stop()
            await task

    run(main())


def test_bad_arguments_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="not a websocket URL"):
        FeedClient("http://example.test/v1/events", "t")
    with pytest.raises(UsageError, match="CA file"):
        FeedClient("wss://127.0.0.1:9/v1/events", "t", ca_file="/nonexistent/ca.pem")


def test_backoff_grows_with_jitter_up_to_the_cap() -> None:
    b = Backoff(base=0.5, cap=30.0, rng=random.Random(7))
    delays = [b.next() for _ in range(12)]
    for i, d in enumerate(delays):
        ceiling = min(30.0, 0.5 * 2**i)
        assert ceiling / 2 <= d <= ceiling
    assert max(delays) <= 30.0 and delays[-1] >= 15.0
    assert len(set(delays)) == len(delays)  # jittered
    b.reset()
    assert b.next() <= 0.5


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    return str(cert), str(key)


def test_wss_with_a_ca_file_and_an_untrusted_certificate(tls_files: tuple[str, str]) -> None:
    import ssl

    cert, key = tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 1), m.snapshot(1))
        await hold(peer)

    async def main() -> None:
        async with ScriptedServer(script, ssl=context) as srv:
            assert srv.url.startswith("wss://")
            w = Watched(srv.url, ca_file=cert).start()
            await until(lambda: w.seqs == [1], what="the snapshot over TLS")
            await w.stop()
            untrusting = FeedClient(srv.url, "good", first_connect_attempts=1)
            with pytest.raises(CannotConnect, match="not trusted"):
                await untrusting.run()

    run(main())


def test_a_failing_database_is_retried_and_nothing_is_lost(sqlite_url: str) -> None:
    """The journal writer keeps rows through database errors (here: injected failures)."""

    class Flaky(Store):
        failures = 2

        def append(self, rows, quarantine=()):  # type: ignore[no-untyped-def]
            if self.failures:
                self.failures -= 1
                raise OSError("disk I/O error")
            return super().append(rows, quarantine)

    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 3), m.snapshot(1), m.queued(2), m.queued(3))
        await hold(peer)

    async def main() -> None:
        store = Flaky(sqlite_url)
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, store=store).start()
            await until(lambda: w.client.status.counts.journaled == 3, timeout=10, what="journaled after retries")
            await w.stop()
        assert [e.seq for e in store.iter_events()] == [1, 2, 3]
        assert w.statuses[-1].counts.write_errors == 2
        assert any("cannot be written" in s.message for s in w.statuses)
        store.close()

    run(main())


def test_a_lost_server_is_reconnecting_then_stale_after_three_heartbeats() -> None:
    async def script(peer: Peer) -> None:
        await peer.send(m.hello("E1", 1, heartbeat_s=0.2), m.snapshot(1))
        await hold(peer)

    async def main() -> None:
        async with ScriptedServer(script) as srv:
            w = Watched(srv.url, backoff=Backoff(base=0.1, cap=0.2)).start()
            await until(lambda: w.seqs == [1], what="the snapshot")
        # the server is gone: connections are refused from now on
        await until(lambda: w.client.status.state == "reconnecting", what="reconnecting")
        # stale once 3 x 0.2 s have passed since the last message (well inside this bound)
        await until(lambda: w.client.status.state == "stale", timeout=5, what="stale")
        status = w.client.status
        assert status.stale_after_s == pytest.approx(0.6)
        assert status.last_message_monotonic is not None
        assert "connection refused" in status.message
        await w.stop()
        assert w.states[:4] == ["connecting", "live", "reconnecting", "stale"]

    run(main())

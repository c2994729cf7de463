"""The feed client and the store against the project's real simulator server, in process."""

from __future__ import annotations

import asyncio
from datetime import datetime

import sqlalchemy as sa

from supervisor.sim.server import SimConfig, SimulatorServer
from supervisor.store import Store
from supervisor.timeutil import CHINA
from tests.io.harness import Watched, run, until

START = datetime(2026, 11, 23, 8, 0, tzinfo=CHINA)


def journal_seqs(store: Store) -> list[tuple[str, int]]:
    with store.engine.connect() as conn:
        rows = [(r.epoch, r.seq, r.part) for r in conn.execute(
            sa.text("SELECT epoch, seq, part FROM journal ORDER BY id"))]
    # a snapshot that a backfill journals right after the event at its seq shares that seq
    return [(e, s) for i, (e, s, part) in enumerate(rows)
            if not (part > 0 and i > 0 and rows[i - 1][:2] == (e, s))]


def test_every_event_once_through_drops_pauses_and_bad_frames(sqlite_url: str) -> None:
    cfg = SimConfig(seed=3, speed=0.0, agents=60, start=START, hours=6, heartbeat_s=0.3)

    async def main() -> None:
        store = Store(sqlite_url)
        async with SimulatorServer(cfg) as srv:
            w = Watched(srv.url, token="demo-supervisor", store=store, backfill=True).start()
            position = lambda: (w.client.position or ("", 0))[1]  # noqa: E731
            await until(lambda: position() >= 2000, what="2000 events")
            await srv.drop_connections()  # a network failure: no close frame
            await until(lambda: w.client.status.counts.reconnects >= 1 and position() >= 4000,
                        what="resumed after the drop")
            srv.pause()  # silence: no events, no heartbeats
            await until(lambda: w.client.status.state == "stale", timeout=5, what="stale")
            srv.resume()
            await until(lambda: w.client.status.state == "live" and position() >= 6000, what="live again")
            await srv.send_raw(b"\x89binary")
            await srv.send_raw('{"v": 1, "seq": "x"}')
            await srv.send_raw("{" * 10)
            await until(lambda: srv.source.finished and position() == srv.seq, timeout=30,
                        what="the whole run")
            final_seq = srv.seq
            await w.stop()
        counts = w.statuses[-1].counts
        assert counts.quarantined == 3 and store.quarantine_count() == 3
        assert counts.gaps_accepted == 0
        assert "stale" in w.states
        seqs = journal_seqs(store)
        assert seqs == [(srv.epoch, s) for s in range(1, final_seq + 1)]  # 1..N, once each, in order
        assert store.last_position() == (srv.epoch, final_seq)
        assert w.seqs == list(range(1, final_seq + 1))  # the UI saw the same stream
        store.close()

    run(main(), timeout=90)


def test_a_restarted_simulator_is_a_new_epoch_in_the_same_journal(db_url: str) -> None:
    """Also the whole client path (writer thread included) into PostgreSQL."""
    async def record_run(seed: int, port: int) -> tuple[str, int, int]:
        cfg = SimConfig(seed=seed, speed=0.0, agents=20, start=START, hours=1, prerun_hours=1)
        async with SimulatorServer(cfg, port=port) as srv:
            w = Watched(srv.url, token="demo-manager", store=store, backfill=True).start()
            await until(lambda: w.client.position == (srv.epoch, srv.seq), what="the backlog")
            await w.stop()
            return srv.epoch, srv.seq, srv.port

    async def main() -> None:
        epoch1, n1, port = await record_run(1, 0)
        epoch2, n2, _ = await record_run(2, port)
        assert epoch1 != epoch2
        seqs = journal_seqs(store)
        assert seqs == [(epoch1, s) for s in range(1, n1 + 1)] + [(epoch2, s) for s in range(1, n2 + 1)]

    store = Store(db_url)
    try:
        run(main(), timeout=60)
    finally:
        store.close()

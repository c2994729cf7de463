"""``command-center record`` and ``simulate`` as real processes on loopback.

The journal must hold every event exactly once even when the line is cut mid-stream,
and a SIGTERM must stop the recorder cleanly with nothing lost.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.client import connect

from supervisor.sim.server import SimConfig, start_in_thread
from tests.io.proxy import CuttableProxy
from tests.io.test_with_simulator import START

pytestmark = pytest.mark.slow

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "supervisor", *args]


@pytest.fixture
def simulator_process() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``simulate`` with a 4-hour backlog of a 200-agent center (about 30,000 events)."""
    proc = subprocess.Popen(
        command("simulate", "--port", "0", "--print-url", "--seed", "1", "--speed", "0",
                "--agents", "200", "--prerun", "4", "--hours", "4", "--start", START.isoformat()),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("ws://"), (url, proc.stderr.read() if proc.poll() is not None else "")
        yield url, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def hello(url: str, token: str = "demo-manager") -> dict:  # type: ignore[type-arg]
    """What a fresh subscriber is told: the server's epoch and current seq."""
    with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        ws.send(json.dumps({"v": 1, "type": "subscribe", "data": {"resume": None}}))
        message = json.loads(ws.recv(timeout=10))
    assert message["type"] == "hello"
    return message


def journal(db: Path) -> list[tuple[str, int]]:
    """(epoch, seq) of the journal in order, each seq once."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            rows = conn.execute("SELECT epoch, seq, part FROM journal ORDER BY id").fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []
    # a snapshot that a backfill journals right after the event at its seq shares that seq
    return [(e, s) for i, (e, s, part) in enumerate(rows)
            if not (part > 0 and i > 0 and rows[i - 1][:2] == (e, s))]


def count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            return int(conn.execute("SELECT count(DISTINCT seq) FROM journal").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def stop(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    return proc.returncode, out, err


def test_a_cut_line_loses_nothing_and_duplicates_nothing(simulator_process, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, _ = simulator_process
    first = hello(url)
    epoch, total = first["data"]["epoch"], first["seq"]
    assert total > 20_000
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    db = tmp_path / "journal.db"
    # ~4 MB/s: the backlog takes seconds to cross, so the cut falls mid-stream and the rest
    # can only arrive through a resume on a new connection
    with CuttableProxy(port, rate=4_000_000) as proxy:
        recorder = subprocess.Popen(
            command("record", "--url", f"ws://127.0.0.1:{proxy.port}/v1/events",
                    "--token", "demo-supervisor", "--db", f"sqlite:///{db}"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
        )
        try:
            wait_for(lambda: count(db) >= 3000, 30, "the first events")
            proxy.cut()
            at_cut = count(db)
            time.sleep(1.0)  # the line stays down; the recorder keeps retrying
            assert recorder.poll() is None
            proxy.restore()
            wait_for(lambda: count(db) >= total, 60, f"all {total} events")
            time.sleep(0.3)  # anything extra (a duplicate) would show up now
        finally:
            code, out, err = stop(recorder)
        assert proxy.connections >= 3  # the backfill dance, then the resume after the cut
    assert at_cut < total, "the cut came too late to test anything"
    assert code == 0, err
    assert journal(db) == [(epoch, seq) for seq in range(1, total + 1)]
    assert f"recorded {total} new events" in out


def test_sigterm_mid_stream_stops_cleanly_with_nothing_lost(tmp_path: Path) -> None:
    cfg = SimConfig(seed=5, speed=0.0, agents=60, start=START)  # endless, as fast as read
    db = tmp_path / "journal.db"
    with start_in_thread(cfg) as sim:
        recorder = subprocess.Popen(
            command("record", "--url", sim.url, "--token", "demo-lead", "--db", f"sqlite:///{db}"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
        )
        try:
            wait_for(lambda: count(db) >= 5000, 30, "events flowing")
        finally:
            code, out, err = stop(recorder)  # while events are still streaming in
        assert sim.seq > count(db)  # the stream was live when the recorder stopped
        epoch = sim.epoch
    assert code == 0, err
    rows = journal(db)
    n = len(rows)
    assert rows == [(epoch, seq) for seq in range(1, n + 1)]
    # the recorder checked on its way out that the last event it received is journaled
    assert f"recorded {n} new events (journal at epoch {epoch}, seq {n})" in out


def test_recorder_exit_codes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    cfg = SimConfig(seed=1, speed=0.0, agents=10, start=START, hours=0.1)
    with start_in_thread(cfg) as sim:
        refused = subprocess.run(command("record", "--url", sim.url, "--token", "nobody", "--db", db),
                                 capture_output=True, text=True, env=ENV, timeout=30)
        timed = subprocess.run(command("record", "--url", sim.url, "--token", "demo-lead", "--db", db,
                                       "--duration", "1"), capture_output=True, text=True, env=ENV, timeout=30)
        expected = sim.seq
    assert refused.returncode == 3 and "not authorised" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert timed.returncode == 0, timed.stderr
    assert f"recorded {expected} new events" in timed.stdout
    nobody = subprocess.run(command("record", "--url", "ws://127.0.0.1:1/v1/events", "--token", "t",
                                    "--db", db), capture_output=True, text=True, env=ENV, timeout=30)
    assert nobody.returncode == 5 and "cannot connect" in nobody.stderr
    bad_url = subprocess.run(command("record", "--url", "http://x/v1/events", "--token", "t", "--db", db),
                             capture_output=True, text=True, env=ENV, timeout=30)
    assert bad_url.returncode == 2 and "not a websocket URL" in bad_url.stderr

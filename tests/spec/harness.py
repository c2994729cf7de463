"""The real product as a process: ``record`` against a SpecServer, ``kpi --json`` after.

The journal is read with the ``sqlite3`` module, not through the product, so what the
tests compare is what is on disk. No wall-clock windows: every wait is a bounded poll
for a condition.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from supervisor.store.payload import payload_text

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
PERIOD = ("2026-11-20", "2026-11-21")


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "supervisor", *args]


def wait_for(predicate: Callable[[], Any], what: str, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def rows(db: Path) -> list[tuple[str, int, int, str, str]]:
    """(epoch, seq, part, type, payload) of every journal row, in journal order."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            return [(e, q, n, t, payload_text(p)) for e, q, n, t, p in
                    conn.execute("SELECT epoch, seq, part, type, payload FROM journal ORDER BY id")]
    except sqlite3.OperationalError:  # not created yet
        return []


def event_seqs(db: Path, epoch: str) -> list[int]:
    """Seqs of the journaled stream events (snapshots left out), in journal order."""
    return [r[1] for r in rows(db) if r[0] == epoch and r[3] != "snapshot"]


def snapshots(db: Path) -> list[tuple[str, int, int, str, str]]:
    return [r for r in rows(db) if r[3] == "snapshot"]


def quarantined(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            return int(conn.execute("SELECT count(*) FROM quarantine").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def has_all(db: Path, epoch: str, seqs: list[int]) -> Callable[[], bool]:
    want = set(seqs)
    return lambda: want <= set(event_seqs(db, epoch))


class ChildProcess:
    """A ``command-center`` form as a child process: signal it, collect its output."""

    what = "the process"

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env or ENV)
        self.out = self.err = ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Send ``sig`` (unless it already exited) and collect its output; the exit code."""
        if self.alive():
            self.proc.send_signal(sig)
        try:
            self.out, self.err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.out, self.err = self.proc.communicate()
            raise AssertionError(f"{self.what} did not stop on signal {sig}") from None
        return self.proc.returncode

    def __enter__(self) -> ChildProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.alive():
            self.proc.kill()
            self.proc.communicate()


class Recorder(ChildProcess):
    """``command-center record`` as a child process."""

    what = "the recorder"

    def __init__(self, url: str, db: Path, token: str = "T", duration: float | None = None) -> None:
        args = ["record", "--url", url, "--token", token, "--db", f"sqlite:///{db}"]
        if duration is not None:
            args += ["--duration", str(duration)]
        super().__init__(args)

    def __enter__(self) -> Recorder:
        return self


def kpi(db: Path, start: str = PERIOD[0], end: str = PERIOD[1]) -> dict[str, Any]:
    done = subprocess.run(command("kpi", "--db", f"sqlite:///{db}", "--from", start, "--to", end, "--json"),
                          capture_output=True, text=True, env=ENV, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def pick(figures: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: figures.get(k, "<missing>") for k in keys}


def anomaly_count(report: dict[str, Any]) -> int:
    value = report.get("anomalies")
    if isinstance(value, dict):
        return sum(int(v) for v in value.values())
    if isinstance(value, list):
        return len(value)
    return int(value or 0)

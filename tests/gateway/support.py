"""Real processes and a real AMI peer for the gateway tests.

The AMI server runs on its own event-loop thread in the test process (it is the PBX);
the gateway, the recorder and ``kpi`` are real ``python -m supervisor`` processes.
Waiting is bounded polling for a condition, never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from supervisor.gateway.amiserver import AmiServer, AmiSession
from supervisor.store.payload import payload_text

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")
TOKENS = {"t-sup": {"id": "u1", "name": "Sup", "role": "floor_supervisor"},
          "t-lead": {"id": "u2", "name": "Lead", "role": "duty_lead"}}


def wait_for(predicate: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class AmiThread:
    """An ``AmiServer`` on its own loop thread."""

    def __init__(self, sessions: list[AmiSession], **kw: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.server = AmiServer(sessions, **kw)
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.call(self.server.start())

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    @property
    def port(self) -> int:
        return self.server.port

    def drop(self) -> None:
        self.call(self.server.drop())

    def go_down(self) -> None:
        self.call(self.server.go_down())

    def come_back(self) -> None:
        self.call(self.server.start())

    def stop(self) -> None:
        self.call(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "supervisor", *args]


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT)
    return e


@contextmanager
def gateway(tmp: Path, ami_port: int, *, secret: str = "s3cret", queues: list[dict[str, Any]] | None = None,
            user: str = "gateway", extra: tuple[str, ...] = ()) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    (tmp / "secret").write_text(secret + "\n")
    (tmp / "tokens.json").write_text(json.dumps(TOKENS))
    args = ["gateway", "asterisk", "--ami", f"127.0.0.1:{ami_port}", "--ami-user", user,
            "--ami-secret-file", str(tmp / "secret"), "--port", "0", "--print-url", "--tokens", str(tmp / "tokens.json"),
            "--heartbeat", "0.3", "--retry-max", "0.3", "--center-tz", "+08:00", *extra]
    if queues is not None:
        (tmp / "queues.json").write_text(json.dumps(queues))
        args += ["--queues", str(tmp / "queues.json")]
    proc = subprocess.Popen(cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=ROOT)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("ws://"), f"gateway did not start: {url!r} {proc.stderr.read() if proc.poll() is not None else ''}"
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def stop(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, out, err


@contextmanager
def recorder(url: str, db: Path, token: str = "t-sup") -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(cli("record", "--url", url, "--token", token, "--db", f"sqlite:///{db}"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=ROOT)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def journal(db: Path) -> list[tuple[str, str]]:
    """(type, payload) of the journaled events, in order."""
    if not db.exists():
        return []
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return [(t, payload_text(p)) for t, p in con.execute("select type, payload from journal order by id")]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return []


def types(db: Path) -> list[str]:
    return [t for t, _ in journal(db)]


def kpi(db: Path, start: datetime, end: datetime) -> dict[str, Any]:
    args = cli("kpi", "--db", f"sqlite:///{db}", "--from", start.isoformat(), "--to", end.isoformat(), "--json")
    out = subprocess.run(args, capture_output=True, text=True, env=env(), cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout)
    return result

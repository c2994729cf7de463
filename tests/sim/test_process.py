"""``command-center simulate`` as a real process, wss:// with a generated certificate, and the thread API."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from supervisor import cli, wire
from supervisor.sim.server import SimConfig, start_in_thread
from supervisor.timeutil import CHINA

REPO = Path(__file__).resolve().parents[2]
START = "2026-11-23T09:00:00+08:00"


@contextlib.contextmanager
def sync_client(url: str, token: str, resume: tuple[str, int] | None = None, **kw: Any) -> Iterator[ClientConnection]:
    # max_queue=None: read everything off the socket, so closing never waits behind unread data
    headers = {"Authorization": f"Bearer {token}"}
    with connect(url, additional_headers=headers, max_size=None, max_queue=None, **kw) as ws:
        ws.send(json.dumps((wire.Subscribe(*resume) if resume else wire.Subscribe()).to_message()))
        yield ws


def read(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    raw = ws.recv(timeout)
    assert isinstance(raw, str)
    msg: dict[str, Any] = json.loads(raw)
    return msg


class Sim:
    """A ``python -m supervisor simulate`` child process and its URL."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "supervisor", "simulate", "--port", "0", "--print-url", *args],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.url = self._first_line(20.0)

    def _first_line(self, timeout: float) -> str:
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        if not box or not box[0]:
            self.proc.kill()
            raise AssertionError(f"no URL printed; stderr: {self.proc.communicate()[1]}")
        return box[0].rstrip("\n")

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        self.proc.send_signal(sig)
        try:
            _, err = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        return self.proc.returncode, err


@pytest.fixture
def sim_process() -> Iterator[list[Sim]]:
    started: list[Sim] = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait(10)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_simulate_prints_its_url_serves_and_stops_cleanly(sim_process: list[Sim], sig: int) -> None:
    sim = Sim("--speed", "0", "--seed", "3", "--agents", "20", "--start", START, "--prerun", "1")
    sim_process.append(sim)
    assert re.fullmatch(r"ws://127\.0\.0\.1:\d+/v1/events", sim.url), sim.url
    with sync_client(sim.url, "demo-lead", resume=("unknown", 0)) as ws:
        hello = read(ws)
        assert hello["type"] == "hello" and hello["data"]["user"]["role"] == "duty_lead"
        snap = read(ws)
        assert snap["type"] == "snapshot" and snap["seq"] > 500  # the pre-run hour is buffered
        assert hello["data"]["server_time"] == "2026-11-23T10:00:00.000+08:00"
    code, err = sim.stop(sig)
    assert code == 0, err
    assert "Traceback" not in err


def test_simulate_audits_reveals_to_the_file_it_names(sim_process: list[Sim], tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    sim = Sim("--speed", "1", "--seed", "3", "--agents", "20", "--start", START, "--audit", str(audit))
    sim_process.append(sim)
    assert stat.S_IMODE(os.stat(audit).st_mode) == 0o600  # there, and the owner's alone, from the start
    with sync_client(sim.url, "demo-lead") as ws:
        read(ws)
        snap = read(ws)
        case = snap["data"]["cases"][0]
        assert case["customer"]["masked"] is True
        ws.send(json.dumps(wire.reveal_command("r-1", case["customer"]["id"], case["case_id"], "核实身份")))
        while (msg := read(ws))["type"] != "command.result":
            pass
        assert msg["data"]["ok"] is True and msg["data"]["customer"]["masked"] is False
    code, err = sim.stop()
    assert code == 0, err
    assert f"audit to {audit}" in err  # the banner says where the trail goes
    (entry,) = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert (entry["kind"], entry["result"], entry["user"]["role"], entry["case_id"]) == (
        "reveal", "ok", "duty_lead", case["case_id"])


def test_simulate_with_a_tokens_file_and_tls(sim_process: list[Sim], tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must test wss://: the openssl command is missing")
        pytest.skip("no openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({"s3cret": {"id": "u-9", "name": "赵敏", "role": "duty_lead"}}), encoding="utf-8")
    sim = Sim("--speed", "1", "--tokens", str(tokens), "--tls-cert", str(cert), "--tls-key", str(key))
    sim_process.append(sim)
    assert sim.url.startswith("wss://127.0.0.1:")
    trusted = ssl.create_default_context(cafile=str(cert))
    with sync_client(sim.url, "s3cret", ssl=trusted) as ws:
        hello = read(ws)
        assert hello["data"]["user"] == {"id": "u-9", "name": "赵敏", "role": "duty_lead"}
        assert read(ws)["type"] == "snapshot"
    with pytest.raises(InvalidStatus) as refused:
        connect(sim.url, additional_headers={"Authorization": "Bearer demo-lead"}, ssl=trusted)
    assert refused.value.response.status_code == 401
    with pytest.raises(ssl.SSLError):  # an untrusted certificate is not silently accepted
        connect(sim.url, additional_headers={"Authorization": "Bearer s3cret"}, ssl=ssl.create_default_context())
    code, err = sim.stop()
    assert code == 0, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--replay", "x.txt"], "--replay and --date go together"),
        (["--date", "1999-02-10"], "--replay and --date go together"),
        (["--replay", "x.txt", "--date", "10.2.1999"], "not a date"),
        (["--replay", "/nonexistent.txt", "--date", "1999-02-10"], "cannot read replay file"),
        (["--start", "yesterday"], "not RFC 3339"),
        (["--start", "2026-11-23T09:00:00"], "not RFC 3339"),
        (["--agents", "0"], "--agents"),
        (["--tls-cert", "c.pem"], "go together"),
        (["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"], "cannot load the TLS certificate"),
        (["--tokens", "/nonexistent.json"], "cannot read tokens file"),
        (["--tokens", "BAD"], "not valid JSON"),
        (["--tokens", "ROLE"], "expected one of"),
        (["--audit", "/nonexistent/dir/audit.jsonl"], "cannot open the audit trail"),
    ],
)
def test_bad_options_are_one_sentence_and_exit_2(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    (tmp_path / "role.json").write_text('{"t": {"id": "u", "name": "n", "role": "root"}}', encoding="utf-8")
    argv = [str(tmp_path / "bad.json") if a == "BAD" else str(tmp_path / "role.json") if a == "ROLE" else a
            for a in argv]
    assert cli.main(["simulate", "--port", "0", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_port_in_use_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["simulate", "--port", str(port), "--speed", "0"]) == 1
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err


def test_the_thread_api_for_synchronous_callers() -> None:
    config = SimConfig(seed=2, speed=30.0, agents=20, heartbeat_s=0.3, prerun_hours=0.5,
                       start=datetime(2026, 11, 23, 14, 0, tzinfo=CHINA))
    with start_in_thread(config) as sim:
        assert sim.url.startswith("ws://127.0.0.1:") and sim.seed == 2 and sim.epoch
        with sync_client(sim.url, "demo-lead") as ws:
            assert read(ws)["type"] == "hello"
            snap = read(ws)
            assert snap["type"] == "snapshot"
            sim.pause()
            seq, state = sim.state_at()
            time.sleep(0.5)
            assert sim.seq == seq and sim.state() == state
            sim.send_raw("not json")
            deadline = time.monotonic() + 5
            while (raw := ws.recv(5)) != "not json":
                assert time.monotonic() < deadline
            sim.hold_commands = True
            assert sim.hold_commands is True
            sim.resume()
            assert read(ws, 2)["type"] in ("heartbeat", *wire.STREAM_TYPES)
            sim.drop_connections()
            with pytest.raises(ConnectionClosed):
                while True:
                    ws.recv(5)
    assert not sim._thread.is_alive()


def test_start_in_thread_reports_a_failure_to_start() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            start_in_thread(SimConfig(seed=1), port=taken.getsockname()[1])

"""``command-center demo --source asterisk``: the simulator's day as AMI frames (synthetic,
supervisor/gateway/synthetic.py) served by the AMI server into the real gateway, and the
desktop's own feed (FeedBridge → LiveFloor) against it goes live with the AMI side's agents."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.gateway.support import ROOT, cli, env  # noqa: E402

pytestmark = pytest.mark.slow


def test_the_desktop_goes_live_on_the_gateway_with_the_ami_agents(qtbot, tmp_path: Path) -> None:
    from ui.app import start_demo_pbx
    from ui.bridge import FeedBridge
    from ui.inbox import Inbox
    from ui.live import LiveFloor
    from ui.models.base import ID_ROLE

    pbx = start_demo_pbx(seed=5, speed=30.0, agents=30)
    try:
        inbox = Inbox()
        live = LiveFloor(inbox)
        bridge = FeedBridge(inbox, pbx.url, "demo-lead", db_url=f"sqlite:///{tmp_path / 'journal.db'}")
        bridge.start()
        try:
            qtbot.waitUntil(lambda: live.status is not None and live.status.state == "live", timeout=20_000)
            model = live.agents
            qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=20_000)
            ids = {model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())}
            # the agents are the AMI side's queue members, named by their interface
            assert ids and all(str(i).startswith("Local/") and str(i).endswith("@agents") for i in ids)
            assert pbx.gateway.source_ok and pbx.ami.logins == 1
            # and calls flow: the AMI frames reach the desk as protocol events
            qtbot.waitUntil(lambda: pbx.ami.sent_events > 0 and pbx.gateway.buffer.last_seq > 1, timeout=20_000)
        finally:
            bridge.stop()
    finally:
        pbx.stop()


def test_the_demo_command_runs_with_the_asterisk_source(tmp_path: Path) -> None:
    e = env()
    e.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
             XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    proc = subprocess.Popen(cli("-v", "demo", "--source", "asterisk", "--agents", "20", "--speed", "30",
                                "--db", f"sqlite:///{tmp_path / 'demo.db'}", "--seed", "3"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e, cwd=ROOT)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            if (tmp_path / "demo.db").exists() and (tmp_path / "demo.db").stat().st_size > 0:
                break
        time.sleep(3)
        assert proc.poll() is None, proc.communicate(timeout=10)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert "Traceback" not in err, err
    assert "demo: simulator ws://127.0.0.1:" in err  # the gateway's URL, as the simulator's is logged
    import sqlite3

    con = sqlite3.connect(tmp_path / "demo.db")
    try:
        agents = [a for (a,) in con.execute("select distinct agent_id from journal where agent_id is not null")]
        snaps = con.execute("select count(*) from journal where type = 'snapshot'").fetchone()[0]
    finally:
        con.close()
    assert snaps >= 1
    assert agents and all(a.startswith("Local/") for a in agents)
